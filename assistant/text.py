"""Small text helpers shared by coverage, citation checking and follow-up rewriting."""

from __future__ import annotations

import re
from collections.abc import Iterator, Set
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
# Sentence ends: . ! ? … followed by space/newline and an upper-case letter, digit, quote or bullet.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[A-Z0-9“\"‘(\[–•-])|\n\s*\n")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't
    down during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her
    here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its
    itself let's me more most mustn't my myself no nor not of off on once only or other ought our ours
    ourselves out over own same shan't she she'd she'll she's should shouldn't so some such than that
    that's the their theirs them themselves then there there's these they they'd they'll they're they've
    this those through to too under until up very was wasn't we we'd we'll we're we've were weren't what
    what's when when's where where's which while who who's whom why why's will with won't would wouldn't
    you you'd you'll you're you've your yours yourself yourselves say said says tell told think thinks
    explain explained mean means one get use used using like just really please thanks thank hi hello
    does anyone something thing things way know want need good best much many well may might
    """.split()  # noqa: SIM905
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def content_stems(text: str) -> list[str]:
    """Stemmed words that carry meaning (stopwords and one-letter tokens removed)."""
    kept = [w for w in words(text) if w not in STOPWORDS and len(w) > 1]
    return list(_stemmer().stemWords(kept))


MIN_COMPOUND_PART = 5


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
    """Character spans of the sentences of `text`, trimmed of surrounding whitespace."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
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


def latin_share(text: str) -> float:
    """Share of letters that are Latin script (questions in other scripts get a clear notice)."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if ch.isascii() or "\u00c0" <= ch <= "\u024f") / len(letters)
