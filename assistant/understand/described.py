"""A person described instead of named: "the Coursera guy who started Google's brain project - what does he
say ...?" is about the one person the page introduces with those words.

Students often describe an expert by role or affiliation rather than by name. The page's own sentences
that introduce a person ("Andrew Ng from Coursera and Chief Scientist at Baidu Research formally founded
Google Brain ...") are the description; the question is about that person when it refers to someone (a
personal pronoun, or "<noun> who ...") and one retrieved article sentence shares most of its rare words
with the question and names exactly one person the index knows. Then the name is added to what is
searched and asked, so the person's own words are found and come first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.records import Passage
from assistant.text import NAME_RUN, content_stems
from index.text import sentence_texts
from index.vocabulary import ChunkKind

# Grammar, not vocabulary of any page: a personal pronoun, a noun phrase followed by "who", or a noun
# phrase of two words or more opened by "the" before a verb of saying or thinking or a possessive ("the IDC
# analyst's view", "what does the google senior fellow guy say"; "the article says" is one word).
_SAYS = (
    r"say|says|said|think|thinks|thought|believe|believes|feel|feels|recommend|recommends|suggest|suggests"
)
_REFERS_TO_SOMEONE = re.compile(
    r"\b(?:he|him|his|she|her|hers)\b|\w\s+who\b"
    rf"|\bthe\s+(?:[\w-]+\s+){{1,6}}?[\w-]+(?:\s+(?:{_SAYS})\b|(?:'s|’s)\s)",
    re.IGNORECASE,
)
ARTICLE_PASSAGES = 5  # the best retrieved article passages whose sentences may describe the person
MIN_SHARED = 2  # rare question words the describing sentence must hold
MIN_DESCRIBED = 0.3  # their weighted share of the question's words


def refers_to_someone(question: str) -> bool:
    return bool(_REFERS_TO_SOMEONE.search(question))


def described_person(
    question: str,
    passages: Sequence[Passage],
    is_person: Callable[[str], bool],
    weight: Callable[[str], float],
) -> str | None:
    """The name of the one person the best-matching article sentence introduces, or None.
    `is_person`: whether a name is a person the index knows (on the student's page)."""
    if not refers_to_someone(question) or is_person(question):
        return None
    stems = set(content_stems(question))
    total = sum(weight(s) for s in stems)
    if not total:
        return None
    best: tuple[float, str | None] = (0.0, None)
    for sentence, name in _descriptions(passages, is_person):
        shared = stems & set(content_stems(sentence))
        score = sum(weight(s) for s in shared) / total
        if len(shared) >= MIN_SHARED and score > best[0]:
            best = (score, name)
    return best[1] if best[0] >= MIN_DESCRIBED else None


def _descriptions(passages: Sequence[Passage], is_person: Callable[[str], bool]) -> list[tuple[str, str]]:
    """Sentences that introduce one person, with that person's name: an article sentence naming exactly
    one known person, and a quote's own attribution ("..., said Jane Roe, a professor at X"), whose
    speaker is known from the parse."""
    found = []
    for passage in [p for p in passages if p.kind == ChunkKind.ARTICLE][:ARTICLE_PASSAGES]:
        for sentence in sentence_texts(passage.text):
            names = {run for run in NAME_RUN.findall(sentence) if len(run.split()) > 1 and is_person(run)}
            if len(names) == 1:
                found.append((sentence, names.pop()))
    for passage in [p for p in passages if p.kind == ChunkKind.EXPERT_QUOTE][:ARTICLE_PASSAGES]:
        attribution = (passage.lead_in or "").replace(passage.text.rstrip(".,!?;: "), " ")
        if passage.speaker and any(part in attribution for part in passage.speaker.split()[1:]):
            found.append((attribution, passage.speaker))
    return found
