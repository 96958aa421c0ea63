"""Rewrite a follow-up question into a standalone one from the conversation, by rule (no model call).

"what about Hinton?" after "What did Andrew Ng say about supervised learning?" becomes
"What did Hinton say about supervised learning?"; an anaphoric follow-up ("why?", "does it
overfit?") carries the previous question along so retrieval sees the topic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.records import Turn
from assistant.text import content_stems

_WHAT_ABOUT = re.compile(
    r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(?P<x>.+?)\s*\??\s*$|^\s*and\s+(?P<y>.+?)\s*\?\s*$", re.IGNORECASE
)
_ANAPHORA = re.compile(
    r"\b(it|its|this|that|these|those|they|them|their|he|him|his|she|her|why|so|the same"
    r"|more|else|explain|elaborate)\b",
    re.IGNORECASE,
)
_NAME_RUN = re.compile(r"\b(?:[A-Z][a-z]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z]+|[A-Z]\.))*\b")
_QUESTION_WORDS = {
    "What",
    "Who",
    "Why",
    "How",
    "When",
    "Where",
    "Which",
    "Is",
    "Are",
    "Can",
    "Does",
    "Do",
    "Did",
}
SELF_CONTAINED_STEMS = 4


def previous_question(history: Sequence[Turn]) -> str | None:
    for turn in reversed(history):
        if turn.role == "user" and turn.content.strip():
            return turn.content.strip()
    return None


def _names(text: str) -> list[str]:
    found = []
    for match in _NAME_RUN.finditer(text):
        run = match.group(0).split()
        while run and run[0] in _QUESTION_WORDS:
            run = run[1:]
        if run:
            found.append(" ".join(run))
    return found


def condense(history: Sequence[Turn], question: str) -> str:
    """A standalone version of `question` given earlier turns (the question itself when it is one)."""
    question = question.strip()
    previous = previous_question(history)
    if not previous:
        return question
    match = _WHAT_ABOUT.match(question)
    if match:
        subject = (match.group("x") or match.group("y")).strip()
        names = _names(previous)
        if names and subject[:1].isupper():
            return previous.replace(names[0], subject, 1)
        return f"{previous.rstrip('?')} {subject}?"
    stems = content_stems(question)
    if len(stems) >= SELF_CONTAINED_STEMS or (not _ANAPHORA.search(question) and len(stems) >= 2):
        return question
    return f"{question.rstrip()} (follow-up to: {previous})"
