"""The questions log: every question asked (chat, embed, API) with its outcome, for the instructor page.

Stored with SQLAlchemy Core: by default in the feedback SQLite file under home, or in any database an
SQLAlchemy URL names (PostgreSQL for several server processes). No IP address, session id or other
personal data is kept: the time, the question, whether the material covered it, what was cited, the
latency and, later, the student's thumbs up/down and comment. A question asked after an LTI launch
also keeps a pseudonym (a keyed hash of the platform's user id and the course: docs/privacy.md).
Each row names its course; a log reads and purges only its own course's rows. Passed-on questions ("ask the
instructor") and the instructor's answers live in a second table.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError

from assistant.errors import UserError
from assistant.records import Answer
from index.vocabulary import CommentRole

MAX_TEXT = 2000
MAX_CONTACT = 200
metadata = MetaData()
questions = Table(
    "questions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("asked_at", DateTime(timezone=True), nullable=False, index=True),
    Column("question", Text, nullable=False),
    Column("standalone_question", Text),
    Column("channel", String(16), nullable=False),  # chat, embed or api
    Column("covered", Boolean, nullable=False),
    Column("faq", Boolean, nullable=False, default=False),
    Column("citations", Text, nullable=False),  # JSON list of citation objects
    Column("answer", Text),
    Column("latency_ms", Float),
    Column("index_version", String(64)),
    Column("feedback", Integer),  # +1 / -1 / NULL
    Column("feedback_comment", Text),
    # "confident" or "uncertain" for a declined question, "" or NULL when answered.
    Column("decline", String(16)),
    Column("best_candidate", Text),  # JSON {who, text} of the closest passage of an uncertain decline
    Column("course", String(64), index=True),  # NULL: the default course
    Column("student", String(64)),  # a pseudonym (keyed hash) from an LTI launch, never a name
)
# Columns added after the first release: added in place to an existing table (SQLite and PostgreSQL).
ADDED_COLUMNS = {
    "questions": {
        "decline": "VARCHAR(16)",
        "best_candidate": "TEXT",
        "course": "VARCHAR(64)",
        "student": "VARCHAR(64)",
    },
    "instructor_requests": {"course": "VARCHAR(64)"},
}
requests = Table(
    "instructor_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("asked_at", DateTime(timezone=True), nullable=False),
    Column("question", Text, nullable=False),
    Column("contact", String(MAX_CONTACT)),  # only what the student chose to type
    Column("answer", Text),
    Column("answered_at", DateTime(timezone=True)),
    Column("course", String(64), index=True),
)


@dataclass(frozen=True)
class LoggedQuestion:
    id: int
    asked_at: datetime
    question: str
    standalone_question: str | None
    channel: str
    covered: bool
    faq: bool
    citations: list[dict[str, Any]]
    answer: str | None
    latency_ms: float | None
    index_version: str | None
    feedback: int | None
    feedback_comment: str | None
    decline: str | None = None
    best_candidate: str | None = None
    course: str | None = None
    student: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question,
            "standalone_question": self.standalone_question,
            "asked_at": self.asked_at.isoformat(timespec="seconds"),
            "channel": self.channel,
            "covered": self.covered,
            "faq": self.faq,
            "citations": self.citations,
            "answer": self.answer,
            "latency_ms": self.latency_ms,
            "index_version": self.index_version,
            "feedback": self.feedback,
            "feedback_comment": self.feedback_comment,
            "decline": self.decline or "",
            "best_candidate": json.loads(self.best_candidate) if self.best_candidate else None,
        }


@dataclass(frozen=True)
class InstructorRequest:
    id: int
    asked_at: datetime
    question: str
    contact: str | None
    answer: str | None
    answered_at: datetime | None
    course: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question,
            "asked_at": self.asked_at.isoformat(timespec="seconds"),
            "contact": self.contact,
            "answer": self.answer,
            "answered_at": self.answered_at.isoformat(timespec="seconds") if self.answered_at else None,
        }


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _clip(text: str | None, limit: int) -> str | None:
    text = (text or "").strip()[:limit]
    return text or None


class QuestionsLog:
    """One course's log on one SQLAlchemy engine; thread-safe. `enabled=False` records nothing.

    `course`: rows are written with it and only its rows are read (None = the default course), so
    courses sharing one database (`ui.database_url`) never see each other's questions.
    """

    def __init__(
        self, url: str, *, retention_days: int = 180, enabled: bool = True, course: str | None = None
    ) -> None:
        self.url = url
        self.course = course
        self.enabled = enabled
        self.retention_days = retention_days
        self.engine = open_engine(url)
        self._purged_on: str | None = None
        self._lock = threading.Lock()
        create_tables(self.engine)

    @classmethod
    def from_settings(cls, settings: Any) -> QuestionsLog:
        ui = settings.ui
        url = ui.database_url or sqlite_url(settings.feedback_db)
        course = getattr(settings, "course", None)
        return cls(url, retention_days=ui.log_retention_days, enabled=ui.log_questions, course=course)

    def _mine(self, table: Table) -> Any:
        """The SQL condition 'this row belongs to this log's course'."""
        column = table.c.course
        return column.is_(None) if self.course is None else column == self.course

    def record(self, answer: Answer, channel: str, student: str | None = None) -> int | None:
        """Log one finished answer; returns its row id (None when logging is off).

        `student`: the pseudonym of an LTI launch (ui/lti/pseudonym.py), never a name or address.
        """
        if not self.enabled:
            return None
        self.purge_old()
        row = {
            "asked_at": datetime.now(UTC),
            "question": answer.question[:MAX_TEXT],
            "standalone_question": (answer.standalone_question or "")[:MAX_TEXT] or None,
            "channel": channel,
            "covered": answer.covered,
            "faq": answer.faq,
            "citations": json.dumps([c.to_json() for c in answer.citations], ensure_ascii=False),
            "answer": answer.answer,
            "latency_ms": answer.timings_ms.get("total"),
            "index_version": answer.index_version,
            "decline": answer.decline or None,
            "best_candidate": _best_candidate(answer) if answer.decline == "uncertain" else None,
            "course": self.course,
            "student": student,
        }
        with self.engine.begin() as conn:
            result = conn.execute(insert(questions).values(**row))
            key = result.inserted_primary_key
        return int(key[0]) if key else None

    def set_feedback(self, row_id: int, rating: int | None) -> None:
        """The student's later thumbs up (+1), down (-1) or withdrawal (None)."""
        with self.engine.begin() as conn:
            conn.execute(
                update(questions)
                .where(questions.c.id == row_id, self._mine(questions))
                .values(feedback=rating)
            )

    def set_comment(self, row_id: int, comment: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(questions)
                .where(questions.c.id == row_id, self._mine(questions))
                .values(feedback_comment=_clip(comment, MAX_TEXT))
            )

    def rows(self, since: datetime | None = None, until: datetime | None = None) -> list[LoggedQuestion]:
        query = select(questions).where(self._mine(questions)).order_by(questions.c.asked_at, questions.c.id)
        if since is not None:
            query = query.where(questions.c.asked_at >= since)
        if until is not None:
            query = query.where(questions.c.asked_at < until)
        with self.engine.connect() as conn:
            found = conn.execute(query).mappings().all()
        return [
            LoggedQuestion(
                **{
                    **dict(r),
                    "asked_at": _utc(r["asked_at"]),
                    "citations": json.loads(r["citations"] or "[]"),
                }
            )
            for r in found
        ]

    def purge_old(self) -> int:
        """Delete rows past the retention period (at most once a day per process)."""
        today = datetime.now(UTC).date().isoformat()
        with self._lock:
            if self._purged_on == today:
                return 0
            self._purged_on = today
        cutoff = datetime.now(UTC) - timedelta(days=self.retention_days)
        with self.engine.begin() as conn:
            old = questions.c.asked_at < cutoff
            gone = conn.execute(delete(questions).where(old, self._mine(questions))).rowcount
            conn.execute(delete(requests).where(requests.c.asked_at < cutoff, self._mine(requests)))
        return int(gone or 0)

    # -- ask the instructor ---------------------------------------------------
    def pass_on(self, question: str, contact: str | None = None) -> int:
        """A student passes a not-covered question to the instructor (contact only if typed)."""
        question = _clip(question, MAX_TEXT) or ""
        if not question:
            raise UserError("the question is empty")
        with self.engine.begin() as conn:
            result = conn.execute(
                insert(requests).values(
                    asked_at=datetime.now(UTC),
                    question=question,
                    contact=_clip(contact, MAX_CONTACT),
                    course=self.course,
                )
            )
            return int(result.inserted_primary_key[0])  # type: ignore[index]

    def answer_request(self, request_id: int, text: str) -> InstructorRequest:
        text = _clip(text, MAX_TEXT) or ""
        if not text:
            raise UserError("the answer is empty")
        with self.engine.begin() as conn:
            done = conn.execute(
                update(requests)
                .where(requests.c.id == request_id, self._mine(requests))
                .values(answer=text, answered_at=datetime.now(UTC))
            ).rowcount
        if not done:
            raise UserError(f"no passed-on question {request_id}")
        return next(r for r in self.requests() if r.id == request_id)

    def requests(self, *, answered: bool | None = None) -> list[InstructorRequest]:
        query = select(requests).where(self._mine(requests)).order_by(requests.c.asked_at, requests.c.id)
        if answered is True:
            query = query.where(requests.c.answer.is_not(None))
        elif answered is False:
            query = query.where(requests.c.answer.is_(None))
        with self.engine.connect() as conn:
            found = conn.execute(query).mappings().all()
        return [
            InstructorRequest(
                id=r["id"],
                asked_at=_utc(r["asked_at"]),
                question=r["question"],
                contact=r["contact"],
                answer=r["answer"],
                answered_at=_utc(r["answered_at"]) if r["answered_at"] else None,
                course=r["course"],
            )
            for r in found
        ]

    def most_asked_texts(self, limit: int = 200) -> Sequence[str]:
        """The standalone questions of recent covered rows, newest first (input to the FAQ)."""
        query = (
            select(questions.c.standalone_question, questions.c.question)
            .where(questions.c.covered.is_(True), self._mine(questions))
            .order_by(questions.c.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [r[0] or r[1] for r in conn.execute(query)]

    def close(self) -> None:
        self.engine.dispose()


def _best_candidate(answer: Answer) -> str | None:
    """The closest passage of a question declined in the uncertain band: for the instructor to judge."""
    for passage in answer.retrieved:
        if passage.role != CommentRole.QUESTION:
            who = passage.who or passage.labels.card
            return json.dumps({"who": who, "label": passage.labels.card, "text": passage.text[:400]})
    return None


def _add_new_columns(engine: Engine) -> None:
    for table, added in ADDED_COLUMNS.items():
        present = {c["name"] for c in inspect(engine).get_columns(table)}
        with engine.begin() as conn:
            for name, kind in added.items():
                if name not in present:
                    conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {kind}"))


def create_tables(engine: Engine, attempts: int = 5) -> None:
    """Create the tables if missing; another process creating them at the same moment is fine."""
    for attempt in range(attempts):
        try:
            metadata.create_all(engine)
            _add_new_columns(engine)
            return
        except DBAPIError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def open_engine(url: str) -> Engine:
    """An engine on the instructor store: any SQLAlchemy URL; SQLite waits for writers and uses WAL."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 15.0, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA busy_timeout = 15000")
        # WAL is a property of the file: set it once, not on every connection.
        if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    return engine
