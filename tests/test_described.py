"""A person described instead of named (assistant/understand/described.py), on hand-made candidates."""

from __future__ import annotations

from assistant.records import Passage
from assistant.testing import quote_passage
from assistant.understand.described import described_person

PEOPLE = {"Marta Quell", "Ivo Brandt"}


def _quote(n: int, speaker: str, text: str, lead_in: str) -> Passage:
    return quote_passage(n, text, speaker, lead_in=lead_in, document="page.html")


def _is_person(text: str) -> bool:
    return any(name in text for name in PEOPLE)


def test_a_person_introduced_in_their_quotes_attribution_is_found_by_that_description() -> None:
    quotes = [
        _quote(
            1,
            "Ivo Brandt",
            "The ferry will run late all week.",
            "“The ferry will run late all week,” Brandt said.",
        ),
        _quote(
            2,
            "Marta Quell",
            "Some crossings may be cancelled",
            "“Some crossings may be cancelled,” said Marta Quell, a harbour engineer and lecturer at Lindmoor"
            " College.",
        ),
    ]
    question = "what did the harbour engineer from lindmoor think the strike would do to crossings?"
    assert described_person(question, quotes, _is_person, lambda stem: 1.0) == "Marta Quell"
    # A quote whose attribution holds no description names no one.
    assert (
        described_person("what did the ferry captain think about delays?", quotes, _is_person, lambda s: 1.0)
        is None
    )
