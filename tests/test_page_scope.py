"""A question asked on a course page is answered from that page (real pages, real Chroma on a temp
dir, hash embedder, canned model replies)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.app import App
from assistant.testing import FakeLLM
from tests.conftest import DATA_DIR, make_settings

PAGES = Path(__file__).parent / "pages"
SEED = "000_57acc6c1160f1d8b.txt"
OTHER = "oceans.md"
QUESTION = "What did the experts say about the data?"


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> App:
    pages = tmp_path_factory.mktemp("course")
    for page in (DATA_DIR / SEED, PAGES / OTHER, PAGES / "museum.html"):
        shutil.copy(page, pages / page.name)
    app = App(make_settings(tmp_path_factory.mktemp("home"), data_dir=pages))
    app.build(progress=False)
    return app


def test_a_page_is_named_by_file_name_or_by_a_url_ending_in_it(course: App) -> None:
    retriever = course.assistant.retrieve("warm up").snapshot.retriever  # type: ignore[union-attr]
    assert retriever.page(OTHER) == OTHER
    assert retriever.page(f"https://course.example/week2/{OTHER}?utm=x#top") == OTHER
    assert retriever.page("nowhere.html") is None and retriever.page(None) is None


@pytest.mark.parametrize("page", [SEED, OTHER])
def test_retrieval_on_a_page_returns_only_its_passages(course: App, page: str) -> None:
    result = course.assistant.retrieve(QUESTION, page=page)
    assert result.page == page and result.passages
    assert {p.document for p in result.passages} == {page}


def test_without_a_page_the_whole_course_is_searched(course: App) -> None:
    result = course.assistant.retrieve(QUESTION)
    assert result.page is None
    assert len({p.document for p in result.passages}) > 1


def test_an_unknown_page_falls_back_to_the_whole_course(course: App) -> None:
    assert course.assistant.retrieve(QUESTION, page="nowhere.html").page is None


def test_a_cached_answer_is_only_reused_on_the_page_it_was_given_for(course: App) -> None:
    llm = FakeLLM(lambda messages: "The sources say so [1].")
    app = App(course.settings, embedder=course.embedder, llm=llm)
    first = app.assistant.ask(QUESTION, page=SEED)
    again = app.assistant.ask(QUESTION, page=SEED)
    other = app.assistant.ask(QUESTION, page=OTHER)
    assert again.cached and not other.cached
    assert {c.document for c in first.citations} <= {SEED}
    assert {c.document for c in other.citations} <= {OTHER}


def test_a_good_match_with_few_shared_words_is_covered_only_on_a_page() -> None:
    from assistant.records import Passage
    from assistant.retrieval.coverage import decide_coverage
    from assistant.retrieval.retrieve import Retrieval
    from assistant.settings import RetrievalSettings

    text = "The rescuers found the girl hidden in a small laundry basket in the bedroom."
    passage = Passage(
        rank=1, kind="article", text=text, score=0.5, document="p.html", char_start=0,
        char_end=len(text), chunk_id="a1", dense_score=0.55,
    )  # fmt: skip
    retrieval = Retrieval(passages=(passage,), dense_top=0.55, lexical_top=1.0)
    question = "where was the kid hidden when the cops arrived at the house?"
    settings = RetrievalSettings()
    assert not decide_coverage(question, retrieval, settings).covered
    assert decide_coverage(question, retrieval, settings, on_page=True).covered
