"""FAQ benchmark: how many covered entries the seed pages give, and how fast a FAQ question is answered.

Builds the index of data/ (bundled MiniLM) in a temporary home, builds the FAQ (each question answered
once by the model: `--model bundled`, the default, or `--model fake` for a quick run), checks every
citation is verbatim, then asks every FAQ question again through the same pipeline as the chat and
over HTTP (`POST /api/ask`) and prints the latencies. Goal: at most 100 ms per FAQ answer.

    python bench/faq_latency.py [--model bundled|fake] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from assistant.app import App
from assistant.settings import PROJECT_ROOT, load_settings
from ui.faq_page import FaqService


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["bundled", "fake"], default="bundled")
    parser.add_argument("--repeat", type=int, default=3, help="times each FAQ question is asked again")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="faq-bench-"))
    settings = load_settings(
        home=home,
        data_dir=PROJECT_ROOT / "data",
        model={"kind": args.model},
        ui={"rate_limit_per_minute": 10_000},
    )
    llm = None
    if args.model == "fake":
        from assistant.testing import FakeLLM
        from tests.web_helpers import cited_reply

        llm = FakeLLM(cited_reply)
    app = App(settings, llm=llm)
    started = time.perf_counter()
    app.build(progress=False)
    built_index = time.perf_counter() - started
    service = FaqService(app, None)
    started = time.perf_counter()
    faq = service.rebuild()
    built_faq = time.perf_counter() - started

    verbatim = all(
        (app.assistant.page_text(c.document) or "")[c.char_start : c.char_end] == c.quote
        for e in faq.entries
        for c in e.answer.citations
    )
    pipeline_ms: list[float] = []
    marked = 0
    for _ in range(args.repeat):
        for entry in faq.entries:
            t = time.perf_counter()
            answer = app.assistant.ask(entry.question)
            pipeline_ms.append((time.perf_counter() - t) * 1000)
            marked += answer.faq
    http_ms = _over_http(app, [e.question for e in faq.entries], args.repeat)
    report = {
        "model": args.model,
        "index_build_s": round(built_index, 1),
        "faq_build_s": round(built_faq, 1),
        "faq_entries": len(faq.entries),
        "entries_with_citations": sum(bool(e.answer.citations) for e in faq.entries),
        "all_citations_verbatim": verbatim,
        "answers_marked_faq": f"{marked}/{len(pipeline_ms)}",
        "pipeline_ms": _stats(pipeline_ms),
        "http_ms": _stats(http_ms),
        "questions": [e.question for e in faq.entries],
    }
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for key, value in report.items():
            if key != "questions":
                print(f"{key:24} {value}")
        print("questions:\n  " + "\n  ".join(report["questions"]))  # type: ignore[arg-type]
    return 0


def _over_http(app: App, questions: list[str], repeat: int) -> list[float]:
    from tests.web_helpers import live_server

    times: list[float] = []
    with live_server(app) as live, live.client() as client:
        for _ in range(repeat):
            for question in questions:
                t = time.perf_counter()
                response = client.post("/api/ask", json={"question": question})
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200 and response.json()["faq"], response.text[:200]
    return times


def _stats(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), 1),
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "max": round(ordered[-1], 1),
    }


if __name__ == "__main__":
    raise SystemExit(main())
