"""The chat's sources while the model judges them: shown at once, then replaced by the verdict's."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from assistant.records import Passage, SourcesEvent
from ui.chat import CHECKING_PASSAGES, WRITING, ChatSession, _Run


def _passage(text: str) -> Passage:
    return Passage(
        rank=1,
        kind="comment",  # type: ignore[arg-type]
        text=text,
        score=0.4,
        document="page.html",
        char_start=0,
        char_end=len(text),
        chunk_id=text,
        author="Jason Brownlee",
        is_author_reply=True,
    )


def _run(messages: list[dict[str, Any]]) -> _Run:
    handlers: Any = SimpleNamespace(ctx=SimpleNamespace(page_url=None), channel="chat")
    return _Run(handlers, "Which network suits time series?", messages, ChatSession())


def test_pending_sources_are_replaced_by_the_judged_ones_and_the_answer_slot_stays() -> None:
    messages: list[dict[str, Any]] = [{"role": "user", "content": "Which network suits time series?"}]
    run = _run(messages)
    close, other = _passage("Try an LSTM for time series."), _passage("Deep learning may apply to stocks.")
    run.on(SourcesEvent("q", "q", False, (close, other), pending=True))
    assert messages[1]["metadata"]["title"] == CHECKING_PASSAGES and messages[2]["content"] == WRITING
    run.on(SourcesEvent("q", "q", True, (close,)))
    assert len(messages) == 3
    assert messages[1]["metadata"]["title"] == "Sources found (1)" and "stocks" not in messages[1]["content"]
    assert messages[2]["content"] == WRITING


def test_sources_without_a_pending_step_are_shown_once() -> None:
    messages: list[dict[str, Any]] = []
    run = _run(messages)
    run.on(SourcesEvent("q", "q", False, (_passage("Nothing close."),)))
    titles = [m["metadata"]["title"] for m in messages if "metadata" in m]
    assert titles == ["Closest passages (no good match)"]
