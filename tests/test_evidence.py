"""Choosing the passages that answer a question (assistant/evidence.py), on hand-made candidates."""

from __future__ import annotations

from assistant.evidence import select_evidence
from assistant.records import Passage


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
