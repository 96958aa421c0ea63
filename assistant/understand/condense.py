"""Rewrite a follow-up question into a standalone one from the conversation.

The first question of a conversation, and a later English one that plainly stands on its own, are kept
as asked. Any other later turn ("who came up with it?", "and what about Hinton?", "in simpler words?",
"und was bedeutet das?") is rewritten by the local model, which sees the earlier turns; the rewrite is
kept only if it keeps the new turn's own words (the model must not swap the question for the previous
one). Otherwise rules do it: "what about Hinton?" after
"What did Andrew Ng say about supervised learning?" becomes "What did Hinton say about supervised
learning?"; an anaphoric follow-up carries the previous question along so retrieval sees the topic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.models.llm import ChatModel, with_examples
from assistant.records import Turn
from assistant.text import NAME_RUN, content_stems, sentence_spans
from assistant.tuning import KEPT_WORDS
from assistant.understand.language import Language, language_of

_WHAT_ABOUT = re.compile(
    r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(?P<x>.+?)\s*\??\s*$"
    # "and Hinton?" names a new subject; "and what kind of data is it best on?" is a question of its own
    r"|^\s*and\s+(?P<y>(?!(?:what|who|whom|why|how|when|where|which|is|are|was|were|can|does|do|did)\b)"
    r"[^,?]+?)\s*\?\s*$",
    re.IGNORECASE,
)
_PRONOUNS = r"it|its|this|that|these|those|they|them|their|he|him|his|she|her"
_POINTING_BACK = re.compile(rf"\b(?:{_PRONOUNS})\b", re.IGNORECASE)
_ANAPHORA = re.compile(rf"\b(?:{_PRONOUNS}|why|so|the same|more|else|explain|elaborate)\b", re.IGNORECASE)
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
CONTEXT_TURNS = 4  # the last turns the model sees (two questions and two answers)
ANSWER_CHARS = 240  # of each earlier answer, its opening (where the subject is named)
REWRITE_TOKENS = 60

_LABEL = re.compile(r"^(standalone question|question|follow-up)\s*:\s*", re.IGNORECASE)
STANDALONE_WORDS = 5  # an English question with this many content words and no pronoun needs no rewrite

# Measured on the 77 English development conversations (docs/coverage.md): an instruction to keep what
# the follow-up asks and add what it refers to, with examples of that, rewrites better than one that mainly
# forbids repeating the earlier question (the model then echoed either turn).
REWRITE_SYSTEM = (
    "A student is chatting about a course page. Their follow-up continues the conversation and leaves out "
    "what it is about. Write the follow-up as one complete question that a stranger could understand: keep "
    "what the follow-up asks, and add the person or thing from the earlier question it refers to. "
    "Reply with the question only, in the student's language."
)
# Worked examples on topics no course page holds, so they teach the form and not an answer.
REWRITE_EXAMPLES = (
    (
        "Earlier question: how tall is the Eiffel Tower?\nFollow-up: and when was it built?",
        "When was the Eiffel Tower built?",
    ),
    (
        "Earlier question: what did the mayor say about the new bridge?\nFollow-up: and the engineer?",
        "What did the engineer say about the new bridge?",
    ),
    (
        "Earlier question: who won the chess final?\nFollow-up: how many moves did it take?",
        "How many moves did the chess final take?",
    ),
)


def previous_question(history: Sequence[Turn]) -> str | None:
    for turn in reversed(history):
        if turn.role == "user" and turn.content.strip():
            return turn.content.strip()
    return None


def _names(text: str) -> list[str]:
    found = []
    for match in NAME_RUN.finditer(text):
        run = match.group(0).split()
        while run and run[0] in _QUESTION_WORDS:
            run = run[1:]
        if run:
            found.append(" ".join(run))
    return found


def stands_alone(question: str) -> bool:
    """No pronoun pointing back and enough words of its own ("what about X?" never stands alone)."""
    if _WHAT_ABOUT.match(question):
        return False
    # A pronoun may point back however long the question is ("did he say anything about data sets?").
    return not _ANAPHORA.search(question) and len(content_stems(question)) >= 2


def condense(history: Sequence[Turn], question: str, llm: Callable[[], ChatModel] | None = None) -> str:
    """A standalone version of `question` given earlier turns (the question itself when it is one);
    `llm` gives the model that rewrites follow-ups (loaded only when one needs it)."""
    question = question.strip()
    previous = previous_question(history)
    if not previous or plainly_standalone(question):
        return question
    rewritten = model_rewrite(llm(), history, question) if llm is not None else None
    if rewritten:
        return rewritten
    return question if stands_alone(question) else rule_rewrite(previous, question)


def plainly_standalone(question: str) -> bool:
    """An English question long enough and without words pointing back (other languages go to the model:
    the pronoun list is English)."""
    english = language_of(question) == Language.ENGLISH
    return english and stands_alone(question) and len(content_stems(question)) >= STANDALONE_WORDS


def _opening(text: str) -> str:
    spans = list(sentence_spans(text))
    first = text[spans[0][0] : spans[0][1]] if spans else text
    return first[:ANSWER_CHARS]


def model_rewrite(llm: ChatModel, history: Sequence[Turn], question: str) -> str | None:
    """The model's standalone question, or None when it lost the follow-up's own words."""
    lines = []
    for turn in list(history)[-CONTEXT_TURNS:]:
        if turn.role == "user":
            lines.append(f"Earlier question: {turn.content.strip()}")
        elif turn.content.strip():
            lines.append(f"Earlier answer: {_opening(turn.content.strip())}")
    lines.append(f"Follow-up: {question}")
    messages = with_examples(REWRITE_SYSTEM, REWRITE_EXAMPLES, "\n".join(lines))
    reply = "".join(
        c.delta or "" for c in llm.stream_chat(messages, max_tokens=REWRITE_TOKENS, temperature=0.0)
    )
    asked_before = [t.content for t in history if t.role == "user"]
    return checked_rewrite(question, reply, " ".join(asked_before))


def checked_rewrite(question: str, reply: str, asked_before: str = "") -> str | None:
    """The first line of the reply, if it is a question that keeps most of the follow-up's words and
    resolves what the follow-up points back to from the earlier questions (`asked_before`)."""
    line = next((ln.strip() for ln in reply.strip().splitlines() if ln.strip()), "")
    line = _LABEL.sub("", line).strip(' "“”')
    if not line or len(line) > 4 * max(len(question), 60):
        return None
    if question.rstrip().endswith("?") and not line.endswith("?"):
        return None  # an answer, not the question rewritten
    own = set(content_stems(question))
    kept = own & set(content_stems(line))
    if own and len(kept) / len(own) < KEPT_WORDS:
        return None
    if stands_alone(question):
        return line
    return line if _resolves(question, line, asked_before) else None


def _resolves(question: str, line: str, asked_before: str) -> bool:
    """The rewrite adds words, some of them from the earlier questions (not words of its own, "the course
    material" for "it"), and leaves fewer of the follow-up's pronouns pointing back ("What did Jason say back
    to that?" for "what did he say back to that?" resolves nothing). Measured on 138 development conversations
    (docs/coverage.md): wrong last turns 26 -> 23, right 61 -> 62."""
    added = set(content_stems(line)) - set(content_stems(question))
    if not added:
        return False  # a pronoun left unresolved
    if asked_before and not added & set(content_stems(asked_before)):
        return False
    pointing = len(_POINTING_BACK.findall(question))
    return not pointing or len(_POINTING_BACK.findall(line)) < pointing


def rule_rewrite(previous: str, question: str) -> str:
    """Without the model: a name swapped into the previous question, or the previous question attached."""
    match = _WHAT_ABOUT.match(question)
    if match:
        subject = (match.group("x") or match.group("y")).strip()
        names = _names(previous)
        if names and subject[:1].isupper():
            return previous.replace(names[0], subject, 1)
        return f"{previous.rstrip('?')} {subject}?"
    return f"{question.rstrip()} (follow-up to: {previous})"
