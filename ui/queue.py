"""A fair queue for the one model: one question in flight per student, first come first served, a
position and an estimate while waiting, and the slot freed the moment a student leaves.

A question joins the queue when it arrives (`AnswerQueue.join`: refused with one friendly line when
the student already has a question in flight, has used up the hourly limit, or too many questions
are in flight). Its pipeline runs in a `Feed` thread. Retrieval and the sources do not wait for a
turn: the chat shows them at once, then the position in the queue (the few model requests some
questions make before their sources, a follow-up's rewrite or the relevance judge's yes/no, take
the model between two other requests). The first model request after the sources waits for the
question's turn (`assistant.models.llm.model_turn`), and the turn is kept until the answer is finished, so
its meaning check and translation are not interleaved with other answers.

Counted per process: each app process has its own in-process model and so its own queue. The hourly
limit is per process too (see docs/deploy.md).
"""

from __future__ import annotations

import math
import queue as queue_module
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from assistant.models.llm import model_turn
from assistant.records import Answer, FinalEvent, SourcesEvent, StreamEvent
from ui.limits import RateLimiter

HOUR_S = 3600.0
FIRST_ESTIMATE_S = 20.0  # a whole answer on 2 shared cores, until this process has timed its own
SMOOTHING = 0.3  # weight of the newest answer in the running mean of answer times


class Refused(Exception):
    """A question not taken: the message is the one line shown to the student."""

    status = 429
    retry_after_s = 10


class InFlight(Refused):
    """The student's previous question is still being answered."""


class Busy(Refused):
    """Too many questions in flight."""

    status = 503
    retry_after_s = 30


class Left(BaseException):
    """The student left (Stop, closed tab, dropped connection): raised in the question's next model
    request. A BaseException, so the pipeline's fallbacks for a failing model do not swallow it."""


@dataclass(frozen=True)
class QueueStatus:
    """Where a waiting question stands."""

    ahead: int  # questions being answered or waiting before this one
    estimate_s: int  # seconds until the model starts on this one (a running estimate)

    def line(self) -> str:
        """What the student reads, e.g. "2 questions ahead of yours · about 40 s"."""
        ahead = "1 question" if self.ahead == 1 else f"{self.ahead} questions"
        return f"{ahead} ahead of yours · about {self.estimate_s} s"

    def to_json(self) -> dict[str, Any]:
        return {"ahead": self.ahead, "estimate_s": self.estimate_s}


class Ticket:
    """One student's question in flight: waiting for its turn at the model, then answered."""

    def __init__(self, owner: AnswerQueue, student: str) -> None:
        self.owner = owner
        self.student = student
        self.waiting_since: float | None = None
        self.served_since: float | None = None
        self.left = False

    def take_turn(self) -> None:
        """Wait until this question may use the model (held until `leave`); raises Left if it left."""
        self.owner._take_turn(self)

    def status(self) -> QueueStatus | None:
        """The position and estimate while waiting for the model; None otherwise."""
        return self.owner._status(self)

    def leave(self) -> None:
        """Free the slot (idempotent): the next waiting question gets the model at once."""
        self.owner._leave(self)


class AnswerQueue:
    """Who is answered and who waits, for one model in one process."""

    def __init__(
        self,
        *,
        slots: int = 1,
        queue_size: int = 16,
        per_hour: int = 60,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.slots = slots
        self.queue_size = queue_size
        self.hourly = RateLimiter(per_hour, clock, window_s=HOUR_S)
        self._clock = clock
        self._cond = threading.Condition()
        self._in_flight: dict[str, Ticket] = {}
        self._waiting: deque[Ticket] = deque()
        self._served: list[Ticket] = []
        self.mean_answer_s = FIRST_ESTIMATE_S

    @property
    def per_hour(self) -> int:
        return self.hourly.limit

    def counts(self) -> dict[str, int]:
        """{"answering", "waiting", "in_flight", "slots"} now."""
        with self._cond:
            return {
                "answering": len(self._served),
                "waiting": len(self._waiting),
                "in_flight": len(self._in_flight),
                "slots": self.slots,
            }

    def join(self, student: str) -> Ticket:
        """A ticket for this student's new question, or Refused with the line to show."""
        with self._cond:
            if student in self._in_flight:
                raise InFlight("Your previous question is still being answered: wait for it, or press Stop.")
            if len(self._in_flight) >= self.slots + self.queue_size:
                raise Busy(
                    f"The assistant is busy with {len(self._in_flight)} questions, as many as it takes at "
                    "once: please ask again in a minute."
                )
            wait = self.hourly.check(student)
            if wait:
                minutes = max(1, math.ceil(wait / 60))
                refused = Refused(
                    f"You have asked {self.per_hour} questions in the last hour, the limit your instructor "
                    f"set: please ask again in about {minutes} minute{'s' if minutes > 1 else ''}."
                )
                refused.retry_after_s = int(wait) + 1
                raise refused
            ticket = Ticket(self, student)
            self._in_flight[student] = ticket
            return ticket

    def in_flight(self, student: str) -> bool:
        with self._cond:
            return student in self._in_flight

    def leave_student(self, student: str) -> None:
        """The student pressed Stop or cleared the chat: their question in flight, if any, leaves."""
        with self._cond:
            ticket = self._in_flight.get(student)
        if ticket is not None:
            ticket.leave()

    def _take_turn(self, ticket: Ticket) -> None:
        with self._cond:
            if ticket.served_since is not None:
                return  # a later model request of a question already served
            if ticket.left:
                raise Left()
            ticket.waiting_since = self._clock()
            self._waiting.append(ticket)
            self._promote()
            while ticket.served_since is None:
                if ticket.left:
                    raise Left()
                self._cond.wait()

    def _promote(self) -> None:
        while self._waiting and len(self._served) < self.slots:
            ticket = self._waiting.popleft()
            ticket.served_since = self._clock()
            self._served.append(ticket)
        self._cond.notify_all()

    def _leave(self, ticket: Ticket) -> None:
        with self._cond:
            if ticket.left:
                return
            ticket.left = True
            if self._in_flight.get(ticket.student) is ticket:
                del self._in_flight[ticket.student]
            if ticket in self._waiting:
                self._waiting.remove(ticket)
            if ticket in self._served:
                self._served.remove(ticket)
                assert ticket.served_since is not None
                took = self._clock() - ticket.served_since
                self.mean_answer_s += SMOOTHING * (took - self.mean_answer_s)
            self._promote()

    def _status(self, ticket: Ticket) -> QueueStatus | None:
        with self._cond:
            if ticket.left or ticket.served_since is not None or ticket not in self._waiting:
                return None
            before = self._waiting.index(ticket)
            now = self._clock()
            mean = max(self.mean_answer_s, 1.0)
            # The first slot to come free: the answer that started earliest, assumed to take the mean.
            started = min((t.served_since or now for t in self._served), default=now)
            first_free = max(mean - (now - started), 0.1 * mean) if self._served else 0.0
            rounds = before // self.slots
            estimate = first_free + rounds * mean
            return QueueStatus(ahead=len(self._served) + before, estimate_s=max(1, round(estimate)))


@dataclass(frozen=True)
class Waiting:
    """A feed item when nothing new came for a while: the question's queue status while it waits for
    the model, or None while it is being worked on (retrieval, the model, the checks)."""

    status: QueueStatus | None


FeedItem = StreamEvent | Waiting


class Feed:
    """A question's pipeline stream run in its own thread, its model requests waiting for the ticket's
    turn. The reader gets the stream's events and, while the question waits, its `Waiting` status;
    `close` (Stop, closed tab, dropped connection) frees the slot at once and ends the generation at its
    next token."""

    _END = object()

    def __init__(self, ticket: Ticket, open_stream: Callable[[], Iterator[StreamEvent]]) -> None:
        self.ticket = ticket
        self._open = open_stream
        self._items: queue_module.Queue[Any] = queue_module.Queue()
        self._closed = threading.Event()
        self._sources_sent = False
        self._thread = threading.Thread(target=self._run, name=f"answer-{ticket.student}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        stream: Iterator[StreamEvent] | None = None
        try:
            with model_turn(self._turn):
                stream = self._open()
                for event in stream:
                    if self._closed.is_set() or self.ticket.left:  # closed, or Stop freed the slot
                        break
                    self._sources_sent = self._sources_sent or isinstance(event, SourcesEvent)
                    self._items.put(event)
        except Left:
            pass
        except BaseException as exc:  # handed to the reader, who shows or reports it
            self._items.put(exc)
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()  # releases the model at once
            self.ticket.leave()
            self._items.put(self._END)

    def _turn(self) -> None:
        """Before a model request: after the sources, the question's turn (before, the sources
        would wait for the whole queue; only the model itself is shared then)."""
        if self._sources_sent:
            self.ticket.take_turn()
        elif self.ticket.left:
            raise Left()

    def next(self, timeout: float = 1.0) -> FeedItem | None:
        """The next event, or `Waiting` when none came within `timeout`; None at the end. Raises what
        the pipeline raised."""
        try:
            item = self._items.get(timeout=timeout)
        except queue_module.Empty:
            return Waiting(self.ticket.status())
        if item is self._END:
            self._items.put(self._END)  # later calls end too
            return None
        if isinstance(item, BaseException):
            raise item
        return item

    def __iter__(self) -> Iterator[FeedItem]:
        while (item := self.next()) is not None:
            yield item

    def close(self) -> None:
        self._closed.set()
        self.ticket.leave()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the pipeline thread to finish (tests)."""
        self._thread.join(timeout)


def final_answer(feed: Feed) -> Answer:
    """The feed's finished answer (for callers that do not stream); the slot is freed either way."""
    try:
        for item in feed:
            if isinstance(item, FinalEvent):
                return item.answer
    finally:
        feed.close()
    raise RuntimeError("the answer stream ended without an answer")
