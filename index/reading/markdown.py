"""Markdown pages: kept as written, except that block-quote markers (``> ``) are taken off the text.

The quoted lines become layout spans (a quote's words then index the page text exactly, without
markers), fenced code becomes a code span; headings (``#``) and list items stay in the text, where the
article rules read them. Raw HTML blocks (a post exported from a blog engine) are rendered as a browser
shows them (``index.reading.markdown_html``): their headings, block quotes and code become layout spans,
a comment thread in them becomes the page's thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.reading.markdown_html import HtmlPiece, html_block_lines, render_html
from index.records import MarkupComment, PageLayout
from index.vocabulary import BlockKind

_QUOTE_MARK_RE = re.compile(r"^[ \t]{0,3}>[ \t]?")
_ENCLOSED_RE = re.compile(r"[\"“][^\"“”]+[\"”][.!?]?")  # one quotation, marks around all of it
# A block quote's attribution line: a dash and the words after it, nothing else ("— Ana Roe").
_SIGNED_RE = re.compile(r"[ \t]*(?:—|–|--|~)[ \t]*\S.{0,80}")
_FENCE_RE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_FRONT_MATTER_RE = re.compile(
    r"\A(?:\ufeff)?---[ \t]*\n(?P<body>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL
)
_FIELD_RE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<value>\S.*)$")


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """The ``key: value`` fields of a YAML front matter block (``---`` lines), and the text after it."""
    match = _FRONT_MATTER_RE.match(text)
    if match is None:
        return {}, text
    fields = {}
    for line in match.group("body").split("\n"):
        field = _FIELD_RE.match(line)
        if field:
            fields[field.group("key").lower()] = field.group("value").strip().strip("\"'")
    return fields, text[match.end() :]


def _quote_resumes(lines: list[str], n: int) -> bool:
    """A blank line between two ``>`` paragraphs: one quotation set as consecutive block quotes, unless
    each paragraph is a quotation of its own, wholly inside quotation marks (readers' comments listed)."""
    if lines[n].strip():
        return False
    following = next((line for line in lines[n + 1 :] if line.strip()), "")
    marker = _QUOTE_MARK_RE.match(following)
    if marker is None:
        return False
    if _signed_alone(lines, n + 1):
        return False
    previous = next((line for line in reversed(lines[:n]) if line.strip()), "")
    before = _QUOTE_MARK_RE.match(previous)
    own = [
        _ENCLOSED_RE.fullmatch(line[m.end() :].strip())
        for line, m in ((previous, before), (following, marker))
        if m
    ]
    return not (len(own) == 2 and all(own))


def _signed_alone(lines: list[str], n: int) -> bool:
    """Whether the ``>`` lines from ``lines[n]`` on (after blank lines) are a block quote of their own
    words that its last line signs ("> — Ana Roe"): the signature is that block quote's, so the one
    before it is another quotation, not the start of the signed one."""
    run: list[str] = []
    for line in lines[n:]:
        marker = _QUOTE_MARK_RE.match(line)
        if marker is None:
            if run:
                break
            continue
        run.append(line[marker.end() :])
    content = [line for line in run if line.strip()]
    return len(content) > 1 and _SIGNED_RE.fullmatch(content[-1]) is not None


@dataclass
class _Out:
    """The page text being written, line by line, with the spans the markup states."""

    lines: list[str] = field(default_factory=list)
    length: int = 0
    headings: list[tuple[int, int]] = field(default_factory=list)
    quotes: list[tuple[int, int]] = field(default_factory=list)
    code: list[tuple[int, int]] = field(default_factory=list)
    thread_start: int | None = None
    thread: list[MarkupComment] = field(default_factory=list)

    def add(self, line: str) -> tuple[int, int]:
        start = self.length
        self.lines.append(line)
        self.length += len(line) + 1
        return start, start + len(line)

    def paragraph(self, text: str) -> tuple[int, int]:
        """A paragraph of its own: a blank line before it unless the text already ends with one."""
        if self.lines and self.lines[-1].strip():
            self.add("")
        return self.add(text)

    def piece(self, piece: HtmlPiece) -> None:
        """Rendered raw HTML: paragraphs with their spans, or a comment thread."""
        groups: dict[int, tuple[int, int]] = {}
        for paragraph in piece.paragraphs:
            span = self.paragraph(paragraph.text)
            if paragraph.kind == BlockKind.HEADING:
                self.headings.append(span)
            elif paragraph.kind == BlockKind.CODE:
                self.code.append(span)
            elif paragraph.quote is not None:
                groups[paragraph.quote] = (groups.get(paragraph.quote, span)[0], span[1])
        self.quotes.extend(groups.values())
        if piece.thread and self.thread_start is None:
            self.thread_start = self.paragraph("Comments")[0]
            for item in piece.thread:
                if f"{item.author}{item.date_text}".strip():
                    self.paragraph(f"{item.author} {item.date_text}".strip())
                start, end = self.paragraph("\n\n".join(item.paragraphs))
                self.lines.append("")
                self.length += 1
                self.thread.append(
                    MarkupComment(item.author, item.date_text, start, end, item.parent, item.by_post_author)
                )
        if self.lines and self.lines[-1].strip():
            self.add("")


def markdown_layout(text: str) -> tuple[str, PageLayout]:
    """The page text (block-quote markers removed, raw HTML rendered) and the spans of its block quotes,
    code and HTML headings, and the comment thread its HTML states.

    Front matter gives the page's first lines: its title, "By <author>", "Published: <date>"."""
    fields, text = front_matter(text)
    head = [fields[k] for k in ("title",) if fields.get(k)]
    head += [f"By {fields['author']}"] if fields.get("author") else []
    date = fields.get("date") or fields.get("published") or fields.get("pubdate")
    head += [f"Published: {date}"] if date else []
    out = _Out()
    for line in (line for h in head for line in (h, "")):
        out.add(line)
    _write_body(text, out, fields.get("author", ""))
    layout = PageLayout(
        headings=tuple(out.headings),
        block_quotes=tuple(out.quotes),
        code=tuple(out.code),
        thread_start=out.thread_start,
        thread=tuple(out.thread),
    )
    return "\n".join(out.lines), layout


def _write_body(text: str, out: _Out, author: str) -> None:
    """The Markdown body, line by line: block-quote markers off, fences and raw HTML blocks marked."""
    quote_start: int | None = None
    fence_start: int | None = None
    lines = text.split("\n")
    html_blocks = dict(html_block_lines(text)) if "<" in text else {}
    skip_to = 0
    for n, line in enumerate(lines):
        if n < skip_to:
            continue
        marker = None if fence_start is not None else _QUOTE_MARK_RE.match(line)
        if marker is None and quote_start is not None and not _quote_resumes(lines, n):
            out.quotes.append((quote_start, out.length - 1))
            quote_start = None
        if n in html_blocks and fence_start is None and quote_start is None:
            skip_to = html_blocks[n]
            out.piece(render_html("\n".join(lines[n:skip_to]), author))
            continue
        if marker is not None:
            if quote_start is None:
                quote_start = out.length
            line = line[marker.end() :]
        if _FENCE_RE.match(line):
            if fence_start is None:
                fence_start = out.length
            else:
                out.code.append((fence_start, out.length + len(line)))
                fence_start = None
        out.add(line)
    if quote_start is not None:
        out.quotes.append((quote_start, out.length - 1))
