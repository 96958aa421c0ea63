"""Baseline: a default LlamaIndex pipeline on the same pages, embedder and model, for comparison.

VectorStoreIndex with LlamaIndex's default chunking (SentenceSplitter, 1024 tokens) and a
CitationQueryEngine (top 3), streaming. It gets our LLM wrapper only because LlamaIndex's own
LlamaCPP prompt format produces garbage with this model (see shared/MODELS.md).

Usage: python bench/baseline_llamaindex.py [--home DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEV_QUESTIONS = ROOT.parent / "shared" / "eval" / "dev_questions.jsonl"

from llama_index.core import Document, Settings, VectorStoreIndex  # noqa: E402
from llama_index.core.query_engine import CitationQueryEngine  # noqa: E402

from assistant.evaluate import load_questions  # noqa: E402
from assistant.model import load_llm  # noqa: E402
from assistant.settings import load_settings  # noqa: E402
from index.embed import LlamaIndexEmbedding, MiniLMEmbedder  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--questions", type=Path, default=DEV_QUESTIONS)
    parser.add_argument("--limit", type=int, default=3)
    args = parser.parse_args()
    # The default pipeline's prompts are far over our 1,400-token cap: let it use the whole context.
    overrides = {"home": args.home} if args.home else {}
    settings = load_settings(model={"max_prompt_tokens": 4000}, **overrides)

    Settings.embed_model = LlamaIndexEmbedding(MiniLMEmbedder())
    llm = load_llm(settings.model, settings.model_cache_dir)
    Settings.llm = llm
    pages = sorted(settings.data_dir.glob("*.txt"))
    documents = [Document(text=p.read_text(encoding="utf-8"), metadata={"file": p.name}) for p in pages]
    started = time.perf_counter()
    index = VectorStoreIndex.from_documents(documents)
    print(f"default index built in {time.perf_counter() - started:.1f} s")
    engine = CitationQueryEngine.from_args(index, similarity_top_k=3, streaming=True)

    items = load_questions(args.questions)
    items = [i for i in items if i.get("type") == "quote"][: args.limit]
    first_token, total, prompt_tokens = [], [], []
    for item in items:
        started = time.perf_counter()
        response = engine.query(item["q"])
        first: float | None = None
        for _ in response.response_gen:  # type: ignore[union-attr]
            if first is None:
                first = time.perf_counter() - started
        elapsed = time.perf_counter() - started
        timings = llm.last_timings
        tokens = getattr(timings, "prompt_tokens", 0)
        first_token.append(first or elapsed)
        total.append(elapsed)
        prompt_tokens.append(tokens)
        shown = first or elapsed
        print(f"{shown:6.1f} s first token  {elapsed:6.1f} s total  {tokens:5} prompt tokens  {item['q']}")
    summary = {
        "pipeline": "default LlamaIndex (VectorStoreIndex + CitationQueryEngine, top 3)",
        "questions": len(items),
        "first_token_s_median": round(statistics.median(first_token), 2),
        "total_s_median": round(statistics.median(total), 2),
        "prompt_tokens_median": statistics.median(prompt_tokens),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
