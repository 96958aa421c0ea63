"""Claims checked for meaning: each answer sentence is kept only if its cited source says it.

Shared words are not enough (a sentence can reuse a source's words and say the opposite). No
entailment model ships with its weights on the package registries here (docs/quality.md lists the
packages checked), so the check has two steps:

1. in code: the sentence's claim, its framing ("In the discussion, X replied to a reader that")
   taken off, restates the source nearly word for word, with the same negations: supported;
2. otherwise the local model judges, with a yes/no question about the claim and the source alone.

Attribution (who said it) is checked in code before this (assistant/checks/citations.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from assistant.models.llm import ChatModel, asks_yes
from assistant.text import CITATION_MARK, content_stems, sentence_spans, words
from assistant.tuning import RESTATED
from assistant.writing.present import opening_patterns

_SPEECH = (
    "replied|replies|said|says|wrote|writes|explained|explains|noted|notes|commented|comments|stated|states"
    "|suggested|suggests|added|answered|described|describes|argued|argues|believes|thinks"
)
_AFTER_FRAMING = r"(?:\s+that|\s*:|\s*,)?\s*"
# Any "<someone> <speech verb> (to a reader) (that)", the model's words or ours; then the product's
# own openings (assistant/writing/present.py) as they are worded there, so a change of their wording is
# stripped too.
_FRAMING = re.compile(
    r"^(?:in the (?:discussion|article|comments)\s*,\s*)?"
    rf"(?:[^,.;:]{{0,80}}?\b(?:{_SPEECH})\b(?:\s+to\s+(?:a|the)\s+reader)?{_AFTER_FRAMING})"
    rf"|^(?:{'|'.join(opening_patterns())}){_AFTER_FRAMING}",
    re.IGNORECASE,
)
_NEGATION = frozenset(
    {"not", "no", "never", "cannot", "can't", "don't", "doesn't", "isn't", "won't", "nor", "without"}
)

# General English antonyms: a restatement that swaps one for the other reverses its source. Words
# negated by a prefix ("useful", "unuseful"; "linear", "nonlinear") are paired in code (`_prefix_opposites`).
OPPOSITES: tuple[tuple[str, str], ...] = (
    ("more", "less"),
    ("better", "worse"),
    ("good", "bad"),
    ("increase", "decrease"),
    ("increases", "decreases"),
    ("large", "small"),
    ("larger", "smaller"),
    ("complex", "simple"),
    ("easy", "hard"),
    ("easier", "harder"),
    ("fast", "slow"),
    ("faster", "slower"),
    ("high", "low"),
    ("higher", "lower"),
    ("always", "never"),
    ("all", "none"),
    ("useful", "useless"),
    ("possible", "impossible"),
    ("can", "cannot"),
    ("will", "won't"),
    ("does", "doesn't"),
    ("is", "isn't"),
    ("are", "aren't"),
)

_OPPOSITE = {a: b for pair in OPPOSITES for a, b in (pair, pair[::-1])}

JUDGE_SYSTEM = (
    "You check facts. You are given a source text and a statement. Answer yes if the source text says "
    "what the statement says, and no if the statement adds to it, changes it or contradicts it. "
    "Answer with one word: yes or no."
)
JUDGE_QUESTION = 'Source text: "{source}"\n\nStatement: "{claim}"\n\nDoes the source text say this?'


@dataclass(frozen=True)
class Claim:
    """One answer sentence and the number (1-based, as in the prompt) of the source it cites."""

    sentence: str
    source: int


class ClaimVerifier(Protocol):
    """Decides whether cited sources support answer sentences."""

    def supported(self, sources: Sequence[str], claims: Sequence[Claim]) -> list[bool]:
        """One verdict per claim; `sources` are the cited passages' texts, numbered from 1."""
        ...


_NUMBER = re.compile(r"\d+")


def numbers(text: str) -> set[str]:
    """The digit runs of a text ("1.24.1" -> 1, 24), citation markers aside, leading zeros dropped."""
    return {n.lstrip("0") or "0" for n in _NUMBER.findall(CITATION_MARK.sub(" ", text))}


# A question whose answer is a quantity, an age, a date or a time (English grammar, no page's words).
_ASKS_FOR_A_NUMBER = re.compile(
    r"\bhow\s+(?:many|much|old|long|far|often|big|large|fast|high|tall|soon)\b|\bwhen\b"
    r"|\b(?:what|which)\s+(?:year|date|day|month|time|age|percentage|share|number|amount|price)\b",
    re.IGNORECASE,
)


def asks_for_a_number(question: str) -> bool:
    return bool(_ASKS_FOR_A_NUMBER.search(question))


def new_numbers(sentence: str, context: Sequence[str]) -> set[str]:
    """Numbers a claim states that neither its source nor its context (who said it where, the question)
    holds: an invented year, amount or version. Checked in code, before the judge, which misses them."""
    known = set().union(*(numbers(text) for text in context))
    return numbers(claim_core(sentence)) - known


def claim_core(sentence: str) -> str:
    """The claim without its framing: "Jeff Dean said that deep means layers" -> "deep means layers"."""
    core = _FRAMING.sub("", sentence.strip(), count=1).strip(" \"“”'")
    return core or sentence


# A reply that opens by answering the reader ("No, ...", "Not quite, ...") negates the reader's words,
# not the sentence that follows.
_REPLY_OPENER = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:no|nope|not quite|not really|not exactly)\s*[,.!:;-]\s*", re.I
)


def _negations(text: str) -> set[str]:
    return {w for w in words(text) if w in _NEGATION or w.endswith("n't")}


def _in_order(stems: list[str], source_stems: list[str]) -> float:
    """Share of `stems` found in `source_stems`, in the same order."""
    position, found = 0, 0
    for stem in stems:
        try:
            position = source_stems.index(stem, position) + 1
            found += 1
        except ValueError:
            continue
    return found / len(stems) if stems else 0.0


def _matching_sentences(claim: str, source: str) -> str:
    """The source sentence that holds most of the claim's words, plus any other that adds two or more."""
    stems = set(content_stems(claim))
    sentences = [(source[a:b], stems & set(content_stems(source[a:b]))) for a, b in sentence_spans(source)]
    if not sentences:
        return source
    best_text, best = max(sentences, key=lambda pair: len(pair[1]))
    extra = [text for text, shared in sentences if text != best_text and len(shared - best) >= 2]
    return " ".join([best_text, *extra])


NEGATING_PREFIXES = ("un", "non", "non-")
MIN_PREFIXED_STEM = 5  # "unless" is not the opposite of "less"


def _prefix_opposites(claim_words: set[str], source_words: set[str]) -> bool:
    """A word of one side is the other side's word with a negating prefix ("supervised", "unsupervised")."""

    def negated(a: set[str], b: set[str]) -> bool:
        return any(
            w.startswith(p)
            and len(w) - len(p) >= MIN_PREFIXED_STEM
            and w[len(p) :] in b
            and w[len(p) :] not in a
            for w in a - b
            for p in NEGATING_PREFIXES
        )

    return negated(claim_words, source_words) or negated(source_words, claim_words)


def _flips(claim: str, source: str) -> bool:
    """The claim reverses its source: a negation added or dropped, or a word swapped for its opposite.
    Compared with the source's sentences that share the claim's words, not the whole passage."""
    near = _REPLY_OPENER.sub("", _matching_sentences(claim, source))
    claim_neg, source_neg = _negations(_REPLY_OPENER.sub("", claim)), _negations(near) - {"no"}
    if claim_neg != source_neg and not (claim_neg <= source_neg | {"no"} and source_neg <= claim_neg):
        return True
    claim_words, source_words = set(words(claim)), set(words(near))
    return _prefix_opposites(claim_words, source_words) or any(
        a in claim_words and b in source_words and b not in claim_words and a not in source_words
        for a, b in _OPPOSITE.items()
    )


def assess(claim: str, source: str) -> bool | None:
    """True: the claim restates its source; False: it restates it reversed; None: ask the judge."""
    source_words = set(words(source))
    # Read a swapped opposite as its source word, so a one-word reversal still lines up with the source.
    aligned = " ".join(_counterpart(w, source_words) for w in words(claim))
    stems, source_stems = content_stems(aligned), content_stems(source)
    if not stems or _in_order(stems, source_stems) < RESTATED:
        return None
    if _flips(claim, source):
        return False
    # Any other word put in place of the source's ("deep" -> "shallow") is for the judge to read.
    return None if _swapped(stems, source_stems) else True


def _counterpart(word: str, source_words: set[str]) -> str:
    """The source's word that `word` is the opposite of, if the source has it; else `word`."""
    if _OPPOSITE.get(word) in source_words:
        return _OPPOSITE[word]
    for prefix in NEGATING_PREFIXES:
        if word.startswith(prefix) and word[len(prefix) :] in source_words:
            return word[len(prefix) :]
        if prefix + word in source_words:
            return prefix + word
    return word


def _swapped(stems: list[str], source_stems: list[str]) -> bool:
    """A claim word that is not in the source stands where the source has a word the claim lacks."""
    matched: list[int | None] = []
    position = 0
    for stem in stems:
        try:
            position = source_stems.index(stem, position) + 1
            matched.append(position - 1)
        except ValueError:
            matched.append(None)
    for i, found in enumerate(matched):
        if found is not None:
            continue
        before = next((m for m in reversed(matched[:i]) if m is not None), -1)
        after = next((m for m in matched[i + 1 :] if m is not None), before + 2)
        if before + 1 < min(after, len(source_stems)):
            return True
    return False


def restates(claim: str, source: str) -> bool:
    """The claim's content words appear in the source in order, with the same sense."""
    return assess(claim, source) is True


class ModelVerifier:
    """Restatements pass in code; the model judges every other claim against its source alone."""

    def __init__(self, llm: ChatModel) -> None:
        self._llm = llm

    def supported(self, sources: Sequence[str], claims: Sequence[Claim]) -> list[bool]:
        return [self.judge(claim_core(c.sentence), sources[c.source - 1]) for c in claims]

    def judge(self, claim: str, source: str) -> bool:
        decided = assess(claim, source)
        if decided is not None:
            return decided
        return asks_yes(self._llm, JUDGE_SYSTEM, JUDGE_QUESTION.format(source=source, claim=claim))
