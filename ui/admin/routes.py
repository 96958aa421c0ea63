"""The instructor page `/admin` and `GET /api/admin/questions`, behind `ui.admin_token`.

Unset token: every admin route is 404, unless an LTI launch of an instructor or teaching assistant
opened it (`ui/lti/`). Otherwise a request needs the token as `Authorization: Bearer <token>`, or the
signed, expiring session cookie the login form sets (never the token itself; `ui/sessions.py`). Under a
many-course server the page of course X lives at /course/X/admin and shows only that course's log.
The page shows, for a chosen period: questions per day (an SVG plot with its numbers as a table), the
most asked questions grouped by meaning, the gaps (not-covered questions grouped, with counts),
passed-on questions with a form to answer them (the answer joins the FAQ), thumbs-down answers with
comments, the most cited quotes, and CSV/JSON export.
"""

from __future__ import annotations

import csv
import hmac
import html
import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from assistant.errors import UserError
from assistant.faq import group_by_meaning
from assistant.settings import UISettings
from ui.faq_page import FaqService
from ui.questions_log import LoggedQuestion, QuestionsLog
from ui.queue import AnswerQueue
from ui.sessions import Session, Sessions

COOKIE = "atx_admin"
PERIODS = (7, 30, 90, 365)
TOP = 15
EXPORT_FIELDS = (
    "id",
    "asked_at",
    "question",
    "standalone_question",
    "channel",
    "covered",
    "faq",
    "answer",
    "citations",
    "latency_ms",
    "index_version",
    "feedback",
    "feedback_comment",
)


def _esc(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def authorized(request: Request, token: str) -> bool:
    """The request carries the admin token as a bearer token."""
    header = request.headers.get("authorization", "")
    given = header[7:].strip() if header.lower().startswith("bearer ") else ""
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())


def base_path(request: Request) -> str:
    """The URL prefix the admin routes are mounted under ('' for the default course)."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def launch_note(base: str, launched: str | None) -> str:
    """After an LTI launch: the page's links carry the session (an LMS frame may block the cookie); one
    line offers the page in a window of its own."""
    if not launched:
        return ""
    href = _esc(f"{base}/admin?s={quote(launched)}")
    return (
        f'<p class="muted">Opened from your course. <a href="{href}" target="_blank" rel="noopener">'
        "Open the instructor page in a new window</a> for more room.</p>"
    )


@dataclass(frozen=True)
class Report:
    """What the instructor page shows for one period."""

    days: int
    rows: list[LoggedQuestion]
    per_day: list[tuple[str, int]]
    most_asked: list[tuple[str, int, list[str]]]
    gaps: list[tuple[str, int, list[str]]]  # declined with confidence: nothing close in the material
    uncertain: list[LoggedQuestion]  # declined in the uncertain band: close passages, judged not answering
    thumbs_down: list[LoggedQuestion]
    most_cited: list[tuple[dict[str, Any], int]]


class AdminData:
    """Builds reports from the log; question embeddings are kept for grouping the next report fast."""

    def __init__(self, service: FaqService, questions: QuestionsLog) -> None:
        self.service = service
        self.questions = questions
        self._vectors: dict[str, Sequence[float]] = {}

    def _embed(self, text: str) -> Sequence[float]:
        if text not in self._vectors:
            self._vectors[text] = self.service.app.embedder.embed_query(text)
        return self._vectors[text]

    def _grouped(self, rows: Sequence[LoggedQuestion]) -> list[tuple[str, int, list[str]]]:
        counts = Counter((r.standalone_question or r.question).strip() for r in rows)
        items = [(text, n, "log") for text, n in counts.most_common()]
        groups = group_by_meaning(items, self._embed, self.service.app.settings.ui.faq_similarity)
        return [(g.question, g.count, g.variants) for g in groups[:TOP]]

    def report(self, days: int) -> Report:
        since = datetime.now(UTC) - timedelta(days=days)
        rows = self.questions.rows(since=since)
        per_day = Counter(r.asked_at.date().isoformat() for r in rows)
        start = since.date()
        dates = [(start + timedelta(days=i)).isoformat() for i in range(days + 1)]
        cited: Counter[str] = Counter()
        found: dict[str, dict[str, Any]] = {}
        for r in rows:
            for c in r.citations:
                key = f"{c.get('document')}:{c.get('char_start')}:{c.get('char_end')}"
                cited[key] += 1
                found[key] = c
        return Report(
            days=days,
            rows=rows,
            per_day=[(d, per_day.get(d, 0)) for d in dates],
            most_asked=self._grouped(rows),
            gaps=self._grouped([r for r in rows if not r.covered and r.decline != "uncertain"]),
            uncertain=[r for r in rows if not r.covered and r.decline == "uncertain"][-TOP:],
            thumbs_down=[r for r in rows if r.feedback == -1],
            most_cited=[(found[k], n) for k, n in cited.most_common(TOP)],
        )


def bar_chart(per_day: Sequence[tuple[str, int]], width: int = 720, height: int = 180) -> str:
    """Questions per day as an inline SVG bar chart (no scripts, no outside assets)."""
    top = max((n for _, n in per_day), default=0) or 1
    step = width / max(len(per_day), 1)
    bars = []
    for i, (day, n) in enumerate(per_day):
        h = (height - 30) * n / top
        x = i * step
        bars.append(
            f'<rect x="{x + 1:.1f}" y="{height - 20 - h:.1f}" width="{max(step - 2, 1):.1f}" '
            f'height="{h:.1f}" fill="#1d4ed8"><title>{day}: {n}</title></rect>'
        )
    total = sum(n for _, n in per_day)
    first, last = (per_day[0][0], per_day[-1][0]) if per_day else ("", "")
    return (
        f'<svg class="plot" role="img" aria-labelledby="plot-title" viewBox="0 0 {width} {height}" '
        f'width="100%" height="{height}"><title id="plot-title">Questions per day from {first} to {last}: '
        f"{total} in all, at most {top if total else 0} a day</title>"
        f'<line x1="0" y1="{height - 20}" x2="{width}" y2="{height - 20}" stroke="#555"/>'
        + "".join(bars)
        + f'<text x="0" y="{height - 4}" font-size="12" fill="#222">{first}</text>'
        f'<text x="{width}" y="{height - 4}" font-size="12" fill="#222" text-anchor="end">{last}</text>'
        f'<text x="4" y="14" font-size="12" fill="#222">max {top if total else 0} a day</text></svg>'
    )


CSS = (
    "body{font-family:system-ui,sans-serif;max-width:64rem;margin:0 auto;padding:1rem;line-height:1.45;"
    "color:#111;background:#fff}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}"
    "th,td{border-bottom:1px solid #ccc;text-align:left;padding:4px 6px;vertical-align:top}"
    "a{color:#1d4ed8}textarea{width:100%;min-height:4rem}button,select{font-size:1rem}"
    ".muted{color:#374151}details{margin:.3rem 0}.num{text-align:right}"
    "label{font-weight:600}:focus-visible{outline:3px solid #b45309;outline-offset:2px}"
)


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{CSS}</style></head><body>{body}</body></html>"
    )


def login_page(title: str, failed: bool = False, base: str = "") -> str:
    note = '<p role="alert">That token is not right.</p>' if failed else ""
    return _page(
        f"{title}: instructor sign-in",
        f"<main><h1>Instructor page</h1>{note}"
        f'<form method="post" action="{base}/admin/login"><p><label for="token">Admin token</label><br>'
        '<input id="token" name="token" type="password" autocomplete="current-password" required></p>'
        '<p><button type="submit">Sign in</button></p></form></main>',
    )


def _groups_table(groups: Sequence[tuple[str, int, list[str]]], caption: str, table_id: str) -> str:
    if not groups:
        return f'<p class="muted" id="{table_id}">None in this period.</p>'
    rows = "".join(
        f"<tr><td>{_esc(q)}"
        + (
            f"<details><summary>{len(v)} wordings</summary><ul>"
            + "".join(f"<li>{_esc(x)}</li>" for x in v)
            + "</ul></details>"
            if len(v) > 1
            else ""
        )
        + f'</td><td class="num">{n}</td></tr>'
        for q, n, v in groups
    )
    return (
        f'<table id="{table_id}"><caption class="muted">{_esc(caption)}</caption>'
        f'<thead><tr><th scope="col">Question</th><th scope="col">Times asked</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


CONFIDENT_GAPS = "Declined with confidence (nothing close in the material), most asked first"


def _uncertain_table(rows: Sequence[LoggedQuestion]) -> str:
    if not rows:
        return '<p class="muted" id="uncertain">None in this period.</p>'
    body = []
    for r in reversed(rows):
        best = json.loads(r.best_candidate) if r.best_candidate else {}
        closest = f"<b>{_esc(best.get('who', ''))}</b>: {_esc(best.get('text', ''))}" if best else ""
        body.append(f"<tr><td>{_esc(r.standalone_question or r.question)}</td><td>{closest}</td></tr>")
    return (
        '<table id="uncertain"><caption class="muted">Newest first</caption>'
        '<thead><tr><th scope="col">Question</th><th scope="col">Closest passage</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _requests_html(questions: QuestionsLog, base: str = "", session: str = "") -> str:
    pending = questions.requests(answered=False)
    answered = questions.requests(answered=True)
    parts = []
    for r in pending:
        contact = f" · contact: {_esc(r.contact)}" if r.contact else ""
        parts.append(
            f'<li><p><strong>{_esc(r.question)}</strong> <span class="muted">({r.asked_at:%Y-%m-%d}'
            f"{contact})</span></p>"
            f'<form method="post" action="{base}/admin/answer/{r.id}{_keep(session, "?")}">'
            f'<label for="answer-{r.id}">Your answer'
            f'</label><textarea id="answer-{r.id}" name="answer" required></textarea>'
            '<button type="submit">Publish to the FAQ</button></form></li>'
        )
    done = "".join(f"<li>{_esc(r.question)} — <em>{_esc(r.answer)}</em></li>" for r in answered)
    return (
        f'<ul id="pending">{"".join(parts)}</ul>' if parts else '<p class="muted">No questions waiting.</p>'
    ) + (f"<details><summary>Answered ({len(answered)})</summary><ul>{done}</ul></details>" if done else "")


def _table(table_id: str, heads: Sequence[str], rows: str) -> str:
    if not rows:
        return '<p class="muted">None in this period.</p>'
    head = "".join(f'<th scope="col">{_esc(h)}</th>' for h in heads)
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def limits_html(ui: UISettings, queue: AnswerQueue | None) -> str:
    """The limits the instructor set (settings) and, when known, the queue right now."""
    rows = [
        ("Questions per student per hour", f"{ui.questions_per_hour}", "ui.questions_per_hour"),
        ("Questions per student per minute", f"{ui.rate_limit_per_minute}", "ui.rate_limit_per_minute"),
        ("Queue length (questions waiting for the model)", f"{ui.queue_size}", "ui.queue_size"),
    ]
    if queue is not None:
        now = queue.counts()
        rows.append(("Right now", f"{now['answering']} being answered, {now['waiting']} waiting", ""))
    body = "".join(
        f"<tr><td>{_esc(what)}</td><td>{_esc(value)}</td><td><code>{_esc(name)}</code></td></tr>"
        for what, value, name in rows
    )
    return (
        '<table id="limits"><thead><tr><th scope="col">Limit</th><th scope="col">Value</th>'
        f'<th scope="col">Setting</th></tr></thead><tbody>{body}</tbody></table>'
        '<p class="muted">A student over a limit reads one line saying when to ask again. Counted by each '
        "app process (each has its own model and queue): see docs/deploy.md.</p>"
    )


def _hidden_session(session: str) -> str:
    return f'<input type="hidden" name="s" value="{_esc(session)}">' if session else ""


def _keep(session: str, sep: str) -> str:
    """The launch's session value carried by a link or form, so the page works where cookies are blocked."""
    return f"{sep}s={_esc(quote(session))}" if session else ""


def admin_page(
    title: str,
    report: Report,
    questions: QuestionsLog,
    limits: str = "",
    base: str = "",
    note: str = "",
    session: str = "",
) -> str:
    options = "".join(
        f'<option value="{d}"{" selected" if d == report.days else ""}>last {d} days</option>'
        for d in PERIODS
    )
    counts = "".join(f'<tr><td>{d}</td><td class="num">{n}</td></tr>' for d, n in report.per_day if n)
    down = "".join(
        f"<tr><td>{_esc(r.question)}</td><td>{_esc(r.answer)}</td><td>{_esc(r.feedback_comment)}</td>"
        f"<td>{r.asked_at:%Y-%m-%d}</td></tr>"
        for r in report.thumbs_down
    )
    cited = "".join(
        f"<tr><td>{_esc(' '.join(str(c.get('quote', '')).split())[:240])}</td>"
        f"<td>{_esc(c.get('speaker') or c.get('author') or '')} ({_esc(c.get('label'))})</td>"
        f'<td class="num">{n}</td></tr>'
        for c, n in report.most_cited
    )
    covered = sum(r.covered for r in report.rows)
    export = f"{base}/api/admin/questions?days={report.days}{_keep(session, '&amp;')}"
    body = f"""
<header><h1>{_esc(title)}: instructor page</h1>
{note}<form method="get" action="{base}/admin"><label for="days">Period</label>{_hidden_session(session)}
<select id="days" name="days">{options}</select> <button type="submit">Show</button></form>
<p>{len(report.rows)} questions, {covered} covered by the material. Export:
<a href="{export}&amp;format=csv">CSV</a> · <a href="{export}&amp;format=json">JSON</a> ·
<a href="{base}/faq">the course FAQ</a></p></header>
<main>
<section aria-labelledby="h-plot"><h2 id="h-plot">Questions per day</h2>{bar_chart(report.per_day)}
<details><summary>The numbers</summary><table><thead><tr><th scope="col">Day</th>
<th scope="col">Questions</th></tr></thead><tbody>{counts}</tbody></table></details></section>
<section aria-labelledby="h-gaps"><h2 id="h-gaps">Gaps: questions the material does not cover</h2>
<p class="muted">Grouped by meaning: what to add to the course material.</p>
{_groups_table(report.gaps, CONFIDENT_GAPS, "gaps")}
<h3 id="h-uncertain">Declined, but the material came close</h3>
<p class="muted">The closest passage was near the question, and the model judged that it does not answer
it. Check these: the material may answer them in other words.</p>
{_uncertain_table(report.uncertain)}</section>
<section aria-labelledby="h-pass"><h2 id="h-pass">Passed on to you</h2>
<p class="muted">Students asked these after a "not covered" answer. Your answer joins the FAQ and
the chat uses it from then on.</p>{_requests_html(questions, base, session)}</section>
<section aria-labelledby="h-most"><h2 id="h-most">Most asked</h2>
{_groups_table(report.most_asked, "All questions grouped by meaning", "most-asked")}</section>
<section aria-labelledby="h-down"><h2 id="h-down">Thumbs down</h2>
{_table("thumbs-down", ("Question", "Answer", "Comment", "Day"), down)}
</section>
<section aria-labelledby="h-cited"><h2 id="h-cited">Most cited quotes and passages</h2>
{_table("most-cited", ("Quote", "Who", "Times cited"), cited)}
</section>
<section aria-labelledby="h-limits"><h2 id="h-limits">Limits</h2>{limits}</section></main>"""
    return _page(f"{title}: instructor page", body)


def export_csv(rows: Sequence[LoggedQuestion]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_FIELDS)
    for r in rows:
        data = r.to_json()
        data["citations"] = json.dumps(data["citations"], ensure_ascii=False)
        writer.writerow([_cell(data[k]) for k in EXPORT_FIELDS])
    return out.getvalue()


def _cell(value: Any) -> Any:
    """Guard against CSV injection: text a spreadsheet would run as a formula gets an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _days(value: str | None) -> int:
    try:
        days = int(value or 30)
    except ValueError:
        return 30
    return min(max(days, 1), 3650)


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body())[:20_000].decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(body).items()}


class AdminRoutes:
    """The instructor's routes; with no token they all answer 404, as if they did not exist."""

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
        self.course: str | None = getattr(settings, "course", None)
        self.sessions = Sessions.from_settings(settings)
        self.cookie = COOKIE if self.course is None else f"{COOKIE}_{self.course}"

    def _session(self, request: Request) -> bool:
        """An instructor session of this course: from an LTI launch (`?s=`) or the sign-in cookie."""
        for value in (request.query_params.get("s"), request.cookies.get(self.cookie)):
            session = self.sessions.read(value)
            if session is not None and session.role == "instructor" and session.course == self.course:
                return True
        return False

    def _set_session(self, response: Response, request: Request) -> Response:
        """The signed, expiring instructor session as a cookie of this course's pages."""
        response.set_cookie(
            self.cookie,
            self.sessions.sign(Session(self.course, "instructor")),
            max_age=int(self.sessions.max_age_s),
            httponly=True,
            samesite="lax",
            path=base_path(request) + "/",
        )
        return response

    def _gate(self, request: Request, *, api: bool) -> Response | None:
        if self._session(request):
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
        limits = limits_html(self.service.app.settings.ui, self.queue)
        base, launched = base_path(request), request.query_params.get("s")
        report = self.data.report(_days(days))
        note = launch_note(base, launched)
        page = admin_page(self.title, report, self.questions, limits, base, note, launched or "")
        response = HTMLResponse(page)
        return self._set_session(response, request) if launched else response

    async def login(self, request: Request) -> Response:
        if not self.token:
            return HTMLResponse("Not found", 404)
        given = (await _form(request)).get("token", "")
        base = base_path(request)
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return HTMLResponse(login_page(self.title, failed=True, base=base), 401)
        return self._set_session(RedirectResponse(f"{base}/admin", status_code=303), request)

    async def answer(self, request: Request, request_id: int) -> Response:
        """The instructor's answer to a passed-on question: stored, then added to the FAQ."""
        refused = self._gate(request, api=False)
        if refused is not None:
            return refused
        text = (await _form(request)).get("answer", "")
        try:
            done = self.questions.answer_request(request_id, text)
        except UserError as exc:
            return HTMLResponse(_page(self.title, f"<main><p role='alert'>{_esc(exc)}</p></main>"), 400)
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
