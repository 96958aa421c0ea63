"""One server, many courses: the default course at `/` (exactly as a one-course server) and each
registered course at `/course/<id>/` (its own index, FAQ, questions log, feedback and admin page),
plus the LTI tool routes (`ui/lti/`) that send each launch to its course.
"""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from starlette.routing import Mount

from assistant.app import App
from ui.lti.commands import tool_url
from ui.lti.keys import PlatformKeys, ToolKey
from ui.lti.launch import LaunchVerifier
from ui.lti.nonces import NonceStore
from ui.lti.platforms import PlatformRegistry
from ui.lti.routes import LtiRoutes, lti_router
from ui.server import create_app
from ui.sessions import Sessions, server_secret


def course_url(course: str | None) -> str:
    """The URL prefix of a course's pages: '' for the default course."""
    return "" if course is None else f"/course/{course}"


def lti_routes(app: App, courses: list[str | None], keyset_client: httpx.Client | None = None) -> LtiRoutes:
    settings = app.settings
    home = settings.home
    verifier = LaunchVerifier(
        PlatformRegistry.under(home),
        PlatformKeys(keyset_client),
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
    )


def create_site(app: App, *, keyset_client: httpx.Client | None = None, **options: Any) -> FastAPI:
    """The web app of the default course with every registered course mounted beside it, and LTI.

    `keyset_client`: the HTTP client that fetches platforms' key sets (tests pass the simulator's).
    """
    web = create_app(app, **options)
    courses: list[str | None] = [None]
    front: list[Any] = []
    for course in app.settings.course_ids():
        front.append(Mount(course_url(course), app=create_app(app.for_course(course))))
        courses.append(course)
    front.extend(lti_router(lti_routes(app, courses, keyset_client)).routes)
    # Before the default course's catch-all Gradio mount at "/".
    web.router.routes[:0] = front
    web.state.courses = courses
    return web
