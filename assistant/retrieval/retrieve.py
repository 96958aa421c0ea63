"""Hybrid retrieval: dense (vectors in Chroma) + lexical (BM25), fused by reciprocal rank.

The dense side is a LlamaIndex retriever; the lexical side (BM25, word weights, the people index) was
built with the index and is loaded from the store, so start-up never fetches every chunk: the chunks a
question needs are fetched by id. The fusion is written here (a few lines) rather than with
`QueryFusionRetriever` because the coverage decision needs each retriever's own scores.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from llama_index.core import VectorStoreIndex
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import BaseNode, NodeWithScore, QueryBundle, TextNode
from llama_index.core.vector_stores import MetadataFilter, MetadataFilters

from assistant.records import Passage
from assistant.settings import RetrievalSettings
from assistant.tuning import EXPERT_QUOTE_VOTE, QUOTE_RELEVANCE_MARGIN
from index.storage.chunk import QUESTION_KEY, reader_question_key
from index.storage.embed import Embedder, LlamaIndexEmbedding, cosine
from index.storage.lexical import load_lexical
from index.storage.store import ChunkStore, Manifest
from index.vocabulary import ChunkKind

MIN_EXPERT_QUOTES = 2
OWN_BEST = 2
MAX_CACHED_QUESTIONS = 20_000


@dataclass(frozen=True)
class Retrieval:
    """Fused passages plus the raw evidence used by the coverage decision."""

    passages: tuple[Passage, ...]
    dense_top: float
    lexical_top: float
    stem_weights: Mapping[str, float] = field(default_factory=dict)
    unknown_weight: float = 1.0
    named: frozenset[str] = frozenset()  # chunk ids of the people the question names (quotes, replies)

    def weight(self, stem: str) -> float:
        """Inverse document frequency of a stem in the index (rare words weigh more)."""
        return self.stem_weights.get(stem, self.unknown_weight)


def _answerer(node: BaseNode) -> str:
    """Who answers a keyed question: a reply's author or an interview answer's speaker."""
    return str(node.metadata.get("author") or node.metadata.get("speaker") or "")


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
        self._store = store
        vector_store = store.vector_store(manifest.collection)
        self._index = VectorStoreIndex.from_vector_store(
            vector_store, embed_model=LlamaIndexEmbedding(embedder)
        )
        self._dense = self._index.as_retriever(similarity_top_k=settings.candidates)
        self._lexical = load_lexical(store, manifest)
        self._idf = self._lexical.idf
        self._unknown_idf = self._lexical.unknown_idf
        self._question_vectors: dict[str, list[float]] = {}

    @property
    def vocabulary(self) -> Set[str]:
        """Every content stem of the indexed chunks."""
        return self._idf.keys()

    def embed_query(self, question: str) -> list[float]:
        return self._embedder.embed_query(question)

    def page(self, page: str | None) -> str | None:
        """The indexed document a student's page names (a file name, or a URL ending in one); None for
        the whole course, also when the page is not indexed on its own (e.g. merged into another)."""
        if not page:
            return None
        for name in (page, PurePosixPath(urlsplit(page).path).name):
            if self._lexical.has_page(name):
                return name
        return None

    def names_a_person(self, text: str, page: str | None = None) -> bool:
        """Whether `text` names someone whose words the index holds (on `page`, if given)."""
        return bool(self._lexical.people(text, page))

    def retrieve(
        self, question: str, embedding: Sequence[float] | None = None, page: str | None = None
    ) -> Retrieval:
        """`page`: the indexed document the student is reading (see `page`); its passages only."""
        bundle = QueryBundle(query_str=question, embedding=list(embedding or self.embed_query(question)))
        dense = self._dense_retriever(page).retrieve(bundle)
        lexical = self._lexical_hits(question, dense, page)
        dense_scores = {n.node.node_id: _cosine_from_chroma(n.score) for n in dense}
        lexical_scores = {n.node.node_id: float(n.score or 0.0) for n in lexical}
        first_place = 1.0 / (self._settings.rrf_k + 1)
        fused: dict[str, float] = {}
        by_id: dict[str, NodeWithScore] = {}
        for ranking in (dense, lexical):
            for rank, item in enumerate(ranking):
                node_id = item.node.node_id
                fused[node_id] = fused.get(node_id, 0.0) + 1.0 / (self._settings.rrf_k + rank + 1)
                by_id.setdefault(node_id, item)
        # A question naming an expert (or the site's author) gets that person's words: one extra vote.
        # Expert quotes are what the product is for: a half vote for each candidate quote.
        for node_id, item in by_id.items():
            if item.node.metadata.get("kind") == ChunkKind.EXPERT_QUOTE:
                fused[node_id] += first_place * EXPERT_QUOTE_VOTE
        # Candidates get the full vote; the named expert's other quotes join with half of it.
        named = self._lexical.people(question, page)
        for person in named:
            if person.chunk_id in fused:
                fused[person.chunk_id] += first_place
        for node in self._named_quotes([p.chunk_id for p in named if p.is_quote and p.chunk_id not in fused]):
            fused[node.node_id] = first_place / 2
            by_id[node.node_id] = NodeWithScore(node=node, score=0.0)
        order = sorted(fused, key=lambda i: fused[i], reverse=True)
        top = self._with_expert_quotes(order, by_id, dense_scores)
        # Each retriever's own best stay candidates for the evidence, whatever the fusion's priors did.
        for ranking in (lexical, dense):
            top += [i for i in (n.node.node_id for n in ranking[:OWN_BEST]) if i not in top]
        dense_scores.update(self._dense_scores([i for i in top if i not in dense_scores], bundle.embedding))
        dense_scores.update(self._asked_before([by_id[i].node for i in top], bundle.embedding, dense_scores))
        passages = tuple(
            _passage(rank + 1, by_id[i], fused[i], dense_scores.get(i), lexical_scores.get(i))
            for rank, i in enumerate(top)
        )
        return Retrieval(
            passages=passages,
            dense_top=max(dense_scores.values(), default=0.0),
            lexical_top=max(lexical_scores.values(), default=0.0),
            stem_weights=self._idf,
            unknown_weight=self._unknown_idf,
            named=frozenset(p.chunk_id for p in named),
        )

    def _dense_retriever(self, page: str | None) -> BaseRetriever:
        if page is None:
            return self._dense
        only = MetadataFilters(filters=[MetadataFilter(key="document", value=page)])
        return self._index.as_retriever(similarity_top_k=self._settings.candidates, filters=only)

    def _lexical_hits(
        self, question: str, dense: Sequence[NodeWithScore], page: str | None
    ) -> list[NodeWithScore]:
        """BM25's best chunks; those the dense side did not return are fetched by id."""
        hits = self._lexical.search(question, self._settings.candidates, page)
        known = {n.node.node_id: n.node for n in dense}
        missing = [chunk_id for chunk_id, _ in hits if chunk_id not in known]
        known.update((n.node_id, n) for n in self._store.nodes(self.manifest.collection, missing))
        return [NodeWithScore(node=known[i], score=score) for i, score in hits if i in known]

    def _dense_scores(self, chunk_ids: Sequence[str], embedding: Sequence[float] | None) -> dict[str, float]:
        """Cosine similarity to the question of candidates only the lexical side found."""
        if not chunk_ids or not embedding:
            return {}
        vectors = self._store.embeddings(self.manifest.collection, chunk_ids)
        return {i: cosine(embedding, v) for i, v in vectors.items()}

    def _asked_before(
        self, nodes: Sequence[BaseNode], embedding: Sequence[float] | None, dense_scores: Mapping[str, float]
    ) -> dict[str, float]:
        """A reply matches a question as well as the reader's question it answers does on its own: the
        embedded question-plus-reply dilutes a student's question that repeats the reader's."""
        keyed = {
            n.node_id: reader_question_key(str(n.metadata["question"]), _answerer(n))
            for n in nodes
            if n.metadata.get("question")
        }
        if not keyed or not embedding:
            return {}
        # Read into a local map: another request may clear the shared cache meanwhile.
        known = {q: v for q in set(keyed.values()) if (v := self._question_vectors.get(q)) is not None}
        missing = [q for q in dict.fromkeys(keyed.values()) if q not in known]
        if missing:
            vectors = self._embedder.embed_documents([f"{QUESTION_KEY}{q}" for q in missing])
            known.update(zip(missing, vectors, strict=True))
            if len(self._question_vectors) > MAX_CACHED_QUESTIONS:
                self._question_vectors.clear()
            self._question_vectors.update(zip(missing, vectors, strict=True))
        return {i: max(dense_scores.get(i, 0.0), cosine(embedding, known[q])) for i, q in keyed.items()}

    def _named_quotes(self, chunk_ids: Sequence[str]) -> list[TextNode]:
        """A named expert's quotes outside the candidates; all tie at a half vote, so top_k of them do."""
        return self._store.nodes(self.manifest.collection, chunk_ids[: self._settings.top_k])

    def _with_expert_quotes(
        self, order: list[str], by_id: dict[str, NodeWithScore], dense_scores: dict[str, float]
    ) -> list[str]:
        """The top-k, making room for the best relevant expert quotes (the product's first source)."""
        k = self._settings.top_k
        top = order[:k]
        best_dense = max(dense_scores.values(), default=0.0)

        def is_quote(node_id: str) -> bool:
            return by_id[node_id].node.metadata.get("kind") == ChunkKind.EXPERT_QUOTE

        missing = MIN_EXPERT_QUOTES - sum(1 for i in top if is_quote(i))
        if missing <= 0:
            return top
        extra = [
            i
            for i in order[k:]
            if is_quote(i) and dense_scores.get(i, 0.0) >= best_dense - QUOTE_RELEVANCE_MARGIN
        ][:missing]
        if not extra:
            return top
        keep = [i for i in top if is_quote(i)]
        others = [i for i in top if not is_quote(i)][: k - len(keep) - len(extra)]
        chosen = set(keep + others + extra)
        return [i for i in order if i in chosen]


def _passage(
    rank: int, item: NodeWithScore, score: float, dense: float | None, lexical: float | None
) -> Passage:
    return Passage.from_metadata(rank, item.node.node_id, item.node.metadata, score, dense, lexical)
