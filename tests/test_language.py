"""Translating a checked answer back into the student's language (assistant/language.py), fake model."""

from __future__ import annotations

from assistant.language import from_english
from assistant.testing import FakeLLM

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
