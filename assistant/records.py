"""Typed records of the question-answering side: retrieved passages, citations, answers, stream events."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from index.storage.fields import CITATION_FIELDS, from_metadata
from index.vocabulary import LABELS, ChunkKind, Labels, SourceKind, source_kind

Kind = ChunkKind


class Attributed:
    """Who said a passage or a citation, and how its kind of source is labelled (from the vocabulary)."""

    kind: Kind
    is_author_reply: bool
    speaker: str | None
    author: str | None

    @property
    def source_kind(self) -> SourceKind:
        return source_kind(self.kind, self.is_author_reply)

    @property
    def labels(self) -> Labels:
        return LABELS[self.source_kind]

    @property
    def label(self) -> str:
        """How the source is presented: expert statements apart from the discussion."""
        return self.labels.json

    @property
    def who(self) -> str | None:
        """The person whose words these are: the expert, or the comment's author."""
        return self.speaker or self.author


@dataclass(frozen=True)
class Passage(Attributed):
    """A retrieved chunk with its rank, fused score and the metadata stored in the index."""

    rank: int
    kind: Kind
    text: str
    score: float
    document: str
    char_start: int
    char_end: int
    chunk_id: str
    speaker: str | None = None
    source_title: str | None = None
    year: int | None = None
    author: str | None = None
    is_author_reply: bool = False
    role: str | None = None
    question: str | None = None  # for a reply: the reader's question it answers (context, never evidence)
    question_author: str | None = None
    comment_id: str | None = None
    section: str | None = None
    lead_in: str | None = None
    dense_score: float | None = None
    lexical_score: float | None = None

    @classmethod
    def from_metadata(
        cls,
        rank: int,
        chunk_id: str,
        meta: dict[str, Any],
        score: float,
        dense: float | None = None,
        lexical: float | None = None,
    ) -> Passage:
        return cls(
            rank=rank,
            text=str(meta.get("text", "")),
            score=score,
            chunk_id=chunk_id,
            dense_score=dense,
            lexical_score=lexical,
            **from_metadata(meta),
        )

    def to_json(self) -> dict[str, Any]:
        data = {
            "rank": self.rank,
            "kind": self.kind,
            "text": self.text,
            "score": round(self.score, 6),
            "speaker": self.speaker,
            "source_title": self.source_title,
            "year": self.year,
            "document": self.document,
            "char_start": self.char_start,
            "char_end": self.char_end,
        }
        data.update(
            author=self.author,
            label=self.label,
            chunk_id=self.chunk_id,
            role=self.role,
            question=self.question,
            question_author=self.question_author,
        )
        return data


@dataclass(frozen=True)
class Citation(Attributed):
    """A checked citation: ``quote`` is verbatim ``page[char_start:char_end]``; metadata from the index."""

    n: int
    kind: Kind
    quote: str
    document: str
    char_start: int
    char_end: int
    speaker: str | None = None
    source_title: str | None = None
    year: int | None = None
    author: str | None = None
    is_author_reply: bool = False
    role: str | None = None
    question: str | None = None
    question_author: str | None = None

    @classmethod
    def from_passage(cls, n: int, passage: Passage, start: int, end: int, quote: str) -> Citation:
        fields = {name: getattr(passage, name) for name in CITATION_FIELDS}
        return cls(n=n, quote=quote, char_start=start, char_end=end, **fields)

    def inside(self, document: str, start: int, end: int) -> bool:
        """The quote lies within that span of that page (a passage, a comment)."""
        return self.document == document and start <= self.char_start and self.char_end <= end

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["label"] = self.label
        return data


@dataclass(frozen=True)
class Answer:
    """The full result of one question."""

    question: str
    answer: str
    covered: bool
    citations: tuple[Citation, ...]
    retrieved: tuple[Passage, ...]
    timings_ms: dict[str, float]
    standalone_question: str | None = None
    suggestions: tuple[str, ...] = ()
    index_version: str | None = None
    model: str | None = None
    cached: bool = False
    faq: bool = False  # answered from the course FAQ (see AnswerShortcut)
    notice: str | None = None
    dropped_sentences: tuple[str, ...] = field(default=())
    contradicted: tuple[str, ...] = ()  # sentences the meaning check removed
    language: str = "English"  # the language of the question, and of the answer
    # Why it was declined: "confident" (nothing close) or "uncertain" (close passages the model judged
    # not to answer it: a possible gap for the instructor to look at); "" when answered.
    decline: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "covered": self.covered,
            "citations": [c.to_json() for c in self.citations],
            "retrieved": [p.to_json() for p in self.retrieved],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "standalone_question": self.standalone_question,
            "suggestions": list(self.suggestions),
            "index_version": self.index_version,
            "model": self.model,
            "cached": self.cached,
            "faq": self.faq,
            "notice": self.notice,
            "language": self.language,
            "decline": self.decline,
            "checks": {"dropped": len(self.dropped_sentences), "contradicted": len(self.contradicted)},
        }


@dataclass(frozen=True)
class SourcesEvent:
    """Emitted as soon as retrieval is done, before the model writes anything. A `pending` event (the
    closest passages, while the model judges whether one answers) is followed by the final one."""

    question: str
    standalone_question: str
    covered: bool
    retrieved: tuple[Passage, ...]
    pending: bool = False


@dataclass(frozen=True)
class TokenEvent:
    text: str


@dataclass(frozen=True)
class FinalEvent:
    answer: Answer


StreamEvent = SourcesEvent | TokenEvent | FinalEvent


@dataclass(frozen=True)
class Turn:
    """One message of a conversation, in the messages format used by Gradio and the HTTP API."""

    role: Literal["user", "assistant"]
    content: str
