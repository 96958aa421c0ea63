"""`expert-chat doctor`: the newcomer's self-check reports each part and fails on a missing import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.app import App
from assistant.settings import load_settings
from tests.conftest import make_settings
from ui import doctor


def test_doctor_reports_every_part_of_a_working_install(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPERT_CHAT_")}
    env.update(EXPERT_CHAT_HOME=str(tmp_path), EXPERT_CHAT_EMBEDDER="hash")
    run = subprocess.run(
        [sys.executable, "-m", "assistant", "doctor", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    report = json.loads(run.stdout)
    checks = {c["name"]: c for c in report["checks"]}
    assert set(checks) == {
        "python",
        "environment",
        "packages",
        "model",
        "llama.cpp",
        "embedder",
        "data",
        "index",
    }
    assert checks["packages"]["status"] == "ok", checks["packages"]
    assert checks["index"]["status"] == "warn" and "expert-chat build" in checks["index"]["fix"]
    assert report["healthy"] is True and run.returncode == 0


def test_a_module_that_fails_to_import_fails_the_packages_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "IMPORT_CHECKS", ("json", "no_such_module_here"))
    check = doctor.check_packages()
    assert check.status == "fail" and "no_such_module_here" in check.detail and "make install" in check.fix


def test_a_missing_data_folder_is_a_failure_with_a_fix(tmp_path: Path) -> None:
    check = doctor.check_data(load_settings(home=tmp_path, data_dir=tmp_path / "missing"))
    assert check.status == "fail" and "EXPERT_CHAT_DATA_DIR" in check.fix


def test_the_index_check_counts_chunks_not_every_count_of_the_manifest(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    built = App(settings).build(progress=False)
    check = doctor.check_index(settings)
    assert check.status == "ok" and f"{built.documents} pages, {built.chunks} chunks," in check.detail


@pytest.mark.model
def test_llama_cpp_runs_the_bundled_model_on_this_cpu(real_llm: Any, model_home: Path) -> None:
    check = doctor.check_llama(load_settings(home=model_home))
    assert check.status == "ok" and "runs the model" in check.detail, check


@pytest.mark.model
def test_a_llama_cpp_that_crashes_on_this_cpu_fails_with_the_fix(
    real_llm: Any, model_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The probe dies of a signal, as llama.cpp compiled for AMX did on a machine whose AMX faults.
    monkeypatch.setattr(doctor, "LLAMA_PROBE", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")
    check = doctor.check_llama(load_settings(home=model_home))
    assert check.status == "fail" and "signal 11" in check.detail and "make clean-venv install" in check.fix
