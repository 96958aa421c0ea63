"""The answer queue (ui/queue.py): fairness, positions and estimates, limits, and leaving frees the slot.

A hand-moved clock for the estimates; the fake model of assistant.testing for the feed, whose
model requests wait for their turn like the real model's.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from llama_index.core.llms import ChatMessage, MessageRole

from assistant.records import SourcesEvent, StreamEvent, TokenEvent
from assistant.testing import FakeLLM
from tests.web_helpers import wait_until
from ui.queue import AnswerQueue, Busy, Feed, InFlight, Left, QueueStatus, Refused, Ticket, Waiting


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def in_thread(ticket: Ticket) -> tuple[threading.Thread, list[BaseException]]:
    """`ticket.take_turn()` in a thread; what it raised is collected."""
    raised: list[BaseException] = []

    def take() -> None:
        try:
            ticket.take_turn()
        except BaseException as exc:
            raised.append(exc)

    thread = threading.Thread(target=take, daemon=True)
    thread.start()
    return thread, raised


def test_first_come_first_served_with_positions_and_estimates_that_update() -> None:
    clock = Clock()
    queue = AnswerQueue(slots=1, queue_size=5, per_hour=100, clock=clock)
    a, b, c = queue.join("a"), queue.join("b"), queue.join("c")
    a.take_turn()  # the model is free: at once
    assert a.status() is None
    tb, _ = in_thread(b)
    wait_until(lambda: b.status() is not None)
    tc_thread, _ = in_thread(c)
    wait_until(lambda: c.status() is not None)
    assert b.status() == QueueStatus(ahead=1, estimate_s=20)  # the first estimate: 20 s an answer
    assert c.status() == QueueStatus(ahead=2, estimate_s=40)
    assert c.status().line() == "2 questions ahead of yours · about 40 s"  # type: ignore[union-attr]
    clock.now += 5
    assert b.status() == QueueStatus(ahead=1, estimate_s=15)  # the estimate counts down
    assert queue.counts() == {"answering": 1, "waiting": 2, "in_flight": 3, "slots": 1}

    a.leave()  # took 5 s: the running mean moves towards it
    tb.join(5)
    assert not tb.is_alive() and b.status() is None
    assert queue.mean_answer_s == pytest.approx(20 + 0.3 * (5 - 20))
    assert c.status() == QueueStatus(ahead=1, estimate_s=16)
    b.leave()
    tc_thread.join(5)
    assert not tc_thread.is_alive()
    c.leave()
    assert queue.counts() == {"answering": 0, "waiting": 0, "in_flight": 0, "slots": 1}


def test_one_question_in_flight_per_student() -> None:
    queue = AnswerQueue()
    first = queue.join("s")
    with pytest.raises(InFlight):
        queue.join("s")
    assert queue.join("t")  # another student is not held up
    queue.leave_student("s")  # Stop: the student's question leaves at once
    assert not first.status() and queue.join("s")


def test_queue_length_and_hourly_limit_refuse_with_one_line() -> None:
    clock = Clock()
    queue = AnswerQueue(slots=1, queue_size=1, per_hour=2, clock=clock)
    one, two = queue.join("a"), queue.join("b")
    with pytest.raises(Busy) as busy:
        queue.join("c")
    assert busy.value.status == 503 and "\n" not in str(busy.value)
    one.leave()
    two.leave()
    queue.join("a").leave()  # "a" has now asked twice this hour
    with pytest.raises(Refused) as limited:
        queue.join("a")
    assert limited.value.status == 429 and "2 questions in the last hour" in str(limited.value)
    assert "about 60 minutes" in str(limited.value) and limited.value.retry_after_s > 3000
    clock.now += 3601
    assert queue.join("a")


def test_leaving_while_waiting_frees_the_place_at_once() -> None:
    queue = AnswerQueue(slots=1)
    a, b, c = queue.join("a"), queue.join("b"), queue.join("c")
    a.take_turn()
    tb, raised = in_thread(b)
    wait_until(lambda: b.status() is not None)
    tc, _ = in_thread(c)
    wait_until(lambda: c.status() is not None and c.status().ahead == 2)  # type: ignore[union-attr]
    b.leave()  # closed tab while waiting
    tb.join(5)
    assert not tb.is_alive() and isinstance(raised[0], Left)
    assert c.status().ahead == 1  # type: ignore[union-attr]
    a.leave()
    tc.join(5)
    assert not tc.is_alive() and c.status() is None


def _stream(llm: FakeLLM, words: int = 40) -> Callable[[], Iterator[StreamEvent]]:
    """A pipeline-like stream: sources at once, then the model writes."""

    def stream() -> Iterator[StreamEvent]:
        yield SourcesEvent("q", "q", True, ())
        messages = [ChatMessage(role=MessageRole.USER, content="hello")]
        for chunk in llm.stream_chat(messages, max_tokens=words):
            time.sleep(0.02)
            yield TokenEvent(chunk.delta or "")

    return stream


def next_of(feed: Feed, kind: type, timeout: float = 5.0) -> Any:
    """The feed's next item of this kind (other items skipped)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        item = feed.next(0.2)
        if isinstance(item, kind):
            return item
    raise AssertionError(f"no {kind.__name__} came")


def test_feed_shows_sources_at_once_then_the_place_and_closing_frees_the_model() -> None:
    llm = FakeLLM(lambda m: "word " * 200)
    queue = AnswerQueue(slots=1)
    first = Feed(queue.join("a"), _stream(llm))
    assert isinstance(first.next(5), SourcesEvent)
    next_of(first, TokenEvent)  # the first student is answered
    second = Feed(queue.join("b"), _stream(llm))
    assert isinstance(second.next(5), SourcesEvent)  # sources at once, although the model is busy
    waiting = second.next(0.3)
    assert isinstance(waiting, Waiting) and waiting.status == QueueStatus(ahead=1, estimate_s=20)
    assert len(llm.calls) == 1  # the second question's model request waits for its turn
    first.close()  # Stop / closed tab
    assert queue.counts()["answering"] == 1 and not queue.in_flight("a")  # the slot went at once
    first.join(5)
    next_of(second, TokenEvent)  # the second student's answer starts at once
    assert len(llm.calls) == 2
    second.close()
    second.join(5)
    assert queue.counts()["in_flight"] == 0


def test_feed_hands_over_the_pipeline_error() -> None:
    def broken() -> Iterator[StreamEvent]:
        raise RuntimeError("boom")
        yield  # pragma: no cover

    feed = Feed(AnswerQueue().join("a"), broken)
    with pytest.raises(RuntimeError, match="boom"):
        feed.next(5)
    feed.join(5)
    assert feed.next(0.1) is None and not feed.ticket.owner.in_flight("a")


def test_a_model_request_before_the_sources_does_not_wait_for_the_queue() -> None:
    """A follow-up's rewrite or the relevance judge runs before the sources: the student sees the
    sources without waiting for every answer ahead; the answer itself then waits for its turn."""
    llm = FakeLLM(lambda m: "yes")
    queue = AnswerQueue(slots=1)
    busy = queue.join("a")
    busy.take_turn()  # another student's answer holds the model's turn

    def judged_then_answered() -> Iterator[StreamEvent]:
        llm.chat([ChatMessage(role=MessageRole.USER, content="does it answer?")])  # before the sources
        yield SourcesEvent("q", "q", True, ())
        for chunk in llm.stream_chat([ChatMessage(role=MessageRole.USER, content="answer")]):
            yield TokenEvent(chunk.delta or "")

    feed = Feed(queue.join("b"), judged_then_answered)
    assert isinstance(feed.next(5), SourcesEvent) and len(llm.calls) == 1
    status = wait_until(feed.ticket.status)  # the answer waits for its turn
    assert status.ahead == 1 and len(llm.calls) == 1
    busy.leave()
    next_of(feed, TokenEvent)
    feed.close()
    feed.join(5)


def test_the_model_lock_is_granted_in_turn() -> None:
    """A caller that releases the model and asks again at once does not jump the one already waiting
    (threading.Lock would usually hand it straight back: a judge call could wait behind a whole answer)."""
    from assistant.models.llama_cpp import FairLock

    lock = FairLock()
    order: list[str] = []
    lock.acquire()

    def waiter() -> None:
        with lock:
            order.append("waiter")

    thread = threading.Thread(target=waiter, daemon=True)
    thread.start()
    wait_until(lambda: lock._waiting)  # the waiter is queued
    lock.release()
    with lock:  # asks again at once
        order.append("again")
    thread.join(5)
    assert order == ["waiter", "again"] and not lock.locked()
    with pytest.raises(RuntimeError):
        lock.release()
