"""Text helpers every page-understanding module shares: comparable text, words, sentences, spans."""

from __future__ import annotations

import re

UP = "A-ZÀ-ÖØ-Þ"
LOW = "a-zß-öø-ÿ"
SPACES_RE = re.compile(r"\s+")
WORD_RE = re.compile(r"[^\W\d_][\w’'-]*")
YEAR_RE = re.compile(r"(?<![\d\w-])(?:19|20)\d{2}(?![\d’'\w-])")
# A quoted span: opening curly or straight quote, closed by any quote mark (pages often close with “).
QUOTED_RE = re.compile(r"[“\"]([^“”\"\n]{1,200}?)[”“\"]")
FIRST_PERSON_RE = re.compile(r"(?-i:\bI\b|\b(?:us|me)\b)|(?i:\b(?:we|our|ours|my|mine|myself|ourselves)\b)")
SING_PRONOUN_RE = re.compile(r"\b(?:he|she|his|her|him|himself|herself)\b", re.IGNORECASE)
PLURAL_PRONOUN_RE = re.compile(r"\b(?:they|their|them)\b", re.IGNORECASE)
ELLIPSIS_RE = re.compile(r"…|\.\.\.|\[[^\]\n]{0,40}\]")
LIST_ITEM_RE = re.compile(r"^(?:[–—•*>-]|\d{1,2}[.)])\s")

_DOUBLE_QUOTES_RE = re.compile(r"[“”„\"]")
_SINGLE_QUOTES_RE = re.compile(r"[‘’]")
# The one sentence splitter of pages, passages, answers and comments. A sentence ends at . ! or ? (closing
# marks after it belong to neither sentence) before a capital of the Latin, Greek or Cyrillic script, a
# digit, a quotation mark, a bracket or a bullet; a blank line ends one too. An ellipsis ends one only when
# no closing mark follows it ("Hi… I am", not "3 anos…” Veja": a quotation going on). Comments are
# informal: any line break ends one, and so does an end mark (… too) before a lower-case letter.
_CLOSERS = r"[”\"’)»]*"
_CAPITAL = "A-Z0-9À-ÖØ-ÞΑ-ΩА-ЯЁ"
_SENTENCE_START = rf"(?=[{_CAPITAL}\"“‘(\[«„–•-])"
_SENTENCE_END_RE = re.compile(rf"(?:(?<=[.!?]){_CLOSERS}|(?<=…))\s+{_SENTENCE_START}|\n\s*\n")
_INFORMAL_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])" + _CLOSERS + r"\s+|\s*\n\s*")
# A full stop after one of these ends no sentence: English titles and abbreviations (as in AP style: "Rep.
# Omar", "Gen. Smith", "Jan. 5"), an initial, "e.g.", "i.e.".
_ABBREVIATION_RE = re.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|St|Jr|Sr|vs|etc|al|Fig|No|Rep|Reps|Sen|Sens|Gov|Gen|Col|Lt|Maj|Sgt|Capt"
    r"|Cmdr|Adm|Rev|Hon|Supt|Det|Mt|Ft|Jan|Feb|Aug|Sept|Oct|Nov|Dec)|\b[A-Z]|e\.g|i\.e)\.$"
)


def ends_with_abbreviation(text: str) -> bool:
    """The text ends with an abbreviation's full stop ("Rep.", "Dr.", "J."), which ends no sentence."""
    return _ABBREVIATION_RE.search(text) is not None


def word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def normalise_text(text: str) -> str:
    """Comparable form of a text: quote marks unified, whitespace collapsed, case folded."""
    text = _DOUBLE_QUOTES_RE.sub('"', text)
    text = _SINGLE_QUOTES_RE.sub("'", text)
    return SPACES_RE.sub(" ", text).strip().casefold()


def sentences(text: str, *, informal: bool = False) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (a full stop after an abbreviation or an initial ends none); ``informal``
    for comments (see above)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in (_INFORMAL_SENTENCE_END_RE if informal else _SENTENCE_END_RE).finditer(text):
        line_break = match.group().count("\n") >= (1 if informal else 2)
        if not line_break and ends_with_abbreviation(text[start : match.start()]):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def sentence_texts(text: str, *, informal: bool = False) -> list[str]:
    """The sentences of ``text`` as stripped strings, empty ones left out."""
    return [part for a, b in sentences(text, informal=informal) if (part := text[a:b].strip())]


def sentence_at(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for start, end in spans:
        if start <= pos < end or pos == end:
            return start, end
    return spans[-1]


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace (empty at ``start`` when there is no text)."""
    segment = text[start:end]
    stripped = segment.strip()
    if not stripped:
        return start, start
    s = start + (len(segment) - len(segment.lstrip()))
    return s, s + len(stripped)
