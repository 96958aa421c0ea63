"""Raw HTML inside a Markdown page (a post exported from a blog engine keeps its HTML blocks): rendered
the way a browser shows it, not read as Markdown text.

The HTML blocks are the ones CommonMark defines (found by markdown-it-py's parser); consecutive blocks with
only blank lines between them are one piece of markup. Each piece becomes paragraphs: headings, list
items, code, and block quotes with their attribution (a ``<cite>``, ``<footer>`` or ``<small>`` line of its
own inside the quote, written after the quoted words as "— Name"; the line before it, a linked title of
what is quoted, written before the quote). A piece holding a comment thread the markup states
(``index.reading.thread_markup``) becomes the page's thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.etree
import lxml.html
from markdown_it import MarkdownIt

from index.reading.html import classic_thread
from index.reading.thread_markup import ThreadComment, markup_thread
from index.vocabulary import BlockKind

_SPACES_RE = re.compile(r"[ \t\r\n\f\v]+")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl", "dt"),
        *("fieldset", "figcaption", "figure", "footer", "header", "hr", "li", "main", "nav", "ol", "p"),
        *("pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "ul", *_HEADINGS),
    }
)
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "form"})
_SIGNATURE_TAGS = ("cite", "footer", "small")
_PARSER = MarkdownIt("commonmark")
_CONTAINERS = r"(?:div|ol|ul|blockquote|table|section|article|aside|dl|figure)"
_OPEN_RE = re.compile(rf"<{_CONTAINERS}\b", re.IGNORECASE)
_CLOSE_RE = re.compile(rf"</{_CONTAINERS}\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class HtmlParagraph:
    """One paragraph of rendered HTML: its text and kind; paragraphs of one block quote share ``quote``."""

    text: str
    kind: BlockKind = BlockKind.TEXT
    quote: int | None = None


@dataclass
class HtmlPiece:
    """A piece of raw HTML in a Markdown page, rendered: its paragraphs, or the comment thread it holds."""

    paragraphs: list[HtmlParagraph] = field(default_factory=list)
    thread: list[ThreadComment] = field(default_factory=list)


def html_block_lines(text: str) -> list[tuple[int, int]]:
    """Line ranges ``[start, end)`` of the page's top-level raw HTML blocks; blocks separated by blank
    lines only are one range (a thread or a list written over several blocks)."""
    ranges = [
        (token.map[0], token.map[1])
        for token in _PARSER.parse(text)
        if token.type == "html_block" and token.level == 0 and token.map
    ]
    lines = text.split("\n")
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start < merged[-1][1]:
            continue  # inside a block already extended over its unclosed elements
        if merged and all(not line.strip() for line in lines[merged[-1][1] : start]):
            start = merged.pop()[0]
        merged.append((start, _closing_line(lines, start, end)))
    return merged


def _closing_line(lines: list[str], start: int, end: int) -> int:
    """Where the markup opened at ``start`` closes: a block ends at a blank line, but an element it left
    open (a ``<div>`` or ``<ol>`` written over indented lines with blank lines between) runs on to the
    line whose end tag closes it."""
    depth = _open_depth("\n".join(lines[start:end]))
    while depth > 0 and end < len(lines):
        end += 1
        depth += _open_depth(lines[end - 1])
    return end


def _open_depth(markup: str) -> int:
    """Container elements opened and not closed in ``markup`` (negative: closed more than opened)."""
    return len(_OPEN_RE.findall(markup)) - len(_CLOSE_RE.findall(markup))


def _flat(text: str) -> str:
    return _SPACES_RE.sub(" ", text).strip()


class _Renderer:
    """Paragraphs of an element tree: block elements end a paragraph, ``<br>`` ends a line."""

    def __init__(self) -> None:
        self.paragraphs: list[HtmlParagraph] = []
        self._lines: list[str] = []
        self._buffer: list[str] = []
        self._kind = BlockKind.TEXT
        self._quotes = 0

    def render(self, element: lxml.html.HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _SKIPPED or not tag:
            return
        if tag == "blockquote":
            self.flush()
            self._blockquote(element)
            return
        if tag == "br":
            self._end_line()
            return
        block = tag in _BLOCKS
        if block:
            self.flush()
            if tag in _HEADINGS:
                self._kind = BlockKind.HEADING
            elif tag == "pre":
                self._kind = BlockKind.CODE
            elif tag == "li":
                self._buffer.append("• ")
        if tag == "pre":
            self._buffer.append("".join(element.itertext()))
        else:
            self.children(element)
        if block:
            self.flush()

    def children(self, element: lxml.html.HtmlElement) -> None:
        self._buffer.append(element.text or "")
        for child in element:
            self.render(child)
            self._buffer.append(child.tail or "")

    def _end_line(self) -> None:
        line = "".join(self._buffer)
        self._buffer = []
        self._lines.append(line if self._kind == BlockKind.CODE else _flat(line))

    def flush(self) -> None:
        self._end_line()
        lines = [line for line in self._lines if line.strip() and line.strip() != "•"]
        if lines:
            self.paragraphs.append(HtmlParagraph("\n".join(lines), self._kind))
        self._lines, self._kind = [], BlockKind.TEXT

    def _blockquote(self, element: lxml.html.HtmlElement) -> None:
        inner = _Renderer()
        inner.children(element)
        inner.flush()
        signatures = {_flat("".join(e.itertext())) for e in element.iter(*_SIGNATURE_TAGS)}
        lines = [(p, line) for p in inner.paragraphs for line in p.text.split("\n")]
        at = next((n for n, (_, line) in enumerate(lines) if line in signatures), None)
        if at is None:
            quoted = inner.paragraphs
            before: list[str] = []
            signature = ""
        else:
            before = [line for _, line in lines[:at]]
            signature = lines[at][1]
            quoted = _regroup(lines[at + 1 :])
        self.paragraphs.extend(HtmlParagraph(line) for line in before)
        if not quoted:
            if signature:
                self.paragraphs.append(HtmlParagraph(signature))
            return
        n = self._quotes
        self._quotes += 1
        self.paragraphs.extend(HtmlParagraph(p.text, BlockKind.QUOTE, n) for p in quoted)
        if signature:
            self.paragraphs.append(HtmlParagraph("— " + signature.lstrip("—–- "), BlockKind.SIGNATURE, n))


def _regroup(lines: list[tuple[HtmlParagraph, str]]) -> list[HtmlParagraph]:
    """Lines back into the paragraphs they came from."""
    out: list[HtmlParagraph] = []
    previous: HtmlParagraph | None = None
    for paragraph, line in lines:
        if out and paragraph is previous:
            out[-1] = HtmlParagraph(out[-1].text + "\n" + line, paragraph.kind)
        else:
            out.append(HtmlParagraph(line, paragraph.kind))
        previous = paragraph
    return out


def render_html(markup: str, byline: str = "") -> HtmlPiece:
    """One piece of raw HTML: the comment thread it states, else its paragraphs."""
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return HtmlPiece([HtmlParagraph(_flat(markup))] if markup.strip() else [])
    thread = classic_thread(root, byline) or markup_thread(root, byline)
    if thread:
        return HtmlPiece(thread=thread)
    renderer = _Renderer()
    renderer.children(root)
    renderer.flush()
    return HtmlPiece(paragraphs=renderer.paragraphs)
