"""Batched decoding (model.batch_size > 1) on the real bundled model: the same text as one request at a
time, concurrent streams, a cancelled stream freeing its sequence, each family's prefix kept."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from llama_index.core.llms import ChatMessage, MessageRole

from assistant.models.factory import load_llm
from assistant.models.llama_cpp import LlamaCppLLM
from assistant.settings import ModelSettings

pytestmark = pytest.mark.model

BATCH = 3
SYSTEM = "You are a helpful assistant. Answer in as few words as possible."
PROMPTS = [
    "Reply with the word OK.",
    "List the numbers from 1 to 5, separated by commas.",
    "What is the capital of France?",
]


def msgs(system: str, user: str) -> list[ChatMessage]:
    return [
        ChatMessage(role=MessageRole.SYSTEM, content=system),
        ChatMessage(role=MessageRole.USER, content=user),
    ]


def wait_until(condition: Callable[[], bool], timeout_s: float = 300) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


@pytest.fixture(scope="module")
def batched_llm(model_home: Path) -> LlamaCppLLM:
    llm = load_llm(ModelSettings(batch_size=BATCH), model_home / "models", progress=False)
    assert isinstance(llm, LlamaCppLLM) and llm._loaded.decoder is not None
    return llm


def text_of(llm: LlamaCppLLM, user: str, system: str = SYSTEM, max_tokens: int = 12) -> str:
    return "".join(c.delta or "" for c in llm.stream_chat(msgs(system, user), max_tokens=max_tokens))


def test_batched_text_equals_one_at_a_time(real_llm: LlamaCppLLM, batched_llm: LlamaCppLLM) -> None:
    text_of(real_llm, "Hi", max_tokens=1)  # both with the prefix cached, as in use
    text_of(batched_llm, "Hi", max_tokens=1)
    alone = [text_of(real_llm, p) for p in PROMPTS]
    together: dict[int, str] = {}
    threads = [
        threading.Thread(target=lambda i=i: together.__setitem__(i, text_of(batched_llm, PROMPTS[i])))
        for i in range(len(PROMPTS))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [together[i] for i in range(len(PROMPTS))] == alone
    assert "OK" in alone[0].upper() and "Paris" in alone[2]


def test_concurrent_streams_complete_and_a_cancelled_one_frees_its_sequence(batched_llm: LlamaCppLLM) -> None:
    decoder = batched_llm._loaded.decoder
    assert decoder is not None
    streams = [
        batched_llm.stream_chat(msgs(SYSTEM, f"Count from 1 to 30 ({i})."), max_tokens=24) for i in range(3)
    ]
    firsts = [next(s).delta for s in streams]  # all three are live
    assert all(firsts)
    streams[0].close()  # a student pressed Stop
    assert wait_until(lambda: decoder.live_count() <= 2)
    rest = ["".join(c.delta or "" for c in s) for s in streams[1:]]
    assert all(len(firsts[i + 1] + text) > 10 for i, text in enumerate(rest))
    assert wait_until(lambda: decoder.live_count() == 0)
    assert sorted(decoder._free_seqs) == list(range(decoder.max_families, decoder.max_families + BATCH))


def test_prefix_of_one_family_survives_a_call_of_another(batched_llm: LlamaCppLLM) -> None:
    decoder = batched_llm._loaded.decoder
    assert decoder is not None
    answer = f"[answers {time.time_ns()}] You answer questions about a course page. " * 3
    judge = f"[judge {time.time_ns()}] You check facts. Answer yes or no. " * 3
    text_of(batched_llm, "What decides speed?", answer, max_tokens=2)
    text_of(batched_llm, "Is the sky green?", judge, max_tokens=2)
    judged = batched_llm.last_timings
    text_of(batched_llm, "Which passages may you use?", answer, max_tokens=2)
    warm = batched_llm.last_timings
    assert judged is not None and warm is not None
    assert judged.cached_prompt_tokens == 0  # a new family starts cold ...
    assert warm.cached_prompt_tokens >= batched_llm.count_tokens(answer)  # ... and evicted nothing
    assert warm.evaluated_prompt_tokens < 20
