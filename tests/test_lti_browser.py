"""A launched chat inside an LMS page, in Chromium with third-party cookies blocked.

The platform simulator serves a course page on http://localhost:<port> that frames the tool on
http://127.0.0.1:<port> (another site): the OIDC login, the platform's auto-posted launch and the chat
all happen inside that frame, with no cookie. Fast parts: the hash embedder and a citing fake model.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from assistant.app import App
from assistant.settings import PROJECT_ROOT
from assistant.testing import FakeLLM
from tests.conftest import LATER_PAGE, make_settings
from tests.lti_platform import LtiPlatform, lms_app
from tests.web_helpers import chromium, cited_reply, clean_env, free_port
from ui.questions_log import QuestionsLog
from ui.site import create_site

pytestmark = pytest.mark.browser

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
TEXTBOX = "#atx-question textarea"
QUESTION = "What did Andrew Ng say about deep learning?"


@contextlib.contextmanager
def serving(web: Any, port: int) -> Iterator[None]:
    config = uvicorn.Config(web, host="127.0.0.1", port=port, log_level="warning", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Chromium's switch for the third-party-cookie phase-out: cookies in a cross-site frame are blocked.
    with chromium("--test-third-party-cookie-phaseout") as launched:
        yield launched


def test_a_launched_chat_works_in_an_lms_frame_without_third_party_cookies(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tool_port, lms_port = free_port(), free_port()
    tool, lms = f"http://127.0.0.1:{tool_port}", f"http://localhost:{lms_port}"
    with clean_env():
        settings = make_settings(tmp_path_factory.mktemp("lti-browser"), lti={"tool_url": tool})
    app = App(settings, llm=FakeLLM(cited_reply))
    app.for_course("alpha").build([LATER_PAGE], progress=False)
    platform = LtiPlatform(issuer=lms)
    platform.register(settings.home, {"dep-alpha": "alpha"})
    with (
        serving(create_site(app), tool_port),
        serving(lms_app(platform, tool, "dep-alpha"), lms_port),
    ):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{lms}/course?probe=about:blank", wait_until="load")
        frame = page.frame_locator("#tool")
        frame.locator(TEXTBOX).wait_for(timeout=60_000)
        assert "/course/alpha/embed/" in page.frame(url=lambda u: "/course/alpha/embed/" in u).url  # type: ignore[union-attr]
        frame.locator(TEXTBOX).fill(QUESTION)
        frame.locator(TEXTBOX).press("Enter")
        frame.locator(".atx-card").first.wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "lti-launch-in-frame.png"))
        # An instructor's view of the same course page: the course's instructor page, working in the
        # frame without a cookie (the period form keeps the session).
        page.goto(f"{lms}/course?probe=about:blank&role=instructor", wait_until="load")
        frame.get_by_text("instructor page").first.wait_for(timeout=30_000)
        frame.locator("#days").select_option("7")
        frame.get_by_role("button", name="Show").click()
        frame.locator("#days option[selected][value='7']").wait_for(state="attached", timeout=30_000)
        assert frame.get_by_text("Questions per day").first.is_visible()
        page.screenshot(path=str(ARTIFACTS / "lti-instructor-in-frame.png"))
        cookies = context.cookies()
        # The probe shows third-party cookies are blocked here: framed from another site, its cookie
        # (SameSite=None; Secure) is refused; opened first-party, the same response sets it.
        probe = f"{lms.replace('localhost', '127.0.0.1')}/probe"
        page.goto(f"{lms}/course?probe={probe}", wait_until="load")
        page.wait_for_timeout(500)
        framed = context.cookies()
        page.goto(probe, wait_until="load")
        first_party = {c["name"] for c in context.cookies()}
        context.close()
    assert cookies == [], f"the launch or the chat set cookies: {cookies}"
    assert framed == [] and "probe" in first_party, (framed, first_party)
    rows = QuestionsLog.from_settings(settings.for_course("alpha")).rows()
    assert [r.question for r in rows] == [QUESTION] and rows[0].course == "alpha"
    assert rows[0].student and len(rows[0].student) == 32  # the learner's pseudonym, from the launch
