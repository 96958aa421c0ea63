"""Small text helpers shared by coverage, citation checking and follow-up rewriting."""

from __future__ import annotations

import re
from collections.abc import Iterator, Set

from index.terms import STOPWORDS, content_stems, words
from index.text import ends_with_abbreviation

__all__ = ["STOPWORDS", "content_stems", "words"]  # defined in the index layer, used here too

# Sentence ends: . ! ? … followed by space/newline and an upper-case letter, digit, quote or bullet.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[A-Z0-9“\"‘(\[–•-])|\n\s*\n")

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
    """Character spans of the sentences of `text`, trimmed of surrounding whitespace (a full stop after
    an abbreviation, "Rep. Omar", ends none: the index's rule)."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().count("\n") < 2 and ends_with_abbreviation(text[start : match.start()]):
            continue
        yield from _trimmed(text, start, match.start())
        start = match.end()
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


_MARKUP = re.compile(r"<[^<>]{0,300}>")


def strip_markup(text: str) -> str:
    """Questions are plain text: HTML tags pasted into one are not searched for."""
    return " ".join(_MARKUP.sub(" ", text).split()) or text
