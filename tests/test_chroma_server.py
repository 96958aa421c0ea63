"""The same index code against a Chroma server (started here on loopback) instead of on-disk Chroma."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.app import App
from assistant.errors import UserError
from tests.conftest import make_settings
from tests.web_helpers import free_port


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # Beside this interpreter first: a virtual environment's commands need not be on PATH.
    beside = Path(sys.executable).parent / "chroma"
    chroma = str(beside) if beside.exists() else shutil.which("chroma")
    if chroma is None:
        pytest.fail("the `chroma` server command (from the chromadb package) is not installed")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            pytest.fail("the Chroma server did not start within 60 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_build_and_retrieve_through_a_chroma_server(tmp_path: Path, chroma_url: str) -> None:
    settings = make_settings(tmp_path / "home", chroma_url=chroma_url)
    app = App(settings)
    summary = app.build(progress=False)
    assert summary.quotes == 19
    assert not (tmp_path / "home" / "index").exists(), "nothing is stored on local disk"
    again = App(settings).build(progress=False)
    assert again.up_to_date and again.embedded == 0
    result = App(settings).assistant.retrieve("What did Jeff Dean say about depth?")
    assert any(p.speaker == "Jeff Dean" for p in result.passages)


def test_unreachable_chroma_server_is_a_clear_error(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "home", chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(UserError, match="Chroma server"):
        App(settings).build(progress=False)
