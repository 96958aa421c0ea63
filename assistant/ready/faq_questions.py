"""The FAQ's questions: the article's topics and the thread's questions, each a clean standalone question.

Article topics come from the index: each section (its heading, in page order) and each expert quoted
more than once ("What did <expert> say?", no model needed).
Thread questions come from the reader comments the author answered. The local model writes each as one
short question (one call per topic or group, cached by content hash under home); a written question is
kept only if its content words come from what it was written from, else the best-formed original is
used (a heading that already is a question needs no model at all).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llama_index.core.llms import ChatMessage, MessageRole

from assistant.models.llm import ChatModel
from index.quotes.names import split_speakers
from index.terms import content_stems
from index.text import sentence_texts
from index.vocabulary import ChunkKind

QUESTION_TOKENS = 40
MAX_FAQ_QUESTION_WORDS = 16
MIN_FAQ_QUESTION_WORDS = 3
MIN_PERSON_QUOTES = 2
SECTION_OPENING_CHARS = 400
COMMENT_CHARS = 600
THREAD_QUESTION_WORDS = 30  # a reader's question sentence longer than this is not a usable wording
# English question openers (grammar, not any page's words): a well-formed question starts with one.
_OPENERS = frozenset(
    """what why how when where which who whom whose is are was were am do does did can could should would
    will shall may might must has have had""".split()  # noqa: SIM905
)

TOPIC_PROMPT = (
    "You write the questions of a course FAQ. A section heading of a course page states what the "
    "section answers; write the one question a student would ask that this section answers, using "
    'the heading\'s own words (heading "Mulch Keeps Soil Moist" -> "Does mulch keep soil moist?"). '
    "At most 12 words, one line, ending with a question mark. Reply with the question only."
)
REWRITE_PROMPT = (
    "You write the questions of a course FAQ. Rewrite the reader's comment as one short standalone "
    "question that anyone could ask: keep its subject, drop greetings, names and personal details. At "
    "most 14 words, one line, ending with a question mark. Use the reader's own words. Reply with the "
    "question only."
)

# A rewrite must not keep the asker's own situation ("my technique", "what I said").
_PERSONAL = re.compile(r"\b(?:my|me|mine|myself|above|below)\b|\bwhat i (?:said|wrote|mean)\b", re.IGNORECASE)

_GREETING = re.compile(
    r"^(?:(?:hi|hello|hey|dear|so|ok|okay|well|thanks)\b[^,.!?]{0,20}[,!]\s*)+", re.IGNORECASE
)
# A question that leans on its comment's context or on the person asking reads badly on its own.
_CONTEXTUAL = re.compile(
    r"\b(i|i'm|my|me|mine|it|its|this|that|these|those|above|below)\b|^(and|if|as|or|but)\b"
    r"|\bwhat about\b|\bthe same\b",
    re.IGNORECASE,
)


def question_sentences(comment: str, max_words: int = THREAD_QUESTION_WORDS) -> list[str]:
    """The question sentences of a comment (greeting removed, 4..max_words words, no links), tidied."""
    found = []
    for sentence in sentence_texts(" ".join(comment.split()), informal=True):
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


def answered_questions(metas: Iterable[dict[str, Any]]) -> list[str]:
    """Texts of reader comments that got an answer, in thread order.

    With comment roles in the index: the `question` an answer chunk answers; before roles: reader
    comments the site's author replied to.
    """
    comments = sorted(
        (m for m in metas if m.get("kind") == ChunkKind.COMMENT),
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


@dataclass(frozen=True)
class Topic:
    """One of the article's topics: a section of a page, or a quoted expert."""

    key: str  # stable: document + section heading, or the person's name
    heading: str  # the section heading, or the person's name
    context: str  # what the question is written from (the section's opening, the person's words)
    question: str | None = None  # when the heading already is a question


@dataclass(frozen=True)
class Wording:
    """A reader's question as asked: its best question sentence and the whole comment around it."""

    text: str
    comment: str


def content_words(text: str) -> set[str]:
    """Content stems: no stopwords, no words any question adds ("what did X say", "does Y mean")."""
    return set(content_stems(text.replace("-", "")))  # "over-fitting" is "overfitting"


def tidy_question(text: str) -> str | None:
    """One line from the model as a question: quotes and labels stripped, `None` if it is not one."""
    line = next((ln.strip() for ln in text.strip().splitlines() if ln.strip()), "")
    line = re.sub(r"^(?:question|q|faq)\s*[:.-]\s*", "", line, flags=re.IGNORECASE)
    line = line.strip(" \"'“”*`").strip()
    if not line.endswith("?") or line.count("?") > 1:
        return None
    if not MIN_FAQ_QUESTION_WORDS <= len(line.split()) <= MAX_FAQ_QUESTION_WORDS:
        return None
    return line[0].upper() + line[1:]


def keeps_content(question: str, source: str, core: str) -> bool:
    """The written question adds at most one content word of its own and keeps half of `core`'s."""
    words, allowed, needed = content_words(question), content_words(source), content_words(core)
    if not words or len(words - allowed) > 1:
        return False
    return len(words & needed) * 2 >= min(len(needed), 4)


def _heading_question(heading: str) -> str | None:
    """A heading that already asks a question, tidied (its first question if it asks several)."""
    text = " ".join(heading.split())
    if not text.endswith("?"):
        return None
    first = text.split("?")[0].strip() + "?"
    return first if len(first.split()) >= 2 else None


def article_topics(metas: Iterable[dict[str, Any]], *, per_person: int = 2) -> list[Topic]:
    """Each page section with text or quotes (page order), then each person quoted at least twice (most
    quoted first): the experts a page is built around, not every name it cites once."""
    chunks = sorted(
        (
            m
            for m in metas
            if m.get("kind") in (ChunkKind.ARTICLE, ChunkKind.EXPERT_QUOTE) and m.get("section")
        ),
        key=lambda m: (str(m.get("document", "")), int(m.get("char_start", 0))),
    )
    sections: dict[tuple[str, str], list[str]] = {}
    quotes: dict[str, list[str]] = {}
    for meta in chunks:
        text = " ".join(str(meta.get("text", "")).split())
        sections.setdefault((str(meta["document"]), str(meta["section"])), []).append(text)
        people = split_speakers(str(meta.get("speaker") or ""))
        if meta.get("kind") == ChunkKind.EXPERT_QUOTE and people:
            quotes.setdefault(people[0], []).append(text)  # the lead speaker of a co-authored quote
    topics = []
    seen: set[str] = set()
    for (document, heading), texts in sections.items():
        if heading.lower() in seen:
            continue  # the same heading in an earlier snapshot of the page
        seen.add(heading.lower())
        opening = " ".join(texts)[:SECTION_OPENING_CHARS]
        topics.append(Topic(f"{document}#{heading}", heading, opening, _heading_question(heading)))
    for person, said in sorted(quotes.items(), key=lambda item: -len(item[1])):
        if len(said) < MIN_PERSON_QUOTES:
            continue
        topics.append(
            Topic(f"person:{person}", person, " … ".join(said[:per_person])[:SECTION_OPENING_CHARS])
        )
    return topics


def reader_wordings(comments: Iterable[str]) -> list[Wording]:
    """Each answered reader comment's best question sentence (the longest self-contained one)."""
    found = []
    for comment in comments:
        sentences = question_sentences(comment, THREAD_QUESTION_WORDS)
        if not sentences:
            continue
        best = max(sentences, key=lambda s: (self_contained(s), len(s.split())))
        found.append(Wording(best, " ".join(comment.split())[:COMMENT_CHARS]))
    return found


def well_formed(question: str) -> bool:
    """Reads as a question on its own: opens like one (or does after a leading clause), no context needed."""
    clauses = [c.strip() for c in question.split(",")]
    opens = any(c.split() and c.split()[0].lower() in _OPENERS for c in clauses)
    return opens and self_contained(question) and len(question.split()) <= MAX_FAQ_QUESTION_WORDS


def best_formed(wordings: Sequence[str]) -> str | None:
    """The group's wording that reads best on its own (the shortest well-formed one), if any does."""
    return min((w for w in wordings if well_formed(w)), key=lambda w: len(w.split()), default=None)


class QuestionWriter:
    """Writes FAQ questions with the local model; each answer is cached by a hash of the prompt.

    `llm=None` writes nothing (the rule-based fallbacks are used): for builds without a model.
    """

    def __init__(self, llm: ChatModel | None, cache_path: Path | None) -> None:
        self.llm = llm
        self.cache_path = cache_path
        self.calls = 0
        self._lock = threading.Lock()
        self._cache: dict[str, str] = {}
        if cache_path is not None:
            try:
                self._cache = dict(json.loads(cache_path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                self._cache = {}

    def _ask(self, system: str, user: str) -> str | None:
        if self.llm is None:
            return None
        key = hashlib.sha256(f"{self.llm.label}\n{system}\n{user}".encode()).hexdigest()
        with self._lock:
            if key in self._cache:
                return tidy_question(self._cache[key])
        messages = [
            ChatMessage(role=MessageRole.SYSTEM, content=system),
            ChatMessage(role=MessageRole.USER, content=user),
        ]
        text = "".join(
            chunk.delta or ""
            for chunk in self.llm.stream_chat(messages, max_tokens=QUESTION_TOKENS, temperature=0.0)
        )
        self.calls += 1
        with self._lock:
            self._cache[key] = text
        self.save()  # a build stopped halfway keeps the questions written so far
        return tidy_question(text)

    def save(self) -> None:
        if self.cache_path is None:
            return
        with self._lock:
            data = json.dumps(self._cache, ensure_ascii=False)
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_path.with_suffix(".tmp")
        tmp.write_text(data, encoding="utf-8")
        tmp.replace(self.cache_path)

    def topic_question(self, topic: Topic) -> str | None:
        """The question a topic answers: the heading itself if it asks one, else written by the model."""
        if topic.question:
            return topic.question
        if topic.key.startswith("person:"):
            return f"What did {topic.heading} say?"  # the expert's own words answer it
        written = self._ask(TOPIC_PROMPT, f"Section heading: {topic.heading}\nSection text: {topic.context}")
        if written and keeps_content(written, f"{topic.heading} {topic.context}", topic.heading):
            return written
        return None

    def group_question(self, wordings: Sequence[Wording]) -> str | None:
        """A group's question: the model's rewrite of its best wording if it keeps the group's words,
        else the best-formed wording; None when no wording reads as a question on its own."""
        formed = best_formed([w.text for w in wordings])
        best = formed or max((w.text for w in wordings), key=lambda t: (self_contained(t), len(t.split())))
        comment = next(w.comment for w in wordings if w.text == best)
        written = self._ask(REWRITE_PROMPT, f"Reader's comment: {comment}\nTheir question: {best}")
        source = " ".join(f"{w.text} {w.comment}" for w in wordings)
        if written and not _PERSONAL.search(written) and keeps_content(written, source, best):
            return written
        return formed
