"""The default embedder: the bundled MiniLM exported locally to int8 ONNX, close to the PyTorch original."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.settings import Settings
from index.build import load_corpus
from index.storage.chunk import chunk_corpus
from index.storage.embed import MiniLMOnnxEmbedder, export_minilm_onnx, make_embedder
from tests.conftest import make_settings

pytestmark = pytest.mark.embedder


@pytest.fixture(scope="module")
def onnx_embedder(tmp_path_factory: pytest.TempPathFactory) -> MiniLMOnnxEmbedder:
    return MiniLMOnnxEmbedder(cache_dir=tmp_path_factory.mktemp("embed-cache"))


def _dot(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_vectors_stay_close_to_the_pytorch_model(
    onnx_embedder: MiniLMOnnxEmbedder, minilm: Any, tmp_path: Path
) -> None:
    chunks = chunk_corpus(load_corpus(make_settings(tmp_path).index))
    texts = [*(c.embed_text for c in chunks[:48]), "deep", ""]
    ours = onnx_embedder.embed_documents(texts)
    reference = minilm.embed_documents(texts)
    similarities = [_dot(a, b) for a, b in zip(ours, reference, strict=True)]
    assert min(similarities) > 0.95  # one-word texts move most
    assert sum(similarities) / len(similarities) > 0.985
    assert all(abs(_dot(v, v) - 1.0) < 1e-4 for v in ours), "unit length"
    assert len(ours[0]) == onnx_embedder.dimension == 384


def test_query_ranks_like_the_original(onnx_embedder: MiniLMOnnxEmbedder, minilm: Any) -> None:
    passages = [
        "Jeff Dean: deep refers to the number of layers of a large neural network.",
        "Thanks for the article, very informative.",
        "Andrew Ng: the performance of older learning algorithms plateaus as you add data.",
    ]
    for query in ("What does deep mean?", "Why do older algorithms stop improving with more data?"):
        ours = [_dot(onnx_embedder.embed_query(query), p) for p in onnx_embedder.embed_documents(passages)]
        theirs = [_dot(minilm.embed_query(query), p) for p in minilm.embed_documents(passages)]
        assert max(range(3), key=ours.__getitem__) == max(range(3), key=theirs.__getitem__)


def test_the_export_is_made_once_and_cached(onnx_embedder: MiniLMOnnxEmbedder, tmp_path: Path) -> None:
    onnx_embedder.embed_query("warm")
    path = export_minilm_onnx(onnx_embedder._cache_dir)
    stamp = path.stat().st_mtime_ns
    assert export_minilm_onnx(onnx_embedder._cache_dir) == path
    assert path.stat().st_mtime_ns == stamp
    assert [p.name for p in path.parent.iterdir()] == [path.name], "no temporary files left"


def test_default_setting_is_the_onnx_embedder() -> None:
    assert Settings.model_fields["embedder"].default == "minilm-onnx"
    assert isinstance(make_embedder("minilm-onnx"), MiniLMOnnxEmbedder)
