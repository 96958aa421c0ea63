"""End-to-end answer latency with the real model: time to first token, total, prompt size, peak memory.

Usage: python bench/answer_latency.py [--home DIR] [--questions FILE] [--limit N]
Builds the index if needed, warms the fixed prompt prefix once (as `expert-chat serve` does), then
asks each answerable development question once (no answer cache) and prints one line per question
plus percentiles and a JSON summary line.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEV_QUESTIONS = ROOT / "eval" / "dev_questions.jsonl"

from assistant.app import build_app  # noqa: E402
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
        answer = app.assistant.ask(item["q"])
        timings = llm.last_timings
        prompt_tokens = getattr(timings, "prompt_tokens", None) if answer.covered else 0
        rows.append(
            {"q": item["q"], "covered": answer.covered, "prompt_tokens": prompt_tokens, **answer.timings_ms}
        )
        first_s, total_s = answer.timings_ms["first_token"] / 1000, answer.timings_ms["total"] / 1000
        tokens = prompt_tokens or 0
        print(f"{first_s:6.1f} s first token  {total_s:6.1f} s total  {tokens:5} prompt tokens  {item['q']}")
    first = [r["first_token"] / 1000 for r in rows if r["covered"]]
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
        "peak_rss_gb": round(peak_gb, 2),
        "model_load_s": round(load_s, 1),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
