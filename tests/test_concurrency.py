"""Several students at once against a real uvicorn server on loopback.

Fast version: a fake model that, like the real one, generates one answer at a time (a lock) and
takes a while per word. The `model` version runs the bundled model itself.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.app import App
from tests.conftest import make_settings
from tests.model_fixtures import model_home, real_llm  # noqa: F401  (session fixtures)
from tests.web_helpers import LiveServer, SlowFakeLLM, cited_reply, clean_env, live_server

CLIENTS = 8
QUESTIONS = [
    "What did Andrew Ng say about deep learning?",
    "What did Geoffrey Hinton say about deep learning?",
    "What did Yann LeCun say about deep learning?",
    "What did Yoshua Bengio say about deep learning?",
    "What did Jeff Dean say about deep neural networks?",
    "What did Andrew Ng say about supervised learning?",
    "What did Jurgen Schmidhuber say about deep learning?",
    "What did Peter Norvig say about deep learning?",
]
NO_CACHE = {"cache_similarity": 2.0}  # every client's question really goes through the pipeline


@pytest.fixture(scope="module")
def index_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("concurrency-home")
    with clean_env():
        App(make_settings(home)).build(progress=False)
    return home


def slow_app(home: Path, delay_s: float = 0.02, **overrides: Any) -> tuple[App, SlowFakeLLM]:
    with clean_env():
        settings = make_settings(home, retrieval=NO_CACHE, **overrides)
    llm = SlowFakeLLM(cited_reply, delay_s=delay_s)
    return App(settings, llm=llm), llm


def all_at_once(count: int, call: Callable[[int], Any]) -> list[Any]:
    """Runs `call(i)` for i in range(count) in threads released together; returns results in order."""
    barrier = threading.Barrier(count)

    def run(i: int) -> Any:
        barrier.wait(timeout=30)
        return call(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count), timeout=300))


@pytest.fixture(scope="module")
def slow_server(index_home: Path) -> Iterator[tuple[LiveServer, SlowFakeLLM]]:
    app, llm = slow_app(index_home)
    with live_server(app) as live:
        yield live, llm


def test_eight_api_clients_at_once(slow_server: tuple[LiveServer, SlowFakeLLM]) -> None:
    server, llm = slow_server
    calls_before = len(llm.calls)

    def ask(i: int) -> httpx.Response:
        with server.client(timeout=120) as client:
            return client.post("/api/ask", json={"question": QUESTIONS[i], "student": f"s{i}"})

    responses = all_at_once(CLIENTS, ask)
    assert [r.status_code for r in responses] == [200] * CLIENTS, [r.text for r in responses]
    for question, response in zip(QUESTIONS, responses, strict=True):
        data = response.json()
        assert data["question"] == question  # every client got its own answer
        assert data["answer"]
    assert len(llm.calls) > calls_before  # covered questions reached the model...
    assert llm.max_active == 1  # ...one generation at a time
    assert server.web.state.queue.counts()["in_flight"] == 0


def test_one_question_in_flight_per_student(index_home: Path) -> None:
    # A slower model than the shared fixture's, so the three questions overlap even on loaded cores.
    app, _ = slow_app(index_home, delay_s=0.2)
    with live_server(app) as server:

        def ask(i: int) -> httpx.Response:
            with server.client(timeout=120) as client:
                return client.post("/api/ask", json={"question": QUESTIONS[i], "student": "same"})

        codes = sorted(r.status_code for r in all_at_once(3, ask))
    assert codes.count(200) >= 1 and codes.count(429) >= 1 and set(codes) <= {200, 429}, codes


def test_eight_gradio_clients_at_once(slow_server: tuple[LiveServer, SlowFakeLLM]) -> None:
    from gradio_client import Client

    server, llm = slow_server

    def ask(i: int) -> dict[str, Any]:
        client = Client(server.url + "/", verbose=False)
        try:
            result: dict[str, Any] = client.predict(QUESTIONS[i], [], api_name="/ask")
            return result
        finally:
            client.close()

    results = all_at_once(CLIENTS, ask)
    assert [r["question"] for r in results] == QUESTIONS
    assert all(r["answer"] for r in results)
    assert llm.max_active == 1


def test_busy_beyond_the_queue_size_gets_503(index_home: Path) -> None:
    app, _ = slow_app(index_home, delay_s=0.1, ui={"queue_size": 1})
    with live_server(app) as server:

        def ask(i: int) -> httpx.Response:
            with server.client(timeout=120) as client:
                return client.post("/api/ask", json={"question": QUESTIONS[0], "student": f"s{i}"})

        responses = all_at_once(6, ask)
        with server.client() as client:
            after = client.post("/api/ask", json={"question": QUESTIONS[1]})
    codes = sorted(r.status_code for r in responses)
    assert codes.count(200) >= 2 and codes.count(503) >= 1, codes
    assert set(codes) <= {200, 503}
    busy = next(r for r in responses if r.status_code == 503)
    assert "busy" in busy.json()["error"] and busy.headers["retry-after"]
    assert after.status_code == 200  # the server recovers once the queue drains


@pytest.mark.model
def test_eight_clients_with_the_real_model(real_app: App, real_llm: Any) -> None:  # noqa: F811
    with clean_env():
        settings = make_settings(
            real_app.settings.home,
            embedder="minilm",
            retrieval=NO_CACHE,
            model={"kind": "fake", "max_answer_tokens": 60},
        )
    app = App(settings, embedder=real_app.embedder, llm=real_llm)
    with live_server(app) as server:

        def ask(i: int) -> httpx.Response:
            with server.client(timeout=600) as client:
                return client.post("/api/ask", json={"question": QUESTIONS[i], "student": f"s{i}"})

        responses = all_at_once(CLIENTS, ask)
    assert [r.status_code for r in responses] == [200] * CLIENTS, [r.text for r in responses]
    for question, response in zip(QUESTIONS, responses, strict=True):
        data = response.json()
        assert data["question"] == question and data["answer"]
        for c in data["citations"]:
            assert real_app.assistant.page_text(c["document"])[c["char_start"] : c["char_end"]] == c["quote"]


def test_feedback_and_questions_log_share_one_sqlite_file_under_load(tmp_path: Path) -> None:
    """Eight writers rating answers and logging questions in one file, each with its own store objects
    (like several server threads and an `expert-chat` command): no "database is locked", no lost row."""
    from assistant.records import Answer
    from ui.feedback import FeedbackStore
    from ui.questions_log import QuestionsLog, sqlite_url

    db = tmp_path / "feedback.sqlite"
    answer = Answer(question="q", answer="a", covered=False, citations=(), retrieved=(), timings_ms={})

    def write(i: int) -> int:
        feedback, log = FeedbackStore(db), QuestionsLog(sqlite_url(db))
        for n in range(15):
            row = feedback.add(rating=1, question=f"q{i}-{n}", answer="a", client_id=f"c{i}")
            feedback.set_comment(row, "ok", client_id=f"c{i}")
            logged = log.record(answer, "api")
            assert logged is not None
            log.set_feedback(logged, -1)
        log.close()
        return i

    assert all_at_once(CLIENTS, write) == list(range(CLIENTS))
    assert FeedbackStore(db).count() == CLIENTS * 15
    rows = QuestionsLog(sqlite_url(db)).rows()
    assert len(rows) == CLIENTS * 15 and {r.feedback for r in rows} == {-1}


def _events(response: httpx.Response) -> Iterator[dict[str, Any]]:
    for line in response.iter_lines():
        if line.strip():
            yield json.loads(line)


def test_stream_shows_the_place_in_the_queue_and_a_dropped_connection_frees_the_slot(
    index_home: Path,
) -> None:
    app, llm = slow_app(index_home, delay_s=0.1)
    with live_server(app) as server:
        queue = server.web.state.queue
        first_client, second_client = server.client(timeout=60), server.client(timeout=60)
        with first_client, second_client:
            first = first_client.send(
                first_client.build_request(
                    "POST", "/api/ask/stream", json={"question": QUESTIONS[0], "student": "a"}
                ),
                stream=True,
            )
            first_events = _events(first)
            assert next(first_events)["event"] == "sources"
            assert next(e for e in first_events if e["event"] == "token")  # the model writes for "a"
            with second_client.stream(
                "POST", "/api/ask/stream", json={"question": QUESTIONS[1], "student": "b"}
            ) as second:
                second_events = _events(second)
                sources = next(second_events)
                assert sources["event"] == "sources" and sources["retrieved"]  # at once, model busy
                waiting = next(second_events)
                assert waiting["event"] == "queue" and waiting["ahead"] == 1 and waiting["estimate_s"] >= 1
                first.close()  # student "a" goes away: closed tab, dropped connection
                began = time.monotonic()
                while queue.in_flight("student:a") and time.monotonic() - began < 5:
                    time.sleep(0.05)
                freed_s = time.monotonic() - began
                assert not queue.in_flight("student:a"), "the dropped question kept its slot"
                rest = list(second_events)
    assert freed_s < 2.0, freed_s
    assert rest[-1]["event"] == "answer" and rest[-1]["answer"]["question"] == QUESTIONS[1]
    assert any(e["event"] == "token" for e in rest)
    assert llm.max_active == 1 and queue.counts()["in_flight"] == 0
    assert not any(c.user and QUESTIONS[0] in c.user for c in llm.calls[1:])  # "a" was not checked on
