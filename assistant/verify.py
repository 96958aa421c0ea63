"""Claims checked for meaning: each answer sentence is kept only if its cited source says it.

Shared words are not enough (a sentence can reuse a source's words and say the opposite). No
entailment model ships with its weights on the package registries here, so the local model judges,
with a constrained yes/no question per sentence. The question continues the answer's own chat
(prompt, sources, the answer just written), so llama.cpp reuses that whole prefix from its KV cache
and each judgement costs only the few tokens of the question (docs/quality.md has its precision,
recall and cost).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from llama_index.core.llms import ChatMessage, MessageRole

from assistant.llm import ChatModel

VERDICT_TOKENS = 2
_YES = re.compile(r"^\W*yes\b", re.IGNORECASE)

JUDGE_QUESTION = (
    "Check one sentence of your answer against source [{n}] alone.\n"
    'Sentence: "{sentence}"\n'
    "Does source [{n}] itself state this? A reader's question is not a statement, and the sentence "
    "must not add to or contradict the source. Answer yes or no."
)


@dataclass(frozen=True)
class Claim:
    """One answer sentence and the number (1-based, as in the prompt) of the source it cites."""

    sentence: str
    source: int


class ClaimVerifier(Protocol):
    """Decides whether cited sources support answer sentences."""

    def supported(self, prompt: Sequence[ChatMessage], answer: str, claims: Sequence[Claim]) -> list[bool]:
        """One verdict per claim; `prompt` and `answer` are the chat that produced the sentences."""
        ...


class ModelVerifier:
    """The answering model as judge: a yes/no question per sentence, continuing the answer's chat."""

    def __init__(self, llm: ChatModel) -> None:
        self._llm = llm

    def supported(self, prompt: Sequence[ChatMessage], answer: str, claims: Sequence[Claim]) -> list[bool]:
        return [self._judge(prompt, answer, claim) for claim in claims]

    def _judge(self, prompt: Sequence[ChatMessage], answer: str, claim: Claim) -> bool:
        messages = [
            *prompt,
            ChatMessage(role=MessageRole.ASSISTANT, content=answer),
            ChatMessage(
                role=MessageRole.USER, content=JUDGE_QUESTION.format(n=claim.source, sentence=claim.sentence)
            ),
        ]
        reply = "".join(
            chunk.delta or ""
            for chunk in self._llm.stream_chat(messages, max_tokens=VERDICT_TOKENS, temperature=0.0)
        )
        return bool(_YES.match(reply))
