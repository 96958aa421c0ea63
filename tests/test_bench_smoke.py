"""`python bench/run.py --json` runs end to end with tiny settings and prints every field the issue names."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from assistant.settings import PROJECT_ROOT

FIELDS = {
    "ours": {"retrieve_ms_p50", "first_token_ms_p50", "total_ms_p50", "cached_ms_p50", "rss_mb"},
    "peer": {"first_token_ms_p50", "total_ms_p50"},
    "build": {"cold_s", "unchanged_s", "embed_chunks_per_s"},
}
RUN_FIELDS = {
    "answers_per_min",
    "sources_ms_p95",
    "first_token_ms_p50",
    "first_token_ms_p95",
    "total_ms_p95",
    "errors",
    "answered",
}


TINY = ["--scales", "300", "600", "--clients", "1,3"]


def test_bench_run_json(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("EXPERT_CHAT_")},
        "EXPERT_CHAT_HOME": str(tmp_path / "home"),
        "EXPERT_CHAT_EMBEDDER": "hash",
        "EXPERT_CHAT_MODEL__KIND": "fake",
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    done = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "bench" / "run.py"), "--json", "--questions", "2", *TINY],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    for section, fields in FIELDS.items():
        assert fields <= set(result[section]), section
    assert result["first_token_speedup"] is not None
    assert result["build"]["unchanged_embedded"] == 0
    assert result["ours"]["cached_ms_p50"] is not None, "a repeated question is answered from the cache"
    concurrency = result["concurrency"]
    assert {"1", "3"} <= set(concurrency) and "serial_8" not in concurrency  # --clients limits the runs
    for run in ("1", "3"):
        measured = concurrency[run]
        assert set(measured) >= RUN_FIELDS, run
        assert measured["errors"] == 0 and measured["answered"] == measured["questions"] >= int(run)
        assert measured["sources_ms_p95"] is not None and measured["first_token_ms_p50"]
    assert concurrency["serve_start_s"] > 0 and concurrency["model_calls_before_first_question"] == 0
    assert set(result["scale"]) == {"300", "600"}
    for size in ("300", "600"):
        assert {"build_s", "start_s", "retrieve_ms_p50", "rss_mb"} <= set(result["scale"][size])
    assert result["scale"]["600"]["chunks"] == 600
