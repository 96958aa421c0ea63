"""Decide from retrieval evidence alone whether the material covers a question.

The model never declines on its own (see shared/MODELS.md), so this decision is made before any
model call: the best dense similarity must be high enough and the question's content words must
actually occur in the top passages, unless the dense match is strong enough on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.records import Passage
from assistant.retrieve import Retrieval
from assistant.settings import RetrievalSettings
from assistant.text import content_stems, overlap

STRONG_DENSE = 0.6
EVIDENCE_PASSAGES = 3


@dataclass(frozen=True)
class Coverage:
    covered: bool
    reason: str
    lexical_overlap: float
    dense_top: float


def passage_stems(passage: Passage) -> list[str]:
    """Stems of what a reader sees of a passage: its text and who said it where."""
    parts = [passage.text, passage.speaker, passage.source_title, passage.author, passage.lead_in]
    return content_stems(" ".join(p for p in parts if p))


def decide_coverage(question: str, retrieval: Retrieval, settings: RetrievalSettings) -> Coverage:
    stems = content_stems(question)
    evidence: list[str] = []
    for passage in retrieval.passages[:EVIDENCE_PASSAGES]:
        evidence.extend(passage_stems(passage))
    lexical = overlap(stems, evidence)
    dense = retrieval.dense_top
    if not stems:
        return Coverage(False, "the question has no searchable words", lexical, dense)
    if not retrieval.passages:
        return Coverage(False, "nothing was retrieved", lexical, dense)
    if dense >= STRONG_DENSE:
        return Coverage(True, f"strong semantic match ({dense:.2f})", lexical, dense)
    if dense < settings.min_dense_score:
        return Coverage(False, f"best semantic match too weak ({dense:.2f} < {settings.min_dense_score})",
                        lexical, dense)
    if lexical < settings.min_lexical_overlap:
        return Coverage(False, f"question words barely occur in the material ({lexical:.2f})", lexical, dense)
    return Coverage(True, f"semantic {dense:.2f}, word overlap {lexical:.2f}", lexical, dense)


def closest_topics(passages: Sequence[Passage], limit: int = 3) -> tuple[str, ...]:
    """Short descriptions of what the material does cover near the question."""
    topics: list[str] = []
    for passage in passages:
        if passage.kind == "expert_quote" and passage.speaker:
            title = f" in “{passage.source_title}”" if passage.source_title else ""
            topic = f"what {passage.speaker} said{title}"
        elif passage.kind == "article" and passage.section:
            topic = f"the article's section “{passage.section}”"
        elif passage.kind == "comment":
            topic = f"a discussion comment by {passage.author}" if passage.author else "the discussion"
        else:
            continue
        if topic not in topics:
            topics.append(topic)
        if len(topics) == limit:
            break
    return tuple(topics)
