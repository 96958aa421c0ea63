"""Whether a passage answers a question, judged by the local model: one yes/no per passage, cached.

Used only where retrieval scores cannot decide: the best passages are close to the question but share
few of its words (a paraphrase, a question asked indirectly). A similarity threshold declines those;
the model, asked narrowly about one passage at a time, recognises an answer given in other words.
The instructions are fixed and come first, so their tokens stay in the model's KV cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol

from assistant.models.llm import ChatModel, asks_yes
from assistant.records import Passage
from assistant.writing.present import for_model
from assistant.writing.prompt import defang, excerpt

CACHE_SIZE = 4096

ANSWERS_SYSTEM = (
    "You check search results for a student's question about a course article and its reader "
    "discussion. You are given the question and one passage. Answer yes if the passage gives what the "
    "question asks for, or part of it, even in other words than the question's. Answer no if the passage "
    "is only about a related topic, or only asks or repeats the question. Answer with one word: yes or no."
)
ASKED = "Does the passage give what the question asks for?"
ANSWERS_QUESTION = 'Question: "{question}"\n\nPassage ({who}): "{passage}"\n\n' + ASKED


class RelevanceJudge(Protocol):
    """Decides whether passages answer a question."""

    def answers(self, question: str, passage: Passage) -> bool: ...


class ModelRelevanceJudge:
    """The local model's yes/no, remembered per (question, passage) for the life of the process."""

    def __init__(self, llm: ChatModel, cache_size: int = CACHE_SIZE) -> None:
        self._llm = llm
        self._cache: OrderedDict[tuple[str, str], bool] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self.calls = 0

    def answers(self, question: str, passage: Passage) -> bool:
        key = (" ".join(question.lower().split()), passage.chunk_id)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        verdict = self._ask(question, passage)
        with self._lock:
            self._cache[key] = verdict
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return verdict

    def _ask(self, question: str, passage: Passage) -> bool:
        text = defang(excerpt(passage.text, question))
        self.calls += 1
        asked = ANSWERS_QUESTION.format(question=question, who=for_model(passage), passage=text)
        return asks_yes(self._llm, ANSWERS_SYSTEM, asked)


def first_answering(judge: RelevanceJudge, question: str, candidates: Sequence[Passage]) -> Passage | None:
    """The first candidate (in retrieval order) the judge says answers the question."""
    for passage in candidates:
        if judge.answers(question, passage):
            return passage
    return None
