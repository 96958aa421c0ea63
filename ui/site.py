"""One server, many courses: the default course at `/` (exactly as a one-course server) and each
registered course at `/course/<id>/` (its own index, FAQ, questions log, feedback and admin page),
plus the LTI tool routes (`ui/lti/`) that send each launch to its course.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Any
from urllib.parse import parse_qs

import httpx
from fastapi import FastAPI
from starlette.routing import Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.app import App
from ui.lti.commands import tool_url
from ui.lti.keys import PlatformKeys, ToolKey
from ui.lti.launch import LaunchVerifier
from ui.lti.nonces import NonceStore
from ui.lti.platforms import PlatformRegistry
from ui.lti.registration import registration_keys
from ui.lti.routes import LtiRoutes, lti_router
from ui.server import create_app
from ui.sessions import Sessions, current_student, server_secret

SESSION_HEADER = b"x-lti-session"


def course_url(course: str | None) -> str:
    """The URL prefix of a course's pages: '' for the default course."""
    return "" if course is None else f"/course/{course}"


def lti_routes(app: App, courses: list[str | None], keyset_client: httpx.Client | None = None) -> LtiRoutes:
    settings = app.settings
    home = settings.home
    http = keyset_client or httpx.Client(timeout=10.0, follow_redirects=False)
    verifier = LaunchVerifier(
        PlatformRegistry.under(home),
        PlatformKeys(http),
        NonceStore.under(home),
        Sessions.from_settings(settings, salt="lti-state"),
        launch_url=tool_url(settings) + "/lti/launch",
        leeway_s=settings.lti.launch_leeway_s,
    )
    return LtiRoutes(
        verifier=verifier,
        tool_key=ToolKey.under(home),
        sessions=Sessions.from_settings(settings),
        deep_links=Sessions.from_settings(settings, salt="lti-deep-link"),
        secret=server_secret(home),
        courses=courses,
        course_url=course_url,
        title=settings.ui.title,
        registrations=registration_keys(settings),
        http=http,
        tool_url=tool_url(settings),
    )


class LearnerSession:
    """Requests carrying a learner's launch session (header `X-LTI-Session`, or `?lti=` as the launch
    redirect sets it) of the course they address: its pseudonym goes to the questions log."""

    def __init__(self, app: ASGIApp, sessions: Sessions) -> None:
        self.app = app
        self.sessions = sessions

    def _student(self, scope: Scope) -> str | None:
        value = dict(scope.get("headers") or []).get(SESSION_HEADER, b"").decode("latin-1")
        if not value:
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            value = query.get("lti", [""])[0]
        session = self.sessions.read(value) if value else None
        if session is None or session.role != "learner":
            return None
        path = str(scope.get("path", ""))
        course = path.split("/")[2] if path.startswith("/course/") and path.count("/") >= 2 else None
        return session.student if session.course == course else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        student = self._student(scope) if scope["type"] == "http" else None
        if student is None:
            await self.app(scope, receive, send)
            return
        token = current_student.set(student)
        try:
            await self.app(scope, receive, send)
        finally:
            current_student.reset(token)


def _run_lifespans(web: FastAPI, mounted: Sequence[FastAPI]) -> None:
    """Starlette never starts a mounted app's lifespan: the courses' Gradio queues start with the site's."""
    own = web.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(asgi: Any) -> AsyncIterator[Any]:
        async with contextlib.AsyncExitStack() as stack:
            for sub in mounted:
                await stack.enter_async_context(sub.router.lifespan_context(sub))
            async with own(asgi) as state:
                yield state

    web.router.lifespan_context = lifespan


def create_site(app: App, *, keyset_client: httpx.Client | None = None, **options: Any) -> FastAPI:
    """The web app of the default course with every registered course mounted beside it, and LTI.

    `keyset_client`: the HTTP client that fetches platforms' key sets (tests pass the simulator's).
    """
    web = create_app(app, **options)
    courses: list[str | None] = [None]
    front: list[Any] = []
    mounted: list[FastAPI] = []
    for course in app.settings.course_ids():
        mounted.append(create_app(app.for_course(course), queue=web.state.queue))  # one model, one queue
        front.append(Mount(course_url(course), app=mounted[-1]))
        courses.append(course)
    _run_lifespans(web, mounted)
    front.extend(lti_router(lti_routes(app, courses, keyset_client)).routes)
    # Before the default course's catch-all Gradio mount at "/".
    web.router.routes[:0] = front
    web.add_middleware(LearnerSession, sessions=Sessions.from_settings(app.settings))
    web.state.courses = courses
    return web
