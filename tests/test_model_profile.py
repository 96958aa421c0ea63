"""The model profile: one record of the bundled model's adaptations, a plain one for a model server."""

from __future__ import annotations

from assistant.models.profile import PLAIN, SMALL_LOCAL, profile_for
from assistant.records import Passage
from assistant.settings import ModelSettings
from assistant.writing.prompt import user_message

REPLY = Passage(
    rank=1,
    kind="comment",
    text="Glad it helped, Maisie. Yes, deep nets can overfit like any other model.",
    score=1.0,
    document="page.html",
    char_start=0,
    char_end=72,
    chunk_id="c1",
    author="Jason Brownlee",
    is_author_reply=True,
    question="Can deep nets overfit?",
)


def test_the_model_kind_selects_the_profile() -> None:
    assert profile_for(ModelSettings(kind="bundled")) == SMALL_LOCAL
    assert profile_for(ModelSettings(kind="openai", base_url="http://localhost:8080/v1")) == PLAIN
    chosen = profile_for(ModelSettings(kind="bundled", quote_only_languages=[]))
    assert chosen.quote_only_languages == () and chosen.forced_opening


def test_only_the_small_model_gets_a_dictated_opening_and_hidden_pleasantries() -> None:
    small = user_message("Can deep nets overfit?", [REPLY], SMALL_LOCAL)
    plain = user_message("Can deep nets overfit?", [REPLY], PLAIN)
    assert "Begin your answer with" in small and "Begin your answer with" not in plain
    assert "Glad it helped" not in small and "Glad it helped" in plain
