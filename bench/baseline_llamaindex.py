"""Baseline: a default LlamaIndex pipeline on the same pages, embedder and model, for comparison.

VectorStoreIndex with LlamaIndex's default chunking (SentenceSplitter, 1024 tokens) and a
CitationQueryEngine (top 3), streaming, with the same embedder and the same loaded model. It gets our
LLM wrapper (a LlamaIndex LLM applying the GGUF's own chat template) only because LlamaIndex's LlamaCPP
default prompt format produces garbage with this model (see shared/MODELS.md). `bench/run.py` runs it.

Usage: python bench/baseline_llamaindex.py [--home DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEV_QUESTIONS = ROOT / "eval" / "dev_questions.jsonl"

from llama_index.core import Document, Settings, VectorStoreIndex  # noqa: E402
from llama_index.core.query_engine import CitationQueryEngine  # noqa: E402

from assistant.evaluation.evaluate import load_questions  # noqa: E402
from assistant.models.factory import llm_options, load_llm  # noqa: E402
from assistant.settings import ModelKind, ModelSettings, load_settings  # noqa: E402
from index.storage.embed import Embedder, LlamaIndexEmbedding, make_embedder  # noqa: E402


def peer_llm(model: ModelSettings, cache_dir: Path) -> Any:
    """The same model and runtime as ours (LlamaIndex LLM with the GGUF's chat template), whole context.

    The default pipeline's prompts are far over our 1,400-token prompt cap: it may use the whole context.
    A fake model (bench smoke test) stays fake.
    """
    wide = model.model_copy(update={"max_prompt_tokens": model.n_ctx - model.max_answer_tokens})
    if wide.kind == ModelKind.FAKE:
        from assistant.testing import FakeLLM

        return FakeLLM(**llm_options(wide))
    return load_llm(wide, cache_dir)


def run_peer(
    data_dir: Path, llm: Any, embedder: Embedder, items: list[dict[str, Any]], *, verbose: bool = True
) -> dict[str, Any]:
    """Index the pages with LlamaIndex defaults and answer `items` with a CitationQueryEngine (top 3)."""
    Settings.embed_model = LlamaIndexEmbedding(embedder)
    Settings.llm = llm
    pages = sorted(data_dir.glob("*.txt"))
    documents = [Document(text=p.read_text(encoding="utf-8"), metadata={"file": p.name}) for p in pages]
    started = time.perf_counter()
    index = VectorStoreIndex.from_documents(documents)
    build_s = time.perf_counter() - started
    engine = CitationQueryEngine.from_args(index, similarity_top_k=3, streaming=True)
    first_token, total, prompt_tokens = [], [], []
    for item in items:
        started = time.perf_counter()
        response = engine.query(item["q"])
        first: float | None = None
        for _ in response.response_gen:  # type: ignore[union-attr]
            if first is None:
                first = time.perf_counter() - started
        elapsed = time.perf_counter() - started
        tokens = getattr(getattr(llm, "last_timings", None), "prompt_tokens", 0) or 0
        first_token.append(first or elapsed)
        total.append(elapsed)
        prompt_tokens.append(tokens)
        if verbose:
            shown = first or elapsed
            line = f"{shown:6.1f} s first token  {elapsed:6.1f} s total  {tokens:5} prompt tokens"
            print(f"{line}  {item['q']}", file=sys.stderr)
    return {
        "pipeline": "default LlamaIndex (VectorStoreIndex + CitationQueryEngine, top 3)",
        "questions": len(items),
        "index_build_s": round(build_s, 2),
        "first_token_ms_p50": round(statistics.median(first_token) * 1000, 1) if items else None,
        "total_ms_p50": round(statistics.median(total) * 1000, 1) if items else None,
        "prompt_tokens_p50": statistics.median(prompt_tokens) if items else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--questions", type=Path, default=DEV_QUESTIONS)
    parser.add_argument("--limit", type=int, default=3)
    args = parser.parse_args()
    settings = load_settings(**({"home": args.home} if args.home else {}))
    items = [i for i in load_questions(args.questions) if i.get("type") == "quote"][: args.limit]
    llm = peer_llm(settings.model, settings.model_cache_dir)
    summary = run_peer(settings.data_dir, llm, make_embedder(settings.embedder), items)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
