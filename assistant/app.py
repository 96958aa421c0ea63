"""The composition root: builds every part of the product from one Settings object.

Parts are created lazily (the CLI's `quotes` command never loads an embedder or a model) and
tests build the same object with fakes passed in.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.settings import ModelKind, Settings
from index.storage.embed import Embedder, make_embedder
from index.storage.store import ChunkStore, open_store

if TYPE_CHECKING:
    from assistant.models.llm import ChatModel
    from assistant.pipeline import Assistant
    from assistant.ready.faq import Faq, FaqMatcher, Progress
    from index.build import BuildSummary


class App:
    """Everything wired together; one per process (the CLI, the web server, a test)."""

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        llm: Any | None = None,
        faq_path: Path | None = None,
        shared: App | None = None,
    ) -> None:
        self.settings = settings
        self.faq_path = faq_path or settings.course_home / "faq.json"
        self._embedder = embedder
        self._llm = llm
        self._shared = shared  # another course's App: its embedder and model serve this course too
        self._lock = threading.Lock()

    def for_course(self, course: str | None) -> App:
        """The App of one course (its index, FAQ and logs), sharing this one's embedder and model."""
        return App(self.settings.for_course(course), embedder=self._embedder, llm=self._llm, shared=self)

    @cached_property
    def store(self) -> ChunkStore:
        return open_store(self.settings.index)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None and self._shared is not None:
            self._embedder = self._shared.embedder
        with self._lock:
            if self._embedder is None:
                self._embedder = make_embedder(self.settings.index.embedder)
            return self._embedder

    @property
    def llm(self) -> ChatModel:
        """The language model named by the settings, loaded once per process."""
        if self._llm is None and self._shared is not None:
            self._llm = self._shared.llm
        with self._lock:
            if self._llm is None:
                model = self.settings.model
                llm: ChatModel  # mypy checks here that the fake and the real back ends fit the seam
                if model.kind == ModelKind.FAKE:  # a test double, for demos and UI tests: imported only here
                    from assistant.models.factory import llm_options
                    from assistant.testing import FakeLLM

                    llm = FakeLLM(**llm_options(model))
                else:
                    from assistant.models.factory import load_llm

                    llm = load_llm(model, self.settings.model_cache_dir)
                self._llm = llm
            return self._llm

    @property
    def model_calls(self) -> int:
        """Model requests made so far; 0 while the model is not even loaded (it is never loaded here)."""
        llm = self._llm if self._llm is not None or self._shared is None else self._shared._llm
        return 0 if llm is None else llm.requests

    def build(
        self, sources: Sequence[Path] | None = None, *, progress: bool = True, faq: bool = False
    ) -> BuildSummary:
        """Index the pages; with `faq`, build the course FAQ of the new index too (`build_faq`)."""
        from index.build import build_index

        summary = build_index(self.settings.index, self.store, self.embedder, sources, progress=progress)
        self.__dict__.pop("assistant", None)  # the next question sees the new index
        if faq:
            self.build_faq()
        return summary

    @cached_property
    def faq(self) -> FaqMatcher:
        """The course FAQ as the assistant consults it (kept in `faq_path`, re-read when it changes)."""
        from assistant.ready.faq import FaqMatcher

        return FaqMatcher(self.settings.ui.faq_similarity, self.faq_path)

    def build_faq(
        self,
        logged: Sequence[str] = (),
        instructor: Sequence[tuple[str, str]] = (),
        *,
        progress: Progress | None = None,
    ) -> Faq:
        """Build the FAQ of the active index with the model (questions cached under home); save and use it.

        `logged`: questions students asked, one item per time asked; `instructor`: the instructor's
        (question, answer) pairs. Both come from the questions log (`ui/questions_log.py`).
        """
        from assistant.ready.faq import build_faq
        from assistant.ready.faq_questions import QuestionWriter

        manifest = self.store.require_manifest()
        metas = list(self.store.iter_metadata(manifest.collection))
        writer = QuestionWriter(self.llm, self.settings.course_home / "faq_questions.json")
        ui = self.settings.ui
        faq = build_faq(
            self.assistant,
            metas,
            logged,
            instructor,
            writer=writer,
            similarity=ui.faq_similarity,
            size=ui.faq_size,
            progress=progress,
        )
        self.faq.set(faq)
        return faq

    @cached_property
    def assistant(self) -> Assistant:
        """The question-answering pipeline, consulting the course FAQ before the model."""
        from assistant.pipeline import Assistant

        assistant = Assistant(self.settings, self.store, self.embedder, llm_factory=lambda: self.llm)
        assistant.add_shortcut(self.faq)
        return assistant


def build_app(settings: Settings | None = None, **parts: Any) -> App:
    from assistant.settings import load_settings

    return App(settings or load_settings(), **parts)
