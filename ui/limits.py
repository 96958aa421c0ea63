"""Fair use of one CPU-bound model by several students: per-client rate limits in a sliding window.

The queue itself (one question in flight per student, queue length, positions) is in ui/queue.py.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_S = 60.0


class RateLimiter:
    """At most `limit` requests per client key in any sliding window of `window_s` seconds."""

    def __init__(
        self, limit: int, clock: Callable[[], float] = time.monotonic, *, window_s: float = WINDOW_S
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @property
    def per_minute(self) -> int:
        """The limit (named for the one-minute window the chat and the API use)."""
        return self.limit

    def check(self, key: str) -> float:
        """Records a request and returns 0, or returns the seconds to wait (request not recorded)."""
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and now - hits[0] >= self.window_s:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(self.window_s - (now - hits[0]), 0.1)
            hits.append(now)
            if len(self._hits) > 10_000:  # forget idle clients so the table cannot grow without bound
                for idle in [k for k, v in self._hits.items() if not v or now - v[-1] >= self.window_s]:
                    del self._hits[idle]
            return 0.0
