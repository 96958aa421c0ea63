"""The one presenter of sources: each kind introduced the same way wherever it is named, and the
meaning check strips exactly the openings the presenter writes."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.checks.verify import claim_core
from assistant.records import Passage
from assistant.retrieval.coverage import closest_topics
from assistant.writing import present
from assistant.writing.compose import non_answer_report
from assistant.writing.prompt import user_message


def _passage(kind: str, text: str = "Deep nets can overfit like any other model.", **meta: Any) -> Passage:
    return Passage(
        rank=1,
        kind=kind,  # type: ignore[arg-type]
        text=text,
        score=1.0,
        document="page.html",
        char_start=0,
        char_end=len(text),
        chunk_id=f"{kind}-1",
        **meta,
    )


QUOTE = _passage("expert_quote", speaker="Jeff Dean", source_title="Large Scale Deep Learning", year=2014)
REPLY = _passage("comment", author="Jason Brownlee", is_author_reply=True, question="Can deep nets overfit?")
COMMENT = _passage("comment", author="Maisie")
SECTION = _passage("article", section="Why now?")


def test_the_prompt_introduces_and_opens_with_the_presenters_words() -> None:
    message = user_message("Can deep nets overfit?", [REPLY, QUOTE])
    assert present.for_model(REPLY) in message and present.for_model(QUOTE) in message
    assert f'Begin your answer with "{present.answer_opening(REPLY)}".' in message
    assert present.answer_opening(QUOTE) == "Jeff Dean"
    assert present.answer_opening(SECTION) is None


def test_answers_without_the_model_and_declines_use_the_same_wording() -> None:
    text, citations = non_answer_report(REPLY, {"page.html": REPLY.text})
    assert citations and text.startswith(present.NOT_ANSWERED.format(who="Jason Brownlee"))
    assert closest_topics([QUOTE, SECTION, COMMENT]) == (
        "what Jeff Dean said in “Large Scale Deep Learning”",
        "the article's section “Why now?”",
        "a discussion comment by Maisie",
    )
    assert present.said(QUOTE) == "Jeff Dean said"
    assert present.who(QUOTE) == "Jeff Dean, “Large Scale Deep Learning” (2014)"


@pytest.mark.parametrize(
    "opening",
    [
        present.answer_opening(REPLY),
        present.answer_opening(COMMENT),
        present.said(QUOTE),
        present.said(SECTION),
    ],
)
def test_the_meaning_check_strips_every_opening_the_presenter_writes(opening: str) -> None:
    assert claim_core(f"{opening} deep nets can overfit.") == "deep nets can overfit."


def test_the_patterns_follow_a_reworded_opening(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check's patterns are derived from the presenter's templates, so a new wording is known."""
    import re

    monkeypatch.setattr(present, "REPLY_OPENING", "On the forum, {who} told a student")
    patterns = re.compile("|".join(present.opening_patterns()), re.IGNORECASE)
    assert patterns.match("On the forum, Jason Brownlee told a student deep nets overfit.")


def test_a_quote_the_page_does_not_attribute_is_never_introduced_as_unknown_said() -> None:
    """The index stores "unknown" for such a speaker; a passage carries no speaker, so the presenter
    says "An expert" and the closest-topics line leaves the quote out instead of "what unknown said"."""
    meta = {"kind": "expert_quote", "text": "It gets easier.", "speaker": "unknown", "source_title": "Notes"}
    passage = Passage.from_metadata(1, "q-1", meta, 1.0)
    assert passage.speaker is None
    assert present.topic(passage) is None
    assert "unknown" not in present.for_model(passage)
    assert "unknown" not in " ".join(closest_topics([passage, SECTION]))


def test_a_title_before_a_name_ends_no_sentence_in_an_answer_or_a_shown_quote() -> None:
    """ "Rep. Omar" is one sentence (the index's abbreviation rule, shared): an answer sentence or a quote
    shown from a passage is never cut after "Rep." (seen in the v3 run: "The man who threatened Rep [1].")."""
    from assistant.text import sentence_spans
    from assistant.writing.compose import quote_span

    text = (
        "A man pleaded guilty to threatening to kill Rep. Ilhan Omar. He faces up to 10 years.\n\nA new part."
    )
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "A man pleaded guilty to threatening to kill Rep. Ilhan Omar.",
        "He faces up to 10 years.",
        "A new part.",
    ]
    long = _passage("article", text=" ".join([text] * 8))
    start, end = quote_span(long, "threatening to kill Rep. Ilhan Omar")
    assert long.text[start:end].endswith("Ilhan Omar.")
