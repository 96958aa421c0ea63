"""The article of a page: boilerplate dropped (captions, credits, promos, adverts), headings, sections."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.reading.blocks import MARKDOWN_HEADING_RE, Block
from index.records import PageLayout, Paragraph, Section
from index.text import LIST_ITEM_RE, WORD_RE, normalise_text, word_set

_CREDIT_RE = re.compile(
    r"^(?:Photo(?:graph)?|Image|Picture|Slide|Figure|Illustration|Diagram|Chart|Graphic|Screenshot|Cartoon)s?"
    r"(?:\s+credit)?\s*(?:by|from|courtesy of|:)\s+\S.{0,150}$",
    re.IGNORECASE,
)
_OWN_PRODUCT_RE = re.compile(
    r"\b(?:my|our)\s+(?:(?:new|free|latest|upcoming|popular|best-selling)\s+)*"
    r"(?:e-?book|book|course|crash[- ]course|mini-course|email course|bundle|guide|workshop|newsletter"
    r"|masterclass|program(?:me)?)s?\b",
    re.IGNORECASE,
)
_PROMO_CUE_RE = re.compile(
    r"\b(?:kick-?start|jump-?start|get started|step-by-step|source code|sign[- ]up|enrol+|download|free"
    r"|discount|click|grab|buy|order|subscribe|join|coupon|offer)\b",
    re.IGNORECASE,
)
_DISCOVER_HOW_RE = re.compile(r"\bdiscover how\b", re.IGNORECASE)
_FULL_STOP_END_RE = re.compile(r"[^.]\.$")  # a full stop, not an ellipsis
_CALL_TO_ACTION_RE = re.compile(
    r"^(?:click|tap)\b|^(?:learn|read|find out|see) more\b"
    r"|^(?:buy|order|get|grab|download|sign up|subscribe|enrol+|join|start)\b.{0,40}"
    r"\b(?:now|today|here|access|copy|free|instantly)\b",
    re.IGNORECASE,
)
# A paragraph that is only a file's name ("seized cash and cards.jpg"): a media embed's leftover label.
_FILE_NAME_RE = re.compile(
    r"^[^\n]{1,150}\.(?:jpe?g|png|gif|webp|svg|tiff?|bmp|heic|mp[34]|mov|wav|pdf)$", re.IGNORECASE
)
_SMALL_WORDS = word_set(
    "a an the and or but nor for of in on at to by with from as is it its vs via into than"
)


def strip_boilerplate(blocks: list[Block]) -> list[Block]:
    """Drop image captions and credits, the image alt line above them, own-product promos and adverts."""
    drop: set[int] = set()
    for i, block in enumerate(blocks):
        lines = block.lines
        if _CREDIT_RE.match(lines[-1]) and len(lines[-1]) <= 200:
            drop.add(i)
            caption, top = " ".join(lines[:-1]), i
            if not caption and i > 0 and _is_caption_like(blocks[i - 1]):
                top = i - 1  # the caption sits in its own block just above the credit
                drop.add(top)
                caption = " ".join(blocks[top].lines)
            # The image's alt text is repeated as a line of its own just above the caption.
            if (
                caption
                and top > 0
                and normalise_text(" ".join(blocks[top - 1].lines)) == normalise_text(caption)
            ):
                drop.add(top - 1)
        elif (
            len(block.text) <= 400 and _OWN_PRODUCT_RE.search(block.text) and _PROMO_CUE_RE.search(block.text)
        ) or (_FILE_NAME_RE.match(block.text) and ". " not in block.text):
            drop.add(i)
    for i, block in enumerate(blocks):
        if "\n" not in block.text and len(block.text) <= 60 and _CALL_TO_ACTION_RE.search(block.text):
            drop.update(_advert_run(blocks, i))
    return [b for i, b in enumerate(blocks) if i not in drop]


def _is_caption_like(block: Block) -> bool:
    lines = block.lines
    # A caption is a label: no full stop, and no quotation closing it.
    return (
        len(lines) <= 2
        and all(len(line) <= 120 for line in lines)
        and not lines[-1].endswith((".", "”", '"'))
    )


def _advert_run(blocks: list[Block], cta: int) -> range:
    """The advert ending in the call-to-action block ``cta``: the short promotional blocks before it."""
    first = cta
    while first > 0 and cta - first < 12 and _is_ad_like(blocks[first - 1]):
        first -= 1
    run_text = " ".join(b.text for b in blocks[first : cta + 1])
    if _OWN_PRODUCT_RE.search(run_text) or _DISCOVER_HOW_RE.search(run_text):
        return range(first, cta + 1)
    return range(cta, cta + 1) if cta - first <= 1 else range(0)


def _is_ad_like(block: Block) -> bool:
    """Short headline-style lines, not a sentence of prose."""
    lines = block.lines
    words = len(WORD_RE.findall(block.text))
    # A full stop after twelve words is prose; "and more..." is ad-speak.
    is_sentence = bool(_FULL_STOP_END_RE.search(block.text.rstrip())) and words >= 12
    return len(block.text) <= 220 and all(len(line) <= 100 for line in lines) and not is_sentence


def is_title_like(line: str) -> bool:
    """Title Case, short, no sentence-final punctuation: how this style writes headings."""
    line = line.strip()
    if not line or len(line) > 100 or line[-1] in ".,;:" or LIST_ITEM_RE.match(line):
        return False
    words = WORD_RE.findall(line)
    if not words or len(words) > 14 or not words[0][0].isupper():
        return False
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not significant:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised / len(significant) >= 0.75


def _is_heading(block: Block) -> bool:
    lines = block.lines
    if len(lines) == 1 and MARKDOWN_HEADING_RE.match(lines[0]):
        return True
    return len(lines) <= 2 and all(is_title_like(line) for line in lines)


@dataclass(frozen=True)
class Item:
    """An article block with its role: a heading, or a paragraph under ``section``."""

    block: Block
    heading: bool
    section: str
    quote_group: int | None = None  # index of the markup block quote holding it
    code: bool = False  # markup marks it as code

    @property
    def text(self) -> str:
        return self.block.text


def _heading_text(block: Block) -> str:
    lines = []
    for line in block.lines:
        md = MARKDOWN_HEADING_RE.match(line)
        lines.append(md.group("text") if md else line)
    return " ".join(lines)


def _inside(block: Block, spans: tuple[tuple[int, int], ...]) -> int | None:
    """Index of the span that holds ``block``, if any."""
    return next((n for n, (s, e) in enumerate(spans) if s <= block.start and block.end <= e), None)


def article_items(blocks: list[Block], title: str, layout: PageLayout | None = None) -> list[Item]:
    """Blocks with their roles; a layout (HTML, Markdown) states headings, block quotes and code outright."""
    items: list[Item] = []
    section = title
    for block in blocks:
        if layout is None:
            heading, group, code = _is_heading(block), None, False
        else:
            group = _inside(block, layout.block_quotes)
            code = _inside(block, layout.code) is not None
            heading = _inside(block, layout.headings) is not None or (
                len(block.lines) == 1 and bool(MARKDOWN_HEADING_RE.match(block.lines[0]))
            )
        if heading:
            section = _heading_text(block)
        items.append(Item(block, heading, section, None if heading else group, code))
    return items


def article_sections(items: list[Item], doc: str) -> list[Section]:
    found: list[Section] = []
    heading: str | None = None
    paragraphs: list[Paragraph] = []
    for item in items:
        if item.heading or item.section != heading:
            if paragraphs and heading is not None:
                found.append(Section(heading, tuple(paragraphs), doc))
            heading, paragraphs = item.section, []
        if not item.heading:
            b = item.block
            paragraphs.append(Paragraph(b.text, doc, b.start, b.end))
    if paragraphs and heading is not None:
        found.append(Section(heading, tuple(paragraphs), doc))
    return found
