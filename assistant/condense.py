"""Rewrite a follow-up question into a standalone one from the conversation.

A question that stands on its own is kept as asked. A follow-up ("who came up with it?", "and what
about Hinton?", "did he say anything about data sets?") is rewritten by the local model, which sees
the last turns; the rewrite is kept only if it keeps the new turn's own words (the model must not
swap the question for the previous one). Otherwise rules do it: "what about Hinton?" after
"What did Andrew Ng say about supervised learning?" becomes "What did Hinton say about supervised
learning?"; an anaphoric follow-up carries the previous question along so retrieval sees the topic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from llama_index.core.llms import ChatMessage, MessageRole

from assistant.llm import ChatModel
from assistant.records import Turn
from assistant.text import content_stems, sentence_spans

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
CONTEXT_TURNS = 4  # the last turns the model sees (two questions and two answers)
ANSWER_CHARS = 240  # of each earlier answer, its opening (where the subject is named)
REWRITE_TOKENS = 60
KEPT_WORDS = 0.6  # share of the follow-up's own content words the rewrite must keep

REWRITE_SYSTEM = (
    "You rewrite the student's last message in a conversation about a course article as one "
    "standalone question that can be understood without the conversation. Replace words such as he, "
    "she, it, they, this, that and there with what they refer to, and add the subject the message "
    "leaves out. Keep the student's own words otherwise, in the student's language. Do not answer "
    "the question. Reply with the question only."
)


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
    if not previous or stands_alone(question):
        return question
    rewritten = model_rewrite(llm(), history, question) if llm is not None else None
    return rewritten or rule_rewrite(previous, question)


def _opening(text: str) -> str:
    spans = list(sentence_spans(text))
    first = text[spans[0][0] : spans[0][1]] if spans else text
    return first[:ANSWER_CHARS]


def model_rewrite(llm: ChatModel, history: Sequence[Turn], question: str) -> str | None:
    """The model's standalone question, or None when it lost the follow-up's own words."""
    lines = []
    for turn in list(history)[-CONTEXT_TURNS:]:
        if turn.role == "user":
            lines.append(f"Student: {turn.content.strip()}")
        elif turn.content.strip():
            lines.append(f"Assistant: {_opening(turn.content.strip())}")
    lines += [f"Student: {question}", "", "Standalone question:"]
    messages = [
        ChatMessage(role=MessageRole.SYSTEM, content=REWRITE_SYSTEM),
        ChatMessage(role=MessageRole.USER, content="\n".join(lines)),
    ]
    reply = "".join(
        c.delta or "" for c in llm.stream_chat(messages, max_tokens=REWRITE_TOKENS, temperature=0.0)
    )
    return checked_rewrite(question, reply)


def checked_rewrite(question: str, reply: str) -> str | None:
    """The first line of the reply, if it is a question that keeps most of the follow-up's words."""
    line = next((ln.strip() for ln in reply.strip().splitlines() if ln.strip()), "")
    line = re.sub(r"^(standalone question|question)\s*:\s*", "", line, flags=re.IGNORECASE).strip(' "“”')
    if not line or len(line) > 4 * max(len(question), 60):
        return None
    if question.rstrip().endswith("?") and not line.endswith("?"):
        return None  # an answer, not the question rewritten
    own = set(content_stems(question))
    kept = own & set(content_stems(line))
    if own and len(kept) / len(own) < KEPT_WORDS:
        return None
    return line if len(content_stems(line)) > len(own) else None


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
