"""Markdown pages: kept as written, except that block-quote markers (``> ``) are taken off the text.

The quoted lines become layout spans (a quote's words then index the page text exactly, without
markers), fenced code becomes a code span; headings (``#``) and list items stay in the text, where the
article rules read them.
"""

from __future__ import annotations

import re

from index.records import PageLayout

_QUOTE_MARK_RE = re.compile(r"^[ \t]{0,3}>[ \t]?")
_FENCE_RE = re.compile(r"^[ \t]{0,3}(```|~~~)")


def markdown_layout(text: str) -> tuple[str, PageLayout]:
    """The page text (block-quote markers removed) and the spans of its block quotes and code."""
    out: list[str] = []
    length = 0
    quotes: list[tuple[int, int]] = []
    code: list[tuple[int, int]] = []
    quote_start: int | None = None
    fence_start: int | None = None
    for line in text.split("\n"):
        marker = None if fence_start is not None else _QUOTE_MARK_RE.match(line)
        if marker is None and quote_start is not None:
            quotes.append((quote_start, length - 1))
            quote_start = None
        if marker is not None:
            if quote_start is None:
                quote_start = length
            line = line[marker.end() :]
        if _FENCE_RE.match(line):
            if fence_start is None:
                fence_start = length
            else:
                code.append((fence_start, length + len(line)))
                fence_start = None
        out.append(line)
        length += len(line) + 1
    if quote_start is not None:
        quotes.append((quote_start, length - 1))
    return "\n".join(out), PageLayout(block_quotes=tuple(quotes), code=tuple(code))
