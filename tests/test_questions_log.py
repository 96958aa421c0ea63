"""The questions log on SQLite and on a real PostgreSQL server (Debian's `postgresql`, started here).

The same contract runs on both: rows keep what the instructor page needs and no personal data,
feedback arrives later, old rows go after the retention period, passed-on questions get answers,
and several writers at once do not lose rows or fail with "database is locked".
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from assistant.errors import UserError
from assistant.records import Answer, Citation, Passage
from ui.questions_log import QuestionsLog, questions, sqlite_url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.fail("PostgreSQL is not installed (apt-get install postgresql; .ci/run does it)")
    return Path(found[-1]).parent


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL server on a loopback port; as root it runs as the `postgres` user."""
    bindir = _pg_bin()
    base = Path(tempfile.mkdtemp(prefix="atx-pg-"))
    data, sock = base / "data", base / "sock"
    data.mkdir()
    sock.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(data, "postgres")
        shutil.chown(sock, "postgres")
        base.chmod(0o755)
        prefix = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    run = {"check": True, "capture_output": True, "timeout": 120}
    subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"], **run)
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c fsync=off"
    subprocess.run(
        [
            *prefix,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(base / "log"),
            "-w",
            "start",
        ],
        **run,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"], check=False)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def log(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[QuestionsLog]:
    if request.param == "sqlite":
        url = sqlite_url(tmp_path / "feedback.sqlite")
    else:
        url = request.getfixturevalue("postgres_url")
    store = QuestionsLog(url, retention_days=30)
    with store.engine.begin() as conn:  # one PostgreSQL server for the module: start each test empty
        conn.execute(questions.delete())
    try:
        yield store
    finally:
        store.close()


def answer(question: str, covered: bool = True) -> Answer:
    citations = (
        (
            Citation(
                n=1,
                kind="expert_quote",
                quote="deep learning is about scale",
                document="page.txt",
                char_start=10,
                char_end=38,
                speaker="Andrew Ng",
            ),
        )
        if covered
        else ()
    )
    return Answer(
        question=question,
        answer="Scale matters [1]." if covered else "The course material doesn't cover this.",
        covered=covered,
        citations=citations,
        retrieved=(),
        timings_ms={"total": 42.0},
        standalone_question=question,
        index_version="v1",
    )


def test_rows_keep_the_question_outcome_and_later_feedback(log: QuestionsLog) -> None:
    first = log.record(answer("What is deep learning?"), "chat")
    log.record(answer("Capital of France?", covered=False), "api")
    assert first is not None
    log.set_feedback(first, -1)
    log.set_comment(first, "too short")
    rows = log.rows()
    assert [r.question for r in rows] == ["What is deep learning?", "Capital of France?"]
    top = rows[0]
    assert top.covered and top.channel == "chat" and top.latency_ms == 42.0
    assert top.citations[0]["speaker"] == "Andrew Ng" and top.citations[0]["quote"]
    assert top.feedback == -1 and top.feedback_comment == "too short"
    assert rows[1].covered is False and rows[1].citations == []
    data = top.to_json()
    assert {"question", "asked_at", "covered", "citations", "feedback"} <= set(data)
    # No personal data: nothing like an address or a session is a column.
    columns = {c.name for c in questions.columns}
    assert not columns & {"ip", "client", "client_id", "session", "user", "email"}


def test_retention_deletes_old_rows(log: QuestionsLog) -> None:
    old = log.record(answer("old question"), "chat")
    log.record(answer("new question"), "chat")
    with log.engine.begin() as conn:
        conn.execute(
            update(questions)
            .where(questions.c.id == old)
            .values(asked_at=datetime.now(UTC) - timedelta(days=31))
        )
    log._purged_on = None
    assert log.purge_old() == 1
    assert [r.question for r in log.rows()] == ["new question"]
    since = datetime.now(UTC) - timedelta(days=1)
    assert len(log.rows(since=since)) == 1


def test_logging_off_records_nothing(tmp_path: Path) -> None:
    off = QuestionsLog(sqlite_url(tmp_path / "f.sqlite"), enabled=False)
    assert off.record(answer("q"), "chat") is None
    assert off.rows() == []


def test_passed_on_questions_and_answers(log: QuestionsLog) -> None:
    rid = log.pass_on("Is there a course on reinforcement learning?", contact=" ")
    assert [r.question for r in log.requests(answered=False)] == [
        "Is there a course on reinforcement learning?"
    ]
    assert log.requests()[-1].contact is None  # a blank contact is not stored
    with pytest.raises(UserError):
        log.answer_request(rid, "   ")
    done = log.answer_request(rid, "Not yet: see the deep learning course first.")
    assert done.answer and done.answered_at is not None
    assert all(r.id != rid for r in log.requests(answered=False))


def test_concurrent_writers(log: QuestionsLog) -> None:
    """Eight threads writing at once: every row arrives, no "database is locked"."""
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                row = log.record(answer(f"q{n}-{i}"), "api")
                assert row is not None
                log.set_feedback(row, 1)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = log.rows()
    assert len(rows) == 80 and all(r.feedback == 1 for r in rows)
    assert time.monotonic() - started < 60


def test_uncertain_declines_keep_their_closest_passage_and_confident_ones_do_not(log: QuestionsLog) -> None:
    close = Passage(
        rank=1,
        kind="article",
        text="The LSTM is tailored to learning sequence data.",
        score=0.4,
        document="page.txt",
        char_start=0,
        char_end=47,
        chunk_id="a1",
        dense_score=0.41,
    )
    uncertain = replace(answer("Which network suits time series?", covered=False), decline="uncertain")
    log.record(replace(uncertain, retrieved=(close,)), "chat")
    log.record(replace(answer("Capital of France?", covered=False), decline="confident"), "api")
    rows = log.rows()
    assert [r.decline for r in rows] == ["uncertain", "confident"]
    assert rows[0].to_json()["best_candidate"]["text"].startswith("The LSTM is tailored")
    assert rows[1].best_candidate is None


def test_a_log_from_before_the_decline_columns_gets_them(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:  # the questions table as the previous release created it
        db.execute(
            "CREATE TABLE questions (id INTEGER PRIMARY KEY, asked_at DATETIME NOT NULL,"
            " question TEXT NOT NULL, standalone_question TEXT, channel VARCHAR(16) NOT NULL,"
            " covered BOOLEAN NOT NULL, faq BOOLEAN"
            " NOT NULL, citations TEXT NOT NULL, answer TEXT, latency_ms FLOAT, index_version VARCHAR(64),"
            " feedback INTEGER, feedback_comment TEXT)"
        )
    store = QuestionsLog(sqlite_url(path))
    store.record(replace(answer("Capital of France?", covered=False), decline="confident"), "api")
    assert [r.decline for r in store.rows()] == ["confident"]
    store.close()


def test_feedback_lives_in_the_same_store(log: QuestionsLog) -> None:
    """One instructor store: the thumbs go through SQLAlchemy into the questions log's database."""
    import io

    from ui.feedback import FeedbackStore, feedback

    store = FeedbackStore(log.url)
    with store.engine.begin() as conn:
        conn.execute(feedback.delete())
    try:
        row = store.add(rating=1, question="Why deep?", answer="Layers [1].", client_id="a")
        assert store.set_comment(row, "=clear", client_id="a")
        assert not store.set_rating(row, -1, client_id="someone else")
        assert store.set_rating(row, -1, client_id="a")
        assert [(r.rating, r.comment) for r in store.rows()] == [(-1, "=clear")]
        out = io.StringIO()
        assert store.export_csv(out) == 1 and "'=clear" in out.getvalue()
        assert store.delete(row, client_id="a") and store.count() == 0
    finally:
        store.close()


def test_feedback_from_an_old_sqlite_file_is_read(tmp_path: Path) -> None:
    import sqlite3

    from ui.feedback import FeedbackStore

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:  # the table as the sqlite3 store of 2026-11 created it
        conn.execute(
            "CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, "
            "rating INTEGER NOT NULL CHECK (rating IN (-1, 1)), comment TEXT, question TEXT NOT NULL, "
            "answer TEXT NOT NULL, citations TEXT NOT NULL, model TEXT, index_version TEXT, client_id TEXT)"
        )
        conn.execute(
            "INSERT INTO feedback (created_at, rating, question, answer, citations) "
            "VALUES ('2026-11-01T10:00:00+00:00', 1, 'q', 'a', '[]')"
        )
    store = FeedbackStore(path)
    assert [r.question for r in store.rows()] == ["q"]
    store.add(rating=-1, question="q2", answer="a2")
    assert store.count() == 2
