"""Typed records passed between the index stages (parse -> merge -> chunk -> store).

Every record that points into a page carries ``document`` (the page's file name) and a character
span such that ``page_text[char_start:char_end] == text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from index.vocabulary import ChunkKind


@dataclass(frozen=True)
class MarkupComment:
    """A comment read from a page's markup (e.g. a WordPress thread); the span covers its body text."""

    author: str
    date_text: str
    char_start: int
    char_end: int
    parent: int | None  # index of the parent comment in ``PageLayout.thread``
    by_post_author: bool = False  # the markup marks it as written by the post's author


@dataclass(frozen=True)
class PageLayout:
    """Structure a page's markup states outright (HTML, Markdown), as spans into the page text."""

    headings: tuple[tuple[int, int], ...] = ()
    block_quotes: tuple[tuple[int, int], ...] = ()
    code: tuple[tuple[int, int], ...] = ()
    thread_start: int | None = None  # where the comment thread begins (None: no thread in the markup)
    thread: tuple[MarkupComment, ...] = ()


@dataclass(frozen=True)
class SourcePage:
    """A course page as read from disk (decoded text; spans index into ``text``)."""

    document: str
    path: str
    text: str
    sha256: str
    encoding: str = "utf-8"
    layout: PageLayout | None = None  # None: plain text, structure comes from writing style alone


@dataclass(frozen=True)
class Paragraph:
    text: str
    document: str
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Section:
    """An article section: a heading and its paragraphs (boilerplate removed)."""

    heading: str
    paragraphs: tuple[Paragraph, ...]
    document: str


@dataclass(frozen=True)
class Quote:
    """An expert quote: who said it, where and when, and its exact place in the page."""

    speaker: str
    source_title: str | None
    year: int | None
    text: str
    document: str
    char_start: int
    char_end: int
    lead_in: str
    section: str
    speaker_unknown: bool = False  # the page does not name who said it; ``speaker`` is a description

    @property
    def quote_id(self) -> str:
        return f"{self.document}:{self.char_start}-{self.char_end}"

    def to_json(self) -> dict[str, Any]:
        """The fields of `expert-chat quotes --json`."""
        return {
            "speaker": self.speaker,
            "source_title": self.source_title,
            "year": self.year,
            "text": self.text,
            "document": self.document,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "lead_in": self.lead_in,
            "section": self.section,
            "speaker_unknown": self.speaker_unknown,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Quote:
        return cls(**{name: data.get(name) for name in cls.__dataclass_fields__})  # type: ignore[arg-type]


@dataclass(frozen=True)
class Comment:
    """A reader comment or an author reply in the page's discussion thread."""

    comment_id: str
    author: str
    date: datetime | None
    date_text: str
    text: str
    parent: str | None
    thread: str
    depth: int
    is_author_reply: bool
    spam: bool
    document: str
    char_start: int
    char_end: int
    spam_reason: str | None = None
    role: str | None = (
        None  # a CommentRole value, set once the whole thread is known (index/threads/roles.py)
    )
    answers: str | None = None  # for an answer or non-answer: the id of the question it replies to

    def to_json(self) -> dict[str, Any]:
        """The fields of `expert-chat comments --json`."""
        return {
            "id": self.comment_id,
            "author": self.author,
            "date": self.date.isoformat() if self.date else self.date_text,
            "date_text": self.date_text,
            "text": self.text,
            "parent": self.parent,
            "thread": self.thread,
            "depth": self.depth,
            "is_author_reply": self.is_author_reply,
            "spam": self.spam,
            "spam_reason": self.spam_reason,
            "role": self.role,
            "answers": self.answers,
            "document": self.document,
            "char_start": self.char_start,
            "char_end": self.char_end,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Comment:
        date = data.get("date")
        parsed = None
        if date and date != data.get("date_text"):
            try:
                parsed = datetime.fromisoformat(str(date))
            except ValueError:
                parsed = None
        return cls(
            comment_id=data["id"],
            author=data["author"],
            date=parsed,
            date_text=data.get("date_text") or "",
            text=data["text"],
            parent=data.get("parent"),
            thread=data["thread"],
            depth=data["depth"],
            is_author_reply=data["is_author_reply"],
            spam=data["spam"],
            document=data["document"],
            char_start=data["char_start"],
            char_end=data["char_end"],
            spam_reason=data.get("spam_reason"),
            role=data.get("role"),
            answers=data.get("answers"),
        )


@dataclass(frozen=True)
class ParsedPage:
    """Everything understood about one page."""

    page: SourcePage
    title: str
    updated: str | None
    sections: tuple[Section, ...]
    quotes: tuple[Quote, ...]
    comments: tuple[Comment, ...]
    site_authors: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # something may be wrong with the page (its encoding, no article)
    notes: tuple[str, ...] = ()  # what the page does not have, as it may well not (quotes, a thread)

    @property
    def document(self) -> str:
        return self.page.document

    @property
    def latest_date(self) -> datetime | None:
        dates = [c.date for c in self.comments if c.date is not None]
        return max(dates) if dates else None


@dataclass(frozen=True)
class Corpus:
    """Merged view of several pages: overlapping snapshots stored once (newer text preferred)."""

    pages: tuple[ParsedPage, ...]
    sections: tuple[Section, ...]
    quotes: tuple[Quote, ...]
    comments: tuple[Comment, ...]
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def page_text(self, document: str) -> str:
        for parsed in self.pages:
            if parsed.document == document:
                return parsed.page.text
        raise KeyError(document)


@dataclass(frozen=True)
class Chunk:
    """One retrievable unit: the text that is embedded plus the metadata shown with it."""

    chunk_id: str
    kind: ChunkKind
    text: str
    embed_text: str
    document: str
    char_start: int
    char_end: int
    speaker: str | None = None
    source_title: str | None = None
    year: int | None = None
    author: str | None = None
    is_author_reply: bool = False
    role: str | None = None
    question: str | None = None
    question_author: str | None = None
    section: str | None = None
    comment_id: str | None = None
    parent: str | None = None
    thread: str | None = None
    date: str | None = None
    lead_in: str | None = None
    speaker_unknown: bool = False  # an expert quote whose speaker the page only describes
