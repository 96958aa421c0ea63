"""The course FAQ in the web app and the CLI: built with the index, served at /faq, rebuilt on request.

The FAQ is built by `expert-chat build` (after the index; `--no-faq` skips it) or `expert-chat faq
--rebuild`, never by the web server on its own: serving makes no model call before the first question.
The assistant consults it through `App.faq` (wired once in the composition root). `FaqService` adds
what the questions log knows (questions asked often, the instructor's answers) to a build, takes an
instructor's answer at once, and picks the chat's example questions. The page and `GET /api/faq` show
the entries of the active index; renderings as Markdown and HTML serve `expert-chat faq` too.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, JSONResponse
from tqdm import tqdm

from assistant.app import App
from assistant.errors import IndexMissingError
from assistant.ready.examples import EXAMPLE_COUNT, faq_examples, topic_examples
from assistant.ready.faq import Faq, FaqEntry, Progress, instructor_answer
from assistant.settings import Settings
from assistant.writing.render import citation_heading
from index.vocabulary import ChunkKind
from ui.questions_log import QuestionsLog


class FaqService:
    """The FAQ of the active index for one process; thread-safe. `path`: keep it elsewhere than home."""

    def __init__(self, app: App, questions: QuestionsLog | None, path: Path | None = None) -> None:
        self.app = app
        self.questions = questions
        if path is not None:
            app.faq.path = path
        self._build_lock = threading.Lock()

    @property
    def path(self) -> Path | None:
        return self.app.faq.path

    @property
    def faq(self) -> Faq | None:
        return self.app.faq.faq

    def _version(self) -> str | None:
        try:
            return self.app.assistant.index_version
        except IndexMissingError:
            return None

    def current(self) -> Faq | None:
        """The entries that hold for the active index (instructor answers hold for any)."""
        faq, version = self.faq, self._version()
        if faq is None or faq.index_version == version:
            return faq
        return Faq(faq.index_version, tuple(e for e in faq.entries if e.origin == "instructor"))

    def stale(self) -> bool:
        version = self._version()
        faq = self.faq
        return version is not None and (faq is None or faq.index_version != version)

    def rebuild(self, progress: Progress | None = None) -> Faq:
        """Build the FAQ now with the model, from the index and the questions log."""
        logged: list[str] = []
        answered: list[tuple[str, str]] = []
        if self.questions is not None:
            logged = list(self.questions.most_asked_texts())
            answered = [(r.question, r.answer or "") for r in self.questions.requests(answered=True)]
        with self._build_lock:
            return self.app.build_faq(logged, answered, progress=progress)

    def add_instructor_answer(self, question: str, text: str) -> None:
        """An instructor's answer joins the FAQ now (and in every later build, from the log)."""
        assistant = self.app.assistant
        result = assistant.retrieve(question)
        answer = instructor_answer(question, text, result.index_version)
        with self._build_lock:
            current = self.faq or Faq(result.index_version, ())
            entry = FaqEntry(question, answer, (question,), (tuple(result.embedding),), 1, "instructor")
            others = tuple(e for e in current.entries if e.question != question)
            self.app.faq.set(Faq(current.index_version, (entry, *others)))
        # The answer cache may hold the earlier "not covered" answer for this very question.
        assistant.cache.put(
            result.index_version, result.standalone_question, result.embedding, replace(answer, faq=True)
        )

    def examples(self, limit: int = EXAMPLE_COUNT) -> list[str]:
        """The FAQ's top entries; without a FAQ, questions about the article's topics (no model call)."""
        faq = self.current()
        found = faq_examples([(e.question, e.origin) for e in faq.entries], limit) if faq else []
        if found:
            return found
        manifest = self.app.store.manifest()
        if manifest is None:
            return []
        kinds = {"kind": {"$in": [ChunkKind.ARTICLE.value, ChunkKind.EXPERT_QUOTE.value]}}
        return topic_examples(self.app.store.iter_metadata(manifest.collection, where=kinds), limit)


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Progress]:
    """One progress bar on stderr for a FAQ build (questions answered of those found)."""
    bar = tqdm(desc="FAQ: answering questions", unit="question", disable=not enabled)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        bar.close()


def asked_as(entry: FaqEntry) -> list[str]:
    """The students' other wordings of an entry's question."""
    return [v for v in entry.variants if v != entry.question]


def to_markdown(faq: Faq, title: str) -> str:
    lines = [f"# {title}: frequently asked questions", ""]
    for entry in faq.entries:
        lines += [f"## {entry.question}", "", entry.answer.answer, ""]
        if asked_as(entry):
            lines += ["Also asked as: " + "; ".join(f"“{v}”" for v in asked_as(entry)), ""]
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
        variants = "; ".join(f"<q>{_esc(v)}</q>" for v in asked_as(entry))
        asked = f'<p class="faq-asked">Also asked as: {variants}</p>' if variants else ""
        parts.append(
            f'<section class="faq-entry" id="q{i}"><h2>{_esc(entry.question)}</h2>'
            f'<p>{_esc(entry.answer.answer)}</p><ol class="faq-cites">{cites}</ol>{asked}</section>'
        )
    return "\n".join(parts)


PAGE_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:48rem;margin:0 auto;padding:1rem;line-height:1.5;"
    "color:#111;background:#fff}h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:1.6rem}"
    "q{font-style:italic}.faq-cites{font-size:.92rem;color:#333}a{color:#1d4ed8}"
    ".empty,.faq-asked{color:#333}.faq-asked{font-size:.92rem}"
)


def faq_page(faq: Faq | None, title: str) -> str:
    body = (
        faq_fragment(faq)
        if faq and faq.entries
        else '<p class="empty">There is no FAQ for this course yet. (Instructors: it is built by '
        "<code>expert-chat build</code> or <code>expert-chat faq --rebuild</code>.)</p>"
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
        return HTMLResponse(faq_page(service.current(), title))

    @router.get("/api/faq")
    def api() -> JSONResponse:
        faq = service.current()
        return JSONResponse(faq.to_json() if faq else [])

    return router


def faq_arguments(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true", help="a JSON list of {question, answer, citations}")
    group.add_argument("--markdown", action="store_true", help="Markdown (the default)")
    group.add_argument("--html", action="store_true", help="an HTML page to publish or paste")
    p.add_argument("--rebuild", action="store_true", help="rebuild even if the index did not change")
    p.add_argument("--quiet", action="store_true", help="no progress bar while building")


def cmd_faq(args: argparse.Namespace, settings: Settings) -> int:
    """`expert-chat faq`: prints the FAQ, built first (with the model) if the index changed since."""
    from assistant.app import build_app

    app = build_app(settings)
    questions = QuestionsLog.from_settings(settings)
    service = FaqService(app, questions)
    faq = service.faq
    if args.rebuild or service.stale():
        with progress_bar(not args.quiet) as progress:
            faq = service.rebuild(progress)
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
