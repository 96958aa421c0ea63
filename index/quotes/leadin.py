"""Lead-ins: whether a paragraph introduces a quote, who the speaker is, and which source and year."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.quotes.names import (
    NAME_TOKEN_RE,
    NON_NAME_WORDS,
    POSSESSIVE_RE,
    Name,
    People,
    join_names,
    name_candidates,
)
from index.text import LOW, PLURAL_PRONOUN_RE, QUOTED_RE, SING_PRONOUN_RE, UP, YEAR_RE, sentence_at, sentences
from index.vocabulary import ReferenceKind

_AND_RE = re.compile(r"\band\b|&")
_WITH_BEFORE_RE = re.compile(r"\bwith\s*$")
_LIST_JOINER_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|,?\s+and\s+|\s*&\s*)")
_COAUTHORED_WITH_RE = re.compile(r"(?:authored|written|wrote|published|together)\s+with\s*$")

# he/his: the current person; they/their: listed authors or the current person; a name; a list of
# names ("A, B and C published"); co-authors named after "with" (joined to the current person).

_SOURCE_NOUN = (
    r"(?:talks?|papers?|articles?|books?|textbooks?|reports?|lectures?|interviews?|keynotes?|presentations?"
    r"|slides|slide deck|blog posts?|posts?|essays?|thesis|chapters?|blogs?|tweets?|podcasts?|videos?"
    r"|speech|survey|review|studies|study|publications?|preprints?|seminars?|panels?|monographs?|letters?)"
)
_SOURCE_NOUN_RE = re.compile(rf"\b{_SOURCE_NOUN}\b", re.IGNORECASE)
_AFTER_SOURCE_NOUN_RE = re.compile(rf"\b{_SOURCE_NOUN}\s+$", re.IGNORECASE)
_TITLE_RE = re.compile(
    rf"(?:\b(?:titled|entitled)\s+(?:[a-z]+\s+)?|\b{_SOURCE_NOUN}\s+(?:(?:called|named)\s+)?)"
    r"[“\"](?P<title>[^“”\"\n]{1,200}?)[”“\"]",
    re.IGNORECASE,
)
# The source itself as the speaker: "The book goes on to describe ...".
_SOURCE_SUBJECT_RE = re.compile(
    rf"\b(?:the|this|that|same)\s+(?:[\w’'-]+\s+){{0,2}}{_SOURCE_NOUN}\s+(?:[\w’'-]+\s+){{0,3}}$",
    re.IGNORECASE,
)
_DEFINITE_SOURCE_RE = re.compile(
    rf"\b(?:the|this|that|these|those|same)\s+(?:[\w’'-]+\s+){{0,3}}?{_SOURCE_NOUN}\b|\bsame\b|\bIn it\b",
    re.IGNORECASE,
)
_NEW_SOURCE_RE = re.compile(
    rf"\b(?:a|an|another|one|his|her|their|its)\s+(?:[\w’'-]+\s+){{0,3}}?{_SOURCE_NOUN}\b", re.IGNORECASE
)
_SPEECH_VERB = (
    r"say|says|said|writes|wrote|written|comment|comments|commented|describes?|described|defines?|defined"
    r"|stated|explains?|explained|noted|remarks?|remarked|observes?|observed|argues?|argued|claims?|claimed"
    r"|emphasi[sz]es|emphasi[sz]ed|highlights?|highlighted|summari[sz]es|summari[sz]ed|concludes?|concluded"
    r"|mentions?|mentioned|suggests?|suggested|speaks?|spoke|spoken|tells?|told|answers?|answered|replies"
    r"|replied|adds|added|asserts?|asserted|declares?|declared|warns?|warned|recalls?|recalled|reiterated"
    r"|characteri[sz]es|characteri[sz]ed|puts it|put it|points? out|pointed out"
    r"|sums? it up|summed it up|summari[sz]ed it"
    r"|shouts?|shouted|yells?|yelled|screams?|screamed|exclaims?|exclaimed|whispers?|whispered"
    r"|(?:re)?assures?|(?:re)?assured"
    r"|(?:opens?|opened|closes?|closed|begins?|began|starts?|started) with|(?:goes|went) on to \w+"
)
SPEECH_RE = re.compile(
    rf"\b(?P<verb>{_SPEECH_VERB})\b"
    r"|\b(?P<noun>ma(?:de|kes?|king)\s+(?:an?\s+|the\s+|this\s+|that\s+)?(?:[\w-]+\s+){0,2}"
    r"(?:comments?|remarks?|points?|observations?|statements?|arguments?|case|claims?)"
    r"|(?:gives?|gave|provides?|provided|offers?|offered)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}"
    r"(?:definition|description|summary|explanation|answer)"
    r"|in (?:his|her|their) (?:own )?words)\b",
    re.IGNORECASE,
)
_DETERMINER_BEFORE_RE = re.compile(
    r"(?:\b(?:his|her|their|its|the|a|an|these|those|this|that|my|our|your|same)|[’']s)\s+$", re.IGNORECASE
)
_HABITUAL_RE = re.compile(
    r"\b(?:has|have|had|often|usually|frequently|always|sometimes|regularly|widely)\b", re.IGNORECASE
)
_PASSIVE_BEFORE_RE = re.compile(r"\b(?:is|are|was|were|be|been|gets?)\s+(?:\w+\s+)?$", re.IGNORECASE)
_CODE_SPAN_RE = re.compile(r"`[^`\n]+`")
_HEARSAY_AFTER_RE = re.compile(r"\s+to\s+(?:be|have)\b")
_NARRATION_START_RE = re.compile(
    r"^(?:Later|Elsewhere|Then|Next|Further|Finally|Afterwards|Subsequently|Again|Also)\b"
)
# The author talking about the source: "This is an important book ...", "The paper was widely cited".
ABOUT_SOURCE_RE = re.compile(
    rf"^(?:This|These|That|Those|Such)\s+(?:[\w’'-]+\s+){{0,6}}?"
    rf"(?:{_SOURCE_NOUN}|quote|quotation|definition|description|comment|statement|remark|explanation|summary"
    r"|overview|introduction|resource|read|reference|view|perspective)\b"
    r"|^The\s+(?:[\w’'-]+\s+){0,2}?(?:paper|book|talk|article|lecture|keynote|interview|slides|report)s?\b"
)
# ... or about the words just quoted: "I find this view compelling".
ABOUT_QUOTE_RE = re.compile(
    r"\b(?:(?:this|that|these|those|the above)(?:\s+(?:first|last|final|second|third|opening|closing))?"
    r"|the (?:first|last|final|second|third|opening|closing))\s+"
    r"(?:quotes?|quotations?|definitions?|descriptions?|remarks?|passages?"
    r"|excerpts?|statements?|views?|perspectives?|paragraphs?|lines?|sentences?|letters?)\b",
    re.IGNORECASE,
)
# Indirect speech: "commented that ...", "describes how ..." report the words instead of quoting them.
_CLAUSE_SPLIT_RE = re.compile(r"[,.;:]")
THEY_START_RE = re.compile(r"They\b")
_MONONYM_BEFORE_RE = re.compile(
    rf"(?<![\w’'.-])(?P<name>[{UP}][{LOW}]{{2,}})(?:\s+(?:once|famously|later|also|then|simply|reportedly))?\s+$"
)
# A speech word followed by a modal or an auxiliary is a noun, the subject ("New comments cannot be
# posted", "the remarks were"), not a verb after a name.
_AUXILIARY_AFTER_RE = re.compile(r"\s+(?:cannot|can|could|will|would|should|must|may|might|are|were)\b")
_REPORTED_AFTER_RE = re.compile(r"\s+(?:that|how|what|why|whether|when|where|if)\b")


@dataclass(frozen=True)
class Ref:
    """A reference to a possible speaker inside a lead-in."""

    pos: int
    kind: ReferenceKind
    names: tuple[str, ...] = ()
    word: str = ""  # the pronoun itself, for "sing" references


@dataclass(frozen=True)
class LeadIn:
    subject: Ref | None  # None: no person named ("Later the approach is described ...")
    refs: tuple[Ref, ...]
    title: str | None
    year: int | None
    definite: bool  # points back at an earlier source ("In the same article")
    new_source: bool  # names a fresh source without a title ("In a 2016 talk")
    key: tuple[int, int] | None = None  # the sentence that introduces the quote


def _mask_quoted(text: str) -> str:
    """Quoted titles, scare quotes and inline code (`assert!`) blanked (same length), so their words
    name no one and say nothing."""
    blank = QUOTED_RE.sub(lambda m: m.group()[0] + "~" * (len(m.group()) - 2) + m.group()[-1], text)
    return _CODE_SPAN_RE.sub(lambda m: "`" + "~" * (len(m.group()) - 2) + "`", blank)


def _speech_matches(masked: str) -> list[re.Match[str]]:
    """Speech verbs that introduce a quote: not reported speech, not a noun, not a habit."""
    found = []
    for match in SPEECH_RE.finditer(masked):
        before = masked[: match.start()]
        if match.group("verb"):
            if _REPORTED_AFTER_RE.match(masked[match.end() :]) or _AUXILIARY_AFTER_RE.match(
                masked[match.end() :]
            ):
                continue
            if _DETERMINER_BEFORE_RE.search(before):
                continue  # "his comments", "the description"
            clause = _CLAUSE_SPLIT_RE.split(before)[-1]
            if _HABITUAL_RE.search(clause):
                continue  # "he has written a lot about ..."
            if _PASSIVE_BEFORE_RE.search(before) and _HEARSAY_AFTER_RE.match(masked[match.end() :]):
                continue  # "X are said to be among ...": hearsay, no one's words
        found.append(match)
    return found


def speaker_refs(text: str, people: People) -> list[Ref]:
    """Possible speakers named in a sentence (quoted words blanked), in text order."""
    return _refs(_mask_quoted(text), people)


def person_names(text: str, people: People) -> list[Name]:
    """Full names of persons in ``text``, not titles ("her book Understanding Computers")."""
    candidates = name_candidates(text, people.lower_vocab)
    return [
        people.without_title(people.without_place(text, n))
        for n in candidates
        if not _AFTER_SOURCE_NOUN_RE.search(text[: n.start]) and not people.writes_lowered(n.name)
    ]


def _refs(masked: str, people: People) -> list[Ref]:
    """Pronouns, named persons and name lists in a lead-in, in text order."""
    refs: list[Ref] = []
    candidates = person_names(masked, people)
    names = [n for n in candidates if not POSSESSIVE_RE.match(masked[n.end :])]
    used: set[int] = set()
    # Lists of names: "A, B and C published ...", or co-authors "co-authored with A and B".
    i = 0
    while i < len(names):
        j = i
        while j + 1 < len(names) and _LIST_JOINER_RE.fullmatch(masked[names[j].end : names[j + 1].start]):
            j += 1
        if j > i and _AND_RE.search(masked[names[j - 1].end : names[j].start]):
            group = tuple(n.name for n in names[i : j + 1])
            kind = (
                ReferenceKind.COAUTHORS
                if _WITH_BEFORE_RE.search(masked[: names[i].start])
                else ReferenceKind.GROUP
            )
            refs.append(Ref(names[i].start, kind, group))
            used.update(range(i, j + 1))
        i = j + 1
    for index, name in enumerate(names):
        if index in used:
            continue
        before = masked[: name.start]
        single = ReferenceKind.COAUTHORS if _COAUTHORED_WITH_RE.search(before) else ReferenceKind.PERSON
        refs.append(Ref(name.start, single, (people.lookup(name.name) or name.name,)))
    covered = [(n.start, n.end) for n in candidates]
    for match in NAME_TOKEN_RE.finditer(masked):
        if any(s <= match.start() < e for s, e in covered) or POSSESSIVE_RE.match(masked[match.end() :]):
            continue
        known = people.lookup(match.group())
        if known is not None and match.group().lower() not in NON_NAME_WORDS:
            refs.append(Ref(match.start(), ReferenceKind.PERSON, (known,)))
    refs.extend(Ref(m.start(), ReferenceKind.SING, (), m.group()) for m in SING_PRONOUN_RE.finditer(masked))
    refs.extend(Ref(m.start(), ReferenceKind.PLURAL) for m in PLURAL_PRONOUN_RE.finditer(masked))
    return sorted(refs, key=lambda r: r.pos)


def _mononyms(masked: str, speech: list[re.Match[str]], people: People) -> list[Ref]:
    """A one-word name right before a speech verb ("Socrates says:", "As Plato put it"): a person too,
    unless it is an ordinary word of the page or already a known person's short form."""
    found = []
    for match in speech:
        before = _MONONYM_BEFORE_RE.search(masked[: match.start()])
        if before is None:
            continue
        word = before.group("name")
        lowered = word.lower()
        if lowered in NON_NAME_WORDS or lowered in people.lower_vocab or people.lookup(word):
            continue
        found.append(Ref(before.start("name"), ReferenceKind.PERSON, (word,)))
    return found


def _last_sentence_speech(
    masked: str, spans: list[tuple[int, int]], speech: list[re.Match[str]]
) -> list[re.Match[str]]:
    """A lead-in ending in a colon introduces the quote in its last sentence: when that sentence has a
    speech verb, the speaker is that sentence's subject ("Sam opened with ... The guest said:")."""
    last = [m for m in speech if m.start() >= spans[-1][0]]
    return last if last and masked.rstrip().endswith(":") else speech


def analyse_lead_in(text: str, people: People) -> LeadIn | None:
    """Whether a paragraph introduces a quote, and whom and which source it names; None if it does not."""
    masked = _mask_quoted(text)
    spans = sentences(masked)
    speech = _last_sentence_speech(masked, spans, _speech_matches(masked))
    refs = sorted([*_refs(masked, people), *_mononyms(masked, speech, people)], key=lambda r: r.pos)
    subject: Ref | None = None
    key: tuple[int, int] | None = None
    for match in reversed(speech):
        start, end = sentence_at(spans, match.start())
        before = [r for r in refs if start <= r.pos < match.start() and r.kind != ReferenceKind.COAUTHORS]
        if before:
            subject, key = before[-1], (start, end)
            break
    if key is None:
        for match in reversed(speech):
            start, end = sentence_at(spans, match.start())
            sentence_before = masked[start : match.start()]
            passive = _PASSIVE_BEFORE_RE.search(sentence_before) and _NARRATION_START_RE.match(
                sentence_before
            )
            if passive or _SOURCE_SUBJECT_RE.search(sentence_before):
                key = (start, end)
                break
    if key is None and masked.rstrip().endswith(":"):
        start, end = spans[-1]
        last = masked[start:end]
        if SPEECH_RE.search(last) or _SOURCE_NOUN_RE.search(last):
            key = (start, end)
            before = [r for r in refs if start <= r.pos and r.kind != ReferenceKind.COAUTHORS]
            subject = before[-1] if before else None
    if key is None:
        return None
    title_match = _TITLE_RE.search(text)
    title = title_match.group("title").strip() if title_match else None
    source_span = (
        sentence_at(spans, title_match.start()) if title_match else _source_sentence(masked, spans, key)
    )
    source_text = masked[source_span[0] : source_span[1]]
    year_match = YEAR_RE.search(source_text)
    return LeadIn(
        subject=subject,
        refs=tuple(refs),
        title=title,
        year=int(year_match.group()) if year_match else None,
        definite=bool(_DEFINITE_SOURCE_RE.search(source_text)),
        new_source=bool(_NEW_SOURCE_RE.search(source_text)),
        key=key,
    )


def _source_sentence(masked: str, spans: list[tuple[int, int]], key: tuple[int, int]) -> tuple[int, int]:
    """The sentence naming the source: the key sentence if it has a source noun, else the nearest one."""
    candidates = [s for s in spans if _SOURCE_NOUN_RE.search(masked[s[0] : s[1]])]
    if not candidates or key in candidates:
        return key
    return min(candidates, key=lambda s: abs(s[0] - key[0]))


def resolve_speaker(lead: LeadIn, people: People) -> str | None:
    subject = lead.subject
    if subject is None:
        return None
    if subject.kind == ReferenceKind.SING:
        return people.by_pronoun(subject.word)
    if subject.kind in (ReferenceKind.PERSON, ReferenceKind.GROUP):
        return join_names(subject.names)
    # "they": the authors listed in the lead-in, else the co-authors with the current person, else them.
    groups = [r for r in lead.refs if r.kind == ReferenceKind.GROUP]
    if groups:
        return join_names(groups[-1].names)
    named = list(
        dict.fromkeys(
            n for r in lead.refs if r.kind == ReferenceKind.PERSON and r.pos < subject.pos for n in r.names
        )
    )
    coauthors = [r for r in lead.refs if r.kind == ReferenceKind.COAUTHORS]
    if not coauthors and len(named) >= 2:
        return join_names(named)
    if coauthors and people.current:
        names = [n for n in coauthors[0].names if n != people.current]
        # The person the passage is about is one of the authors; the page does not say in which place.
        return join_names([*names[:1], people.current, *names[1:]])
    return people.current
