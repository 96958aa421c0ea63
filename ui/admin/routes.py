"""The instructor's HTTP routes; with no token (and no LTI launch) they all answer 404."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from assistant.errors import UserError
from ui.admin.analytics import AdminData
from ui.admin.auth import InstructorSessions, authorized, base_path, same_token
from ui.admin.export import export_csv
from ui.admin.pages import admin_page, limits_rows, login_page, message_page
from ui.faq_page import FaqService
from ui.questions_log import QuestionsLog
from ui.queue import AnswerQueue
from ui.sessions import Sessions

ADMIN_FORM_BYTES = 20_000  # bytes read of an instructor's form (an answer to a passed-on question)
DEFAULT_DAYS, MAX_DAYS = 30, 3650


def _days(value: str | None) -> int:
    try:
        days = int(value or DEFAULT_DAYS)
    except ValueError:
        return DEFAULT_DAYS
    return min(max(days, 1), MAX_DAYS)


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body())[:ADMIN_FORM_BYTES].decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(body).items()}


class AdminRoutes:
    """The instructor's routes of one course."""

    def __init__(
        self, service: FaqService, questions: QuestionsLog, token: str | None, queue: AnswerQueue | None
    ) -> None:
        self.service = service
        self.questions = questions
        self.token = token
        self.queue = queue
        self.data = AdminData(service, questions)
        settings = service.app.settings
        self.title = settings.ui.title
        course = getattr(settings, "course", None)
        self.sessions = InstructorSessions(Sessions.from_settings(settings), course)

    def _gate(self, request: Request, *, api: bool) -> Response | None:
        if self.sessions.present(request):
            return None
        if not self.token:
            return JSONResponse({"error": "not found"}, 404) if api else HTMLResponse("Not found", 404)
        if authorized(request, self.token):
            return None
        if api:
            return JSONResponse(
                {"error": "the instructor token is required (Authorization: Bearer <token>)"},
                401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return HTMLResponse(login_page(self.title, base=base_path(request)), 401)

    def page(self, request: Request, days: str | None = None) -> Response:
        refused = self._gate(request, api=False)
        if refused is not None:
            return refused
        limits = limits_rows(self.service.app.settings.ui, self.queue)
        base, launched = base_path(request), request.query_params.get("s")
        report = self.data.report(_days(days))
        response = HTMLResponse(admin_page(self.title, report, self.questions, limits, base, launched or ""))
        return self.sessions.set(response, request) if launched else response

    async def login(self, request: Request) -> Response:
        if not self.token:
            return HTMLResponse("Not found", 404)
        given = (await _form(request)).get("token", "")
        base = base_path(request)
        if not same_token(given, self.token):
            return HTMLResponse(login_page(self.title, failed=True, base=base), 401)
        return self.sessions.set(RedirectResponse(f"{base}/admin", status_code=303), request)

    async def answer(self, request: Request, request_id: int) -> Response:
        """The instructor's answer to a passed-on question: stored, then added to the FAQ."""
        refused = self._gate(request, api=False)
        if refused is not None:
            return refused
        text = (await _form(request)).get("answer", "")
        try:
            done = self.questions.answer_request(request_id, text)
        except UserError as exc:
            return HTMLResponse(message_page(self.title, str(exc)), 400)
        self.service.add_instructor_answer(done.question, done.answer or text)
        launched = request.query_params.get("s")
        back = f"{base_path(request)}/admin" + (f"?s={quote(launched)}" if launched else "")
        return RedirectResponse(back, status_code=303)

    def questions_api(self, request: Request, days: str | None = None, format: str = "json") -> Response:
        refused = self._gate(request, api=True)
        if refused is not None:
            return refused
        rows = self.questions.rows(since=datetime.now(UTC) - timedelta(days=_days(days)))
        if format == "csv":
            return Response(
                export_csv(rows),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": 'attachment; filename="questions.csv"'},
            )
        return JSONResponse([r.to_json() for r in rows])

    def requests_api(self, request: Request) -> Response:
        refused = self._gate(request, api=True)
        if refused is not None:
            return refused
        return JSONResponse([r.to_json() for r in self.questions.requests()])


def admin_router(
    service: FaqService, questions: QuestionsLog, token: str | None, queue: AnswerQueue | None = None
) -> APIRouter:
    routes = AdminRoutes(service, questions, token, queue)
    router = APIRouter()
    router.add_api_route("/admin", routes.page, methods=["GET"])
    router.add_api_route("/admin/login", routes.login, methods=["POST"])
    router.add_api_route("/admin/answer/{request_id}", routes.answer, methods=["POST"])
    router.add_api_route("/api/admin/questions", routes.questions_api, methods=["GET"])
    router.add_api_route("/api/admin/requests", routes.requests_api, methods=["GET"])
    return router
