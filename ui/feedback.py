"""Thumbs up/down feedback on answers, kept in SQLite under the home dir for instructors to review.

One row per rating: when, +1/-1, an optional comment, the question, the answer shown, its citations
(JSON), which model and index version produced it, and an opaque client id. The table is created on
first use; WAL mode lets the web server write while `expert-chat feedback export` reads.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from assistant.errors import UserError

MAX_COMMENT_CHARS = 2000
COLUMNS = (
    "id",
    "created_at",
    "rating",
    "comment",
    "question",
    "answer",
    "citations",
    "model",
    "index_version",
    "client_id",
)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    comment TEXT,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    model TEXT,
    index_version TEXT,
    client_id TEXT
)
"""


@dataclass(frozen=True)
class FeedbackRow:
    id: int
    created_at: str
    rating: int
    comment: str | None
    question: str
    answer: str
    citations: list[dict[str, Any]]
    model: str | None
    index_version: str | None
    client_id: str | None


class FeedbackStore:
    """SQLite feedback table; safe to share between threads (one short connection per call)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._ready = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=15.0)  # the busy timeout: writers wait, not fail
            try:
                if not self._ready:
                    # WAL belongs to the file: switching needs a moment alone with it, so only once.
                    if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                        conn.execute("PRAGMA journal_mode=WAL")
                    conn.execute(_SCHEMA)
                    conn.commit()
                    self._ready = True
                yield conn
                conn.commit()
            finally:
                conn.close()

    def add(
        self,
        *,
        rating: int,
        question: str,
        answer: str,
        citations: Sequence[dict[str, Any]] = (),
        comment: str | None = None,
        model: str | None = None,
        index_version: str | None = None,
        client_id: str | None = None,
    ) -> int:
        """Store one rating (+1 or -1); returns the row id."""
        if rating not in (1, -1):
            raise UserError("a rating is +1 (thumbs up) or -1 (thumbs down)")
        created = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO feedback (created_at, rating, comment, question, answer, citations, model,"
                " index_version, client_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    created,
                    rating,
                    _clean_comment(comment),
                    question,
                    answer,
                    json.dumps(list(citations), ensure_ascii=False),
                    model,
                    index_version,
                    client_id,
                ),
            )
            return int(cursor.lastrowid or 0)

    def set_comment(self, row_id: int, comment: str, *, client_id: str | None = None) -> bool:
        """Attach a comment to an earlier rating (only the client that rated may do so)."""
        with self._connect() as conn:
            cursor = conn.execute(
                "UPDATE feedback SET comment = ? WHERE id = ? AND client_id IS ?",
                (_clean_comment(comment), row_id, client_id),
            )
            return cursor.rowcount == 1

    def set_rating(self, row_id: int, rating: int, *, client_id: str | None = None) -> bool:
        """Change an earlier rating (a student switching from thumbs up to down)."""
        if rating not in (1, -1):
            raise UserError("a rating is +1 (thumbs up) or -1 (thumbs down)")
        with self._connect() as conn:
            cursor = conn.execute(
                "UPDATE feedback SET rating = ? WHERE id = ? AND client_id IS ?", (rating, row_id, client_id)
            )
            return cursor.rowcount == 1

    def delete(self, row_id: int, *, client_id: str | None = None) -> bool:
        """Withdraw a rating (the student clicked the same thumb again)."""
        with self._connect() as conn:
            cursor = conn.execute("DELETE FROM feedback WHERE id = ? AND client_id IS ?", (row_id, client_id))
            return cursor.rowcount == 1

    def rows(self) -> list[FeedbackRow]:
        with self._connect() as conn:
            found = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id").fetchall()
        return [
            FeedbackRow(
                id=r[0],
                created_at=r[1],
                rating=r[2],
                comment=r[3],
                question=r[4],
                answer=r[5],
                citations=json.loads(r[6] or "[]"),
                model=r[7],
                index_version=r[8],
                client_id=r[9],
            )
            for r in found
        ]

    def count(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])

    def export_csv(self, fileobj: IO[str]) -> int:
        """Write every row as CSV with a header line; returns the number of rows written.

        Text typed by students that a spreadsheet would run as a formula (=, +, -, @ first) gets a
        leading apostrophe, the usual guard against CSV injection.
        """
        writer = csv.writer(fileobj)
        writer.writerow(COLUMNS)
        with self._connect() as conn:
            count = 0
            for row in conn.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id"):
                writer.writerow([_cell(value) for value in row])
                count += 1
        return count


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _clean_comment(comment: str | None) -> str | None:
    if comment is None:
        return None
    comment = comment.strip()[:MAX_COMMENT_CHARS]
    return comment or None
