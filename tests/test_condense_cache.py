"""Follow-up rewriting (rule-based, measured cost) and the answer cache."""

from __future__ import annotations

import time

from assistant.ready.cache import AnswerCache
from assistant.records import Answer, Turn
from assistant.understand.condense import condense
from index.testing import HashEmbedder

HISTORY = [
    Turn("user", "What did Andrew Ng say about supervised learning?"),
    Turn("assistant", "Andrew Ng said almost all the value today comes from supervised learning [1]."),
]


def test_standalone_question_is_unchanged() -> None:
    question = "What does deep mean in deep neural network?"
    assert condense(HISTORY, question) == question
    assert condense([], "why?") == "why?"


def test_what_about_replaces_the_person() -> None:
    assert condense(HISTORY, "what about Hinton?") == "What did Hinton say about supervised learning?"
    assert condense(HISTORY, "And Jeff Dean?") == "What did Jeff Dean say about supervised learning?"


def test_anaphoric_follow_up_carries_the_topic() -> None:
    rewritten = condense(HISTORY, "why?")
    assert "supervised learning" in rewritten and rewritten.startswith("why?")
    assert "supervised learning" in condense(HISTORY, "Does it still hold today?")


def test_condenser_cost_is_negligible() -> None:
    started = time.perf_counter()
    for _ in range(1000):
        condense(HISTORY, "what about Hinton?")
    per_call_ms = time.perf_counter() - started  # 1000 calls -> seconds == ms per call
    print(f"condense: {per_call_ms:.3f} ms per call")
    assert per_call_ms < 5


def _answer(text: str) -> Answer:
    return Answer(question=text, answer="a", covered=True, citations=(), retrieved=(), timings_ms={})


def test_cache_hits_near_identical_questions_only() -> None:
    embed = HashEmbedder().embed_query
    cache = AnswerCache(similarity=0.97)
    q = "What does deep mean in deep neural network?"
    cache.put("v1", q, embed(q), _answer(q))
    assert cache.get("v1", q, embed(q)) is not None
    assert (
        cache.get(
            "v1",
            "what does DEEP mean in deep neural network",
            embed("what does DEEP mean in deep neural network"),
        )
        is not None
    )
    other = "Can deep learning overfit?"
    assert cache.get("v1", other, embed(other)) is None


def test_cache_is_invalidated_when_the_index_changes() -> None:
    embed = HashEmbedder().embed_query
    cache = AnswerCache(similarity=0.97)
    q = "What is deep learning?"
    cache.put("v1", q, embed(q), _answer(q))
    assert cache.get("v2", q, embed(q)) is None
    assert len(cache) == 0


def test_a_model_rewrite_is_kept_only_if_it_is_the_question_with_its_own_words() -> None:
    from assistant.understand.condense import checked_rewrite

    assert checked_rewrite("what about Hinton?", "What did Hinton say about deep learning?") == (
        "What did Hinton say about deep learning?"
    )
    assert checked_rewrite("what about Hinton?", "Hinton described deep autoencoder networks [1].") is None
    assert (
        checked_rewrite("who came up with it?", "What did Andrew Ng say about supervised learning?") is None
    )
    assert (
        checked_rewrite(
            "did he say anything about data sets?",
            "Standalone question: Did Hinton say anything about data sets?",
        )
        == "Did Hinton say anything about data sets?"
    )


def test_and_followed_by_a_question_is_not_a_new_subject() -> None:
    rewritten = condense([Turn(role="user", content="Who is Yann LeCun?")], "and what data is that best on?")
    assert rewritten.startswith("and what data is that best on?")
    assert "Yann LeCun" in rewritten


def test_a_follow_up_in_another_language_goes_to_the_rewriter() -> None:
    from assistant.understand.condense import plainly_standalone

    assert not plainly_standalone("Und was bedeutet das Wort „deep“ bei ihm genau in diesem Artikel?")
    assert plainly_standalone("What did Andrew Ng say about supervised learning at ExtractConf?")
    assert not plainly_standalone("in simpler words?")


def test_a_model_rewrite_must_resolve_the_follow_up_from_the_earlier_questions() -> None:
    from assistant.understand.condense import checked_rewrite

    earlier = "the research director gave a talk at a national lab in 2016, right?"
    # "it" replaced by words the conversation never used: a guess, not a resolution.
    assert checked_rewrite("what was it called?", "What was the course material called?", earlier) is None
    assert checked_rewrite("what was it called?", "What was the talk called?", earlier) == (
        "What was the talk called?"
    )
    # A name filled in, but the follow-up's "that" still points back to nothing.
    asked = "someone in the comments asked if fast internet lets these algorithms learn everything alone"
    assert (
        checked_rewrite(
            "what did jason say back to that?", "What did Jason Brownlee say back to that?", asked
        )
        is None
    )
