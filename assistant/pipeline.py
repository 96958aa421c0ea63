"""The question-answering pipeline and its Python API.

question -> standalone question -> (cache) -> hybrid retrieval -> coverage decision
         -> sources shown -> model writes the synthesis (streamed) -> citations checked in code.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from llama_index.core.llms import ChatMessage, MessageRole

from assistant.cache import AnswerCache, AnswerShortcut, cosine
from assistant.citations import CitationChecker, citation_for, quote_span
from assistant.condense import condense
from assistant.coverage import Coverage, closest_topics, decide_coverage
from assistant.errors import UserError
from assistant.prompt import SYSTEM_PROMPT, looks_like_injection, user_message
from assistant.records import (
    Answer,
    Citation,
    FinalEvent,
    Passage,
    SourcesEvent,
    StreamEvent,
    TokenEvent,
    Turn,
)
from assistant.retrieve import HybridRetriever
from assistant.settings import Settings
from assistant.text import latin_share, strip_markup
from index.embed import Embedder
from index.store import ChunkStore, Manifest

NOT_COVERED = "The course material doesn't cover this."
INJECTION_NOTICE = (
    "I can only answer questions about the course material; requests to change my instructions "
    "or reveal them are ignored."
)
SCRIPT_NOTICE = "Please ask in English: the course material and its search are in English."
FALLBACK_INTRO = "I couldn't write a checked summary, so here are the most relevant passages:"


@dataclass(frozen=True)
class RetrievalResult:
    """What `retrieve` returns: passages, the coverage decision and timings."""

    question: str
    standalone_question: str
    covered: bool
    reason: str
    passages: tuple[Passage, ...]
    timings_ms: dict[str, float]
    embedding: tuple[float, ...] = ()
    index_version: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "covered": self.covered,
            "reason": self.reason,
            "retrieved": [p.to_json() for p in self.passages],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000.0


class Assistant:
    """Answers questions about the indexed course pages. Thread-safe; share one per process."""

    def __init__(
        self, settings: Settings, store: ChunkStore, embedder: Embedder, llm_factory: Callable[[], Any]
    ) -> None:
        self.settings = settings
        self._store = store
        self._embedder = embedder
        self._llm_factory = llm_factory
        self._lock = threading.Lock()
        self._retriever: HybridRetriever | None = None
        self._pages: dict[str, str] = {}
        self.cache = AnswerCache(settings.retrieval.cache_similarity)
        self._shortcuts: list[AnswerShortcut] = [self.cache]

    def add_shortcut(self, shortcut: AnswerShortcut) -> None:
        """Consult `shortcut` (e.g. the course FAQ) before the model, after the answer cache."""
        self._shortcuts.append(shortcut)

    # -- index -------------------------------------------------------------
    def _current(self) -> tuple[HybridRetriever, dict[str, str]]:
        """The retriever for the active index version (rebuilt when the index changed)."""
        manifest: Manifest = self._store.require_manifest()
        with self._lock:
            if self._retriever is None or self._retriever.manifest.version != manifest.version:
                self._retriever = HybridRetriever(
                    self._store, manifest, self._embedder, self.settings.retrieval
                )
                self._pages = self._store.page_texts(list(manifest.sources))
            return self._retriever, self._pages

    @property
    def index_version(self) -> str:
        return self._current()[0].manifest.version

    @property
    def model_name(self) -> str:
        llm = self._llm_factory()
        return str(getattr(getattr(llm, "metadata", None), "model_name", type(llm).__name__))

    def page_text(self, document: str) -> str | None:
        return self._current()[1].get(document)

    # -- API ---------------------------------------------------------------
    def validate(self, question: str) -> str:
        question = (question or "").strip()
        if not question:
            raise UserError("the question is empty")
        limit = self.settings.retrieval.max_question_chars
        if len(question) > limit:
            raise UserError(f"the question is too long ({len(question)} characters; the limit is {limit})")
        return question

    def retrieve(self, question: str, history: Sequence[Turn] = ()) -> RetrievalResult:
        started = time.perf_counter()
        question = self.validate(question)
        standalone = condense(history, strip_markup(question))
        retriever, _ = self._current()
        embedding = retriever.embed_query(standalone)
        retrieval = retriever.retrieve(standalone, embedding)
        coverage = decide_coverage(standalone, retrieval, self.settings.retrieval)
        return RetrievalResult(
            question=question,
            standalone_question=standalone,
            covered=coverage.covered,
            reason=coverage.reason,
            passages=retrieval.passages,
            timings_ms={"retrieve": _ms(started)},
            embedding=tuple(embedding),
            index_version=retriever.manifest.version,
        )

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        final: Answer | None = None
        for event in self.stream(question, history):
            if isinstance(event, FinalEvent):
                final = event.answer
        assert final is not None
        return final

    def chat(self, history: Sequence[Turn | dict[str, str]], question: str) -> Answer:
        """Multi-turn: `history` holds earlier turns as Turn or {"role", "content"} dicts."""
        turns = [
            t if isinstance(t, Turn) else Turn(role=t["role"], content=t["content"])  # type: ignore[arg-type]
            for t in history
        ]
        return self.ask(question, turns)

    def stream(self, question: str, history: Sequence[Turn] = ()) -> Iterator[StreamEvent]:
        """Yields SourcesEvent as soon as retrieval is done, then TokenEvents, then one FinalEvent."""
        started = time.perf_counter()
        question = self.validate(question)
        notice = self._refusal_notice(question)
        if notice:
            answer = Answer(
                question=question,
                answer=notice,
                covered=False,
                citations=(),
                retrieved=(),
                timings_ms={"retrieve": 0.0, "first_token": 0.0, "total": _ms(started)},
                standalone_question=question,
                notice=notice,
            )
            yield SourcesEvent(question, question, False, ())
            yield TokenEvent(notice)
            yield FinalEvent(answer)
            return

        result = self.retrieve(question, history)
        version = result.index_version  # the version the passages came from, also for the cache
        cached = self._shortcut(result)
        if cached is not None:
            answer = replace(
                cached,
                question=question,
                cached=cached.cached or not cached.faq,
                timings_ms={
                    "retrieve": result.timings_ms["retrieve"],
                    "first_token": _ms(started),
                    "total": _ms(started),
                },
            )
            yield SourcesEvent(question, result.standalone_question, answer.covered, answer.retrieved)
            yield TokenEvent(answer.answer)
            yield FinalEvent(answer)
            return

        yield SourcesEvent(question, result.standalone_question, result.covered, result.passages)
        if not result.covered:
            answer = self._not_covered(result, started, version)
            yield TokenEvent(answer.answer)
        else:
            answer = yield from self._generate(result, started, version)
        self.cache.put(version, result.standalone_question, result.embedding, answer)
        yield FinalEvent(answer)

    # -- steps -------------------------------------------------------------
    def _shortcut(self, result: RetrievalResult) -> Answer | None:
        for shortcut in self._shortcuts:
            found = shortcut.lookup(result.standalone_question, result.embedding, result.index_version)
            if found is not None:
                return found
        return None

    def _refusal_notice(self, question: str) -> str | None:
        if looks_like_injection(question):
            return INJECTION_NOTICE
        if latin_share(question) < 0.5:
            return SCRIPT_NOTICE
        return None

    def _not_covered(self, result: RetrievalResult, started: float, version: str) -> Answer:
        topics = closest_topics(result.passages)
        text = NOT_COVERED
        if topics:
            text += " The closest things it does cover: " + "; ".join(topics) + "."
        return Answer(
            question=result.question,
            answer=text,
            covered=False,
            citations=(),
            retrieved=result.passages,
            timings_ms={
                "retrieve": result.timings_ms["retrieve"],
                "first_token": _ms(started),
                "total": _ms(started),
            },
            standalone_question=result.standalone_question,
            suggestions=topics,
            index_version=version,
            model=None,
        )

    def _generate(
        self, result: RetrievalResult, started: float, version: str
    ) -> Generator[StreamEvent, None, Answer]:
        llm = self._llm_factory()
        sources = [p for p in result.passages[: self.settings.retrieval.sources_in_prompt]]
        messages = self._messages(llm, result.standalone_question, sources)
        first_token: float | None = None
        raw = ""
        stream = llm.stream_chat(messages, max_tokens=self.settings.model.max_answer_tokens)
        try:
            for chunk in stream:
                delta = chunk.delta or ""
                if not delta:
                    continue
                if first_token is None:
                    first_token = _ms(started)
                raw += delta
                yield TokenEvent(delta)
        finally:
            close = getattr(stream, "close", None)
            if close:
                close()
        retriever, pages = self._current()
        checker = CitationChecker(
            sources,
            pages,
            similarity=self._similarity,
            question=result.standalone_question,
            vocabulary=retriever.vocabulary,
        )
        checked = checker.check(raw)
        text, citations = checked.text, checked.citations
        if not citations:
            text, citations = self._extractive_fallback(sources, pages, result.standalone_question)
        return Answer(
            question=result.question,
            answer=text,
            covered=True,
            citations=citations,
            retrieved=result.passages,
            timings_ms={
                "retrieve": result.timings_ms["retrieve"],
                "first_token": first_token if first_token is not None else _ms(started),
                "total": _ms(started),
            },
            standalone_question=result.standalone_question,
            index_version=version,
            model=self.model_name,
            dropped_sentences=checked.dropped,
        )

    def _messages(self, llm: Any, question: str, sources: list[Passage]) -> list[ChatMessage]:
        """The prompt, with the weakest sources left out until it fits the prompt-token cap."""
        cap = self.settings.model.max_prompt_tokens
        count = getattr(llm, "count_prompt_tokens", None)
        while True:
            messages = [
                ChatMessage(role=MessageRole.SYSTEM, content=SYSTEM_PROMPT),
                ChatMessage(role=MessageRole.USER, content=user_message(question, sources)),
            ]
            if count is None or len(sources) <= 1 or count(messages) <= cap:
                return messages
            sources.pop()

    def _similarity(self, a: str, b: str) -> float:
        vectors = self._embedder.embed_documents([a, b])
        return cosine(vectors[0], vectors[1])

    @staticmethod
    def _extractive_fallback(
        sources: Sequence[Passage], pages: dict[str, str], question: str
    ) -> tuple[str, tuple[Citation, ...]]:
        """No sentence survived checking: show the top passages themselves, verbatim."""
        lines: list[str] = [FALLBACK_INTRO]
        citations: list[Citation] = []
        for passage in sources[:2]:
            start, end = quote_span(passage, question)
            quote = passage.text[start - passage.char_start : end - passage.char_start]
            if pages.get(passage.document, "")[start:end] != quote:
                continue
            n = len(citations) + 1
            citations.append(citation_for(n, passage, start, end, quote))
            who = passage.speaker or passage.author or "The article"
            lines.append(f"{who}: “{' '.join(quote.split())}” [{n}]")
        return " ".join(lines) if citations else NOT_COVERED, tuple(citations)


__all__ = ["Assistant", "Coverage", "RetrievalResult"]
