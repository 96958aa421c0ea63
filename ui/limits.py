"""Fair use of one CPU-bound model by several students: a per-client rate limit and a waiting cap."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

WINDOW_S = 60.0


class RateLimiter:
    """At most `per_minute` requests per client key in any sliding 60-second window."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> float:
        """Records a request and returns 0, or returns the seconds to wait (request not recorded)."""
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] >= WINDOW_S:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return max(WINDOW_S - (now - hits[0]), 0.1)
            hits.append(now)
            if len(self._hits) > 10_000:  # forget idle clients so the table cannot grow without bound
                for idle in [k for k, v in self._hits.items() if not v or now - v[-1] >= WINDOW_S]:
                    del self._hits[idle]
            return 0.0


class Busy(Exception):
    """More requests are waiting than the server accepts."""


class Admission:
    """Counts requests in progress; beyond `limit` new ones are refused at once (HTTP 503)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._active = 0
        self._lock = threading.Lock()

    @property
    def active(self) -> int:
        return self._active

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._lock:
            if self._active >= self.limit:
                raise Busy(f"{self._active} questions are already waiting")
            self._active += 1
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1
