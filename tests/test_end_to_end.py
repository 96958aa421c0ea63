"""End to end with the real bundled model, the real embedder, real Chroma and the real pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.app import App
from assistant.evaluation.evaluate import annotation_for, load_annotations, person_names, run_eval
from assistant.records import FinalEvent, SourcesEvent, TokenEvent, Turn
from tests.conftest import QUESTIONS_JSONL, QUOTES_JSON, make_settings
from tests.synthetic_page import write_hostile_page

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def live(real_app: App, real_llm: Any) -> App:
    """The product as shipped: the real model writes, and judges each sentence's meaning."""
    settings = real_app.settings.model_copy(
        update={"retrieval": real_app.settings.retrieval.model_copy(update={"check_meaning": True})}
    )
    return App(settings, embedder=real_app.embedder, llm=real_llm)


def _check_citations(app: App, answer: Any) -> None:
    annotations = load_annotations(QUOTES_JSON)
    for c in answer.citations:
        assert app.assistant.page_text(c.document)[c.char_start : c.char_end] == c.quote
        assert f"[{c.n}]" in answer.answer
        if c.kind == "expert_quote":
            ann = annotation_for(c.quote, annotations)
            if ann:
                assert person_names(ann["speaker"]) == person_names(c.speaker)


def test_quote_question_streams_a_cited_answer(live: App) -> None:
    events = list(live.assistant.stream("What did Yann LeCun say deep learning is?"))
    assert isinstance(events[0], SourcesEvent) and events[0].covered
    tokens = [e for e in events if isinstance(e, TokenEvent)]
    assert len(tokens) > 3, "the answer is streamed"
    answer = events[-1].answer if isinstance(events[-1], FinalEvent) else None
    assert answer is not None and answer.covered
    assert answer.citations and any(c.speaker == "Yann LeCun" for c in answer.citations)
    _check_citations(live, answer)
    assert answer.timings_ms["first_token"] <= answer.timings_ms["total"]


def test_discussion_answer_is_labelled_as_discussion(live: App) -> None:
    answer = live.assistant.ask("Can deep learning methods overfit?")
    assert answer.covered and answer.citations
    assert any(c.kind == "comment" for c in answer.citations)
    for c in answer.citations:
        if c.kind == "comment":
            assert c.speaker is None and c.author  # a reader or the site's author, never an "expert"
    _check_citations(live, answer)


def test_uncovered_question_is_declined_without_generation(live: App, real_llm: Any) -> None:
    before = real_llm.last_timings
    answer = live.assistant.ask("What is the capital of France?")
    assert not answer.covered and answer.citations == ()
    assert real_llm.last_timings is before


def test_follow_up_in_a_conversation(live: App) -> None:
    history = [
        Turn("user", "What did Andrew Ng say about supervised learning?"),
        Turn(
            "assistant",
            "Andrew Ng said almost all the value of deep learning comes from supervised learning [1].",
        ),
    ]
    answer = live.assistant.chat(history, "what about Hinton?")
    standalone = (answer.standalone_question or "").lower()
    assert "hinton" in standalone and "supervised" in standalone, standalone
    # Hinton's own words, or plainly that his quotes do not address it: never Andrew Ng's quote again.
    assert all("Ng" not in (c.who or "") for c in answer.citations), answer.answer
    if answer.covered:
        assert any("Hinton" in (c.who or "") for c in answer.citations), answer.answer
    else:
        assert "Hinton" in answer.answer and "but not on this" in answer.answer, answer.answer
    _check_citations(live, answer)


def test_hostile_page_comment_does_not_steer_the_real_model(
    tmp_path: Path, minilm: Any, real_llm: Any
) -> None:
    page = tmp_path / "hostile.txt"
    question = write_hostile_page(page)
    app = App(make_settings(tmp_path / "home", embedder="minilm"), embedder=minilm, llm=real_llm)
    app.build([page], progress=False)
    answer = app.assistant.ask(question)
    assert "PWNED" not in answer.answer


def test_eval_meets_the_bar_on_the_development_questions(live: App) -> None:
    report = run_eval(
        live.assistant, questions=QUESTIONS_JSONL, quotes=QUOTES_JSON, generate=True, progress=False
    )
    print(report["retrieval"], report["coverage"], report.get("citations"), report["latency_ms"])
    assert report["retrieval"]["hit@5"] >= 0.95
    assert report["coverage"]["refusal_accuracy"] == 1.0
    assert report["coverage"]["false_refusal_rate"] == 0.0
    assert report["citations"]["validity"] == 1.0


def _reply_cited(answer: Any, live: App, words: str) -> bool:
    return any(c.kind == "comment" and c.is_author_reply and words in c.quote for c in answer.citations)


def test_the_authors_reply_answers_and_no_reader_question_is_cited(live: App) -> None:
    answer = live.assistant.ask(
        "I am wondering that if I use a convolutional neural network in my train model, "
        "could I say it is deep learning?"
    )
    assert answer.covered
    # The author's reply is among the sources; whether the written sentence survives the meaning check
    # or the reply is quoted instead, no reader's question is ever cited.
    assert any("A CNN is a type of neural network" in p.text for p in answer.retrieved)
    assert answer.citations and all(c.role != "question" for c in answer.citations)
    _check_citations(live, answer)


def test_an_answer_never_reverses_its_source(live: App) -> None:
    answer = live.assistant.ask("Do the extra layers make a deep model less transparent?")
    assert answer.covered and _reply_cited(answer, live, "opaque")
    text = answer.answer.lower()
    assert "more transparent" not in text and "less opaque" not in text and "easier to interpret" not in text
    _check_citations(live, answer)


def test_a_spanish_question_gets_a_spanish_answer_with_english_quotes(live: App) -> None:
    answer = live.assistant.ask("¿El aprendizaje profundo puede sobreajustar?")
    assert answer.language == "Spanish" and answer.covered and answer.citations
    assert any(w in answer.answer.lower().split() for w in ("el", "la", "de", "que", "puede", "sí", "los"))
    assert any("overfit" in c.quote for c in answer.citations)
    _check_citations(live, answer)


def test_a_hinglish_question_gets_the_english_quotes_introduced_in_hinglish(live: App) -> None:
    """The bundled model cannot write Hinglish: the checked answer's quotes, framed in Hinglish."""
    answer = live.assistant.ask("deep learning mein deep ka matlab kya hai?")
    assert answer.language == "Hinglish" and answer.covered and answer.citations
    assert "Quotes original English mein hain" in answer.answer
    for c in answer.citations:
        if f"[{c.n}]" in answer.answer:
            assert " ".join(c.quote.split()) in answer.answer
    _check_citations(live, answer)


def test_thread_questions_are_answered_from_the_right_reply(live: App) -> None:
    """A sample of the hand-written thread questions (eval/thread_questions.jsonl), every fifth one."""
    import json

    from assistant.evaluation.thread_eval import run_thread_eval
    from index.build import indexed_corpus
    from tests.conftest import EVAL_DIR

    lines = (EVAL_DIR / "thread_questions.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines][::5]
    report = run_thread_eval(
        live.assistant, items, indexed_corpus(live.store)[1], load_annotations(QUOTES_JSON), progress=False
    )
    summary = report["summary"]
    assert summary["reader_questions_cited"] == 0
    assert summary["citations_verbatim"] == 1.0
    assert summary["answered_from_gold"] >= 0.7, report["rows"]


@pytest.mark.parametrize(
    "question",
    [
        "how did the game-playing AI company get its big breakthrough?",
        "did the google systems/infrastructure guy just use DL or did he have a hand in it spreading inside "
        "the company?",
    ],
)
def test_the_model_judges_a_passage_answering_in_other_words_as_an_answer(live: App, question: str) -> None:
    """Close passages that share few of the question's words go to the model's yes/no: a passage that
    gives what is asked, in its own words, makes the question covered."""
    result = live.assistant.retrieve(question)
    assert result.covered and "judged" in result.reason
