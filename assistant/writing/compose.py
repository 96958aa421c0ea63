"""Answers written without the model: the author's non-answer reported as such, the passages quoted
verbatim when no written sentence survived checking, and the not-covered notice."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assistant.records import Citation, Passage
from assistant.text import content_stems, overlap, sentence_spans
from assistant.writing.present import not_answered, said
from assistant.writing.prompt import looks_like_injection

MAX_QUOTED = 2
QUOTE_WORDS = 70  # a quote this short is shown whole; a longer one by its best sentence
NOT_COVERED = "The course material doesn't cover this."


def not_covered_text(notice: str, topics: Sequence[str]) -> str:
    if not topics:
        return notice
    return f"{notice} The closest things it does cover: {'; '.join(topics)}."


def _citation(n: int, passage: Passage, pages: Mapping[str, str], claim: str) -> Citation | None:
    start, end = quote_span(passage, claim)
    quote = passage.text[start - passage.char_start : end - passage.char_start]
    if pages.get(passage.document, "")[start:end] != quote or not quote.strip():
        return None
    return Citation.from_passage(n, passage, start, end, quote)


def extractive_answer(
    sources: Sequence[Passage], pages: Mapping[str, str], question: str
) -> tuple[str, tuple[Citation, ...]]:
    """No written sentence survived checking: the best passages themselves, quoted verbatim."""
    lines: list[str] = []
    citations: list[Citation] = []
    for passage in sources[:MAX_QUOTED]:
        citation = _citation(len(citations) + 1, passage, pages, question)
        if citation is None:
            continue
        citations.append(citation)
        lines.append(f"{said(passage)}: “{' '.join(citation.quote.split())}” [{citation.n}]")
    return (" ".join(lines) if citations else NOT_COVERED), tuple(citations)


def non_answer_report(passage: Passage, pages: Mapping[str, str]) -> tuple[str, tuple[Citation, ...]]:
    """A reader asked this and the author declined or deflected: say so, and quote the reply."""
    citation = _citation(1, passage, pages, passage.text)
    if citation is None:
        return "", ()
    return not_answered(passage, " ".join(citation.quote.split())), (citation,)


def quote_span(passage: Passage, claim: str) -> tuple[int, int]:
    """Page span of the part of a passage to show: all of a short quote, else its best sentences."""
    text = passage.text
    hostile = looks_like_injection(text)
    if len(text.split()) <= QUOTE_WORDS and not hostile:
        return passage.char_start, passage.char_end
    claim_stems = content_stems(claim)
    # Instructions smuggled into a page are never shown as a quote, even verbatim.
    spans = [s for s in sentence_spans(text) if not (hostile and looks_like_injection(text[s[0] : s[1]]))]
    best = max(
        spans, key=lambda s: overlap(claim_stems, content_stems(text[s[0] : s[1]])), default=(0, len(text))
    )
    return passage.char_start + best[0], passage.char_start + best[1]
