"""The instructor page's HTML, rendered from `templates/` by Jinja2 (autoescaped: students' text is
shown, never run). Python prepares the data; the templates hold every word and tag."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape

from assistant.settings import UISettings
from ui.admin.analytics import Report
from ui.questions_log import LoggedQuestion, QuestionsLog
from ui.queue import AnswerQueue

PERIODS = (7, 30, 90, 365)
ADMIN_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:64rem;margin:0 auto;padding:1rem;line-height:1.45;"
    "color:#111;background:#fff}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}"
    "th,td{border-bottom:1px solid #ccc;text-align:left;padding:4px 6px;vertical-align:top}"
    "a{color:#1d4ed8}textarea{width:100%;min-height:4rem}button,select{font-size:1rem}"
    ".muted{color:#374151}details{margin:.3rem 0}.num{text-align:right}"
    "label{font-weight:600}:focus-visible{outline:3px solid #b45309;outline-offset:2px}"
)
CHART_WIDTH, CHART_HEIGHT = 720, 180  # px of the questions-per-day plot


@cache
def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _render(template: str, page_title: str, **values: object) -> str:
    return _templates().get_template(template).render(page_title=page_title, css=ADMIN_CSS, **values)


@dataclass(frozen=True)
class Bar:
    day: str
    count: int
    x: str
    y: str
    width: str
    height: str


@dataclass(frozen=True)
class Chart:
    """Questions per day as an inline SVG bar chart (no scripts, no outside assets)."""

    bars: list[Bar]
    first: str
    last: str
    total: int
    peak: int
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT

    @property
    def axis(self) -> int:
        return self.height - 20


def chart(per_day: Sequence[tuple[str, int]]) -> Chart:
    top = max((n for _, n in per_day), default=0) or 1
    step = CHART_WIDTH / max(len(per_day), 1)
    bars = []
    for i, (day, n) in enumerate(per_day):
        h = (CHART_HEIGHT - 30) * n / top
        x = i * step
        y = CHART_HEIGHT - 20 - h
        bars.append(Bar(day, n, f"{x + 1:.1f}", f"{y:.1f}", f"{max(step - 2, 1):.1f}", f"{h:.1f}"))
    total = sum(n for _, n in per_day)
    first, last = (per_day[0][0], per_day[-1][0]) if per_day else ("", "")
    return Chart(bars, first, last, total, top if total else 0)


def limits_rows(ui: UISettings, queue: AnswerQueue | None) -> list[tuple[str, str, str]]:
    """The limits the instructor set (settings) and, when known, the queue right now."""
    rows = [
        ("Questions per student per hour", f"{ui.questions_per_hour}", "ui.questions_per_hour"),
        ("Questions per student per minute", f"{ui.rate_limit_per_minute}", "ui.rate_limit_per_minute"),
        ("Queue length (questions waiting for the model)", f"{ui.queue_size}", "ui.queue_size"),
    ]
    if queue is not None:
        now = queue.counts()
        rows.append(("Right now", f"{now['answering']} being answered, {now['waiting']} waiting", ""))
    return rows


def _uncertain(rows: Sequence[LoggedQuestion]) -> list[tuple[str, str, str]]:
    """Newest first: the question and its closest passage (who, text)."""
    found = []
    for r in reversed(rows):
        best = json.loads(r.best_candidate) if r.best_candidate else {}
        found.append((r.standalone_question or r.question, best.get("who", ""), best.get("text", "")))
    return found


def _cited(report: Report) -> list[tuple[str, str, int]]:
    return [
        (
            " ".join(str(c.get("quote", "")).split())[:240],
            f"{c.get('speaker') or c.get('author') or ''} ({c.get('label') or ''})",
            n,
        )
        for c, n in report.most_cited
    ]


def admin_page(
    title: str,
    report: Report,
    questions: QuestionsLog,
    limits: list[tuple[str, str, str]],
    base: str = "",
    session: str = "",
) -> str:
    """The page; `session`: an LTI launch's session value, carried by every link and form."""
    keep = f"?s={quote(session)}" if session else ""
    export = f"{base}/api/admin/questions?days={report.days}" + (f"&s={quote(session)}" if session else "")
    thumbs_down = [
        (r.question, r.answer or "", r.feedback_comment or "", f"{r.asked_at:%Y-%m-%d}")
        for r in report.thumbs_down
    ]
    return _render(
        "admin.html",
        f"{title}: instructor page",
        title=title,
        report=report,
        periods=PERIODS,
        base=base,
        launched=session,
        session=session,
        keep=keep,
        export=export,
        chart=chart(report.per_day),
        uncertain=_uncertain(report.uncertain),
        pending=questions.requests(answered=False),
        answered=questions.requests(answered=True),
        thumbs_down=thumbs_down,
        most_cited=_cited(report),
        limits=limits,
    )


def login_page(title: str, failed: bool = False, base: str = "") -> str:
    return _render("login.html", f"{title}: instructor sign-in", failed=failed, base=base)


def message_page(title: str, message: str) -> str:
    return _render("message.html", title, message=message)
