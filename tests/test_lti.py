"""The LTI 1.3 tool against the platform simulator (tests/lti_platform.py), on one server with two
courses: learner and instructor launches, deep linking, refused launches, and no crossover.

Fast parts only: the hash embedder and a fake model that cites its first source (tests/web_helpers.py).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi import FastAPI
from starlette.routing import Mount
from starlette.testclient import TestClient

from assistant.app import App
from assistant.errors import UserError
from assistant.settings import load_settings
from assistant.testing import FakeLLM
from tests.conftest import EARLIER_PAGE, LATER_PAGE, make_settings
from tests.lti_platform import INSTRUCTOR, LEARNER, TEACHING_ASSISTANT, LtiPlatform, new_key
from tests.web_helpers import cited_reply
from ui.lti.pseudonym import pseudonym
from ui.questions_log import QuestionsLog
from ui.sessions import Sessions, server_secret
from ui.site import create_site

QUESTION = "What did Andrew Ng say about deep learning?"
DEPLOYMENTS = {"dep-alpha": "alpha", "dep-beta": "beta", "dep-home": "default"}


@dataclass
class Site:
    app: App
    web: FastAPI
    platform: LtiPlatform

    def client(self) -> TestClient:
        return TestClient(self.web)

    def course(self, course: str | None) -> Any:
        """The web context (questions log, FAQ, ...) of one course's mounted app."""
        if course is None:
            return self.web.state.context
        mount = next(
            r for r in self.web.router.routes if isinstance(r, Mount) and r.path == f"/course/{course}"
        )
        return mount.app.state.context  # type: ignore[attr-defined]

    def log(self, course: str | None) -> QuestionsLog:
        return QuestionsLog.from_settings(self.app.settings.for_course(course))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    home = tmp_path_factory.mktemp("lti-home")
    app = App(make_settings(home), llm=FakeLLM(cited_reply))
    app.for_course("alpha").build([LATER_PAGE], progress=False)
    app.for_course("beta").build([EARLIER_PAGE], progress=False)
    platform = LtiPlatform()
    platform.register(home, DEPLOYMENTS)
    yield Site(app, create_site(app, keyset_client=platform.http_client()), platform)


def _documents(app: App) -> set[str]:
    return set(app.store.require_manifest().sources)


def test_learner_launch_opens_the_course_chat_answering_from_its_index(site: Site) -> None:
    client = site.client()
    launched = site.platform.launch(client, deployment="dep-alpha", roles=[LEARNER])
    assert launched.status_code == 303, launched.text
    target = urlparse(launched.headers["location"])
    assert target.path == "/course/alpha/embed/"
    assert client.get(launched.headers["location"]).status_code == 200  # the course's chat page
    session = Sessions.from_settings(site.app.settings).read(parse_qs(target.query)["lti"][0])
    assert session is not None and (session.course, session.role) == ("alpha", "learner")
    assert session.student and "student-7" not in session.student
    answer = client.post("/course/alpha/api/ask", json={"question": QUESTION}).json()
    assert answer["covered"] and answer["citations"]
    alpha = site.app.for_course("alpha")
    beta_docs = _documents(site.app.for_course("beta"))
    cited = {c["document"] for c in answer["citations"]}
    assert cited and all(any(d.endswith(doc) or doc in d for d in _documents(alpha)) for doc in cited)
    assert not any(any(doc in d for d in beta_docs) for doc in cited)


def test_a_learners_questions_are_logged_under_a_pseudonym_of_their_course(site: Site) -> None:
    client = site.client()
    launched = site.platform.launch(client, deployment="dep-beta", roles=[LEARNER], sub="learner-99")
    value = parse_qs(urlparse(launched.headers["location"]).query)["lti"][0]
    question = "What did Andrew Ng say? (pseudonym)"
    assert client.post("/course/beta/api/ask", json={"question": question}, headers={"X-LTI-Session": value})
    expected = pseudonym(server_secret(site.app.settings.home), site.platform.issuer, "learner-99", "beta")
    (row,) = [r for r in site.log("beta").rows() if r.question == question]
    assert row.student == expected and row.course == "beta"
    # The same session does not follow the student into another course's log.
    client.post("/course/alpha/api/ask", json={"question": question}, headers={"X-LTI-Session": value})
    assert all(r.student is None for r in site.log("alpha").rows())


@pytest.mark.parametrize("role", [INSTRUCTOR, TEACHING_ASSISTANT])
def test_instructor_launch_opens_the_course_admin_page_without_a_token(site: Site, role: str) -> None:
    assert site.app.settings.ui.admin_token is None  # no token at all: only launches open admin pages
    client = site.client()
    launched = site.platform.launch(client, deployment="dep-beta", roles=[role])
    assert launched.status_code == 303 and urlparse(launched.headers["location"]).path == "/course/beta/admin"
    page = client.get(launched.headers["location"])
    assert page.status_code == 200 and "instructor page" in page.text
    assert 'target="_blank"' in page.text  # the one line for an LMS frame that blocks the cookie
    assert 'action="/course/beta/admin"' in page.text and 'href="/course/beta/faq"' in page.text
    assert client.get("/course/beta/admin").status_code == 200  # the signed session cookie
    assert client.get("/course/beta/api/admin/questions").status_code == 200
    assert client.get("/course/alpha/admin").status_code == 404  # another course: not this session's
    assert client.get("/admin").status_code == 404


def test_the_launched_admin_page_works_without_any_cookie(site: Site) -> None:
    """Inside an LMS frame that blocks cookies: every link and form of the page carries the session."""
    client = site.client()
    launched = site.platform.launch(client, deployment="dep-alpha", roles=[INSTRUCTOR])
    value = parse_qs(urlparse(launched.headers["location"]).query)["s"][0]
    site.course("alpha").questions.pass_on("Will the alpha exam be open book?")
    page = client.get(launched.headers["location"])
    client.cookies.clear()
    assert client.get("/course/alpha/admin?days=7").status_code == 404  # no cookie, no session: nothing
    assert f'name="s" value="{value}"' in page.text  # the period form
    assert client.get("/course/alpha/admin", params={"days": "7", "s": value}).status_code == 200
    export = (
        page.text.split('href="/course/alpha/api/admin/questions?')[1].split('"')[0].replace("&amp;", "&")
    )
    assert client.get(f"/course/alpha/api/admin/questions?{export}").status_code == 200
    action = page.text.split('action="/course/alpha/admin/answer/')[1].split('"')[0]
    answered = client.post(
        f"/course/alpha/admin/answer/{action}", data={"answer": "Yes."}, follow_redirects=False
    )
    assert answered.status_code == 303 and f"s={value}" in answered.headers["location"]


def test_deep_linking_round_trip(site: Site) -> None:
    client = site.client()
    picker = site.platform.launch(
        client, deployment="dep-alpha", roles=[INSTRUCTOR], message_type="LtiDeepLinkingRequest"
    )
    assert picker.status_code == 200 and 'action="/lti/deep-link"' in picker.text
    pending = picker.text.split('name="pending" value="')[1].split('"')[0]
    back = client.post("/lti/deep-link", data={"pending": pending})
    assert back.status_code == 200
    assert f'action="{site.platform.issuer}/deep_links/return"' in back.text
    response_jwt = back.text.split('name="JWT" value="')[1].split('"')[0]
    claims = site.platform.accept_deep_link(response_jwt, client.get("/lti/jwks").json())
    lti = "https://purl.imsglobal.org/spec/lti/claim/"
    dl = "https://purl.imsglobal.org/spec/lti-dl/claim/"
    assert claims[lti + "message_type"] == "LtiDeepLinkingResponse"
    assert claims[lti + "deployment_id"] == "dep-alpha" and claims[dl + "data"] == "opaque-platform-data"
    (item,) = claims[dl + "content_items"]
    assert item["type"] == "ltiResourceLink" and item["url"].endswith("/lti/launch")
    assert client.post("/lti/deep-link", data={"pending": pending + "x"}).status_code == 400


def test_a_learner_cannot_add_the_tool(site: Site) -> None:
    refused = site.platform.launch(
        site.client(), deployment="dep-alpha", roles=[LEARNER], message_type="LtiDeepLinkingRequest"
    )
    assert refused.status_code == 403 and "only instructors" in refused.text


BAD_LAUNCHES = {
    "bad signature": ({"key": "other"}, "signature does not match"),
    "wrong audience": ({"aud": "another-tool"}, "another tool"),
    "expired token": ({"lifetime_s": -600}, "expired"),
    "unknown deployment": ({"deployment": "dep-nowhere"}, "unknown deployment"),
    "missing role": ({"roles": None}, "no role claim"),
}


def _logged_rows(site: Site) -> int:
    return sum(len(site.log(c).rows()) for c in (None, "alpha", "beta"))


def _server_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the server logged (the test client's own request lines left out)."""
    return [r for r in caplog.records if not r.name.startswith("httpx")]


def _assert_refused(response: Any, reason: str) -> None:
    assert response.status_code == 400, response.text
    alert = response.text.split('role="alert">')[1].split("</p>")[0]
    assert reason in alert and "\n" not in alert and "Traceback" not in response.text


@pytest.mark.parametrize("case", sorted(BAD_LAUNCHES))
def test_bad_launches_are_refused_with_one_line_and_nothing_logged(
    site: Site, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    changes, reason = BAD_LAUNCHES[case]
    token: dict[str, Any] = {"deployment": "dep-alpha", "roles": [LEARNER], **changes}
    if token.get("key") == "other":
        token["key"] = new_key()
    before = _logged_rows(site)
    with caplog.at_level(logging.INFO):
        response = site.platform.launch(site.client(), **token)
    _assert_refused(response, reason)
    assert _logged_rows(site) == before and not _server_records(caplog)


def test_a_replayed_launch_is_refused(site: Site, caplog: pytest.LogCaptureFixture) -> None:
    client = site.client()
    state, nonce = site.platform.login(client)
    token = site.platform.id_token(nonce, deployment="dep-alpha", roles=[LEARNER])
    assert site.platform.post_launch(client, token, state).status_code == 303
    with caplog.at_level(logging.INFO):
        _assert_refused(site.platform.post_launch(client, token, state), "replayed nonce")
    assert not _server_records(caplog)


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({}, "needs id_token and state"),
        ({"id_token": "not-a-jwt", "state": "x"}, "state is missing, expired or forged"),
    ],
)
def test_malformed_launches(site: Site, form: dict[str, str], reason: str) -> None:
    _assert_refused(site.client().post("/lti/launch", data=form), reason)


def test_malformed_token_unknown_platform_and_huge_body(site: Site) -> None:
    client = site.client()
    state, _ = site.platform.login(client)
    _assert_refused(site.platform.post_launch(client, "not-a-jwt", state), "not a well-formed JWT")
    unknown = client.get("/lti/login", params={"iss": "https://nowhere.example", "login_hint": "u"})
    _assert_refused(unknown, "unknown platform")
    long = client.get("/lti/login", params={"iss": "https://x" + "y\n" * 5000, "login_hint": "u"})
    _assert_refused(long, "unknown platform")
    assert len(long.text.split('role="alert">')[1].split("</p>")[0]) < 400
    huge = client.post("/lti/launch", data={"id_token": "x" * 100_000, "state": "s"})
    assert huge.status_code == 413 and "larger than" in huge.text


def test_two_courses_in_one_process_do_not_cross(site: Site) -> None:
    client = site.client()
    health = {
        c: client.get(f"{p}/api/health").json()
        for c, p in (("alpha", "/course/alpha"), ("beta", "/course/beta"))
    }
    assert health["alpha"]["index_version"] != health["beta"]["index_version"]
    assert client.get("/api/health").status_code == 503  # the default course has no index here: unchanged
    for course in ("alpha", "beta"):
        asked = client.post(f"/course/{course}/api/ask", json={"question": f"{QUESTION} ({course})"})
        assert asked.status_code == 200
    for course, other in (("alpha", "beta"), ("beta", "alpha")):
        questions = [r.question for r in site.log(course).rows()]
        assert any(course in q for q in questions) and not any(f"({other})" in q for q in questions)
        assert all(r.course == course for r in site.log(course).rows())
    assert site.log(None).rows() == []
    site.course("alpha").faq.add_instructor_answer("When is the alpha exam?", "In week 9 (alpha).")
    alpha_faq = client.get("/course/alpha/api/faq").json()
    assert any("alpha" in e["answer"] for e in alpha_faq)
    assert not any("alpha" in e["answer"] for e in client.get("/course/beta/api/faq").json())
    assert site.course("alpha").app.faq_path != site.course("beta").app.faq_path
    # One model: the courses wait in one answer queue, first come first served across courses.
    assert site.course("alpha").queue is site.course("beta").queue is site.course(None).queue


def test_courses_sharing_one_database_keep_their_own_rows(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    alpha, beta, default = (QuestionsLog(url, course=c) for c in ("alpha", "beta", None))
    alpha.pass_on("alpha question")
    beta.pass_on("beta question")
    assert [r.question for r in alpha.requests()] == ["alpha question"]
    assert [r.question for r in beta.requests()] == ["beta question"] and default.requests() == []


def test_pseudonyms_are_keyed_per_course_and_hide_the_platform_id(tmp_path: Path) -> None:
    secret = server_secret(tmp_path)
    assert server_secret(tmp_path) == secret and (tmp_path / "secret.key").stat().st_mode & 0o077 == 0
    one = pseudonym(secret, "https://lms", "student-7", "alpha")
    assert one == pseudonym(secret, "https://lms", "student-7", "alpha")
    assert one != pseudonym(secret, "https://lms", "student-7", "beta")
    assert one != pseudonym(b"another secret", "https://lms", "student-7", "alpha")
    assert "student-7" not in one and len(one) == 32


def test_nothing_of_the_launch_identity_is_stored(site: Site) -> None:
    site.platform.launch(site.client(), deployment="dep-alpha", roles=[LEARNER])
    home = site.app.settings.home
    for path in home.rglob("*"):
        if path.is_file() and path.suffix in (".json", ".sqlite", ".toml"):
            data = path.read_bytes()
            assert b"Ada Student" not in data and b"ada@example.edu" not in data, path


def test_admin_cookie_is_a_signed_expiring_session_not_the_token(tmp_path: Path) -> None:
    app = App(make_settings(tmp_path / "home", ui={"admin_token": "s3cret-token"}), llm=FakeLLM(cited_reply))
    client = TestClient(create_site(app))
    signed = client.post("/admin/login", data={"token": "s3cret-token"}, follow_redirects=False)
    assert signed.status_code == 303
    cookie = signed.cookies.get("atx_admin")
    assert cookie and "s3cret-token" not in cookie and "max-age" in signed.headers["set-cookie"].lower()
    assert client.get("/admin").status_code == 200
    client.cookies.clear()
    client.cookies.set("atx_admin", cookie[:-2] + "xx")
    assert client.get("/admin").status_code == 401
    client.cookies.clear()
    client.cookies.set("atx_admin", "s3cret-token")  # the old cookie held the token: no longer accepted
    assert client.get("/admin").status_code == 401
    expired = Sessions(server_secret(app.settings.home), max_age_s=-1)
    assert expired.read(cookie) is None


def test_cli_builds_a_course_registers_a_platform_and_prints_the_lms_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ui.cli import main

    home = tmp_path / "home"
    monkeypatch.setenv("EXPERT_CHAT_EMBEDDER", "hash")
    monkeypatch.setenv("EXPERT_CHAT_MODEL__KIND", "fake")
    monkeypatch.setenv("EXPERT_CHAT_LTI__TOOL_URL", "https://experts.example.edu/")
    base = ["--home", str(home)]
    assert (
        main([*base, "build", "--course", "dl101", "--source", str(EARLIER_PAGE), "--quiet", "--no-faq"]) == 0
    )
    assert (home / "courses" / "dl101" / "index").is_dir() and not (home / "index").exists()
    assert main([*base, "build", "--course", "../up", "--source", str(EARLIER_PAGE), "--quiet"]) == 2
    assert "bad course id" in capsys.readouterr().err
    platform = [
        *("--issuer", "https://canvas.instructure.com", "--client-id", "10000000042"),
        *("--auth-url", "https://sso.canvaslms.com/api/lti/authorize_redirect"),
        *("--token-url", "https://canvas.example.edu/login/oauth2/token"),
        *("--keyset-url", "https://sso.canvaslms.com/api/lti/security/jwks"),
    ]
    assert main([*base, "lti", "add-platform", *platform, "--deployment", "1:abc", "--course", "dl101"]) == 0
    assert main([*base, "lti", "add-platform", *platform, "--deployment", "2:def"]) == 0
    capsys.readouterr()
    assert main([*base, "lti", "info", "--json"]) == 0
    values = json.loads(capsys.readouterr().out)
    assert values["openid_connect_initiation_url"] == "https://experts.example.edu/lti/login"
    assert values["target_link_uri"] == "https://experts.example.edu/lti/launch"
    assert values["public_jwk_url"] == "https://experts.example.edu/lti/jwks"
    assert values["public_jwk"]["kty"] == "RSA" and "d" not in values["public_jwk"]
    (registered,) = values["platforms"]
    assert registered["deployments"] == {"1:abc": "dl101", "2:def": "default"}
    assert main([*base, "lti", "info"]) == 0
    text = capsys.readouterr().out
    assert all(name in text for name in ("Canvas", "Moodle", "Brightspace", "/lti/login", "/lti/jwks"))
    bad = [*platform[:8], "--keyset-url", "http://evil.example/jwks"]
    assert main([*base, "lti", "add-platform", *bad, "--deployment", "3"]) == 2
    assert "https" in capsys.readouterr().err
    # The server of that home serves the course at /course/dl101/ (and registered it from the folder).
    settings = load_settings(home=home)
    assert settings.course_ids() == ["dl101"]


def test_course_settings_take_their_own_folder_and_overrides(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path / "home", courses={"dl101": {"title": "DL 101", "log_retention_days": 30}}
    )
    course = settings.for_course("dl101")
    assert course.course_home == settings.home / "courses" / "dl101"
    assert (
        course.index_dir == course.course_home / "index" and course.feedback_db.parent == course.course_home
    )
    assert course.ui.title == "DL 101" and course.ui.log_retention_days == 30
    assert course.model_cache_dir == settings.model_cache_dir  # one model for every course
    assert QuestionsLog.from_settings(course).retention_days == 30
    assert settings.for_course(None).index_dir == settings.home / "index"  # the default course: unchanged
    assert settings.course_ids() == ["dl101"]
    for bad in ("../x", "", ".hidden", "a" * 40, "a/b"):
        with pytest.raises(UserError, match="bad course id"):
            settings.for_course(bad)


def test_dynamic_registration_then_a_launch(tmp_path: Path) -> None:
    from ui.lti.commands import tool_values

    settings = make_settings(
        tmp_path / "home", courses={"alpha": {}}, lti={"tool_url": "https://tool.example"}
    )
    platform = LtiPlatform(issuer="https://moodle.example.edu")
    client = TestClient(
        create_site(App(settings, llm=FakeLLM(cited_reply)), keyset_client=platform.http_client())
    )
    url = urlparse(tool_values(settings)["dynamic_registration_urls"]["alpha"])
    assert url.path == "/lti/register"
    key = parse_qs(url.query)["key"][0]
    config = f"{platform.issuer}/.well-known/openid-configuration"
    params = {"openid_configuration": config, "registration_token": "reg-token-1"}
    assert client.get("/lti/register", params={**params, "key": key + "x"}).status_code == 403
    _assert_refused(client.get("/lti/register", params={"key": key}), "no openid_configuration")
    _assert_refused(
        client.get("/lti/register", params={**params, "key": key, "registration_token": "wrong"}),
        "answered 401",
    )
    done = client.get("/lti/register", params={**params, "key": key})
    assert done.status_code == 200 and "org.imsglobal.lti.close" in done.text
    (sent,) = platform.registrations
    assert sent["initiate_login_uri"] == "https://tool.example/lti/login"
    assert sent["jwks_uri"] == "https://tool.example/lti/jwks" and sent["redirect_uris"] == [
        "https://tool.example/lti/launch"
    ]
    platform.client_id = platform.registered_client_id  # the platform now launches with its new client id
    launched = platform.launch(client, deployment="dyn-dep-1", roles=[LEARNER])
    assert (
        launched.status_code == 303 and urlparse(launched.headers["location"]).path == "/course/alpha/embed/"
    )


def test_a_token_must_match_its_login_and_its_nonce(site: Site) -> None:
    client = site.client()
    state, nonce = site.platform.login(client)
    other_nonce = site.platform.id_token("not-the-login-nonce", deployment="dep-alpha", roles=[LEARNER])
    _assert_refused(site.platform.post_launch(client, other_nonce, state), "nonce is not the one")
    other = LtiPlatform(client_id="tool-client-1", issuer="https://other-lms.example.edu")
    foreign = other.id_token(nonce, deployment="dep-alpha", roles=[LEARNER])
    _assert_refused(site.platform.post_launch(client, foreign, state), "unknown platform")
    other.register(site.app.settings.home, {"dep-other": "alpha"})  # known, but not the login's platform
    foreign = other.id_token(nonce, deployment="dep-other", roles=[LEARNER])
    _assert_refused(site.platform.post_launch(client, foreign, state), "another platform than the login")
