"""Small text helpers shared by coverage, citation checking and follow-up rewriting."""

from __future__ import annotations

import re
from collections.abc import Iterator, Set

from index.terms import STOPWORDS, content_stems, words
from index.text import sentences

__all__ = ["STOPWORDS", "content_stems", "words"]  # defined in the index layer, used here too

MIN_COMPOUND_PART = 5

# A run of capitalised words or initials: "Geoffrey Hinton", "J. Schmidhuber" (names in a sentence).
NAME_RUN = re.compile(r"\b(?:[A-Z][a-z]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z]+|[A-Z]\.))*\b")
_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " ", "…": "..."})


def fold(text: str) -> str:
    """Text compared without regard to case, spacing or typographic marks (quotes, dashes, ellipses)."""
    return " ".join(text.translate(_FOLD).lower().split())


def stem_found(stem: str, evidence: Set[str]) -> bool:
    """In the evidence as such, or as a long part of a compound ("hyperparamet" by "paramet")."""
    if stem in evidence:
        return True
    return len(stem) > MIN_COMPOUND_PART and any(
        len(e) >= MIN_COMPOUND_PART and e != stem and e in stem for e in evidence
    )


def overlap(a_stems: set[str] | list[str], b_stems: set[str] | list[str]) -> float:
    """Share of `a`'s distinct stems that also occur in `b` (0 when `a` is empty)."""
    a, b = set(a_stems), set(b_stems)
    return len(a & b) / len(a) if a else 0.0


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the sentences of `text` (the index's splitter), trimmed of surrounding whitespace."""
    for start, end in sentences(text):
        yield from _trimmed(text, start, end)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


# A quotation in any of the marks answers use: English curly or straight, German „…“, French «…».
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|„[^“”]*[“”]|«[^»]*»")
QUOTE_MARKS = re.compile(r"[\"“”„«»]")
# A citation marker as answers write it: "[1]".
CITATION_MARK = re.compile(r"\[\d+\]")
_MARKUP = re.compile(r"<[^<>]{0,300}>")


def strip_markup(text: str) -> str:
    """Questions are plain text: HTML tags pasted into one are not searched for."""
    return " ".join(_MARKUP.sub(" ", text).split()) or text


# A stretch of six or more characters said three times in a row: the small model's decoding loop.
_LOOP = re.compile(r"(\S.{5,}?)\1{2,}", re.DOTALL)


def repeats_itself(text: str) -> bool:
    """The text runs in a loop ("the New York team with the New York team with the New York team ...")."""
    return bool(_LOOP.search(" ".join(text.split()) + " "))
