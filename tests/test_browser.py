"""The chat in a real browser: Debian's Chromium driven by Playwright against a live server.

The main test uses the real index (MiniLM) and the real bundled model; the embed and safety tests
use the fake model so the payload can come from the "model" too. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

from assistant.app import App
from assistant.settings import PROJECT_ROOT
from assistant.testing import FakeLLM
from tests.conftest import make_settings
from tests.model_fixtures import model_home, real_llm  # noqa: F401  (session fixtures)
from tests.web_helpers import (
    LiveServer,
    SlowFakeLLM,
    chromium,
    cited_reply,
    clean_env,
    live_server,
    wait_until,
)
from ui.faq_page import FaqService
from ui.feedback import FeedbackStore

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
XSS = "<img src=x onerror=alert(1)>"
QUESTION = "What did Andrew Ng say about deep learning?"
TEXTBOX = "#atx-question textarea"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def app_on(real_app: App, llm: Any, **overrides: Any) -> App:
    with clean_env():
        settings = make_settings(real_app.settings.home, embedder="minilm", **overrides)
    return App(settings, embedder=real_app.embedder, llm=llm)


@pytest.fixture(scope="module")
def model_server(real_app: App, real_llm: Any) -> Iterator[LiveServer]:  # noqa: F811
    with live_server(app_on(real_app, real_llm, model={"kind": "fake", "max_answer_tokens": 120})) as live:
        yield live


def xss_reply(messages: list[Any]) -> str:
    return f"{XSS} <script>alert(2)</script> " + cited_reply(messages)


@pytest.fixture(scope="module")
def fake_server(real_app: App) -> Iterator[LiveServer]:
    with live_server(app_on(real_app, FakeLLM(xss_reply))) as live:
        yield live


@pytest.fixture(scope="module")
def slow_server(real_app: App) -> Iterator[LiveServer]:
    """A fake model that writes slowly (one answer at a time), so there is time to press Stop."""
    llm = SlowFakeLLM(lambda m: cited_reply(m) + " More words follow here." * 6, delay_s=0.25)
    with live_server(app_on(real_app, llm, retrieval={"cache_similarity": 2.0})) as live:
        yield live


class Watched:
    """A page whose alert dialogs and outside requests are recorded (both must stay empty)."""

    def __init__(self, browser: Any, server: LiveServer, width: int = 1200, height: int = 900) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.outside: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("request", self._request)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request: Any) -> None:
        url = urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname not in ("127.0.0.1", "localhost"):
            self.outside.append(request.url)

    def open(self, url: str) -> Any:
        self.page.goto(url, wait_until="load")
        self.page.wait_for_selector(TEXTBOX, timeout=30_000)
        return self.page

    def close(self) -> None:
        cookies = self.context.cookies()
        self.context.close()
        assert cookies == [], f"the chat set cookies: {cookies}"
        assert self.dialogs == [], f"a script ran: {self.dialogs}"
        assert self.outside == [], f"the page contacted outside hosts: {self.outside}"


def ask_in(page: Any, question: str) -> None:
    page.fill(TEXTBOX, question)
    page.keyboard.press("Enter")


def last_bot_text(page: Any) -> str:
    texts: list[str] = page.locator("#atx-chat .bot").all_inner_texts()
    return texts[-1] if texts else ""


def test_ask_stream_quote_cards_and_thumbs_up(browser: Any, model_server: LiveServer) -> None:
    watched = Watched(browser, model_server)
    page = watched.open(model_server.url + "/")
    examples = model_server.web.state.context.examples
    assert examples and page.get_by_text(examples[0]).first.is_visible()  # the FAQ's or the article's

    ask_in(page, QUESTION)
    page.get_by_text("Sources found").first.wait_for(timeout=60_000)
    # Sources are on screen while the model is still writing: no quote card yet, Stop offered.
    assert page.locator(".atx-card").count() == 0
    assert page.locator("#atx-stop").is_visible()
    page.screenshot(path=str(ARTIFACTS / "chat-sources.png"), full_page=True)
    streamed: list[str] = []
    deadline = time.monotonic() + 300
    while page.locator(".atx-card").count() == 0 and time.monotonic() < deadline:
        text = last_bot_text(page)
        if text and "Writing the answer" not in text and (not streamed or streamed[-1] != text):
            streamed.append(text)
        time.sleep(0.1)
    page.wait_for_selector("#atx-send", state="visible", timeout=30_000)
    assert len(streamed) >= 2, "the answer did not arrive in pieces"
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)

    answer = model_server.app.assistant.ask(QUESTION)  # from the cache: exactly what the page shows
    assert answer.citations
    card_texts = page.locator(".atx-card").all_inner_texts()
    assert len(card_texts) == len(answer.citations)
    for citation, card in zip(answer.citations, card_texts, strict=True):
        who = citation.speaker if citation.kind == "expert_quote" else citation.author
        if who:
            assert who in card
        assert " ".join(citation.quote.split())[:40] in card
        if citation.kind == "comment":
            assert "FROM THE DISCUSSION" in card.upper()
    assert any(c.speaker == "Andrew Ng" for c in answer.citations), answer.citations

    page.locator("#atx-chat button[aria-label='Like']").last.click()
    store = FeedbackStore.from_settings(model_server.app.settings)
    row = wait_until(lambda: next((r for r in store.rows() if r.question == QUESTION), None), 15.0, 0.2)
    assert row.rating == 1 and row.answer == answer.answer and row.index_version == answer.index_version
    page.fill("#atx-comment textarea", f"Helpful {XSS}")
    page.click("#atx-send-comment")
    assert wait_until(lambda: store.rows()[-1].comment == f"Helpful {XSS}", 15.0, 0.2)
    watched.close()


def test_embed_mode_and_no_script_runs(browser: Any, fake_server: LiveServer) -> None:
    watched = Watched(browser, fake_server, width=400, height=720)
    page = watched.open(fake_server.url + "/?embed=1")
    assert urlparse(page.url).path == "/embed/"
    assert page.locator("#atx-header").count() == 0  # no header chrome in the iframe layout
    box = page.locator(TEXTBOX).bounding_box()
    assert box["y"] + box["height"] <= 720  # the question box is in view without scrolling
    assert page.locator("#atx-chat").bounding_box()["height"] > 300  # the chat fills the iframe
    page.screenshot(path=str(ARTIFACTS / "embed.png"))

    # The payload in the question, then in the model's streamed text (the fake writes it first).
    ask_in(page, f"{XSS} What did Andrew Ng say about deep learning?")
    page.wait_for_selector(".atx-card, .atx-notice", timeout=60_000)
    page.wait_for_selector("#atx-send", state="visible", timeout=30_000)
    ask_in(page, QUESTION)
    page.wait_for_function("() => document.querySelectorAll('#atx-chat .user').length === 2")
    page.wait_for_selector("#atx-send", state="visible", timeout=60_000)
    time.sleep(0.5)
    assert XSS in page.locator("#atx-chat .user").first.inner_text()  # shown as text
    assert page.locator(".atx-card").count() >= 1
    if "<script>" in fake_server.app.assistant.ask(QUESTION).answer:  # (cached) kept by the checker
        assert "<script>alert(2)</script>" in last_bot_text(page)  # then it is shown as text
    assert page.locator("img[onerror]").count() == 0
    assert page.locator("#atx-chat img[src='x']").count() == 0
    assert page.locator("#atx-chat script").count() == 0
    page.screenshot(path=str(ARTIFACTS / "embed-answer.png"))
    watched.close()


def test_example_course_page_embeds_the_chat(browser: Any, fake_server: LiveServer) -> None:
    watched = Watched(browser, fake_server, width=1280, height=860)
    watched.page.goto(fake_server.url + "/static/course_page.html", wait_until="load")
    frame = watched.page.frame_locator("iframe")
    frame.locator(TEXTBOX).wait_for(timeout=30_000)
    frame.locator(TEXTBOX).fill(QUESTION)
    frame.locator(TEXTBOX).press("Enter")
    frame.locator(".atx-card").first.wait_for(timeout=60_000)
    assert re.search(r"Andrew Ng", frame.locator(".atx-card").first.inner_text())
    watched.page.screenshot(path=str(ARTIFACTS / "course_page.png"))
    watched.close()


def test_stop_then_ask_again_and_clear(browser: Any, slow_server: LiveServer) -> None:
    watched = Watched(browser, slow_server)
    page = watched.open(slow_server.url + "/")
    ask_in(page, QUESTION)
    page.wait_for_function(
        """() => { const bots = document.querySelectorAll('#atx-chat .bot');
                   const text = bots.length ? bots[bots.length - 1].innerText : '';
                   return text.trim() && !text.includes('Writing the answer'); }""",
        timeout=60_000,
    )
    page.click("#atx-stop")
    page.get_by_text("stopped: this unchecked draft has no citations").wait_for(timeout=10_000)
    page.wait_for_selector("#atx-send", state="visible", timeout=10_000)
    assert page.locator(".atx-card").count() == 0
    # The stopped answer gave the model back at once: the next question is answered.
    ask_in(page, "What did Geoffrey Hinton say about deep learning?")  # at once: not dropped
    page.wait_for_selector("#atx-stop", state="visible", timeout=30_000)
    # A second question while this answer streams is refused politely, and the text is kept.
    ask_in(page, "Is SVM still useful?")
    page.get_by_text("An answer is still being written").first.wait_for(timeout=10_000)
    page.wait_for_selector(".atx-card", timeout=60_000)
    page.wait_for_selector("#atx-send", state="visible", timeout=30_000)
    assert page.input_value(TEXTBOX) == "Is SVM still useful?"
    assert page.locator("#atx-chat .user").count() == 2
    page.click("#atx-clear")
    page.wait_for_function("() => document.querySelectorAll('#atx-chat .bot').length === 0", timeout=10_000)
    watched.close()


# -- the instructor's side, the FAQ, accessibility and keyboard use ----------------------------

TOKEN = "browser-admin-token"
UNCOVERED = "What is the capital of France?"
AXE = PROJECT_ROOT / "build" / "node" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def admin_server(real_app: App, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Fake model, instructor page on; the log and the FAQ in a private folder, the FAQ built first."""
    own = tmp_path_factory.mktemp("browser-admin")
    ui = {
        "admin_token": TOKEN,
        "database_url": f"sqlite:///{own / 'log.sqlite'}",
        "rate_limit_per_minute": 200,
    }
    app = app_on(real_app, FakeLLM(cited_reply), ui=ui)
    FaqService(app, None, own / "faq.json").rebuild()
    with live_server(app, faq_path=own / "faq.json") as live:
        yield live


def audit(page: Any, name: str) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now (screenshot saved)."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `make install` (npm install axe-core into build/)")
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .filter(v => v.impact === 'serious' || v.impact === 'critical')
             .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"""
    )
    page.screenshot(path=str(ARTIFACTS / f"a11y-{name}.png"), full_page=True)
    return found


def sign_in(browser: Any, server: LiveServer) -> Any:
    """A separate browser context for the instructor: the token is typed once, then kept in a cookie."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(server.url + "/admin", wait_until="load")
    page.fill("#token", TOKEN)
    page.keyboard.press("Enter")
    page.wait_for_selector("#h-plot", timeout=30_000)
    return page


def wait_answered(page: Any) -> None:
    page.wait_for_selector("#atx-send", state="visible", timeout=60_000)
    page.wait_for_function(
        """() => { const b = document.querySelectorAll('#atx-chat .bot');
                   return b.length && !b[b.length - 1].innerText.includes('Writing the answer'); }""",
        timeout=60_000,
    )
    time.sleep(0.3)


def test_instructor_page_gaps_thumbs_down_and_an_answer_that_joins_the_faq(
    browser: Any, admin_server: LiveServer
) -> None:
    faq = admin_server.web.state.context.faq.faq
    examples = admin_server.web.state.context.examples
    assert examples and set(examples) <= {e.question for e in faq.entries}  # examples from the FAQ

    watched = Watched(browser, admin_server)
    page = watched.open(admin_server.url + "/")
    ask_in(page, QUESTION)
    page.wait_for_selector(".atx-card", timeout=60_000)
    wait_answered(page)
    assert page.locator("#atx-chat button[aria-label='Like']").count() == 1  # one bar, under the answer
    page.locator("#atx-chat button[aria-label='Dislike']").last.click()
    page.fill("#atx-comment textarea", "Too vague for me")
    page.click("#atx-send-comment")
    page.get_by_text("Comment saved").wait_for(timeout=15_000)

    ask_in(page, UNCOVERED)
    page.wait_for_selector("#atx-ask-instructor", state="visible", timeout=60_000)
    page.click("#atx-ask-instructor")
    page.get_by_text("Passed on to the instructor").wait_for(timeout=15_000)
    assert page.locator("#atx-chat button[aria-label='Like']").count() == 2  # one per answer
    page.screenshot(path=str(ARTIFACTS / "chat-passed-on.png"), full_page=True)

    admin = sign_in(browser, admin_server)
    assert admin.locator("svg.plot rect").count() >= 1
    assert UNCOVERED in admin.locator("#gaps").inner_text()
    assert "Too vague for me" in admin.locator("#thumbs-down").inner_text()
    assert admin.locator("#most-cited").count() == 1
    admin.screenshot(path=str(ARTIFACTS / "admin.png"), full_page=True)
    reply = "Paris. This course is about deep learning, not geography."
    admin.locator("#pending textarea").first.fill(reply)
    admin.get_by_role("button", name="Publish to the FAQ").first.click()
    admin.wait_for_selector("#h-plot")
    admin.goto(admin_server.url + "/faq", wait_until="load")
    assert UNCOVERED in admin.content() and reply in admin.content()
    admin.screenshot(path=str(ARTIFACTS / "faq.png"), full_page=True)
    admin.context.close()

    ask_in(page, UNCOVERED)  # the same chat, later: the instructor's answer, from the FAQ
    page.wait_for_selector(".atx-card.atx-instructor", timeout=60_000)
    wait_answered(page)
    card = page.locator(".atx-card.atx-instructor").last.inner_text()
    assert reply in card and "INSTRUCTOR" in card.upper()
    assert "answered from the course FAQ" in last_bot_text(page)
    page.screenshot(path=str(ARTIFACTS / "chat-instructor-answer.png"), full_page=True)
    watched.close()


def test_first_screen_passes_axe_and_an_example_asks(browser: Any, fake_server: LiveServer) -> None:
    """The first screen, before any question (no FAQ here: the examples are the article's topics)."""
    results: dict[str, list[dict[str, Any]]] = {}
    for name, path in (("chat-first-topics", "/"), ("embed-first-topics", "/embed/")):
        watched = Watched(browser, fake_server, width=400 if name.startswith("embed") else 1200, height=900)
        page = watched.open(fake_server.url + path)
        examples = page.locator("#atx-examples button")
        assert examples.count() >= 2
        results[name] = audit(page, name)
        watched.close()
    assert results == {"chat-first-topics": [], "embed-first-topics": []}
    watched = Watched(browser, fake_server)
    page = watched.open(fake_server.url + "/")
    first = page.locator("#atx-examples button").first
    question = first.inner_text()
    first.click()  # an example is a button: one click asks it
    page.wait_for_selector(".atx-card", timeout=60_000)
    wait_answered(page)
    assert question in " ".join(page.locator("#atx-chat .user").all_inner_texts())
    assert not page.locator("#atx-examples").is_visible()  # the conversation takes their place
    watched.close()


def test_accessibility_audits(browser: Any, admin_server: LiveServer) -> None:
    """axe-core on the first screen (FAQ examples), then the chat with an answer on screen, the embed
    layout, the FAQ and the admin page."""
    results: dict[str, list[dict[str, Any]]] = {}
    for name, path in (("chat", "/"), ("embed", "/embed/")):
        watched = Watched(browser, admin_server, width=1200 if name == "chat" else 400, height=900)
        page = watched.open(admin_server.url + path)
        results[f"{name}-first"] = audit(page, f"{name}-first")
        ask_in(page, QUESTION)
        page.wait_for_selector(".atx-card", timeout=60_000)
        wait_answered(page)
        results[name] = audit(page, name)
        watched.close()
    admin = sign_in(browser, admin_server)
    results["admin"] = audit(admin, "admin")
    admin.goto(admin_server.url + "/faq", wait_until="load")
    results["faq"] = audit(admin, "faq")
    admin.context.close()
    assert results == {"chat-first": [], "chat": [], "embed-first": [], "embed": [], "admin": [], "faq": []}


def _focused(page: Any) -> str:
    return str(
        page.evaluate(
            """() => { const e = document.activeElement; if (!e) return '';
                 return [e.tagName, e.getAttribute('aria-label') || '', (e.innerText || '').slice(0, 40),
                         e.closest('#atx-question') ? 'question-box' : ''].join('|'); }"""
        )
    )


def test_keyboard_only(browser: Any, admin_server: LiveServer) -> None:
    """Tab to the box, ask with Enter, then reach the sources toggle, a quote's link and the thumbs."""
    watched = Watched(browser, admin_server)
    page = watched.open(admin_server.url + "/")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for _ in range(40):
        page.keyboard.press("Tab")
        if "question-box" in _focused(page):
            break
    assert "question-box" in _focused(page), "the question box cannot be reached with Tab"
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    page.wait_for_selector(".atx-card", timeout=60_000)
    wait_answered(page)
    page.locator(TEXTBOX).focus()
    seen: list[str] = []
    for _ in range(60):  # backwards from the box through the answer above it, up to its sources
        page.keyboard.press("Shift+Tab")
        seen.append(_focused(page))
        if "Show or hide: Sources found" in seen[-1]:
            break
    assert "Show or hide: Sources found" in seen[-1], seen
    assert any(s.startswith("A|") and "show in the page" in s for s in seen), seen
    assert any(s.startswith("BUTTON|Like") for s in seen), seen
    page.keyboard.press("Enter")  # open the sources with the keyboard
    page.locator(".atx-sources").first.wait_for(state="visible", timeout=10_000)
    for _ in range(60):  # forwards again to the thumbs up
        page.keyboard.press("Tab")
        if _focused(page).startswith("BUTTON|Like"):
            break
    page.keyboard.press("Enter")
    store = FeedbackStore.from_settings(admin_server.app.settings)
    assert wait_until(lambda: any(r.question == QUESTION and r.rating == 1 for r in store.rows()), 15.0, 0.2)
    page.screenshot(path=str(ARTIFACTS / "keyboard.png"), full_page=True)
    watched.close()


def test_queue_place_is_shown_and_a_closed_tab_frees_its_slot(browser: Any, slow_server: LiveServer) -> None:
    """Two students, one model: the second sees the sources, then the place in the queue; when the
    first closes the tab, its answer stops and the second one's starts. (Questions not asked before in
    this module: a cached answer needs no model and never waits.)"""
    queue = slow_server.web.state.queue
    first = browser.new_context(viewport={"width": 1200, "height": 900})
    page = first.new_page()
    page.goto(slow_server.url + "/", wait_until="load")
    page.wait_for_selector(TEXTBOX, timeout=30_000)
    ask_in(page, QUESTION)
    page.wait_for_function(
        """() => { const bots = document.querySelectorAll('#atx-chat .bot');
                   const text = bots.length ? bots[bots.length - 1].innerText : '';
                   return text.trim() && !text.includes('Writing the answer'); }""",
        timeout=60_000,
    )
    watched = Watched(browser, slow_server)
    second = watched.open(slow_server.url + "/")
    ask_in(second, "What did Yann LeCun say about deep learning?")  # not asked before: not cached
    second.get_by_text("1 question ahead of yours").first.wait_for(timeout=30_000)
    assert second.get_by_text("Sources found").first.is_visible()  # the sources came at once
    second.screenshot(path=str(ARTIFACTS / "chat-queue.png"), full_page=True)
    assert queue.counts() == {"answering": 1, "waiting": 1, "in_flight": 2, "slots": 1}

    first.close()  # the first student closes the tab mid-answer
    began = time.monotonic()
    while queue.counts()["in_flight"] > 1 and time.monotonic() - began < 20:
        time.sleep(0.05)
    freed_s = time.monotonic() - began
    assert queue.counts()["in_flight"] == 1, "the closed tab kept its slot"
    second.wait_for_function(
        "() => !document.querySelector('#atx-chat').innerText.includes('ahead of yours')", timeout=10_000
    )
    second.wait_for_selector(".atx-card", timeout=60_000)  # the second answer was written
    second.wait_for_selector("#atx-send", state="visible", timeout=30_000)
    assert queue.counts()["in_flight"] == 0
    assert freed_s < 5, freed_s
    watched.close()
