"""The LTI routes: /lti/login (OIDC login initiation), /lti/launch, /lti/jwks and /lti/deep-link.

A refused launch gets a page with one line saying why, status 4xx, and nothing is recorded. A learner's
launch opens the course's chat; an instructor's or TA's opens the course's admin page with a signed,
expiring session value (no admin token); a deep-linking launch shows the picker.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from itsdangerous import BadSignature
from starlette.concurrency import run_in_threadpool

from ui.lti.deep_link import pending_request, response_jwt, return_form
from ui.lti.keys import ToolKey
from ui.lti.launch import DEEP_LINKING_REQUEST, Launch, LaunchError, LaunchVerifier
from ui.lti.pseudonym import pseudonym
from ui.lti.registration import CLOSE_SCRIPT, REGISTER_KEY_MAX_AGE_S, register
from ui.sessions import Session, Sessions

LAUNCH_FORM_BYTES = 64_000  # bytes of an LMS form post (a signed id_token with its claims is a few kB)
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "form-action *; frame-ancestors *",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
LAUNCH_PAGE_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#111}"
)


def page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{LAUNCH_PAGE_CSS}</style></head><body><main>{body}</main></body></html>",
        status_code=status,
        headers=PAGE_HEADERS,
    )


def refused(message: str, status: int = 400) -> HTMLResponse:
    """The error page of a refused login or launch: one line (a long value quoted in it is cut)."""
    message = " ".join(message.split())
    message = message if len(message) <= 300 else message[:299] + "…"
    return page(
        "Launch refused", f'<h1>Launch refused</h1><p role="alert">{html.escape(message)}</p>', status
    )


async def form_params(request: Request) -> dict[str, str] | None:
    """Query and form parameters (first value each); None when the body is too large."""
    size = request.headers.get("content-length")
    if size and size.isdigit() and int(size) > LAUNCH_FORM_BYTES:
        return None
    params = {k: v for k, v in request.query_params.items()}
    if request.method == "POST":
        body = await request.body()
        if len(body) > LAUNCH_FORM_BYTES:
            return None
        params.update({k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()})
    return params


@dataclass
class LtiRoutes:
    """The route handlers; `course_url(course)` is the URL prefix of a course's chat and admin page."""

    verifier: LaunchVerifier
    tool_key: ToolKey
    sessions: Sessions
    deep_links: Sessions
    secret: bytes
    courses: Collection[str | None]
    course_url: Callable[[str | None], str]
    title: str
    registrations: Sessions
    http: httpx.Client
    tool_url: str

    async def login(self, request: Request) -> Response:
        params = await form_params(request)
        if params is None:
            return refused(f"the request is larger than {LAUNCH_FORM_BYTES} bytes", 413)
        try:
            return RedirectResponse(self.verifier.login_redirect(params), status_code=302)
        except LaunchError as exc:
            return refused(str(exc))

    async def launch(self, request: Request) -> Response:
        params = await form_params(request)
        if params is None:
            return refused(f"the request is larger than {LAUNCH_FORM_BYTES} bytes", 413)
        try:
            # In a thread: the platform's key set may be fetched, and the nonce store is SQLite.
            launch = await run_in_threadpool(
                self.verifier.verify, params.get("id_token"), params.get("state")
            )
        except LaunchError as exc:
            return refused(str(exc))
        if launch.course not in self.courses:
            return refused(
                f"course {launch.course!r} is not built on this server (expert-chat build --course)"
            )
        if launch.message_type == DEEP_LINKING_REQUEST:
            return self._picker(launch)
        base = self.course_url(launch.course)
        if launch.staff:
            value = self.sessions.sign(Session(launch.course, "instructor"))
            return RedirectResponse(f"{base}/admin?s={quote(value)}", status_code=303)
        student = (
            pseudonym(self.secret, launch.platform.issuer, launch.sub, launch.course) if launch.sub else None
        )
        value = self.sessions.sign(Session(launch.course, "learner", student))
        return RedirectResponse(f"{base}/embed/?lti={quote(value)}", status_code=303)

    def _picker(self, launch: Launch) -> Response:
        if not launch.staff:
            return refused("only instructors and teaching assistants can add this tool to a course", 403)
        accepted = launch.deep_linking.get("accept_types") or ["ltiResourceLink"]
        if "ltiResourceLink" not in accepted:
            return refused("the platform does not accept an LTI resource link here (accept_types)")
        pending = self.deep_links.dumps(pending_request(launch))
        return page(
            f"Add {self.title}",
            f"<h1>Add {html.escape(self.title)}</h1><p>Adds the course's question chat to this page or "
            'module.</p><form method="post" action="/lti/deep-link">'
            f'<input type="hidden" name="pending" value="{html.escape(pending, quote=True)}">'
            f'<button type="submit">Add {html.escape(self.title)}</button></form>',
        )

    async def deep_link(self, request: Request) -> Response:
        params = await form_params(request)
        if params is None:
            return refused(f"the request is larger than {LAUNCH_FORM_BYTES} bytes", 413)
        try:
            pending: Any = self.deep_links.loads(params.get("pending") or "", 3600)
        except BadSignature:
            return refused(
                "the deep-linking request is missing, expired or forged: start again from the course"
            )
        token = response_jwt(self.tool_key, pending, launch_url=self.verifier.launch_url, title=self.title)
        return (
            page("Adding the tool…", "", 200)
            if not pending.get("r")
            else HTMLResponse(return_form(pending["r"], token), headers=PAGE_HEADERS)
        )

    async def register(self, request: Request) -> Response:
        """Dynamic Registration, opened by the LMS with the URL `expert-chat lti info` printed."""
        params = await form_params(request)
        if params is None:
            return refused(f"the request is larger than {LAUNCH_FORM_BYTES} bytes", 413)
        try:
            key: Any = self.registrations.loads(params.get("key") or "", REGISTER_KEY_MAX_AGE_S)
        except BadSignature:
            return refused("the registration link is missing, expired or forged: `expert-chat lti info`", 403)
        if not params.get("openid_configuration"):
            return refused("open this link from the LMS's dynamic registration (no openid_configuration)")
        try:
            platform = await run_in_threadpool(
                lambda: register(
                    self.http,
                    self.verifier.platforms,
                    openid_configuration=params["openid_configuration"],
                    registration_token=params.get("registration_token"),
                    course=str(key.get("course")),
                    tool_url=self.tool_url,
                    title=self.title,
                )
            )
        except LaunchError as exc:
            return refused(str(exc))
        deployments = (
            ", ".join(platform.deployments) or "none yet: add one with `expert-chat lti add-platform`"
        )
        return page(
            "Registered",
            f"<h1>Registered</h1><p>{html.escape(self.title)} is registered with "
            f"{html.escape(platform.issuer)} (client id {html.escape(platform.client_id)}); deployments: "
            f"{html.escape(deployments)}.</p><script>{CLOSE_SCRIPT}</script>",
        )

    def jwks(self) -> JSONResponse:
        return JSONResponse(self.tool_key.jwks(), headers={"Cache-Control": "public, max-age=3600"})


def lti_router(routes: LtiRoutes) -> APIRouter:
    router = APIRouter()
    router.add_api_route("/lti/login", routes.login, methods=["GET", "POST"])
    router.add_api_route("/lti/launch", routes.launch, methods=["POST"])
    router.add_api_route("/lti/deep-link", routes.deep_link, methods=["POST"])
    router.add_api_route("/lti/jwks", routes.jwks, methods=["GET"])
    router.add_api_route("/lti/register", routes.register, methods=["GET"])
    return router
