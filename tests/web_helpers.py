"""Helpers for the web tests: a real uvicorn server on a free loopback port, and fake models.

`cited_reply` makes the fake model answer like a good model would: it repeats the first sentence
of source [1] from the prompt and cites it, so the citation checker keeps it.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from pydantic import PrivateAttr

from assistant.app import App
from assistant.testing import FakeLLM
from ui.server import create_app

_SOURCE = re.compile(r'^\[(\d+)\] (.*?): "(.+)"$', re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cited_reply(messages: list[Any]) -> str:
    """A reply that restates a source (the first expert quote, else [1]), names its speaker and cites it."""
    prompt = str(messages[-1].content)
    sources = {int(n): (head, text) for n, head, text in _SOURCE.findall(prompt)}
    if not sources:
        return "The course material does not cover this."
    experts = [n for n, (head, _) in sorted(sources.items()) if head.startswith("expert quote by ")]
    n = experts[0] if experts else min(sources)
    head, text = sources[n]
    picked = ""
    for sentence in _SENTENCE_END.split(text.replace(" … ", " ")):
        picked = f"{picked} {sentence}".strip()
        if len(picked.split()) >= 8:
            break
    picked = picked.rstrip(".!?…")
    if n in experts:
        speaker = head.removeprefix("expert quote by ").split(",")[0].split(" (")[0]
        return f"{speaker} said that {picked} [{n}]."
    return f"{picked} [{n}]."


class SlowFakeLLM(FakeLLM):
    """The fake with a real model's manners: one generation at a time (a lock), a delay per word."""

    delay_s: float = 0.02
    _gen_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _active: int = PrivateAttr(default=0)
    _max_active: int = PrivateAttr(default=0)

    @property
    def max_active(self) -> int:
        return self._max_active

    def _generate(self, messages: list[Any], **kwargs: Any) -> Any:
        words = super()._generate(messages, **kwargs)

        def slow() -> Iterator[str]:
            with self._gen_lock:
                self._active += 1
                self._max_active = max(self._max_active, self._active)
                try:
                    for word in words:
                        time.sleep(self.delay_s)
                        yield word
                finally:
                    self._active -= 1

        return slow()


class LiveServer:
    """uvicorn serving `create_app(app)` in a background thread on 127.0.0.1:<free port>."""

    def __init__(self, app: App, **create: Any) -> None:
        self.app = app
        self.port = free_port()
        self.web = create_app(app, **create)
        config = uvicorn.Config(
            self.web,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            ws="none",
            timeout_graceful_shutdown=3,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name=f"uvicorn-{self.port}", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server.started:
                return self
            if not self.thread.is_alive():
                raise RuntimeError("the test server stopped during start-up")
            time.sleep(0.05)
        raise RuntimeError("the test server did not start in time")

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=kwargs.pop("timeout", 60.0), **kwargs)


@contextlib.contextmanager
def live_server(app: App, **create: Any) -> Iterator[LiveServer]:
    """`create`: keyword arguments of `create_app` (e.g. a private `faq_path`)."""
    server = LiveServer(app, **create).start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def clean_env() -> Iterator[None]:
    """No EXPERT_CHAT_* variables while module-scoped settings are built (conftest's guard is per test)."""
    with pytest.MonkeyPatch.context() as mp:
        for name in list(os.environ):
            if name.startswith("EXPERT_CHAT_") and name != "EXPERT_CHAT_TEST_HOME":
                mp.delenv(name)
        yield


CHROMIUM = "/usr/bin/chromium"  # Debian's Chromium: never `playwright install` (it downloads)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


@contextlib.contextmanager
def chromium(*extra_flags: str) -> Iterator[Any]:
    """A headless Chromium for a test module (the artifacts folder made first)."""
    from playwright.sync_api import sync_playwright

    from assistant.settings import PROJECT_ROOT

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: apt-get install chromium (never `playwright install`)")
    (PROJECT_ROOT / "test-artifacts").mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_FLAGS, *extra_flags])
        yield browser
        browser.close()


def wait_until(check: Callable[[], Any], timeout: float = 5.0, every: float = 0.01) -> Any:
    """The first true value `check` returns within `timeout` seconds (AssertionError otherwise)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s")
