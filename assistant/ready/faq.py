"""The course FAQ: the article's topics and the thread's repeated questions, one checked answer each.

Where the questions come from (`assistant/ready/faq_questions.py` writes them as clean standalone questions):
each section of the article and each quoted expert (from the index's chunk metadata), the reader
comments the author answered (grouped by meaning; the students' wordings stay as variants), the most
asked logged questions, and the instructor's answers to passed-on questions. Each question is answered
through the same pipeline as the chat (`Assistant.ask`); an entry is kept only if its answer is covered,
cited, not a non-answer or a lost link, and cites passages no earlier entry cites. `FaqMatcher` is an
`AnswerShortcut` (wired in `assistant/app.py`): a question close to an entry is answered from it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.ready.faq_questions import (
    QuestionWriter,
    Wording,
    answered_questions,
    article_topics,
    reader_wordings,
)
from assistant.records import Answer, Citation, Passage
from index.vocabulary import LABELS, ChunkKind, CommentRole, SourceKind

if TYPE_CHECKING:
    from assistant.pipeline import Assistant

MIN_ASKED = 2  # logged questions join the FAQ when asked at least this often (any wording)
LOST_LINK_WORDS = 25  # a reply this short whose text ends with ":" had its substance in a link
INSTRUCTOR_DOCUMENT = "instructor-answers"
ORIGINS = ("instructor", "article", "thread", "log")
_URL = re.compile(r"https?://\S+|www\.\S+")
Progress = Callable[[int, int], None]


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
    """The answered reader questions of the thread: each comment's best question sentence."""
    return list(dict.fromkeys(w.text for w in reader_wordings(answered_questions(metas))))


@dataclass(frozen=True)
class FaqEntry:
    """One FAQ entry: its question, its checked answer, the students' wordings and their vectors."""

    question: str
    answer: Answer
    variants: tuple[str, ...]
    embeddings: tuple[tuple[float, ...], ...]
    asked: int = 0
    origin: str = "thread"  # article, thread, log or instructor

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
        "kind": ChunkKind.INSTRUCTOR_ANSWER.value,
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


def lost_link(answer: Answer) -> bool:
    """The answer quotes a reply whose substance was a link the page lost ("... that might help:")."""
    for c in answer.citations:
        if _URL.sub("", c.quote).strip().endswith(":"):
            return True
        for p in answer.retrieved:
            if p.document == c.document and p.char_start <= c.char_start and c.char_end <= p.char_end:
                text = _URL.sub("", p.text).strip()
                if (
                    p.kind != SourceKind.EXPERT_QUOTE
                    and text.endswith(":")
                    and len(text.split()) < LOST_LINK_WORDS
                ):
                    return True
    return False


def unfit(answer: Answer) -> str | None:
    """Why an answer cannot be a FAQ entry (None when it can)."""
    if not answer.covered or not answer.citations or answer.notice:
        return "not covered"
    if any(c.role == CommentRole.NON_ANSWER for c in answer.citations):
        return "a non-answer"  # the author declined or sent the reader elsewhere
    if lost_link(answer):
        return "a lost link"
    return None


def _spans(answer: Answer) -> list[tuple[str, int, int]]:
    return [(c.document, c.char_start, c.char_end) for c in answer.citations]


def _overlap(a: Sequence[tuple[str, int, int]], b: Sequence[tuple[str, int, int]]) -> bool:
    """Whether the answers' first citations share text (the same passage answers both)."""
    return bool(a and b) and a[0][0] == b[0][0] and a[0][1] < b[0][2] and b[0][1] < a[0][2]


@dataclass(frozen=True)
class Candidate:
    """A question to answer for the FAQ, with the wordings it stands for."""

    question: str
    variants: tuple[str, ...]
    asked: int
    origin: str  # article, thread or log


def candidates(
    writer: QuestionWriter,
    metas: Sequence[dict[str, Any]],
    logged: Sequence[str],
    embed: Callable[[str], Sequence[float]],
    *,
    similarity: float,
    topics_limit: int,
    progress: Progress | None = None,
) -> list[Candidate]:
    """The article's topics (page order), then the thread's and the log's groups, most asked first.

    `progress(done, total)` is called as questions are written; total counts answering them too.
    """
    topics = article_topics(metas)[:topics_limit]
    wordings: dict[str, list[Wording]] = {}
    for wording in reader_wordings(answered_questions(metas)):
        wordings.setdefault(wording.text, []).append(wording)
    counts = Counter(logged)
    items = [(text, 1 + counts.pop(text, 0), "thread") for text in wordings]
    items += [(text, n, "log") for text, n in counts.most_common()]
    # A question asked once in the log, in whatever words, is not yet a frequent one.
    groups = [
        g for g in group_by_meaning(items, embed, similarity) if g.origin != "log" or g.count >= MIN_ASKED
    ]
    total = 2 * (len(topics) + len(groups))
    found: list[Candidate] = []
    for done, topic in enumerate(topics):
        if progress:
            progress(done, total)
        question = writer.topic_question(topic)
        if question:
            found.append(Candidate(question, (), 0, "article"))
    for done, group in enumerate(groups, len(topics)):
        if progress:
            progress(done, total)
        said = [w for v in group.variants for w in wordings.get(v, [Wording(v, v)])]
        question = writer.group_question(said)
        if question:
            found.append(Candidate(question, tuple(group.variants), group.count, group.origin))
    return found


def build_faq(
    assistant: Assistant,
    metas: Sequence[dict[str, Any]],
    logged: Sequence[str] = (),
    instructor: Sequence[tuple[str, str]] = (),
    *,
    writer: QuestionWriter | None = None,
    similarity: float,
    size: int,
    progress: Progress | None = None,
) -> Faq:
    """The FAQ of `assistant`'s index: each candidate question answered once, unfit answers left out.

    `metas`: the index's chunk metadata (article sections, quotes, the thread); `logged`: questions
    students asked (one item per time asked); `instructor`: (question, answer) pairs written by the
    instructor; `writer`: writes the questions (the local model, cached; default: no model, rules only).
    """
    writer = writer or QuestionWriter(None, None)
    builder = _Builder(assistant, similarity)
    for question, text in instructor:
        answer = instructor_answer(question, text, builder.version)
        vector = tuple(builder.embed(question))
        builder.entries.append(FaqEntry(question, answer, (question,), (vector,), 1, "instructor"))
    todo = candidates(
        writer, metas, logged, builder.embed, similarity=similarity, topics_limit=size // 2, progress=progress
    )
    written = len(todo)  # questions written (or kept from the cache) so far, one per candidate
    for done, candidate in enumerate(todo, written):
        if progress:
            progress(done, 2 * written)
        if len(builder.entries) >= size:
            break
        builder.add(candidate)
    if progress:
        progress(2 * written, 2 * written)
    writer.save()
    return Faq(builder.version, tuple(builder.entries))


class _Builder:
    """The entries built so far; each candidate becomes a new entry, more wordings of one, or nothing."""

    def __init__(self, assistant: Assistant, similarity: float) -> None:
        self.assistant = assistant
        self.similarity = similarity
        self.version = assistant.index_version
        self.entries: list[FaqEntry] = []
        self._vectors: dict[str, Sequence[float]] = {}

    def embed(self, text: str) -> Sequence[float]:
        if text not in self._vectors:
            self._vectors[text] = self.assistant.retrieve(text).embedding
        return self._vectors[text]

    def add(self, candidate: Candidate) -> None:
        vector = self.embed(candidate.question)
        same = next(
            (e for e in self.entries if any(dot(vector, v) >= self.similarity for v in e.embeddings)), None
        )
        if same is not None:  # asked already in other words
            self._merge(same, candidate)
            return
        answer = self.assistant.ask(candidate.question)
        if unfit(answer):
            return
        answer = replace(answer, cached=False, faq=False, timings_ms={})
        same = next((e for e in self.entries if _overlap(_spans(e.answer), _spans(answer))), None)
        if same is not None:  # answered by the same passage: one entry, more wordings
            self._merge(same, candidate)
            return
        # The answer cache is consulted before the FAQ: what it now holds for this question is the FAQ's.
        key = answer.standalone_question or candidate.question
        self.assistant.cache.put(self.version, key, vector, replace(answer, faq=True))
        variants = tuple(dict.fromkeys((candidate.question, *candidate.variants)))
        vectors = tuple(tuple(self.embed(v)) for v in variants)
        self.entries.append(
            FaqEntry(candidate.question, answer, variants, vectors, candidate.asked, candidate.origin)
        )

    def _merge(self, entry: FaqEntry, candidate: Candidate) -> None:
        new = [v for v in (candidate.question, *candidate.variants) if v not in entry.variants]
        merged = replace(
            entry,
            variants=(*entry.variants, *new),
            embeddings=(*entry.embeddings, *(tuple(self.embed(v)) for v in new)),
            asked=entry.asked + candidate.asked,
        )
        self.entries[self.entries.index(entry)] = merged


class FaqMatcher:
    """`AnswerShortcut`: answers a question close to a FAQ entry from it (same citations, `faq=True`).

    Reads the FAQ file at `path` and again whenever it changes (a build in another process writes it).
    """

    def __init__(self, similarity: float, path: Path | None = None) -> None:
        self.similarity = similarity
        self.path = path
        self._faq: Faq | None = None
        self._stamp: tuple[Path, int] | None = None
        self._lock = threading.Lock()

    @property
    def faq(self) -> Faq | None:
        path = self.path
        if path is None:
            return self._faq
        try:
            stamp = (path, os.stat(path).st_mtime_ns)
        except OSError:
            return self._faq if self._stamp is None else None
        with self._lock:
            if stamp != self._stamp:
                self._faq, self._stamp = Faq.load(path), stamp
            return self._faq

    def set(self, faq: Faq | None) -> None:
        """Use `faq` from now on (saved to `path` first, when there is one)."""
        with self._lock:
            if faq is not None and self.path is not None:
                faq.save(self.path)
                self._stamp = (self.path, os.stat(self.path).st_mtime_ns)
            self._faq = faq

    def match(self, embedding: Sequence[float], index_version: str) -> FaqEntry | None:
        faq = self.faq
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

    def lookup(
        self, question: str, embedding: Sequence[float], index_version: str, page: str | None = None
    ) -> Answer | None:
        """The course FAQ is one for every page (the pipeline keeps, on a page, only that page's answers)."""
        entry = self.match(embedding, index_version)
        if entry is None:
            return None
        return replace(entry.answer, faq=True, question=question, index_version=index_version)
