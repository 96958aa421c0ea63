"""Choosing the passages that answer a question (assistant/retrieval/evidence.py), on hand-made candidates."""

from __future__ import annotations

from assistant.records import Passage
from assistant.retrieval.evidence import select_evidence
from assistant.testing import quote_passage


def _reply(
    n: int, text: str, dense: float, role: str, asker: str = "Hazel", *, author: bool = True
) -> Passage:
    return Passage(
        rank=n,
        kind="comment",
        text=text,
        score=dense,
        document="page.txt",
        char_start=n * 100,
        char_end=n * 100 + len(text),
        chunk_id=f"c{n}",
        author="Site Author" if author else asker,
        is_author_reply=author,
        role=role,
        question=f"question of {asker}",
        question_author=asker,
        dense_score=dense,
    )


def test_the_answer_after_asking_the_reader_back_leads_over_the_question_back() -> None:
    asked_back = _reply(
        1, "What is “traditional learning” in the context of deep learning?", 0.7, "non_answer"
    )
    answer = _reply(3, "Any neural network may be called deep learning now.", 0.55, "answer")
    other = _reply(5, "CNNs suit images.", 0.5, "answer", asker="Omar")
    evidence = select_evidence([asked_back, answer, other])
    assert evidence.best is not None and evidence.best.chunk_id == "c3"
    assert "c1" not in [p.chunk_id for p in evidence.passages]
    assert [p.rank for p in evidence.passages] == list(range(1, len(evidence.passages) + 1))


def test_a_declined_question_stays_declined_when_no_later_answer_to_that_reader_was_retrieved() -> None:
    declined = _reply(1, "Sorry, I don't have tutorials on that. Do you mean stocks?", 0.7, "non_answer")
    earlier = _reply(0, "Any neural network may be called deep learning now.", 0.55, "answer")
    someone_else = _reply(3, "Try a suite of methods.", 0.6, "answer", asker="Omar")
    evidence = select_evidence([declined, earlier, someone_else])
    assert evidence.best is not None and evidence.best.chunk_id == "c1"


def test_reader_comments_that_restate_the_question_are_not_evidence() -> None:
    echo = _reply(2, "Is deep learning the same as machine learning?", 0.9, "statement", author=False)
    answer = _reply(3, "Deep learning is a type of machine learning.", 0.6, "answer")
    evidence = select_evidence([echo, answer])
    assert [p.chunk_id for p in evidence.passages] == ["c3"]


def _quote(n: int, text: str, speaker: str) -> Passage:
    return quote_passage(n, text, speaker, dense_score=0.5)


def test_a_named_persons_own_words_lead_only_when_the_question_names_them() -> None:
    from assistant.pipeline import _person_first

    about = _reply(1, "Jeff Dean is a Google Senior Fellow who worked on MapReduce.", 0.6, "answer")
    dean = _quote(
        2, "When you hear the term deep learning, just think of a large deep neural net.", "Jeff Dean"
    )
    stadia = _quote(3, "When streaming at 4K, we render at a native 1080p.", "Google Stadia")
    named = frozenset({"q2", "q3"})
    led = _person_first("what does dean mean by deep?", [about], [about, dean, stadia], named, 3)
    assert [p.chunk_id for p in led][:2] == ["q2", "c1"] and [p.rank for p in led] == [1, 2]
    # "google" is a word of an organisation's name, not a person the question names
    kept = _person_first("which google projects did he build?", [about], [about, stadia], named, 3)
    assert [p.chunk_id for p in kept] == ["c1"]
