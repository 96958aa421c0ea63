"""Who a quotation's own sentence credits it to, read from the sentence's dependency parse.

The speaker is the grammatical subject (``nsubj``) of the speech or thought verb that governs the
quotation ("“…,” she said", "X told reporters: “…”", "says Smith"), or the object of "according to".
Only the sentence around a quotation is parsed, with the quoted words replaced by one placeholder word,
so a page costs a few short parses. The verbs are English's verbs of saying and writing (a vocabulary of
the language, not of any page). The subject is classified by the parse and the named-entity tagger:
a person (a name or a pronoun, resolved by the caller against the people the page introduced), a group
credited as a whole (an organisation, "researchers"), an unnamed person described by a role, or nothing
that can speak (a place, a product, a date): then the quotation has no speaker here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from index.quotes.names import ORG_WORDS, TITLES, People, join_names, split_speakers
from index.quotes.nlp import available, english
from index.text import word_set
from index.vocabulary import UNKNOWN_SPEAKER, SubjectKind

# Verbs of saying, writing and telling, by lemma.
SPEECH_LEMMAS = word_set(
    """say tell write add explain note recall argue claim describe answer reply remark observe comment
    warn insist continue conclude state declare report admit acknowledge agree point suggest emphasize
    emphasise stress recount joke quip announce tweet email post testify caution concede predict ask respond
    put summarize summarise mention assert maintain complain confirm reveal muse wonder think believe
    counter recommend urge reiterate shout yell scream exclaim whisper order assure reassure speak relate"""
)
_GROUP_LABELS = frozenset({"ORG", "NORP"})
_VOICES = frozenset({"spokesperson", "spokesman", "spokeswoman"})  # who speak for an organisation
_NEVER_SPEAKERS = frozenset(
    {"GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "DATE", "TIME", "MONEY", "LAW", "LANGUAGE"}
)
# Texts that "say" things: the words are someone's, but the subject does not say whose.
TEXT_NOUNS = _TEXT_NOUNS = word_set(
    """statement report study paper article post letter document release announcement memo filing
    complaint lawsuit ruling survey book review website note email message tweet"""
)
# Quantifiers that make a plural subject some unnamed members of a crowd ("Many people commented").
_SOME = frozenset({"many", "some", "several", "few", "numerous", "other", "countless"})
_FIRST_PERSON = frozenset({"i", "we", "me", "us"})
_PERSONAL = frozenset({"he", "she", "they", "him", "her", "them"})
PLACEHOLDER = "Yes"

# Quoted words this deep below the speech verb are a phrase inside reported speech ("said he had searched
# for the phrase “…”", "told them it would last “for several more years”"), not the speaker's own words.
FRAGMENT_DEPTH = 3
# ... unless they are a clause's worth of words: then they are the speaker's words, quoted at the end of
# the writer's paraphrase ("said this case demonstrates that free speech does not protect people to “…”").
FRAGMENT_MAX_WORDS = 10


@dataclass(frozen=True)
class Attribution:
    """The subject a quotation's sentence credits it to, as the sentence words it."""

    # "none": the subject cannot speak (a place, a product, the writer); "crowd": some unnamed members of
    # a group ("many people"); "fragment": no quote
    kind: SubjectKind
    text: str  # "Maria Gonzalez", "she", "NASA", "researchers", "spokesperson"
    verb: str  # the governing verb's lemma, or "according to"
    # For a he/she: the name subject of the verb of saying whose clause the pronoun opens ("Ana said
    # she ... and added"), which the pronoun most likely means.
    reporter: str = ""
    # For a role: the subject is a definite description ("said the actor"), which may mean a person the
    # page has named.
    definite: bool = False
    # For a group: the word of who speaks for it ("a Norvane spokeswoman"), "" when the group speaks.
    voice: str = ""
    # For a he/she: the verb of saying whose clause the pronoun opens has a person the page describes but
    # does not name for subject ("The staff member who took the call recalled that he said"): he/she may
    # be that person or another, so the sentence does not say whose the words are.
    role_reports: bool = False
    # For a role: a capitalised singular noun with no word before it ("Vance replied"), which may be a
    # surname the tagger took for a noun (a singular count noun takes an article).
    bare: bool = False
    # For a definite role that is an office: its proper "of" phrase ("of the Republic"), which says whose.
    office: str = ""


@lru_cache(maxsize=4096)
def _parse(text: str) -> Any:
    """The parse of a short text (cached: snapshots of one page repeat their sentences), without an
    editor's brackets ("[Bruck] said" is read "Bruck said"; ``_unbracketed`` maps offsets) and with a
    Markdown link's address blanked ("[the words of X](https://…)": the address is no words)."""
    blanked = _LINK_TARGET_RE.sub(lambda m: "]" + " " * (len(m.group()) - 1), text)
    blanked = _ENTITY_WORD_RE.sub(_unescaped, blanked)
    return english()(_BRACKETS_RE.sub("", blanked))


def _unescaped(match: re.Match[str]) -> str:
    """A word with HTML character references a Markdown page left as written ("Naur&rsquo;s") read as
    the characters they stand for ("Naur’s"), padded with spaces after the word to keep its length."""
    word = html.unescape(match.group())
    return word + " " * (len(match.group()) - len(word))


def _root(doc: Any) -> Any | None:
    """The parse's root token (a parse of one sentence has one), or None for an empty text."""
    return next((t for t in doc if t.dep_ == "ROOT"), None)


def _unbracketed(text: str, offset: int) -> int:
    """Where ``offset`` of ``text`` is in the text ``_parse`` reads (brackets dropped)."""
    return offset - len(_BRACKETS_RE.findall(text[:offset]))


_BRACKETS_RE = re.compile(r"[\[\]]")
_ENTITY_WORD_RE = re.compile(r"\S*&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);\S*")
_LINK_TARGET_RE = re.compile(r"\]\([^()\s]*\)")


def with_placeholder(sentence: str, quote: tuple[int, int]) -> tuple[str, int]:
    """The sentence with the quoted words (inside their quotation marks) as one word, their closing
    punctuation kept, and its offset."""
    start, end = quote
    inner = sentence[start:end].rstrip()
    tail = inner[-1] if inner[-1:] in ",.!?" else ""
    return sentence[:start] + PLACEHOLDER + tail + sentence[end:], start


def attribute(sentence: str, quote: tuple[int, int]) -> Attribution | None:
    """The speaker the sentence around ``sentence[quote[0]:quote[1]]`` names; None when its parse shows
    no verb of saying with a subject (the caller's rules then decide)."""
    if not available():
        return None
    text, at = with_placeholder(sentence, quote)
    doc = _parse(text)
    at = _unbracketed(text, at)
    anchor = next((t for t in doc if t.idx >= at), None)
    if anchor is None:
        return None
    according = _according_to(doc)
    said = _said_by(doc, anchor, len(sentence[quote[0] : quote[1]].split()))
    # "“…,” he said, according to the Herald", "According to AFP, one user posted: “…”": the agency or
    # paper reports whose words they are; the subject of the verb of saying says them.
    if said is not None and said.kind in _SPEAKING:
        return said
    if according is not None and according.kind != SubjectKind.NONE:
        return according
    # "according to a statement" names a text, not whose: a speaking subject in the sentence says more.
    return said or according


_SPEAKING = frozenset(
    {SubjectKind.NAME, SubjectKind.PRONOUN, SubjectKind.ROLE, SubjectKind.GROUP, SubjectKind.CROWD}
)


def _said_by(doc: Any, anchor: Any, words: int) -> Attribution | None:
    """The subject of the verb of saying nearest the quotation; None when no such verb has one."""
    verbs = [t for t in doc if _is_speech_verb(t) and not _closed_off(t, anchor)]
    verbs.sort(key=lambda t: abs(t.i - anchor.i))
    for verb in verbs:
        subject = _subject(verb)
        if subject is not None:
            if words < FRAGMENT_MAX_WORDS and _depth(anchor, verb) >= FRAGMENT_DEPTH:
                return Attribution(SubjectKind.FRAGMENT, anchor.text, verb.lemma_.lower())
            found = _classify(subject, verb.lemma_.lower())
            if found.kind == SubjectKind.PRONOUN:
                return _with_reporter(found, subject)
            return found
    return None


def _closed_off(verb: Any, anchor: Any) -> bool:
    """Whether the verb of saying sits in a relative clause that does not hold the quotation ("“…” is
    rolling out on billboards on which people say ..."): it says what the clause's noun is, not whose
    the quotation outside it is."""
    node = verb
    while node.dep_ != "relcl" and node.head.i != node.i:
        node = node.head
    return node.dep_ == "relcl" and not (node.left_edge.i <= anchor.i <= node.right_edge.i)


def _with_reporter(found: Attribution, pronoun: Any) -> Attribution:
    """A he/she attribution with who reports the clause it opens (``_reporter``, ``_role_reporter``)."""
    return replace(found, reporter=_reporter(pronoun), role_reports=_role_reporter(pronoun))


def _reporting_verb(pronoun: Any) -> Any | None:
    """The verb of saying whose reported clause the pronoun's clause is ("Ana said she ..."), or None."""
    clause = pronoun.head
    while clause.dep_ == "conj" and clause.head is not clause:
        clause = clause.head
    return clause.head if clause.dep_ == "ccomp" and _is_speech_verb(clause.head) else None


def _role_reporter(pronoun: Any) -> bool:
    """Whether the verb of saying reporting the pronoun's clause has for subject one person the page
    describes by a common noun ("The staff member who ... recalled that he said")."""
    verb = _reporting_verb(pronoun)
    if verb is None:
        return False
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    return bool(subjects) and _classify(subjects[0], verb.lemma_.lower()).kind == SubjectKind.ROLE


def _reporter(pronoun: Any) -> str:
    """The name subject of the verb of saying that reports the pronoun's clause: "Ana said she never
    ... and added" gives "Ana"; "" when there is none."""
    verb = _reporting_verb(pronoun)
    if verb is None:
        return ""
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.pos_ == "PROPN"]
    if not subjects:
        return ""
    found = _classify(subjects[0], verb.lemma_.lower())
    return (
        found.text if found.kind in (SubjectKind.NAME, SubjectKind.GROUP) else ""
    )  # a lone surname may be tagged a group


def _depth(token: Any, verb: Any) -> int:
    """How many arcs up from ``token`` its clause reaches ``verb`` (0 when it does not)."""
    for steps in range(1, 12):
        if token.head.i == token.i:
            return 0
        token = token.head
        if token.i == verb.i:
            return steps
    return 0


def attribute_sentence(sentence: str) -> Attribution | None:
    """The subject of the speech verb nearest the end of a lead-in sentence ("Google confirmed this in
    a statement:"); None when it has none. First person plural comes back as kind "none", text "we"."""
    if not available():
        return None
    doc = _parse(sentence)
    end = next((t for t in reversed(doc) if not t.is_punct), None)
    # A verb of saying in a relative clause closed before the sentence's end ("X, the guy who wrote that
    # ..., had a revelation:") says what X once wrote, not who says what follows.
    verbs = (t for t in doc if _is_speech_verb(t) and not (end is not None and _closed_off(t, end)))
    for verb in sorted(verbs, key=lambda t: -t.i):
        subject = _subject(verb)
        if subject is not None:
            found = _classify(subject, verb.lemma_.lower())
            return _with_reporter(found, subject) if found.kind == SubjectKind.PRONOUN else found
    return None


def voiced_in_work(sentence: str) -> Attribution | None:
    """The subject of a verb the sentence says it did "in his/her/their <work>" ("X echoed this in his
    essay:", "In their review, they confirm ...:"): whoever wrote that work, as ``attribute_sentence``
    gives a speaker; None when no verb has such a phrase or its subject is not the work's owner's kind
    (a name, a group or he/she/they: "it" or "we" own no work of someone else's here)."""
    if not available():
        return None
    for verb in reversed(_parse(sentence)):
        # The phrase hangs on the verb or on its object ("took the same view in his essay").
        heads = [verb, *(c for c in verb.children if c.dep_ == "dobj")]
        if verb.pos_ != "VERB" or not any(_in_own_work(c) for h in heads for c in h.children):
            continue
        subject = _subject(verb)
        if subject is None:
            return None
        found = _classify(subject, verb.lemma_.lower())
        return found if found.kind in (SubjectKind.NAME, SubjectKind.PRONOUN, SubjectKind.GROUP) else None
    return None


def _in_own_work(prep: Any) -> bool:
    """Whether a preposition is "in" with a work of writing or speech for its object, owned by a
    personal possessive ("in his essay", "in her 2010 talk", "in their review")."""
    if prep.dep_ != "prep" or prep.lower_ != "in":
        return False
    works = [o for o in prep.children if o.dep_ == "pobj" and o.lemma_.lower() in _WORKS]
    return any(c.dep_ == "poss" and c.lower_ in _OWNERS for w in works for c in w.children)


_WORKS = word_set(
    """essay paper article book review talk lecture keynote speech interview post blog letter column
    memoir thesis survey study report chapter presentation podcast"""
)
_OWNERS = frozenset({"his", "her", "their"})


def described_speaker(sentence: str) -> Attribution | None:
    """The person the sentence's main verb, a verb of saying, has for subject when a common noun
    describes rather than names them ("A passenger at the station said she was not convinced."); None
    otherwise (a verb of saying inside a clause, "She claimed the label thought ...", does not count). A
    spokesperson for an organisation ("a spokeswoman for the union said") is described too: a person, whom
    a he/she after means, not the organisation."""
    if not available():
        return None
    root = _root(_parse(sentence))
    if root is None or not _is_speech_verb(root):
        return None
    subject = _subject(root)
    found = _classify(subject, root.lemma_.lower()) if subject is not None else None
    if found is not None and found.kind == SubjectKind.GROUP and found.voice and not found.definite:
        return replace(found, kind=SubjectKind.ROLE, text=found.voice, voice="")
    return found if found is not None and found.kind == SubjectKind.ROLE else None


def asked_name(sentence: str) -> str | None:
    """The name the sentence has for the object of "ask" ("Ana Roe asked Ben Cole about the costs."):
    whom a "he replied" after it means; None without one."""
    if not available():
        return None
    for token in _parse(sentence):
        if token.lemma_.lower() == "ask" and token.pos_ == "VERB":
            named = [c for c in token.children if c.dep_ in ("dobj", "dative") and c.pos_ == "PROPN"]
            if named:
                return _compound(named[0])
    return None


def has_clause(sentence: str, span: tuple[int, int]) -> bool:
    """Whether the quoted words ``sentence[span[0]:span[1]]`` make a clause, as the sentence's parse reads
    them in place: a finite verb or a subject. "We found him!" does; a term ("... and “leak detection,
    isolation and repair” to keep ...", where the tagger may read "leak" as a bare verb) or a
    description ("describing him as “calm, kind, and funny”") does not. True when the parse is not
    available (the rules then decide)."""
    if not available():
        return True
    start, end = _unbracketed(sentence, span[0]), _unbracketed(sentence, span[1])
    inside = [t for t in _parse(sentence) if start <= t.idx < end]
    return any(t.tag_ in _FINITE_TAGS or t.dep_ in ("nsubj", "nsubjpass", "expl") for t in inside)


_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def is_subject(sentence: str, offset: int) -> bool:
    """Whether the word at ``offset`` (a name's first word) belongs to the subject of its clause
    (``nsubj``, ``nsubjpass``), as the sentence's parse has it."""
    return _role(sentence, offset, ("nsubj", "nsubjpass"))


def is_passive_subject(sentence: str, offset: int) -> bool:
    """Whether the word at ``offset`` (a name's first word) belongs to the subject of a passive clause
    ("X was charged in March"): the person the clause is done to."""
    return _role(sentence, offset, ("nsubjpass",))


def is_object(sentence: str, offset: int) -> bool:
    """Whether the word at ``offset`` (a name's first word) belongs to the object of a verb or of a
    preposition ("Officers detained X", "a call to the office of X"), as the sentence's parse has it;
    not "with X", "from X", "by X" (who took part, or whose the words may be: "an interview with X")."""
    if _role(sentence, offset, ("dobj", "dative")):
        return True
    preposition = _preposition(sentence, offset)
    return preposition is not None and preposition not in ("with", "from", "by")


def is_author_of(sentence: str, offset: int) -> bool:
    """Whether the word at ``offset`` (a name's first word) is the object of a "by" that names who made a
    thing ("the paper Why Bridges Fall by X"), not the agent of a passive verb ("was written by X")."""
    pobj = _prepositional_object(sentence, offset)
    return pobj is not None and pobj.head.lower_ == "by" and str(pobj.head.dep_) != "agent"


def is_addressee(sentence: str, offset: int) -> bool:
    """Whether the word at ``offset`` (a name's first word) is whom words go to or are about, as the
    object of "to", "about", "against" or an indirect object ("a reply to X", "sent X"); not "with X"
    ("an interview with X": X answers)."""
    return _role(sentence, offset, ("dative",)) or _preposition(sentence, offset) in (
        "to",
        "about",
        "against",
    )


def _preposition(sentence: str, offset: int) -> str | None:
    """The preposition whose object the name at ``offset`` is (lower case), or None."""
    pobj = _prepositional_object(sentence, offset)
    return None if pobj is None else str(pobj.head.lower_)


def _prepositional_object(sentence: str, offset: int) -> Any | None:
    """The object of a preposition the name at ``offset`` is (its head word), or None."""
    if not available() or not _role(sentence, offset, ("pobj",)):
        return None
    token = next(t for t in _parse(sentence) if t.idx >= _unbracketed(sentence, offset))
    while token.dep_ != "pobj":
        token = token.head
    return token


def _role(sentence: str, offset: int, deps: tuple[str, ...]) -> bool:
    """Whether the name at ``offset`` (with the words it is a compound or apposition of) has one of the
    dependency labels ``deps``."""
    if not available():
        return False
    offset = _unbracketed(sentence, offset)
    token = next((t for t in _parse(sentence) if t.idx >= offset), None)
    for _ in range(3):
        if token is None or token.dep_ in deps:
            break
        token = (
            token.head if token.dep_ in ("compound", "flat", "appos") and token.head is not token else None
        )
    return token is not None


def text_owners(sentence: str) -> list[tuple[str, Attribution]]:
    """Whose statements, reports, posts ... a sentence names: for each, the subject of the verb it
    belongs to ("the US military said in a statement": statement -> US military, a body named by a
    proper-noun compound)."""
    if not available():
        return []
    found = []
    for token in _parse(sentence):
        if token.pos_ != "NOUN" or token.lemma_.lower() not in _TEXT_NOUNS:
            continue
        verb = token.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        subject = _subject(verb) if verb.pos_ in ("VERB", "AUX") else None
        if subject is None:
            continue
        owner = _classify(subject, verb.lemma_.lower())
        if owner.kind == SubjectKind.ROLE and any(
            c.dep_ == "compound" and c.pos_ == "PROPN" for c in subject.children
        ):
            owner = Attribution(SubjectKind.GROUP, _compound(subject), owner.verb)
        found.append((token.lemma_.lower(), owner))
    return found


def main_subject_span(sentence: str) -> tuple[int, int] | None:
    """Where the subject of the sentence's main verb stands (its words, whatever the tagger calls them);
    None without one, or for a pronoun."""
    subject = _main_subject(sentence)
    if subject is None or subject.pos_ == "PRON":
        return None
    return subject.left_edge.idx, subject.right_edge.idx + len(subject.right_edge.text)


def _main_subject(sentence: str, deps: tuple[str, ...] = ("nsubj",)) -> Any | None:
    """The ``nsubj`` (or another of ``deps``) of the sentence's main verb, as the parse has it (None
    without a parser)."""
    if not available():
        return None
    root = _root(_parse(sentence))
    return next((c for c in root.children if c.dep_ in deps), None) if root is not None else None


# "Lang and Schwabe (2021)", "Roe et al. (2015)", also "Roe et al." with no year ("et al." cites a paper).
_CITATION_RE = re.compile(
    r"(?P<names>[A-Z][\w’'-]+(?:(?:,\s*|,?\s+and\s+|\s*&\s*)[A-Z][\w’'-]+)*)"
    r"(?:(?P<etal>\s+et\s+al\.?)(?:\s*\((?:1[89]|20)\d\d[a-z]?\))?|\s*\((?:1[89]|20)\d\d[a-z]?\))"
)
_CITATION_BEFORE_RE = re.compile(rf"(?:^|,\s*){_CITATION_RE.pattern}\s*$")


def cited_authors(sentence: str) -> list[str]:
    """The authors a sentence's main subject cites by name and year ("Klein (2021) finds ...", "Lang and
    Schwabe (2021) find ..."): whose paper's words it introduces; [] if the subject is no such citation."""
    if not available():
        return []
    root = _root(_parse(sentence))
    if root is None or root.pos_ != "VERB":
        return []
    # The citation right before the main verb (the parser often hangs a name list and a year elsewhere).
    match = _CITATION_BEFORE_RE.search(sentence[: root.idx])
    if match is None:
        return []
    names = [n for n in re.split(r"\s*,\s*|\s*,?\s+and\s+|\s*&\s*", match.group("names")) if n]
    if match.group("etal") and len(names) == 1:  # "Roe et al.": as the page writes the citation
        return [names[0] + " et al."]
    return names


def cited_work_authors(sentence: str) -> list[str]:
    """The authors a sentence cites by name and year as having written a work ("X (1976) wrote an
    article on it", "X and Y (2011) published a paper"): the main verb is one of writing with the work
    for its object; [] otherwise."""
    sentence = sentence.strip()
    root = _root(_parse(sentence)) if available() else None
    if root is None or root.lemma_.lower() not in _WRITING:
        return []
    if not any(c.dep_ == "dobj" and c.lemma_.lower() in _WORKS for c in root.children):
        return []
    return cited_authors(sentence)


_WRITING = word_set("write publish author")


def is_place(sentence: str, offset: int, name: str) -> bool:
    """Whether the entity tagger takes ``name`` at ``offset`` for a place (a country, a region: "the
    United Kingdom"), the whole of it: a place is never a speaker."""
    if not available():
        return False
    offset = _unbracketed(sentence, offset)
    doc = _parse(sentence)
    token = next((t for t in doc if t.idx >= offset), None)
    entity = _entity(token) if token is not None else None
    if entity is None or entity.label_ not in ("GPE", "LOC"):
        return False
    return str(entity.text).removeprefix("the ").removeprefix("The ") == name


def names_no_person(sentence: str, offset: int, name: str) -> bool:
    """Whether ``name`` at ``offset`` is a place by the entity tagger (``is_place``), or a part of a
    longer organisation, place or facility name ("Airways Express" in "US Airways Express")."""
    if not available():
        return False
    if is_place(sentence, offset, name):
        return True
    doc = _parse(sentence)
    offset = _unbracketed(sentence, offset)
    token = next((t for t in doc if t.idx >= offset), None)
    entity = _entity(token) if token is not None else None
    if entity is None or entity.label_ not in ("ORG", "GPE", "LOC", "FAC"):
        return False
    return name in str(entity.text) and len(str(entity.text).removeprefix("the ")) > len(name)


def entity_label(sentence: str, offset: int, name: str) -> str | None:
    """The entity tagger's label for ``name`` at ``offset`` when it tags the whole of it as one entity
    ("FAC" for "Natural Language Processing", "PERSON" for "Peter Naur"); None when it tags no entity
    there or one that is not the name (a part of it, or a longer name around it)."""
    if not available():
        return None
    doc = _parse(sentence)
    offset = _unbracketed(sentence, offset)
    token = next((t for t in doc if t.idx >= offset), None)
    entity = _entity(token) if token is not None else None
    if entity is None or str(entity.text).removeprefix("the ").removeprefix("The ") != name:
        return None
    return str(entity.label_)


def subject_name(sentence: str) -> str | None:
    """The name that is the subject of the sentence's main verb: a proper noun, or the name in
    apposition to a common-noun subject ("The company that runs it, Dick Clark Productions, denies")."""
    subject = _main_subject(sentence)
    if subject is None or subject.pos_ == "PRON" or any(c.dep_ == "conj" for c in subject.children):
        return None  # no name, or several ("Smith and Jones found": the rules read "they" then)
    if subject.pos_ == "PROPN":
        return _compound(subject)
    # The parser may hang the apposition on the relative clause's object ("runs the AMAs, Dick ...").
    named = [t for t in subject.subtree if t.dep_ == "appos" and t.pos_ == "PROPN"]
    return _compound(named[0]) if named else None


def subject_pronoun(sentence: str, passive: bool = False) -> str | None:
    """The pronoun that is the subject of the sentence's main verb, in lower case ("they"), with
    ``passive`` also a passive verb's ("he was seen"); None when the subject is no pronoun."""
    subject = _main_subject(sentence, ("nsubj", "nsubjpass") if passive else ("nsubj",))
    return subject.lower_ if subject is not None and subject.pos_ == "PRON" else None


def subject_groups(sentence: str) -> list[str]:
    """The names, two or more joined by "and", all proper nouns, one of them a person by the entity
    tagger, that are the subject of any verb of the sentence ("It is clear that Roe and Lund have been
    frustrated"), as the sentence writes them."""
    if not available():
        return []
    found = []
    for token in _parse(sentence):
        if token.dep_ not in ("nsubj", "nsubjpass") or token.pos_ != "PROPN" or _lower_word(token.text):
            continue
        members = [token, *(c for c in token.children if c.dep_ == "conj")]
        if not any((e := _entity(t)) is not None and e.label_ == "PERSON" for t in members):
            continue
        named = _classify(token, "")
        if named.kind == SubjectKind.NAME and len(split_speakers(named.text)) > 1:
            found.append(named.text)
    return found


def subject_possessive(sentence: str) -> str | None:
    """The possessive pronoun owning the subject of the sentence's main verb, in lower case ("their" in
    "Their main message is in the conclusion"); None when there is none."""
    subject = _main_subject(sentence)
    if subject is None:
        return None
    owner = next((c for c in subject.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
    return owner.lower_ if owner is not None else None


def subject_names(sentence: str) -> str | None:
    """The names, two or more joined by "and", that are the subject of the sentence's main verb, all
    proper nouns ("Smith and Jones published a paper"): whom a "they" in the next sentence means; None
    otherwise (one name, a pronoun, a common noun among them)."""
    subject = _main_subject(sentence)
    if subject is None or subject.pos_ != "PROPN" or _lower_word(subject.text):
        return None
    found = _classify(subject, "")
    return found.text if found.kind == SubjectKind.NAME and len(split_speakers(found.text)) > 1 else None


def subject_group(sentence: str) -> str | None:
    """The name that is the subject of the sentence's main verb when the entity tagger takes it for an
    organisation ("the Harbour Board said."): whom a following "it said" credits; None otherwise."""
    name = subject_name(sentence)
    if name is None:
        return None
    root = _root(_parse(sentence))
    subject = next((c for c in root.children if c.dep_ == "nsubj"), None) if root is not None else None
    entity = _entity(subject) if subject is not None else None
    if entity is None or entity.label_ not in _GROUP_LABELS:
        return None
    return str(entity.text).removeprefix("the ").removeprefix("The ")


def _is_speech_verb(token: Any) -> bool:
    if token.pos_ == "VERB" and token.lemma_.lower() in ("read", "begin"):  # "“…,” the statement read."
        return any(c.dep_ == "nsubj" and c.lemma_.lower() in _TEXT_NOUNS for c in token.children)
    if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in SPEECH_LEMMAS:
        return False
    if token.lemma_.lower() == "put":  # "as she put it"
        return any(c.lower_ == "it" for c in token.children)
    if token.lemma_.lower() == "relate":  # "as she related", not "what it relates to"
        return not any(c.lower_ == "to" for c in token.children)
    if token.lemma_.lower() == "point":
        return any(c.lower_ == "out" for c in token.children)
    if token.lemma_.lower() == "speak":  # "has spoken about “…”", not "the numbers speak for themselves"
        return any(_about_the_quotation(c) for c in token.children)
    # A verb that takes another verb as its complement ("continues to grow") names that action, not
    # speech, unless the complement is itself a speech verb ("went on to say").
    complements = [c for c in token.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
    return not complements or any(c.lemma_.lower() in SPEECH_LEMMAS for c in complements)


def _about_the_quotation(prep: Any) -> bool:
    """Whether a preposition "about"/"of" has the quotation (its placeholder) for its object."""
    return prep.lower_ in ("about", "of") and any(o.text == PLACEHOLDER for o in prep.children)


def _according_to(doc: Any) -> Attribution | None:
    """Whom "according to X" or "in the words of X" ("in X's words", "in her own words") credits."""
    for token in doc:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            objects = [c for c in doc[token.i + 1].children if c.dep_ == "pobj"]
            if objects:
                return _classify(objects[0], "according to")
        if (owner := _words_of(token)) is not None:
            return _classify(owner, "in the words of")
    return None


def _words_of(token: Any) -> Any | None:
    """The owner of "words" after "in": the object of its "of" ("in the words of the patient") or its
    possessor ("in her own words"); None for any other token."""
    if token.lower_ != "words" or token.dep_ != "pobj" or token.head.lower_ != "in":
        return None
    owners = [c for c in token.children if c.dep_ == "poss"]
    owners += [
        o
        for p in token.rights
        if p.dep_ == "prep" and p.lower_ == "of"
        for o in p.children
        if o.dep_ == "pobj"
    ]
    return owners[0] if owners else None


def _subject(verb: Any) -> Any | None:
    """The verb's subject; a verb joined to another ("laughed and said") shares that verb's subject."""
    inverted = _inverted_subject(verb)
    if inverted is not None:
        return inverted
    node = verb
    for _ in range(3):
        # A relative clause's speaker is the noun it hangs on: "Smith, who said …", "one person to say …".
        relative = node.dep_ == "relcl" and node.head.pos_ in ("NOUN", "PROPN")
        subjects = _one_subject([c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")])
        if subjects:
            agent = [c for c in node.children if c.dep_ == "agent"]
            if subjects[0].dep_ == "nsubjpass" and agent:
                objects = [c for c in agent[0].children if c.dep_ == "pobj"]
                return objects[0] if objects else None
            if relative and subjects[0].tag_ in ("WP", "WDT"):
                return _antecedent(node.head, subjects[0])
            return subjects[0] if subjects[0].dep_ == "nsubj" else None
        if relative or (node.dep_ == "acl" and node.tag_ in ("VBD", "VBZ") and node.head.pos_ == "PROPN"):
            # A finite verb hung on a name is the name's predicate the parser misread ("X tearfully
            # asked before ...": no reduced relative is finite).
            return node.head
        if _verbless_after_quotation(node):
            return node.head
        if node.dep_ not in ("conj", "xcomp", "advcl", "acl") or node.head is node:
            return None
        node = node.head
        if node.dep_ in ("dobj", "attr") and node.pos_ == "NOUN":  # "released a statement saying"
            node = node.head
    return None


def _verbless_after_quotation(verb: Any) -> bool:
    """A participle hung on a noun that is the whole sentence's root, after the quotation ("“…,” the
    patient described in the report."): the parser read a said-clause as a noun phrase, so the noun is
    the verb's subject (no sentence is a quotation and a noun phrase alone)."""
    head = verb.head
    if verb.dep_ != "acl" or head.dep_ != "ROOT" or head.pos_ not in ("NOUN", "PROPN") or head.i > verb.i:
        return False
    return any(t.text == PLACEHOLDER for t in verb.doc[: head.i])


def _inverted_subject(verb: Any) -> Any | None:
    """The speaker after a said-clause's verb that the parser took for its object ("…, said a neighbour,
    Ana Roe."): a finite verb of saying after a comma or a closing quotation mark, with no
    subject and no clause after it, whose object starts right after it; None otherwise."""
    if verb.i == 0 or verb.nbor(-1).text not in _CLAUSE_ENDS or verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return None  # a participle after a comma ("…,” she said, telling Ana “…”) is no said-clause
    if verb.dep_ != "ROOT" or verb.lemma_.lower() not in SPEECH_LEMMAS - _ADDRESSING:
        return None  # "Ana stood up, told the room “…”": a verb joined to another, its object addressed
    if any(
        c.dep_ in ("nsubj", "nsubjpass", "csubj") or (c.dep_ in ("ccomp", "xcomp") and c.i > verb.i)
        for c in verb.children
    ):
        return None
    objects = [c for c in verb.rights if c.dep_ == "dobj" and c.left_edge.i == verb.i + 1]
    if not objects or any(t.text == PLACEHOLDER for t in objects[0].subtree):
        return None  # the quotation itself as the object ("…, said “…”")
    return objects[0]


_CLAUSE_ENDS = frozenset({",", "”", '"', "’"})
# Verbs of saying whose object is the person spoken to ("told the room"), never the speaker.
_ADDRESSING = word_set("tell ask assure reassure urge warn order remind answer")


def _antecedent(head: Any, pronoun: Any) -> Any:
    """What a relative pronoun stands for: the noun its clause hangs on, or of the nouns joined to it
    ("the science and the administration, which has ...") the one right before the pronoun, which the
    parser may hang the clause on the first of."""
    before = [t for t in (head, *head.conjuncts) if t.i < pronoun.i]
    return max(before, key=lambda t: t.i) if before else head


def _one_subject(subjects: list[Any]) -> list[Any]:
    """A verb's subjects, the person first when the parser gave it several: "Acme editor Ana Roe said"
    parsed as two subjects is Ana Roe, named with her organisation before her; else the nearest first."""
    if len(subjects) < 2:
        return subjects
    people = [s for s in subjects if (e := _entity(s)) is not None and e.label_ == "PERSON"]
    if not people:  # 'Agents “…,” he said': the subject next to the verb, the other one the quotation's
        return sorted(subjects, key=lambda s: abs(s.head.i - s.i))
    return [*people[-1:], *(s for s in subjects if s not in people[-1:])]


def _entity(token: Any) -> Any | None:
    return next((e for e in token.doc.ents if e.start <= token.i < e.end), None)


def _classify(token: Any, verb: str) -> Attribution:
    """What kind of speaker the subject token is, and its words."""
    lower = token.lower_
    if token.pos_ == "PRON":
        if lower in _PERSONAL:
            return Attribution(SubjectKind.PRONOUN, lower, verb)
        return Attribution(SubjectKind.NONE, lower, verb)  # "I", "we", "it", "this": the writer or no one
    person = _appositive_person(token)
    if person is not None:
        return Attribution(SubjectKind.NAME, person, verb)
    # A possessive is no co-speaker but a misparsed apposition ("Mayer, Disney's chairman, said").
    together = [
        c
        for c in token.children
        if c.dep_ == "conj" and c.pos_ == "PROPN" and not any(g.dep_ == "case" for g in c.children)
    ]
    if together and token.pos_ == "PROPN":  # "Stefan Rahmstorf and Anders Levermann wrote"
        # One entity over the conjuncts ("Roe et al.") is one name, not two.
        names = list(dict.fromkeys(_entity_text(t) for t in (token, *together)))
        return Attribution(SubjectKind.NAME, " and ".join(names), verb)
    if _one_member(token):  # "the Democrat from Texas said": one person, described by whom they belong to
        return Attribution(SubjectKind.ROLE, token.text, verb, definite=_definite(token))
    named = _by_entity(token, verb)
    if named is not None:
        return named
    if token.pos_ == "PROPN" and not _lower_word(token.text):
        return Attribution(SubjectKind.NAME, _compound(token) + _proper_of(token), verb)
    if token.pos_ in ("NOUN", "PROPN"):  # a name is capitalised: a lower-case "proper noun" is a noun
        return _common_noun(token, verb)
    return Attribution(SubjectKind.NONE, token.text, verb)


def _one_member(token: Any) -> bool:
    """A singular word the entity tagger takes for a nationality, religion or party, with an article and
    no other name word ("the Democrat", "a Republican"): one member, not the group."""
    entity = _entity(token)
    if entity is None or entity.label_ != "NORP" or len(entity) != 1 or token.tag_ not in ("NNP", "NN"):
        return False
    return any(c.dep_ == "det" and c.lower_ in ("a", "an", "the") for c in token.children)


def _definite(token: Any) -> bool:
    return any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)


def _lower_word(text: str) -> bool:
    """A word in lower case letters only ("ministry"); a user name has digits or "_" ("kettle_fan")."""
    return text.isalpha() and text.islower()


def _common_noun(token: Any, verb: str) -> Attribution:
    """A subject that is a common noun: a text (whose, it does not say), some of a crowd, a group, a
    role."""
    if token.lemma_.lower() in _TEXT_NOUNS:
        # "a report from Acme Research said": the report's author; "the statement said" does not say whose
        return _text_author(token, verb) or Attribution(
            SubjectKind.NONE, token.text, verb, definite=_definite(token) and token.tag_ == "NN"
        )
    if token.lower_ in _VOICES and (body := _spoken_for(token)):
        # "a spokesperson for the Foreign Office said", "a Norvane spokeswoman said"
        return Attribution(SubjectKind.GROUP, body, verb, voice=token.lower_)
    if (named := _titles_of_name(token)) is not None:
        return Attribution(SubjectKind.NAME, named, verb)
    if (institution := _national_body(token)) is not None:
        return Attribution(SubjectKind.GROUP, institution, verb)
    if token.tag_ not in ("NNS", "NNPS"):
        definite = _definite(token) and token.lower_ not in _VOICES
        office = _proper_of(token, articles=True) if definite else ""
        return Attribution(
            SubjectKind.ROLE, token.text, verb, definite=definite, bare=_bare(token), office=office
        )
    if any(c.lower_ in _SOME for c in token.children if c.dep_ in ("amod", "det")):
        return Attribution(SubjectKind.CROWD, token.text, verb)  # "many people said": one of them, unnamed
    return Attribution(SubjectKind.GROUP, _compound(token), verb)


def _bare(token: Any) -> bool:
    """A capitalised singular noun with no article, possessor or modifier before it."""
    if token.tag_ != "NN" or not token.text[:1].isupper() or not token.text.isalpha():
        return False
    return not any(c.dep_ in ("det", "poss", "amod", "compound", "nummod") for c in token.lefts)


def _national_body(token: Any) -> str | None:
    """The institution a singular organisation word names with the nationality before it ("the Scottish
    government", "the Danish ministry"), as "<Nationality> <word>"; None for a person's role ("the French
    minister") or a word without one."""
    if token.tag_ != "NN" or token.lower_ not in ORG_WORDS:
        return None
    nationality = [c for c in token.children if c.dep_ in ("amod", "compound") and c.ent_type_ == "NORP"]
    return f"{nationality[0].text} {token.lower_}" if len(nationality) == 1 else None


def _titles_of_name(token: Any) -> str | None:
    """The full name a list of titles ends in ("chairman, CEO and president Ana Roe said"): the titles,
    joined to each other, describe the one person named after them; None when the list ends in no full
    name (a first name and a surname, proper nouns) or the first title has an article ("a chairman")."""
    if any(c.dep_ == "det" for c in token.children):
        return None
    last = token
    while conj := [c for c in last.children if c.dep_ in ("conj", "appos")]:
        last = conj[-1]
    names = [c for c in last.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i > last.i - 3]
    if last is token or last.pos_ != "PROPN" or not names:
        return None
    return str(last.doc[_hyphenated_start(last.doc, names[0].i) : last.i + 1].text)


def _hyphenated_start(doc: Any, start: int) -> int:
    """Where the word at ``start`` begins when it is the last part of words joined by hyphens with no
    space around them ("Anne-Claire" is one given name the parser splits in three tokens)."""
    while start > 1 and doc[start - 1].text in _HYPHENS and not doc[start - 1].whitespace_:
        before = doc[start - 2]
        if before.whitespace_ or not before.text[:1].isupper():
            break
        start -= 2
    return start


def _text_author(text: Any, verb: str) -> Attribution | None:
    """Who wrote a text that is the subject of a verb of saying, when the subject itself says it: an
    organisation or a person the entity tagger finds as the object of "from"/"by" after the noun ("a
    report from Acme Research") or as its possessor ("Acme Research's report"); None otherwise."""
    owners = [c for c in text.children if c.dep_ == "poss"]
    for prep in text.rights:
        if prep.dep_ == "prep" and prep.lower_ in ("from", "by"):
            owners += [c for c in prep.children if c.dep_ == "pobj"]
    for owner in owners:
        found = _by_entity(owner, verb)
        if found is not None and found.kind in (SubjectKind.GROUP, SubjectKind.NAME):
            return found
    return None


def _by_entity(token: Any, verb: str) -> Attribution | None:
    """The subject as the entity tagger sees it: a person, a group, or something that cannot speak."""
    entity = _entity(token)
    if entity is None:
        return None
    words = entity.text.removesuffix("’s").removesuffix("'s").strip()
    if entity.label_ == "PERSON":
        return Attribution(SubjectKind.NAME, _with_given_names(entity, token) or words, verb)
    if entity.label_ in _GROUP_LABELS:
        return Attribution(SubjectKind.GROUP, words.removeprefix("the ").removeprefix("The "), verb)
    if entity.label_ in _NEVER_SPEAKERS:
        return Attribution(SubjectKind.NONE, words, verb)
    return None


def _with_given_names(entity: Any, token: Any) -> str | None:
    """A person's name with the surname before it that the tagger left out because it reads as a pronoun
    ("He Jianxiong"); None otherwise (a title before it, "Rep.", "Attorney", stays out)."""
    if entity.end - 1 != token.i:
        return None
    doc = token.doc
    start = entity.start
    while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i == token.i:
        start -= 1
    added = doc[start : entity.start]
    if not len(added) or any(t.lower_ not in _PERSONAL or not t.is_title for t in added):
        return None
    return str(doc[start : token.i + 1].text)


def _entity_text(token: Any) -> str:
    entity = _entity(token)
    return str(entity.text) if entity is not None and entity.label_ == "PERSON" else _compound(token)


def _proper_of(token: Any, articles: bool = False) -> str:
    """An office's proper "of"/"for" phrase ("High Commissioner for Human Rights"): its words with the
    space before, or "" when there is none, it holds an ordinary word or the subject is no office (a
    person's affiliation, "Smith of Harvard", is not part of the name). With ``articles``, "the" may open
    it ("president of the Republic")."""
    if token.lower_ not in TITLES:
        return ""
    for prep in token.rights:
        if prep.dep_ != "prep" or prep.i != token.i + 1 or prep.lower_ not in ("of", "for"):
            continue
        words = [t for t in prep.subtree if t.i > prep.i]
        if articles and words and words[0].lower_ == "the":
            words = words[1:]
        if words and all(t.pos_ == "PROPN" or t.lower_ == "and" for t in words):
            return " " + token.doc[prep.i : words[-1].i + 1].text
    return ""


def _spoken_for(token: Any) -> str:
    """The organisation a spokesperson speaks "for" ("a spokesperson for the British Foreign Office"), by
    the entity tagger, or names before the word ("a Norvane spokeswoman") that the tagger takes for no
    person nor place; "" when none."""
    before = [c for c in token.lefts if c.dep_ == "compound"]
    if before and all(c.pos_ == "PROPN" for c in before):
        names = _compound(token).rsplit(" ", 1)[0]
        entity = _entity(before[-1])
        if entity is None or entity.label_ in _GROUP_LABELS:
            return names
    for prep in token.rights:
        if prep.dep_ == "prep" and prep.lower_ == "for":
            objects = [c for c in prep.children if c.dep_ == "pobj"]
            entity = _entity(objects[0]) if objects else None
            if entity is not None and entity.label_ in _GROUP_LABELS:
                return str(entity.text).removeprefix("the ")
    return ""


def _compound(token: Any) -> str:
    """The token with the compound and flat words before it ("Professor Jane Smith", "team members")."""
    words = [c for c in token.lefts if c.dep_ in ("compound", "flat") and c.i == token.i - 1]
    start = words[0].i if words else token.i
    doc = token.doc
    while (
        start > 0
        and doc[start - 1].dep_ in ("compound", "flat")
        and start <= doc[start - 1].head.i <= token.i
    ):
        start -= 1
    return token.doc[start : token.i + 1].text


def _appositive_person(token: Any) -> str | None:
    """A person named in apposition to the subject ("a spokesperson, Jane Roe, said"); none beside a
    subject that is a person's name itself (its apposition is a title the tagger may take for a name)."""
    if token.pos_ == "PROPN" and (own := _entity(token)) is not None and own.label_ == "PERSON":
        return None
    for child in token.children:
        if child.dep_ == "appos":
            entity = _entity(child)
            if entity is not None and entity.label_ == "PERSON":
                return str(entity.text)
    return None


UNKNOWN = UNKNOWN_SPEAKER


def _known(name: str, people: People) -> str:
    """The full name the page introduced for a name or short form, without a title ("Dr.")."""
    words = name.split()
    while len(words) > 1 and words[0].lower() in _TITLE_WORDS:
        words.pop(0)
    short = " ".join(words)
    found = people.lookup(short)
    if found is None and len(words) == 1:
        found = people.full_name(short)  # "Verhoeven said", after "Trade Secretary Paul Verhoeven"
    if found is None and len(words) > 2:
        found = _after_title(words, people)
    return found or short


def _after_title(words: list[str], people: People) -> str | None:
    """The known person the last words of a name are when the words before them are a title the tagger
    took into the name ("VP Marni Walden", "Executive Director Ana Roe"): capitalised words that are an
    abbreviation or that the page also writes in lower case. None otherwise ("High Commissioner for
    Human Rights" is an office, not a person "Human Rights")."""
    for person in people.known:
        size = len(person.split())
        if size < 2 or size >= len(words) or words[-size:] != person.split():
            continue
        title = words[:-size]
        if all(w[:1].isupper() and (w.isupper() or w.lower() in people.lower_vocab) for w in title):
            return person
    return None


_HYPHENS = frozenset({"-", "‐", "‑"})
_TITLE_WORDS = frozenset(
    {"professor", "prof", "prof.", "dr", "dr.", "doctor", "mr", "mr.", "mrs", "mrs.", "ms", "ms."}
)


def resolve_attribution(found: Attribution, people: People, last_unnamed: str | None) -> str | None:
    """The speaker string for a parsed attribution: the full name the page introduced for a name or a
    he/she, the group's own name, "an unnamed <role>", or ``UNKNOWN``; None for "they" (the caller's
    rules know the authors a page lists)."""
    if found.kind == SubjectKind.FRAGMENT:
        return None
    if found.kind == SubjectKind.PRONOUN:
        if found.text in ("they", "them"):
            return None
        return people.by_pronoun(found.text) or last_unnamed or UNKNOWN
    if found.kind == SubjectKind.NAME:
        return join_names([_known(name, people) for name in split_speakers(found.text)])
    if found.kind == SubjectKind.GROUP:
        # The tagger takes a lone surname for an organisation at times ("According to Cowen").
        person = people.lookup(found.text)
        if person and found.voice and person != found.text:
            return f"an unnamed {found.voice}"  # "a Roe spokesman": speaks for Roe, is not Roe
        return person if person and person.split()[-1] == found.text else found.text
    if found.kind == SubjectKind.ROLE:
        return _role_speaker(found, people)
    if found.kind == SubjectKind.CROWD:
        return UNKNOWN
    person = people.lookup(found.text) if found.text[:1].isupper() else None
    # A surname the tagger took for a place or a product ("judge Inaba noted"), of a person the page
    # introduced by full name.
    if person and len(person.split()) > 1 and person.split()[-1] == found.text.split()[-1]:
        return person
    return None if found.text in ("we", "us") else UNKNOWN


def _role_speaker(found: Attribution, people: People) -> str:
    """A role's speaker: the office holder ("the mayor of Vestby"), a surname the tagger took for a noun
    ("Vance replied": a bare capitalised word the page never writes in lower case, no title), else
    "an unnamed <role>"."""
    if found.office:
        return f"the {found.text}{found.office}"
    lower = found.text.lower()
    if found.bare and lower not in people.lower_vocab and lower not in TITLES:
        return _known(found.text, people)
    return f"an unnamed {lower}"


def reports_speech(sentence: str) -> bool:
    """Whether the sentence gives someone's words itself, as reported speech: a verb of saying with a
    clause as its object ("Authorities say a stabbing ... may have ...", "tells the paper that ...").
    Such a sentence does not introduce the paragraph after it as a quotation."""
    if not available():
        return False
    for token in _parse(sentence):
        if not _is_speech_verb(token):
            continue
        if any(c.dep_ == "ccomp" for c in token.children) or _parenthetical(token):
            return True
        if any(_reported_clause(t, token) for t in token.subtree):
            return True
        if _adjunct_after(token) and reports_speech(sentence[: token.idx + len(token.text)] + "."):
            return True  # "..., the commission said, according to Reuters.": read without the adjunct
    return False


def _parenthetical(verb: Any) -> bool:
    """A said-clause set inside the clause it reports ("Finding it, he said, is the next best thing."):
    the parser hangs the verb of saying, with its own subject, on that clause's verb."""
    if verb.dep_ != "parataxis" or verb.head.pos_ not in ("VERB", "AUX"):
        return False
    return any(c.dep_ == "nsubj" for c in verb.children)


def _adjunct_after(verb: Any) -> bool:
    """Whether only a comma and one phrase the verb governs ("according to ...", "on Tuesday") follow the
    verb to the sentence's end (the parser may then lose the clause the verb reports)."""
    rest = verb.doc[verb.i + 1 :]
    if len(rest) < 2 or rest[0].text != "," or rest[1].head.i != verb.i:
        return False
    return rest[1].dep_ in ("prep", "npadvmod", "advmod") and rest[1].right_edge.i >= len(verb.doc) - 2


def denies_speech(sentence: str) -> bool:
    """Whether every verb of saying in the sentence is negated ("Jo Lee did not respond to a request for
    comment"): the sentence says who gave no words, not whose the quotation is."""
    return _every_speech_verb(sentence, lambda v: any(c.dep_ == "neg" for c in v.children))


def is_said_clause(clause: str) -> bool:
    """Whether a sentence is only a said-clause for the quotation before it ("X, the former director of
    Y, said at a forum on Monday."): its main verb is one of saying, opening with its subject, with no
    object or clause of its own (the words are the quotation)."""
    if not available():
        return False
    doc = _parse(clause)
    root = _root(doc)
    if root is None or not _is_speech_verb(root):
        return False
    subjects = [c for c in root.children if c.dep_ == "nsubj"]
    if not subjects or subjects[0].left_edge.i != 0:
        return False
    return not any(c.dep_ in ("dobj", "ccomp", "xcomp", "dative") for c in root.children)


def counts_amounts(sentence: str) -> bool:
    """Whether every verb of saying in the sentence is followed by an amount ("the index added 20.72
    points", "shares added 3%"): a verb of saying in another sense, introducing no one's words. (The
    number next to the verb, not the parse's object: the parser gives such a verb many shapes.)"""
    return _every_speech_verb(sentence, lambda v: v.i + 1 < len(v.doc) and v.nbor(1).like_num)


def compares_speech(sentence: str) -> bool:
    """Whether every verb of saying in the sentence is what something is compared with ("more complicated
    than X suggests", "smaller than what X said"): the writer weighs the words, gives none."""
    return _every_speech_verb(sentence, _compared)


def _every_speech_verb(sentence: str, holds: Callable[[Any], bool]) -> bool:
    """Whether the sentence has a verb of saying and ``holds`` for each (False without the parser)."""
    if not available():
        return False
    verbs = [t for t in _parse(sentence) if _is_speech_verb(t)]
    return bool(verbs) and all(holds(verb) for verb in verbs)


def _compared(verb: Any) -> bool:
    if any(c.dep_ == "mark" and c.lower_ == "than" for c in verb.children):
        return True
    return verb.dep_ in ("pcomp", "pobj") and verb.head.lower_ == "than"


def _reported_clause(mark: Any, verb: Any) -> bool:
    """A "that"/"whether" clause of the verb or of its object ("tells the paper that he fought"), not of
    a noun it talks about ("commented on the point that ...")."""
    if mark.dep_ != "mark" or mark.lower_ not in ("that", "whether", "if"):
        return False
    clause_head = mark.head.head
    return clause_head == verb or (clause_head.dep_ in ("dobj", "dative") and clause_head.head == verb)
