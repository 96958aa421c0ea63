"""Understand one course page: title, article sections, expert quotes with attribution, comment thread.

This module only orchestrates; each job has its own module: ``blocks`` (exact-span paragraphs),
``article`` (boilerplate, headings, sections), ``names`` and ``leadin`` (who is speaking, in which
source), ``quotes`` (the quoted passages), ``comments`` (the thread) and ``spam``. Everything is a
rule about writing style, never a list of the names or phrases of one page. Every record keeps an
exact character span into ``page.text``.
"""

from __future__ import annotations

from collections.abc import Sequence

from index.errors import PageError
from index.quotes.names import join_names, split_speakers
from index.quotes.quotes import find_quotes
from index.reading.article import article_items, article_sections, strip_boilerplate
from index.reading.blocks import page_title, split_blocks, take_updated
from index.reading.dates import parse_date
from index.records import Comment, ParsedPage, SourcePage
from index.text import normalise_text
from index.threads.comments import (
    THREAD_END_RE,
    build_comments,
    comment_headers,
    markup_comments,
    thread_line,
)
from index.threads.spam import is_low_content

NO_QUOTES_NOTE = "no expert quotes recognised in the article"
NO_THREAD_NOTE = "no comment thread found"

__all__ = [
    "NO_QUOTES_NOTE",
    "NO_THREAD_NOTE",
    "is_low_content",
    "join_names",
    "normalise_text",
    "parse_date",
    "parse_page",
    "split_speakers",
]


def parse_page(page: SourcePage, *, extra_site_authors: Sequence[str] = ()) -> ParsedPage:
    """Understand a page; partial results come with warnings, an unrecognisable page is a ``PageError``."""
    text = page.text
    doc = page.document
    warnings: list[str] = []
    if page.encoding != "utf-8":
        warnings.append(f"{doc}: not valid UTF-8, decoded as {page.encoding}; check for garbled characters")

    title, title_end = page_title(text)
    layout = page.layout
    if layout is not None and layout.thread_start is not None:
        comments, site_authors = markup_comments(text, doc, layout.thread, extra_site_authors)
        return _assemble(page, title, title_end, layout.thread_start, warnings, comments, site_authors)
    line = thread_line(text, title)
    headers = comment_headers(text, line.end() if line else title_end)
    if line is not None:
        article_end, thread_start = line.start(), line.end()
    elif headers:
        article_end = thread_start = headers[0].start
    else:
        article_end = thread_start = len(text)
    if line is not None and title_end > line.start():  # the page opens with the thread line
        title = line.group("title") or title
    thread_end_match = THREAD_END_RE.search(text, thread_start)
    thread_end = thread_end_match.start() if thread_end_match else len(text)
    headers = [h for h in headers if h.start < thread_end]

    comments, site_authors = build_comments(text, doc, headers, thread_end, extra_site_authors)
    return _assemble(page, title, title_end, article_end, warnings, comments, site_authors)


def _assemble(
    page: SourcePage,
    title: str,
    title_end: int,
    article_end: int,
    warnings: list[str],
    comments: list[Comment],
    site_authors: list[str],
) -> ParsedPage:
    """The page's records: the article up to ``article_end``, and the comment thread already read."""
    text, doc, layout = page.text, page.document, page.layout
    blocks = split_blocks(text, title_end, article_end)
    updated, blocks = take_updated(blocks)
    items = article_items(strip_boilerplate(blocks), title, layout)
    sections = article_sections(items, doc)
    quotes = find_quotes(items, text, doc)

    if not sections and not comments:
        raise PageError(f"{doc}: nothing recognisable (no article paragraphs and no comment thread)")
    # Many pages have no quotes or no thread: that is information, not a problem with the page.
    notes: list[str] = []
    if not sections:
        warnings.append(f"{doc}: no article text found, only a comment thread")
    elif not quotes:
        notes.append(f"{doc}: {NO_QUOTES_NOTE}")
    if not comments:
        notes.append(f"{doc}: {NO_THREAD_NOTE}")
    return ParsedPage(
        page=page,
        title=title,
        updated=updated,
        sections=tuple(sections),
        quotes=tuple(quotes),
        comments=tuple(comments),
        site_authors=tuple(site_authors),
        warnings=tuple(warnings),
        notes=tuple(notes),
    )
