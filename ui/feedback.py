"""Thumbs up/down feedback on answers, in the instructor store beside the questions log.

One row per rating: when, +1/-1, an optional comment, the question, the answer shown, its citations
(JSON), which model and index version produced it, and an opaque client id. The table lives in the
same database as the questions log (`ui.database_url`, by default the SQLite file under the home dir),
through the same SQLAlchemy engine setup, so an instructor's data is in one store (PostgreSQL works too).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import CheckConstraint, Column, Integer, Table, Text, delete, func, insert, select, update

from assistant.errors import UserError
from ui.questions_log import create_tables, metadata, open_engine, sqlite_url

MAX_COMMENT_CHARS = 2000
feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", Text, nullable=False),
    Column("rating", Integer, CheckConstraint("rating IN (-1, 1)"), nullable=False),
    Column("comment", Text),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("citations", Text, nullable=False),  # JSON list of citation objects
    Column("model", Text),
    Column("index_version", Text),
    Column("client_id", Text),
)
COLUMNS = tuple(c.name for c in feedback.columns)


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
    """The feedback table on one SQLAlchemy engine; safe to share between threads and processes."""

    def __init__(self, where: Path | str) -> None:
        """`where`: a SQLAlchemy URL, or the path of a SQLite file."""
        self.url = where if isinstance(where, str) and "://" in where else sqlite_url(Path(where))
        self.engine = open_engine(self.url)
        create_tables(self.engine)

    @classmethod
    def from_settings(cls, settings: Any) -> FeedbackStore:
        """The store the questions log of these settings uses."""
        return cls(settings.ui.database_url or sqlite_url(settings.feedback_db))

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
        _check_rating(rating)
        row = {
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "rating": rating,
            "comment": _clean_comment(comment),
            "question": question,
            "answer": answer,
            "citations": json.dumps(list(citations), ensure_ascii=False),
            "model": model,
            "index_version": index_version,
            "client_id": client_id,
        }
        with self.engine.begin() as conn:
            key = conn.execute(insert(feedback).values(**row)).inserted_primary_key
        return int(key[0]) if key else 0

    def _change(self, statement: Any, row_id: int, client_id: str | None) -> bool:
        """Run an update or delete of one row, only if the same client made it."""
        mine = (feedback.c.id == row_id) & feedback.c.client_id.is_not_distinct_from(client_id)
        with self.engine.begin() as conn:
            return conn.execute(statement.where(mine)).rowcount == 1

    def set_comment(self, row_id: int, comment: str, *, client_id: str | None = None) -> bool:
        """Attach a comment to an earlier rating (only the client that rated may do so)."""
        return self._change(update(feedback).values(comment=_clean_comment(comment)), row_id, client_id)

    def set_rating(self, row_id: int, rating: int, *, client_id: str | None = None) -> bool:
        """Change an earlier rating (a student switching from thumbs up to down)."""
        _check_rating(rating)
        return self._change(update(feedback).values(rating=rating), row_id, client_id)

    def delete(self, row_id: int, *, client_id: str | None = None) -> bool:
        """Withdraw a rating (the student clicked the same thumb again)."""
        return self._change(delete(feedback), row_id, client_id)

    def rows(self) -> list[FeedbackRow]:
        with self.engine.connect() as conn:
            found = conn.execute(select(feedback).order_by(feedback.c.id)).mappings().all()
        return [FeedbackRow(**{**r, "citations": json.loads(r["citations"] or "[]")}) for r in found]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(feedback)).scalar_one())

    def export_csv(self, fileobj: IO[str]) -> int:
        """Write every row as CSV with a header line; returns the number of rows written.

        Text typed by students that a spreadsheet would run as a formula (=, +, -, @ first) gets a
        leading apostrophe, the usual guard against CSV injection.
        """
        writer = csv.writer(fileobj)
        writer.writerow(COLUMNS)
        count = 0
        with self.engine.connect() as conn:
            for row in conn.execute(select(feedback).order_by(feedback.c.id)):
                writer.writerow([_cell(value) for value in row])
                count += 1
        return count

    def close(self) -> None:
        self.engine.dispose()


def _check_rating(rating: int) -> None:
    if rating not in (1, -1):
        raise UserError("a rating is +1 (thumbs up) or -1 (thumbs down)")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _clean_comment(comment: str | None) -> str | None:
    if comment is None:
        return None
    comment = comment.strip()[:MAX_COMMENT_CHARS]
    return comment or None
