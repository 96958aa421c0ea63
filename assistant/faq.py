"""The course FAQ: questions grouped by meaning, one checked answer each, served instantly to the chat.

Where the questions come from: the comment thread's question-and-answer pairs (chunk metadata `role`
"answer" with the reader's `question`; before roles exist, reader comments that got an author reply),
the most asked logged questions, and the instructor's answers to passed-on questions. Each group's
question is answered through the same pipeline as the chat (`Assistant.ask`: retrieval, coverage,
answer, citation checks); uncovered ones are left out. `FaqMatcher` is an `AnswerShortcut`: a student
question close enough to an entry is answered from it, marked `faq`.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.examples import answered_questions, question_sentences
from assistant.records import Answer, Citation, Passage
from index.vocabulary import LABELS, SourceKind

if TYPE_CHECKING:
    from assistant.pipeline import Assistant

FAQ_MAX_WORDS = 30
FAQ_PER_COMMENT = 3
MIN_ASKED = 2  # logged questions join the FAQ when asked at least this often (any wording)
# A FAQ question may say "you" or "it", but not lean on the asker's own situation or earlier text.
_PERSONAL = re.compile(
    r"\b(my|me|mine|sir|above|below|pl|pls|whatever)\b|\bwhat i\b|\bi (said|should)\b|\byour (new )?book\b"
    r"|\bthe same\b|\bwhat about\b"
    r"|^(and|or|but|if yes|if so|also)\b",
    re.IGNORECASE,
)
INSTRUCTOR_DOCUMENT = "instructor-answers"


def dot(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of unit vectors (what every Embedder returns)."""
    return sum(x * y for x, y in zip(a, b, strict=True))


@dataclass
class Group:
    """Questions that mean the same thing; the first one seen (or most asked) represents them."""

    question: str
    embedding: Sequence[float]
    variants: list[str] = field(default_factory=list)
    count: int = 0
    origin: str = "thread"


def group_by_meaning(
    items: Iterable[tuple[str, int, str]],
    embed: Callable[[str], Sequence[float]],
    similarity: float,
) -> list[Group]:
    """Greedy grouping of (question, count, origin) by embedding; most asked groups first."""
    groups: list[Group] = []
    for text, count, origin in items:
        vector = embed(text)
        best = max(groups, key=lambda g: dot(vector, g.embedding), default=None)
        if best is not None and dot(vector, best.embedding) >= similarity:
            best.count += count
            if text not in best.variants:
                best.variants.append(text)
            continue
        groups.append(Group(text, vector, [text], count, origin))
    groups.sort(key=lambda g: -g.count)
    return groups


def thread_questions(metas: Iterable[dict[str, Any]]) -> list[str]:
    """Reader questions from the thread that got an answer, as short question sentences."""
    found = []
    for text in answered_questions(metas):
        picked = [
            q
            for q in question_sentences(text, FAQ_MAX_WORDS)
            if not _PERSONAL.search(q) and q.count("(") == q.count(")")
        ]
        found.extend(picked[:FAQ_PER_COMMENT])
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class FaqEntry:
    """One FAQ entry: the group's question, its checked answer, the grouped wordings and their vectors."""

    question: str
    answer: Answer
    variants: tuple[str, ...]
    embeddings: tuple[tuple[float, ...], ...]
    asked: int = 0
    origin: str = "thread"  # thread, log or instructor

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer.answer,
            "citations": [c.to_json() for c in self.answer.citations],
            "variants": list(self.variants),
            "asked": self.asked,
            "origin": self.origin,
        }


@dataclass(frozen=True)
class Faq:
    index_version: str
    entries: tuple[FaqEntry, ...]

    def to_json(self) -> list[dict[str, Any]]:
        return [e.to_json() for e in self.entries]

    def save(self, path: Path) -> None:
        data = {
            "index_version": self.index_version,
            "entries": [
                {
                    "question": e.question,
                    "answer": answer_to_dict(e.answer),
                    "variants": list(e.variants),
                    "embeddings": [list(v) for v in e.embeddings],
                    "asked": e.asked,
                    "origin": e.origin,
                }
                for e in self.entries
            ],
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Faq | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = tuple(
                FaqEntry(
                    question=e["question"],
                    answer=answer_from_dict(e["answer"]),
                    variants=tuple(e["variants"]),
                    embeddings=tuple(tuple(v) for v in e["embeddings"]),
                    asked=int(e.get("asked", 0)),
                    origin=str(e.get("origin", "thread")),
                )
                for e in data["entries"]
            )
            return cls(str(data["index_version"]), entries)
        except (OSError, ValueError, KeyError, TypeError):
            return None


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    return asdict(answer)


def answer_from_dict(data: dict[str, Any]) -> Answer:
    names = {f.name for f in fields(Answer)}
    values = {k: v for k, v in data.items() if k in names}
    for name, value in values.items():
        if isinstance(value, list):  # JSON has lists where the records keep tuples
            values[name] = tuple(tuple(v) if isinstance(v, list) else v for v in value)
    values["citations"] = tuple(Citation(**c) for c in data.get("citations", ()))
    values["retrieved"] = tuple(Passage(**p) for p in data.get("retrieved", ()))
    return Answer(**values)


def instructor_answer(question: str, text: str, index_version: str | None) -> Answer:
    """The instructor's answer to a passed-on question, cited as its own kind of source."""
    text = " ".join(text.split())
    who = LABELS[SourceKind.INSTRUCTOR_ANSWER].card
    common: dict[str, Any] = {
        "kind": "instructor_answer",
        "document": INSTRUCTOR_DOCUMENT,
        "char_start": 0,
        "char_end": len(text),
        "author": who,
    }
    citation = Citation(n=1, quote=text, **common)
    passage = Passage(
        rank=1,
        text=text,
        score=1.0,
        chunk_id="instructor-" + hashlib.sha1(question.encode()).hexdigest()[:12],
        **common,
    )
    return Answer(
        question=question,
        answer=f"{text} [1]",
        covered=True,
        citations=(citation,),
        retrieved=(passage,),
        timings_ms={},
        standalone_question=question,
        index_version=index_version,
        model=None,
    )


def build_faq(
    assistant: Assistant,
    thread: Sequence[str],
    logged: Sequence[str] = (),
    instructor: Sequence[tuple[str, str]] = (),
    *,
    similarity: float,
    size: int,
    progress: Callable[[str], None] | None = None,
) -> Faq:
    """Group the questions, answer each group once through `assistant` (an `Assistant`), keep covered ones.

    `thread`: reader questions that got an answer; `logged`: questions students asked (one item per
    time asked); `instructor`: (question, answer) pairs written by the instructor.
    """
    version = assistant.index_version
    counts = Counter(logged)
    items = [(q, 1 + counts.pop(q, 0), "thread") for q in thread]
    items += [(q, n, "log") for q, n in counts.most_common()]
    embeddings: dict[str, Sequence[float]] = {}

    def embed(text: str) -> Sequence[float]:
        if text not in embeddings:
            embeddings[text] = assistant.retrieve(text).embedding
        return embeddings[text]

    entries: list[FaqEntry] = []
    for question, text in instructor:
        vector = embed(question)
        entries.append(
            FaqEntry(
                question,
                instructor_answer(question, text, version),
                (question,),
                (tuple(vector),),
                1,
                "instructor",
            )
        )
    for group in group_by_meaning(items, embed, similarity):
        if len(entries) >= size:
            break
        if group.origin == "log" and group.count < MIN_ASKED:
            continue  # a question asked once, in whatever words, is not yet a frequent one
        if any(dot(group.embedding, v) >= similarity for e in entries for v in e.embeddings):
            continue  # the instructor already answered it
        if progress:
            progress(group.question)
        answer = assistant.ask(group.question)
        if not answer.covered or not answer.citations or answer.notice:
            continue
        answer = replace(answer, cached=False, faq=False, timings_ms={})
        # The answer cache is consulted before the FAQ: what it now holds for this question is the FAQ's.
        assistant.cache.put(
            version, answer.standalone_question or group.question, group.embedding, replace(answer, faq=True)
        )
        vectors = tuple(tuple(embed(v)) for v in group.variants)
        entries.append(
            FaqEntry(group.question, answer, tuple(group.variants), vectors, group.count, group.origin)
        )
    return Faq(version, tuple(entries))


class FaqMatcher:
    """`AnswerShortcut`: answers a question close to a FAQ entry from it (same citations, `faq=True`)."""

    def __init__(self, similarity: float) -> None:
        self.similarity = similarity
        self._faq: Faq | None = None
        self._lock = threading.Lock()

    @property
    def faq(self) -> Faq | None:
        return self._faq

    def set(self, faq: Faq | None) -> None:
        with self._lock:
            self._faq = faq

    def match(self, embedding: Sequence[float], index_version: str) -> FaqEntry | None:
        faq = self._faq
        if faq is None or not embedding:
            return None
        best: tuple[float, FaqEntry] | None = None
        for entry in faq.entries:
            # Instructor answers do not depend on the index; the others only hold for their version.
            if entry.origin != "instructor" and faq.index_version != index_version:
                continue
            for vector in entry.embeddings:
                score = dot(embedding, vector)
                if score >= self.similarity and (best is None or score > best[0]):
                    best = (score, entry)
        return best[1] if best else None

    def lookup(self, question: str, embedding: Sequence[float], index_version: str) -> Answer | None:
        entry = self.match(embedding, index_version)
        if entry is None:
            return None
        return replace(entry.answer, faq=True, question=question, index_version=index_version)
