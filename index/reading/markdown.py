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
    """A blank line between two ``>`` paragraphs: one quotation set as consecutive block quotes."""
    if lines[n].strip():
        return False
    following = next((line for line in lines[n + 1 :] if line.strip()), "")
    return bool(_QUOTE_MARK_RE.match(following))


def markdown_layout(text: str) -> tuple[str, PageLayout]:
    """The page text (block-quote markers removed) and the spans of its block quotes and code.

    Front matter gives the page's first lines: its title, "By <author>", "Published: <date>"."""
    fields, text = front_matter(text)
    head = [fields[k] for k in ("title",) if fields.get(k)]
    head += [f"By {fields['author']}"] if fields.get("author") else []
    date = fields.get("date") or fields.get("published") or fields.get("pubdate")
    head += [f"Published: {date}"] if date else []
    out: list[str] = [line for h in head for line in (h, "")]
    length = sum(len(line) + 1 for line in out)
    quotes: list[tuple[int, int]] = []
    code: list[tuple[int, int]] = []
    quote_start: int | None = None
    fence_start: int | None = None
    lines = text.split("\n")
    for n, line in enumerate(lines):
        marker = None if fence_start is not None else _QUOTE_MARK_RE.match(line)
        if marker is None and quote_start is not None and not _quote_resumes(lines, n):
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
