"""Decide from retrieval evidence alone whether the material covers a question.

The model never declines on its own (see shared/MODELS.md), so this decision is made before any
model call: the best dense similarity must be high enough and the question's content words must
actually occur in the top passages, unless the dense match is strong enough on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.records import Passage
from assistant.retrieval.retrieve import Retrieval
from assistant.settings import RetrievalSettings
from assistant.text import content_stems, stem_found
from assistant.tuning import NAMED_MIN_DENSE, NAMED_MIN_TOPIC
from assistant.writing import present
from index.vocabulary import ChunkKind

EVIDENCE_PASSAGES = 5


@dataclass(frozen=True)
class Coverage:
    covered: bool
    reason: str


def passage_stems(passage: Passage, *, with_question: bool = False) -> list[str]:
    """Stems of what a reader sees of a passage: its text and who said it where (and, as a search key
    only, the reader's question a reply answers: never as support for a claim)."""
    parts = [passage.text, passage.speaker, passage.source_title, passage.author, passage.lead_in]
    if with_question:
        parts.append(passage.question)
    return content_stems(" ".join(p for p in parts if p))


def weighted_overlap(stems: list[str], evidence: set[str], weight: Callable[[str], float]) -> float:
    """Share of the question's words found in the evidence, rare words weighing more."""
    total = sum(weight(s) for s in set(stems))
    found = sum(weight(s) for s in set(stems) if stem_found(s, evidence))
    return found / total if total else 0.0


def decide_coverage(
    question: str, retrieval: Retrieval, settings: RetrievalSettings, on_page: bool = False
) -> Coverage:
    """`on_page`: the candidates are one page's passages (the page's own rules apply too)."""
    stems = content_stems(question)
    # The question's words must occur together in one of the top passages, rare words weighing more.
    lexical = max(
        (
            weighted_overlap(stems, set(passage_stems(p, with_question=True)), retrieval.weight)
            for p in retrieval.passages[:EVIDENCE_PASSAGES]
        ),
        default=0.0,
    )
    dense = retrieval.dense_top
    if not stems:
        return Coverage(False, "the question has no searchable words")
    if not retrieval.passages:
        return Coverage(False, "nothing was retrieved")
    rules = [*settings.coverage_rules, *(settings.page_coverage_rules if on_page else ())]
    for min_dense, min_overlap in rules:
        if dense >= min_dense and lexical >= min_overlap:
            return Coverage(True, f"semantic {dense:.2f}, word overlap {lexical:.2f}")
    asked_before = max((p.dense_score or 0.0 for p in retrieval.passages if p.question), default=0.0)
    if asked_before >= settings.reader_question_similarity:
        return Coverage(True, f"a reader asked this in the discussion (semantic {asked_before:.2f})")
    if _asks_about_a_named_person(stems, retrieval, dense):
        return Coverage(True, "the question names a person the material quotes")
    return Coverage(False, f"weak evidence: semantic {dense:.2f}, word overlap {lexical:.2f}")


def about_named_people(retrieval: Retrieval) -> frozenset[str]:
    """Candidates about the people a question names: their own words, and the article prose of the
    sections that quote them."""
    named = [p for p in retrieval.passages if p.chunk_id in retrieval.named]
    sections = {(p.document, p.section) for p in named if p.kind == ChunkKind.EXPERT_QUOTE and p.section}
    prose = [
        p for p in retrieval.passages if p.kind == ChunkKind.ARTICLE and (p.document, p.section) in sections
    ]
    return frozenset(p.chunk_id for p in (*named, *prose))


def _asks_about_a_named_person(stems: list[str], retrieval: Retrieval, dense: float) -> bool:
    """ "What did Hinton say?", or "... Hinton ... backpropagation?" where the passages about that
    person hold the question's topic (a partial answer is honest; an unrelated topic is not covered)."""
    named = [p for p in retrieval.passages if p.chunk_id in retrieval.named]
    if not named:
        return False
    names = set(content_stems(" ".join(p.who or "" for p in named)))
    topic = [s for s in stems if s not in names]
    if not topic:
        return True
    about = about_named_people(retrieval)
    overlap = max(
        weighted_overlap(topic, set(passage_stems(p)), retrieval.weight)
        for p in retrieval.passages
        if p.chunk_id in about
    )
    return dense >= NAMED_MIN_DENSE and overlap >= NAMED_MIN_TOPIC


def closest_topics(passages: Sequence[Passage], limit: int = 3) -> tuple[str, ...]:
    """Short descriptions of what the material does cover near the question."""
    topics: list[str] = []
    for passage in passages:
        topic = present.topic(passage)
        if topic is None:
            continue
        if topic not in topics:
            topics.append(topic)
        if len(topics) == limit:
            break
    return tuple(topics)
