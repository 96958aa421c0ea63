"""Example questions for the chat: covered FAQ entries first, else short answered reader questions.

Domain logic (which questions make good first clicks), kept out of the web layer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

EXAMPLE_COUNT = 4
EXAMPLE_MAX_WORDS = 16
_GREETING = re.compile(
    r"^(?:(?:hi|hello|hey|dear|so|ok|okay|well|thanks)\b[^,.!?]{0,20}[,!]\s*)+", re.IGNORECASE
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)")
# Questions that lean on their comment's context or on the person asking make poor examples.
_CONTEXTUAL = re.compile(
    r"\b(i|i'm|my|me|mine|it|its|this|that|these|those|sir|above|below)\b|^(and|if|as|or|but)\b"
    r"|\bwhat about\b|\bthe same\b",
    re.IGNORECASE,
)


def question_sentences(comment: str, max_words: int = EXAMPLE_MAX_WORDS) -> list[str]:
    """The question sentences of a comment (greeting removed, 4..max_words words, no links), tidied."""
    found = []
    for sentence in _SENTENCE.split(" ".join(comment.split())):
        sentence = _GREETING.sub("", sentence).strip()
        if not sentence.endswith("?"):
            continue
        sentence = re.sub(r"\s+\?+$", "?", sentence).rstrip("?") + "?"
        if "http" in sentence or not 4 <= len(sentence.split()) <= max_words:
            continue
        found.append(sentence[0].upper() + sentence[1:])
    return found


def self_contained(question: str) -> bool:
    """No "it", "my", "what about"...: the question makes sense without its comment."""
    return _CONTEXTUAL.search(question) is None


def spread(items: Sequence[str], limit: int) -> list[str]:
    """`limit` items spread evenly over `items` (not just the first few)."""
    unique = list(dict.fromkeys(items))
    if len(unique) <= limit:
        return unique
    step = len(unique) / limit
    return [unique[int(i * step)] for i in range(limit)]


def answered_questions(metas: Iterable[dict[str, Any]]) -> list[str]:
    """Texts of reader comments that got an answer, in thread order.

    With comment roles in the index: the `question` an answer chunk answers; before roles: reader
    comments the site's author replied to.
    """
    comments = sorted(
        (m for m in metas if m.get("kind") == "comment"),
        key=lambda m: (str(m.get("document", "")), int(m.get("char_start", 0))),
    )
    if any(m.get("role") for m in comments):
        texts = [str(m.get("question") or "") for m in comments if m.get("role") == "answer"]
    else:
        answered = {m.get("parent") for m in comments if m.get("is_author_reply") and m.get("parent")}
        texts = [
            str(m.get("text", ""))
            for m in comments
            if not m.get("is_author_reply") and m.get("comment_id") in answered
        ]
    return list(dict.fromkeys(t for t in texts if t.strip()))


def thread_examples(metas: Iterable[dict[str, Any]], limit: int = EXAMPLE_COUNT) -> list[str]:
    """Short, self-contained reader questions from the comment thread that got an answer."""
    found = []
    for text in answered_questions(metas):
        question = next((q for q in question_sentences(text) if self_contained(q)), None)
        if question:
            found.append(question)
    return spread(found, limit)


def faq_examples(questions: Sequence[str], limit: int = EXAMPLE_COUNT) -> list[str]:
    """Short questions of covered FAQ entries (most asked first): a first click that gets an answer."""
    short = [q for q in questions if len(q.split()) <= EXAMPLE_MAX_WORDS and self_contained(q)]
    return list(dict.fromkeys(short))[:limit]
