"""End-to-end answer latency with the real model: time to first token, total, prompt size, peak memory.

Usage: python bench/answer_latency.py [--home DIR] [--questions FILE] [--limit N]
Builds the index if needed, measures the prefill speed as `expert-chat model check` does, warms the
fixed prompt prefix once, then asks each answerable development question once (no answer cache) and
prints one line per question plus percentiles and a JSON summary line. Each line also gives the answer
prompt's uncached tokens and the bound issue 20 sets on its first token: those tokens / the prefill
speed + 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEV_QUESTIONS = ROOT / "eval" / "dev_questions.jsonl"

from assistant.app import build_app  # noqa: E402
from assistant.models.llm import GenerationTimings  # noqa: E402
from assistant.models.report import model_check  # noqa: E402
from assistant.settings import load_settings  # noqa: E402
from assistant.writing.prompt import SYSTEM_PROMPT  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--questions", type=Path, default=DEV_QUESTIONS)
    parser.add_argument("--limit", type=int, default=8)
    args = parser.parse_args()

    settings = load_settings(**({"home": args.home} if args.home else {}))
    app = build_app(settings)
    if app.store.manifest() is None:
        print(app.build().line())
    app.assistant.retrieve("warm up")  # embedder and lexical index loaded, as `expert-chat serve` does
    started = time.perf_counter()
    llm = app.llm
    load_s = time.perf_counter() - started
    check = model_check(settings.model, settings.model_cache_dir, load=lambda: llm)
    prefill = check.get("prompt_tokens_per_s") or 0.0
    print(f"model check: prefill {prefill:.1f} tokens/s ({check.get('prompt_tokens')} prompt tokens)")
    answer_calls = _record_answer_calls(llm)
    started = time.perf_counter()
    llm.warm_prefix(SYSTEM_PROMPT)
    warm_s = time.perf_counter() - started
    print(f"model load {load_s:.1f} s, prefix warm-up {warm_s:.1f} s")

    items = [
        json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    items = [i for i in items if i.get("type") != "refuse"][: args.limit]
    rows = []
    for item in items:
        answer_calls.clear()
        answer = app.assistant.ask(item["q"])
        timings = answer_calls[0] if answer_calls and answer.covered else None
        prompt_tokens = timings.prompt_tokens if timings else 0
        uncached = timings.evaluated_prompt_tokens if timings else 0
        bound_s = uncached / prefill + 0.5 if prefill and timings else None
        rows.append(
            {
                "q": item["q"],
                "covered": answer.covered,
                "prompt_tokens": prompt_tokens,
                "uncached_tokens": uncached,
                "bound_s": bound_s,
                **answer.timings_ms,
            }
        )
        first_s, total_s = answer.timings_ms["first_token"] / 1000, answer.timings_ms["total"] / 1000
        bound = f"bound {bound_s:5.1f} s" if bound_s is not None else "bound    - "
        print(
            f"{first_s:6.1f} s first token  {bound}  {total_s:6.1f} s total  "
            f"{prompt_tokens:5} prompt tokens ({uncached} uncached)  {item['q']}"
        )
    first = [r["first_token"] / 1000 for r in rows if r["covered"]]
    bounds = [r["bound_s"] for r in rows if r["bound_s"] is not None]
    uncached_counts = [r["uncached_tokens"] for r in rows if r["covered"]]
    total = [r["total"] / 1000 for r in rows if r["covered"]]
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    summary = {
        "questions": len(rows),
        "first_token_s": {"median": round(statistics.median(first), 2), "max": round(max(first), 2)}
        if first
        else {},
        "total_s": {"median": round(statistics.median(total), 2), "max": round(max(total), 2)}
        if total
        else {},
        "retrieve_ms_median": round(statistics.median(r["retrieve"] for r in rows), 1),
        "prefill_tokens_per_s": round(prefill, 1),
        "bound_s_median": round(statistics.median(bounds), 2) if bounds else None,
        "uncached_tokens_median": statistics.median(uncached_counts) if uncached_counts else None,
        "peak_rss_gb": round(peak_gb, 2),
        "model_load_s": round(load_s, 1),
    }
    print(json.dumps(summary))
    return 0


def _record_answer_calls(llm: Any) -> list[GenerationTimings]:
    """The timings of every answer-prompt generation from now on (judge and translation calls left out).

    Wraps this one model object's ``stream_chat``; a benchmark's view, not the product's.
    """
    calls: list[GenerationTimings] = []
    inner = llm.stream_chat

    def stream_chat(messages: Any, **kwargs: Any) -> Any:
        stream = inner(messages, **kwargs)
        if not (messages and messages[0].content == SYSTEM_PROMPT):
            return stream

        def recorded() -> Any:
            yield from stream
            if llm.last_timings is not None:
                calls.append(llm.last_timings)

        return recorded()

    object.__setattr__(llm, "stream_chat", stream_chat)
    return calls


if __name__ == "__main__":
    sys.exit(main())
