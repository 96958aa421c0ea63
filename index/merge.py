"""Merge parsed pages into one corpus: overlapping snapshots of an article are stored once.

Snapshots of the same article share most of their article paragraphs (or, for thread-only pages,
most of their comments). Within such a group the newest snapshot's article text is kept; a comment
found in several snapshots (same author, date and wording) is kept once, as the newest record, and
comments only an older snapshot has are kept with their reply links pointed at the kept records.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace
from datetime import datetime

from index.reading.dates import parse_date
from index.records import Comment, Corpus, ParsedPage, Quote, Section
from index.text import normalise_text

# Share of the smaller page's paragraphs (or comments) two pages must have in common to be snapshots.
SAME_ARTICLE_OVERLAP = 0.5

CommentKey = tuple[str, str, str]


def merge_pages(pages: Sequence[ParsedPage]) -> Corpus:
    """One corpus from the pages: each article once (newest text), each comment once, every page kept."""
    groups = _group_snapshots(pages)
    quotes: list[Quote] = []
    comments: list[Comment] = []
    sections: list[Section] = []
    for group in groups:
        ordered = sorted(group, key=lambda i: _recency(pages[i], i), reverse=True)
        snapshots = [pages[i] for i in ordered]
        primary = next((p for p in snapshots if p.sections), snapshots[0])
        sections.extend(primary.sections)
        quotes.extend(_merge_quotes(primary, snapshots))
        comments.extend(_merge_comments(snapshots))
    warnings = tuple(w for page in pages for w in page.warnings)
    return Corpus(
        pages=tuple(pages),
        sections=tuple(sections),
        quotes=tuple(quotes),
        comments=tuple(comments),
        warnings=warnings,
        notes=tuple(n for page in pages for n in page.notes),
    )


def comment_key(comment: Comment) -> CommentKey:
    """What makes two comment records the same comment: author, date and wording."""
    when = comment.date.isoformat() if comment.date else normalise_text(comment.date_text)
    return normalise_text(comment.author), when, normalise_text(comment.text)


def _recency(page: ParsedPage, position: int) -> tuple[datetime, datetime, int]:
    """Sort key for "newer": latest comment date, else "Last Updated" date, else later in the input."""
    updated = parse_date(page.updated) if page.updated else None
    return page.latest_date or datetime.min, updated or datetime.min, position


def _group_snapshots(pages: Sequence[ParsedPage]) -> list[list[int]]:
    """Indices of pages grouped by article; groups and members keep input order."""
    paragraphs = [{normalise_text(p.text) for s in page.sections for p in s.paragraphs} for page in pages]
    comment_keys = [{comment_key(c) for c in page.comments} for page in pages]
    groups: list[list[int]] = []
    for index in range(len(pages)):
        for group in groups:
            if any(
                _overlaps(paragraphs[index], paragraphs[other])
                or _overlaps(comment_keys[index], comment_keys[other])
                for other in group
            ):
                group.append(index)
                break
        else:
            groups.append([index])
    return groups


def _overlaps(a: AbstractSet[object], b: AbstractSet[object]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= SAME_ARTICLE_OVERLAP


def _merge_quotes(primary: ParsedPage, snapshots: Sequence[ParsedPage]) -> list[Quote]:
    """The primary snapshot's quotes, plus any quote only an older snapshot has."""
    kept = list(primary.quotes)
    seen = {normalise_text(q.text) for q in kept}
    for page in snapshots:
        for quote in page.quotes:
            key = normalise_text(quote.text)
            if key not in seen:
                seen.add(key)
                kept.append(quote)
    return kept


def _merge_comments(snapshots: Sequence[ParsedPage]) -> list[Comment]:
    """Comments of all snapshots (newest first), each once; reply links follow the kept records."""
    kept: list[Comment] = []
    kept_by_key: dict[CommentKey, str] = {}
    replaced: dict[str, str] = {}  # comment id in an older snapshot -> id of the record kept for it
    for page in snapshots:
        for comment in page.comments:
            key = comment_key(comment)
            if key in kept_by_key:
                replaced[comment.comment_id] = kept_by_key[key]
                continue
            kept_by_key[key] = comment.comment_id
            kept.append(comment)
    return [_relink(c, replaced) for c in kept]


def _relink(comment: Comment, replaced: dict[str, str]) -> Comment:
    """Point a kept older comment's parent and thread at the records kept for them."""
    parent = replaced.get(comment.parent, comment.parent) if comment.parent else None
    thread = replaced.get(comment.thread, comment.thread)
    if parent == comment.parent and thread == comment.thread:
        return comment
    return replace(comment, parent=parent, thread=thread)
