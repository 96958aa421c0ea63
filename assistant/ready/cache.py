"""Ready answers consulted before the model: the `AnswerShortcut` seam and the in-memory answer cache.

Near-identical questions on the same index version are answered instantly; the course FAQ (ui layer)
plugs in through the same seam.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol

from assistant.records import Answer
from index.storage.embed import cosine


class AnswerShortcut(Protocol):
    """Something that may already hold the answer to a question (checked before any model call)."""

    def lookup(
        self, question: str, embedding: Sequence[float], index_version: str, page: str | None = None
    ) -> Answer | None:
        """A finished answer for this question on this index version (asked on `page`), or None."""
        ...


class AnswerCache:
    """In-memory LRU keyed by question embedding and page; cleared whenever the index version changes."""

    def __init__(self, similarity: float, max_entries: int = 256) -> None:
        self._similarity = similarity
        self._max = max_entries
        self._version: str | None = None
        self._entries: OrderedDict[tuple[str | None, str], tuple[list[float], Answer]] = OrderedDict()
        self._lock = threading.Lock()

    def _check_version(self, version: str) -> None:
        if version != self._version:
            self._entries.clear()
            self._version = version

    def get(
        self, version: str, question: str, embedding: Sequence[float], page: str | None = None
    ) -> Answer | None:
        with self._lock:
            self._check_version(version)
            key = (page, question.strip().lower())
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key][1]
            best: tuple[float, tuple[str | None, str]] | None = None
            for other, (vector, _) in self._entries.items():
                if other[0] != page:
                    continue
                score = cosine(embedding, vector)
                if score >= self._similarity and (best is None or score > best[0]):
                    best = (score, other)
            if best is None:
                return None
            self._entries.move_to_end(best[1])
            return self._entries[best[1]][1]

    def lookup(
        self, question: str, embedding: Sequence[float], index_version: str, page: str | None = None
    ) -> Answer | None:
        return self.get(index_version, question, embedding, page)

    def put(
        self,
        version: str,
        question: str,
        embedding: Sequence[float],
        answer: Answer,
        page: str | None = None,
    ) -> None:
        with self._lock:
            self._check_version(version)
            self._entries[(page, question.strip().lower())] = (list(embedding), answer)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
