"""Hybrid retrieval: dense (MiniLM vectors in Chroma) + lexical (BM25), fused by reciprocal rank.

Both retrievers are LlamaIndex retrievers. The fusion is written here (a few lines) rather than
with `QueryFusionRetriever` because the coverage decision needs each retriever's own scores.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from llama_index.core import VectorStoreIndex
from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.retrievers.bm25 import BM25Retriever

from assistant.records import Passage
from assistant.settings import RetrievalSettings
from index.embed import Embedder, LlamaIndexEmbedding
from index.store import ChunkStore, Manifest


@dataclass(frozen=True)
class Retrieval:
    """Fused passages plus the raw evidence used by the coverage decision."""

    passages: tuple[Passage, ...]
    dense_top: float
    lexical_top: float
    agreement: int


def _cosine_from_chroma(similarity: float | None) -> float:
    # ChromaVectorStore reports exp(-distance); with cosine space, distance = 1 - cosine.
    if not similarity or similarity <= 0:
        return 0.0
    return 1.0 + math.log(similarity)


class HybridRetriever:
    """Retrieves from the active index version; rebuilt when the index changes."""

    def __init__(
        self, store: ChunkStore, manifest: Manifest, embedder: Embedder, settings: RetrievalSettings
    ) -> None:
        self.manifest = manifest
        self._settings = settings
        self._embedder = embedder
        vector_store = store.vector_store(manifest.collection)
        index = VectorStoreIndex.from_vector_store(vector_store, embed_model=LlamaIndexEmbedding(embedder))
        self._dense = index.as_retriever(similarity_top_k=settings.candidates)
        self.nodes = store.all_nodes(manifest.collection)
        self._lexical = BM25Retriever.from_defaults(
            nodes=self.nodes, similarity_top_k=min(settings.candidates, len(self.nodes))
        )

    def embed_query(self, question: str) -> list[float]:
        return self._embedder.embed_query(question)

    def retrieve(self, question: str, embedding: Sequence[float] | None = None) -> Retrieval:
        bundle = QueryBundle(query_str=question, embedding=list(embedding or self.embed_query(question)))
        dense = self._dense.retrieve(bundle)
        lexical = self._lexical.retrieve(bundle)
        dense_scores = {n.node.node_id: _cosine_from_chroma(n.score) for n in dense}
        lexical_scores = {n.node.node_id: float(n.score or 0.0) for n in lexical}
        fused: dict[str, float] = {}
        by_id: dict[str, NodeWithScore] = {}
        for ranking in (dense, lexical):
            for rank, item in enumerate(ranking):
                node_id = item.node.node_id
                fused[node_id] = fused.get(node_id, 0.0) + 1.0 / (self._settings.rrf_k + rank + 1)
                by_id.setdefault(node_id, item)
        order = sorted(fused, key=lambda i: fused[i], reverse=True)[: self._settings.top_k]
        passages = tuple(
            _passage(rank + 1, by_id[i], fused[i], dense_scores.get(i), lexical_scores.get(i))
            for rank, i in enumerate(order)
        )
        top_dense = {n.node.node_id for n in dense[:3]}
        top_lexical = {n.node.node_id for n in lexical[:3]}
        return Retrieval(
            passages=passages,
            dense_top=max(dense_scores.values(), default=0.0),
            lexical_top=max(lexical_scores.values(), default=0.0),
            agreement=len(top_dense & top_lexical),
        )


def _passage(
    rank: int, item: NodeWithScore, score: float, dense: float | None, lexical: float | None
) -> Passage:
    meta = item.node.metadata
    year = meta.get("year")
    return Passage(
        rank=rank,
        kind=meta.get("kind", "article"),
        text=str(meta.get("text", "")),
        score=score,
        document=str(meta.get("document", "")),
        char_start=int(meta.get("char_start", 0)),
        char_end=int(meta.get("char_end", 0)),
        chunk_id=item.node.node_id,
        speaker=meta.get("speaker") or None,
        source_title=meta.get("source_title") or None,
        year=int(year) if isinstance(year, int | float) or (isinstance(year, str) and year.isdigit()) else None,
        author=meta.get("author") or None,
        is_author_reply=bool(meta.get("is_author_reply", False)),
        comment_id=meta.get("comment_id") or None,
        section=meta.get("section") or None,
        lead_in=meta.get("lead_in") or None,
        dense_score=dense,
        lexical_score=lexical,
    )
