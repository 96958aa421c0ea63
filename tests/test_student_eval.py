"""The student evaluation's scoring rules (fast: built answers, no model)."""

from __future__ import annotations

import json

import pytest

from assistant.evaluation.student_eval import LANGUAGE_CODES, fold, language_matches
from assistant.records import Answer
from assistant.settings import PROJECT_ROOT
from assistant.understand.language import Language


def _answer(language: str) -> Answer:
    return Answer(
        question="q", answer="a", covered=True, citations=(), retrieved=(), timings_ms={}, language=language
    )


@pytest.mark.parametrize("name", ["students_dev", "students_test", "students_v2", "conversations_v2"])
def test_every_language_of_the_question_sets_is_known_to_the_scorer(name: str) -> None:
    """A code the scorer does not know would count a right answer as the wrong language."""
    lines = (PROJECT_ROOT / "eval" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    for item in (json.loads(line) for line in lines if line.strip()):
        assert item["lang"] in LANGUAGE_CODES, item["id"]
        assert language_matches("", item["lang"], _answer(LANGUAGE_CODES[item["lang"]]))


def test_a_different_language_is_wrong() -> None:
    assert not language_matches("", "tr", _answer(Language.ENGLISH))
    assert language_matches("", "tr", _answer(Language.TURKISH))


def test_evidence_is_compared_without_case_spacing_or_typographic_marks() -> None:
    assert fold("It’s  “Deep”\u00a0Learning") == fold('it\'s "deep" learning')
