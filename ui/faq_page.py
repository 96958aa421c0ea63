"""The course FAQ in the web app: kept per index version, rebuilt when the index changes, served at /faq.

`FaqService` owns the built FAQ (a JSON file under home), plugs its matcher into the assistant
(answers matching a FAQ entry are instant) and rebuilds in a background thread when the index
version moves on or an instructor answers a passed-on question. The page and `GET /api/faq` show
the covered entries; renderings as Markdown and HTML serve `expert-chat faq` too.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, JSONResponse

from assistant.app import App
from assistant.errors import IndexMissingError
from assistant.examples import faq_examples
from assistant.faq import Faq, FaqEntry, FaqMatcher, build_faq, instructor_answer, thread_questions
from assistant.render import citation_heading
from assistant.settings import Settings
from ui.questions_log import QuestionsLog

log = logging.getLogger(__name__)
VERSION_CHECK_S = 30.0


class FaqService:
    """The FAQ of the active index for one process; thread-safe."""

    def __init__(self, app: App, questions: QuestionsLog | None, path: Path | None = None) -> None:
        self.app = app
        self.questions = questions
        self.path = path or app.settings.home / "faq.json"
        ui = app.settings.ui
        self.matcher = FaqMatcher(ui.faq_similarity)
        self._attached_to: Any = None
        self._build_lock = threading.Lock()
        self._checked_at = 0.0
        self._thread: threading.Thread | None = None
        self.matcher.set(Faq.load(self.path))

    @property
    def faq(self) -> Faq | None:
        return self.matcher.faq

    def attach(self) -> None:
        """Make sure the current assistant consults the FAQ (a rebuilt index makes a new assistant)."""
        assistant = self.app.assistant
        if assistant is not self._attached_to:
            assistant.add_shortcut(self.matcher)
            self._attached_to = assistant

    def stale(self) -> bool:
        try:
            version = self.app.assistant.index_version
        except IndexMissingError:
            return False
        faq = self.faq
        return faq is None or faq.index_version != version

    def refresh_if_stale(self, *, background: bool = True) -> None:
        """Rebuild when the index version changed (checked at most every 30 s)."""
        now = time.monotonic()
        if now - self._checked_at < VERSION_CHECK_S:
            return
        self._checked_at = now
        if self.stale():
            self.rebuild(background=background)

    def rebuild(self, *, background: bool = False) -> Faq | None:
        if not background:
            return self._rebuild()
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._rebuild_logged, name="faq-rebuild", daemon=True)
            self._thread.start()
        return None

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _rebuild_logged(self) -> None:
        try:
            self._rebuild()
        except Exception:
            log.exception("rebuilding the FAQ failed")

    def _rebuild(self) -> Faq:
        with self._build_lock:
            self.attach()
            app = self.app
            manifest = app.store.require_manifest()
            metas = list(app.store.iter_metadata(manifest.collection, where={"kind": "comment"}))
            logged: list[str] = []
            answered: list[tuple[str, str]] = []
            if self.questions is not None:
                logged = list(self.questions.most_asked_texts())
                answered = [(r.question, r.answer or "") for r in self.questions.requests(answered=True)]
            ui = app.settings.ui
            faq = build_faq(
                app.assistant,
                thread_questions(metas),
                logged,
                answered,
                similarity=ui.faq_similarity,
                size=ui.faq_size,
            )
            faq.save(self.path)
            self.matcher.set(faq)
            return faq

    def add_instructor_answer(self, question: str, text: str) -> None:
        """An instructor's answer joins the FAQ now (and in every later rebuild, from the log)."""
        self.attach()
        assistant = self.app.assistant
        result = assistant.retrieve(question)
        answer = instructor_answer(question, text, result.index_version)
        with self._build_lock:
            current = self.faq or Faq(result.index_version, ())
            entry = FaqEntry(question, answer, (question,), (tuple(result.embedding),), 1, "instructor")
            others = tuple(e for e in current.entries if e.question != question)
            faq = Faq(current.index_version, (entry, *others))
            faq.save(self.path)
            self.matcher.set(faq)
        # The answer cache may hold the earlier "not covered" answer for this very question.
        assistant.cache.put(
            result.index_version, result.standalone_question, result.embedding, replace(answer, faq=True)
        )

    def examples(self, limit: int = 4) -> list[str]:
        faq = self.faq
        if faq is None:
            return []
        return faq_examples([e.question for e in faq.entries if e.origin != "instructor"], limit)


def to_markdown(faq: Faq, title: str) -> str:
    lines = [f"# {title}: frequently asked questions", ""]
    for entry in faq.entries:
        lines += [f"## {entry.question}", "", entry.answer.answer, ""]
        for c in entry.answer.citations:
            lines.append(f"> [{c.n}] “{' '.join(c.quote.split())}” — {citation_heading(c)}")
        lines.append("")
    return "\n".join(lines)


def _esc(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def faq_fragment(faq: Faq) -> str:
    """The entries as HTML an instructor can paste into a course page (no scripts, no styles needed)."""
    parts = []
    for i, entry in enumerate(faq.entries, 1):
        cites = "".join(
            f"<li><q>{_esc(' '.join(c.quote.split()))}</q> — {_esc(citation_heading(c))}</li>"
            for c in entry.answer.citations
        )
        parts.append(
            f'<section class="faq-entry" id="q{i}"><h2>{_esc(entry.question)}</h2>'
            f'<p>{_esc(entry.answer.answer)}</p><ol class="faq-cites">{cites}</ol></section>'
        )
    return "\n".join(parts)


PAGE_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:48rem;margin:0 auto;padding:1rem;line-height:1.5;"
    "color:#111;background:#fff}h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:1.6rem}"
    "q{font-style:italic}.faq-cites{font-size:.92rem;color:#333}a{color:#1d4ed8}"
    ".empty{color:#333}"
)


def faq_page(faq: Faq | None, title: str) -> str:
    body = (
        faq_fragment(faq)
        if faq and faq.entries
        else '<p class="empty">The FAQ is being prepared; please come back in a few minutes.</p>'
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}: FAQ</title><style>{PAGE_CSS}</style></head><body>"
        f"<header><h1>{_esc(title)}: frequently asked questions</h1>"
        "<p>Answers checked against the course material; every quote is verbatim. "
        '<a href="/">Ask your own question</a>.</p></header>'
        f"<main>{body}</main></body></html>"
    )


def faq_router(service: FaqService) -> APIRouter:
    router = APIRouter()
    title = service.app.settings.ui.title

    @router.get("/faq")
    def page() -> HTMLResponse:
        service.refresh_if_stale()
        return HTMLResponse(faq_page(service.faq, title))

    @router.get("/api/faq")
    def api() -> JSONResponse:
        service.refresh_if_stale()
        faq = service.faq
        return JSONResponse(faq.to_json() if faq else [])

    return router


def faq_arguments(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true", help="a JSON list of {question, answer, citations}")
    group.add_argument("--markdown", action="store_true", help="Markdown (the default)")
    group.add_argument("--html", action="store_true", help="an HTML page to publish or paste")
    p.add_argument("--rebuild", action="store_true", help="rebuild even if the index did not change")


def cmd_faq(args: argparse.Namespace, settings: Settings) -> int:
    """`expert-chat faq`: answers each FAQ question with the model once per index version."""
    from assistant.app import build_app

    app = build_app(settings)
    questions = QuestionsLog.from_settings(settings)
    service = FaqService(app, questions)
    faq = service.faq
    if args.rebuild or service.stale():
        print("Building the FAQ (each question is answered once)…", file=sys.stderr)
        faq = service.rebuild()
    if faq is None:
        print("no FAQ: build the index first (expert-chat build)", file=sys.stderr)
        return 1
    title = settings.ui.title
    if args.json:
        json.dump(faq.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.html:
        sys.stdout.write(faq_page(faq, title) + "\n")
    else:
        sys.stdout.write(to_markdown(faq, title))
    print(f"{len(faq.entries)} FAQ entries (index {faq.index_version})", file=sys.stderr)
    return 0
