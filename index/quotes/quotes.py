"""Expert quotes in an article: follow whom each passage is about, find lead-ins and the quoted paragraphs."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from index.quotes.attribution import (
    TEXT_NOUNS,
    UNKNOWN,
    Attribution,
    asked_name,
    attribute,
    attribute_sentence,
    cited_authors,
    cited_work_authors,
    compares_speech,
    counts_amounts,
    denies_speech,
    described_speaker,
    entity_label,
    has_clause,
    is_addressee,
    is_author_of,
    is_object,
    is_passive_subject,
    is_place,
    is_said_clause,
    is_subject,
    main_subject_span,
    names_no_person,
    reports_speech,
    resolve_attribution,
    subject_group,
    subject_groups,
    subject_name,
    subject_names,
    subject_possessive,
    subject_pronoun,
    text_owners,
    voiced_in_work,
)
from index.quotes.interview import Transcript, find_transcript
from index.quotes.leadin import (
    ABOUT_QUOTE_RE,
    ABOUT_SOURCE_RE,
    SPEECH_RE,
    THEY_START_RE,
    LeadIn,
    analyse_lead_in,
    person_names,
    resolve_speaker,
    speaker_refs,
)
from index.quotes.names import (
    NAME_TOKEN_RE,
    NON_NAME_WORDS,
    ORG_WORDS,
    TITLES,
    People,
    initials_of,
    join_names,
    name_candidates,
    name_matches,
    person_intro,
    split_speakers,
)
from index.reading.article import Item, is_title_like
from index.reading.blocks import Block
from index.records import Quote
from index.text import (
    ELLIPSIS_RE,
    FIRST_PERSON_RE,
    LIST_ITEM_RE,
    LOW,
    SING_PRONOUN_RE,
    UP,
    WORD_RE,
    sentence_at,
    sentences,
)
from index.vocabulary import ReferenceKind, SubjectKind


def _is_prose(text: str, speaker_names: Sequence[str], people: People) -> bool:
    """The author's own words rather than the expert's: third person, the expert's name, commentary."""
    if person_intro(text, people):
        return True
    starts_lower = text[:1].islower()
    if SING_PRONOUN_RE.search(text) and not (starts_lower or "…" in text):
        return True
    if THEY_START_RE.match(text):
        return True
    if _mentions(text, speaker_names):
        return True
    if ABOUT_QUOTE_RE.search(text) or _REACTION_RE.match(text):
        return True
    # An abstract may open "This paper ..." too, but then goes on in the first person.
    first_person = bool(FIRST_PERSON_RE.search(text))
    if ABOUT_SOURCE_RE.search(text) and not first_person:
        return True
    if not (first_person or starts_lower) and analyse_lead_in(text, people) is not None:
        return True
    return _narrates_speech(text)


def _narrates_speech(text: str) -> bool:
    """A paragraph opening with someone else's words reported ("US officials said American forces had
    ..."): the writer's narration, by the parse (a speech verb with a clause, a named or described
    subject)."""
    first = text[: sentences(text)[0][1]]
    if not USE_PARSE or not first[:1].isupper() or not SPEECH_RE.search(first) or not reports_speech(first):
        return False
    found = attribute_sentence(first)
    return found is not None and found.kind in (
        SubjectKind.NAME,
        SubjectKind.GROUP,
        SubjectKind.CROWD,
        SubjectKind.ROLE,
    )


def _mentions(text: str, names: Sequence[str]) -> bool:
    for token in NAME_TOKEN_RE.findall(text):
        for name in names:
            if name_matches([token], name.split()):
                return True
    return False


def _looks_quoted(text: str) -> bool:
    """Signs of quoted speech: a lowercase start, a list item, ellipses, first person, a bare fragment."""
    if text[:1].islower() or LIST_ITEM_RE.match(text) or ELLIPSIS_RE.search(text):
        return True
    if FIRST_PERSON_RE.search(text):
        return True
    single = "\n" not in text and len(text) <= 140
    return single and text[-1] not in '.!?:;”"' and not is_title_like(text)


# Who a lead-in names when it names no one: "Her guest, an engineer ...", "One student we spoke to".
_ROLE_RE = re.compile(
    r"\b(?:a|an|one|her|his|their|our|the|another)\s+(?:[\w-]+\s+){0,2}?"
    r"(?P<role>guest|student|reader|listener|caller|participant|engineer|researcher|scientist|expert|colleague"
    r"|friend|person|someone|user|viewer|member|speaker|attendee|interviewee|source|official|spokesperson"
    r"|teacher|doctor|nurse|parent|customer|developer|manager|founder|employee|volunteer|visitor)\b",
    re.IGNORECASE,
)
# The author answering the quote: "I think that is fair", "I agree", "To me, this ...".
_REACTION_RE = re.compile(
    r"(?:I (?:think|suppose|guess|feel) (?:that|this|it) (?:is|was|'s|’s)|I (?:agree|disagree)"
    r"|(?:To|For) me,? (?:this|that|it)|In my (?:view|opinion|experience),?)\b"
)
# In an excerpt (which runs on without signs of quotation), the author resumes with "This is ...".
_RESUME_RE = re.compile(
    r"(?:This|That|These|Those) (?:is|was|are|were|idea|point|argument|passage)\b|In short\b"
)
# Lead-ins to excerpts, which often run over several paragraphs of ordinary prose.
_EXCERPT_RE = re.compile(
    r"\b(?:book|essay|chapter|letter|passage|excerpt|novel|memoir|preface|foreword|manifesto)s?\b[^.!?]*:\s*$",
    re.IGNORECASE,
)
# An interview transcript line: "**Ines Carvalho:** How often ...", "Paul: Never.", "**Jo "JJ" Lee:** ..."
_ADDRESS_RE = re.compile(r"(?:https?://|www\.)[^\s)\]>]*")
_LABEL_RE = re.compile(
    r"(?:\*\*|__)?(?P<label>[A-Z](?:[\w.'’ -]|\([^()\n]{1,30}\)|[\"“][^\"“”\n]{1,20}[\"”]){1,60}?)"
    r"(?:\*\*|__)?\s*:\s*(?:\*\*|__)?[ \t]+"
    r"(?P<rest>\S)"
)
_PARENTHESIS_RE = re.compile(r"\([^()\n]*\)")
_PAREN_NICKNAME_RE = re.compile(r"\w\s+\([A-Z][a-z]+\)\s+\w")  # "Jo (Jojo) Lee" is Jo Lee
_NICKNAME_RE = re.compile(r"[\"“][^\"“”\n]*[\"”]")  # "Jo “JJ” Lee" is Jo Lee
_BARE_LABEL_RE = re.compile(r"(?:\*\*|__)(?P<label>[^*_:\n]{1,40})(?:\*\*|__)[ \t]+(?P<rest>[A-Z])")
_ANSWERS_RE = re.compile(r"\banswer(?:s|ed)?\b", re.IGNORECASE)
_INITIALS_RE = re.compile(r"\(([A-Z]{2,5})\)\s*$")  # "Ana Bell (AB)"
# An answer opened by initials, a stage direction after them left out: "AB (Laughs.) Words ..."
_INITIALS_TURN_RE = re.compile(r"(?P<label>[A-Z]{2,3})[ \t]+(?:\([^()\n]*\)[ \t]+)?(?P<rest>[A-Z“\"])")
_CAPS_HEAD_RE = re.compile(r"[A-Z][A-Z' ]{2,40}:")  # a run-in head in capitals alone: "UPDATES:"
_LABEL_AND_RE = re.compile(r"\s+(?:and|&)\s+")  # a turn two people answer together
_HE_OR_SHE_RE = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
_SUBJECT_PRONOUN_RE = re.compile(r"(?:She|He)\b")
_ANSWER_VERBS = frozenset({"reply", "answer", "respond"})
# A name, a verb of saying and the he/she (or his/her) opening what it reports: "Ana Roe said she would",
# "Roe, the mayor, said her office", "Roe told reporters that she" (not "Roe told Cole she": Cole's).
_SAYS_OWN_PRONOUN_RE = re.compile(
    rf"(?P<name>[{UP}][\w’'.-]*(?:[ \t]+[{UP}][\w’'.-]*)*)(?:,[^,\n]{{1,80}},)?[ \t]+"
    r"(?:said|says|wrote|writes|added|adds|explained|noted|recalled|argued|insisted|admitted"
    r"|told(?:[ \t]+[a-z]+){1,2})[ \t]+(?:that[ \t]+)?(?P<pronoun>she|he|her|his)\b"
)
_NAME_WHO_RE = re.compile(
    rf"(?<![\w\[])\[?(?P<name>[{UP}][{LOW}]{{2,}})(?:\]\([^)\s]*\))?\s*(?:,|—|–)?\s*who\s+[{LOW}]"
)
_WORD_BEFORE_RE = re.compile(rf"\b([{LOW}]{{2,}})\s+$")  # a lower-case word right before: "comes from"
_DETERMINERS = frozenset({"the", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our"})
# A one-word name opening the page's sentence as the subject of a verb in the present tense, a link's
# words perhaps ("Yana [reacts to the paper](…)"), in the way a blog introduces the person it quotes.
_OPENING_MONONYM_RE = re.compile(
    r"[A-Z][a-z]+\s+\[?(?:reacts|responds|replies|writes|argues|comments|notes)\b"
)
_WHO_AFTER_RE = re.compile(r"\s*(?:,|—|–|--)\s*who\b")  # a name's relative clause: "Tam, who ..."
# "As one longtime balcony gardener told me": an unnamed person described by a noun.
_SOMEONE_SAID_RE = re.compile(
    r"\b(?:a|an|one|another)\s+(?:[a-z-]+\s+){0,3}?(?P<role>[a-z]{3,})(?:,[^,]{0,80},)?\s+(?:once\s+)?"
    r"(?:told|said|says|wrote|writes|added|explained|put it|summed it up|commented|replied|remarked)\b"
)
# An unnamed person a relative clause describes: "one mother, who knew ...", "a nurse who works ...".
_SOMEONE_WHO_RE = re.compile(r"\b(?:[Aa]n?|[Oo]ne)\s+(?:[a-z-]+\s+){0,2}?(?P<role>[a-z]{3,}),?\s+who\b")
# Someone the page does not name: "One wrote:", "Another added:", "Some of them said:".
_INDEFINITE_RE = re.compile(
    r"\s*(?:one|someone|somebody|another|others|many|some|a few|several)(?:\s+of\s+(?:them|us|\w+\s+\w+))?"
    r"\s+(?:\w+\s+)?(?:wrote|said|says|writes|added|adds|replied|commented|told|put it|summed it up)\b",
    re.IGNORECASE,
)
_ROLES_RE = re.compile(
    r"\b(?P<role>student|reader|listener|participant|colleague|user|viewer|member|attendee|customer|parent)s?\b",
    re.IGNORECASE,
)
# Pasted machine output is not a quote: "I asked a chatbot ... it replied:", "The model answered:".
_MACHINE_RE = re.compile(
    r"\b(?:chat-?bots?|chatgpt|gpt|llms?|language models?|the model|a model|ai assistants?|assistant"
    r"|the output|its output|the (?:program|script|terminal|console|compiler|tool)"
    r"|it (?:replied|answered|said))\b",
    re.IGNORECASE,
)
# Inline quotations: the quoted words in a paragraph, long enough to be speech rather than a title.
_INLINE_RE = re.compile(
    # Marks pair in order: a short quotation ("had to") is matched too, then skipped, so its closing
    # mark never opens the next one.
    r"[“\"](?P<words>[^“”\"\n]{1,600}?)(?:[”\"]|’’)"  # two apostrophes close one as well (typeset '')
    # British style: ‘…’, where ’ between letters is an apostrophe ("don’t").
    r"|(?<!\w)‘(?P<single>(?:[^‘’\n]|’(?=\w)){12,600}?)’(?!\w)"
    # A quotation left open at the paragraph's end goes on in the next paragraph.
    # (An opening mark follows a space; pages that close with “ write it after a word. A straight mark
    # opens one when no mark after it in the paragraph closes it.)
    r"|(?:(?<=[\s(—–])|^)[“\"](?=[^\s,.;:])(?P<open>[^“”\"\n]{12,1200})$"
    # German, Czech, ... „…“ (guillemets, which nest, are paired by ``_guillemets``).
    r"|„(?P<low>[^„“”\n]{1,600}?)[“”]"
    # A closing mark set for the opening one after a colon (”…”): a typo, still a quotation.
    r"|(?<=:[ \t])”(?P<reversed>[^“”\"\n]{12,600}?)”"
)
_GUILLEMET_RE = re.compile(r"[«»]")
_INLINE_GROUPS = ("words", "single", "open", "low", "reversed")
_ACCORDING_RE = re.compile(r"\baccording to\b", re.IGNORECASE)
_INLINE_MIN_WORDS = 4
_FRAGMENT_MIN_WORDS = 6
# After a quotation's closing mark: a said-clause and the opening mark of the quotation's second part.
_SPLIT_BY_SAID_RE = re.compile(
    rf"[ \t]+[^“”\"\n]{{2,60}}?\b(?:{SPEECH_RE.pattern})[^“”\"\n]{{0,30}}[.,][ \t]+[“\"]", re.IGNORECASE
)
_INLINE_MIN_CHARS = 12
_NARRATION_MIN_WORDS = 3
_LETTER_RE = re.compile(r"[^\W\d_]")


@dataclass
class _Walk:
    """State while walking an article: who has been introduced, who spoke last, which sources."""

    people: People
    page_text: str
    doc: str
    quotes: list[Quote] = field(default_factory=list)
    sources: dict[str, list[tuple[str | None, int | None]]] = field(default_factory=lambda: defaultdict(list))
    last_speaker: str | None = None
    introduced_since_quote: bool = False
    pending_intro: str | None = None  # introduced by the last sentence read (a "She ..." next is about them)
    last_unnamed: str | None = None  # the last quote's speaker, if the page did not name them
    hows: list[str] = field(default_factory=list)  # how each quote's speaker was found
    page_author: str | None = None  # the page's byline ("By Jane Roe", Markdown front matter)
    # Who "I" is: the byline, else a line near the top that is only a person's name (which may also be
    # the subject of a profile, so it credits nothing else).
    writer: str | None = None
    mentions: list[tuple[int, str]] = field(default_factory=list)  # (page offset, person), page order
    open_speaker: str | None = None  # the previous paragraph ended inside this speaker's quotation
    previous_start: int = 0  # where the paragraph before the current one starts
    current_start: int = 0
    transcript: Transcript | Literal[False] | None = (
        None  # the page's interview (False: none; None: not read)
    )
    interviewee: str = ""  # who answers in it
    dialogue: bool | None = None  # the page's name labels take turns (None: not read)
    descriptions: dict[str, str] = field(default_factory=dict)  # "actor" -> the person "the actor" was
    label_aliases: dict[str, str] = field(default_factory=dict)  # "AB" -> the turn label "Ana Bell (AB)"
    section_person: str | None = None  # the person the current section's heading is (a profile's name)
    initials_turns: bool | None = None  # answers open with their speaker's initials (None: not read)
    given_names: dict[str, str] = field(default_factory=dict)  # "Ana" -> "he"/"she": a name given in quotes
    full_signatures: int | None = None  # block quotes the page signs with a full name (None: not counted)

    def by_pronoun(self, word: str, pos: int, sentence: int | None = None) -> str | None:
        """Whom a he/she at page offset ``pos`` means: the person last mentioned before it whom the page
        does not call otherwise; else the person the passage is about (``People.by_pronoun``). A person
        mentioned earlier in the pronoun's own sentence (which starts at ``sentence``) counts only as a
        clause's subject ("how X presented it: “…,” he said"; not "Asked about X, he said")."""
        wanted = "she" if word.lower() in ("she", "her") else "he"
        if unnamed := self._unnamed_before(pos) or self._role_before(pos if sentence is None else sentence):
            return unnamed
        # News style: "He also said: …" right after the last quotation goes on with its speaker.
        last = self._previous_speaker(pos)
        if last is not None and self.people.pronouns.get(last, wanted) == wanted:
            return last
        fits = [
            (at, name)
            for at, name in self.mentions
            if at < pos and self.people.pronouns.get(name) in (None, wanted)
        ]
        if sentence is not None and USE_PARSE:
            own = self.page_text[sentence:pos]
            fits = [(at, n) for at, n in fits if at < sentence or is_subject(own, at - sentence)]
        if fits:
            return self._salient(fits, wanted)
        return self.people.by_pronoun(word)

    def _role_before(self, start: int) -> str | None:
        """The person described, not named, whom the sentence before ``start`` (in this paragraph or the
        one before) has for the subject of its verb of saying ("A passenger said she was not convinced.",
        "Lee's lawyer said the charges were baseless."): a he/she right after goes on with that person,
        "an unnamed <role>" unless the page named who "the <role>" is. None otherwise."""
        if not USE_PARSE:
            return None
        before = self._sentence_before(start)
        if not before.strip() or self.page_text.rfind(before.strip(), 0, start) < self.previous_start:
            return None
        found = described_speaker(before.strip())
        if found is None:
            return None
        return (
            found.definite and self.described(found.text, start, "")
        ) or f"an unnamed {found.text.lower()}"

    def _unnamed_before(self, pos: int) -> str | None:
        """An unnamed person the paragraph introduces before ``pos``, after the sentence naming the last
        person it mentions and its last quotation ("We spoke to one nurse, who ..."): "an unnamed nurse";
        None when there is none."""
        named = max((at for at, _ in self.mentions if self.current_start <= at < pos), default=None)
        start = max(
            [self.current_start, _sentence_around(self.page_text, named)[1] if named is not None else 0]
            + [q.char_end for q in self.quotes if q.char_end <= pos]
        )
        found = [
            m
            for m in _SOMEONE_WHO_RE.finditer(self.page_text, start, pos)
            if not self.page_text[max(0, m.start() - 3) : m.start()].rstrip().endswith((",", "—", "–"))
            and not _HE_OR_SHE_RE.search(self.page_text, start, m.start())  # "He told a reporter who ..."
        ]
        return f"an unnamed {found[-1].group('role').lower()}" if found else None

    def pronoun_person(self, found: Attribution, pos: int, sentence: int | None = None) -> str | None:
        """Whom a he/she subject of a verb of saying at page offset ``pos`` means: the name reporting its
        clause (``reporter``), the person asked for a he/she who replies (``answerer``), else ``by_pronoun``;
        ``UNKNOWN`` when an unnamed person reports it."""
        if found.role_reports:
            return UNKNOWN
        start = pos if sentence is None else sentence
        return (
            self.reporter(found) or self.answerer(found, start) or self.by_pronoun(found.text, pos, sentence)
        )

    def answerer(self, found: Attribution, start: int) -> str | None:
        """Whom a he/she who replies, answers or responds means when the sentence before (from ``start``)
        has a person for the object of "ask" ("X asked Y about the costs. “…,” he replied": Y, not X),
        unless the page calls that person otherwise."""
        if found.verb not in _ANSWER_VERBS or not USE_PARSE:
            return None
        name = asked_name(self._sentence_before(start).strip())
        person = (self.people.lookup(name) or self.people.full_name(name)) if name else None
        wanted = "she" if found.text in ("she", "her") else "he"
        return person if person and self.people.pronouns.get(person, wanted) == wanted else None

    def reporter(self, found: Attribution) -> str | None:
        """The person a he/she means when the name reporting its clause is one ("Ana said she ..."),
        unless the page calls that person otherwise."""
        if not found.reporter:
            return None
        person = self.people.lookup(found.reporter) or self.people.full_name(found.reporter)
        wanted = "she" if found.text in ("she", "her") else "he"
        if person is None or self.people.pronouns.get(person, wanted) != wanted:
            return None
        return person

    def described(self, noun: str, pos: int, quoted: str) -> str | None:
        """Whom a definite description subject of a speech verb ("said the actor") means: the person the
        same description meant before; else the one person the page wrote the noun before as a title
        ("host Ana Roe", "President Roe"); else, for words in the first person singular, the named speaker
        of the quotation just before (no one mentioned between). None when the page does not say."""
        noun = noun.lower()
        if noun in self.descriptions:
            return self.descriptions[noun]
        titled = re.compile(
            rf"\b(?i:{re.escape(noun)})\s+(?P<name>{NAME_TOKEN_RE.pattern}(?:\s+{NAME_TOKEN_RE.pattern})*)"
        )
        persons = {self.people.lookup(m.group("name")) for m in titled.finditer(self.page_text[:pos])}
        persons.discard(None)
        person = persons.pop() if len(persons) == 1 else self._named_beside(noun, pos)
        person = person or (self._named_for_kind(noun, pos) if not persons else None)
        if person is None and not persons and _SINGULAR_FIRST_RE.search(quoted):
            person = self._previous_speaker(pos)
        if person is not None:
            self.descriptions[noun] = person
        return person

    def _named_beside(self, noun: str, pos: int) -> str | None:
        """The one name the page set in apposition to the same description before ``pos`` ("The
        choir, Harbour Voices, was founded ..."); None when it named none or several."""
        beside = re.compile(
            rf"\b(?i:the\s+{re.escape(noun)}),\s+(?P<name>{NAME_TOKEN_RE.pattern}(?:\s+{NAME_TOKEN_RE.pattern})*),"
        )
        names = {
            self.people.lookup(m.group("name")) or m.group("name")
            for m in beside.finditer(self.page_text[:pos])
        }
        return names.pop() if len(names) == 1 else None

    def _named_for_kind(self, noun: str, pos: int) -> str | None:
        """The one name written before ``pos`` that holds the kind word of "the <kind> <noun>" at ``pos``
        ("the production company" -> "Dick Clark Productions"); None when none or several do."""
        start, end = _sentence_around(self.page_text, pos)
        kind = re.search(rf"\b[Tt]he\s+(?P<kind>[a-z]{{4,}})\s+{re.escape(noun)}\b", self.page_text[pos:end])
        if kind is None or noun not in ORG_WORDS:  # "the security head": a person, never an organisation
            return None
        word = kind.group("kind")
        holding = re.compile(
            rf"(?:{NAME_TOKEN_RE.pattern}\s+)+{word[0].upper()}{re.escape(word[1:])}(?:s|es)?\b"
            rf"|{word[0].upper()}{re.escape(word[1:])}(?:s|es)?(?:\s+{NAME_TOKEN_RE.pattern})+"
        )
        names = {m.group() for m in holding.finditer(self.page_text[: max(start, 0)])}
        return names.pop() if len(names) == 1 else None

    def _sentence_before(self, pos: int) -> str:
        before = pos - 1
        while before > 0 and self.page_text[before].isspace():
            before -= 1
        span = _sentence_around(self.page_text, before)
        return self.page_text[span[0] : span[1]]

    def it(self, pos: int) -> str | None:
        """Whom an "it" at page offset ``pos`` credits: the organisation that is the subject of the
        sentence before ("..., the Harbour Board said. “…,” it added."); None otherwise."""
        return subject_group(self._sentence_before(pos)) if USE_PARSE else None

    def they(self, pos: int) -> str | None:
        """Whom a "they" at page offset ``pos`` credits: the name that is the subject of the sentence
        before ("Big Machine have denied ...", "The company ..., Dick Clark Productions, denies ...")
        unless the page calls that one he or she; None when that subject is no name."""
        before = self._sentence_before(pos)
        name = subject_name(before)
        if name is None:
            return subject_names(before)  # "X and Y published a paper. In it, they write:": both
        if len(split_speakers(name)) > 1:
            return None
        known = self.people.lookup(name) or name
        return None if known in self.people.pronouns else known

    def text_owner(self, noun: str, pos: int) -> str | None:
        """Whose statement, report, post ... "the statement" at page offset ``pos`` is: the owner the
        nearest earlier sentence naming such a text states ("X said in a statement")."""
        for owner in self._text_owners(noun, pos):
            if owner.kind in (SubjectKind.NAME, SubjectKind.GROUP):
                return resolve_attribution(owner, self.people, None)
        return None

    def text_unowned(self, noun: str, pos: int) -> bool:
        """Whether no earlier sentence naming "the report" at ``pos`` gives anyone for issuing it (only the
        text itself speaks: "The report finds ..."), so "the report said" is the report's own words."""
        return all(owner.kind == SubjectKind.NONE for owner in self._text_owners(noun, pos))

    def _text_owners(self, noun: str, pos: int) -> Iterator[Attribution]:
        """The owners of a text ``noun`` the sentences before ``pos`` state, the nearest first."""
        singular = noun.lower().removesuffix("s")
        if singular not in TEXT_NOUNS and noun.lower() not in TEXT_NOUNS:
            return
        word = re.compile(rf"\b{re.escape(noun)}s?\b", re.IGNORECASE)
        before = self.page_text[:pos]
        start = before.rfind("\n\n", 0, max(0, len(before) - 1))
        for _ in range(_TEXT_OWNER_PARAGRAPHS):
            paragraph = before[start + 1 :]
            for s, e in reversed(sentences(paragraph)):
                if word.search(paragraph[s:e]):
                    found = text_owners(paragraph[s:e])
                    yield from (owner for n, owner in found if n in (noun.lower(), singular))
            if start < 0:
                break
            before = before[:start]
            start = before.rfind("\n\n")

    def _salient(self, fits: list[tuple[int, str]], wanted: str) -> str:
        """Of the persons the nearest sentence mentioning one mentions, the grammatical subject (a he/she
        continues the subject: "X accused Y of ... She ..."), else the last one mentioned. When the one
        person mentioned there is not its subject, and the subject is a surname the page gave a full
        name for ("Okafor asked ... on Harbor Monday. She added"), that person."""
        last_at, last = fits[-1]
        span = _sentence_around(self.page_text, last_at)
        if not USE_PARSE:
            return last
        sentence = self.page_text[span[0] : span[1]]
        if len({n for at, n in fits if span[0] <= at < span[1]}) < 2:
            if is_subject(sentence, last_at - span[0]):
                if self._rival(fits, span, sentence):
                    return UNKNOWN
                return last  # one person in that sentence, its subject
            return self._beside_subject(sentence, span[0], (last_at - span[0], last), wanted)
        subjects = [
            (at, n) for at, n in fits if span[0] <= at < span[1] and is_subject(sentence, at - span[0])
        ]
        main = main_subject_span(sentence)
        # "X declined to say whether Y slept the night Z died. “…,” he said": X, the main verb's subject,
        # not the subject of a clause inside its object.
        ruling = [n for at, n in subjects if main is not None and main[0] <= at - span[0] < main[1]]
        return ruling[-1] if ruling else subjects[-1][1] if subjects else last

    def _rival(self, fits: list[tuple[int, str]], span: tuple[int, int], sentence: str) -> bool:
        """Whether the last person named is what a passive sentence reporting no one's words is done to
        ("X was charged in March") while another person was named in reach (that paragraph or the one
        before): a he/she after it may mean either."""
        if SPEECH_RE.search(sentence) or _ACCORDING_RE.search(sentence):
            return False
        if not is_passive_subject(sentence, fits[-1][0] - span[0]):
            return False
        reach = self.page_text.rfind("\n\n", 0, max(0, self.page_text.rfind("\n\n", 0, span[0]))) + 1
        last = fits[-1][1]
        return any(reach <= at < span[0] and n != last for at, n in fits)

    @staticmethod
    def _done_to(sentence: str, offset: int) -> bool:
        """Whether the name at ``offset`` is an object in a sentence that reports no one's words, or who
        made a thing it names ("reacts to the paper Why Bridges Fall by X")."""
        if SPEECH_RE.search(sentence) or _ACCORDING_RE.search(sentence):
            return False
        return is_object(sentence, offset) or is_author_of(sentence, offset)

    def _beside_subject(self, sentence: str, start: int, named: tuple[int, str], wanted: str) -> str:
        """Whom a he/she means when the nearest sentence naming a person (``named``: where in ``sentence``,
        which starts at page offset ``start``, and who) does not have that person for its subject: the surname
        subject's person; for a subject that is the same he/she, whom that one means ("He was arrested for
        the call to X's office. During the call, he asked ...": the same man, not X, whom he cannot be);
        ``UNKNOWN`` when the page does not say or the sentence is done to the person."""
        offset, last = named
        person = self._subject_person(sentence, wanted)
        if person is None and (pronoun := _own_pronoun(sentence, wanted)):
            person = self.by_pronoun(pronoun, start)
            return person if person is not None and person != last else UNKNOWN
        if person is None and self._done_to(sentence, offset):
            # "Deputies arrested X on Friday. “…,” he said": X is what the sentence is done to, and it
            # reports no one's words: whom he means, the page does not say.
            return UNKNOWN
        return person or last

    def _subject_person(self, sentence: str, wanted: str) -> str | None:
        """The person a one-word name subject of ``sentence`` is, if the page gave them a full name and
        does not call them otherwise than ``wanted``."""
        name = subject_name(sentence)
        if name is None or len(name.split()) != 1:
            return None
        person = self.people.lookup(name) or self.people.full_name(name)
        if person is None or self.people.pronouns.get(person, wanted) != wanted:
            return None
        return person

    def _previous_speaker(self, pos: int) -> str | None:
        """The named speaker of a quotation in this or the previous paragraph, with no one else
        mentioned between it and ``pos``."""
        last = self.quotes[-1] if self.quotes else None
        if last is None or last.speaker_unknown or last.char_start < self.previous_start:
            return None
        if any(last.char_end <= at < pos and name != last.speaker for at, name in self.mentions):
            return None  # someone else mentioned since (its said-clause naming the speaker is no one else)
        return last.speaker if last.speaker in self.people.known else None

    def add(
        self, speaker: str, lead: LeadIn | None, span: tuple[int, int], item: Item, lead_in: str, how: str
    ) -> None:
        """Record a quote; its source is the lead-in's (or one named before), none without a lead-in."""
        source = _source(lead, self.sources[speaker]) if lead else (None, None)
        self.add_stated(speaker, source, span, item, lead_in, how)

    def add_stated(
        self,
        speaker: str,
        source: tuple[str | None, int | None],
        span: tuple[int, int],
        item: Item,
        lead_in: str,
        how: str,
    ) -> None:
        """Record a quote with the source title and year its own sentence states."""
        speaker = _without_symbols(speaker)
        unknown = speaker.startswith("an unnamed") or speaker == UNKNOWN or how == _DESCRIBED_BY_SIGNATURE
        self.hows.append(how)
        self.last_unnamed = speaker if unknown else None
        title, year = source
        self.quotes.append(
            Quote(
                speaker=speaker,
                source_title=title,
                year=year,
                text=self.page_text[span[0] : span[1]],
                document=self.doc,
                char_start=span[0],
                char_end=span[1],
                lead_in=lead_in,
                section=item.section,
                speaker_unknown=unknown,
            )
        )
        if unknown:
            return
        if (title, year) in self.sources[speaker]:
            self.sources[speaker].remove((title, year))
        self.sources[speaker].append((title, year))
        self.last_speaker, self.introduced_since_quote = speaker, False
        if len(split_speakers(speaker)) == 1:
            self.people.introduce(speaker)


def _without_symbols(name: str) -> str:
    """A speaker's name without the emoji and other symbols a display name carries at its ends ("Ana
    Roe 🎄"): pictures, not part of the name (the name itself when it is nothing else)."""
    start, end = 0, len(name)
    while start < end and _is_symbol(name[start]):
        start += 1
    while end > start and _is_symbol(name[end - 1]):
        end -= 1
    return name[start:end] if start < end else name


def _is_symbol(char: str) -> bool:
    """A space, or an emoji or other pictograph (So), its modifier (Sk), a joiner (Cf) or a variation
    selector (Mn)."""
    return char.isspace() or unicodedata.category(char) in ("So", "Sk", "Cf", "Mn")


# Whether inline quotations are attributed from the sentence's parse first (else by the rules alone).
USE_PARSE = True
STRICT_LEAD_IN = True
# How each recently found quote's speaker was found, by quote id (for `expert-chat inspect`).
_HOW: dict[str, str] = {}
MAX_REMEMBERED = 20_000


def how_found(quote: Quote) -> str:
    """How the speaker of a quote found by ``find_quotes`` in this process was found ("" if unknown)."""
    return _HOW.get(quote.quote_id, "")


def find_quotes(items: list[Item], page_text: str, doc: str) -> list[Quote]:
    """The article's quotes; how each speaker was found is kept for ``how_found``."""
    walk = _walk_article(items, page_text, doc)
    if len(_HOW) > MAX_REMEMBERED:
        _HOW.clear()
    _HOW.update((q.quote_id, how) for q, how in zip(walk.quotes, walk.hows, strict=True))
    return walk.quotes


def _walk_article(items: list[Item], page_text: str, doc: str) -> _Walk:
    """Walk the article: follow whom each passage is about; find lead-ins and the quote paragraphs after."""
    article = " ".join(i.text for i in items if not i.heading)
    # The words the article writes in lower case (a web address's words are not the text's words).
    prose = _ADDRESS_RE.sub(" ", article)
    lower_vocab = frozenset(w.lower() for w in WORD_RE.findall(prose) if w[0].islower())
    people = People(lower_vocab=lower_vocab, article=article, mixed=_called_both(article))
    walk = _Walk(people, page_text, doc)
    walk.page_author, walk.writer = _byline([item.text for item in items[:4]], people)
    i = 0
    while i < len(items):
        item = items[i]
        if item.heading:
            walk.section_person = _heading_person(items, i, walk)
        if item.heading or item.code or item.quote_group is not None:
            i += _markup_quote(items, i, walk) if item.quote_group is not None else 1
            continue
        walk.previous_start, walk.current_start = walk.current_start, item.block.start
        people.passage = page_text[walk.previous_start : item.block.end]
        taken = (
            _qa_answer(items, i, walk)
            or _labelled_answer(items, i, walk)
            or _unlabelled_answer(items, i, walk)
            or _bare_label_answer(items, i, walk)
            or _initials_answer(items, i, walk)
        )
        if taken:
            i += taken
            continue
        _meet_people(item.text, walk, item.block.start)
        inline = _inline_quotes(item, walk)
        lead = None if inline and not item.text.rstrip().endswith(":") else analyse_lead_in(item.text, people)
        i = _lead_in_quote(items, i, lead, walk) if lead is not None else i + 1
    return walk


def _own_pronoun(sentence: str, wanted: str) -> str | None:
    """The sentence's subject when it is the he/she ``wanted`` (opening it, or the parse's subject of its
    main verb, a passive one too: "During the call, he was asked ..."); None otherwise."""
    opening = _SUBJECT_PRONOUN_RE.match(sentence.lstrip())
    pronoun = opening.group().lower() if opening is not None else None
    if pronoun is None and USE_PARSE:
        pronoun = subject_pronoun(sentence.strip(), passive=True)
    return pronoun if pronoun == wanted else None


def _called_both(article: str) -> set[str]:
    """The names the article writes both "X said she ..." and "X said he ..." after: which one it means
    for X is left unsaid from the start (the first may be a slip, or a he/she meaning someone else)."""
    called: dict[str, set[str]] = defaultdict(set)
    for match in _SAYS_OWN_PRONOUN_RE.finditer(article):
        names = name_candidates(match.group("name"), frozenset())  # not the sentence before's last words
        called[names[-1].name if names else match.group("name")].add(
            "she" if match.group("pronoun") in ("she", "her") else "he"
        )
    return {name for name, pronouns in called.items() if len(pronouns) > 1}


def _heading_person(items: list[Item], i: int, walk: _Walk) -> str | None:
    """The person a heading is, when it is nothing but a full name (a linked one too) that the paragraph
    under it names again (its first name or surname), not the page's writer: a profile's section, whose
    unsigned block quotes are that person's words."""
    people = walk.people
    text = _MD_LINK_RE.sub(r"\1", items[i].text).strip().strip("#*_ ").strip()
    names = name_candidates(text, people.lower_vocab)
    if len(names) != 1 or names[0].name != text or people.writes_lowered(text):
        return None
    person = people.lookup(text) or text
    below = items[i + 1] if i + 1 < len(items) else None
    if below is None or below.heading or person in (walk.writer, walk.page_author):
        return None
    named = {m.group() for m in NAME_TOKEN_RE.finditer(below.text)}
    return person if named & {text.split()[0], text.split()[-1]} else None


def _byline(first: list[str], people: People) -> tuple[str | None, str | None]:
    """The page's author (a "By Name" line near the top), and its writer: the author, else a line near
    the top that is nothing but a person's name."""
    bylines = [_BYLINE_RE.fullmatch(_MD_LINK_RE.sub(r"\1", text)) for text in first]  # "By [Name](address)"
    found = next((b.group("name").strip() for b in bylines if b), None)
    alone = [n for text in first for n in name_candidates(text, people.lower_vocab) if n.name == text.strip()]
    return found, found or (alone[0].name if alone else None)


def _qa_answer(items: list[Item], i: int, walk: _Walk) -> int:
    """An interview's answer (``index.quotes.interview``): a quote of the interviewee, the person the
    introduction names most; the number of items taken (0: not an answer). A question is the unnamed
    interviewer's: not taken."""
    if walk.transcript is None:
        walk.transcript, walk.interviewee = _transcript(items, walk)
    turns, item = walk.transcript, items[i]
    if not walk.interviewee or turns is False:
        return 0
    if i in turns.questions:
        _meet_people(item.text, walk, item.block.start)
        return 1
    if i not in turns.answers:
        return 0
    end, offset = turns.answers[i]
    span = (item.block.start + offset, items[end].block.end)
    walk.add(walk.interviewee, None, span, item, item.text[:offset], "interview answer")
    return end - i + 1


def _transcript(items: list[Item], walk: _Walk) -> tuple[Transcript | Literal[False], str]:
    """The page's interview and who answers (the person the paragraphs before the first question name
    most often, first named on a tie, never the page's author); (False, "") when it is none."""
    # A turn labelled with a name ("**Ana:** ...") is ``_labelled_answer``'s, never a layout turn.
    plain = [not (it.heading or it.code or it.quote_group is not None or _is_turn(it)) for it in items]
    headings = [it.heading for it in items]
    turns = find_transcript([it.text for it in items], headings, plain, _looks_quoted)
    if turns is None:
        return False, ""
    people = People(
        lower_vocab=walk.people.lower_vocab, known=list(walk.people.known), article=walk.people.article
    )
    named: list[str] = []
    for it in items[: turns.first]:
        people.add(n.name for n in person_names(it.text, people))
        named += [
            r.names[0] for r in speaker_refs(it.text, people) if r.kind == ReferenceKind.PERSON and r.names
        ]
    named = [n for n in named if n != walk.page_author]
    if not named:
        return False, ""
    title = walk.page_text[: walk.page_text.find("\n")]
    # Named most; on a tie, the one the title or a question names, else no one can tell (the interviewer
    # may be named as often as the guest): the answers are then an unknown speaker's, never a guess.
    top = max(named.count(n) for n in named)
    tied = [n for n in dict.fromkeys(named) if named.count(n) == top]
    asked = {n for n in tied if any(_mentions(items[q].text, [n]) for q in turns.questions)}
    shown = [n for n in tied if _mentions(title, [n]) or n in asked]
    person = tied[0] if len(tied) == 1 else (shown[0] if len(shown) == 1 else UNKNOWN)
    # Without "Q:"/"A:" marks, the page must make clear whom it interviews: named twice, or asked by name.
    if not turns.marked and (person == UNKNOWN or top + (person in asked) < _LAYOUT_MIN_MENTIONS):
        return False, ""
    return turns, person


def _labelled_answer(items: list[Item], i: int, walk: _Walk) -> int:
    """An interview turn, "**Name:** words" or "Name: words": a quote of the named person, running on
    to the next turn when another follows; the number of items taken (0: not a turn)."""
    item = items[i]
    if walk.dialogue is None:
        walk.dialogue = _takes_turns(items)
    speaker = _turn_speaker(item, walk.people, walk.label_aliases) if walk.dialogue else None
    if speaker is None:
        return 0
    _remember_initials(item, speaker, walk.label_aliases)
    match = _LABEL_RE.match(item.text)
    assert match is not None
    bold = _bold_turn(item)
    end = i if bold else _turn_end(items, i)
    start = item.block.start + match.start("rest")
    stop = item.block.start + len(item.text.rstrip()) - 2 if bold else items[end].block.end  # "…?**"
    label = item.text[: match.start("rest")].strip()
    walk.add(speaker, None, (start, stop), item, label, "interview label")
    return end - i + 1


def _turn_end(items: list[Item], i: int) -> int:
    """The last item of the turn opening at ``i``: it runs on to the next turn when another follows (a
    bold label without its colon opens one too)."""
    end = i
    later = [n for n in range(i + 1, len(items)) if _is_turn(items[n]) or _BARE_LABEL_RE.match(items[n].text)]
    while later and end + 1 < later[0] and not _is_markup(items[end + 1]):
        end += 1
    return end


def _bold_turn(item: Item) -> bool:
    """A turn set wholly in bold, label and words ("**Ana: Why?**"): the bold is its extent, and the plain
    paragraphs after it are the answer."""
    text = item.text.strip()
    return _is_turn(item) and text.startswith(("**", "__")) and text.endswith(("**", "__")) and len(text) > 4


def _unlabelled_answer(items: list[Item], i: int, walk: _Walk) -> int:
    """The plain paragraphs after a dialogue's question set wholly in bold: the answer of the people a
    note before names as answering ("answers given by Ana and Bo"), else of the one person besides the
    asker whose turns are labelled; the number of items taken (0: none, or no one can tell)."""
    if not (walk.dialogue and i > 0 and _bold_turn(items[i - 1])) or _is_turn(items[i]):
        return 0
    labelled = [q.speaker for q, how in zip(walk.quotes, walk.hows, strict=True) if how == "interview label"]
    asker = labelled[-1] if labelled else None
    others = [n for n in dict.fromkeys(labelled) if n != asker]
    speaker = _answerers(items[:i], others, walk.people) or (others[0] if len(others) == 1 else None)
    if speaker is None:
        return 0
    end = _turn_end(items, i)
    marker = LIST_ITEM_RE.match(items[i].text)  # an answer given as a numbered list
    start = items[i].block.start + (marker.end() if marker else 0)
    walk.add(speaker, None, (start, items[end].block.end), items[i], "", "answer to a bold question")
    return end - i + 1


def _bare_label_answer(items: list[Item], i: int, walk: _Walk) -> int:
    """A dialogue turn whose bold label lost its colon ("**AB** Words ..."): a quote of the person an
    earlier turn's label, the same words or their initials ("Ana Bell (AB)"), was; the number of items
    taken (0: not such a turn)."""
    match = _BARE_LABEL_RE.match(items[i].text) if walk.dialogue else None
    if match is None:
        return 0
    label = match.group("label").strip()
    earlier = [
        q.speaker
        for q, how in zip(walk.quotes, walk.hows, strict=True)
        if how == "interview label" and q.lead_in.strip("*_: ") == label
    ]
    speaker = earlier[-1] if earlier else walk.label_aliases.get(label)
    if speaker is None:
        return 0
    end = _turn_end(items, i)
    span = (items[i].block.start + match.start("rest"), items[end].block.end)
    walk.add(speaker, None, span, items[i], match.group("label"), "interview label without its colon")
    return end - i + 1


def _initials_answer(items: list[Item], i: int, walk: _Walk) -> int:
    """An interview answer opened by its speaker's initials alone ("AB Words ..."), on a page where such
    openings come back (two at least, one initials twice): a quote of the one person the page named
    whose initials they are; the number of items taken (0: not such an answer)."""
    match = _INITIALS_TURN_RE.match(items[i].text)
    if match is None or walk.initials_turns is False:
        return 0
    if walk.initials_turns is None:
        labels = [
            m.group("label") for it in items if not _is_markup(it) and (m := _INITIALS_TURN_RE.match(it.text))
        ]
        walk.initials_turns = len(set(labels)) >= 2 and len(set(labels)) < len(labels)
    speaker = _by_initials(match.group("label"), walk) if walk.initials_turns else None
    if speaker is None:
        return 0
    span = (items[i].block.start + match.start("rest"), items[i].block.end)
    walk.add(speaker, None, span, items[i], match.group("label"), "interview answer opened by initials")
    return 1


def _by_initials(label: str, walk: _Walk) -> str | None:
    """The one person the page has named, else the one its title names, whose initials ``label`` is."""
    if known := walk.people.by_initials(label):
        return known
    title = walk.page_text[: walk.page_text.find("\n")]
    named = {n.name for n in person_names(title, walk.people)}
    found = [n for n in named if len(n.split()) > 1 and initials_of(n) == label]
    if len(found) != 1:
        return None
    walk.people.add(found)
    return found[0]


def _answerers(before: list[Item], labelled: list[str], people: People) -> str | None:
    """The labelled speakers the last note about the answers names ("All answers were given by Ana and
    Bo."), joined; None without such a note."""
    for item in reversed(before):
        if _is_turn(item) or not _ANSWERS_RE.search(item.text):
            continue
        named = {people.lookup(m.group()) or m.group() for m in NAME_TOKEN_RE.finditer(item.text)}
        found = [n for n in labelled if n in named]
        if found:
            return join_names(found)
    return None


def _takes_turns(items: list[Item]) -> bool:
    """Whether the page's "Name: words" lines are a dialogue: some label comes back and some turn speaks
    in the first person or to "you", or half the turns do. A list naming each person once in the third
    person ("Name: the charges", "Name: leads the team") is none, and so are notes that name the same
    subjects again, never a voice (a sports report's notes and schedule, team by team)."""
    turns = [it for it in items if _is_turn(it)]
    labels = [_label_names(it) for it in turns]
    voiced = sum(1 for it in turns if FIRST_PERSON_RE.search(it.text) or _YOU_RE.search(it.text))
    if len(set(labels)) < len(labels) and voiced:
        return True
    return bool(turns) and 2 * voiced >= len(turns)


def _label_names(item: Item) -> tuple[str, ...]:
    """The names a turn's label gives (its parenthesis is an aside: "Ana (AB)" is Ana)."""
    match = _LABEL_RE.match(item.text)
    label = _NICKNAME_RE.sub(" ", _PARENTHESIS_RE.sub(" ", match.group("label") if match else ""))
    label = " ".join(label.split())
    return tuple(n.strip() for n in _LABEL_AND_RE.split(label))


def _is_markup(item: Item) -> bool:
    return item.heading or item.quote_group is not None


def _remember_initials(item: Item, speaker: str, aliases: dict[str, str]) -> None:
    """A turn labelled "Name (AB)" gives the short label later turns use ("**AB**:") for its speaker."""
    match = _LABEL_RE.match(item.text)
    initials = _INITIALS_RE.search(match.group("label")) if match else None
    if initials is not None and " and " not in speaker:
        aliases.setdefault(initials.group(1), speaker)


def _turn_speaker(item: Item, people: People, aliases: dict[str, str]) -> str | None:
    """Who an interview turn's label names: a person the page has named ("**Sujay**:" for Sujay Dey), or
    the initials an earlier label gave ("**SD**:" after "**Sujay Dey (SD)**:"); an unnamed "Interviewer:"
    or a definition ("Term: a thing that ...") names no one."""
    match = _LABEL_RE.match(item.text)
    if match is None or not _is_turn(item):
        return None
    names = _label_names(item)
    found = [
        aliases.get(n)
        or people.lookup(n)
        or (people.full_name(n) if " " not in n else None)
        or people.by_initials(n)
        for n in names
    ]
    if not all(found):
        found = [_label_person(match.group("label"), people)]
    if not all(found):
        return None
    return join_names([n for n in found if n])


def _label_person(label: str, people: People) -> str | None:
    """The person a label names in a way only a person's name is written, a nickname inside ("Jo “JJ”
    Lee", "Jo (Jojo) Lee") or its own initials after it ("Jo Lee (JL)"): that person, even one the page
    never writes whole (Jo Lee); None for any other label."""
    bare = _PARENTHESIS_RE.sub(" ", label)
    words = _NICKNAME_RE.sub(" ", bare).split()
    initials = _INITIALS_RE.search(label)
    own = initials is not None and initials.group(1) == "".join(w[0] for w in words)
    nickname = _NICKNAME_RE.search(bare) or _PAREN_NICKNAME_RE.search(label)
    if not (2 <= len(words) <= 3 and (own or nickname)):
        return None
    if not all(NAME_TOKEN_RE.fullmatch(w) and w.lower() not in people.lower_vocab for w in words):
        return None
    name = " ".join(words)
    people.add([name])
    return name


def _is_turn(item: Item) -> bool:
    """A paragraph shaped as an interview turn ("Name: Capitalised words", or a bold "**Name:**" before
    any words), whoever it names."""
    match = _LABEL_RE.match(item.text)
    if match is None or item.heading:
        return False
    return match.group("rest").isupper() or item.text.startswith(("**", "__"))


def _sentence_around(text: str, pos: int) -> tuple[int, int]:
    """The page-text span of the sentence holding ``pos`` (within its paragraph)."""
    start = text.rfind("\n\n", 0, pos) + 1
    end = text.find("\n\n", pos)
    end = len(text) if end < 0 else end
    found = sentence_at(sentences(text[start:end]), pos - start)
    return start + found[0], start + found[1]


def _meet_people(text: str, walk: _Walk, offset: int = 0) -> None:
    """Names the paragraph introduces: every full name is known from now on; an opening one is current.
    Every mention of a known person is remembered with its place (``offset``: the paragraph's)."""
    people = walk.people
    text = _IMAGE_RE.sub(lambda m: " " * len(m.group()), text)  # an image's alt text names no one here
    people.add(n.name for n in person_names(text, people))
    for ref in speaker_refs(text, people):
        if ref.kind == ReferenceKind.PERSON and len(ref.names) == 1:
            if _no_person(text, ref.pos, ref.names[0]):
                continue  # a place, or a part of an organisation's name: never whom a he/she means
            walk.mentions.append((offset + ref.pos, ref.names[0]))
            if own := _SAYS_OWN_PRONOUN_RE.match(text, ref.pos):
                people.refer(ref.names[0], own.group("pronoun"))  # "Ana Roe said she ...": Ana Roe is she
    _meet_given_names(text, walk, offset)
    introduced = walk.pending_intro
    for start, end in sentences(text):
        sentence = text[start:end]
        pronoun = _SUBJECT_PRONOUN_RE.match(sentence)
        if introduced and pronoun:
            people.refer(introduced, pronoun.group())  # "X is a chemist. She started ..."
        introduced = (
            person_intro(sentence, people)
            or _short_intro(sentence, people, walk.page_text[:offset], offset + start - walk.previous_start)
            or _named_with_who(sentence, people)
        )
        if introduced and not any(
            offset + start <= at < offset + end and name == introduced for at, name in walk.mentions
        ):
            # "Roe visited ...", named in full before; mentions stay in page order
            bisect.insort(walk.mentions, (offset + start, introduced))
        if introduced:
            people.introduce(introduced)
            walk.introduced_since_quote = True
    walk.pending_intro = introduced


def _meet_given_names(text: str, walk: _Walk, offset: int) -> None:
    """A name a described person gave ("a resident who said his name was “Ana”"), which the page then
    writes in quotation marks: each such “Ana” is a mention of that person, whom the page calls he/she."""
    for match in _NAME_GIVEN_RE.finditer(text):
        walk.given_names[match.group("name")] = "she" if match.group().lower().startswith("her") else "he"
    for name, pronoun in walk.given_names.items():
        for match in re.finditer(rf"[“\"]{re.escape(name)}[”\"]", text):
            if not any(at == offset + match.start() + 1 for at, _ in walk.mentions):
                bisect.insort(walk.mentions, (offset + match.start() + 1, name))
                walk.people.refer(name, pronoun)


def _no_person(text: str, at: int, name: str) -> bool:
    """Whether the name at ``at`` in a paragraph is a place or a part of an organisation's name."""
    if not USE_PARSE:
        return False
    start, end = sentence_at(sentences(text), at)
    return names_no_person(text[start:end], at - start, name)


def _short_intro(sentence: str, people: People, before: str, at: int) -> str | None:
    """A known person a sentence opens with by a short form ("Priya opened by asking ..."), or by a
    surname whose full name the page wrote ``before`` ("Roe visited ..."); ``at``: the sentence's place
    in the passage being read."""
    match = NAME_TOKEN_RE.match(sentence)
    if match is not None and _WHO_AFTER_RE.match(sentence, match.end()):
        return _mononym(match.group(), people)
    if match is None or not re.match(r"\s+\[?[a-z]", sentence[match.end() :]):
        return None
    person = people.lookup(match.group(), at) or people.full_name(match.group(), before)
    if (
        person is None
        and _OPENING_MONONYM_RE.match(sentence)
        and not _written_as_place(match.group(), people)
    ):
        return _mononym(match.group(), people)  # "Yana reacts to ...": one name, a person's
    return person


def _written_as_place(word: str, people: People) -> bool:
    """The page also writes the word after "in", "at", "from", "to" or "of": a place, no person."""
    return re.search(rf"\b(?:in|at|from|to|of)\s+{re.escape(word)}\b", people.article) is not None


def _named_with_who(sentence: str, people: People) -> str | None:
    """A one-word name (or its link) a relative "who" follows mid-sentence ("A reply comes from
    [Lance](…) who says ..."): a person, whom a later he/she can mean."""
    match = _NAME_WHO_RE.search(sentence)
    before = _WORD_BEFORE_RE.search(sentence[: match.start()]) if match else None
    if match is None or before is None or before.group(1).lower() in _DETERMINERS:
        return None  # "the U.S. Ambassador, who ...": a title, no name
    return _mononym(match.group("name"), people)


def _mononym(word: str, people: People) -> str | None:
    """A one-word name a sentence opens with, a relative "who" after it ("Tam — who goes by one name —
    retired ..."): a person, even one the page names no further."""
    person = people.lookup(word) or people.full_name(word)
    if person is None and word.lower() not in people.lower_vocab and word.lower() not in NON_NAME_WORDS:
        people.add([word])
        person = word
    return person


def _speaker(lead: LeadIn, text: str, walk: _Walk) -> str | None:
    """Who a lead-in names: a person, an honest unknown for an unnamed one, None for machine output."""
    key = text[lead.key[0] : lead.key[1]] if lead.key else text
    role = _role(key, lead) if text.rstrip().endswith(":") else None
    if lead.subject is None and not role and _INDEFINITE_RE.match(key):
        plural = _ROLES_RE.search(text)
        role = f"an unnamed {plural.group('role').lower()}" if plural else "an unnamed speaker"
    if lead.subject is None or role:
        if _MACHINE_RE.search(key):
            return None
        if role:
            return role
        if _said_by_writer(key):
            return walk.writer  # "Here's what I replied:": the writer's own words (None: not named)
        if walk.last_speaker and not walk.introduced_since_quote:
            return walk.last_speaker
        return walk.people.current
    # A he/she the page's named persons do not account for: the unnamed speaker just quoted.
    return resolve_speaker(lead, walk.people) or _they_quoted_last(lead, walk) or walk.last_unnamed


def _they_after_group(before: str, walk: _Walk) -> tuple[str | None, str]:
    """The several people quoted last ("X and Y"), for a lead-in whose last sentence has "they" for its
    main subject with no one named since that quote ("They failed to ...:"); (None, "") otherwise."""
    last = walk.last_speaker
    if walk.introduced_since_quote or not last or len(split_speakers(last)) < 2 or not USE_PARSE:
        return None, ""
    if subject_pronoun(_last_sentence(before)) != "they":
        return None, ""
    return last, "'they' subject of the lead-in: the several people quoted last, no one named since"


def _pronoun_lead(before: str, walk: _Walk, lead_span: tuple[int, int] | None) -> tuple[str | None, str]:
    """Whom the pronoun subject of a lead-in ending in a colon that names no person means: "they" after a
    quote of several people (``_they_after_group``), else "he"/"she" (``_pronoun_subject``)."""
    found = _they_after_group(before, walk)
    if found[0] is None and lead_span is not None:
        found = _pronoun_subject(before, walk, lead_span[0])
    return found


def _pronoun_subject(before: str, walk: _Walk, start: int) -> tuple[str | None, str]:
    """Whom a lead-in ending in a colon that names no person means when its last sentence has "he" or
    "she" for its main subject ("He takes a shot at the field:"): that pronoun's person (``by_pronoun``
    at the lead-in's start, page offset ``start``); (None, "") otherwise."""
    if not USE_PARSE:
        return None, ""
    last = _last_sentence(before)
    word = subject_pronoun(last)
    owner = _OWNER_PRONOUNS.get(subject_possessive(last) or "") if word is None else None
    if owner == "they":
        return _their_group(before, walk)
    if (word or owner) not in ("he", "she"):
        return None, ""
    person = walk.by_pronoun(word or owner or "", start)
    return (person, "he/she (or his/her) subject of the lead-in's last sentence") if person else (None, "")


_OWNER_PRONOUNS = {"his": "he", "her": "she", "their": "they"}


def _their_group(before: str, walk: _Walk) -> tuple[str | None, str]:
    """Whose "their <noun>" the subject of a lead-in's last sentence is ("Their main message is in the
    conclusion:"): the several people joined by "and" the lead-in names, when it names them and no one
    else; (None, "") otherwise."""
    refs = speaker_refs(before, walk.people)
    groups = {join_names(r.names) for r in refs if r.kind == ReferenceKind.GROUP}
    groups.update(g for s, e in sentences(before) for g in subject_groups(before[s:e]))
    if len(groups) != 1 or any(r.kind == ReferenceKind.PERSON for r in refs):
        return None, ""
    return groups.pop(), "'their' on the lead-in's subject: the several people it names"


def _they_quoted_last(lead: LeadIn, walk: _Walk) -> str | None:
    """The several people quoted last ("X and Y"), for a lead-in whose subject is "they" with no one
    named since that quote ("They also find that ..."); None otherwise."""
    subject = lead.subject
    if subject is None or subject.kind != ReferenceKind.PLURAL or walk.introduced_since_quote:
        return None
    last = walk.last_speaker
    return last if last and len(split_speakers(last)) > 1 else None


def _said_by_writer(key: str) -> bool:
    """Whether the parse has "I" for the subject of the lead-in's verb of saying ("Here's what I
    replied:"): the writer speaks, not the person the page is about."""
    found = attribute_sentence(key) if USE_PARSE else None
    return found is not None and found.kind == SubjectKind.NONE and found.text == "i"


def _role(key: str, lead: LeadIn) -> str | None:
    """An honest "an unnamed guest" when the speaking subject is a role, not a name ("Her guest said")."""
    match = _ROLE_RE.search(key)
    if match is None:
        return None
    named = [
        r
        for r in lead.refs
        if r.kind in (ReferenceKind.PERSON, ReferenceKind.GROUP) and lead.key and lead.key[0] <= r.pos
    ]
    if named:
        return None
    return f"an unnamed {match.group('role').lower()}"


def _capitals_head_next(items: list[Item], i: int) -> bool:
    """Whether the paragraph after ``i`` is a head in capitals alone ("UPDATES:"): a section the writer
    opens, no one's words."""
    return i + 1 < len(items) and _CAPS_HEAD_RE.fullmatch(items[i + 1].text.strip()) is not None


def _repeats_heading(items: list[Item], i: int, page_text: str) -> bool:
    """Whether the paragraph ``i`` is a copy of the page's title (a line of the text before the article)
    or of one of its headings, bullet aside ("• X snubs Y, says ..." in a breadcrumb trail under the
    title "X snubs Y, says ..."): a headline, which introduces none of the lines after it (a dateline, a
    photo's caption)."""
    text = _BULLET_RE.sub("", items[i].text).strip()
    if not text:
        return False
    top = page_text[: items[0].block.start].split("\n")
    return any(line.strip() == text for line in top) or any(
        item.heading and item.text.strip() == text for item in items
    )


_BULLET_RE = re.compile(r"^\s*[•·▪◦*–-]\s*")


def _lead_in_quote(items: list[Item], i: int, lead: LeadIn, walk: _Walk) -> int:
    """Take the paragraphs after the lead-in ``items[i]`` as a quote if they are one; the next index."""
    item = items[i]
    for ref in lead.refs:
        if ref.kind in (ReferenceKind.GROUP, ReferenceKind.COAUTHORS):
            walk.people.add(ref.names)
    speaker = _speaker(lead, item.text, walk)
    if speaker is None or (i + 1 < len(items) and items[i + 1].quote_group is not None):
        return i + 1  # a markup block quote is taken with its own lead-in
    if STRICT_LEAD_IN and not _introduces(item.text, items[i + 1].text if i + 1 < len(items) else "", lead):
        return i + 1
    if (
        _writers_entries(items, i)
        or _capitals_head_next(items, i)
        or _repeats_heading(items, i, walk.page_text)
    ):
        return i + 1  # "9. …" then "10. …", entries under run-in heads, a headline's copy: no lead-in
    if _cannot_speak(item.text, lead):
        return i + 1  # "Portugal argued for decades that ...": a place's position, not someone's words next
    if i + 1 < len(items) and not item.text.rstrip().endswith(":") and _names_own_speaker(items[i + 1].text):
        return i + 1  # "“…?” Ana asked.": the next paragraph says whose its quotation is
    names = [*split_speakers(speaker), *([walk.people.current] if walk.people.current else [])]
    following = items[i + 1].text if i + 1 < len(items) else ""
    if not (item.text.rstrip().endswith(":") or following[:1] in '“"‘'):
        # Nothing marks the next paragraph as quoted: if it names a person the lead-in paragraph names,
        # the writer is talking about them ("Like X before him, Y ..."), not quoting.
        names += [name for at, name in walk.mentions if item.block.start <= at < item.block.end]
    end = _quote_end(items, i + 1, names, walk.people, bool(_EXCERPT_RE.search(item.text)))
    if end is None:
        return i + 1
    first, last = items[i + 1].block, items[end].block
    span = _unquoted(first.start, last.end, walk.page_text)
    walk.add(speaker, lead, span, item, item.text, "lead-in paragraph")
    return end + 1


def _writers_entries(items: list[Item], i: int) -> bool:
    """Whether the paragraphs after ``items[i]`` are the writer's own list: the next item of a numbered
    list ("9. …", then "10. …"), or entries that each open with a short run-in head and a colon, two or
    more in a row ("Hawks 3, Owls 1: …")."""
    after = [item.text for item in items[i + 1 : i + 3]]
    if after and _next_item(items[i].text, after[0]):
        return True
    return len(after) == 2 and all(_RUN_IN_HEAD_RE.match(text) for text in after)


def _next_item(text: str, following: str) -> bool:
    """Whether ``following`` is the item after ``text`` in a numbered list ("9. …", then "10. …")."""
    this, then = _NUMBERED_RE.match(text), _NUMBERED_RE.match(following)
    return this is not None and then is not None and int(then.group(1)) == int(this.group(1)) + 1


def _names_own_speaker(text: str) -> bool:
    """A paragraph opening with a quotation whose own sentence names who said it ("“…,” Ana said.")."""
    found = _quotations(text)[:1] if USE_PARSE and text[:1] in _OPENING_MARKS else []
    if not found or found[0].outer[0] != 0:
        return False
    end = _said_after(text, sentences(text), found[0].outer[1])
    said = attribute(text[:end], (found[0].start, found[0].end))
    return said is not None and said.kind in (SubjectKind.NAME, SubjectKind.GROUP)


def _cannot_speak(lead_in: str, lead: LeadIn) -> bool:
    """Whether the parse of the lead-in's speech sentence makes its subject a named thing that cannot
    speak (a place, a product, a date: the entity tagger's label), though the rules read a name there;
    or makes the speech only what the writer compares something with ("It is less than X claimed.")."""
    key = lead_in[lead.key[0] : lead.key[1]] if lead.key else lead_in
    found = attribute_sentence(key) if USE_PARSE else None
    if found is not None and found.kind == SubjectKind.NONE and found.text[:1].isupper():
        return True
    return USE_PARSE and compares_speech(key)


def _introduces(lead_in: str, following: str, lead: LeadIn) -> bool:
    """Whether a lead-in paragraph introduces the next as a quotation: it ends in a colon, the next opens
    with a quotation mark, the next reads as an excerpt of what the speech sentence (mid-paragraph)
    introduced, or its speech sentence ends the paragraph and is not itself reported speech
    ("Authorities say a stabbing ... may have ...": the words are given in the sentence, nothing follows)."""
    if lead_in.rstrip().endswith(":") or following[:1] in '“"‘':
        return True
    if lead.key and len(lead_in[lead.key[1] :].split()) >= _LATER_WORDS:
        # The speech sentence is mid-paragraph and the writer went on: the next paragraph is the words
        # only if it reads as an excerpt (opening in lower case, elided with "…").
        return following[:1].islower() or bool(_ELISION_RE.search(following))
    key = lead_in[lead.key[0] : lead.key[1]] if lead.key else lead_in
    if _OPENING_QUOTATION_RE.match(key):
        return False  # "“Don’t mind me!” he told them.": the sentence gives its words itself
    return not (USE_PARSE and (reports_speech(key) or counts_amounts(key) or denies_speech(key)))


def _unquoted(start: int, end: int, text: str) -> tuple[int, int]:
    """The span without a bullet before the passage and the quotation marks around all of it (“...”), if
    it has them."""
    if bullet := _BULLET_RE.match(text, start, end):
        start = bullet.end()
    inner = text[start + 1 : end - 1]
    marked = text[start] in '“"' and text[end - 1] in '”"'
    if end - start > 2 and marked and not _QUOTE_MARK_RE.search(inner):
        return start + 1, end - 1
    return start, end


_QUOTE_MARK_RE = re.compile(r"[“”\"]")
_BULLET_RE = re.compile(r"[•·▪◦]\s+")
# A note's label: "Note:", "**Warning**:", "Side note:", "Editor's note:".
_ADMONITION_RE = re.compile(r"(?:\*\*|__)?[A-Za-z]+(?:['’]s)?(?: [a-z]+)?(?:\*\*|__)?:\s")
_MD_LINK_RE = re.compile(r"\[([^\]\n]*(?:\n[^\]\n]*)?)\]\([^)\s]*\)")  # [text](address)
# "As the docs state:", "As one reviewer put it:": the words that follow are that source's.
_AS_SOURCE_SAYS_RE = re.compile(
    rf"As\s+(?P<who>[^,:;]{{1,60}}?)\s+(?:{SPEECH_RE.pattern}|states?)\s*[:,]?$", re.IGNORECASE
)
# A sentence presenting what follows though it ends in a full stop: "Here's an excerpt from ...".
_PRESENTS_RE = re.compile(r"\s*Here(?:['’]s| is| are)\b")
_EMPHASIS_RE = re.compile(r"[*_`]")
_REPEAT_CHARS = 40  # a block quote opening this long, given before on the page, is a repeat
_WE_RE = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)
_YOU_RE = re.compile(r"\b(?:you|your|yours|yourself)\b", re.IGNORECASE)
_END_RE = re.compile(r"[\s.!…]*")
_CHAT_LINE_RE = re.compile(r"\\?<(?P<nick>[^\s<>\\]{1,30})\\?>[ \t]+(?=\S)")
_CHAT_ACTION_RE = re.compile(r"\\?\*\S")
_ADDRESSEE_RE = re.compile(r"(?P<nick>[^\s:]{1,30}):[ \t]+(?=\S)")
_ATTRIBUTION_BELOW_RE = re.compile(
    rf"\s*(?:—|–|--|~)[ \t]*(?P<name>[{UP}][\w.*’'-]*(?:[ \t]+[{UP}][\w.*’'-]*){{0,3}})\s*"
)
_HANDLE_RE = re.compile(r"[^\W\d_][\w.-]{2,30}")  # a user name: one word, a letter first
_SIGNATURE_LINE_RE = re.compile(r"^[ \t]*(?:—|–)[ \t]*(?P<name>[^\n,;:]{2,80}?)[ \t]*$", re.MULTILINE)
_TRAILING_SIGNATURE_RE = re.compile(
    r"(?<=[.!?”\"’])[ \t]+(?:—|–|--|-|~)[ \t]*(?P<name>[^\n,;:.!?—–-]{3,60}?)[ \t]*$"
)
# One quotation signed after a dash with a description, not a name: "“…” -- Team lead at X".
_ROLE_SIGNATURE_RE = re.compile(
    r"(?P<quote>[\"“][^\"“”]+[\"”])\s*(?:--|—|–)\s*(?P<role>[A-Z][^.!?\"“”@]{2,100}?)\s*"
)
# A block quote ending in its citation: "(Lee and Moss, 2011)", "([Okoro et al. 2012](…))".
_CITED_NAME = r"[A-Z][\w’'-]+"
_CITED_AUTHORS = (
    rf"{_CITED_NAME}(?:(?:,[ \t]*{_CITED_NAME})*,?[ \t]+(?:and|&)[ \t]+{_CITED_NAME}|[ \t]+et[ \t]+al\.?)?"
)
_CITATION_END_RE = re.compile(
    rf"(?<=[.!?”\"’])\s*\(\s*\[?(?P<authors>{_CITED_AUTHORS}),?[ \t]+\(?\d{{4}}[a-z]?\)?\]?"
    r"(?:\([^()\s]*\))?\s*\)\s*$"
)
_ELISION = r"\((?:…|\.\.\.|&hellip;)\)"
_TAG_START_RE = re.compile(r"<[a-zA-Z][^<>\n]*>\s*")  # a raw HTML tag a Markdown page left in
_TAG_END_RE = re.compile(r"\s*</[a-zA-Z]+>\s*$")
_ELISION_START_RE = re.compile(rf"{_ELISION}\s*")
_ELISION_END_RE = re.compile(rf"\s*{_ELISION}\s*$")
_DESCRIBED_BY_SIGNATURE = "attribution line describing the speaker"
_POST_SIGNATURE_RE = re.compile(r"(?P<name>[^()\n@]{2,50}?)\s*\(@\w{1,15}\)")  # "Ana (@ana_r) May 2, 2019"
_ENCLOSED_RE = re.compile(r"[\"“][^\"“”]+[\"”][.!?]?")  # one quotation, marks around all of it
_OPENING_QUOTATION_RE = re.compile(r"\s*[“\"][^“”\"\n]+[”\"]")
_OPENING_MARKS = "“\"‘'"
MIN_EXCERPT_PARAGRAPHS = 2  # a report's excerpt runs over paragraphs; one paragraph is a quote
_IMAGE_RE = re.compile(r"!\[[^\]\n]*\]")  # a Markdown image: ![alt text]
_ELISION_RE = re.compile(r"…|\.\.\.")  # words left out of an excerpt (not a bracketed link text)
_LATER_WORDS = 3  # words after a lead-in's speech sentence that make another sentence of the writer's
_BYLINE_RE = re.compile(r"By:?[ \t]+(?P<name>[A-Z][^\n]{1,80})")


def _markup_quote(items: list[Item], i: int, walk: _Walk) -> int:
    """A block quote the markup marks: one quote over its paragraphs, said by the person its own
    attribution line ("— Name") or the lead-in before it names; without either it is not taken as a quote
    (pull quotes, notes and program output are set as block quotes too)."""
    group = items[i].quote_group
    end = i
    while (
        end + 1 < len(items)
        and items[end + 1].quote_group == group
        and not (end > i and _signs(items[end], walk))
        and not _ROLE_SIGNATURE_RE.fullmatch(items[end].text)
    ):
        end += 1  # a signature line ("— Name") ends one person's quotation; the next begins after it
    if _read_apart(items, i, end, walk):
        return end - i + 1
    signature = _SIGNATURE_RE.fullmatch(items[end].text) if end > i else None
    if signature is not None:  # the attribution is a paragraph of its own (<cite>, <figcaption>)
        span, signed = _signed_end(items[i].block.start, items[end].block, walk)
        span = (items[i].block.start, items[end - 1].block.end)
    else:
        span, signed = _signed_end(items[i].block.start, items[end].block, walk)
    taken = end - i + 1
    if signed is None and signature is None and (below := _attribution_below(items, end, walk.people)):
        signed, taken = below, taken + 1  # "– Ol***" as a paragraph of its own under the block quote
    previous = _lead_in_item(items, i)
    before = previous.text if previous and not previous.heading and previous.quote_group is None else ""
    lead = analyse_lead_in(before, walk.people) if before and signed is None else None
    parsed = _parsed_lead_in(before, walk, previous.block.start if previous else 0) if not signed else None
    parsed = parsed or (_reported_inside(items[i].text, walk) if not signed else None)
    parsed = parsed or (_linked_authors(before) if not signed else None)
    speaker, how = parsed or (signed, _signature_how(items[end].block.text))
    if speaker is None and lead is not None:
        speaker, how = _block_lead_speaker(lead, before, walk), "lead-in before the block quote (rules)"
        if USE_PARSE and lead.subject is None and speaker and not speaker.startswith("an unnamed"):
            speaker = None  # the lead-in names no one: the person quoted last would be a guess
    last_line = items[end].text[items[end].text.rfind("\n") + 1 :]
    has_signature = signature is not None or _SIGNATURE_RE.fullmatch(last_line) is not None
    if speaker is None and not has_signature and not _MACHINE_RE.search(before):
        lead_span = (previous.block.start, previous.block.end) if previous and before else None
        speaker, how = _uncredited_speaker(items[i : end + 1], before, walk, lead_span, i)
    words = len(walk.page_text[span[0] : span[1]].split())
    if speaker is not None and words >= _INLINE_MIN_WORDS and not _said_before(items, i, end):
        for part in _apart(items[i : end + 1], span):
            span = _without_elisions(walk.page_text, _inside_marks(walk.page_text, part))
            walk.add(speaker, lead, span, items[i], before, how)
    return taken


def _uncredited_speaker(
    group: list[Item], before: str, walk: _Walk, lead_span: tuple[int, int] | None, i: int
) -> tuple[str | None, str]:
    """Who the block quote ``group`` (item ``i`` on) is by when no line signs it and its lead-in names no
    speaker (``_unsigned_speaker``), else the authors of the work the page is about (``_work_authors``)."""
    block = "\n\n".join(item.text for item in group)
    after_answer = bool(walk.interviewee and walk.transcript and walk.transcript.covers(i - 1))
    speaker, how = _unsigned_speaker(before, block, walk, lead_span, after_answer)
    if speaker == UNKNOWN and how == _UNSAID and (authors := _work_authors(walk, group[0].block.start)):
        return authors, "the authors of the work the page last named, no one else named since"
    return speaker, how


def _signature_how(last: str) -> str:
    """How a block quote's attribution line gave its speaker: by name, or by who the speaker is."""
    return _DESCRIBED_BY_SIGNATURE if _ROLE_SIGNATURE_RE.fullmatch(last) else "attribution line"


def _apart(group: list[Item], span: tuple[int, int]) -> list[tuple[int, int]]:
    """A block quote's span cut where a paragraph that is one closed quotation (‘…’, “…”) is followed by
    one opening another: each is a quotation of its own (one running on leaves its paragraph open)."""
    cuts = [
        n
        for n in range(len(group) - 1)
        if span[0] < group[n + 1].block.start < span[1]
        and _closed_then_opened(group[n].text, group[n + 1].text)
    ]
    starts = [span[0], *(group[n + 1].block.start for n in cuts)]
    ends = [*(group[n].block.end for n in cuts), span[1]]
    return list(zip(starts, ends, strict=True))


def _closed_then_opened(text: str, following: str) -> bool:
    whole = _quotations(text.strip())
    return (
        len(whole) == 1
        and not whole[0].open
        and whole[0].outer == (0, len(text.strip()))
        and following[:1] in _OPENING_MARKS
    )


def _signs(item: Item, walk: _Walk) -> bool:
    """A paragraph that is only an attribution line naming a person ("— Ana Roe (team)", or a user name
    on a page that signs its block quotes with full names)."""
    match = _SIGNATURE_RE.fullmatch(item.text)
    if match is None:
        return False
    return bool(name_candidates(match.group("name"), frozenset())) or _handle(match.group("name"), walk)


def _handle(name: str, walk: _Walk) -> bool:
    """A signature's one word that is a user name ("— quill", "— Zorander"): not an ordinary word nor a
    title, on a page whose other block quotes are signed with full names (the page's way of signing)."""
    word = name.strip()
    if not _HANDLE_RE.fullmatch(word) or word.lower() in NON_NAME_WORDS or word.lower() in TITLES:
        return False
    if walk.full_signatures is None:
        found = (m.group("name") for m in _SIGNATURE_LINE_RE.finditer(walk.page_text))
        walk.full_signatures = sum(bool(name_candidates(n, frozenset())) for n in found)
    return walk.full_signatures > 0


def _read_apart(items: list[Item], i: int, end: int, walk: _Walk) -> bool:
    """Block quotes ``items[i : end + 1]`` that are no quote of their own: code, a chat log, an excerpt
    (read as the article's paragraphs), or the second part of a quote a code sample splits (the quote
    before is extended over it)."""
    group = items[i : end + 1]
    if any(item.code for item in group) or _chat_log(group, walk) or _excerpt(group, walk):
        return True
    if not _resumes_after_code(items, i, walk):
        return False
    last, stop = walk.quotes[-1], items[end].block.end
    walk.quotes[-1] = replace(last, text=walk.page_text[last.char_start : stop], char_end=stop)
    return True


def _resumes_after_code(items: list[Item], i: int, walk: _Walk) -> bool:
    """A block quote going on after a code sample it quotes (block quote, code, block quote): the
    second part of the quote taken from the block quote before the code."""
    if i < 2 or not items[i - 1].code or items[i - 2].quote_group is None or not walk.quotes:
        return False
    before = items[i - 2].block
    return before.start <= walk.quotes[-1].char_start and walk.quotes[-1].char_end <= before.end


def _said_before(items: list[Item], i: int, end: int) -> bool:
    """A block quote ``items[i : end + 1]`` opening with words the page has already given in its text
    (the page quoting itself to stress a phrase, a pull quote repeating the body): not a new quote. A title
    or a heading taking the quote's words is no giving of them (the page's title is none of its items),
    and an embedded post signed with its handle ("— Ana Roe (@ana) May 2, 2019") is the post itself, which
    the body may have quoted first."""
    last = items[end].text[items[end].text.rfind("\n") + 1 :]
    signature = _SIGNATURE_RE.fullmatch(last)
    if signature is not None and _POST_SIGNATURE_RE.match(signature.group("name")):
        return False
    opening = _plain(items[i].text)[:_REPEAT_CHARS]
    earlier = _plain(" ".join(item.text for item in items[:i] if not item.heading))
    return len(opening) == _REPEAT_CHARS and opening in earlier


def _plain(text: str) -> str:
    """Text without Markdown links, emphasis and code marks, whitespace collapsed, case folded."""
    return " ".join(_EMPHASIS_RE.sub("", _MD_LINK_RE.sub(r"\1", text)).split()).casefold()


def _excerpt(group: list[Item], walk: _Walk) -> bool:
    """An excerpt of another page set as a block quote (a report that quotes people in its own
    sentences: "“…,” she wrote."): its paragraphs are read as the article's, each quotation credited by
    its own said-clause. False when the block quote opens as a quotation or quotes no one this way.
    A block quote whose every paragraph is mostly a quotation with its own said-clause ("“…,” the
    expert warned.") is read the same way: the block sets off the reporting sentence, not one voice."""
    if not all(_self_credited(item.text) for item in group):
        if group[0].text[:1] in _OPENING_MARKS or len(group) < MIN_EXCERPT_PARAGRAPHS:
            return False
        if not any(_quotations(item.text) and SPEECH_RE.search(item.text) for item in group):
            return False
    for item in group:
        _meet_people(item.text, walk, item.block.start)
        _inline_quotes(item, walk)
    return True


def _self_credited(text: str) -> bool:
    """A paragraph that is mostly quoted words, the words outside the quotation marks a verb of saying
    (the quotation's own said-clause)."""
    quotations = _quotations(text)
    if not quotations:
        return False
    outside, last = [], 0
    for q in quotations:
        outside.append(text[last : q.outer[0]])
        last = q.outer[1]
    rest = " ".join([*outside, text[last:]])
    quoted = sum(len(text[q.start : q.end].split()) for q in quotations)
    return len(rest.split()) < quoted and SPEECH_RE.search(rest) is not None


def _lead_in_item(items: list[Item], i: int) -> Item | None:
    """The item before a block quote; for quotations listed one per block quote, the one above the list."""
    at = i - 1
    while at >= 0 and _listed(items[at]) and _listed(items[i]):
        at -= 1
    return items[at] if at >= 0 else None


def _listed(item: Item) -> bool:
    """A block quote that is one quotation wholly inside quotation marks (a list of readers' words)."""
    return item.quote_group is not None and bool(_ENCLOSED_RE.fullmatch(item.text.strip()))


def _inside_marks(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A block quote's span without the quotation marks around all of it (a review set as “…”)."""
    inner = text[span[0] : span[1]]
    if len(inner) > 2 and inner[0] in '“"' and inner[-1] in '”"' and len(_QUOTE_MARK_RE.findall(inner)) == 2:
        return span[0] + 1, span[1] - 1
    return span


def _without_elisions(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A block quote's span without the parenthesised elision marks at its ends ("(…) words. (…)"): the
    writer's marks for words left out, no quoted words; nor a raw HTML tag left there ("<p class=…>")."""
    start, end = span
    for opening_re, closing_re in ((_TAG_START_RE, _TAG_END_RE), (_ELISION_START_RE, _ELISION_END_RE)):
        if opening := opening_re.match(text, start, end):
            start = opening.end()
        if closing := closing_re.search(text, start, end):
            end = closing.start()
    return (start, end) if start < end else span


def _chat_log(group: list[Item], walk: _Walk) -> bool:
    """A chat log set as a block quote ("<nick> words" lines, IRC style, the marks possibly escaped
    "\\<nick\\>"): each line is a quote by its nick as printed, without an addressee prefix ("nick: ") naming
    another participant; action lines ("*nick laughs") and lines too short to say anything are not quotes.
    False when the block quote is not such a log (every line must be a chat line, two or more)."""
    lines = [(item, _CHAT_LINE_RE.match(item.text)) for item in group]
    said = [(item, m) for item, m in lines if m is not None]
    if len(said) < 2 or any(m is None and not _CHAT_ACTION_RE.match(item.text) for item, m in lines):
        return False
    nicks = {m.group("nick") for _, m in said}
    for item, match in said:
        start = match.end()
        addressee = _ADDRESSEE_RE.match(item.text, start)
        if addressee is not None and addressee.group("nick") in nicks:
            start = addressee.end()
        words = item.text[start:].strip()
        if len(words.split()) < _INLINE_MIN_WORDS - 1:
            continue
        span = (item.block.start + start, item.block.start + len(item.text.rstrip()))
        walk.add_stated(match.group("nick"), (None, None), span, item, "", "chat log line (<nick> words)")
    return True


def _attribution_below(items: list[Item], end: int, people: People) -> str | None:
    """The signature set as the paragraph right after a block quote: a dash and one to four capitalised
    words, nothing else ("— Kate Moran", a reviewer's masked "– Ha** Ki*"), as printed (or the full name
    the page gave)."""
    after = items[end + 1] if end + 1 < len(items) else None
    if after is None or after.heading or after.code or after.quote_group is not None:
        return None
    match = _ATTRIBUTION_BELOW_RE.fullmatch(after.text)
    if match is None:
        return None
    name = " ".join(match.group("name").split())
    return people.lookup(name) or name


def _parsed_lead_in(before: str, walk: _Walk, pos: int) -> tuple[str, str] | None:
    """The speaker a block quote's lead-in names as the subject of its last speech verb (by the parse):
    a name, a he/she resolved, a group, "an unnamed <role>"; None if the parse names no one."""
    last_start = sentences(before)[-1][0] if before else 0
    found = attribute_sentence(before[last_start:]) if before and USE_PARSE else None
    if (found is None or found.kind == SubjectKind.NONE) and before.rstrip().endswith(":") and USE_PARSE:
        found = voiced_in_work(before[last_start:])  # "X echoed this in his essay:": the essay's words
    if found is None or found.kind == SubjectKind.NONE:
        return None
    if found.kind == SubjectKind.NAME and (cited := _cited(before)):
        return cited, "the authors the lead-in's last sentence cites by name (and year)"  # "Roe et al. say"
    speaker = resolve_attribution(found, walk.people, walk.last_unnamed)
    if speaker is not None and found.kind == SubjectKind.PRONOUN:
        speaker = walk.pronoun_person(found, pos + len(before.rstrip()), pos + last_start) or speaker
    if speaker is None and found.text in ("they", "them") and (group := walk.they(pos + last_start)):
        # "The Times told us ... They wrote:": the name that is the sentence before's subject
        return group, f"'they' subject of '{found.verb}' in the lead-in: the sentence before's subject"
    return (speaker, f"{found.kind} subject of '{found.verb}' in the lead-in") if speaker else None


def _linked_authors(before: str) -> tuple[str, str] | None:
    """The authors a lead-in ending in a colon cites by a link whose text is only their names, right before
    the colon ("... finds an echo in [X and Y](…):", "[X et al.](…):"), as written; None otherwise."""
    match = _LINKED_AUTHORS_RE.search(before)
    if match is None:
        return None
    return match.group("authors"), "the authors the lead-in ends with, cited by a link"


_LINKED_AUTHORS_RE = re.compile(rf"\[(?P<authors>{_CITED_AUTHORS})\]\([^()\s]*\)\s*:\s*$")


def _reported_inside(first: str, walk: _Walk) -> tuple[str, str] | None:
    """The person a block quote's own first sentence names as the speaker of the words it quotes (an
    excerpt of a report: "“‘…,’ [Bruck] said."), by the parse; None if it names no one."""
    sentence = first[: sentences(first)[0][1]]
    found = attribute_sentence(sentence) if USE_PARSE and SPEECH_RE.search(sentence) else None
    if found is None or found.kind != SubjectKind.NAME:
        return None
    speaker = resolve_attribution(found, walk.people, walk.last_unnamed)
    return (speaker, "name subject of 'say' inside the block quote") if speaker else None


def _unsigned_speaker(
    before: str, block: str, walk: _Walk, lead_span: tuple[int, int] | None, after_answer: bool
) -> tuple[str | None, str]:
    """Who a block quote with no attribution line and no speaking subject in its lead-in is by: the
    page's author for a lead-in in the first person plural ("we announced") unless the block quote is
    wholly in quotation marks (someone else's words, quoted), the interviewee amid a transcript's
    answers, the person a lead-in ending in a colon (or presenting it: "Here's ...") mentions last (by
    name, short form or a linked title's full name: "Nice Reid! Exactly:") or the person a lead-in ends
    with ("..., including the rapper X."), else unknown. Not a quote: a note or program output ("Note:
    ...", "warning: ..."), and, after a lead-in that does not introduce it, the writer's own line set off
    as a block quote (one sentence, or words to the reader: "you")."""
    if _ADMONITION_RE.match(block):
        return None, ""
    if block[:1].islower():  # the block quote goes on with the lead-in's "X (2014) argues that"
        cited = _cited(before) if _THAT_END_RE.search(_MD_LINK_RE.sub(r"\1", before)) else None
        return (
            (cited, "the authors the lead-in cites, whose clause the block quote ends")
            if cited
            else (None, "")
        )
    if walk.page_author and _by_us(before) and not _ENCLOSED_RE.fullmatch(block.strip()):
        return walk.page_author, "the page's author (the lead-in says we/our)"
    if after_answer:
        return walk.interviewee, "amid the interviewee's answers"
    introduced = before.rstrip().endswith((":", "…", "...")) or bool(
        _PRESENTS_RE.match(_last_sentence(before))
    )
    named = _named_near(before, walk, lead_span if introduced else None)
    if named[0] is None and introduced:
        named = _pronoun_lead(before, walk, lead_span)
    if named[0] is not None:
        return named
    if _ENCLOSED_RE.fullmatch(block.strip()):
        return UNKNOWN, "block quote in quotation marks; the page does not say whose words"
    if not introduced and (len(sentences(block)) == 1 or _YOU_RE.search(block)):
        return None, ""
    if len(sentences(block)) == 1 and _YOU_RE.search(block) and not SPEECH_RE.search(before):
        return None, ""  # "But here is the catch …" then one sentence to the reader: the writer's callout
    return _cited_work(before, walk, lead_span)


def _cited_work(before: str, walk: _Walk, lead_span: tuple[int, int] | None) -> tuple[str, str]:
    """The authors the paragraph before a block quote cites by name and year for writing a work ("X
    (1976) wrote an article on it. He says ..."), as written, when that paragraph cites no other work and
    mentions no one else: the block quote is that work's words; an honest unknown otherwise."""
    if not USE_PARSE or lead_span is None:
        return UNKNOWN, _UNSAID
    plain = _MD_LINK_RE.sub(r"\1", before)
    found = {join_names(a) for s, e in sentences(plain) if (a := cited_work_authors(plain[s:e]))}
    if len(found) != 1:
        return UNKNOWN, _UNSAID
    authors = found.pop()
    surnames = {a.removesuffix(" et al.").split()[-1] for a in split_speakers(authors)}
    others = [
        n for at, n in walk.mentions if lead_span[0] <= at < lead_span[1] and n.split()[-1] not in surnames
    ]
    if others:
        return UNKNOWN, _UNSAID
    return authors, "the authors the paragraph before cites for writing a work, no one else named there"


_UNSAID = "block quote; the page does not say whose words"
_THAT_END_RE = re.compile(r"\bthat\s*$")


def _work_authors(walk: _Walk, start: int) -> str | None:
    """Whose words an uncredited block quote at page offset ``start`` is, on a page about a work: the
    persons the page last wrote the work to be by ("a paper, Title, by X and Y"), when it has mentioned no
    one else since; None otherwise."""
    found = None
    for match in _BY_RE.finditer(walk.page_text, 0, start):
        authors = _listed_persons(walk.page_text[match.end() : match.end() + _AUTHOR_CHARS], walk.people)
        found = (match.end(), authors) if authors else found
    if found is None or any(found[0] <= at < start and n not in found[1] for at, n in walk.mentions):
        return None
    sentence = _sentence_around(walk.page_text, found[0])
    if not is_author_of(walk.page_text[sentence[0] : sentence[1]], found[0] - sentence[0]):
        return None  # "was written by X": the agent of a passive verb, no work's author
    return join_names(found[1])


def _listed_persons(text: str, people: People) -> list[str]:
    """The known persons whose full names open ``text``, one after another ("X, Y and Z"); [] if none."""
    persons: list[str] = []
    at = 0
    for name in name_candidates(text, frozenset()):
        person = people.lookup(name.name)
        if person is None or not _AUTHOR_JOIN_RE.fullmatch(text[at : name.start]):
            break
        persons.append(person)
        at = name.end
    return persons


_AUTHOR_CHARS = 160
_AUTHOR_JOIN_RE = re.compile(r"|,?\s+(?:and|&)\s+|,\s*")


def _named_near(before: str, walk: _Walk, lead_span: tuple[int, int] | None) -> tuple[str | None, str]:
    """The person an unsigned block quote is by: the one an introducing lead-in (``lead_span``) mentions
    last, else the one the lead-in ends with, else the one the section's heading is; (None, "") if none."""
    if lead_span is not None:
        cited = _cited(before)
        if cited is not None:
            return cited, "the authors the lead-in's last sentence cites by name and year"
        mentioned = [
            (at, name)
            for at, name in walk.mentions
            if lead_span[0] <= at < lead_span[1] and not _tagged_other(at, name, walk.page_text)
        ]
        subject = _main_subject(mentioned, walk.page_text)
        if subject is not None:
            return subject, "the person the lead-in's last sentence has for subject"
        if mentioned and _addressed(mentioned[-1][0], walk.page_text):
            # "X's reply to Y read:", "The board sent Y this answer:": Y is whom the words go to
            return UNKNOWN, "block quote after a lead-in whose last person named is its addressee"
        if mentioned:
            return mentioned[-1][1], "the person the lead-in mentions last"
    ending = _ending_person(before, walk.people)
    if ending is not None:
        return ending, "the person the lead-in ends with"
    if lead_span is not None and (author := _work_author(before, walk, lead_span[0])):
        return author, "the one person the page wrote the work the lead-in opens with to be by"
    if walk.section_person is not None:
        return walk.section_person, "the person the section's heading names"
    return None, ""


def _work_author(before: str, walk: _Walk, start: int) -> str | None:
    """Whose words a block quote is when its lead-in opens with a work ("The paper she reacts to is ...:"):
    the one known person the page wrote before, in one paragraph with that work's noun, as whom the work
    is by ("the paper ... by X"); None when the lead-in opens with no work or the page gives no one or
    several."""
    opening = _WORK_OPENING_RE.match(before)
    if opening is None:
        return None
    noun = opening.group("noun").lower()
    authors = {
        person
        for match in _BY_RE.finditer(walk.page_text, 0, start)
        for person in walk.people.known
        if len(person.split()) > 1
        and walk.page_text.startswith(person, match.end())
        and re.search(rf"\b{re.escape(noun)}\b", _paragraph_before(walk.page_text, match.start()), re.I)
    }
    return authors.pop() if len(authors) == 1 else None


def _paragraph_before(text: str, pos: int) -> str:
    return text[text.rfind("\n\n", 0, pos) + 1 : pos]


_WORK_OPENING_RE = re.compile(
    r"The\s+(?P<noun>paper|essay|article|book|report|study|letter|post|review)\b(?!\s+(?:by|from|of)\b)"
)
_BY_RE = re.compile(r"\bby\s+\[?")


def _cited(before: str) -> str | None:
    """The authors of a paper the lead-in's last sentence has for subject, cited by name and year
    ("[Lang and Schwabe (2021)](...) find that ...:"), as the page writes them; None otherwise."""
    if not USE_PARSE:
        return None
    authors = cited_authors(_MD_LINK_RE.sub(r"\1", _last_sentence(before)))
    return join_names(authors) if authors else None


def _place(at: int, name: str, text: str) -> bool:
    """Whether the mention of ``name`` at page offset ``at`` is a place by the entity tagger."""
    if not USE_PARSE:
        return False
    start, end = _sentence_around(text, at)
    return is_place(text[start:end], at - start, name)


def _tagged_other(at: int, name: str, text: str) -> bool:
    """Whether the entity tagger takes the mention of ``name`` at page offset ``at``, the whole of it, for
    a place or a thing: a facility, a product, an event, a work, a law, a language ("He takes a shot at
    Natural Language Processing:" names a field, not whose words follow). Not an organisation: the small
    model tags persons written with initials so ("C.K. Walker")."""
    if not USE_PARSE:
        return False
    start, end = _sentence_around(text, at)
    return entity_label(text[start:end], at - start, name) in _THING_LABELS or _place(at, name, text)


def _block_lead_speaker(lead: LeadIn, text: str, walk: _Walk) -> str | None:
    """Who a block quote's lead-in names by the rules (``_speaker``); None when the name they take is a
    thing's ("... takes a shot at Information Retrieval:": a field's name, no one's words)."""
    return None if _thing_subject(lead, text) else _speaker(lead, text, walk)


def _thing_subject(lead: LeadIn, text: str) -> bool:
    """Whether the one name a lead-in's rules take for its speaker is what the entity tagger calls a
    thing (``_THING_LABELS``), the whole of it, in its sentence of ``text``."""
    subject = lead.subject
    if not USE_PARSE or subject is None or subject.kind != ReferenceKind.PERSON or len(subject.names) != 1:
        return False
    name = subject.names[0]
    if not text.startswith(name, subject.pos):
        return False  # a short form the page gave a full name for: a person
    start, end = sentence_at(sentences(text), subject.pos)
    return entity_label(text[start:end], subject.pos - start, name) in _THING_LABELS


_THING_LABELS = frozenset({"FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"})


def _addressed(at: int, text: str) -> bool:
    """Whether the name at page offset ``at`` is whom its sentence's words go to or are about (not
    theirs): "a reply to X", "sent X"."""
    if not USE_PARSE:
        return False
    start, end = _sentence_around(text, at)
    return is_addressee(text[start:end], at - start)


def _main_subject(mentioned: list[tuple[int, str]], text: str) -> str | None:
    """Of several persons the sentence holding the last mention names, the subject of its main verb
    ("X, one of the authors in Computer Science, has published ...:")."""
    if not USE_PARSE or len({name for _, name in mentioned}) < 2:
        return None
    start, end = _sentence_around(text, mentioned[-1][0])
    span = main_subject_span(text[start:end])
    if span is None:
        return None
    return next((name for at, name in mentioned if start + span[0] <= at < start + span[1]), None)


def _last_sentence(text: str) -> str:
    """The paragraph's last sentence (the one a block quote after it follows on from)."""
    spans = sentences(text)
    return text[spans[-1][0] : spans[-1][1]] if spans else text


def _by_us(lead_in: str) -> bool:
    """A lead-in in the first person plural ("we announced"), whose last sentence does not give the
    words to another source ("As the docs state:")."""
    if not _WE_RE.search(lead_in):
        return False
    last = _MD_LINK_RE.sub(r"\1", _last_sentence(lead_in))
    other = _AS_SOURCE_SAYS_RE.match(last.strip())
    return other is None or bool(_WE_RE.search(other.group("who")))


def _ending_person(before: str, people: People) -> str | None:
    """The person whose full name ends the lead-in ("..., including noted rapper Lil Wayne.")."""
    names = person_names(before, people)
    if names and _END_RE.fullmatch(before[names[-1].end :]):
        return people.lookup(names[-1].name) or names[-1].name
    return None


def _signed_end(start: int, last: Block, walk: _Walk) -> tuple[tuple[int, int], str | None]:
    """The quote's span without a closing attribution line ("— Kate Moran"), and the name it gives."""
    cut = last.text.rfind("\n") + 1
    match = _SIGNATURE_RE.fullmatch(last.text[cut:])
    names = name_candidates(match.group("name"), frozenset()) if match else []
    post = _POST_SIGNATURE_RE.match(match.group("name")) if match and not names else None
    if match and not names and (post or _handle(match.group("name"), walk)):
        # A user name, or an embedded post's display name before its handle ("— Ana (@ana_r) May 2")
        word = post.group("name").strip() if post else match.group("name").strip()
        return (start, max(start, last.start + len(last.text[:cut].rstrip()))), word
    if not names:  # "... the rest of the world. - Nat Friedman": signed at the end of the last line
        match = _TRAILING_SIGNATURE_RE.search(last.text)
        names = name_candidates(match.group("name"), frozenset()) if match else []
        names = [n for n in names if match and n.name == match.group("name")]
        cut = match.start() if match else cut
    if not names and (role := _ROLE_SIGNATURE_RE.fullmatch(last.text)):
        # '"…" -- Engineer at a medical device company': a quotation signed by who the speaker is, unnamed
        return (start, last.start + role.end("quote")), " ".join(role.group("role").split())
    if not names and (cited := _CITATION_END_RE.search(last.text)):
        return (start, last.start + cited.start()), " ".join(cited.group("authors").split())
    if not names:
        return (start, last.end), None
    end = last.start + len(last.text[:cut].rstrip())
    return (start, max(start, end)), walk.people.lookup(names[0].name) or names[0].name


@dataclass(frozen=True)
class _Quotation:
    """Quoted words in a paragraph: the words' span, the span with the marks, and whether the quotation
    is left open at the paragraph's end (news style: it goes on in the next paragraph)."""

    start: int
    end: int
    outer: tuple[int, int]
    open: bool


def _quotations(text: str) -> list[_Quotation]:
    """The quotations of a paragraph long enough to be speech, not a title after "titled"."""
    found = []
    series = [m.span() for m in _SERIES_RE.finditer(text)]
    for match in _INLINE_RE.finditer(text):
        group = next(g for g in _INLINE_GROUPS if match.group(g) is not None)
        words = match.group(group)
        # Words picked up mid-sentence (lower case) must be more than a phrase to be a quote.
        least = _FRAGMENT_MIN_WORDS if words[:1].islower() else _INLINE_MIN_WORDS
        short = len(words) < _INLINE_MIN_CHARS or len(words.split()) < least
        if short and not _SPLIT_BY_SAID_RE.match(text, match.end()):
            continue  # a short quotation is speech when a said-clause splits it from its second part
        if _TITLE_BEFORE_RE.search(text[: match.start()]) or _in_link_text(text, match.start(), match.end()):
            continue
        if any(s <= match.start() and match.end() <= e for s, e in series):
            continue  # one of a list of titles: “A,” “B,” “C” and others
        end = match.start(group) + len(words.rstrip(" ,"))
        found.append(_Quotation(match.start(group), end, (match.start(), match.end()), group == "open"))
    return sorted(found + _guillemets(text), key=lambda q: q.start)


def _in_link_text(text: str, start: int, end: int) -> bool:
    """Whether a quotation sits inside a Markdown link's text ("[When X says “…”, what …?](url)"): the
    words of a linked title, not speech."""
    opened = text.rfind("[", 0, start)
    if opened < 0 or text.rfind("]", opened, start) >= 0:
        return False
    closed = text.find("](", end)
    return closed >= 0 and text.find("[", end, closed) < 0 and "\n" not in text[end:closed]


def _guillemets(text: str) -> list[_Quotation]:
    """Quotations in «…» (French, Russian, ...), outermost only: a «…» inside another is part of it, and
    one still open at the paragraph's end (its inner quotation closed last) runs to the end."""
    found: list[_Quotation] = []
    opened: list[int] = []
    for match in _GUILLEMET_RE.finditer(text):
        if match.group() == "«":
            opened.append(match.start())
        elif opened:
            start = opened.pop()
            if not opened:
                found.append(_Quotation(start + 1, match.start(), (start, match.end()), False))
    if opened:
        found.append(_Quotation(opened[0] + 1, len(text.rstrip()), (opened[0], len(text)), True))
    return [q for q in found if len(text[q.start : q.end].split()) >= _INLINE_MIN_WORDS]


def _inline_quotes(item: Item, walk: _Walk) -> list[Quote]:
    """Quotations inside a paragraph: “...,” she said / according to X, “...”; a paragraph opening with
    a quotation after one left open goes on with that speaker."""
    found: list[Quote] = []
    text = item.text
    spans = sentences(text)
    carried, walk.open_speaker = walk.open_speaker, None
    if carried and _is_interruption(text):
        walk.open_speaker = carried  # a teaser or caption set between the paragraphs of a quotation
        return found
    for q in _quotations(text):
        # The sentence holding the whole quotation (which may hold several sentences of its own).
        start, end = sentence_at(spans, q.outer[0])[0], _said_after(text, spans, q.outer[1])
        # A quotation opening its sentence and split by a said-clause from its second part ("“…,” she
        # says. “…”") is words said, however few.
        split = q.outer[0] == start and _SPLIT_BY_SAID_RE.match(text, q.outer[1])
        if not split and _is_term(text[start:end], (q.start - start, q.end - start)):
            continue
        around = text[start : q.outer[0]] + " " * (q.outer[1] - q.outer[0]) + text[q.outer[1] : end]
        speaker: str | None
        bare = not _LETTER_RE.search(around)  # the sentence is nothing but the quotation
        if bare and (found or (carried and q.outer[0] == 0)):
            # A sentence that is nothing but a quotation goes on with the previous quotation's speaker.
            speaker, how = (found[-1].speaker if found else carried), "continues the quotation before"
        else:
            quote = (q.start - start, q.end - start)
            at = (item.block.start + start, item.block.start + q.outer[0])
            speaker, how = _inline_speaker(text[start:end], quote, around, walk, at)
            if speaker is None and bare:
                speaker, how = _standalone_speaker(text[q.start : q.end], text[:start], walk)
        if speaker is None:
            continue
        stated = analyse_lead_in(around.rstrip() + ":", walk.people)
        source = (stated.title, stated.year) if stated else (None, None)
        span = (item.block.start + q.start, item.block.start + q.end)
        walk.add_stated(speaker, source, span, item, text[start:end], how)
        found.append(walk.quotes[-1])
        walk.open_speaker = speaker if q.open else None
    return found


_INTERRUPTION_CHARS = 160


def _is_interruption(text: str) -> bool:
    """A short line that is no sentence (no closing punctuation) and quotes nothing: a related story's
    headline or a caption the page sets inside a quotation running over paragraphs."""
    stripped = text.strip()
    return (
        len(stripped) <= _INTERRUPTION_CHARS
        and "\n" not in stripped
        and stripped[-1:] not in ".!?:;”’\"'…)"
        and not re.search('[“”"«»„]', stripped)
    )


def _said_after(text: str, spans: list[tuple[int, int]], outer_end: int) -> int:
    """Where the sentence holding a quotation ending at ``outer_end`` ends: past a short said-clause the
    splitter made a sentence of its own after a question or an exclamation ("“…?” Ana asked.")."""
    end = sentence_at(spans, outer_end - 1)[1]
    if end > outer_end or text[outer_end - 2 : outer_end - 1] not in ("?", "!"):
        return end
    following = [span for span in spans if span[0] >= end][:1]
    if not following:
        return end
    clause = text[following[0][0] : following[0][1]]
    said = SPEECH_RE.search(clause) or _ASKED_RE.search(clause)
    # "Ana asked.", "Ana tearfully asked before leaving the stage.": the verb among the first words.
    near = said is not None and len(clause[: said.start()].split()) <= _SAID_VERB_AT
    if near and len(clause.split()) <= _SAID_CLAUSE_WORDS:
        return following[0][1]
    # A longer one, or one whose verb only the parse knows ("Ana tweeted"), by the parse: "“…?” X, the
    # former director of Y, said at a forum on Monday."
    return following[0][1] if USE_PARSE and is_said_clause(clause) else end


_SAID_CLAUSE_WORDS = 12
_SAID_VERB_AT = 3  # words before the verb of a said-clause after a question: a name and an adverb
_ASKED_RE = re.compile(r"\b(?:asks|asked|wonders|wondered|exclaims|exclaimed|shouts|shouted|yells|yelled)\b")


def _is_term(sentence: str, quoted: tuple[int, int]) -> bool:
    """Quoted words too few to be a statement and no clause in their sentence's parse: a term or a
    description the writer quotes ("leak detection, isolation and repair", “calm, kind, and funny”)."""
    words = sentence[quoted[0] : quoted[1]].rstrip(' ,”"’')
    own_sentence = words.endswith((".", "!", "?", "…")) and not words[:1].islower()
    # "“Amazing,” Davis said.": a comma inside the marks, then a said-clause at once: words said.
    said = _SAID_NEXT_RE.match(sentence[quoted[1] :])
    if not USE_PARSE or len(words.split()) >= _TERM_MAX_WORDS or own_sentence or said:
        return False  # a sentence of its own ("Wait, look at this.") is someone's words; "… “asking
        # for more.”" (lower case, the writer's sentence going on inside the marks) is not one
    return not has_clause(sentence, quoted)


_TERM_MAX_WORDS = 6
_SAID_NEXT_RE = re.compile(rf",[”\"’]\s+(?:\S+\s+){{0,2}}?(?:{SPEECH_RE.pattern})[ \t]*[.,]", re.IGNORECASE)


def _standalone_speaker(quoted: str, before: str, walk: _Walk) -> tuple[str | None, str]:
    """Whose words a quotation standing alone as its own sentence(s) are (at least a sentence's worth of
    words): a paragraph opening so goes on with the quotation of the paragraph before; after a sentence
    whose speech verb names a speaker ("She admitted she is afraid. “…”"), in this paragraph or ending
    the paragraph before ("X noted there should be ... .", then a paragraph that is only the quotation),
    that speaker; after a sentence naming whose statement it is ("X issued a statement that ...:"), X;
    else the page does not say whose (unknown, never a guess)."""
    if len(quoted.split()) < _STANDALONE_MIN_WORDS:
        return None, ""
    last = walk.quotes[-1] if walk.quotes else None
    continues = not before.strip() and not _opens_mid_sentence(quoted)
    if continues and last and walk.previous_start <= last.char_start < walk.current_start:
        return last.speaker, "continues the quotation of the paragraph before"
    where = "in the sentence before"
    if before.strip():
        previous, pos = before[sentences(before)[-1][0] :], walk.current_start + len(before)
    else:
        paragraph = walk.page_text[walk.previous_start : walk.current_start].rstrip()
        spans = sentences(paragraph) if walk.previous_start < walk.current_start else []
        previous, pos = (paragraph[spans[-1][0] :] if spans else ""), walk.current_start
        if not previous.endswith((".", ":")):
            previous = ""  # a question ("What did X say?") or a heading names whom it asks about
        where = "ending the paragraph before"
    found = attribute_sentence(previous) if previous and USE_PARSE else None
    if found is not None and found.kind in (SubjectKind.NAME, SubjectKind.PRONOUN, SubjectKind.GROUP):
        speaker = resolve_attribution(found, walk.people, walk.last_unnamed)
        if speaker and found.kind == SubjectKind.PRONOUN:
            speaker = walk.pronoun_person(found, pos) or speaker
        if speaker and speaker != UNKNOWN:
            return speaker, f"{found.kind} subject of '{found.verb}' {where}"
    owners = (
        [o for _, o in text_owners(previous) if o.kind in (SubjectKind.NAME, SubjectKind.GROUP)]
        if previous and USE_PARSE
        else []
    )
    if found is None and owners:
        # A one-word owner is a body or a surname ("Twitter issued a statement"), not a first name.
        single = len(owners[-1].text.split()) == 1
        owner = resolve_attribution(
            replace(owners[-1], kind=SubjectKind.GROUP) if single else owners[-1], walk.people, None
        )
        if owner and owner != UNKNOWN:
            return owner, f"whose statement the sentence {where.removeprefix('in the sentence ')} names"
    return UNKNOWN, "a quotation standing alone; the page does not say whose words"


def _opens_mid_sentence(quoted: str) -> bool:
    """Quoted words that open with an elision or in lower case ("… prevent the evacuation of ..."): an
    excerpt of some text taken from inside a sentence, not a speaker going on in a new paragraph."""
    words = quoted.lstrip(" \t“\"‘'")
    return words.startswith(("…", "...")) or words[:1].islower()


_STANDALONE_MIN_WORDS = 6
_SINGULAR_FIRST_RE = re.compile(r"\b(?:I|me|my|mine|myself)\b|\bI[’']")
_LAYOUT_MIN_MENTIONS = 2
_TEXT_OWNER_PARAGRAPHS = 3  # how far back "the statement" looks for whose statement it is
_SIGNATURE_RE = re.compile(r"\s*(?:—|–|--|~)\s*(?P<name>[^\n,;:]{2,80}?)(?:,\s*\S.{0,120})?\s*")
# Three or more quotations in a row with only commas and "and"/"or" between, none ending a sentence: a
# list of titles (songs, books, films), not words anyone said.
_SERIES_ITEM = r"[“\"][^“”\"\n]{1,80}?[^.!?\s“”\"][”\"]"
_SERIES_RE = re.compile(rf"{_SERIES_ITEM}(?:(?:,|,? and|,? or)?[ \t]*\n?[ \t]*{_SERIES_ITEM}){{2,}}")
_NUMBERED_RE = re.compile(r"\s*(\d{1,3})[.)]\s")
_RUN_IN_HEAD_RE = re.compile(r"[^\W\d_][^\n:.!?\"“”‘’]{1,40}:[ \t]+[A-Z]")  # "Hawks 3, Owls 1: The …"
_TITLE_BEFORE_RE = re.compile(r"\b(?:titled|entitled|called|named)\s*$", re.IGNORECASE)


def _inline_speaker(
    sentence: str, quote: tuple[int, int], around: str, walk: _Walk, pos: tuple[int, int]
) -> tuple[str | None, str]:
    """The speaker of an inline quotation, and how it was found: from the sentence's parse where it
    names one (``index.quotes.attribution``), else from the rules (``around``: the quotation blanked out).
    ``pos``: the page offsets of the sentence and of the quotation."""
    if not (SPEECH_RE.search(around) or _ACCORDING_RE.search(around) or USE_PARSE):
        return None, ""
    if USE_PARSE and denies_speech(around):
        return None, ""
    found = attribute(sentence, quote) if USE_PARSE else None
    if found is not None and found.kind == SubjectKind.FRAGMENT:
        return None, ""
    if found is not None and found.kind == SubjectKind.ROLE and (alias := _NAME_GIVEN_RE.search(around)):
        # "a resident who would say only that his name was “Ana” told me": the name the person gave
        return alias.group("name"), f"role subject of '{found.verb}', by the name the sentence says they gave"
    if found is not None:
        speaker, how = _parsed_speaker(found, walk, pos, sentence[quote[0] : quote[1]])
        if speaker is not None:
            return speaker, how
    if USE_PARSE and (person := _colon_subject(sentence[: quote[0]], walk)):
        return person, "name subject of the clause whose colon opens the quotation"
    if not (SPEECH_RE.search(around) or _ACCORDING_RE.search(around)):
        return None, ""
    return _rule_speaker(around, walk), "said-clause (rules)"


# "... who said his name was “Ana”", "gave her name as Ana": the one name a described person gives.
_NAME_GIVEN_RE = re.compile(
    rf"\b(?:his|her)\s+name\s+(?:was|is|as)\s+[“\"]?(?P<name>[{UP}][{LOW}]+)[”\"]?(?![\w-]|\s+[{UP}])"
)


def _colon_subject(before: str, walk: _Walk) -> str | None:
    """The person the page introduced whom a clause ending in a colon right before the quotation has as
    its subject, with no verb of saying ("But Ana was about to learn: “…”"); None otherwise."""
    clause = before.rstrip().rstrip(_OPENING_MARKS).rstrip()
    if not clause.endswith(":"):
        return None
    name = subject_name(clause[:-1] + ".")
    if name is not None:  # "mayor Rudy Giuliani": a role in lower case before the name is no part of it
        name = _LOWER_HEAD_RE.sub("", name)
    person = walk.people.lookup(name) if name else None
    return person if person in walk.people.known and len(split_speakers(person)) == 1 else None


_LOWER_HEAD_RE = re.compile(rf"^(?:[{LOW}][\w’'-]*\s+)+(?=[{UP}])")


def _text_source(found: Attribution, walk: _Walk, pos: int) -> str | None:
    """Whose text a text subject ("the statement said") is: the owner a sentence before names; else, for
    "the report said" where no sentence before gives anyone for issuing it, "the report" itself."""
    if found.kind != SubjectKind.NONE:
        return None
    owner = walk.text_owner(found.text, pos)
    if owner is None and found.definite and walk.text_unowned(found.text, pos):
        return f"the {found.text.lower()}"
    return owner


def _parsed_speaker(
    found: Attribution, walk: _Walk, at: tuple[int, int], quoted: str = ""
) -> tuple[str | None, str]:
    """The speaker a parsed attribution gives: a name or he/she resolved, a group, an unnamed role; the
    page's author for "I"; for "they", the name that was the subject of the sentence before. ``at``: the
    page offsets of the sentence and of the quotation."""
    pos = at[0]
    owner = _text_source(found, walk, pos)
    if found.definite and (person := walk.described(found.text, at[1], quoted)):
        return person, f"'the {found.text}' subject of '{found.verb}': the person the page calls so"
    if owner is not None:
        return owner, f"whose '{found.text}' (or the text itself) is the subject of '{found.verb}'"
    if found.text == "it" and (group := walk.it(pos)):
        return group, f"'it' subject of '{found.verb}': the organisation the sentence before's subject"
    if found.kind == SubjectKind.NONE and found.text == "i" and walk.writer:
        return walk.writer, f"the writer ('I' subject of '{found.verb}'), the page's author"
    if found.role_reports:
        return UNKNOWN, f"pronoun subject of '{found.verb}' in what an unnamed person reports: whose, unsaid"
    speaker = resolve_attribution(found, walk.people, walk.last_unnamed)
    if found.kind == SubjectKind.PRONOUN and (reporter := walk.reporter(found)):
        return reporter, f"pronoun subject of '{found.verb}', in what {found.reporter} said"
    if found.kind == SubjectKind.PRONOUN and speaker is not None:
        speaker = walk.answerer(found, pos) or walk.by_pronoun(found.text, at[1], pos) or speaker
    if speaker is not None:
        return speaker, f"{found.kind} subject of '{found.verb}'"
    if found.text in ("they", "them") and (group := walk.they(pos)):
        return group, f"'they' subject of '{found.verb}': the name that is the sentence before's subject"
    return None, ""


def _rule_speaker(around: str, walk: _Walk) -> str | None:
    """The speaker of an inline quotation by the rules, from its sentence (the quotation blanked out)."""
    lead = analyse_lead_in(around.rstrip() + ":", walk.people)
    if lead is None or lead.subject is None:
        refs = [
            r
            for r in speaker_refs(around, walk.people)
            if r.kind in (ReferenceKind.PERSON, ReferenceKind.GROUP, ReferenceKind.SING)
        ]
        if refs:
            ref = refs[0]
            return join_names(ref.names) if ref.names else walk.people.current
        role = _ROLE_RE.search(around) or _SOMEONE_SAID_RE.search(around)
        return f"an unnamed {role.group('role').lower()}" if role else None
    return _speaker(lead, around, walk)


def _narrates_quotation(text: str) -> bool:
    """A paragraph that quotes someone inside its own narration ("“…,” said X"): the writer's paragraph,
    not a continuation of the quote before it."""
    for q in _quotations(text):
        outside = text[: q.outer[0]] + text[q.outer[1] :]
        if len(WORD_RE.findall(outside)) >= _NARRATION_MIN_WORDS:
            return True
    return False


def _quote_end(
    items: list[Item], start: int, names: Sequence[str], people: People, excerpt: bool = False
) -> int | None:
    """Index of the last quote paragraph starting at ``start``, or None if ``start`` is not a quote.

    A quote goes on while the next paragraph looks quoted; an excerpt from a book or essay ("In the book,
    she writes:") goes on until the author's own prose resumes (commentary, or a person named)."""
    if start >= len(items) or items[start].heading or _is_prose(items[start].text, names, people):
        return None
    if not _LETTER_RE.search(items[start].text) or _narrates_quotation(items[start].text):
        return None
    end = start
    while end + 1 < len(items):
        nxt = items[end + 1]
        if nxt.heading or nxt.quote_group is not None or _is_prose(nxt.text, names, people):
            break
        if _narrates_quotation(nxt.text):
            break
        quoted = _looks_quoted(nxt.text) or items[end].text.rstrip().endswith(":")
        if excerpt and (_mentions(nxt.text, people.known) or _RESUME_RE.match(nxt.text)):
            break  # the author resumes after an excerpt
        if not (quoted or excerpt):
            break
        end += 1
    return end


def _source(lead: LeadIn, history: list[tuple[str | None, int | None]]) -> tuple[str | None, int | None]:
    """Title and year of the quote's source; "the same talk" or no source at all reuses an earlier one."""
    if lead.title:
        return lead.title, lead.year
    if lead.new_source and not lead.definite:
        return None, lead.year
    for title, year in reversed(history):
        if lead.year is None or year == lead.year:
            return title, year
    return None, lead.year
