"""Answers in languages the answering model cannot write: the checked answer's quotes, verbatim in
English, each introduced by a hand-written phrase in the student's language.

The bundled 1.5B model reads Hindi and Hinglish questions well enough to translate them into English
for search, but what it writes in those languages is garbled (Hindi) or stays English (Hinglish), as
README.md says. A wrong translation of a right answer is a wrong answer, so for the languages in
`model.quote_only_languages` the student gets who said what, framed in their language, with the words
themselves quoted as they stand in the material.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.records import Citation
from index.vocabulary import CommentRole, SourceKind


@dataclass(frozen=True)
class Phrases:
    """How one language introduces each kind of source; `{who}` is the person's name."""

    said: dict[SourceKind, str]
    not_answered: str  # a reader asked this, and the author's reply deflected (quoted, not judged)
    quotes_in_english: str
    not_covered: str
    closest: str  # followed by the closest topics the material does cover (in English)
    someone: str  # the name used when a source names nobody


PHRASEBOOKS: dict[str, Phrases] = {
    "Hindi": Phrases(
        said={
            SourceKind.EXPERT_QUOTE: "{who} ने कहा:",
            SourceKind.ARTICLE: "लेख में लिखा है:",
            SourceKind.AUTHOR_REPLY: "चर्चा में {who} ने एक पाठक के सवाल का जवाब दिया:",
            SourceKind.READER_COMMENT: "चर्चा में एक पाठक, {who}, की राय:",
            SourceKind.INSTRUCTOR_ANSWER: "पाठ्यक्रम के शिक्षक ने जवाब दिया:",
        },
        not_answered="एक पाठक ने चर्चा में यह पूछा था। {who} ने लिखा:",
        quotes_in_english="(उद्धरण मूल अंग्रेज़ी में हैं।)",
        not_covered="पाठ्य सामग्री में इसका उत्तर नहीं है।",
        closest="सामग्री में इसके सबसे करीब:",
        someone="एक व्यक्ति",
    ),
    "Hinglish": Phrases(
        said={
            SourceKind.EXPERT_QUOTE: "{who} ne kaha:",
            SourceKind.ARTICLE: "Article mein likha hai:",
            SourceKind.AUTHOR_REPLY: "Discussion mein {who} ne ek reader ke sawaal ka jawab diya:",
            SourceKind.READER_COMMENT: "Discussion mein ek reader, {who}, ki raay:",
            SourceKind.INSTRUCTOR_ANSWER: "Course ke instructor ne jawab diya:",
        },
        not_answered="Ek reader ne discussion mein yeh poocha tha. {who} ne likha:",
        quotes_in_english="(Quotes original English mein hain.)",
        not_covered="Course material mein iska jawab nahi hai.",
        closest="Material mein iske sabse kareeb:",
        someone="koi",
    ),
}


def has_phrasebook(language: str) -> bool:
    return language in PHRASEBOOKS


def framed_answer(
    citations: Sequence[Citation], covered: bool, language: str, suggestions: Sequence[str] = ()
) -> str:
    """The answer as the cited quotes, each introduced in `language` (which must have a phrasebook)."""
    phrases = PHRASEBOOKS[language]
    if not covered or not citations:
        closest = f" {phrases.closest} {'; '.join(suggestions)}." if suggestions else ""
        return phrases.not_covered + closest
    lines: list[str] = []
    seen: set[int] = set()
    for citation in citations:
        if citation.n in seen:
            continue
        seen.add(citation.n)
        who = citation.who or phrases.someone
        if citation.role == CommentRole.NON_ANSWER.value:
            intro = phrases.not_answered
        else:
            intro = phrases.said[citation.source_kind]
        lines.append(f"{intro.format(who=who)} “{' '.join(citation.quote.split())}” [{citation.n}]")
    return "\n".join([*lines, phrases.quotes_in_english])
