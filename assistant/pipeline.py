"""The question-answering pipeline and its Python API.

question -> standalone question -> (English, if asked in another language) -> (cache, FAQ)
         -> hybrid retrieval -> coverage decision -> the 1-3 passages that answer it (sources shown)
         -> the model writes the synthesis (streamed) -> citations checked in code, claims checked for
         meaning -> (translated back) -> the checked answer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from llama_index.core.llms import ChatMessage, MessageRole

from assistant.checks.citations import CheckedAnswer, CitationChecker, verbatim_quotes_only
from assistant.checks.verify import Claim, ClaimVerifier, ModelVerifier, asks_for_a_number, new_numbers
from assistant.errors import IndexMissingError, UserError
from assistant.models.llm import ChatModel
from assistant.models.profile import profile_for
from assistant.ready.cache import AnswerCache, AnswerShortcut
from assistant.records import (
    Answer,
    FinalEvent,
    Passage,
    SourcesEvent,
    StreamEvent,
    TokenEvent,
    Turn,
)
from assistant.retrieval.coverage import Coverage, about_named_people, closest_topics, decide_coverage
from assistant.retrieval.evidence import Evidence, select_evidence
from assistant.retrieval.relevance import ModelRelevanceJudge, RelevanceJudge, first_answering
from assistant.retrieval.retrieve import HybridRetriever
from assistant.settings import Settings
from assistant.text import content_stems, strip_markup, words
from assistant.understand.condense import condense
from assistant.understand.described import described_person
from assistant.understand.language import (
    Language,
    Question,
    from_english,
    load_detector,
    needs_translation,
    to_english,
)
from assistant.writing.compose import NOT_COVERED, extractive_answer, non_answer_report, not_covered_text
from assistant.writing.phrasebook import framed_answer, has_phrasebook
from assistant.writing.prompt import (
    SYSTEM_PROMPT,
    defang,
    excerpt,
    looks_like_injection,
    user_message,
    without_instructions,
)
from index.storage.embed import Embedder, cosine
from index.storage.store import ChunkStore, Manifest
from index.vocabulary import CommentRole

PERSON_NOT_COVERED = "The course material quotes {people}, but not on this."
INJECTION_NOTICE = (
    "I can only answer questions about the course material; requests to change my instructions "
    "or reveal them are ignored."
)


@dataclass(frozen=True)
class IndexSnapshot:
    """The active index as one question sees it: read once, so a rebuild mid-question changes nothing."""

    retriever: HybridRetriever
    pages: dict[str, str]


@dataclass(frozen=True)
class RetrievalResult:
    """What `retrieve` returns: passages, the chosen evidence, the coverage decision and timings."""

    question: str
    standalone_question: str
    covered: bool
    reason: str
    passages: tuple[Passage, ...]
    timings_ms: dict[str, float]
    embedding: tuple[float, ...] = ()
    index_version: str = ""
    evidence: tuple[Passage, ...] = ()
    language: Language = Language.ENGLISH
    english_question: str = ""
    # Why a question was declined: "confident" (nothing close was retrieved) or "uncertain" (close
    # passages, none of which the model judged to answer it); "" when covered.
    decline: str = ""
    named_people: tuple[str, ...] = ()  # the quoted people the question names
    page: str | None = None  # the indexed document the student is reading; None: the whole course
    snapshot: IndexSnapshot | None = field(default=None, repr=False, compare=False)

    @property
    def shown(self) -> tuple[Passage, ...]:
        """What the student is shown: the evidence when covered, else the closest passages."""
        return self.evidence if self.covered and self.evidence else self.passages

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "english_question": self.english_question or self.standalone_question,
            "language": self.language,
            "covered": self.covered,
            "reason": self.reason,
            "decline": self.decline,
            "page": self.page,
            "evidence": [p.to_json() for p in self.evidence],
            "retrieved": [p.to_json() for p in self.passages],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }


def _person_first(
    question: str,
    evidence: Sequence[Passage],
    passages: Sequence[Passage],
    named: frozenset[str],
    limit: int,
) -> tuple[Passage, ...]:
    """A question naming a quoted person gets that person's own words first, not a sentence about them."""
    own = _named_in(question, (*evidence, *passages), named)
    if not own or (evidence and evidence[0].chunk_id in {p.chunk_id for p in own}):
        return tuple(evidence)
    return _led_by(own[0], evidence, limit)


def _named_in(question: str, passages: Sequence[Passage], named: frozenset[str]) -> list[Passage]:
    """The passages of people the question names by their surname (a word of an organisation's name,
    "google" for "Google Stadia", names no one)."""
    asked = set(words(question))
    return [p for p in passages if p.chunk_id in named and p.who and _surname(p.who) in asked]


def _surname(who: str) -> str:
    parts = words(who)
    return parts[-1] if parts else ""


def _people(question: str, passages: Sequence[Passage], named: frozenset[str]) -> tuple[str, ...]:
    people: list[str] = []
    for passage in _named_in(question, passages, named):
        if passage.who and passage.who not in people:
            people.append(passage.who)
    return tuple(people)


def _led_by(found: Passage, evidence: Sequence[Passage], limit: int) -> tuple[Passage, ...]:
    """`found` first, then the other evidence, renumbered 1..n."""
    rest = [p for p in evidence if p.chunk_id != found.chunk_id]
    return tuple(replace(p, rank=rank) for rank, p in enumerate([found, *rest][:limit], start=1))


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000.0


def _timings(
    started: float, before: Mapping[str, float] | None = None, first_token: float | None = None
) -> dict[str, float]:
    """An answer's timings in ms: the steps' (`before`, else no retrieval), first token and total."""
    return {
        "retrieve": 0.0,
        **(before or {}),
        "first_token": first_token if first_token is not None else _ms(started),
        "total": _ms(started),
    }


class Assistant:
    """Answers questions about the indexed course pages. Thread-safe; share one per process."""

    def __init__(
        self,
        settings: Settings,
        store: ChunkStore,
        embedder: Embedder,
        llm_factory: Callable[[], ChatModel],
        verifier: ClaimVerifier | None = None,
        relevance: RelevanceJudge | None = None,
    ) -> None:
        self.settings = settings
        self.profile = profile_for(settings.model)
        self._store = store
        self._embedder = embedder
        self._llm_factory = llm_factory
        self._verifier = verifier
        self._relevance = relevance
        self._lock = threading.Lock()
        self._retriever: HybridRetriever | None = None
        self._pages: dict[str, str] = {}
        self.cache = AnswerCache(settings.retrieval.cache_similarity)
        self._shortcuts: list[AnswerShortcut] = [self.cache]

    def add_shortcut(self, shortcut: AnswerShortcut) -> None:
        """Consult `shortcut` (e.g. the course FAQ) before the model, after the answer cache."""
        self._shortcuts.append(shortcut)

    # -- index -------------------------------------------------------------
    def _current(self) -> IndexSnapshot:
        """The retriever for the active index version (rebuilt when the index changed)."""
        manifest: Manifest = self._store.require_manifest()
        with self._lock:
            if self._retriever is None or self._retriever.manifest.version != manifest.version:
                if manifest.embedder != self._embedder.name:
                    raise IndexMissingError(
                        f"the index was built with the embedder {manifest.embedder!r}, but the settings "
                        f"name {self._embedder.name!r}; run `expert-chat build` to index with it"
                    )
                self._retriever = HybridRetriever(
                    self._store, manifest, self._embedder, self.settings.retrieval
                )
                self._pages = self._store.page_texts(list(manifest.sources))
            return IndexSnapshot(self._retriever, self._pages)

    @property
    def index_version(self) -> str:
        return self._current().retriever.manifest.version

    @property
    def model_name(self) -> str:
        return self._llm_factory().label

    @property
    def relevance_judge(self) -> RelevanceJudge:
        """Whether a passage answers a question: the given judge, else the answering model."""
        if self._relevance is None:
            self._relevance = ModelRelevanceJudge(self._llm_factory())
        return self._relevance

    @property
    def verifier(self) -> ClaimVerifier | None:
        """The meaning check: the given one, else the answering model (unless turned off)."""
        if self._verifier is None and self.settings.retrieval.check_meaning:
            self._verifier = ModelVerifier(self._llm_factory())
        return self._verifier

    def page_text(self, document: str) -> str | None:
        return self._current().pages.get(document)

    def warm_up(self) -> None:
        """Load what every question needs before its sources (the index snapshot with its lexical part,
        the language detector, the embedder, the vector store's query path), with no model request."""
        load_detector()
        question = "warm up"
        self._candidates(question, Question(question, question), self._current())

    # -- API ---------------------------------------------------------------
    def validate(self, question: str) -> str:
        question = (question or "").strip()
        if not question:
            raise UserError("the question is empty")
        limit = self.settings.retrieval.max_question_chars
        if len(question) > limit:
            raise UserError(f"the question is too long ({len(question)} characters; the limit is {limit})")
        return question

    def understand(self, question: str, history: Sequence[Turn] = ()) -> Question:
        """The standalone question (follow-ups resolved) and, for other languages, its English."""
        return self._understand(self.validate(question), history, self._current())

    def _understand(self, question: str, history: Sequence[Turn], snapshot: IndexSnapshot) -> Question:
        standalone = condense(history, strip_markup(question), self._llm_factory)
        if needs_translation(standalone, snapshot.retriever.vocabulary):
            return replace(to_english(self._llm_factory(), standalone), asked=standalone)
        return Question(standalone, standalone)

    def retrieve(
        self, question: str, history: Sequence[Turn] = (), page: str | None = None
    ) -> RetrievalResult:
        """`page`: the page the student is reading (a file name or a URL ending in one); its passages are
        the candidates. A page not indexed on its own leaves the whole course."""
        question = self.validate(question)
        snapshot = self._current()
        understood = self._understand(question, history, snapshot)
        scope = snapshot.retriever.page(page)
        return self._judge(self._candidates(question, understood, snapshot, page=scope))

    def _candidates(
        self,
        question: str,
        understood: Question,
        snapshot: IndexSnapshot,
        embedding: Sequence[float] | None = None,
        started: float | None = None,
        page: str | None = None,
    ) -> RetrievalResult:
        """Retrieval, coverage by the scores and evidence: no model call. `started`: when the work counted
        as retrieval began (the question's embedding included). A declined question whose best passage
        is still close is left `uncertain` for the relevance judge."""
        started = started or time.perf_counter()
        english = understood.english
        retriever = snapshot.retriever
        if embedding is None:
            embedding = retriever.embed_query(english)
        retrieval = retriever.retrieve(english, list(embedding), page)
        name = described_person(
            english, retrieval.passages, lambda text: retriever.names_a_person(text, page), retrieval.weight
        )
        if name is not None:  # searched and asked with the name of the person the question describes
            english = f"{english} ({name})"
            retrieval = retriever.retrieve(english, list(retriever.embed_query(english)), page)
        coverage = decide_coverage(english, retrieval, self.settings.retrieval, on_page=page is not None)
        evidence = select_evidence(
            retrieval.passages,
            about_named_people(retrieval),
            self.settings.retrieval.max_evidence,
            content_stems(english),
            retrieval.weight,
        ).passages
        evidence = _person_first(
            english, evidence, retrieval.passages, retrieval.named, self.settings.retrieval.max_evidence
        )
        decline = ""
        if not coverage.covered:
            decline = "uncertain" if self._uncertain(retrieval.dense_top) else "confident"
        return RetrievalResult(
            question=question,
            standalone_question=understood.asked,
            covered=coverage.covered,
            reason=coverage.reason,
            passages=retrieval.passages,
            timings_ms={"retrieve": _ms(started)},
            embedding=tuple(embedding),
            index_version=retriever.manifest.version,
            evidence=evidence,
            language=understood.language,
            english_question=english,
            decline=decline,
            named_people=_people(english, retrieval.passages, retrieval.named),
            page=page,
            snapshot=snapshot,
        )

    def _judge(self, result: RetrievalResult) -> RetrievalResult:
        """An uncertain decline goes to the relevance judge: covered when it finds a passage that answers."""
        if result.decline != "uncertain":
            return result
        began = time.perf_counter()
        found = self._judged(
            result.english_question or result.standalone_question, result.evidence, result.passages
        )
        timings = {**result.timings_ms, "judge": _ms(began)}
        if found is None:
            return replace(result, timings_ms=timings)
        return replace(
            result,
            covered=True,
            decline="",
            reason=f"the model judged that a passage answers it ({result.reason})",
            evidence=_led_by(found, result.evidence, self.settings.retrieval.max_evidence),
            timings_ms=timings,
        )

    def _uncertain(self, dense_top: float) -> bool:
        settings = self.settings.retrieval
        return settings.judge_coverage and dense_top >= settings.judge_floor

    def _judged(
        self, question: str, evidence: Sequence[Passage], passages: Sequence[Passage]
    ) -> Passage | None:
        """The first of the best candidates the model says answers the question (reader questions are
        context, never an answer, and are not judged)."""
        seen: set[str] = set()
        candidates = []
        for passage in (*evidence, *passages):
            if passage.chunk_id in seen or passage.role == CommentRole.QUESTION:
                continue
            seen.add(passage.chunk_id)
            candidates.append(passage)
        return first_answering(
            self.relevance_judge, question, candidates[: self.settings.retrieval.judge_candidates]
        )

    def ask(self, question: str, history: Sequence[Turn] = (), page: str | None = None) -> Answer:
        final: Answer | None = None
        for event in self.stream(question, history, page):
            if isinstance(event, FinalEvent):
                final = event.answer
        assert final is not None
        return final

    def chat(
        self, history: Sequence[Turn | dict[str, str]], question: str, page: str | None = None
    ) -> Answer:
        """Multi-turn: `history` holds earlier turns as Turn or {"role", "content"} dicts."""
        turns = [
            t if isinstance(t, Turn) else Turn(role=t["role"], content=t["content"])  # type: ignore[arg-type]
            for t in history
        ]
        return self.ask(question, turns, page)

    def stream(
        self, question: str, history: Sequence[Turn] = (), page: str | None = None
    ) -> Iterator[StreamEvent]:
        """Yields SourcesEvent as soon as retrieval is done, then TokenEvents, then one FinalEvent.
        `page`: as in `retrieve`."""
        started = time.perf_counter()
        # Markup goes first: an HTML comment hides instructions and must not swallow the question after it.
        question = strip_markup(self.validate(question))
        if looks_like_injection(question):
            # The instructions are dropped; a real question asked beside them is still answered.
            question = without_instructions(question)
            if not content_stems(question):
                yield from self._notice(question, INJECTION_NOTICE, started)
                return
        snapshot = self._current()
        scope = snapshot.retriever.page(page)
        understood = self._understand(question, history, snapshot)
        if understood.translated and looks_like_injection(understood.english):
            # Instructions in another language are found in the question's English.
            english = without_instructions(understood.english)
            if not content_stems(english):
                yield from self._notice(question, INJECTION_NOTICE, started)
                return
            understood = replace(understood, english=english)
        embedded_at = time.perf_counter()
        embedding = snapshot.retriever.embed_query(understood.english)
        # Ready answers (the answer cache, the FAQ) come before retrieval: a hit needs none.
        shortcut = None if understood.translated else self._shortcut(understood, embedding, snapshot, scope)
        if shortcut is not None:
            yield from self._from_shortcut(question, understood.asked, shortcut, started)
            return
        result = self._candidates(question, understood, snapshot, embedding, embedded_at, scope)
        if result.decline == "uncertain":
            # The closest passages are shown at once; the judge's model call may wait for other answers.
            yield SourcesEvent(question, result.standalone_question, False, result.shown, pending=True)
            result = self._judge(result)
        yield SourcesEvent(question, result.standalone_question, result.covered, result.shown)
        answer = yield from self._answer(result, started)
        if result.language is not Language.ENGLISH:
            answer = self._translated(answer, result.language, started)
        elif answer.covered or answer.suggestions:
            self.cache.put(
                result.index_version, result.standalone_question, result.embedding, answer, result.page
            )
        yield FinalEvent(answer)

    # -- steps -------------------------------------------------------------
    def _notice(self, question: str, notice: str, started: float) -> Iterator[StreamEvent]:
        answer = Answer(
            question=question,
            answer=notice,
            covered=False,
            citations=(),
            retrieved=(),
            timings_ms=_timings(started, first_token=0.0),
            standalone_question=question,
            notice=notice,
        )
        yield SourcesEvent(question, question, False, ())
        yield TokenEvent(notice)
        yield FinalEvent(answer)

    def _shortcut(
        self, understood: Question, embedding: Sequence[float], snapshot: IndexSnapshot, page: str | None
    ) -> Answer | None:
        """A ready answer; on a page, only one whose citations all come from that page."""
        version = snapshot.retriever.manifest.version
        for shortcut in self._shortcuts:
            found = shortcut.lookup(understood.asked, tuple(embedding), version, page)
            if found is not None and all(page in (None, c.document) for c in found.citations):
                return found
        return None

    def _from_shortcut(
        self, question: str, standalone: str, found: Answer, started: float
    ) -> Iterator[StreamEvent]:
        answer = replace(
            found,
            question=question,
            cached=found.cached or not found.faq,
            timings_ms=_timings(started),
        )
        yield SourcesEvent(question, standalone, answer.covered, answer.retrieved)
        yield TokenEvent(answer.answer)
        yield FinalEvent(answer)

    def _answer(self, result: RetrievalResult, started: float) -> Generator[StreamEvent, None, Answer]:
        if not result.covered:
            answer = self._not_covered(result, started)
            yield TokenEvent(answer.answer)
            return answer
        best = result.evidence[0]
        if best.role == CommentRole.NON_ANSWER:
            text, citations = non_answer_report(best, self._snapshot(result).pages)
            if citations:
                yield TokenEvent(text)
                return self._finished(result, text, citations, started, None, model=None)
        return (yield from self._generate(result, started))

    def _not_covered(self, result: RetrievalResult, started: float) -> Answer:
        named = [p for p in result.passages if p.who in result.named_people]
        topics = closest_topics(named or result.passages)
        notice = NOT_COVERED
        if result.named_people:
            notice = PERSON_NOT_COVERED.format(people=" and ".join(result.named_people))
        return Answer(
            question=result.question,
            answer=not_covered_text(notice, topics),
            decline=result.decline,
            covered=False,
            citations=(),
            retrieved=result.passages,
            timings_ms=_timings(started, {"retrieve": result.timings_ms["retrieve"]}),
            standalone_question=result.standalone_question,
            suggestions=topics,
            index_version=result.index_version,
            model=None,
            language=result.language,
        )

    def _generate(self, result: RetrievalResult, started: float) -> Generator[StreamEvent, None, Answer]:
        llm = self._llm_factory()
        sources = list(result.evidence)
        messages = self._messages(llm, result.english_question or result.standalone_question, sources)
        first_token: float | None = None
        raw = ""
        quiet = result.language is not Language.ENGLISH  # a translated answer is shown once it is checked
        stream = llm.stream_chat(messages, max_tokens=self.settings.model.max_answer_tokens)
        try:
            for chunk in stream:
                delta = chunk.delta or ""
                if not delta:
                    continue
                if first_token is None:
                    first_token = _ms(started)
                raw += delta
                if not quiet:
                    yield TokenEvent(delta)
        finally:
            stream.close()
        began = time.perf_counter()
        checked = self._check(result, sources, raw)
        checked_ms = _ms(began)
        text, citations = checked.text, checked.citations
        question = result.english_question
        if (
            not citations
            and asks_for_a_number(question)
            and _states_an_absent_number(checked.dropped, sources, question)
        ):
            # Asked for a number, the model's only answer was one no source gives: the sources do not hold it.
            declined = replace(result, covered=False, decline="uncertain")
            return self._not_covered(declined, started)
        if not citations:
            pages = self._snapshot(result).pages
            text, citations = extractive_answer(sources, pages, question)
        return self._finished(
            result,
            text or NOT_COVERED,
            citations,
            started,
            first_token,
            checked=checked,
            model=llm.label,
            verify_ms=checked_ms if self.verifier is not None else None,
        )

    def _check(self, result: RetrievalResult, sources: list[Passage], raw: str) -> CheckedAnswer:
        """Citations checked in code, then every surviving sentence checked for meaning (numbers in code,
        the rest by the verifier, if any)."""
        snapshot = self._snapshot(result)
        checker = CitationChecker(
            sources,
            snapshot.pages,
            similarity=self._similarity,
            question=result.english_question,
            vocabulary=snapshot.retriever.vocabulary,
        )
        verifier = self.verifier
        # The judge sees what the model saw of each source: its excerpt, instruction-like text removed.
        seen = [defang(excerpt(p.text, result.english_question)) for p in sources]
        # What a claim's numbers may come from: the whole passage, who said it where, and the question.
        known = [_number_context(p, result.english_question) for p in sources]

        def verify(claims: Sequence[Claim]) -> list[bool]:
            invented = [bool(new_numbers(c.sentence, known[c.source - 1])) for c in claims]
            kept = [c for c, bad in zip(claims, invented, strict=True) if not bad]
            judged = iter(verifier.supported(seen, kept) if verifier is not None else [True] * len(kept))
            return [False if bad else next(judged) for bad in invented]

        return checker.check(raw, verify)

    def _finished(
        self,
        result: RetrievalResult,
        text: str,
        citations: tuple[Any, ...],
        started: float,
        first_token: float | None,
        *,
        model: str | None,
        checked: CheckedAnswer | None = None,
        verify_ms: float | None = None,
    ) -> Answer:
        """`verify_ms`: how long both checks took, when the meaning check ran."""
        steps = {**result.timings_ms, **({"verify": verify_ms} if verify_ms is not None else {})}
        timings = _timings(started, steps, first_token)
        return Answer(
            question=result.question,
            answer=text,
            covered=True,
            citations=citations,
            retrieved=result.evidence or result.passages,
            timings_ms=timings,
            standalone_question=result.standalone_question,
            index_version=result.index_version,
            model=model,
            dropped_sentences=checked.dropped if checked else (),
            contradicted=checked.contradicted if checked else (),
            language=result.language,
        )

    def _translated(self, answer: Answer, language: Language, started: float) -> Answer:
        began = time.perf_counter()
        if language in self.profile.quote_only_languages and has_phrasebook(language):
            text = framed_answer(answer.citations, answer.covered, language, answer.suggestions)
        else:
            names = [c.who or "" for c in answer.citations]
            # A quotation translated is no longer the source's exact words: its quotation marks go.
            translated = from_english(
                self._llm_factory(), answer.answer, language, names, retry_names=self.profile.retry_lost_names
            )
            text = verbatim_quotes_only(translated, [c.quote for c in answer.citations])
        timings = {**answer.timings_ms, "translate": _ms(began), "total": _ms(started)}
        return replace(answer, answer=text, timings_ms=timings)

    def _snapshot(self, result: RetrievalResult) -> IndexSnapshot:
        return result.snapshot or self._current()

    def _messages(self, llm: ChatModel, question: str, sources: list[Passage]) -> list[ChatMessage]:
        """The prompt, with the weakest sources left out until it fits the prompt-token cap."""
        cap = self.settings.model.max_prompt_tokens
        while True:
            messages = [
                ChatMessage(role=MessageRole.SYSTEM, content=SYSTEM_PROMPT),
                ChatMessage(role=MessageRole.USER, content=user_message(question, sources, self.profile)),
            ]
            if len(sources) <= 1 or llm.count_prompt_tokens(messages) <= cap:
                return messages
            sources.pop()

    def _similarity(self, a: str, b: str) -> float:
        vectors = self._embedder.embed_documents([a, b])
        return cosine(vectors[0], vectors[1])


def _states_an_absent_number(dropped: Sequence[str], sources: Sequence[Passage], question: str) -> bool:
    """Whether a sentence the checks removed states a number that none of the sources holds."""
    known = [text for p in sources for text in _number_context(p, question)]
    return any(new_numbers(sentence, known) for sentence in dropped)


def _number_context(passage: Passage, question: str) -> tuple[str, ...]:
    """Where a claim citing `passage` may take its numbers: the passage, who said it where, the question."""
    attribution = (passage.speaker, passage.author, passage.source_title, passage.lead_in, passage.section)
    return (
        passage.text,
        *(p or "" for p in attribution),
        str(passage.year or ""),
        passage.question or "",
        question,
    )


__all__ = ["Assistant", "Coverage", "Evidence", "IndexSnapshot", "RetrievalResult"]
