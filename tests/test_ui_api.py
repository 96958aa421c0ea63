"""The web app without a browser: JSON API, viewer, feedback, chat handlers and gradio_client.

Fast: the real pages indexed with the hash embedder into Chroma on a temp dir, and the fake model
answering from source [1] of its prompt. A real uvicorn server on a free loopback port.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from html import escape as html_escape
from pathlib import Path
from typing import Any

import gradio as gr
import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.app import App
from assistant.records import Answer, Citation, Turn
from assistant.settings import PROJECT_ROOT
from assistant.testing import FakeLLM
from tests.conftest import DATA_DIR, make_settings
from tests.web_helpers import LiveServer, cited_reply, clean_env, free_port, live_server
from ui import cards
from ui.chat import WRITING, ChatHandlers
from ui.cli import main as cli_main
from ui.feedback import FeedbackStore
from ui.limits import RateLimiter
from ui.server import create_app

COVERED_QUESTION = "What did Andrew Ng say about deep learning?"
CITATION_KEYS = {
    "n",
    "kind",
    "speaker",
    "source_title",
    "year",
    "quote",
    "document",
    "char_start",
    "char_end",
}
ANSWER_KEYS = {"question", "answer", "covered", "citations", "retrieved", "timings_ms"}


@pytest.fixture(scope="module")
def web_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index (hash embedder) for the whole module; each app below gets its own feedback db."""
    home = tmp_path_factory.mktemp("web-home")
    with clean_env():
        App(make_settings(home)).build(progress=False)
    return home


def fake_app(home: Path, **overrides: Any) -> App:
    with clean_env():
        settings = make_settings(home, **overrides)
    return App(settings, llm=FakeLLM(cited_reply))


@pytest.fixture(scope="module")
def server(web_home: Path) -> Iterator[LiveServer]:
    with live_server(fake_app(web_home)) as live:
        yield live


def ask(server: LiveServer, body: Any, **kwargs: Any) -> Any:
    with server.client() as client:
        if isinstance(body, (str, bytes)):
            return client.post("/api/ask", content=body, headers={"content-type": "application/json"})
        return client.post("/api/ask", json=body, **kwargs)


# -- JSON API ----------------------------------------------------------------------------------


def test_api_ask_returns_the_answer_json(server: LiveServer) -> None:
    response = ask(server, {"question": COVERED_QUESTION})
    assert response.status_code == 200, response.text
    data = response.json()
    assert set(data) >= ANSWER_KEYS
    assert data["question"] == COVERED_QUESTION
    assert data["covered"] is True
    assert data["citations"], data
    for citation in data["citations"]:
        assert set(citation) >= CITATION_KEYS
        page = server.app.assistant.page_text(citation["document"])
        assert page[citation["char_start"] : citation["char_end"]] == citation["quote"]
    assert data["retrieved"] and {"rank", "kind", "text", "document", "char_start"} <= set(
        data["retrieved"][0]
    )
    assert {"retrieve", "first_token", "total"} <= set(data["timings_ms"])


def test_api_ask_matches_the_python_api(server: LiveServer) -> None:
    expected = server.app.assistant.ask("Is SVM still useful?").to_json()
    got = ask(server, {"question": "Is SVM still useful?", "history": []}).json()
    assert set(got) == set(expected)
    for key in ("question", "answer", "covered", "citations", "index_version"):
        assert got[key] == expected[key]


def test_api_ask_follow_up_uses_history(server: LiveServer) -> None:
    history = [
        {"role": "user", "content": "What did Andrew Ng say about deep learning?"},
        {"role": "assistant", "content": "He said it scales with data [1]."},
    ]
    data = ask(server, {"question": "What about Geoffrey Hinton?", "history": history}).json()
    assert "Geoffrey Hinton" in data["standalone_question"]
    assert data["standalone_question"] != data["question"]


def test_api_ask_on_a_page_answers_from_that_page(server: LiveServer) -> None:
    page = "000_57acc6c1160f1d8b.txt"
    data = ask(server, {"question": COVERED_QUESTION, "page": f"https://school.example/dl/{page}"}).json()
    assert data["retrieved"] and {p["document"] for p in data["retrieved"]} == {page}
    assert ask(server, {"question": COVERED_QUESTION, "page": "not-indexed.html"}).status_code == 200


def test_api_uncovered_question(server: LiveServer) -> None:
    data = ask(server, {"question": "What is the capital of France?"}).json()
    assert data["covered"] is False
    assert data["citations"] == []
    assert data["answer"].startswith("The course material doesn't cover this.")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({}, "missing"),
        ({"question": ""}, "empty"),
        ({"question": "   "}, "empty"),
        ({"question": 42}, "string"),
        ({"question": ["a"]}, "string"),
        ({"question": "x" * 1001}, "too long"),
        ({"question": "Is SVM useful?", "history": "nope"}, "history"),
        ({"question": "Is SVM useful?", "history": [{"role": "system", "content": "hi"}]}, "role"),
        ({"question": "Is SVM useful?", "history": [{"role": "user", "content": 3}]}, "content"),
        ({"question": "Is SVM useful?", "history": ["hello"]}, "history[0]"),
        ({"question": "Is SVM useful?", "page": 3}, "string"),
        (["question"], "object"),
        ("{not json", "JSON"),
        ("", "JSON"),
    ],
)
def test_api_bad_requests_get_4xx_with_an_error(server: LiveServer, body: Any, fragment: str) -> None:
    response = ask(server, body)
    assert 400 <= response.status_code < 500
    data = response.json()
    assert set(data) == {"error"}
    assert fragment.lower() in data["error"].lower()


def test_api_unknown_route_and_method(server: LiveServer) -> None:
    with server.client() as client:
        assert client.get("/api/nothing").json()["error"].startswith("no such API endpoint")
        assert client.get("/api/ask").status_code in (404, 405)


def test_api_health(server: LiveServer) -> None:
    with server.client() as client:
        data = client.get("/api/health").json()
    assert data["status"] == "ok" and data["index_version"] == server.app.assistant.index_version
    assert data["queue"] == {"answering": 0, "waiting": 0, "in_flight": 0, "slots": 1}
    assert isinstance(data["model_calls"], int)


def test_api_rate_limit_429(web_home: Path) -> None:
    app = fake_app(web_home, ui={"rate_limit_per_minute": 2})
    with TestClient(create_app(app, examples=[])) as client:
        codes = [
            client.post("/api/ask", json={"question": "Is SVM still useful?"}).status_code for _ in range(3)
        ]
        last = client.post("/api/ask", json={"question": "Is SVM still useful?"})
    assert codes == [200, 200, 429]
    assert last.status_code == 429 and "limit" in last.json()["error"]
    assert int(last.headers["retry-after"]) >= 1


def test_health_without_an_index(tmp_path: Path) -> None:
    app = App(make_settings(tmp_path / "empty"), llm=FakeLLM(cited_reply))
    with TestClient(create_app(app)) as client:
        health = client.get("/api/health")
        asked = client.post("/api/ask", json={"question": "Is SVM still useful?"})
    assert health.status_code == 503 and health.json()["status"] == "no index"
    assert asked.status_code == 503 and "expert-chat build" in asked.json()["error"]


def test_queue_slots_follow_the_model_batch_size(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "home", model={"kind": "fake", "batch_size": 3})
    web = create_app(App(settings, llm=FakeLLM(cited_reply)), examples=[])
    assert web.state.queue.slots == 3


# -- pages ------------------------------------------------------------------------------------


def test_viewer_highlights_the_span(server: LiveServer) -> None:
    citation = ask(server, {"question": COVERED_QUESTION}).json()["citations"][0]
    with server.client() as client:
        response = client.get(
            f"/view/{citation['document']}",
            params={"start": citation["char_start"], "end": citation["char_end"]},
        )
        bad = client.get(f"/view/{citation['document']}", params={"start": 10, "end": 5})
        missing = client.get("/view/nope.txt", params={"start": 0, "end": 1})
    assert response.status_code == 200
    assert f'<mark id="hit">{cards.esc(citation["quote"])}</mark>' in response.text
    assert "script-src" not in response.headers["content-security-policy"]  # no scripts at all
    assert bad.status_code == 400 and missing.status_code == 404


def test_viewer_escapes_page_text() -> None:
    html = cards.viewer_page("p.txt", "before <img src=x onerror=alert(1)> after", 7, 35)
    assert "<img" not in html
    assert '<mark id="hit">&lt;img src=x onerror=alert(1)&gt;</mark>' in html


def test_links_to_the_spot() -> None:
    link = cards.text_fragment_link(
        "https://example.org/page#top",
        "Deep learning - is, quite & simply, a big deal for the whole of the field now",
    )
    assert link.startswith("https://example.org/page#:~:text=Deep%20learning%20%2D%20is%2C%20quite%20%26,")
    assert cards.viewer_link("a b.txt", 3, 9) == "/view/a%20b.txt?start=3&end=9#hit"


def test_course_page_and_embed_routes(server: LiveServer) -> None:
    with server.client() as client:
        page = client.get("/static/course_page.html")
        embed = client.get("/embed/")
        alias = client.get("/?embed=1", follow_redirects=False)
        root = client.get("/")
    assert page.status_code == 200 and '<iframe src="/embed/"' in page.text
    assert "http://" not in page.text.split("<body>", 1)[0]  # nothing loaded from other hosts
    assert embed.status_code == 200 and root.status_code == 200
    assert alias.status_code == 307 and alias.headers["location"].endswith("embed/")


# -- cards --------------------------------------------------------------------------------------


def _citation(**kw: Any) -> Citation:
    base: dict[str, Any] = dict(
        n=1,
        kind="expert_quote",
        quote="Deep <b>nets</b> & more",
        document="d.txt",
        char_start=0,
        char_end=10,
        speaker="Andrew Ng",
        source_title="Talk",
        year=2014,
    )
    base.update(kw)
    return Citation(**base)


def test_quote_cards_escape_and_label_the_discussion() -> None:
    expert = cards.quote_card(_citation())
    reply = cards.quote_card(
        _citation(n=2, kind="comment", speaker=None, author="Jason <i>B</i>", is_author_reply=True)
    )
    assert "Deep &lt;b&gt;nets&lt;/b&gt; &amp; more" in expert and "<b>" not in expert
    assert "Andrew Ng, “Talk” (2014)" in expert and "atx-expert" in expert
    assert "atx-discussion" in reply and "From the discussion" in reply and "<i>" not in reply
    assert "\n" not in expert  # one line: a blank line would end the HTML block in Markdown


def test_answer_markdown_styles_not_covered_and_escapes_model_text() -> None:
    answer = Answer(
        question="q",
        answer="Nets <img src=x onerror=alert(1)> [1].",
        covered=True,
        citations=(_citation(),),
        retrieved=(),
        timings_ms={},
    )
    rendered = cards.answer_markdown(answer)
    assert "<img" not in rendered and "&lt;img" in rendered
    not_covered = Answer(
        question="q",
        answer="The course material doesn't cover this. The closest things it does cover: a; b.",
        covered=False,
        citations=(),
        retrieved=(),
        timings_ms={},
        suggestions=("a", "b"),
    )
    notice = cards.answer_markdown(not_covered)
    assert 'class="atx-notice"' in notice and "<li>a</li>" in notice


# -- chat handlers (what the Gradio events call) ---------------------------------------------


def _request(session: str = "s1") -> gr.Request:
    return gr.Request(session_hash=session)


def _run(handlers: ChatHandlers, question: str, messages: list[Any], state: Any) -> list[tuple[Any, ...]]:
    """The steps that change the chat (one of only gr.skip() while waiting for the model changes nothing)."""
    steps = handlers.respond(question, messages, state, _request())
    return [step for step in steps if isinstance(step[0], list)]


def test_chat_streams_sources_first_then_cards_and_follow_up(server: LiveServer) -> None:
    handlers = ChatHandlers(server.web.state.context)
    steps = _run(handlers, COVERED_QUESTION, [], None)
    first_sources = next(i for i, s in enumerate(steps) if any(m.get("metadata") for m in s[0]))
    assert steps[first_sources][0][-1]["content"] == WRITING  # sources shown before the model writes
    assert steps[first_sources][0][-2]["metadata"]["status"] == "pending"
    messages, state = steps[-1][0], steps[-1][1]
    assert messages[0] == {"role": "user", "content": COVERED_QUESTION}
    assert messages[1]["metadata"]["status"] == "done"
    assert 'class="atx-card' in messages[2]["content"]
    assert state.turns[0] == Turn(role="user", content=COVERED_QUESTION)
    assert set(state.answers) == {"1", "2"}
    steps = _run(handlers, "What about Geoffrey Hinton?", messages, state)
    assert len(steps[-1][1].turns) == 4
    assert len(steps[-1][0]) == 6


def test_chat_errors_are_friendly_messages(server: LiveServer) -> None:
    handlers = ChatHandlers(server.web.state.context)
    empty = _run(handlers, "   ", [], None)[-1]
    assert "question is empty" in empty[0][-1]["content"] and "Traceback" not in empty[0][-1]["content"]
    long = _run(handlers, "why " * 400, [], None)[-1]
    assert "too long" in long[0][-1]["content"]
    xss = _run(handlers, "Is <img src=x onerror=alert(1)> useful?", [], None)[-1]
    assert xss[0][0]["content"] == "Is &lt;img src=x onerror=alert(1)&gt; useful?"


def test_chat_model_failure_is_a_friendly_message(web_home: Path) -> None:
    with clean_env():
        settings = make_settings(web_home)
    app = App(settings, llm=FakeLLM([RuntimeError("model crashed")]))
    handlers = ChatHandlers(create_app(app, examples=[]).state.context)
    last = _run(handlers, COVERED_QUESTION, [], None)[-1][0][-1]["content"]
    assert "something went wrong" in last and "RuntimeError" not in last


def test_chat_rate_limit_message(web_home: Path) -> None:
    app = fake_app(web_home, ui={"rate_limit_per_minute": 1})
    handlers = ChatHandlers(create_app(app, examples=[]).state.context)
    _run(handlers, "Is SVM still useful?", [], None)
    limited = _run(handlers, "Is SVM still useful?", [], None)[-1][0][-1]["content"]
    assert "please wait" in limited.lower()


def test_examples_before_a_faq_are_article_topics_not_thread_fragments(server: LiveServer) -> None:
    examples = server.web.state.context.faq.examples()
    assert 2 <= len(examples) <= 4
    comments = server.app.store.iter_metadata(
        server.app.store.require_manifest().collection, where={"kind": "comment"}
    )
    thread = re.sub(r"\W+", "", " ".join(str(m.get("text", "")) for m in comments)).lower()
    for question in examples:
        assert question.endswith("?") and len(question.split()) <= 16
        assert re.sub(r"\W+", "", question).lower() not in thread  # never a reader's words as asked


# -- feedback ---------------------------------------------------------------------------------


def test_feedback_like_is_stored_and_exported(server: LiveServer, tmp_path: Path) -> None:
    ctx = server.web.state.context
    handlers = ChatHandlers(ctx)
    before = ctx.feedback.count()
    steps = _run(handlers, COVERED_QUESTION, [], None)
    messages, state = steps[-1][0], steps[-1][1]
    like = gr.LikeData(None, {"index": 1, "value": [m["content"] for m in messages[1:]], "liked": True})
    state, _, note = handlers.like(state, like, _request())
    assert "Thanks" in note
    _, note, _ = handlers.comment("Clear, thanks <b>!</b>", state, _request())
    assert "saved" in note
    dislike = gr.LikeData(None, {"index": 1, "value": [], "liked": False})
    state, _, _ = handlers.like(state, dislike, _request())  # changes the same row
    rows = ctx.feedback.rows()
    assert len(rows) == before + 1
    row = rows[-1]
    assert row.rating == -1 and row.comment == "Clear, thanks <b>!</b>"
    assert row.question == COVERED_QUESTION and row.citations and row.citations[0]["quote"]
    assert row.model and row.index_version == server.app.assistant.index_version
    assert row.client_id == "session:s1"
    withdrawn = gr.LikeData(None, {"index": 1, "value": [], "liked": ""})
    handlers.like(state, withdrawn, _request())
    assert ctx.feedback.count() == before

    out = tmp_path / "feedback.csv"
    ctx.feedback.add(rating=1, question='q,"x"', answer="a\nb", citations=[{"n": 1}], client_id="c")
    home = str(server.app.settings.home)
    assert cli_main(["--home", home, "feedback", "export", "--csv", "-o", str(out)]) == 0
    exported = list(csv.DictReader(out.open(encoding="utf-8")))
    assert exported[-1]["question"] == 'q,"x"' and exported[-1]["answer"] == "a\nb"
    assert json.loads(exported[-1]["citations"]) == [{"n": 1}]


def test_feedback_store_basics(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "deep" / "fb.sqlite")
    row = store.add(rating=1, question="q", answer="a", client_id="me")
    assert not store.set_comment(row, "not mine", client_id="someone else")
    assert store.set_comment(row, "  mine  ", client_id="me")
    with pytest.raises(Exception, match="rating"):
        store.add(rating=5, question="q", answer="a")
    store.add(rating=-1, question='=HYPERLINK("http://x")', answer="a", client_id="me")
    buffer = io.StringIO()
    assert store.export_csv(buffer) == 2
    assert list(csv.reader(io.StringIO(buffer.getvalue())))[2][4] == '\'=HYPERLINK("http://x")'
    assert buffer.getvalue().splitlines()[0].startswith("id,created_at,rating,comment")
    assert store.rows()[0].comment == "mine"


def test_limits() -> None:
    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    assert limiter.check("a") == 0 and limiter.check("a") == 0
    assert limiter.check("a") > 0 and limiter.check("b") == 0
    now[0] = 61.0
    assert limiter.check("a") == 0
    hourly = RateLimiter(1, lambda: now[0], window_s=3600)
    assert hourly.check("a") == 0 and 3000 < hourly.check("a") <= 3600


# -- gradio_client ------------------------------------------------------------------------------


def test_gradio_client_ask_endpoint(server: LiveServer) -> None:
    from gradio_client import Client

    client = Client(server.url + "/", verbose=False)
    assert "/ask" in client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    result = client.predict(COVERED_QUESTION, [], api_name="/ask")
    assert result["question"] == COVERED_QUESTION and result["covered"] and result["citations"]
    follow = client.predict(
        "What about Geoffrey Hinton?",
        [{"role": "user", "content": COVERED_QUESTION}, {"role": "assistant", "content": result["answer"]}],
        api_name="/ask",
    )
    assert "Hinton" in follow["standalone_question"]


# -- expert-chat serve ----------------------------------------------------------------------------


def test_serve_indexes_on_first_start_then_answers(tmp_path: Path) -> None:
    """The real command in a subprocess: first start builds the index, loads the model, serves."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPERT_CHAT_")}
    env.update(
        EXPERT_CHAT_EMBEDDER="hash",
        EXPERT_CHAT_MODEL__KIND="fake",
        EXPERT_CHAT_DATA_DIR=str(DATA_DIR),
        EXPERT_CHAT_SETTINGS_FILE=str(tmp_path / "none.toml"),
    )
    home = tmp_path / "home"
    command = [sys.executable, "-m", "assistant", "--home", str(home), "serve", "--port", str(port)]
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        health = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert health is not None and health.status_code == 200, (tmp_path / "serve.log").read_text()
        assert health.json()["index_version"]
        asked = httpx.post(
            f"http://127.0.0.1:{port}/api/ask", json={"question": COVERED_QUESTION}, timeout=60
        )
        assert asked.status_code == 200 and asked.json()["covered"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "No index yet" in output and f"http://127.0.0.1:{port}/" in output
    assert (home / "index").is_dir()


# -- questions log, instructor page, FAQ ------------------------------------------------------

TOKEN = "s3cret-token"
UNCOVERED = "What is the capital of France?"


@pytest.fixture(scope="module")
def admin_server(web_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The instructor page on, its questions log in its own SQLite file."""
    own = tmp_path_factory.mktemp("admin-log")
    ui = {
        "admin_token": TOKEN,
        "database_url": f"sqlite:///{own / 'log.sqlite'}",
        "rate_limit_per_minute": 100,
    }
    with live_server(fake_app(web_home, ui=ui), faq_path=own / "faq.json") as live:
        yield live


def _bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_admin_routes_are_404_without_a_token(server: LiveServer) -> None:
    with server.client() as client:
        assert client.get("/admin").status_code == 404
        response = client.get("/api/admin/questions", headers=_bearer())
        assert response.status_code == 404 and set(response.json()) == {"error"}


def test_questions_asked_through_the_api_reach_the_admin_api(admin_server: LiveServer) -> None:
    with admin_server.client() as client:
        for question in (COVERED_QUESTION, UNCOVERED):
            assert client.post("/api/ask", json={"question": question}).status_code == 200
        refused = client.get("/api/admin/questions")
        assert refused.status_code == 401 and "token" in refused.json()["error"]
        assert client.get("/api/admin/questions", headers=_bearer("wrong")).status_code == 401
        rows = client.get("/api/admin/questions", headers=_bearer()).json()
    mine = {r["question"]: r for r in rows if r["question"] in (COVERED_QUESTION, UNCOVERED)}
    assert set(mine) == {COVERED_QUESTION, UNCOVERED}
    for row in mine.values():
        assert {"question", "asked_at", "covered", "citations", "feedback"} <= set(row)
        assert row["channel"] == "api" and row["feedback"] is None
    assert mine[COVERED_QUESTION]["covered"] and mine[COVERED_QUESTION]["citations"][0]["quote"]
    assert not mine[UNCOVERED]["covered"] and mine[UNCOVERED]["citations"] == []
    assert not any(k in row for row in rows for k in ("ip", "client_id", "session"))


def test_admin_page_login_cookie_and_exports(admin_server: LiveServer) -> None:
    with admin_server.client() as client:
        client.post("/api/ask", json={"question": UNCOVERED})
        page = client.get("/admin")
        assert page.status_code == 401 and 'name="token"' in page.text  # the sign-in form
        assert client.post("/admin/login", data={"token": "nope"}).status_code == 401
        signed = client.post("/admin/login", data={"token": TOKEN}, follow_redirects=False)
        assert signed.status_code == 303 and "httponly" in signed.headers["set-cookie"].lower()
        page = client.get("/admin?days=7")  # the cookie is kept by the client
        assert page.status_code == 200
        for part in ("Questions per day", "<svg", 'id="gaps"', UNCOVERED, "Most cited", "Thumbs down"):
            assert part in page.text
        exported = client.get("/api/admin/questions?format=csv&days=7")
        assert exported.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(exported.text)))
        assert any(r["question"] == UNCOVERED and r["covered"] == "False" for r in rows)


def test_chat_answers_and_their_feedback_are_logged(admin_server: LiveServer) -> None:
    ctx = admin_server.web.state.context
    handlers = ChatHandlers(ctx, "embed")
    steps = _run(handlers, COVERED_QUESTION, [], None)
    messages, state = steps[-1][0], steps[-1][1]
    like = gr.LikeData(None, {"index": len(messages) - 1, "value": [], "liked": False})
    state, _, _ = handlers.like(state, like, _request())
    handlers.comment("It missed the point", state, _request())
    row = ctx.questions.rows()[-1]
    assert row.channel == "embed" and row.question == COVERED_QUESTION
    assert row.feedback == -1 and row.feedback_comment == "It missed the point"


def test_faq_api_and_page(admin_server: LiveServer) -> None:
    service = admin_server.web.state.context.faq
    service.rebuild()
    with admin_server.client() as client:
        entries = client.get("/api/faq").json()
        page = client.get("/faq")
    assert len(entries) >= 5
    for entry in entries:
        assert {"question", "answer", "citations"} <= set(entry) and entry["citations"]
    assert page.status_code == 200 and html_escape(entries[0]["question"]) in page.text
    faq_answer = admin_server.app.assistant.ask(entries[1]["question"])
    assert faq_answer.faq and faq_answer.timings_ms["total"] < 1000


def test_pass_on_then_the_instructor_answer_is_used(admin_server: LiveServer) -> None:
    question = "Will there be an exam on reinforcement learning?"
    with admin_server.client() as client:
        first = client.post("/api/ask", json={"question": question}).json()
        assert not first["covered"]
        assert client.post("/api/instructor", json={"question": 3}).status_code == 400
        passed = client.post("/api/instructor", json={"question": question, "contact": ""})
        assert passed.status_code == 200
        pending = client.get("/api/admin/requests", headers=_bearer()).json()
        (request,) = [r for r in pending if r["question"] == question]
        assert request["contact"] is None and request["answer"] is None
        answer_text = "No: reinforcement learning is not part of this course's exam."
        url = f"/admin/answer/{request['id']}"
        assert client.post(url, data={"answer": answer_text}).status_code == 401
        done = client.post(url, data={"answer": answer_text}, headers=_bearer(), follow_redirects=False)
        assert done.status_code == 303
        later = client.post("/api/ask", json={"question": question}).json()
        faq = client.get("/api/faq").json()
    assert later["covered"] and later["faq"]
    (citation,) = later["citations"]
    assert citation["kind"] == "instructor_answer" and citation["label"] == "instructor answer"
    assert citation["quote"] == answer_text
    assert any(e["question"] == question and e["origin"] == "instructor" for e in faq)
