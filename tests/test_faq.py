"""The course FAQ: the article's topics and the thread's questions as clean questions, answered once
through the pipeline, no non-answers or lost links, one answer per entry, built with the index and
consulted by the assistant from the composition root; instructor answers; the chat's examples.

Fast: the real pages in a real Chroma on a temp dir (hash embedder) and the fake model.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from assistant.app import App
from assistant.ready.examples import faq_examples, topic_examples
from assistant.ready.faq import Faq, FaqMatcher, group_by_meaning, thread_questions, unfit
from assistant.ready.faq_questions import (
    REWRITE_PROMPT,
    TOPIC_PROMPT,
    QuestionWriter,
    Wording,
    answered_questions,
    article_topics,
    keeps_content,
    tidy_question,
    well_formed,
)
from assistant.records import Answer, Citation, Passage
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
]
ARTICLE_METAS = [
    {
        "kind": "article",
        "document": "d",
        "char_start": 0,
        "section": "Gardens Are Soil",
        "text": "Soil feeds.",
    },
    {
        "kind": "expert_quote",
        "document": "d",
        "char_start": 40,
        "section": "Gardens Are Soil",
        "speaker": "Ann Lee and Bo Chan",
        "text": "Compost is the engine of a garden.",
    },
    {
        "kind": "expert_quote",
        "document": "d",
        "char_start": 80,
        "section": "Gardens Are Soil",
        "speaker": "Ann Lee",
        "text": "Worms do the rest.",
    },
    {"kind": "article", "document": "d", "char_start": 90, "section": "Why Mulch? Why Now?", "text": "Dry."},
    {
        "kind": "expert_quote",
        "document": "d",
        "char_start": 120,
        "section": "Why Mulch? Why Now?",
        "speaker": "Cy Park",
        "text": "Mulch keeps water in.",
    },
    {"kind": "article", "document": "old", "char_start": 0, "section": "Gardens Are Soil", "text": "Soil."},
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


def test_group_by_meaning_counts_and_keeps_wordings() -> None:
    vectors = {"a1": (1.0, 0.0), "a2": (0.99, 0.141), "b": (0.0, 1.0)}

    def embed(text: str) -> Sequence[float]:
        return vectors[text]

    groups = group_by_meaning([("b", 1, "log"), ("a1", 2, "log"), ("a2", 3, "log")], embed, 0.9)
    assert [(g.question, g.count, g.variants) for g in groups] == [("a1", 5, ["a1", "a2"]), ("b", 1, ["b"])]


def test_article_topics_are_sections_in_page_order_then_lead_speakers() -> None:
    topics = article_topics(ARTICLE_METAS)
    # Cy Park is quoted once: a name the page cites, not one of the experts it is built around.
    assert [t.heading for t in topics] == ["Gardens Are Soil", "Why Mulch? Why Now?", "Ann Lee"]
    assert topics[0].question is None and "Compost" in topics[0].context  # the model writes this one
    assert topics[1].question == "Why Mulch?"  # a heading that asks needs no model (its first question)
    assert topics[2].key == "person:Ann Lee" and "engine" in topics[2].context


def test_written_questions_are_checked_against_their_source() -> None:
    assert (
        tidy_question('Question: "why does compost feed a garden?"\nmore')
        == "Why does compost feed a garden?"
    )
    assert tidy_question("Compost feeds a garden.") is None  # not a question
    assert tidy_question("Why? Really?") is None
    source = "Hello! My garden is dry in July. Is mulch worth it for a dry garden?"
    assert keeps_content("Is mulch worth it for a dry garden?", source, "Is mulch worth it for a dry garden?")
    assert keeps_content(
        "Is mulch worth the cost for a dry garden?", source, "mulch dry garden"
    )  # one new word
    assert not keeps_content(
        "Is bark or straw good for a dry garden?", source, "mulch dry garden"
    )  # invented
    assert not keeps_content("Is it worth it?", source, "Is mulch worth it for a dry garden?")  # lost words
    assert well_formed("In your view, is mulch worth the cost?")
    assert not well_formed("Plug in more mulch and more water/whatever?")  # a fragment, not a question
    assert not well_formed("What about my garden?")  # leans on its comment


def writer_reply(messages: list[Any]) -> str:
    """The fake as a question writer: echoes a question built from the prompt's own words."""
    system, user = str(messages[0].content), str(messages[-1].content)
    if system == TOPIC_PROMPT:
        return "Why are gardens soil?"
    if system == REWRITE_PROMPT:
        return "Is mulch worth it for a dry garden?" if "mulch" in user else "Why is the grass green?"
    return cited_reply(messages)


def test_question_writer_uses_the_model_once_then_its_cache(tmp_path: Path) -> None:
    cache = tmp_path / "faq_questions.json"
    llm = FakeLLM(writer_reply)
    writer = QuestionWriter(llm, cache)
    topics = article_topics(ARTICLE_METAS)
    assert [writer.topic_question(t) for t in topics] == [
        "Why are gardens soil?",
        "Why Mulch?",  # the heading asks: no model call
        "What did Ann Lee say?",  # an expert: the rule, no model call
    ]
    mulch = [
        Wording("Hi, is mulch worth it for a dry garden, or what about my pots?", "Hi, my garden is dry.")
    ]
    assert writer.group_question(mulch) == "Is mulch worth it for a dry garden?"
    sky = [Wording("What about the sky?", "What about the sky?"), Wording("Why is the sky blue?", "Blue?")]
    assert writer.group_question(sky) == "Why is the sky blue?"  # invented words: the best-formed wording
    assert writer.group_question([Wording("And the sky?", "And the sky?")]) is None  # nothing well-formed
    calls = len(llm.calls)
    writer.save()
    again = QuestionWriter(FakeLLM(["unused"]), cache)
    again.llm.label = llm.label  # type: ignore[union-attr]
    assert again.topic_question(topics[0]) == "Why are gardens soil?" and again.calls == 0
    assert calls == 4  # one per group and per heading that does not ask a question


def _answer(citations: Sequence[Citation], retrieved: Sequence[Passage] = ()) -> Answer:
    return Answer("q", "a [1]", True, tuple(citations), tuple(retrieved), {})


def _reply(text: str, role: str = "answer", quote: str | None = None) -> tuple[Citation, Passage]:
    quote = quote or text.split(".")[0]
    common: dict[str, Any] = {"kind": "author_reply", "document": "d", "role": role}
    return (
        Citation(n=1, quote=quote, char_start=10, char_end=10 + len(quote), **common),
        Passage(rank=1, text=text, score=1.0, chunk_id="c", char_start=10, char_end=10 + len(text), **common),
    )


def test_non_answers_and_lost_links_are_unfit() -> None:
    good = _reply("No, deep learning methods can overfit like any other.")
    assert unfit(_answer([good[0]], [good[1]])) is None
    declined = _reply("Perhaps ask someone else about it.", role="non_answer")
    assert unfit(_answer([declined[0]], [declined[1]])) == "a non-answer"
    link = _reply("I have some advice for getting started here that might help:", quote="I have some advice")
    assert unfit(_answer([link[0]], [link[1]])) == "a lost link"  # its substance was the link
    colon = _reply("See this post:", quote="See this post:")
    assert unfit(_answer([colon[0]])) == "a lost link"
    assert unfit(_answer([])) == "not covered"


def test_faq_examples_alternate_article_topics_and_asked_questions() -> None:
    entries = [
        ("What is soil?", "article"),
        ("Why mulch?", "article"),
        ("Is mulch worth it for a dry garden?", "thread"),
        ("Passed on?", "instructor"),
        ("A very long question " + "with many words " * 8 + "?", "thread"),
    ]
    assert faq_examples(entries, 4) == ["What is soil?", "Is mulch worth it for a dry garden?", "Why mulch?"]
    assert topic_examples(ARTICLE_METAS) == ["Why Mulch?", "What did Ann Lee say?"]


@pytest.fixture(scope="module")
def faq_app(tmp_path_factory: pytest.TempPathFactory) -> App:
    home = tmp_path_factory.mktemp("faq-home")
    with clean_env():
        app = App(make_settings(home), llm=FakeLLM(cited_reply))
    app.build(progress=False)
    return app


@pytest.fixture(scope="module")
def service(faq_app: App) -> FaqService:
    service = FaqService(faq_app, QuestionsLog.from_settings(faq_app.settings))
    service.rebuild()
    return service


def test_faq_entries_cover_article_and_thread_with_one_checked_answer_each(
    faq_app: App, service: FaqService
) -> None:
    faq = service.faq
    assert faq is not None and faq.index_version == faq_app.assistant.index_version
    origins = [e.origin for e in faq.entries]
    assert "article" in origins and "thread" in origins and origins.index("article") < origins.index("thread")
    firsts = set()
    for entry in faq.entries:
        assert unfit(entry.answer) is None and not entry.answer.faq
        assert (entry.question.endswith("?") and well_formed(entry.question)) or entry.origin == "article"
        first = entry.answer.citations[0]
        assert (first.document, first.char_start) not in firsts  # one answer, one entry
        firsts.add((first.document, first.char_start))
        for c in entry.answer.citations:
            page = faq_app.assistant.page_text(c.document) or ""
            assert page[c.char_start : c.char_end] == c.quote
    data = faq.to_json()
    assert {"question", "answer", "citations", "variants", "origin"} <= set(data[0])
    assert Faq.load(service.path) == faq  # type: ignore[arg-type]  # saved under home, read back the same
    assert to_markdown(faq, "T").count("\n## ") == len(faq.entries)
    assert "<script" not in faq_page(faq, "T<script>")


def test_the_assistant_consults_the_faq_from_the_composition_root(faq_app: App, service: FaqService) -> None:
    entry = service.faq.entries[0]  # type: ignore[union-attr]
    answer = faq_app.assistant.ask(entry.question)
    assert answer.faq and not answer.cached
    assert answer.citations == entry.answer.citations and answer.answer == entry.answer.answer
    assert answer.question == entry.question
    assert not faq_app.assistant.ask("What is the capital of France?").faq
    # Another process (the CLI's `ask`, a server) on the same home: the same FAQ, nothing attached by hand.
    with clean_env():
        other = App(faq_app.settings, llm=FakeLLM(["never used"]))
    assert other.assistant.ask(entry.question).faq and other.llm.calls == []  # type: ignore[attr-defined]


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


def test_a_new_index_has_no_faq_until_it_is_built(tmp_path: Path) -> None:
    with clean_env():
        app = App(make_settings(tmp_path / "home"), llm=FakeLLM(cited_reply))
    app.build(progress=False, faq=True)
    service = FaqService(app, None)
    first = service.faq
    assert first is not None and not service.stale()
    app.build([EARLIER_PAGE], progress=False)  # a different set of pages, no FAQ: a new index version
    assert service.stale() and service.current() is not None and service.current().entries == ()  # type: ignore[union-attr]
    assert not app.assistant.ask(first.entries[0].question).faq  # an old FAQ never answers for a new index
    second = service.rebuild()
    assert second.index_version == app.assistant.index_version != first.index_version
    assert app.assistant.ask(second.entries[0].question).faq


def test_cli_build_builds_the_faq_and_faq_prints_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ui.cli import main as cli_main

    home = tmp_path / "home"
    monkeypatch.setenv("EXPERT_CHAT_EMBEDDER", "hash")
    monkeypatch.setenv("EXPERT_CHAT_MODEL__KIND", "fake")
    assert cli_main(["--home", str(home), "build", "--quiet", "--no-faq"]) == 0
    assert not (home / "faq.json").exists()
    assert cli_main(["--home", str(home), "build", "--quiet"]) == 0
    assert "FAQ:" in capsys.readouterr().out and (home / "faq.json").exists()
    assert cli_main(["--home", str(home), "faq", "--json"]) == 0  # read, not built again
    entries = json.loads(capsys.readouterr().out)
    assert entries and all({"question", "answer", "citations"} <= set(e) for e in entries)
    assert cli_main(["--home", str(home), "faq"]) == 0
    assert capsys.readouterr().out.count("\n## ") == len(entries)
    assert cli_main(["--home", str(home), "faq", "--html"]) == 0
    assert capsys.readouterr().out.startswith("<!doctype html>")


def test_serving_makes_no_model_call_and_examples_are_article_topics(tmp_path: Path) -> None:
    from ui.server import create_app

    llm = FakeLLM(cited_reply)
    with clean_env():
        app = App(make_settings(tmp_path / "home"), llm=llm)
    app.build(progress=False)
    web = create_app(app)
    examples = web.state.context.examples
    assert llm.calls == [] and not (tmp_path / "home" / "faq.json").exists()
    assert examples and all(e.endswith("?") for e in examples)
    metas = app.store.iter_metadata(app.store.require_manifest().collection, where={"kind": "comment"})
    thread = " ".join(str(m.get("text", "")) for m in metas)
    assert not any(e.rstrip("?") in thread for e in examples)  # never a reader's words as asked
    faq = FaqService(app, None).rebuild()
    later = create_app(app).state.context.examples
    assert later and set(later) <= {e.question for e in faq.entries}  # from the FAQ once there is one


def test_questions_asked_twice_join_the_faq(tmp_path: Path) -> None:
    with clean_env():
        app = App(make_settings(tmp_path / "home"), llm=FakeLLM(cited_reply))
    app.build(progress=False)
    log = QuestionsLog.from_settings(app.settings)
    often, once = "What did Andrew Ng say about deep learning?", "What did Jeff Dean say about depth?"
    for question in (often, often, once):
        log.record(Answer(question, "a", True, (), (), {}, standalone_question=question), "chat")
    faq = FaqService(app, log).rebuild()
    asked = [(e.question, e.asked) for e in faq.entries if often in e.variants or once in e.variants]
    assert asked and asked[0][1] >= 2 and all(once not in e.variants for e in faq.entries)
    logged = [e for e in faq.entries if e.origin in ("thread", "log")]
    assert logged[0].asked == max(e.asked for e in logged)  # most asked first after the article's topics
