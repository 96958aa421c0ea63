"""Choose the one to three passages that answer a question, out of the retrieved candidates.

Retrieval ranks broadly (fused dense + lexical, with room for expert quotes); the model and the
student see only the evidence: the candidates whose meaning is closest to the question (dense
similarity, helped by the lexical score), plus those within a small margin of the best. A question
naming a person prefers that person's words. Calibrated on eval/thread_questions.jsonl and the
quote questions of eval/dev_questions.jsonl (docs/quality.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant.records import Passage
from assistant.text import content_stems
from assistant.tuning import (
    ARTICLE_PRIOR,
    ECHO_SIMILARITY,
    EVIDENCE_MARGIN,
    EXPERT_QUOTE_PRIOR,
    LEXICAL_WEIGHT,
    NAMED_PERSON_BONUS,
    TOPIC_WEIGHT,
)
from index.vocabulary import ChunkKind, CommentRole

NON_ANSWER = CommentRole.NON_ANSWER.value
ANSWER = CommentRole.ANSWER.value

MAX_EVIDENCE = 3
PRIORS = {ChunkKind.ARTICLE: ARTICLE_PRIOR, ChunkKind.EXPERT_QUOTE: EXPERT_QUOTE_PRIOR}


@dataclass(frozen=True)
class Evidence:
    """The passages chosen to answer a question, best first."""

    passages: tuple[Passage, ...]

    @property
    def best(self) -> Passage | None:
        return self.passages[0] if self.passages else None


def relevance(passage: Passage, lexical_top: float, named: frozenset[str], topic: float = 0.0) -> float:
    """How closely a candidate matches the question: meaning first, shared rare words second."""
    lexical = (passage.lexical_score or 0.0) / lexical_top if lexical_top > 0 else 0.0
    bonus = NAMED_PERSON_BONUS if passage.chunk_id in named else 0.0
    prior = PRIORS.get(passage.kind, 0.0)
    return (passage.dense_score or 0.0) + LEXICAL_WEIGHT * lexical + TOPIC_WEIGHT * topic + bonus + prior


def topic_overlap(
    passage: Passage, question_stems: Sequence[str], names: set[str], weight: Callable[[str], float]
) -> float:
    """IDF-weighted share of the question's words, other than the asked-about names, in the passage."""
    topic = [s for s in question_stems if s not in names]
    if not topic:
        return 0.0
    found = set(content_stems(" ".join(x for x in (passage.text, passage.question, passage.lead_in) if x)))
    total = sum(weight(s) for s in set(topic))
    return sum(weight(s) for s in set(topic) if s in found) / total if total else 0.0


def select_evidence(
    candidates: Sequence[Passage],
    named: frozenset[str] = frozenset(),
    limit: int = MAX_EVIDENCE,
    question_stems: Sequence[str] = (),
    weight: Callable[[str], float] = lambda stem: 1.0,
) -> Evidence:
    """The best candidate and those within `EVIDENCE_MARGIN` of it (at most `limit`), renumbered 1..n."""
    # A reader's comment that says what the student asks is the question again, not evidence for it.
    candidates = [p for p in candidates if not _echoes_the_question(p)]
    if not candidates:
        return Evidence(())
    lexical_top = max((p.lexical_score or 0.0 for p in candidates), default=0.0)
    names = set(content_stems(" ".join(p.who or "" for p in candidates if p.chunk_id in named)))
    scored = sorted(
        (
            (relevance(p, lexical_top, named, topic_overlap(p, question_stems, names, weight)), p)
            for p in candidates
        ),
        key=lambda pair: pair[0],
        reverse=True,
    )
    scored = _followed_up(scored)
    best = scored[0][0]
    # A declined question answers only as the best match (it is then reported as not answered).
    chosen = [scored[0]] + [
        (score, p) for score, p in scored[1:limit] if score >= best - EVIDENCE_MARGIN and p.role != NON_ANSWER
    ]
    return Evidence(
        passages=tuple(_renumbered(p, rank) for rank, (_, p) in enumerate(chosen, start=1)),
    )


def _followed_up(scored: list[tuple[float, Passage]]) -> list[tuple[float, Passage]]:
    """When the best match is the author asking the reader back ("What do you mean by X?"), the
    author's next answer to that reader, if retrieved too, is what the thread concluded: it leads."""
    top_score, top = scored[0]
    if top.role != NON_ANSWER or "?" not in top.text or not top.question_author:
        return scored
    later = [
        (score, p)
        for score, p in scored
        if p.role == ANSWER
        and p.document == top.document
        and p.question_author == top.question_author
        and p.char_start > top.char_start
    ]
    if not later:
        return scored
    answer = min(later, key=lambda pair: pair[1].char_start)[1]
    return [(top_score, answer)] + [pair for pair in scored[1:] if pair[1] is not answer]


def _echoes_the_question(passage: Passage) -> bool:
    is_reader = passage.kind == ChunkKind.COMMENT and not passage.is_author_reply
    return is_reader and (passage.dense_score or 0.0) >= ECHO_SIMILARITY


def _renumbered(passage: Passage, rank: int) -> Passage:
    return replace(passage, rank=rank)
