"""Who said it, worded once: how each kind of source is introduced wherever the product names it.

The prompt's source lines and the answer's forced opening, the answers written without the model, the
closest-topics line of a declined question, the source list of the chat, and the framing the meaning
check strips before it compares a sentence with its source all come from here. Branches are on
`SourceKind`; the kinds' own labels are in `index/vocabulary.py`, other languages in `phrasebook.py`.
"""

from __future__ import annotations

import re

from assistant.records import Passage
from index.vocabulary import SourceKind

WHO = "{who}"
# The opening the answer must begin with, per kind of its main source (None: the model opens freely).
# A reply keyed by the reader question it answers is "replied to a reader"; other comments "wrote".
REPLY_OPENING = "In the discussion, {who} replied to a reader that"
COMMENT_OPENING = "A reader, {who}, wrote in the discussion that"
# How a passage quoted verbatim (no model sentence survived the checks) is introduced.
REPLY_SAID = "In the discussion, {who} replied to a reader who asked this"
# Neutral on purpose: a reply the roles call a deflection ("Sorry, I don't have material on ...") often
# answers the student's question after all; the quote says what it says.
NOT_ANSWERED = "A reader asked this in the discussion, and {who} replied"
SAID: dict[SourceKind, str] = {
    SourceKind.EXPERT_QUOTE: "{who} said",
    SourceKind.ARTICLE: "The article says",
    SourceKind.INSTRUCTOR_ANSWER: "The course instructor answered",
}
# The name used when a source names nobody, per place.
EXPERT = "an expert"
SOMEONE = "someone"


def _is_reply(passage: Passage) -> bool:
    return passage.source_kind in (SourceKind.AUTHOR_REPLY, SourceKind.READER_COMMENT)


def for_model(passage: Passage) -> str:
    """How the prompt (and the relevance judge) introduces a passage: kind, who, where, when."""
    label = passage.labels.model
    kind = passage.source_kind
    if kind is SourceKind.EXPERT_QUOTE:
        where = f", “{passage.source_title}”" if passage.source_title else ""
        when = f" ({passage.year})" if passage.year else ""
        return f"{label} by {passage.speaker or EXPERT}{where}{when}"
    if _is_reply(passage):
        return f"{label}, by {passage.author or SOMEONE}"
    if kind is SourceKind.ARTICLE:
        return label + (f", section “{passage.section}”" if passage.section else "")
    return label


def answer_opening(passage: Passage) -> str | None:
    """How the answer names its main source, so the student knows who said it and where."""
    if _is_reply(passage) and passage.question:
        return REPLY_OPENING.format(who=passage.author or "the author")
    if _is_reply(passage):
        return COMMENT_OPENING.format(who=passage.author or "unnamed")
    if passage.source_kind is SourceKind.EXPERT_QUOTE and passage.speaker:
        return passage.speaker
    return None


def said(passage: Passage) -> str:
    """Who said a passage quoted verbatim: "Jeff Dean said", "The article says", ..."""
    if _is_reply(passage) and passage.question:
        return REPLY_SAID.format(who=passage.author or "the author")
    if _is_reply(passage):
        return f"{passage.author or 'A reader'} wrote ({passage.labels.plain})"
    kind = passage.source_kind
    return SAID[kind].format(who=passage.speaker or "An expert") if kind in SAID else SAID[SourceKind.ARTICLE]


def not_answered(passage: Passage, quote: str) -> str:
    """A reader asked this and the author's reply deflected or declined: the reply quoted, not judged."""
    return f"{NOT_ANSWERED.format(who=passage.author or 'the author')} “{quote}” [1]."


def topic(passage: Passage) -> str | None:
    """What a passage is about, for the closest-topics line of a declined question (None: not listed)."""
    kind = passage.source_kind
    if kind is SourceKind.EXPERT_QUOTE and passage.speaker:
        title = f" in “{passage.source_title}”" if passage.source_title else ""
        return f"what {passage.speaker} said{title}"
    if kind is SourceKind.ARTICLE and passage.section:
        return f"the article's section “{passage.section}”"
    if _is_reply(passage):
        return f"a discussion comment by {passage.author}" if passage.author else "the discussion"
    return None


def who(passage: Passage) -> str:
    """The short 'who' of a listed source: the expert and their work, the commenter, the section."""
    if passage.source_kind is SourceKind.EXPERT_QUOTE:
        parts = [passage.speaker or EXPERT]
        if passage.source_title:
            parts.append(f"“{passage.source_title}”")
        text = ", ".join(parts)
        return f"{text} ({passage.year})" if passage.year else text
    if _is_reply(passage):
        return passage.author or SOMEONE
    return f"section “{passage.section}”" if passage.section else "the article"


def opening_patterns() -> list[str]:
    """Regular expressions of this module's openings, `{who}` matching a name: what the meaning check
    strips from a sentence before comparing its claim with the source."""
    patterns = []
    for template in (REPLY_OPENING, COMMENT_OPENING, REPLY_SAID, *SAID.values()):
        before, _, after = (re.escape(part) for part in template.partition(WHO))
        patterns.append(before + (r"[^,.;:]{0,80}?" + after if template.count(WHO) else ""))
    return patterns
