"""Example questions for the chat: the FAQ's top entries, else questions about the article's topics.

Domain logic (which questions make good first clicks), kept out of the web layer. Raw reader comments
are never examples: they lean on their comment's context ("Plug in more equations ... /whatever?").
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from assistant.ready.faq_questions import article_topics

EXAMPLE_COUNT = 4
EXAMPLE_MAX_WORDS = 16


def _short(question: str) -> bool:
    return question.endswith("?") and len(question.split()) <= EXAMPLE_MAX_WORDS


def _alternate(first: Sequence[str], second: Sequence[str]) -> list[str]:
    pairs = itertools.zip_longest(first, second)
    return list(dict.fromkeys(q for pair in pairs for q in pair if q))


def faq_examples(entries: Sequence[tuple[str, str]], limit: int = EXAMPLE_COUNT) -> list[str]:
    """The FAQ's top entries, given as (question, origin): article topics and asked questions in turn."""
    short = [(q, origin) for q, origin in entries if _short(q) and origin != "instructor"]
    article = [q for q, origin in short if origin == "article"]
    asked = [q for q, origin in short if origin != "article"]
    return _alternate(article, asked)[:limit]


def topic_examples(metas: Iterable[dict[str, Any]], limit: int = EXAMPLE_COUNT) -> list[str]:
    """Before a FAQ exists (no model call): the article's headings that ask a question, then its experts."""
    topics = article_topics(metas)
    headings = [t.question for t in topics if t.question and _short(t.question)]
    people = [f"What did {t.heading} say?" for t in topics if t.key.startswith("person:")]
    return _alternate(headings, people)[:limit]
