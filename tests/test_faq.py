"""The course FAQ: questions from the thread's question-and-answer pairs and the log, grouped by meaning,
answered once through the pipeline, served instantly, rebuilt with the index; instructor answers.

Fast: the real pages in a real Chroma on a temp dir (hash embedder) and the fake model.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from assistant.app import App
from assistant.examples import answered_questions, faq_examples, thread_examples
from assistant.faq import Faq, FaqMatcher, group_by_meaning, thread_questions
from assistant.testing import FakeLLM
from tests.conftest import EARLIER_PAGE, make_settings
from tests.web_helpers import cited_reply, clean_env
from ui.faq_page import FaqService, faq_page, to_markdown
from ui.questions_log import QuestionsLog

ROLE_METAS = [
    {
        "kind": "comment",
        "role": "answer",
        "document": "p.txt",
        "char_start": 50,
        "question": "Thanks for the post! Is SVM still useful today? I ask for my thesis.",
        "question_author": "Gibachan",
        "comment_id": "c2",
        "text": "I think SVM still has its place.",
    },
    {
        "kind": "comment",
        "role": "answer",
        "document": "p.txt",
        "char_start": 10,
        "question": "Hello, can deep learning overfit on small data sets?",
        "comment_id": "c4",
        "text": "Yes, it can.",
    },
    {"kind": "comment", "role": "statement", "document": "p.txt", "char_start": 5, "text": "Why not?"},
    {"kind": "comment", "role": "spam", "document": "p.txt", "char_start": 7, "text": "Buy cheap? now"},
    {"kind": "expert_quote", "document": "p.txt", "char_start": 0, "text": "Is depth key?"},
]


def test_thread_questions_come_from_answered_questions() -> None:
    assert answered_questions(ROLE_METAS)[0].startswith("Hello, can deep learning")  # thread order
    assert thread_questions(ROLE_METAS) == [
        "Can deep learning overfit on small data sets?",
        "Is SVM still useful today?",
    ]
    # Before comment roles: reader comments with an author reply.
    old = [
        {"kind": "comment", "comment_id": "a", "text": "Is SVM still useful today?", "char_start": 1},
        {"kind": "comment", "comment_id": "b", "parent": "a", "is_author_reply": True, "text": "Yes."},
        {"kind": "comment", "comment_id": "c", "text": "Does nobody answer this question?", "char_start": 2},
    ]
    assert thread_questions(old) == ["Is SVM still useful today?"]
    assert thread_examples(old) == ["Is SVM still useful today?"]


def test_group_by_meaning_counts_and_keeps_wordings() -> None:
    vectors = {"a1": (1.0, 0.0), "a2": (0.99, 0.141), "b": (0.0, 1.0)}

    def embed(text: str) -> Sequence[float]:
        return vectors[text]

    groups = group_by_meaning([("b", 1, "log"), ("a1", 2, "log"), ("a2", 3, "log")], embed, 0.9)
    assert [(g.question, g.count, g.variants) for g in groups] == [("a1", 5, ["a1", "a2"]), ("b", 1, ["b"])]


def test_faq_examples_are_short_and_self_contained() -> None:
    questions = ["What does deep mean?", "Can you help with my thesis on this topic?", "Is SVM useful?"]
    assert faq_examples(questions, 4) == ["What does deep mean?", "Is SVM useful?"]


@pytest.fixture(scope="module")
def faq_app(tmp_path_factory: pytest.TempPathFactory) -> App:
    home = tmp_path_factory.mktemp("faq-home")
    with clean_env():
        app = App(make_settings(home), llm=FakeLLM(cited_reply))
    app.build(progress=False)
    return app


@pytest.fixture(scope="module")
def service(faq_app: App) -> FaqService:
    log = QuestionsLog.from_settings(faq_app.settings)
    service = FaqService(faq_app, log)
    service.attach()
    service.rebuild()
    return service


def test_faq_entries_are_covered_with_verbatim_citations(faq_app: App, service: FaqService) -> None:
    faq = service.faq
    assert faq is not None and faq.index_version == faq_app.assistant.index_version
    assert len(faq.entries) >= 5
    for entry in faq.entries:
        assert entry.answer.covered and entry.answer.citations and not entry.answer.faq
        for c in entry.answer.citations:
            page = faq_app.assistant.page_text(c.document) or ""
            assert page[c.char_start : c.char_end] == c.quote
    data = faq.to_json()
    assert {"question", "answer", "citations"} <= set(data[0])
    assert Faq.load(service.path) == faq  # saved under home, read back the same
    assert to_markdown(faq, "T").count("\n## ") == len(faq.entries)
    assert "<script" not in faq_page(faq, "T<script>")


def test_a_faq_question_is_answered_from_the_faq(faq_app: App, service: FaqService) -> None:
    entry = service.faq.entries[0]  # type: ignore[union-attr]
    answer = faq_app.assistant.ask(entry.question)
    assert answer.faq and not answer.cached
    assert answer.citations == entry.answer.citations and answer.answer == entry.answer.answer
    assert answer.question == entry.question
    unrelated = faq_app.assistant.ask("What is the capital of France?")
    assert not unrelated.faq


def test_matcher_ignores_an_other_index_version(service: FaqService) -> None:
    matcher = FaqMatcher(0.9)
    matcher.set(service.faq)
    entry = service.faq.entries[0]  # type: ignore[union-attr]
    assert matcher.lookup(entry.question, entry.embeddings[0], "some-other-version") is None
    assert matcher.lookup("x", entry.embeddings[0], service.faq.index_version) is not None  # type: ignore[union-attr]


def test_instructor_answer_joins_the_faq_and_the_chat(faq_app: App, service: FaqService) -> None:
    question = "Is there a follow-up course on reinforcement learning?"
    before = faq_app.assistant.ask(question)
    service.add_instructor_answer(question, "Yes: the reinforcement learning course starts in March.")
    entry = service.faq.entries[0]  # type: ignore[union-attr]
    assert entry.origin == "instructor" and entry.question == question
    answer = faq_app.assistant.ask(question)
    assert answer.covered and answer.answer != before.answer
    (citation,) = answer.citations
    assert citation.kind == "instructor_answer" and citation.label == "instructor answer"
    assert citation.quote == "Yes: the reinforcement learning course starts in March."
    assert service.faq.to_json()[0]["citations"][0]["label"] == "instructor answer"  # type: ignore[union-attr]


def test_rebuilding_the_index_rebuilds_the_faq(tmp_path: Path) -> None:
    with clean_env():
        app = App(make_settings(tmp_path / "home"), llm=FakeLLM(cited_reply))
    app.build(progress=False)
    service = FaqService(app, None)
    first = service.rebuild()
    assert first is not None and not service.stale()
    app.build([EARLIER_PAGE], progress=False)  # a different set of pages: a new index version
    assert service.stale()
    service.refresh_if_stale(background=False)
    assert (
        service.faq is not None
        and service.faq.index_version == app.assistant.index_version != first.index_version
    )
    service.attach()  # the rebuilt index made a new assistant: the FAQ is plugged into it again
    assert app.assistant.ask(service.faq.entries[0].question).faq


def test_cli_faq_prints_json_markdown_and_html(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from ui.cli import main as cli_main

    home = tmp_path / "home"
    with clean_env():
        App(make_settings(home)).build(progress=False)
    monkeypatch.setenv("EXPERT_CHAT_EMBEDDER", "hash")
    monkeypatch.setenv("EXPERT_CHAT_MODEL__KIND", "fake")
    assert cli_main(["--home", str(home), "faq", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert entries and all({"question", "answer", "citations"} <= set(e) for e in entries)
    assert (home / "faq.json").exists()  # built once, then read
    assert cli_main(["--home", str(home), "faq"]) == 0
    assert capsys.readouterr().out.count("\n## ") == len(entries)
    assert cli_main(["--home", str(home), "faq", "--html"]) == 0
    assert capsys.readouterr().out.startswith("<!doctype html>")


def test_questions_asked_twice_join_the_faq(tmp_path: Path) -> None:
    from assistant.records import Answer

    with clean_env():
        app = App(make_settings(tmp_path / "home"), llm=FakeLLM(cited_reply))
    app.build(progress=False)
    log = QuestionsLog.from_settings(app.settings)
    often, once = "What did Andrew Ng say about deep learning?", "What did Jeff Dean say about depth?"
    for question in (often, often, once):
        log.record(Answer(question, "a", True, (), (), {}, standalone_question=question), "chat")
    faq = FaqService(app, log).rebuild()
    logged = [e for e in faq.entries if e.origin == "log"]
    assert [(e.question, e.asked) for e in logged] == [(often, 2)]
    assert faq.entries[0].question == often  # most asked first
