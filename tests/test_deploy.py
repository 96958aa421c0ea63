"""Several app processes behind one address: two `expert-chat serve` processes on loopback share one
Chroma server and one OpenAI-compatible model server (llama-cpp-python's own `llama_cpp.server` with the
bundled model), and both answer. See docs/deploy.md."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.app import App
from assistant.models.files import ensure_model_file
from tests.conftest import make_settings
from tests.test_chroma_server import chroma_url  # noqa: F401  (the Chroma server fixture)
from tests.web_helpers import free_port

pytestmark = pytest.mark.model
MODEL_ALIAS = "qwen2.5-coder-1.5b-instruct"
QUESTIONS = ("What did Jeff Dean say about depth?", "What did Andrew Ng say about supervised learning?")


def _wait(url: str, proc: subprocess.Popen[bytes], what: str, timeout_s: float = 240) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited during start-up (code {proc.returncode})")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{what} did not start within {timeout_s:.0f} s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def model_server(model_home: Path) -> Iterator[str]:
    """llama-cpp-python's OpenAI-compatible server on loopback with the bundled (verified) model."""
    path = ensure_model_file(model_home / "models", progress=False)
    port = free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--model_alias", MODEL_ALIAS]
    command += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--n_threads", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(f"http://127.0.0.1:{port}/v1/models", proc, "the llama.cpp model server")
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        _stop(proc)


def _serve(home: Path, port: int, chroma: str, model_url: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "EXPERT_CHAT_HOME": str(home),
        "EXPERT_CHAT_DATA_DIR": str(make_settings(home).data_dir),
        "EXPERT_CHAT_CHROMA_URL": chroma,
        "EXPERT_CHAT_MODEL__KIND": "openai",
        "EXPERT_CHAT_MODEL__BASE_URL": model_url,
        "EXPERT_CHAT_MODEL__NAME": MODEL_ALIAS,
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    command = [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_two_app_processes_share_one_chroma_and_one_model_server(
    tmp_path: Path,
    chroma_url: str,  # noqa: F811
    model_server: str,
) -> None:
    # One build, from any machine, into the shared Chroma (the default embedder, as the apps use).
    builder = App(make_settings(tmp_path / "builder", chroma_url=chroma_url, embedder="minilm-onnx"))
    version = builder.build(progress=False).version
    ports = [free_port(), free_port()]
    apps = [_serve(tmp_path / f"app{i}", port, chroma_url, model_server) for i, port in enumerate(ports)]
    try:
        for proc, port in zip(apps, ports, strict=True):
            _wait(f"http://127.0.0.1:{port}/api/health", proc, f"the app on port {port}")

        def ask(job: tuple[int, str]) -> dict[str, Any]:
            port, question = job
            response = httpx.post(
                f"http://127.0.0.1:{port}/api/ask", json={"question": question, "history": []}, timeout=600
            )
            assert response.status_code == 200, response.text
            return dict(response.json())

        with ThreadPoolExecutor(2) as pool:  # at the same time: the model server takes them in turn
            answers = list(pool.map(ask, zip(ports, QUESTIONS, strict=True)))
    finally:
        for proc in apps:
            _stop(proc)
    for answer in answers:
        assert answer["covered"], answer
        assert answer["answer"].strip()
        assert answer["citations"], "answers cite the shared index"
        assert answer["index_version"] == version
    assert not (tmp_path / "app0" / "index").exists(), "the apps keep no index of their own"
