"""The web server: one FastAPI app serving the Gradio chat, the embeddable layout and a JSON API.

Routes (see docs/api.md and docs/embed.md):
  /                       the chat (Gradio); `/?embed=1` redirects to the compact layout
  /embed/                 the compact layout for an iframe in a course page
  POST /api/ask           {"question", "history"} -> the Answer JSON of `expert-chat ask --json`
  GET  /api/health        {"status": "ok", "index_version": ...}
  GET  /view/{document}   the stored page with a quoted span highlighted (citation links)
  GET  /static/course_page.html   an example course page embedding the chat
The gradio_client endpoint is `/ask` (api_name "ask") on the full layout.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.app import App, build_app
from assistant.errors import IndexMissingError, UserError
from assistant.settings import Settings
from ui import cards
from ui.chat import WebContext, build_chat, example_questions, parse_history
from ui.feedback import FeedbackStore
from ui.limits import Admission, Busy, RateLimiter

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_BODY_BYTES = 256_000
CONCURRENCY = 8  # events running at once per layout: retrieval is not held up by one generating answer
VIEW_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


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


def create_app(app: App, *, examples: list[str] | None = None) -> FastAPI:
    """The FastAPI app with JSON routes and both Gradio layouts mounted (index must exist for examples)."""
    settings = app.settings
    ctx = WebContext(
        app=app,
        feedback=FeedbackStore(settings.feedback_db),
        limiter=RateLimiter(settings.ui.rate_limit_per_minute),
        examples=examples if examples is not None else _examples(app),
    )
    # One answer is generated at a time; beyond that, `queue_size` requests may wait.
    admission = Admission(settings.ui.queue_size + 1)
    web = FastAPI(title=settings.ui.title, docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    web.state.context = ctx
    web.state.admission = admission
    web.add_middleware(EmbedRedirect)

    @web.get("/api/health")
    def health() -> JSONResponse:
        try:
            version = app.assistant.index_version
        except IndexMissingError:
            return JSONResponse({"status": "no index", "index_version": None}, status_code=503)
        return JSONResponse({"status": "ok", "index_version": version})

    @web.post("/api/ask")
    async def ask(request: Request) -> JSONResponse:
        size = request.headers.get("content-length")
        if size and size.isdigit() and int(size) > MAX_BODY_BYTES:
            return error(413, f"the request body is larger than {MAX_BODY_BYTES} bytes")
        try:
            body: Any = await request.json()
        except Exception:
            return error(400, 'the body must be JSON like {"question": "...", "history": []}')
        if not isinstance(body, dict):
            return error(400, 'the body must be a JSON object like {"question": "..."}')
        question = body.get("question")
        if question is None:
            return error(400, 'missing "question"')
        if not isinstance(question, str):
            return error(400, '"question" must be a string')
        try:
            history = body.get("history")
            turns = parse_history([] if history is None else history)
            question = app.assistant.validate(question)
        except UserError as exc:
            return error(400, str(exc))
        client = request.client.host if request.client else "unknown"
        wait = ctx.limiter.check(f"ip:{client}")
        if wait:
            return error(
                429,
                f"too many questions: the limit is {ctx.limiter.per_minute} a minute; "
                f"retry in {int(wait) + 1} s",
                {"Retry-After": str(int(wait) + 1)},
            )
        try:
            with admission.slot():
                answer = await run_in_threadpool(app.assistant.ask, question, turns)
        except Busy:
            return error(
                503,
                "the assistant is busy with other questions; try again in a minute",
                {"Retry-After": "30"},
            )
        except IndexMissingError as exc:
            return error(503, str(exc))
        except UserError as exc:
            return error(400, str(exc))
        except Exception:
            log.exception("POST /api/ask failed for %r", question)
            return error(500, "the assistant failed to answer; see the server log")
        return JSONResponse(answer.to_json())

    @web.api_route("/api/{rest:path}", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
    def api_unknown(rest: str) -> JSONResponse:
        return error(404, f"no such API endpoint: /api/{rest} (see docs/api.md)")

    @web.get("/view/{document}")
    def view(document: str, start: int = 0, end: int = 0) -> Response:
        try:
            page = app.assistant.page_text(document)
        except IndexMissingError:
            page = None
        if page is None:
            return HTMLResponse("<h1>No such page</h1>", status_code=404, headers=VIEW_HEADERS)
        if not 0 <= start <= end <= len(page):
            return HTMLResponse("<h1>Bad span</h1>", status_code=400, headers=VIEW_HEADERS)
        return HTMLResponse(cards.viewer_page(document, page, start, end), headers=VIEW_HEADERS)

    @web.get("/static/course_page.html")
    def course_page() -> FileResponse:
        return FileResponse(STATIC_DIR / "course_page.html", media_type="text/html")

    mount: dict[str, Any] = {
        "run_history": False,
        "ssr_mode": False,
        "server_name": settings.ui.host,
        "server_port": settings.ui.port,
    }
    for path, compact in (("/embed", True), ("/", False)):  # "/" last: it matches everything
        demo = build_chat(ctx, compact=compact)
        demo.queue(max_size=settings.ui.queue_size, default_concurrency_limit=CONCURRENCY)
        gr.mount_gradio_app(
            web,
            demo,
            path=path,
            footer_links=[] if compact else ["api"],
            css=cards.EMBED_CSS if compact else cards.CSS,
            **mount,
        )
    return web


def _examples(app: App) -> list[str]:
    try:
        return example_questions(app)
    except Exception:  # examples are a nicety: a store problem shows up on the first question instead
        log.warning("could not pick example questions from the comment thread", exc_info=True)
        return []


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """`expert-chat serve`: index on first start, load the model once, then serve until Ctrl+C."""
    import uvicorn

    from assistant.prompt import SYSTEM_PROMPT

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app = build_app(settings)
    if app.store.manifest() is None:
        print("No index yet: indexing the course pages (first start only)…", file=sys.stderr)
        print(app.build(progress=True).line(), file=sys.stderr)
    print("Loading the embedder and the language model…", file=sys.stderr)
    app.assistant.retrieve("warm up")  # embedder and lexical index loaded now, not on the first question
    llm = app.llm
    warm = getattr(llm, "warm_prefix", None)
    if callable(warm):
        warm(SYSTEM_PROMPT)  # the fixed prompt prefix is cached: the first question starts fast
    web = create_app(app)
    host = host or settings.ui.host
    port = port or settings.ui.port
    print(
        f"Ask the Experts is running on http://{host}:{port}/  (embed: http://{host}:{port}/embed/)",
        file=sys.stderr,
    )
    uvicorn.run(web, host=host, port=port, log_level="warning")
