"""The web server: one FastAPI app serving the Gradio chat, the embeddable layout and a JSON API.

Routes (see docs/api.md and docs/embed.md):
  /                       the chat (Gradio); `/?embed=1` redirects to the compact layout
  /embed/                 the compact layout for an iframe in a course page
  POST /api/ask           {"question", "history", "student"?, "page"?} -> the Answer JSON (`ask --json`)
  POST /api/ask/stream    the same, as NDJSON events: sources, queue position, tokens, the answer
  GET  /api/health        {"status": "ok", "index_version", "model_calls", "queue"}
  POST /api/instructor    {"question", "contact"?}: pass a not-covered question on to the instructor
  GET  /faq, /api/faq     the course FAQ (page, JSON list of {"question", "answer", "citations"})
  GET  /admin, /api/admin/questions   the instructor page and the questions log (ui.admin_token)
  GET  /view/{document}   the stored page with a quoted span highlighted (citation links)
  GET  /static/course_page.html   an example course page embedding the chat
The gradio_client endpoint is `/ask` (api_name "ask") on the full layout.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from pydantic import BaseModel, ConfigDict, StrictStr, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.app import App, build_app
from assistant.errors import IndexMissingError, UserError
from assistant.records import FinalEvent, SourcesEvent, TokenEvent, Turn
from assistant.settings import Settings
from ui import cards
from ui.admin import admin_router
from ui.chat import WebContext, build_chat, parse_history
from ui.faq_page import FaqService, faq_router
from ui.feedback import FeedbackStore
from ui.limits import RateLimiter
from ui.questions_log import QuestionsLog
from ui.queue import AnswerQueue, Feed, FeedItem, Refused, Waiting

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_BODY_BYTES = 256_000
POLL_S = 0.5  # how often a waiting API request reports its place and checks that its client is still there
VIEW_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


class AskBody(BaseModel):
    """The body of `POST /api/ask`; `history` is checked turn by turn by `parse_history`."""

    model_config = ConfigDict(extra="ignore")
    question: StrictStr
    history: list[Any] | None = None
    student: StrictStr | None = None  # an opaque id: one question in flight and the hourly limit per student
    page: StrictStr | None = None  # the course page the student is reading: its passages answer


@dataclass(frozen=True)
class AskRequest:
    """A validated `POST /api/ask` body."""

    question: str
    turns: list[Turn]
    student: str
    page: str | None


class InstructorBody(BaseModel):
    """`POST /api/instructor`: a question passed on; a contact only if the student typed one."""

    model_config = ConfigDict(extra="ignore")
    question: StrictStr
    contact: StrictStr | None = None


def _body_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    field = ".".join(str(x) for x in first["loc"]) or "body"
    if first["type"] == "missing":
        return f'missing "{field}"'
    if first["type"] == "model_type":
        return 'the body must be a JSON object like {"question": "..."}'
    if first["type"] == "list_type":
        return f'"{field}" must be a list of {{"role", "content"}} objects (history)'
    return f'"{field}" must be a string'


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


# The one mapping of the user-facing errors to HTTP statuses (most specific first): the message is the
# error's own one line; anything else is the server's fault and is logged, never shown.
USER_ERROR_STATUS: tuple[tuple[type[Exception], int], ...] = ((IndexMissingError, 503), (UserError, 400))


def error_for(exc: Exception) -> JSONResponse:
    """The JSON error a request gets for `exc`: its status and one line."""
    if isinstance(exc, ValidationError):
        return error(400, _body_error(exc))
    for kind, status in USER_ERROR_STATUS:
        if isinstance(exc, kind):
            return error(status, str(exc))
    log.error("answering failed", exc_info=exc)
    return error(500, "the assistant failed to answer; see the server log")


class EmbedRedirect:
    """`/?embed=1` is a documented alias of `/embed/` (pure ASGI: Gradio's event streams pass untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path") == "/":
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            if query.get("embed", [""])[0] in ("1", "true", "yes"):
                rest = {k: v for k, v in query.items() if k != "embed"}
                target = "embed/" + (f"?{urlencode(rest, doseq=True)}" if rest else "")
                await RedirectResponse(target, status_code=307)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class ApiRoutes:
    """The JSON API and the plain pages beside the chat; one instance per web app."""

    def __init__(self, ctx: WebContext) -> None:
        self.ctx = ctx
        self.app = ctx.app
        self.queue = ctx.queue

    def health(self) -> JSONResponse:
        extra = {"model_calls": self.app.model_calls, "queue": self.queue.counts()}
        try:
            version = self.app.assistant.index_version
        except IndexMissingError:
            return JSONResponse({"status": "no index", "index_version": None, **extra}, status_code=503)
        return JSONResponse({"status": "ok", "index_version": version, **extra})

    async def _body(self, request: Request) -> AskRequest | JSONResponse:
        """The validated question, history and student key, or the 4xx response saying what is wrong."""
        size = request.headers.get("content-length")
        if size and size.isdigit() and int(size) > MAX_BODY_BYTES:
            return error(413, f"the request body is larger than {MAX_BODY_BYTES} bytes")
        try:
            raw: Any = await request.json()
        except Exception:
            return error(400, 'the body must be JSON like {"question": "...", "history": []}')
        try:
            body = AskBody.model_validate(raw)
            turns = parse_history([] if body.history is None else body.history)
            client = request.client.host if request.client else "unknown"
            student = f"student:{body.student}" if body.student else f"ip:{client}"
            return AskRequest(self.app.assistant.validate(body.question), turns, student, body.page)
        except (ValidationError, UserError) as exc:
            return error_for(exc)

    def _rate_limited(self, request: Request) -> JSONResponse | None:
        client = request.client.host if request.client else "unknown"
        wait = self.ctx.limiter.check(f"ip:{client}")
        if not wait:
            return None
        return error(
            429,
            f"too many questions: the limit is {self.ctx.limiter.per_minute} a minute; "
            f"retry in {int(wait) + 1} s",
            {"Retry-After": str(int(wait) + 1)},
        )

    async def _admit(self, request: Request) -> Feed | JSONResponse:
        """The question's feed (its place in the queue taken), or the response refusing it."""
        parsed = await self._body(request)
        if isinstance(parsed, JSONResponse):
            return parsed
        limited = self._rate_limited(request)
        if limited is not None:
            return limited
        try:
            ticket = self.queue.join(parsed.student)
        except Refused as exc:
            return error(exc.status, str(exc), {"Retry-After": str(exc.retry_after_s)})
        return Feed(ticket, lambda: self.app.assistant.stream(parsed.question, parsed.turns, parsed.page))

    async def _items(self, feed: Feed, request: Request) -> AsyncIterator[FeedItem]:
        """The feed's items, read without holding a thread while waiting; a client that goes away
        (closed tab, dropped connection) frees its slot at once."""
        checked = time.monotonic()
        try:
            while (item := await run_in_threadpool(feed.next, POLL_S)) is not None:
                if time.monotonic() - checked >= POLL_S:
                    if await request.is_disconnected():
                        return
                    checked = time.monotonic()
                yield item
        finally:
            feed.close()

    async def ask(self, request: Request) -> JSONResponse:
        feed = await self._admit(request)
        if isinstance(feed, JSONResponse):
            return feed
        try:
            async for item in self._items(feed, request):
                if isinstance(item, FinalEvent):
                    self.ctx.log(item.answer, "api")
                    return JSONResponse(item.answer.to_json())
        except Exception as exc:
            return error_for(exc)
        return error(499, "the client went away")

    async def ask_stream(self, request: Request) -> Response:
        """`POST /api/ask/stream`: one JSON object per line (docs/api.md): "sources", "queue" while
        the question waits for the model, "token", then "answer" (or "error")."""
        feed = await self._admit(request)
        if isinstance(feed, JSONResponse):
            return feed
        return StreamingResponse(self._ndjson(feed, request), media_type="application/x-ndjson")

    async def _ndjson(self, feed: Feed, request: Request) -> AsyncIterator[str]:
        try:
            async for item in self._items(feed, request):
                line = self._event_json(item)
                if line is not None:
                    yield json.dumps(line, ensure_ascii=False) + "\n"
        except Exception as exc:
            yield json.dumps({"event": "error", **json.loads(bytes(error_for(exc).body))}) + "\n"

    def _event_json(self, item: FeedItem) -> dict[str, Any] | None:
        if isinstance(item, Waiting):
            return None if item.status is None else {"event": "queue", **item.status.to_json()}
        if isinstance(item, SourcesEvent):
            return {
                "event": "sources",
                "covered": item.covered,
                "pending": item.pending,
                "standalone_question": item.standalone_question,
                "retrieved": [p.to_json() for p in item.retrieved],
            }
        if isinstance(item, TokenEvent):
            return {"event": "token", "text": item.text}
        self.ctx.log(item.answer, "api")
        return {"event": "answer", "answer": item.answer.to_json()}

    async def pass_on(self, request: Request) -> JSONResponse:
        """`POST /api/instructor`: a not-covered question passed on to the instructor."""
        try:
            body = InstructorBody.model_validate(await request.json())
            question = self.app.assistant.validate(body.question)
        except (ValidationError, UserError) as exc:
            return error_for(exc)
        except Exception:
            return error(400, 'the body must be JSON like {"question": "...", "contact": null}')
        row = self.ctx.questions.pass_on(question, body.contact)
        return JSONResponse({"id": row, "status": "passed on to the instructor"})

    def unknown(self, rest: str) -> JSONResponse:
        return error(404, f"no such API endpoint: /api/{rest} (see docs/api.md)")

    def view(self, document: str, start: int = 0, end: int = 0) -> Response:
        try:
            page = self.app.assistant.page_text(document)
        except IndexMissingError:
            page = None
        if page is None:
            return HTMLResponse("<h1>No such page</h1>", status_code=404, headers=VIEW_HEADERS)
        if not 0 <= start <= end <= len(page):
            return HTMLResponse("<h1>Bad span</h1>", status_code=400, headers=VIEW_HEADERS)
        return HTMLResponse(cards.viewer_page(document, page, start, end), headers=VIEW_HEADERS)

    def course_page(self) -> FileResponse:
        return FileResponse(STATIC_DIR / "course_page.html", media_type="text/html")


def create_app(
    app: App,
    *,
    examples: list[str] | None = None,
    faq_path: Path | None = None,
    queue: AnswerQueue | None = None,
) -> FastAPI:
    """The FastAPI app with JSON routes and both Gradio layouts mounted (index must exist for examples).

    `faq_path`: where the built FAQ is kept (default `<home>/faq.json`). The FAQ is not built here:
    `expert-chat build` builds it with the index (no model call before the first question).
    `queue`: the answer queue of the one model, when several courses' apps share it (ui/site.py).
    """
    settings = app.settings
    questions = QuestionsLog.from_settings(settings)
    faq = FaqService(app, questions, faq_path)
    ctx = WebContext(
        app=app,
        feedback=FeedbackStore.from_settings(settings),
        limiter=RateLimiter(settings.ui.rate_limit_per_minute),
        examples=examples if examples is not None else _examples(faq),
        questions=questions,
        faq=faq,
        # `model.batch_size` answers are generated at once; beyond them, `queue_size` questions may wait.
        queue=queue
        or AnswerQueue(
            slots=settings.model.batch_size,
            queue_size=settings.ui.queue_size,
            per_hour=settings.ui.questions_per_hour,
        ),
    )
    web = FastAPI(title=settings.ui.title, docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    web.state.context = ctx
    web.state.queue = ctx.queue
    web.add_middleware(EmbedRedirect)
    web.include_router(faq_router(faq))
    web.include_router(admin_router(faq, questions, settings.ui.admin_token, ctx.queue))

    routes = ApiRoutes(ctx)
    web.add_api_route("/api/health", routes.health, methods=["GET"])
    web.add_api_route("/api/ask", routes.ask, methods=["POST"])
    web.add_api_route("/api/ask/stream", routes.ask_stream, methods=["POST"])
    web.add_api_route("/api/instructor", routes.pass_on, methods=["POST"])
    web.add_api_route("/api/{rest:path}", routes.unknown, methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
    web.add_api_route("/view/{document}", routes.view, methods=["GET"])
    web.add_api_route("/static/course_page.html", routes.course_page, methods=["GET"])

    mount: dict[str, Any] = {
        "run_history": False,
        "ssr_mode": False,
        "server_name": settings.ui.host,
        "server_port": settings.ui.port,
    }
    for path, compact in (("/embed", True), ("/", False)):  # "/" last: it matches everything
        demo = build_chat(ctx, compact=compact)
        # Every question the answer queue admits runs at once (its retrieval and sources are not held
        # up; its model work waits in ui/queue.py, where the student sees the position).
        demo.queue(max_size=settings.ui.queue_size, default_concurrency_limit=settings.ui.queue_size + 1)
        gr.mount_gradio_app(
            web,
            demo,
            path=path,
            footer_links=[] if compact else ["api"],
            css=cards.EMBED_CSS if compact else cards.CARD_CSS,
            js=cards.A11Y_JS,
            **mount,
        )
    return web


def _examples(faq: FaqService) -> list[str]:
    """The FAQ's top entries; before there is a FAQ, questions about the article's topics."""
    try:
        return faq.examples()
    except Exception:  # examples are a nicety: a store problem shows up on the first question instead
        log.warning("could not pick example questions", exc_info=True)
        return []


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """`expert-chat serve`: index on first start, load the model once, then serve until Ctrl+C."""
    import uvicorn

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app = build_app(settings)
    if app.store.manifest() is None:
        print("No index yet: indexing the course pages (first start only)…", file=sys.stderr)
        print(app.build(progress=True).line(), file=sys.stderr)
    print("Loading the embedder and the language model…", file=sys.stderr)
    # Loaded now, not on the first question: the index with its lexical part, the embedder, the model.
    # No model request is made before the first question (the FAQ was written by `expert-chat build`);
    # each prompt family's fixed prefix is evaluated by its first request and kept from then on.
    app.assistant.warm_up()  # everything a question needs before its sources, the model excepted
    _ = app.llm
    from ui.site import create_site

    web = create_site(app)  # the default course, each course built under home/courses, the LTI routes
    for course in web.state.courses[1:]:
        print(
            f"Course {course}: http://{host or settings.ui.host}:{port or settings.ui.port}/course/{course}/",
            file=sys.stderr,
        )
    if web.state.context.faq.stale():
        print(
            "No course FAQ for this index yet: `expert-chat faq --rebuild` builds it (the chat works"
            " without it).",
            file=sys.stderr,
        )
    host = host or settings.ui.host
    port = port or settings.ui.port
    print(
        f"Ask the Experts is running on http://{host}:{port}/  (embed: http://{host}:{port}/embed/)",
        file=sys.stderr,
    )
    uvicorn.run(web, host=host, port=port, log_level="warning")
