"""Understand one course page: title, article sections, expert quotes with attribution, comment thread.

The pages are blog posts in a common style: an article that introduces experts by full name, quotes
them in paragraphs of their own after a lead-in ("In his 2012 paper titled “...” he commented:"),
and a reader comment thread ("N Responses to ...") with indented replies. Everything here is a rule
about that style, never a list of the names or phrases of one page. Every record keeps an exact
character span into ``page.text``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from index.errors import PageError
from index.records import Comment, Paragraph, ParsedPage, Quote, Section, SourcePage

# --- shared patterns ---------------------------------------------------------------------------


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿ"
_SPACES_RE = re.compile(r"\s+")
_DOUBLE_QUOTES_RE = re.compile(r"[“”„\"]")
_SINGLE_QUOTES_RE = re.compile(r"[‘’]")
_PARENTHESIS_RE = re.compile(r"\s*\([^)]*\)")
_NAME_SEPARATOR_RE = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
_FIRST_LINE_RE = re.compile(r"^[ \t]*(\S.*?)[ \t]*$", re.MULTILINE)
_WORD_RE = re.compile(r"[^\W\d_][\w’'-]*")
_YEAR_RE = re.compile(r"(?<![\d\w-])(?:19|20)\d{2}(?![\d’'\w-])")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[”\"’)]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATION_RE = re.compile(r"(?:\b(?:Dr|Mr|Mrs|Ms|Prof|St|Jr|Sr|vs|etc|al|Fig|No)|\b[A-Z]|e\.g|i\.e)\.$")
# A quoted span: opening curly or straight quote, closed by any quote mark (pages often close with “).
_QUOTED_RE = re.compile(r"[“\"]([^“”\"\n]{1,200}?)[”“\"]")
_FIRST_PERSON_RE = re.compile(r"(?-i:\bI\b|\b(?:us|me)\b)|(?i:\b(?:we|our|ours|my|mine|myself|ourselves)\b)")
_SING_PRONOUN_RE = re.compile(r"\b(?:he|she|his|her|him|himself|herself)\b", re.IGNORECASE)
_PLURAL_PRONOUN_RE = re.compile(r"\b(?:they|their|them)\b", re.IGNORECASE)
_ELLIPSIS_RE = re.compile(r"…|\.\.\.|\[[^\]\n]{0,40}\]")
_LIST_ITEM_RE = re.compile(r"^(?:[–—•*>-]|\d{1,2}[.)])\s")
_URL_RE = re.compile(
    r"https?://\S+|\bwww\.\S+|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\."
    r"(?:com|co|net|org|io|in|info|biz|ai|app|dev|xyz|online|site|academy|us|uk)\b(?:/\S*)?",
    re.IGNORECASE,
)

# Words that are not part of a person's name when they open a capitalised run ("When Andrew Ng ...").
_NON_NAME_WORDS = _word_set(
    """the this that these those in on at for from with when while later finally earlier then it a an and
    but or if as after before why what how where who which our my his her their its we you they he she i
    some many most all each every one two both here there also so not no yes dear hi hello thanks thank
    by to of into about during since until like unlike although though however meanwhile today yesterday
    elsewhere next first second third last again perhaps maybe"""
)
# Organisation words: a capitalised run containing one of these names an institution, not a person.
_ORG_WORDS = _word_set(
    """university institute college school laboratory lab labs research society conference group inc ltd
    llc corporation corp company foundation center centre department academy journal press council
    association agency team network networks project workshop symposium committee government ministry
    hospital bank club museum library studio studios systems forum summit congress meetup expo"""
)
_NAME_TOKEN = rf"[{_UP}][{_LOW}]+(?:[{_UP}][{_LOW}]+)?(?:[-'’][{_UP}][{_LOW}]+)?"
_PARTICLE = r"(?:de|da|van|von|der|den|del|di|du|le|la|bin|ibn|al)"
_NAME_RUN_RE = re.compile(
    rf"(?<![\w’'-]){_NAME_TOKEN}(?:[ \t]+(?:{_PARTICLE}[ \t]+)*(?:[{_UP}]\.[ \t]+)?{_NAME_TOKEN})*(?![\w-])"
)
_PARTICLE_OR_INITIAL_RE = re.compile(rf"{_PARTICLE}|[{_UP}]\.")
_AFTER_INTRO_NAME_RE = re.compile(rf"\s+[{_LOW}]|,|\s+\(")  # "Jeff Dean is", "Jeff Dean, a ...", "(...)"
_TOKEN_RE = re.compile(r"\S+")
_AND_RE = re.compile(r"\band\b|&")
_WITH_BEFORE_RE = re.compile(r"\bwith\s*$")
_LIST_JOINER_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|,?\s+and\s+|\s*&\s*)")
_COAUTHORED_WITH_RE = re.compile(r"(?:authored|written|wrote|published|together)\s+with\s*$")
_NAME_TOKEN_RE = re.compile(rf"(?<![\w’'-]){_NAME_TOKEN}(?![\w-])")
_POSSESSIVE_RE = re.compile(r"^[’']s\b")

# he/his: the current person; they/their: listed authors or the current person; a name; a list of
# names ("A, B and C published"); co-authors named after "with" (joined to the current person).
RefKind = Literal["sing", "plural", "person", "group", "coauthors"]

_SOURCE_NOUN = (
    r"(?:talks?|papers?|articles?|books?|textbooks?|reports?|lectures?|interviews?|keynotes?|presentations?"
    r"|slides|slide deck|blog posts?|posts?|essays?|thesis|chapters?|blogs?|tweets?|podcasts?|videos?"
    r"|speech|survey|review|studies|study|publications?|preprints?|seminars?|panels?|monographs?|letters?)"
)
_SOURCE_NOUN_RE = re.compile(rf"\b{_SOURCE_NOUN}\b", re.IGNORECASE)
_TITLE_RE = re.compile(
    rf"(?:\b(?:titled|entitled)\s+(?:[a-z]+\s+)?|\b{_SOURCE_NOUN}\s+(?:(?:called|named)\s+)?)"
    r"[“\"](?P<title>[^“”\"\n]{1,200}?)[”“\"]",
    re.IGNORECASE,
)
# The source itself as the speaker: "The book goes on to describe ...".
_SOURCE_SUBJECT_RE = re.compile(
    rf"\b(?:the|this|that|same)\s+(?:[\w’'-]+\s+){{0,2}}{_SOURCE_NOUN}\s+(?:[\w’'-]+\s+){{0,3}}$",
    re.IGNORECASE,
)
_DEFINITE_SOURCE_RE = re.compile(
    rf"\b(?:the|this|that|these|those|same)\s+(?:[\w’'-]+\s+){{0,3}}?{_SOURCE_NOUN}\b|\bsame\b|\bIn it\b",
    re.IGNORECASE,
)
_NEW_SOURCE_RE = re.compile(
    rf"\b(?:a|an|another|one|his|her|their|its)\s+(?:[\w’'-]+\s+){{0,3}}?{_SOURCE_NOUN}\b", re.IGNORECASE
)
_SPEECH_VERB = (
    r"say|says|said|writes|wrote|written|comment|comments|commented|describes?|described|defines?|defined"
    r"|stated|explains?|explained|noted|remarks?|remarked|observes?|observed|argues?|argued|claims?|claimed"
    r"|emphasi[sz]es|emphasi[sz]ed|highlights?|highlighted|summari[sz]es|summari[sz]ed|concludes?|concluded"
    r"|mentions?|mentioned|suggests?|suggested|speaks?|spoke|spoken|tells?|told|answers?|answered|replies"
    r"|replied|adds|added|asserts?|asserted|declares?|declared|warns?|warned|recalls?|recalled"
    r"|characteri[sz]es|characteri[sz]ed|puts it|put it|points? out|pointed out"
    r"|(?:opens?|opened|closes?|closed|begins?|began|starts?|started) with|(?:goes|went) on to \w+"
)
_SPEECH_RE = re.compile(
    rf"\b(?P<verb>{_SPEECH_VERB})\b"
    r"|\b(?P<noun>ma(?:de|kes?|king)\s+(?:an?\s+|the\s+|this\s+|that\s+)?(?:[\w-]+\s+){0,2}"
    r"(?:comments?|remarks?|points?|observations?|statements?|arguments?|case|claims?)"
    r"|(?:gives?|gave|provides?|provided|offers?|offered)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}"
    r"(?:definition|description|summary|explanation|answer)"
    r"|in (?:his|her|their) (?:own )?words)\b",
    re.IGNORECASE,
)
_DETERMINER_BEFORE_RE = re.compile(
    r"(?:\b(?:his|her|their|its|the|a|an|these|those|this|that|my|our|your|same)|[’']s)\s+$", re.IGNORECASE
)
_HABITUAL_RE = re.compile(
    r"\b(?:has|have|had|often|usually|frequently|always|sometimes|regularly|widely)\b", re.IGNORECASE
)
_PASSIVE_BEFORE_RE = re.compile(r"\b(?:is|are|was|were|be|been|gets?)\s+(?:\w+\s+)?$", re.IGNORECASE)
_NARRATION_START_RE = re.compile(
    r"^(?:Later|Elsewhere|Then|Next|Further|Finally|Afterwards|Subsequently|Again|Also)\b"
)
# The author talking about the source: "This is an important book ...", "The paper was widely cited".
_ABOUT_SOURCE_RE = re.compile(
    rf"^(?:This|These|That|Those|Such)\s+(?:[\w’'-]+\s+){{0,6}}?"
    rf"(?:{_SOURCE_NOUN}|quote|quotation|definition|description|comment|statement|remark|explanation|summary"
    r"|overview|introduction|resource|read|reference|view|perspective)\b"
    r"|^The\s+(?:[\w’'-]+\s+){0,2}?(?:paper|book|talk|article|lecture|keynote|interview|slides|report)s?\b"
)
# ... or about the words just quoted: "I find this view compelling".
_ABOUT_QUOTE_RE = re.compile(
    r"\b(?:this|that|these|the above)\s+(?:quotes?|quotations?|definitions?|descriptions?|remarks?|passages?"
    r"|excerpts?|statements?|views?|perspectives?)\b",
    re.IGNORECASE,
)
# Indirect speech: "commented that ...", "describes how ..." report the words instead of quoting them.
_CLAUSE_SPLIT_RE = re.compile(r"[,.;:]")
_THEY_START_RE = re.compile(r"They\b")
_REPORTED_AFTER_RE = re.compile(r"\s+(?:that|how|what|why|whether|when|where|if)\b")

# --- article boilerplate --------------------------------------------------------------------------

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
_THREAD_RE = re.compile(
    r"^[ \t]*(?:\d[\d,]*|One|No)[ \t]+(?:Responses?|Comments?|Replies|Reply|Thoughts?)"
    r"(?:[ \t]+(?:to|on)[ \t]+(?P<title>\S.*?))?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_THREAD_END_RE = re.compile(
    r"^[ \t]*(?:Leave a (?:Reply|Comment)|Post a Comment|Submit a Comment)\b.*$", re.IGNORECASE | re.MULTILINE
)
_UPDATED_RE = re.compile(
    r"^(?:Last\s+Updated(?:\s+on)?|Updated\s+on|Updated:)\s*:?\s*(?P<date>\S.*?)\s*$", re.IGNORECASE
)
_MARKDOWN_HEADING_RE = re.compile(r"^#{1,6}\s+(?P<text>\S.*?)\s*#*\s*$")
_SMALL_WORDS = _word_set(
    "a an the and or but nor for of in on at to by with from as is it its vs via into than"
)

# --- comment thread ---------------------------------------------------------------------------

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DATE = (
    rf"(?:(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:(?:\s+at|,)?\s+\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?"
)
_CLOCK_RE = re.compile(r"\d:\d\d")
_MERIDIEM_RE = re.compile(r"\b([ap])\.?m\.?$", re.IGNORECASE)
_MONTH_DOT_RE = re.compile(r"\b(Sept|[A-Z][a-z]{2})\.")
_NAME_DATE_RE = re.compile(rf"^(?P<name>\S.{{0,80}}?)\s+(?P<date>{_DATE})\s*(?P<hash>#)?\s*$", re.IGNORECASE)
_MARKER_RE = re.compile(r"^(?P<indent>[ \t]*)(?:\d{1,5}[.)]|[•*–-])[ \t]+(?P<rest>\S.*?)\s*$")
_DATE_FORMATS = (
    "%B %d %Y at %I:%M %p",
    "%B %d %Y %I:%M %p",
    "%b %d %Y at %I:%M %p",
    "%b %d %Y %I:%M %p",
    "%B %d %Y at %H:%M",
    "%d %B %Y at %H:%M",
    "%d %B %Y %H:%M",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)
# A header line may hold at most this many words of name (longer lines ending in a date are prose).
MAX_NAME_WORDS = 6
# A staff member never starts a thread, answers in at least this many threads, and answers promptly.
STAFF_MIN_THREADS = 3
STAFF_MAX_MEDIAN_DELAY = timedelta(days=7)
# Word-set overlap above which two comments by different authors count as the same template text.
TEMPLATE_SIMILARITY = 0.8
TEMPLATE_MIN_WORDS = 12
LOW_CONTENT_MAX_WORDS = 15

_RECOMMEND_RE = re.compile(
    r"\b(?:visit|go to|goto|check out|checkout|read this|see this|refer to|look at|have a look|click"
    r"|follow this)\b[^.?!\n]{0,40}$",
    re.IGNORECASE,
)
_LINK_CALL_RE = re.compile(
    r"\b(?:visit|see|check|follow|click)\b[^.?!\n]{0,30}\b(?:link|site|website|page|blog|channel|url)\b", re.I
)
_ORG_OFFER_RE = re.compile(
    rf"\b(?:[{_UP}][\w&'’-]*\s+){{1,4}}(?:Academy|Institute|Institution|Training|Solutions|Technologies|Infotech"
    r"|Agency|Bootcamp|School|Labs?|Classes)\b"
)
_COURSE_RE = re.compile(
    r"\b(?:course|courses|classes|training|certification|placement|coaching|bootcamp|enrol+|you can learn)\b",
    re.IGNORECASE,
)
_THANKS_RE = re.compile(
    r"\b(?:thank|thanks|thanx|thx|great|nice|good|useful|usefull|informative|helpful|amazing|awesome|excellent"
    r"|wonderful|appreciate|appreciated|love|loved|brilliant|perfect|cool|best|well written|clear)\b",
    re.IGNORECASE,
)


# =================================================================================================
# Public API
# =================================================================================================


def parse_page(page: SourcePage, *, extra_site_authors: Sequence[str] = ()) -> ParsedPage:
    """Understand a page; partial results come with warnings, an unrecognisable page is a ``PageError``."""
    text = page.text
    doc = page.document
    warnings: list[str] = []
    if page.encoding != "utf-8":
        warnings.append(f"{doc}: not valid UTF-8, decoded as {page.encoding}; check for garbled characters")

    title, title_end = _title(text)
    thread = _thread_line(text, title)
    headers = _comment_headers(text, thread.end() if thread else title_end)
    if thread is not None:
        article_end, thread_start = thread.start(), thread.end()
    elif headers:
        article_end = thread_start = headers[0].start
    else:
        article_end = thread_start = len(text)
    if thread is not None and title_end > thread.start():  # the page opens with the thread line
        title = thread.group("title") or title
    thread_end_match = _THREAD_END_RE.search(text, thread_start)
    thread_end = thread_end_match.start() if thread_end_match else len(text)
    headers = [h for h in headers if h.start < thread_end]

    blocks = _split_blocks(text, title_end, article_end)
    updated, blocks = _take_updated(blocks)
    items = _article_items(_strip_boilerplate(blocks), title)
    sections = _sections(items, doc)
    quotes = _find_quotes(items, text, doc)
    comments, site_authors = _comments(text, doc, headers, thread_end, extra_site_authors)

    if not sections and not comments:
        raise PageError(f"{doc}: nothing recognisable (no article paragraphs and no comment thread)")
    if not sections:
        warnings.append(f"{doc}: no article text found, only a comment thread")
    elif not quotes:
        warnings.append(f"{doc}: no expert quotes recognised in the article")
    if not comments:
        warnings.append(f"{doc}: no comment thread found")
    return ParsedPage(
        page=page,
        title=title,
        updated=updated,
        sections=tuple(sections),
        quotes=tuple(quotes),
        comments=tuple(comments),
        site_authors=tuple(site_authors),
        warnings=tuple(warnings),
    )


def _thread_line(text: str, title: str) -> re.Match[str] | None:
    """The "N Responses to <title>" line that opens the comment thread (the one naming the page's title)."""
    matches = list(_THREAD_RE.finditer(text))
    for match in matches:
        if normalise_text(match.group("title") or "") == normalise_text(title):
            return match
    return matches[0] if matches else None


def normalise_text(text: str) -> str:
    """Comparable form of a text: quote marks unified, whitespace collapsed, case folded."""
    text = _DOUBLE_QUOTES_RE.sub('"', text)
    text = _SINGLE_QUOTES_RE.sub("'", text)
    return _SPACES_RE.sub(" ", text).strip().casefold()


def split_speakers(speaker: str) -> list[str]:
    """The person names in a speaker string: "A, B and C (Org)" -> ["A", "B", "C"]."""
    without_org = _PARENTHESIS_RE.sub("", speaker)
    return [p.strip() for p in _NAME_SEPARATOR_RE.split(without_org) if p.strip()]


def join_names(names: Sequence[str]) -> str:
    """Names in the page's own style: "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def is_low_content(comment: Comment) -> bool:
    """A bare thank-you or compliment: short, no question, mostly praise (kept, but worth little)."""
    words = _WORD_RE.findall(comment.text)
    if not words:
        return True
    return (
        len(words) <= LOW_CONTENT_MAX_WORDS
        and "?" not in comment.text
        and bool(_THANKS_RE.search(comment.text))
    )


def parse_date(text: str) -> datetime | None:
    """Parse the date styles blogs print ("August 16, 2016 at 7:24 am", "2016-08-16"); None if unknown."""
    cleaned = _SPACES_RE.sub(" ", text.replace(",", " ")).strip()
    cleaned = _MERIDIEM_RE.sub(r"\1m", cleaned)
    cleaned = _MONTH_DOT_RE.sub(r"\1", cleaned).replace("Sept ", "Sep ")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
    return None


# =================================================================================================
# Blocks: paragraphs as exact spans
# =================================================================================================


@dataclass(frozen=True)
class _Block:
    """A run of non-blank lines; ``text == page_text[start:end]`` (leading indent and trailing space cut)."""

    start: int
    end: int
    text: str

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.split("\n")]


def _title(text: str) -> tuple[str, int]:
    """First non-blank line (Markdown '#' removed) and the offset just after it."""
    match = _FIRST_LINE_RE.search(text)
    if match is None:
        return "", 0
    heading = _MARKDOWN_HEADING_RE.match(match.group(1))
    return (heading.group("text") if heading else match.group(1)), match.end()


def _split_blocks(text: str, start: int, end: int) -> list[_Block]:
    """Blank-line-separated blocks of ``text[start:end]``; a Markdown heading line is a block of its own."""
    blocks: list[_Block] = []
    run: list[tuple[int, int]] = []  # (line start, line end) of the current block

    def flush() -> None:
        if run:
            first, last = run[0], run[-1]
            s = first[0] + (len(text[first[0] : first[1]]) - len(text[first[0] : first[1]].lstrip()))
            e = last[0] + len(text[last[0] : last[1]].rstrip())
            blocks.append(_Block(s, e, text[s:e]))
            run.clear()

    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        line = text[pos:line_end]
        if not line.strip():
            flush()
        elif _MARKDOWN_HEADING_RE.match(line.strip()):
            flush()
            run.append((pos, line_end))
            flush()
        else:
            run.append((pos, line_end))
        pos = line_end + 1
    flush()
    return blocks


def _take_updated(blocks: list[_Block]) -> tuple[str | None, list[_Block]]:
    """The "Last Updated on ..." date among the first blocks, and the blocks without that line."""
    for index, block in enumerate(blocks[:3]):
        match = _UPDATED_RE.match(block.text)
        if match and "\n" not in block.text:
            return match.group("date"), blocks[:index] + blocks[index + 1 :]
    return None, blocks


# =================================================================================================
# Article: boilerplate, headings, sections
# =================================================================================================


def _strip_boilerplate(blocks: list[_Block]) -> list[_Block]:
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
        ):
            drop.add(i)
    for i, block in enumerate(blocks):
        if "\n" not in block.text and len(block.text) <= 60 and _CALL_TO_ACTION_RE.search(block.text):
            drop.update(_advert_run(blocks, i))
    return [b for i, b in enumerate(blocks) if i not in drop]


def _is_caption_like(block: _Block) -> bool:
    lines = block.lines
    return len(lines) <= 2 and all(len(line) <= 120 for line in lines) and not lines[-1].endswith(".")


def _advert_run(blocks: list[_Block], cta: int) -> range:
    """The advert ending in the call-to-action block ``cta``: the short promotional blocks before it."""
    first = cta
    while first > 0 and cta - first < 12 and _is_ad_like(blocks[first - 1]):
        first -= 1
    run_text = " ".join(b.text for b in blocks[first : cta + 1])
    if _OWN_PRODUCT_RE.search(run_text) or _DISCOVER_HOW_RE.search(run_text):
        return range(first, cta + 1)
    return range(cta, cta + 1) if cta - first <= 1 else range(0)


def _is_ad_like(block: _Block) -> bool:
    """Short headline-style lines, not a sentence of prose."""
    lines = block.lines
    words = len(_WORD_RE.findall(block.text))
    # A full stop after twelve words is prose; "and more..." is ad-speak.
    is_sentence = bool(_FULL_STOP_END_RE.search(block.text.rstrip())) and words >= 12
    return len(block.text) <= 220 and all(len(line) <= 100 for line in lines) and not is_sentence


def _is_title_like(line: str) -> bool:
    """Title Case, short, no sentence-final punctuation: how this style writes headings."""
    line = line.strip()
    if not line or len(line) > 100 or line[-1] in ".,;:" or _LIST_ITEM_RE.match(line):
        return False
    words = _WORD_RE.findall(line)
    if not words or len(words) > 14 or not words[0][0].isupper():
        return False
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not significant:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised / len(significant) >= 0.75


def _is_heading(block: _Block) -> bool:
    lines = block.lines
    if len(lines) == 1 and _MARKDOWN_HEADING_RE.match(lines[0]):
        return True
    return len(lines) <= 2 and all(_is_title_like(line) for line in lines)


@dataclass(frozen=True)
class _Item:
    """An article block with its role: a heading, or a paragraph under ``section``."""

    block: _Block
    heading: bool
    section: str

    @property
    def text(self) -> str:
        return self.block.text


def _heading_text(block: _Block) -> str:
    lines = []
    for line in block.lines:
        md = _MARKDOWN_HEADING_RE.match(line)
        lines.append(md.group("text") if md else line)
    return " ".join(lines)


def _article_items(blocks: list[_Block], title: str) -> list[_Item]:
    items: list[_Item] = []
    section = title
    for block in blocks:
        if _is_heading(block):
            section = _heading_text(block)
            items.append(_Item(block, True, section))
        else:
            items.append(_Item(block, False, section))
    return items


def _sections(items: list[_Item], doc: str) -> list[Section]:
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[Paragraph] = []
    for item in items:
        if item.heading or item.section != heading:
            if paragraphs and heading is not None:
                sections.append(Section(heading, tuple(paragraphs), doc))
            heading, paragraphs = item.section, []
        if not item.heading:
            b = item.block
            paragraphs.append(Paragraph(b.text, doc, b.start, b.end))
    if paragraphs and heading is not None:
        sections.append(Section(heading, tuple(paragraphs), doc))
    return sections


# =================================================================================================
# People: who a passage is about
# =================================================================================================


@dataclass
class _People:
    """The persons the article has introduced so far, and the one the current passage is about."""

    lower_vocab: frozenset[str]
    known: list[str] = field(default_factory=list)
    current: str | None = None

    def introduce(self, name: str) -> None:
        if name not in self.known:
            self.known.append(name)
        self.current = name

    def add(self, names: Iterable[str]) -> None:
        for name in names:
            if name not in self.known:
                self.known.append(name)

    def lookup(self, token_or_name: str) -> str | None:
        """The known person a full name or a short form ("Andrew", "Geoff", "Hinton") refers to."""
        tokens = token_or_name.split()
        matches = [p for p in self.known if _name_matches(tokens, p.split())]
        if self.current in matches:
            return self.current
        return matches[-1] if matches else None


def _name_matches(tokens: list[str], person: list[str]) -> bool:
    if [t.lower() for t in tokens] == [t.lower() for t in person]:
        return True
    if len(tokens) == 1:
        token = tokens[0]
        first, last = person[0], person[-1]
        return token in (first, last) or (len(token) >= 3 and first.startswith(token))
    return tokens[-1] == person[-1] and person[0].startswith(tokens[0])


@dataclass(frozen=True)
class _Name:
    start: int
    end: int
    name: str


def _name_candidates(text: str, lower_vocab: frozenset[str]) -> list[_Name]:
    """Capitalised runs that look like a person's full name (2-3 name words, no institution word)."""
    names: list[_Name] = []
    for match in _NAME_RUN_RE.finditer(text):
        tokens = [(m.start() + match.start(), m.group()) for m in _TOKEN_RE.finditer(match.group())]
        while tokens and tokens[0][1].lower() in _NON_NAME_WORDS:
            tokens.pop(0)
        words = [t for _, t in tokens if not _PARTICLE_OR_INITIAL_RE.fullmatch(t)]
        if not 2 <= len(words) <= 3:
            continue
        if any(w.lower() in _ORG_WORDS or w.lower() in _NON_NAME_WORDS for w in words):
            continue
        # A surname is not an ordinary word of the text ("Deep Learning" is not a person).
        if words[-1].lower() in lower_vocab:
            continue
        start = tokens[0][0]
        names.append(_Name(start, match.end(), " ".join(t for _, t in tokens)))
    return names


def _person_intro(text: str, people: _People) -> str | None:
    """The full name a paragraph opens with ("Jeff Dean is a ..."), which makes it the passage's person."""
    names = _name_candidates(text[:80], people.lower_vocab)
    if names and names[0].start == 0 and _AFTER_INTRO_NAME_RE.match(text[names[0].end :]):
        return names[0].name
    return None


# =================================================================================================
# Lead-ins and quotes
# =================================================================================================


@dataclass(frozen=True)
class _Ref:
    """A reference to a possible speaker inside a lead-in."""

    pos: int
    kind: RefKind
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class _LeadIn:
    subject: _Ref | None  # None: no person named ("Later the approach is described ...")
    refs: tuple[_Ref, ...]
    title: str | None
    year: int | None
    definite: bool  # points back at an earlier source ("In the same article")
    new_source: bool  # names a fresh source without a title ("In a 2016 talk")


def _mask_quoted(text: str) -> str:
    """Quoted titles and scare quotes blanked (same length), so their words name no one."""
    return _QUOTED_RE.sub(lambda m: m.group()[0] + "~" * (len(m.group()) - 2) + m.group()[-1], text)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        if _ABBREVIATION_RE.search(text[start : match.start()]):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _sentence_at(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for start, end in spans:
        if start <= pos < end or pos == end:
            return start, end
    return spans[-1]


def _speech_matches(masked: str) -> list[re.Match[str]]:
    """Speech verbs that introduce a quote: not reported speech, not a noun, not a habit."""
    found = []
    for match in _SPEECH_RE.finditer(masked):
        before = masked[: match.start()]
        if match.group("verb"):
            if _REPORTED_AFTER_RE.match(masked[match.end() :]):
                continue
            if _DETERMINER_BEFORE_RE.search(before):
                continue  # "his comments", "the description"
            clause = _CLAUSE_SPLIT_RE.split(before)[-1]
            if _HABITUAL_RE.search(clause):
                continue  # "he has written a lot about ..."
        found.append(match)
    return found


def _refs(masked: str, people: _People) -> list[_Ref]:
    """Pronouns, named persons and name lists in a lead-in, in text order."""
    refs: list[_Ref] = []
    candidates = _name_candidates(masked, people.lower_vocab)
    names = [n for n in candidates if not _POSSESSIVE_RE.match(masked[n.end :])]
    used: set[int] = set()
    # Lists of names: "A, B and C published ...", or co-authors "co-authored with A and B".
    i = 0
    while i < len(names):
        j = i
        while j + 1 < len(names) and _LIST_JOINER_RE.fullmatch(masked[names[j].end : names[j + 1].start]):
            j += 1
        if j > i and _AND_RE.search(masked[names[j - 1].end : names[j].start]):
            group = tuple(n.name for n in names[i : j + 1])
            kind: RefKind = "coauthors" if _WITH_BEFORE_RE.search(masked[: names[i].start]) else "group"
            refs.append(_Ref(names[i].start, kind, group))
            used.update(range(i, j + 1))
        i = j + 1
    for index, name in enumerate(names):
        if index in used:
            continue
        before = masked[: name.start]
        single: RefKind = "coauthors" if _COAUTHORED_WITH_RE.search(before) else "person"
        refs.append(_Ref(name.start, single, (people.lookup(name.name) or name.name,)))
    covered = [(n.start, n.end) for n in candidates]
    for match in _NAME_TOKEN_RE.finditer(masked):
        if any(s <= match.start() < e for s, e in covered) or _POSSESSIVE_RE.match(masked[match.end() :]):
            continue
        known = people.lookup(match.group())
        if known is not None and match.group().lower() not in _NON_NAME_WORDS:
            refs.append(_Ref(match.start(), "person", (known,)))
    refs.extend(_Ref(m.start(), "sing") for m in _SING_PRONOUN_RE.finditer(masked))
    refs.extend(_Ref(m.start(), "plural") for m in _PLURAL_PRONOUN_RE.finditer(masked))
    return sorted(refs, key=lambda r: r.pos)


def _analyse_lead_in(text: str, people: _People) -> _LeadIn | None:
    """Whether a paragraph introduces a quote, and whom and which source it names; None if it does not."""
    masked = _mask_quoted(text)
    spans = _sentences(masked)
    refs = _refs(masked, people)
    speech = _speech_matches(masked)
    subject: _Ref | None = None
    key: tuple[int, int] | None = None
    for match in reversed(speech):
        start, end = _sentence_at(spans, match.start())
        before = [r for r in refs if start <= r.pos < match.start() and r.kind != "coauthors"]
        if before:
            subject, key = before[-1], (start, end)
            break
    if key is None:
        for match in reversed(speech):
            start, end = _sentence_at(spans, match.start())
            sentence_before = masked[start : match.start()]
            passive = _PASSIVE_BEFORE_RE.search(sentence_before) and _NARRATION_START_RE.match(
                sentence_before
            )
            if passive or _SOURCE_SUBJECT_RE.search(sentence_before):
                key = (start, end)
                break
    if key is None and masked.rstrip().endswith(":"):
        start, end = spans[-1]
        last = masked[start:end]
        if _SPEECH_RE.search(last) or _SOURCE_NOUN_RE.search(last):
            key = (start, end)
            before = [r for r in refs if start <= r.pos and r.kind != "coauthors"]
            subject = before[-1] if before else None
    if key is None:
        return None
    title_match = _TITLE_RE.search(text)
    title = title_match.group("title").strip() if title_match else None
    source_span = (
        _sentence_at(spans, title_match.start()) if title_match else _source_sentence(masked, spans, key)
    )
    source_text = masked[source_span[0] : source_span[1]]
    year_match = _YEAR_RE.search(source_text)
    return _LeadIn(
        subject=subject,
        refs=tuple(refs),
        title=title,
        year=int(year_match.group()) if year_match else None,
        definite=bool(_DEFINITE_SOURCE_RE.search(source_text)),
        new_source=bool(_NEW_SOURCE_RE.search(source_text)),
    )


def _source_sentence(masked: str, spans: list[tuple[int, int]], key: tuple[int, int]) -> tuple[int, int]:
    """The sentence naming the source: the key sentence if it has a source noun, else the nearest one."""
    candidates = [s for s in spans if _SOURCE_NOUN_RE.search(masked[s[0] : s[1]])]
    if not candidates or key in candidates:
        return key
    return min(candidates, key=lambda s: abs(s[0] - key[0]))


def _resolve_speaker(lead: _LeadIn, people: _People) -> str | None:
    subject = lead.subject
    if subject is None:
        return None
    if subject.kind == "sing":
        return people.current
    if subject.kind in ("person", "group"):
        return join_names(subject.names)
    # "they": the authors listed in the lead-in, else the co-authors with the current person, else them.
    groups = [r for r in lead.refs if r.kind == "group"]
    if groups:
        return join_names(groups[-1].names)
    coauthors = [r for r in lead.refs if r.kind == "coauthors"]
    if coauthors and people.current:
        names = [n for n in coauthors[0].names if n != people.current]
        # The person the passage is about is one of the authors; the page does not say in which place.
        return join_names([*names[:1], people.current, *names[1:]])
    return people.current


def _is_prose(text: str, speaker_names: Sequence[str], people: _People) -> bool:
    """The author's own words rather than the expert's: third person, the expert's name, commentary."""
    if _person_intro(text, people):
        return True
    starts_lower = text[:1].islower()
    if _SING_PRONOUN_RE.search(text) and not (starts_lower or "…" in text):
        return True
    if _THEY_START_RE.match(text):
        return True
    if _mentions(text, speaker_names):
        return True
    if _ABOUT_QUOTE_RE.search(text):
        return True
    # An abstract may open "This paper ..." too, but then goes on in the first person.
    first_person = bool(_FIRST_PERSON_RE.search(text))
    if _ABOUT_SOURCE_RE.search(text) and not first_person:
        return True
    return not first_person and _analyse_lead_in(text, people) is not None


def _mentions(text: str, names: Sequence[str]) -> bool:
    for token in _NAME_TOKEN_RE.findall(text):
        for name in names:
            if _name_matches([token], name.split()):
                return True
    return False


def _looks_quoted(text: str) -> bool:
    """Signs of quoted speech: a lowercase start, a list item, ellipses, first person, a bare fragment."""
    if text[:1].islower() or _LIST_ITEM_RE.match(text) or _ELLIPSIS_RE.search(text):
        return True
    if _FIRST_PERSON_RE.search(text):
        return True
    single = "\n" not in text and len(text) <= 140
    return single and text[-1] not in '.!?:;”"' and not _is_title_like(text)


def _find_quotes(items: list[_Item], page_text: str, doc: str) -> list[Quote]:
    """Walk the article: follow whom each passage is about; find lead-ins and the quote paragraphs after."""
    article = " ".join(i.text for i in items if not i.heading)
    people = _People(lower_vocab=frozenset(w.lower() for w in _WORD_RE.findall(article) if w[0].islower()))
    quotes: list[Quote] = []
    sources: dict[str, list[tuple[str | None, int | None]]] = defaultdict(list)
    last_speaker: str | None = None
    introduced_since_quote = False
    i = 0
    while i < len(items):
        item = items[i]
        if item.heading:
            i += 1
            continue
        intro = _person_intro(item.text, people)
        if intro:
            people.introduce(intro)
            introduced_since_quote = True
        lead = _analyse_lead_in(item.text, people)
        if lead is None:
            i += 1
            continue
        for ref in lead.refs:
            if ref.kind in ("group", "coauthors"):
                people.add(ref.names)
        speaker = _resolve_speaker(lead, people)
        if lead.subject is None:
            speaker = last_speaker if last_speaker and not introduced_since_quote else people.current
        if speaker is None:
            i += 1
            continue
        names = [*split_speakers(speaker), *([people.current] if people.current else [])]
        end = _quote_end(items, i + 1, names, people)
        if end is None:
            i += 1
            continue
        title, year = _source(lead, sources[speaker])
        first, last = items[i + 1].block, items[end].block
        quotes.append(
            Quote(
                speaker=speaker,
                source_title=title,
                year=year,
                text=page_text[first.start : last.end],
                document=doc,
                char_start=first.start,
                char_end=last.end,
                lead_in=item.text,
                section=item.section,
            )
        )
        if (title, year) in sources[speaker]:
            sources[speaker].remove((title, year))
        sources[speaker].append((title, year))
        last_speaker, introduced_since_quote = speaker, False
        if len(split_speakers(speaker)) == 1:
            people.introduce(speaker)
        i = end + 1
    return quotes


def _quote_end(items: list[_Item], start: int, names: Sequence[str], people: _People) -> int | None:
    """Index of the last quote paragraph starting at ``start``, or None if ``start`` is not a quote."""
    if start >= len(items) or items[start].heading or _is_prose(items[start].text, names, people):
        return None
    end = start
    while end + 1 < len(items):
        nxt = items[end + 1]
        if nxt.heading or _is_prose(nxt.text, names, people):
            break
        if not (_looks_quoted(nxt.text) or items[end].text.rstrip().endswith(":")):
            break
        end += 1
    return end


def _source(lead: _LeadIn, history: list[tuple[str | None, int | None]]) -> tuple[str | None, int | None]:
    """Title and year of the quote's source; "the same talk" or no source at all reuses an earlier one."""
    if lead.title:
        return lead.title, lead.year
    if lead.new_source and not lead.definite:
        return None, lead.year
    for title, year in reversed(history):
        if lead.year is None or year == lead.year:
            return title, year
    return None, lead.year


# =================================================================================================
# Comment thread
# =================================================================================================


@dataclass(frozen=True)
class _Header:
    start: int  # first character of the header (marker line)
    body_start: int  # just after the name/date line
    indent: int
    author: str
    date_text: str


def _comment_headers(text: str, start: int) -> list[_Header]:
    """Comment headers: "N. [Avatar]" or "• [Avatar]", then "Name Month D, YYYY at H:MM am #"."""
    headers: list[_Header] = []
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
                headers.append(_Header(pos, line_end + 1, len(marker["indent"]), author, date))
            elif previous and previous[1] + 1 == pos:
                # A marker line of its own ("1. Avatar") right above the name line.
                p_start, _, p_marker = previous
                headers.append(_Header(p_start, line_end + 1, len(p_marker["indent"]), author, date))
            elif found.group("hash"):
                headers.append(_Header(pos, line_end + 1, len(line) - len(line.lstrip()), author, date))
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


def _comments(
    text: str, doc: str, headers: list[_Header], thread_end: int, extra_site_authors: Sequence[str]
) -> tuple[list[Comment], list[str]]:
    drafts = _drafts(text, doc, headers, thread_end)
    site_authors = _site_authors(drafts, extra_site_authors)
    site = {a.casefold() for a in site_authors}
    reasons = _spam_reasons([d for d in drafts if d.author.casefold() not in site])
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


def _drafts(text: str, doc: str, headers: list[_Header], thread_end: int) -> list[_Draft]:
    """Comments with bodies and reply structure; indentation gives the nesting."""
    drafts: list[_Draft] = []
    stack: list[tuple[int, _Draft]] = []  # (indent, comment) of the open ancestors
    for n, header in enumerate(headers):
        body_end = headers[n + 1].start if n + 1 < len(headers) else thread_end
        start, end = _trim_span(text, min(header.body_start, body_end), body_end)
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


def _trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace (empty at ``start`` when there is no text)."""
    segment = text[start:end]
    stripped = segment.strip()
    if not stripped:
        return start, start
    s = start + (len(segment) - len(segment.lstrip()))
    return s, s + len(stripped)


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


def _spam_reasons(drafts: list[_Draft]) -> dict[str, str]:
    """Reader comments that advertise or drop links, by comment id (site authors are never passed in)."""
    reasons: dict[str, str] = {}
    for d in drafts:
        reason = _spam_reason(d.text)
        if reason:
            reasons[d.comment_id] = reason
    for comment_id in _template_copies(drafts):
        reasons.setdefault(comment_id, "template text posted by several authors")
    return reasons


def _spam_reason(text: str) -> str | None:
    for url in _URL_RE.finditer(text):
        sentence_start = max(text.rfind(c, 0, url.start()) for c in ".?!\n") + 1
        sentence_end = min([i for i in (text.find(c, url.end()) for c in ".?!\n") if i != -1] or [len(text)])
        asks = "?" in text[url.end() : sentence_end + 1]
        rest_words = len(_WORD_RE.findall(_URL_RE.sub(" ", text)))
        if not asks and (_RECOMMEND_RE.search(text[sentence_start : url.start()]) or rest_words < 6):
            return "link drop: points readers to another site"
    call = _LINK_CALL_RE.search(text)
    if call and "?" not in text[call.end() : call.end() + 80]:
        return "link drop: asks readers to visit a link"
    if _ORG_OFFER_RE.search(text) and _COURSE_RE.search(text):
        return "promotion of a course or training provider"
    return None


def _template_copies(drafts: list[_Draft]) -> set[str]:
    """Ids of comments whose wording is (nearly) the same as a comment by a different author."""
    by_text: dict[tuple[str, ...], list[_Draft]] = defaultdict(list)
    for d in drafts:
        tokens = tuple(w.lower() for w in _WORD_RE.findall(d.text))
        if len(tokens) >= TEMPLATE_MIN_WORDS:
            by_text[tokens].append(d)
    texts = list(by_text)
    # Near-copies: compare distinct texts that share a run of four words.
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for t, tokens in enumerate(texts):
        for shingle in {tokens[k : k + 4] for k in range(len(tokens) - 3)}:
            index[shingle].append(t)
    similar: dict[int, set[int]] = {t: {t} for t in range(len(texts))}
    vocab = [frozenset(tokens) for tokens in texts]
    for group in index.values():
        if len(group) > 50:  # a stock phrase, not a fingerprint
            continue
        for a in group:
            for b in group:
                if a < b and b not in similar[a]:
                    overlap = len(vocab[a] & vocab[b]) / len(vocab[a] | vocab[b])
                    if overlap >= TEMPLATE_SIMILARITY:
                        similar[a].add(b)
                        similar[b].add(a)
    copies: set[str] = set()
    for t, tokens in enumerate(texts):
        family = [d for other in similar[t] for d in by_text[texts[other]]]
        if len({d.author.casefold() for d in family}) >= 2:
            copies.update(d.comment_id for d in by_text[tokens])
    return copies
