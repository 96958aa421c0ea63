"""What was understood of one page, for a person to check: title, date, main text, quotes, thread."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from index.quotes.quotes import how_found
from index.records import ParsedPage

EDGE_LINES = 3  # lines shown from the start and the end of the main text


@dataclass(frozen=True)
class QuoteLine:
    """One quote as found: who, how the speaker was found, where, and its opening words."""

    speaker: str
    speaker_unknown: bool
    how: str
    char_start: int
    char_end: int
    starts: str


@dataclass(frozen=True)
class ThreadShape:
    comments: int
    top_level: int
    max_depth: int
    author_replies: int
    site_authors: tuple[str, ...]
    spam: int


@dataclass(frozen=True)
class PageReport:
    """`expert-chat inspect PAGE`: everything the assistant will answer from, in short."""

    document: str
    title: str
    date: str | None
    main_chars: int
    paragraphs: int
    first_lines: tuple[str, ...]
    last_lines: tuple[str, ...]
    quotes: tuple[QuoteLine, ...]
    thread: ThreadShape
    warnings: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def page_report(parsed: ParsedPage, words: int = 12) -> PageReport:
    """The report of a parsed page (quotes' "how" as recorded when this process parsed it)."""
    paragraphs = [p.text for s in parsed.sections for p in s.paragraphs]
    lines = [line for p in paragraphs for line in p.split("\n") if line.strip()]
    comments = parsed.comments
    thread = ThreadShape(
        comments=len(comments),
        top_level=sum(1 for c in comments if c.parent is None),
        max_depth=max((c.depth for c in comments), default=0),
        author_replies=sum(1 for c in comments if c.is_author_reply),
        site_authors=parsed.site_authors,
        spam=sum(1 for c in comments if c.spam),
    )
    quotes = tuple(
        QuoteLine(
            q.speaker,
            q.speaker_unknown,
            how_found(q) or "-",
            q.char_start,
            q.char_end,
            " ".join(q.text.split()[:words]),
        )
        for q in parsed.quotes
    )
    return PageReport(
        document=parsed.document,
        title=parsed.title,
        date=parsed.updated,
        main_chars=sum(len(p) for p in paragraphs),
        paragraphs=len(paragraphs),
        first_lines=tuple(lines[:EDGE_LINES]),
        last_lines=tuple(lines[-EDGE_LINES:]) if len(lines) > EDGE_LINES else (),
        quotes=quotes,
        thread=thread,
        warnings=parsed.warnings,
        notes=parsed.notes,
    )
