"""The model seam: what the pipeline needs from a language model, and the base class that provides it.

``ChatModel`` is the Protocol callers type against. ``ExpertLLM`` is the shared LlamaIndex ``LLM``
base of every back end (in-process llama.cpp, an OpenAI-compatible server, the test fake in
``assistant.testing``): all stream, count tokens, enforce the prompt-token cap and record the
timings of their last call.
"""

from __future__ import annotations

import re
import threading
from abc import abstractmethod
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from llama_index.core.llms import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    CustomLLM,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from pydantic import Field, PrivateAttr

from assistant.errors import ModelError

__all__ = [
    "ChatModel",
    "ExpertLLM",
    "GenerationTimings",
    "PromptTooLongError",
    "asks_yes",
    "model_turn",
    "to_openai_messages",
]

_ROLES = {"system", "user", "assistant"}
# What a request must wait for before it reaches the model (a fair queue's "your turn"), if anything.
_TURN: ContextVar[Callable[[], None] | None] = ContextVar("model_turn", default=None)


@contextmanager
def model_turn(wait: Callable[[], None]) -> Iterator[None]:
    """Every model request made in this context (thread) first calls ``wait``, which returns when the
    request may run or raises to abandon it; the web app's queue (ui/queue.py) uses it."""
    token = _TURN.set(wait)
    try:
        yield
    finally:
        _TURN.reset(token)


class PromptTooLongError(ModelError):
    """A prompt is longer than ``model.max_prompt_tokens``; callers should budget with count_prompt_tokens."""


@dataclass(frozen=True)
class GenerationTimings:
    """What one request cost: for benchmarks, `expert-chat model check` and logs."""

    prompt_tokens: int
    cached_prompt_tokens: int  # reused from the KV cache (same prefix as the previous request)
    queue_s: float  # waiting for the model lock (another request was generating)
    first_token_s: float  # from the start of generation to the first streamed text
    generated_tokens: int
    total_s: float  # from the start of generation to the end, queue excluded

    @property
    def evaluated_prompt_tokens(self) -> int:
        return self.prompt_tokens - self.cached_prompt_tokens

    @property
    def prompt_tokens_per_s(self) -> float | None:
        """Prompt tokens actually evaluated per second of time-to-first-token."""
        if self.first_token_s <= 0 or self.evaluated_prompt_tokens <= 0:
            return None
        return self.evaluated_prompt_tokens / self.first_token_s

    @property
    def generation_tokens_per_s(self) -> float | None:
        """Tokens after the first one, per second after the first one arrived."""
        generation_s = self.total_s - self.first_token_s
        if self.generated_tokens < 2 or generation_s <= 0:
            return None
        return (self.generated_tokens - 1) / generation_s


@runtime_checkable
class ChatModel(Protocol):
    """What the answer pipeline needs from a language model: a name, streaming chat, token counts."""

    label: str

    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        """Stream the reply; each chunk carries the text so far and its ``delta``."""
        ...

    def count_prompt_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """Tokens of the full prompt these messages become, chat template included."""
        ...

    def warm_prefix(self, system_prompt: str) -> GenerationTimings | None:
        """Evaluate a fixed system prompt ahead of the first request (None when nothing was done)."""
        ...

    @property
    def requests(self) -> int:
        """Model requests made so far in this process."""
        ...


class ExpertLLM(CustomLLM):
    """Common surface of every model the app can use (a LlamaIndex LLM that satisfies ChatModel).

    Subclasses implement ``_generate`` (a generator of text deltas that records timings),
    ``count_tokens`` and ``count_prompt_tokens``; everything else is shared. Every call goes
    through the chat template: ``complete(prompt)`` sends the prompt as one user message.
    """

    label: str = Field("unknown", description="Human-readable model name.")
    context_window: int = Field(4096, description="Context size in tokens.")
    max_tokens: int = Field(220, description="Default cap on generated tokens.")
    max_prompt_tokens: int | None = Field(None, description="Refuse prompts longer than this.")
    temperature: float = Field(0.0)

    _last_timings: GenerationTimings | None = PrivateAttr(default=None)
    _requests: int = PrivateAttr(default=0)
    _requests_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def requests(self) -> int:
        """Model requests made so far (generations, judgements, warm-ups), for health and benchmarks."""
        return self._requests

    def _before_request(self) -> None:
        """Count the request, then wait for this context's turn at the model (see ``model_turn``)."""
        with self._requests_lock:
            self._requests += 1
        wait = _TURN.get()
        if wait is not None:
            wait()

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self.context_window,
            num_output=self.max_tokens,
            is_chat_model=True,
            model_name=self.label,
        )

    @property
    def last_timings(self) -> GenerationTimings | None:
        """Timings of the most recently finished request (None before the first)."""
        return self._last_timings

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Tokens in ``text`` alone (no chat-template overhead)."""

    @abstractmethod
    def count_prompt_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """Tokens of the full prompt these messages become, chat template included."""

    @abstractmethod
    def _generate(self, messages: list[ChatMessage], **kwargs: Any) -> Generator[str, None, None]:
        """Stream text deltas for ``messages``; set ``self._last_timings`` when done."""

    def warm_prefix(self, system_prompt: str) -> GenerationTimings | None:
        """Evaluate a fixed system prompt ahead of the first request (no-op unless local)."""
        return None

    def reset_cache(self) -> None:
        """Forget any cached prompt state (benchmarks); no-op unless local."""

    def check_prompt(self, messages: Sequence[ChatMessage]) -> int:
        """Count the prompt's tokens and refuse it when over ``max_prompt_tokens``."""
        n = self.count_prompt_tokens(messages)
        if self.max_prompt_tokens is not None and n > self.max_prompt_tokens:
            raise PromptTooLongError(
                f"the prompt has {n} tokens, over the cap of {self.max_prompt_tokens} "
                "(model.max_prompt_tokens); use fewer or shorter passages, or raise the cap"
            )
        return n

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        messages = list(messages)
        self.check_prompt(messages)
        self._before_request()
        text = "".join(self._generate(messages, **kwargs))
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        messages = list(messages)
        self.check_prompt(messages)  # eagerly, so an over-long prompt fails before streaming starts
        self._before_request()
        return self._chat_stream(self._generate(messages, **kwargs))

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        messages = [ChatMessage(role=MessageRole.USER, content=prompt)]
        self.check_prompt(messages)
        self._before_request()
        return CompletionResponse(text="".join(self._generate(messages, **kwargs)))

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        messages = [ChatMessage(role=MessageRole.USER, content=prompt)]
        self.check_prompt(messages)
        self._before_request()
        return self._completion_stream(self._generate(messages, **kwargs))

    @staticmethod
    def _chat_stream(deltas: Generator[str, None, None]) -> ChatResponseGen:
        text = ""
        try:
            for delta in deltas:
                text += delta
                yield ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta)
        finally:
            deltas.close()  # releases the model lock at once when the reader stops early

    @staticmethod
    def _completion_stream(deltas: Generator[str, None, None]) -> CompletionResponseGen:
        text = ""
        try:
            for delta in deltas:
                text += delta
                yield CompletionResponse(text=text, delta=delta)
        finally:
            deltas.close()


def to_openai_messages(messages: Sequence[ChatMessage]) -> list[dict[str, str]]:
    """Plain ``{"role", "content"}`` dicts, as chat templates and servers expect."""
    out = []
    for m in messages:
        role = m.role.value if isinstance(m.role, MessageRole) else str(m.role)
        if role == "developer":
            role = "system"
        out.append({"role": role if role in _ROLES else "user", "content": m.content or ""})
    return out


def with_examples(system: str, examples: Sequence[tuple[str, str]], message: str) -> list[ChatMessage]:
    """A fixed instruction and worked examples (the same prefix on every call, so the model's cache keeps
    it), then the one message of this call."""
    messages = [ChatMessage(role=MessageRole.SYSTEM, content=system)]
    for asked, answered in examples:
        messages += [
            ChatMessage(role=MessageRole.USER, content=asked),
            ChatMessage(role=MessageRole.ASSISTANT, content=answered),
        ]
    return [*messages, ChatMessage(role=MessageRole.USER, content=message)]


_YES = re.compile(r"^\W*yes\b", re.IGNORECASE)
VERDICT_TOKENS = 3


def asks_yes(llm: ChatModel, system: str, question: str) -> bool:
    """The model's one-word verdict on a narrow yes/no question (temperature 0, a few tokens)."""
    messages = [
        ChatMessage(role=MessageRole.SYSTEM, content=system),
        ChatMessage(role=MessageRole.USER, content=question),
    ]
    reply = "".join(
        chunk.delta or "" for chunk in llm.stream_chat(messages, max_tokens=VERDICT_TOKENS, temperature=0.0)
    )
    return bool(_YES.match(reply))
