"""The reader comment thread of a text page: headers, bodies, reply nesting, who speaks for the site.

Comment ids are ``f"{document}#{n}"`` in page order (hand-labelled evaluation data depends on them).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from index.reading.dates import DATE, is_yearless, parse_date, parse_yearless
from index.records import Comment, MarkupComment
from index.text import YEAR_RE, normalise_text, trim_span
from index.threads.spam import spam_reasons

_THREAD_RE = re.compile(
    r"^[ \t]*(?:\d[\d,]*|One|No)[ \t]+(?:Responses?|Comments?|Replies|Reply|Thoughts?)"
    r"(?:[ \t]+(?:to|on)[ \t]+(?P<title>\S.*?))?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
THREAD_END_RE = re.compile(
    r"^[ \t]*(?:Leave a (?:Reply|Comment)|Post a Comment|Submit a Comment)\b.*$", re.IGNORECASE | re.MULTILINE
)
_PUBLISHED_RE = re.compile(r"^(?:Published|Updated|Last Updated on|Date):?[ \t]+\S.*$", re.MULTILINE)
_CLOCK_RE = re.compile(r"\d:\d\d")
_NAME_DATE_RE = re.compile(rf"^(?P<name>\S.{{0,80}}?)\s+(?P<date>{DATE})\s*(?P<hash>#)?\s*$", re.IGNORECASE)
_MARKER_RE = re.compile(r"^(?P<indent>[ \t]*)(?:\d{1,5}[.)]|[•*–-])[ \t]+(?P<rest>\S.*?)\s*$")
# A header line may hold at most this many words of name (longer lines ending in a date are prose).
MAX_NAME_WORDS = 6
# A staff member never starts a thread, answers in at least this many threads, and answers promptly.
STAFF_MIN_THREADS = 3
STAFF_MAX_MEDIAN_DELAY = timedelta(days=7)


def thread_line(text: str, title: str) -> re.Match[str] | None:
    """The "N Responses to <title>" line that opens the comment thread (the one naming the page's title)."""
    matches = list(_THREAD_RE.finditer(text))
    for match in matches:
        if normalise_text(match.group("title") or "") == normalise_text(title):
            return match
    return matches[0] if matches else None


@dataclass(frozen=True)
class Header:
    start: int  # first character of the header (marker line)
    body_start: int  # just after the name/date line
    indent: int
    author: str
    date_text: str


def comment_headers(text: str, start: int) -> list[Header]:
    """Comment headers: "N. [Avatar]" or "• [Avatar]", then "Name Month D, YYYY at H:MM am #"."""
    headers: list[Header] = []
    pos = start
    previous: tuple[int, int, re.Match[str]] | None = None  # (line start, line end, marker match)
    while pos < len(text):
        nl = text.find("\n", pos)
        line_end = len(text) if nl == -1 else nl
        line = text[pos:line_end]
        marker = _MARKER_RE.match(line)
        name_line = marker.group("rest") if marker else line.strip()
        found = _NAME_DATE_RE.match(name_line)
        # A header carries a permalink mark or a clock time; a body line ending in a date does not.
        if found and not (found["hash"] or _CLOCK_RE.search(found["date"])):
            found = None
        if found and _is_author_name(found.group("name")):
            author, date = found["name"], found["date"]
            if marker:
                headers.append(Header(pos, line_end + 1, len(marker["indent"]), author, date))
            elif previous and previous[1] + 1 == pos:
                # A marker line of its own ("1. Avatar") right above the name line.
                p_start, _, p_marker = previous
                headers.append(Header(p_start, line_end + 1, len(p_marker["indent"]), author, date))
            elif found.group("hash"):
                headers.append(Header(pos, line_end + 1, len(line) - len(line.lstrip()), author, date))
        previous = (
            (pos, line_end, marker) if marker and not found and len(marker.group("rest")) <= 40 else None
        )
        pos = line_end + 1
    return headers


def _is_author_name(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= MAX_NAME_WORDS and not name.endswith((".", ",", ":", "?"))


@dataclass
class _Draft:
    """A comment before the page-level decisions (site authors, spam) are made."""

    comment_id: str
    author: str
    date: datetime | None
    date_text: str
    text: str
    start: int
    end: int
    parent: str | None
    thread: str
    depth: int


def build_comments(
    text: str, doc: str, headers: list[Header], thread_end: int, extra_site_authors: Sequence[str]
) -> tuple[list[Comment], list[str]]:
    """The thread of a text page: nesting from indentation, site authors from who answers how."""
    drafts = _drafts(text, doc, headers, thread_end)
    return _finish(drafts, doc, _site_authors(drafts, extra_site_authors))


def markup_comments(
    text: str, doc: str, thread: Sequence[MarkupComment], extra_site_authors: Sequence[str]
) -> tuple[list[Comment], list[str]]:
    """The thread the page's markup states: nesting and the post author's replies as marked up (or as the
    post's byline names them), plus the configured site authors."""
    drafts: list[_Draft] = []
    for n, item in enumerate(thread):
        parent = drafts[item.parent] if item.parent is not None and item.parent < n else None
        comment_id = f"{doc}#{n + 1}"
        drafts.append(
            _Draft(
                comment_id=comment_id,
                author=item.author,
                date=parse_date(item.date_text),
                date_text=item.date_text,
                text=text[item.char_start : item.char_end],
                start=item.char_start,
                end=item.char_end,
                parent=parent.comment_id if parent else None,
                thread=parent.thread if parent else comment_id,
                depth=parent.depth + 1 if parent else 0,
            )
        )
    _fill_years(drafts, text[: thread[0].char_start] if thread else text)
    # The markup marks the post author's replies (``bypostauthor``, the byline's name:
    # ``index.reading.thread_markup``);
    # who answers how often is no evidence here: a reader who answers several others is not the author.
    marked = [item.author for item in thread if item.by_post_author]
    site_authors: list[str] = []
    for name in [*marked, *extra_site_authors]:
        if name.strip() and name.strip().casefold() not in {a.casefold() for a in site_authors}:
            site_authors.append(name.strip())
    return _finish(drafts, doc, site_authors)


def _fill_years(drafts: list[_Draft], article: str) -> None:
    """Yearless dates take the year of the nearest comment before (else after) that has one, else the
    page's own date."""
    line = _PUBLISHED_RE.search(article)
    page = YEAR_RE.search(line.group()) if line else None
    for n, draft in enumerate(drafts):
        if draft.date is not None or not is_yearless(draft.date_text):
            continue
        before = [d.date.year for d in reversed(drafts[:n]) if d.date is not None]
        after = [d.date.year for d in drafts[n + 1 :] if d.date is not None]
        if before or after:
            draft.date = parse_yearless(draft.date_text, (before or after)[0])
        elif page is not None:
            draft.date = parse_yearless(draft.date_text, int(page.group()))


def _finish(drafts: list[_Draft], doc: str, site_authors: list[str]) -> tuple[list[Comment], list[str]]:
    """Comment records: author replies marked, spam flagged among the readers' comments."""
    site = {a.casefold() for a in site_authors}
    reasons = spam_reasons([d for d in drafts if d.author.casefold() not in site])
    comments = [
        Comment(
            comment_id=d.comment_id,
            author=d.author,
            date=d.date,
            date_text=d.date_text,
            text=d.text,
            parent=d.parent,
            thread=d.thread,
            depth=d.depth,
            is_author_reply=d.author.casefold() in site,
            spam=d.comment_id in reasons,
            document=doc,
            char_start=d.start,
            char_end=d.end,
            spam_reason=reasons.get(d.comment_id),
        )
        for d in drafts
    ]
    return comments, site_authors


def _drafts(text: str, doc: str, headers: list[Header], thread_end: int) -> list[_Draft]:
    """Comments with bodies and reply structure; indentation gives the nesting."""
    drafts: list[_Draft] = []
    stack: list[tuple[int, _Draft]] = []  # (indent, comment) of the open ancestors
    for n, header in enumerate(headers):
        body_end = headers[n + 1].start if n + 1 < len(headers) else thread_end
        start, end = trim_span(text, min(header.body_start, body_end), body_end)
        while stack and stack[-1][0] >= header.indent:
            stack.pop()
        parent = stack[-1][1] if stack else None
        comment_id = f"{doc}#{n + 1}"
        draft = _Draft(
            comment_id=comment_id,
            author=header.author.strip(),
            date=parse_date(header.date_text),
            date_text=header.date_text,
            text=text[start:end],
            start=start,
            end=end,
            parent=parent.comment_id if parent else None,
            thread=parent.thread if parent else comment_id,
            depth=len(stack),
        )
        drafts.append(draft)
        stack.append((header.indent, draft))
    return drafts


def _site_authors(drafts: list[_Draft], extra: Sequence[str]) -> list[str]:
    """Who speaks for the site: the main author, staff, and configured names.

    The main author answers in the most threads, preferring those who answer promptly (a reader who
    helps others replies whenever they pass by); staff never start a thread and answer promptly in
    several threads.
    """
    threads: dict[str, set[str]] = defaultdict(set)
    replies: Counter[str] = Counter()
    starters = {d.author.casefold() for d in drafts if d.parent is None}
    names: dict[str, str] = {}
    for d in drafts:
        key = d.author.casefold()
        names.setdefault(key, d.author)
        if d.parent is not None:
            threads[key].add(d.thread)
            replies[key] += 1
    delays = _reply_delays(drafts)

    def prompt(key: str) -> bool:
        waits = sorted(delays.get(key, []))
        return bool(waits) and waits[len(waits) // 2] <= STAFF_MAX_MEDIAN_DELAY

    found: list[str] = []
    ranked = sorted(threads, key=lambda k: (prompt(k), len(threads[k]), replies[k]), reverse=True)
    if ranked:
        top, rest = ranked[0], ranked[1:]
        rivals = [k for k in rest if prompt(k) == prompt(top) and len(threads[k]) >= len(threads[top])]
        if len(threads[top]) >= 2 and not rivals:
            found.append(names[top])
    for key in ranked:
        if (
            key not in starters
            and len(threads[key]) >= STAFF_MIN_THREADS
            and prompt(key)
            and names[key] not in found
        ):
            found.append(names[key])
    for name in extra:
        key = name.strip().casefold()
        if key and key not in {f.casefold() for f in found}:
            found.append(names.get(key, name.strip()))
    return found


def _reply_delays(drafts: list[_Draft]) -> dict[str, list[timedelta]]:
    """For each replier (case-folded name), how long after the comment they answered they replied."""
    by_id = {d.comment_id: d for d in drafts}
    delays: dict[str, list[timedelta]] = defaultdict(list)
    for d in drafts:
        parent = by_id.get(d.parent) if d.parent else None
        if parent and parent.date and d.date:
            delays[d.author.casefold()].append(d.date - parent.date)
    return delays
