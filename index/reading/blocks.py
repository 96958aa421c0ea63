"""A page's text as blocks: blank-line-separated runs of lines, each an exact span of the page text."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FIRST_LINE_RE = re.compile(r"^[ \t]*(\S.*?)[ \t]*$", re.MULTILINE)
_UPDATED_RE = re.compile(
    r"^(?:Last\s+Updated(?:\s+on)?|Updated\s+on|Updated:|Published:|Date:)\s*:?\s*(?P<date>\S.*?)\s*$",
    re.IGNORECASE,
)
MARKDOWN_HEADING_RE = re.compile(r"^#{1,6}\s+(?P<text>\S.*?)\s*#*\s*$")


@dataclass(frozen=True)
class Block:
    """A run of non-blank lines; ``text == page_text[start:end]`` (leading indent and trailing space cut)."""

    start: int
    end: int
    text: str

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.split("\n")]


def page_title(text: str) -> tuple[str, int]:
    """First non-blank line (Markdown '#' removed) and the offset just after it."""
    match = _FIRST_LINE_RE.search(text)
    if match is None:
        return "", 0
    heading = MARKDOWN_HEADING_RE.match(match.group(1))
    return (heading.group("text") if heading else match.group(1)), match.end()


def split_blocks(text: str, start: int, end: int) -> list[Block]:
    """Blank-line-separated blocks of ``text[start:end]``; a Markdown heading line is a block of its own."""
    blocks: list[Block] = []
    run: list[tuple[int, int]] = []  # (line start, line end) of the current block

    def flush() -> None:
        if run:
            first, last = run[0], run[-1]
            s = first[0] + (len(text[first[0] : first[1]]) - len(text[first[0] : first[1]].lstrip()))
            e = last[0] + len(text[last[0] : last[1]].rstrip())
            blocks.append(Block(s, e, text[s:e]))
            run.clear()

    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        line = text[pos:line_end]
        if not line.strip():
            flush()
        elif MARKDOWN_HEADING_RE.match(line.strip()):
            flush()
            run.append((pos, line_end))
            flush()
        else:
            run.append((pos, line_end))
        pos = line_end + 1
    flush()
    return blocks


def take_updated(blocks: list[Block]) -> tuple[str | None, list[Block]]:
    """The "Last Updated on ..." date among the first blocks, and the blocks without that line."""
    for index, block in enumerate(blocks[:3]):
        match = _UPDATED_RE.match(block.text)
        if match and "\n" not in block.text:
            return match.group("date"), blocks[:index] + blocks[index + 1 :]
    return None, blocks
