"""Shared fixtures: isolated settings per test, the real pages, a real index on a temp dir, fakes."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.app import App
from assistant.settings import PROJECT_ROOT, Settings

DATA_DIR = PROJECT_ROOT / "data"
EVAL_DIR = PROJECT_ROOT / "eval"
REAL_PAGES = sorted(DATA_DIR.glob("*.txt"))
LATER_PAGE = DATA_DIR / "000_57acc6c1160f1d8b.txt"
EARLIER_PAGE = DATA_DIR / "001_75dfd6b08604564d.txt"
QUOTES_JSON = EVAL_DIR / "quotes.json"
QUESTIONS_JSONL = EVAL_DIR / "dev_questions.jsonl"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that use the real embedder are marked `embedder`, so `make fast` can leave them out."""
    for item in items:
        if {"minilm", "real_app"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.embedder)


@pytest.fixture(autouse=True)
def _no_outside_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may talk to loopback servers only; anything else is a defect."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        try:
            allowed = isinstance(host, str) and (
                host in ("localhost",) or ipaddress.ip_address(host).is_loopback or host.startswith("/")
            )
        except ValueError:
            allowed = False
        if not allowed and self.family in (socket.AF_INET, socket.AF_INET6):
            raise OSError(f"test tried to reach a non-loopback address: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's EXPERT_CHAT_* variables must not leak into tests."""
    for name in list(os.environ):
        if name.startswith("EXPERT_CHAT_") and name != "EXPERT_CHAT_TEST_HOME":
            monkeypatch.delenv(name)


def make_settings(home: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "home": home,
        "data_dir": DATA_DIR,
        "embedder": "hash",
        "model": {"kind": "fake"},
        # Canned replies cannot judge meaning; tests of the meaning check turn it on with a fake judge.
        "retrieval": {"check_meaning": False},
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Fast settings: hash embedder, fake model, a fresh home on tmp_path."""
    return make_settings(tmp_path / "home")


@pytest.fixture(scope="session")
def minilm() -> Any:
    from index.storage.embed import MiniLMEmbedder

    return MiniLMEmbedder()


@pytest.fixture(scope="session")
def real_app(tmp_path_factory: pytest.TempPathFactory, minilm: Any) -> Iterator[App]:
    """The real pages indexed with the real embedder into a real Chroma on a temp dir (built once)."""
    home = tmp_path_factory.mktemp("real-home")
    app = App(make_settings(home, embedder="minilm"), embedder=minilm)
    app.build(progress=False)
    yield app


from tests.model_fixtures import model_home, real_llm  # noqa: E402, F401  (session fixtures for the real model)
