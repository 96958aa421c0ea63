"""The question's language (packaged detector, eval/language_probe.jsonl) and translating a checked
answer back into the student's language (assistant/understand/language.py), fake model."""

from __future__ import annotations

import json
import time

import pytest

from assistant.testing import FakeLLM
from assistant.understand.language import (
    Language,
    answer_language,
    detect_language,
    from_english,
    language_of,
    needs_translation,
)
from tests.conftest import EVAL_DIR

PROBE = [
    json.loads(line)
    for line in (EVAL_DIR / "language_probe.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]

SPEAKERS = "Yann LeCun, Yoshua Bengio and Geoffrey Hinton"


def test_a_translation_that_keeps_every_person_gets_no_name_prefix() -> None:
    french = "Yann LeCun, Yoshua Bengio et Geoffrey Hinton déclarent que le deep learning apprend."
    llm = FakeLLM([french])
    answer = from_english(
        llm, f"{SPEAKERS} state that deep learning learns representations [1].", "French", [SPEAKERS]
    )
    assert answer.startswith("Yann LeCun, Yoshua Bengio et Geoffrey Hinton déclarent")
    assert answer.endswith("[1].")


def test_a_lost_name_is_asked_for_again_with_the_names_as_a_rule() -> None:
    llm = FakeLLM(["李冠希定义了深度学习。", "Yann LeCun 定义了深度学习。"])
    answer = from_english(llm, "Yann LeCun defined deep learning [1].", "Chinese", ["Yann LeCun"])
    assert answer == "Yann LeCun 定义了深度学习 [1]。"
    assert llm.calls[1].system is not None and "Yann LeCun" in llm.calls[1].system


def test_a_translation_that_drops_a_person_twice_is_led_by_the_name() -> None:
    llm = FakeLLM(["Il a défini le deep learning comme des modules entraînables."] * 2)
    answer = from_english(
        llm, "Yann LeCun defined deep learning as trainable modules [1].", "French", ["Yann LeCun"]
    )
    assert answer.startswith("Yann LeCun: Il a défini")


def test_a_marker_is_put_back_once() -> None:
    llm = FakeLLM(["El modelo es el programa."])
    answer = from_english(llm, "The model [1] is the program [1]. [1]", "Spanish")
    assert answer == "El modelo es el programa [1]."


def test_a_translation_stuck_in_a_loop_gives_the_checked_english_sentence() -> None:
    loop = "경기에서 뉴욕 팀과의 " * 6
    llm = FakeLLM([f"르브론은 기록을 세웠다. {loop}", "팀은 이겼다."])
    answer = from_english(llm, "LeBron set a record [1]. The team won [2].", "Korean")
    assert answer == "LeBron set a record [1]. 팀은 이겼다 [2]."


def test_what_counts_as_a_loop() -> None:
    from assistant.text import repeats_itself

    assert repeats_itself("the New York team with " * 4)
    assert not repeats_itself("Deep learning is a pipeline of modules, all of which are trainable.")
    assert not repeats_itself("450,000 people would lose power [1]. 375,000 people would lose power [2].")
    assert not repeats_itself("ha ha ha ha")


def _code(lang: str) -> str:
    return Language.HINGLISH.code if lang == "hinglish" else lang


def test_the_detector_tells_short_questions_in_sixteen_languages_and_keeps_english_english() -> None:
    found = [(row, detect_language(row["q"])) for row in PROBE]
    wrong = [
        f"{row['lang']} -> {language.code}: {row['q']}"
        for row, language in found
        if language.code != _code(row["lang"])
    ]
    assert len(wrong) <= 0.03 * len(PROBE), wrong
    # An English question full of names and code terms is never sent to translation.
    english = [
        row["q"] for row, language in found if row["lang"] == "en" and language is not Language.ENGLISH
    ]
    assert not english


@pytest.mark.parametrize(
    "question, language",
    [
        ("What did Yann LeCun say about CNNs?", Language.ENGLISH),
        ("SVM?", Language.ENGLISH),
        ("¿Qué es el aprendizaje por refuerzo?", Language.SPANISH),
        ("Was bedeutet das?", Language.GERMAN),
        ("यह किसने कहा?", Language.HINDI),
        ("overfitting se kaise bachein?", Language.HINGLISH),
        ("Il ne se passe rien", Language.FRENCH),  # "ne" and "se" are French here, not Hinglish
    ],
)
def test_language_of_a_question(question: str, language: Language) -> None:
    assert language_of(question) is language
    assert needs_translation(question, frozenset()) is (language is not Language.ENGLISH)


def test_a_language_is_a_typed_value_that_still_reads_as_its_name() -> None:
    spanish = language_of("¿Quién escribió este artículo?")
    assert (spanish.code, spanish.value) == ("es", "Spanish")
    assert spanish == "Spanish" and spanish in ["Hindi", "Spanish"]  # settings name languages as text
    assert json.dumps({"language": spanish}) == '{"language": "Spanish"}'


def test_words_of_the_material_keep_a_question_english() -> None:
    assert language_of("gradient descent") is not Language.ENGLISH  # the detector alone guesses
    assert not needs_translation("gradient descent", frozenset({"gradient", "descent"}))


def test_an_answer_is_judged_by_its_own_words_not_its_english_quotes() -> None:
    spanish = "Según Jeff Dean, “deep learning is a really powerful metaphor for learning” [1]."
    assert answer_language(spanish) is Language.SPANISH
    hinglish = "Jeff Dean ne kaha: “deep means many layers” [1] (Quotes original English mein hain.)"
    assert answer_language(hinglish) is Language.HINGLISH


def test_questions_arriving_together_load_the_detector_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight first questions at a fresh server: one load (each took 0.6 s of CPU; 3.5 s to the sources)."""
    from concurrent.futures import ThreadPoolExecutor

    from py3langid.langid import LanguageIdentifier

    from assistant.understand import language

    real = LanguageIdentifier.from_model_file.__func__  # type: ignore[attr-defined]
    loads = []

    def counted(cls: type, *args: object, **kwargs: object) -> LanguageIdentifier:
        loads.append(1)
        time.sleep(0.2)  # long enough for the other threads to arrive while it loads
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(LanguageIdentifier, "from_model_file", classmethod(counted))
    language._load_identifier.cache_clear()
    try:
        with ThreadPoolExecutor(8) as pool:
            found = list(pool.map(detect_language, ["Was sagt Hinton über tiefe Netze?"] * 8))
    finally:
        language._load_identifier.cache_clear()
    assert found == [Language.GERMAN] * 8
    assert len(loads) == 1
