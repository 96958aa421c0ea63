"""Interview transcripts: which paragraphs are the interviewer's questions, which the interviewee's answers.

Two layouts: turns marked "Q:" / "A:", and questions set off by layout alone (a paragraph or heading that
is a question to "you", each followed by an answer in the first person). Only the page's structure decides;
who answers is the caller's to say (the person the introduction names).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# A turn marked "Q:" or "A:" (also bold, or "Q." / "A)").
QA_RE = re.compile(r"(?:\*\*|__)?(?P<turn>[QA])(?:\*\*|__)?\s*[:.)]\s*(?:\*\*|__)?\s*(?P<rest>\S)")
I_RE = re.compile(r"\b(?:I|I’m|I'm|I’ve|I've|my|me)\b")
_YOU_RE = re.compile(r"\b(?:you|your|yours)\b", re.IGNORECASE)
_QUESTION_END_RE = re.compile(r"\?[\"”’)*_]*$")
MIN_MARKED = 2  # "Q:" and "A:" turns each
MIN_LAYOUT = 3  # questions set off by layout, each answered
SHARE = 0.6  # of the questions addressed to "you", and of the answers in the first person
MAX_QUESTION_WORDS = 60


@dataclass(frozen=True)
class Transcript:
    """The turns of an interview, by paragraph index."""

    first: int  # the first question: the paragraphs before it introduce the interview
    questions: frozenset[int]
    answers: dict[int, tuple[int, int]]  # first paragraph -> (last paragraph, where its words start)
    marked: bool = True  # turns marked "Q:"/"A:" (else questions set off by layout alone)

    def covers(self, index: int) -> bool:
        """Whether the paragraph is part of an answer."""
        return any(start <= index <= end for start, (end, _) in self.answers.items())


def find_transcript(
    texts: Sequence[str], headings: Sequence[bool], plain: Sequence[bool], continues: Callable[[str], bool]
) -> Transcript | None:
    """The page's interview, if it is one. ``headings[i]``: paragraph ``i`` is a heading; ``plain[i]``: it
    is ordinary text (not a heading, code or a block quote); ``continues(text)``: a paragraph goes on with
    the answer before it."""
    return _marked(texts, headings, plain, continues) or _by_layout(texts, headings, plain, continues)


def _marked(
    texts: Sequence[str], headings: Sequence[bool], plain: Sequence[bool], continues: Callable[[str], bool]
) -> Transcript | None:
    """Turns marked "Q:"/"A:" (a question may be set as a heading); an answer runs on over the paragraphs
    after it that read as its own."""
    turns = {n: m for n, text in enumerate(texts) if (plain[n] or headings[n]) and (m := QA_RE.match(text))}
    questions = [n for n, m in turns.items() if m.group("turn").upper() == "Q"]
    answers = [n for n, m in turns.items() if m.group("turn").upper() == "A" and plain[n]]
    if len(questions) < MIN_MARKED or len(answers) < MIN_MARKED:
        return None
    if not any(I_RE.search(texts[n]) for n in answers):
        return None  # a FAQ answers in no one's own voice
    spans = {}
    for n in answers:
        end = n
        while end + 1 < len(texts) and plain[end + 1] and end + 1 not in turns and continues(texts[end + 1]):
            end += 1
        spans[n] = (end, turns[n].start("rest"))
    return Transcript(min(turns), frozenset(questions), spans)


def is_question(text: str) -> bool:
    """A paragraph set off as a question: one line, at most MAX_QUESTION_WORDS words, ending in "?"."""
    words = text.split()
    return (
        "\n" not in text.strip()
        and 0 < len(words) <= MAX_QUESTION_WORDS
        and bool(_QUESTION_END_RE.search(text))
    )


def _by_layout(
    texts: Sequence[str], headings: Sequence[bool], plain: Sequence[bool], continues: Callable[[str], bool]
) -> Transcript | None:
    """Questions set off as paragraphs or headings of their own, each followed by its answer: at least
    three, most of them to "you" and not in the first person, most answers in the first person. An answer
    runs on to the next question; the last one only over paragraphs that read as its own."""
    questions = [n for n, text in enumerate(texts) if (plain[n] or headings[n]) and is_question(text)]
    answered = [n for n in questions if n + 1 < len(texts) and plain[n + 1] and n + 1 not in questions]
    if len(answered) < MIN_LAYOUT:
        return None
    to_you = sum(1 for n in answered if _YOU_RE.search(texts[n]) and not I_RE.search(texts[n]))
    in_first_person = sum(1 for n in answered if I_RE.search(texts[n + 1]))
    if to_you < SHARE * len(answered) or in_first_person < SHARE * len(answered):
        return None
    spans = {}
    for k, n in enumerate(answered):
        final = k + 1 == len(answered)
        stop = len(texts) if final else answered[k + 1]
        end = n + 1
        while end + 1 < stop and plain[end + 1] and end + 1 not in questions:
            if final and not continues(texts[end + 1]):
                break
            end += 1
        spans[n + 1] = (end, 0)
    return Transcript(questions[0], frozenset(questions), spans, marked=False)
