"""What the model is shown of a source (assistant/writing/prompt.py): no opening pleasantries to quote."""

from __future__ import annotations

import pytest

from assistant.records import Passage
from assistant.writing.prompt import user_message, without_opening_pleasantries


@pytest.mark.parametrize(
    "reply, question, shown",
    [
        (
            "I’m glad to hear it was useful Maisie. I would suggest talking to medical diagnosis people.",
            "any hot phd topic in deep learning for medical diagnosis?",
            "I would suggest talking to medical diagnosis people.",
        ),
        (
            "Very cool problem Abbey. I would suggest collecting a high-quality dataset first.",
            "How should I feed slang from social media into a network?",
            "I would suggest collecting a high-quality dataset first.",
        ),
        # A pleasantry that carries the answer, or the reply's only sentence, stays.
        (
            "Good question, deep learning can overfit. Use regularization.",
            "can deep learning overfit?",
            "Good question, deep learning can overfit. Use regularization.",
        ),
        ("Thanks, glad it helped!", "is svm useful?", "Thanks, glad it helped!"),
        # Declining is part of what the author said.
        (
            "Sorry Sam, I don’t know. CNNs are state of the art on spatial data.",
            "what could CNNs help with in developing countries?",
            "Sorry Sam, I don’t know. CNNs are state of the art on spatial data.",
        ),
    ],
)
def test_opening_pleasantries_are_not_shown_to_the_model(reply: str, question: str, shown: str) -> None:
    assert without_opening_pleasantries(reply, question) == shown


def test_the_prompt_shows_a_reply_without_its_pleasantry_and_an_expert_quote_whole() -> None:
    reply = Passage(
        rank=1,
        kind="comment",
        text="Very cool problem Abbey. Encode the words as integers and use a word embedding.",
        score=1.0,
        document="p",
        char_start=0,
        char_end=80,
        chunk_id="c1",
        author="Site Author",
        is_author_reply=True,
        question="How do I feed slang into a network?",
    )
    quote = Passage(
        rank=2,
        kind="expert_quote",
        text="Thanks to GPUs, deep nets train fast. Depth means layers.",
        score=1.0,
        document="p",
        char_start=100,
        char_end=160,
        chunk_id="q1",
        speaker="An Expert",
    )
    message = user_message("How do I feed slang into a network?", [reply, quote])
    assert "Very cool problem" not in message
    assert "Encode the words as integers" in message
    assert "Thanks to GPUs, deep nets train fast. Depth means layers." in message


def test_an_interview_answer_is_shown_with_the_question_it_answers_not_as_a_reply_to_a_reader() -> None:
    answer = Passage(
        rank=1,
        kind="expert_quote",
        text="Keeping the varieties true.",
        score=1.0,
        document="p",
        char_start=0,
        char_end=27,
        chunk_id="q1",
        speaker="Tomas Lindqvist",
        question="What is the hardest part of running it?",
        question_author="Priya Natarajan",
    )
    message = user_message("What is hardest about a seed library?", [answer])
    assert 'answering the question "What is the hardest part of running it?"' in message
    assert "reader" not in message
