"""Time to first token with the bundled model: a reused fixed prefix against a cold prompt.

For prompts of about 300 and 1,000 tokens (a fixed system prefix of course text, then a short
question) it measures: cold (KV cache cleared), reused (the next question after one with the same
prefix, on the same loaded model) and warmed (cache cleared, ``warm_prefix`` run at "load", then
the first question). Prints a table and one JSON line. Runs in about a minute on 2 cores.

    python bench/ttft.py [--home DIR] [--sizes 300 1000] [--threads 2]
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

from llama_index.core.llms import ChatMessage, MessageRole  # noqa: E402

from assistant.models.factory import load_llm  # noqa: E402
from assistant.models.llama_cpp import LlamaCppLLM  # noqa: E402
from assistant.settings import load_settings  # noqa: E402

INSTRUCTIONS = (
    "You answer questions about the course page below. Use only its text, quote the experts' own "
    "words and say so when the page does not cover the question.\n\nCourse page:\n"
)
QUESTIONS = [
    "What is deep learning according to Andrew Ng?",
    "Why do larger neural networks keep improving with more data?",
    "Who founded Google Brain?",
    "What does hierarchical feature learning mean?",
]
GENERATED = 16


def course_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "data").glob("*.txt")))


def system_prompt(llm: LlamaCppLLM, total_tokens: int, text: str) -> str:
    """Instructions plus as much course text as makes the whole prompt about ``total_tokens``."""
    overhead = llm.count_prompt_tokens(messages(INSTRUCTIONS, QUESTIONS[0]))
    budget = total_tokens - overhead
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix of the text within the budget
        mid = (lo + hi + 1) // 2
        if llm.count_tokens(text[:mid]) <= budget:
            lo = mid
        else:
            hi = mid - 1
    return INSTRUCTIONS + text[:lo]


def messages(system: str, question: str) -> list[ChatMessage]:
    return [
        ChatMessage(role=MessageRole.SYSTEM, content=system),
        ChatMessage(role=MessageRole.USER, content=question),
    ]


def ask(llm: LlamaCppLLM, system: str, question: str) -> dict[str, float | int | None]:
    llm.chat(messages(system, question), max_tokens=GENERATED)
    t = llm.last_timings
    assert t is not None
    return {
        "prompt_tokens": t.prompt_tokens,
        "cached": t.cached_prompt_tokens,
        "ttft_s": round(t.first_token_s, 3),
        "gen_tok_s": round(t.generation_tokens_per_s, 1) if t.generation_tokens_per_s else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="expert-chat home (model cache in <home>/models)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1000], help="prompt sizes in tokens")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    settings = load_settings(**({"home": args.home} if args.home else {}))
    model = settings.model.model_copy(
        update={"kind": "bundled", "n_threads": args.threads, "max_prompt_tokens": 3000}
    )
    started = time.perf_counter()
    llm = load_llm(model, settings.model_cache_dir)
    assert isinstance(llm, LlamaCppLLM)
    load_s = time.perf_counter() - started
    text = course_text()

    rows = []
    for size in args.sizes:
        system = system_prompt(llm, size, text)
        llm.reset_cache()
        cold = ask(llm, system, QUESTIONS[0])
        reused = [ask(llm, system, q) for q in QUESTIONS[1:3]]
        llm.reset_cache()
        warm_start = time.perf_counter()
        llm.warm_prefix(system)
        warm_prefix_s = time.perf_counter() - warm_start
        warmed = ask(llm, system, QUESTIONS[3])
        rows.append(
            {
                "target_tokens": size,
                "prompt_tokens": cold["prompt_tokens"],
                "cold_ttft_s": cold["ttft_s"],
                "reused_ttft_s": round(statistics.median(float(r["ttft_s"] or 0) for r in reused), 3),
                "reused_cached_tokens": reused[-1]["cached"],
                "warm_prefix_s": round(warm_prefix_s, 2),
                "warmed_ttft_s": warmed["ttft_s"],
                "gen_tok_s": cold["gen_tok_s"],
            }
        )

    header = (
        f"{'prompt tok':>10}  {'cold TTFT':>9}  {'reused TTFT':>11}  {'cached tok':>10}  "
        f"{'warm_prefix':>11}  {'warmed TTFT':>11}  {'gen tok/s':>9}"
    )
    print(
        f"model loaded in {load_s:.1f} s, n_threads={args.threads}, {GENERATED} tokens generated per request"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['prompt_tokens']:>10}  {r['cold_ttft_s']:>8.2f}s  {r['reused_ttft_s']:>10.2f}s  "
            f"{r['reused_cached_tokens']:>10}  {r['warm_prefix_s']:>10.2f}s  {r['warmed_ttft_s']:>10.2f}s  "
            f"{r['gen_tok_s'] if r['gen_tok_s'] is not None else '-':>9}"
        )
    print(
        json.dumps(
            {
                "bench": "ttft",
                "model": llm.label,
                "n_threads": args.threads,
                "load_s": round(load_s, 2),
                "rows": rows,
                "total_s": round(time.perf_counter() - started, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
