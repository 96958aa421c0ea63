"""Test fakes with the same public surface as the real parts (no MagicMock for models).

``FakeLLM`` answers from a queue of canned replies (or a function of the messages), streams them
word by word and records every request in ``.calls``, so tests can assert on the exact prompts.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from llama_index.core.llms import ChatMessage
from pydantic import Field, PrivateAttr

from assistant.models.llm import ExpertLLM, GenerationTimings, to_openai_messages
from assistant.records import Passage
from index.vocabulary import ChunkKind

Reply = str | BaseException
ReplyFunction = Callable[[list[ChatMessage]], Reply]


@dataclass(frozen=True)
class FakeCall:
    """One request the fake received."""

    messages: list[dict[str, str]]  # {"role", "content"}, as a chat template would see them
    kwargs: dict[str, Any]

    @property
    def prompt(self) -> str:
        """All message contents joined, for simple ``in`` assertions."""
        return "\n\n".join(m["content"] for m in self.messages)

    @property
    def system(self) -> str | None:
        return next((m["content"] for m in self.messages if m["role"] == "system"), None)

    @property
    def user(self) -> str | None:
        return next((m["content"] for m in reversed(self.messages) if m["role"] == "user"), None)


class FakeLLM(ExpertLLM):
    """Canned replies, recorded prompts, word-by-word streaming; tokens = whitespace words.

    ``replies`` is a sequence used in order (then ``default_reply`` forever) or a function of the
    messages. A reply that is an exception instance is raised when the stream starts, to test how
    callers handle a failing model.
    """

    label: str = Field("fake")
    default_reply: str = Field("OK")

    _queue: deque[Reply] = PrivateAttr(default_factory=deque)
    _reply_fn: ReplyFunction | None = PrivateAttr(default=None)
    _calls: list[FakeCall] = PrivateAttr(default_factory=list)

    def __init__(self, replies: Iterable[Reply] | ReplyFunction | None = None, **data: Any) -> None:
        super().__init__(**data)
        if callable(replies):
            self._reply_fn = replies
        elif replies is not None:
            self._queue.extend(replies)

    @classmethod
    def class_name(cls) -> str:
        return "expert_fake"

    @property
    def calls(self) -> list[FakeCall]:
        return self._calls

    @property
    def prompts(self) -> list[str]:
        return [call.prompt for call in self._calls]

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def count_prompt_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return sum(self.count_tokens(m["content"]) for m in to_openai_messages(messages))

    def _generate(self, messages: list[ChatMessage], **kwargs: Any) -> Generator[str, None, None]:
        # Recorded (and the reply chosen) at call time, even if the stream is never read.
        self._calls.append(FakeCall(messages=to_openai_messages(messages), kwargs=dict(kwargs)))
        if self._reply_fn is not None:
            reply = self._reply_fn(list(messages))
        else:
            reply = self._queue.popleft() if self._queue else self.default_reply
        max_tokens = kwargs.get("max_tokens")
        return self._stream(reply, self.count_prompt_tokens(messages), max_tokens)

    def _stream(self, reply: Reply, prompt_tokens: int, max_tokens: int | None) -> Generator[str, None, None]:
        start = time.perf_counter()
        if isinstance(reply, BaseException):
            raise reply
        words = re.findall(r"\s*\S+", reply)
        if max_tokens:
            words = words[:max_tokens]
        first: float | None = None
        try:
            for word in words:
                if first is None:
                    first = time.perf_counter() - start
                yield word
        finally:
            total = time.perf_counter() - start
            self._last_timings = GenerationTimings(
                prompt_tokens=prompt_tokens,
                cached_prompt_tokens=0,
                queue_s=0.0,
                first_token_s=total if first is None else first,
                generated_tokens=len(words),
                total_s=total,
            )


def quote_passage(n: int, text: str, speaker: str, **fields: Any) -> Passage:
    """A retrieved expert quote for logic tests: rank `n`, chunk id `q<n>`, other fields as given."""
    return Passage(
        rank=n,
        kind=ChunkKind.EXPERT_QUOTE,
        text=text,
        score=fields.pop("score", 0.5),
        document=fields.pop("document", "page.txt"),
        char_start=n * 100,
        char_end=n * 100 + len(text),
        chunk_id=f"q{n}",
        speaker=speaker,
        **fields,
    )
