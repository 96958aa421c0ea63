"""Person names in article prose: name candidates, the people a page has introduced, short forms."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from index.text import LOW, UP, word_set

_PARENTHESIS_RE = re.compile(r"\s*\([^)]*\)")
_NAME_SEPARATOR_RE = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
# Words that are not part of a person's name when they open a capitalised run ("When Andrew Ng ...").
NON_NAME_WORDS = word_set(
    """the this that these those in on at for from with when while later finally earlier then it a an and
    but or if as after before why what how where who which our my his her their its we you they he she i
    some many most all each every one two both here there also so not no yes dear hi hello thanks thank
    by to of into about during since until like unlike although though however meanwhile today yesterday
    elsewhere next first second third last again perhaps maybe professor doctor dr prof mr mrs ms mx sir
    dame because since unless whether once even just only still according despite without within among
    against upon via per toward towards instead otherwise besides yet nor thus hence therefore moreover
    furthermore nevertheless nonetheless indeed now already anyway"""
)
# Organisation words: a capitalised run containing one of these names an institution, not a person.
ORG_WORDS = word_set(
    """university institute college school laboratory lab labs research society conference group inc ltd
    llc corporation corp company foundation center centre department academy journal press council
    association agency team network networks project workshop symposium committee government ministry
    hospital bank club museum library studio studios systems forum summit congress meetup expo"""
)
# Titles before a name, also written short without a full stop ("Lt Col Ana Roe", "Superintendent Ben Lee").
_RANKS = word_set(
    """lt col gen general maj sgt capt cpl pvt cmdr adm rev hon supt det insp gov sen rep amb superintendent
    president senator governor mayor chairman chairwoman secretary director judge justice commissioner
    minister ambassador sheriff attorney coach officer bishop pastor captain colonel lieutenant sergeant
    chancellor principal councillor councilman councilwoman representative congressman congresswoman"""
)
# Titles that are no surname (unlike "Bishop", "Judge" or "Major").
TITLES = word_set(
    """ambassador president senator governor mayor superintendent secretary director commissioner minister
    sheriff chancellor councillor representative congressman congresswoman chairman chairwoman spokesman
    spokeswoman spokesperson lieutenant sergeant colonel"""
)
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"  # between the words of a name: spaces, or a line wrapped once
# A name word, with an elided prefix ("O’Neill", "D'Souza") or an inner capital ("McCormick").
_NAME_TOKEN = rf"(?:[{UP}][’'])?[{UP}][{LOW}]+(?:[{UP}][{LOW}]+)?(?:[-'’][{UP}][{LOW}]+)?"
_PARTICLE = r"(?:de|da|van|von|der|den|del|di|du|le|la|bin|ibn|al)"
_NAME_RUN_RE = re.compile(
    rf"(?<![\w’'-])(?:[{UP}]\.[ \t]*){{0,3}}{_NAME_TOKEN}"
    rf"(?:[ \t]+(?:{_PARTICLE}[ \t]+)*(?:[{UP}]\.[ \t]+)?{_NAME_TOKEN})*(?![\w-])"
)
_PARTICLE_OR_INITIAL_RE = re.compile(rf"{_PARTICLE}|[{UP}]\.")
# Inside a name a particle may be capitalised too ("James Van Der Beek"): it is no name word of its own.
_INNER_PARTICLE_RE = re.compile(_PARTICLE, re.IGNORECASE)
_AFTER_INTRO_NAME_RE = re.compile(rf"\s+[{LOW}]|,|\s+\(")  # "Jeff Dean is", "Jeff Dean, a ...", "(...)"
_TOKEN_RE = re.compile(r"\S+")
_SHE = frozenset({"she", "her", "hers", "herself"})
# What may stand before the name that opens a sentence about a person: a title, or "The economist".
_INTRO_PREFIX_RE = re.compile(
    r"(?:(?:Dr|Prof|Mr|Mrs|Ms|Mx)\.?\s+|(?:Professor|Doctor|Sir|Dame)\s+|The\s+(?:[a-z-]+\s+){1,3})?"
)
_INITIAL_RE = re.compile(rf"[{UP}]\.")
NAME_TOKEN_RE = re.compile(rf"(?<![\w’'-]){_NAME_TOKEN}(?![\w-])")
_EXCLAMATION_AFTER_RE = re.compile(r"[ \t]*!")
POSSESSIVE_RE = re.compile(r"^[’']s\b")
_BRACKET_RE = re.compile(r"[()\[\]]")
_ARTICLE_BEFORE_RE = re.compile(r"(?<![\w’'-])(?:a|an)[ \t]+$")


_INITIALS_LABEL_RE = re.compile(rf"[{UP}]{{2,5}}")
_NAME_PART_RE = re.compile(r"[\s-]+")


def initials_of(name: str) -> str:
    """The initials of a name ("JOT" for Jeremy Olmsted-Thompson)."""
    return "".join(part[0] for part in _NAME_PART_RE.split(name) if part)


@dataclass
class People:
    """The persons the article has introduced so far, and the one the current passage is about."""

    lower_vocab: frozenset[str]
    known: list[str] = field(default_factory=list)
    current: str | None = None
    recent: list[str] = field(default_factory=list)  # the introduced persons, most recent last
    pronouns: dict[str, str] = field(default_factory=dict)  # person -> "she" or "he", as the page refers
    mixed: set[str] = field(default_factory=set)  # persons the page calls both she and he (a slip)
    article: str = ""  # the article's text, where a surname's full name is looked for (``full_name``)
    passage: str = ""  # the paragraphs being read (the one before and this one)

    def introduce(self, name: str) -> None:
        if name not in self.known:
            self.known.append(name)
        if name in self.recent:
            self.recent.remove(name)
        self.recent.append(name)
        self.current = name

    def refer(self, name: str, pronoun: str) -> None:
        """The page calls ``name`` she or he. A page calling the same person both (a slip, or a he/she
        after the name meaning someone else) leaves it unsaid which one the page means."""
        if name in self.mixed:
            return
        wanted = "she" if pronoun.lower() in _SHE else "he"
        if self.pronouns.setdefault(name, wanted) != wanted:
            del self.pronouns[name]
            self.mixed.add(name)

    def by_pronoun(self, pronoun: str) -> str | None:
        """Whom a he/she means: the current person unless the page calls them otherwise, else the most
        recently introduced person it does call that; None if no one (rather than the wrong person)."""
        wanted = "she" if pronoun.lower() in _SHE else "he"
        if self.current is None or self.pronouns.get(self.current, wanted) == wanted:
            return self.current
        return next((p for p in reversed(self.recent) if self.pronouns.get(p) == wanted), None)

    def add(self, names: Iterable[str]) -> None:
        for name in names:
            if name not in self.known:
                self.known.append(name)

    def lookup(self, token_or_name: str, at: int | None = None) -> str | None:
        """The known person a full name or a short form ("Andrew", "Geoff", "Hinton") refers to; ``at``, the
        short form's place in the passage when known: a full name written after it is not whom it means
        ("Roe met reporters and praised his son, Ben Roe": the opening Roe is not the son)."""
        tokens = token_or_name.split()
        matches = [p for p in self.known if name_matches(tokens, p.split())]
        fuller = [p for p in matches if len(p.split()) > len(tokens)]
        if fuller and token_or_name in matches:
            matches = fuller  # "Reid", known alone, is the short form of a full name the page gives
        if len(tokens) >= 2 and (longer := self._surname_of(tokens)):
            return longer
        full = [p for p in matches if len(p.split()) > 1]
        full = [p for p in full if not any(o != p and p.endswith(" " + o) for o in full)]  # "State Ana Roe"
        passage = self.passage if at is None else self.passage[:at]
        written = sorted((passage.rfind(p), p) for p in full if p in passage)
        if len(tokens) == 1 and len(full) > 1 and written:
            return written[-1][1]  # two persons share the surname: the one the passage names in full last
        if self.current in matches:
            return self.current
        if len(tokens) == 1 and len({p.split()[-1] for p in full}) == 1 and full:
            # "Cook" after "Tim Cook" and a later "Hosting Cook": the surname is the person the page
            # introduced first (a later capitalised word before the surname is not a new first name)
            return full[0]
        return matches[-1] if matches else None

    def by_initials(self, label: str) -> str | None:
        """The one known person whose initials a short capitalised label is ("JOT" for Jeremy
        Olmsted-Thompson, each part of a hyphenated name counting), when the page shortens names to
        initials; None when no one or several match."""
        if not _INITIALS_LABEL_RE.fullmatch(label):
            return None
        found = [p for p in self.known if len(p.split()) > 1 and initials_of(p) == label]
        return found[0] if len(found) == 1 else None

    def _surname_of(self, tokens: list[str]) -> str | None:
        """The known full name that ends with these words when the page also writes them on their own
        (not after another capitalised word): a two-word surname ("Lopez Garcia" for "Ana Lopez Garcia"),
        not a full name a title stood before ("State Ana Roe")."""
        longer = [
            p for p in self.known if len(p.split()) > len(tokens) and p.split()[-len(tokens) :] == tokens
        ]
        if not longer or not self.article:
            return None
        written = " ".join(tokens)
        at = self.article.find(written)
        while at >= 0:
            before = self.article[:at].split()
            if not before or not (before[-1][:1].isupper() and before[-1][-1].isalpha()):
                return longer[0]
            at = self.article.find(written, at + 1)
        return None

    def writes_lowered(self, name: str) -> bool:
        """The article also writes ``name`` with its first word in lower case ("the upstream Kubernetes
        project" beside "Upstream Kubernetes"): a phrase of the text, not a person's name."""
        first, _, rest = name.partition(" ")
        if not rest or not self.article or first.lower() not in self.lower_vocab:
            return False
        return (
            re.search(rf"(?<![\w’'-]){re.escape(first.lower())}\s+{re.escape(rest)}\b", self.article)
            is not None
        )

    def without_place(self, text: str, name: Name) -> Name:
        """A three-word name whose first word the article also writes as a place, on its own after "in",
        "to", "from" or "of" ("envoy to Ukraine Kurt Volker" beside "in charge of Ukraine"): the name is
        the last two words."""
        words = name.name.split()
        if len(words) != 3 or not self.article or _INITIAL_RE.fullmatch(words[0]):
            return name
        alone = rf"\b(?:in|to|from|of|into|across)\s+{re.escape(words[0])}(?![\w’'-])(?!\s+[{UP}])"
        if re.search(alone, self.article) is None:
            return name
        return Name(text.index(words[1], name.start), name.end, " ".join(words[1:]))

    def without_title(self, name: Name) -> Name:
        """A title the page writes in lower case, capitalised before a surname ("Realtor Roe said" after
        "realtor Ana Roe"): the known person the page wrote the title before in full."""
        title, _, surname = name.name.partition(" ")
        if not surname or " " in surname or title.lower() not in self.lower_vocab:
            return name
        for person in self.known:
            written = rf"(?<![\w’'-])(?i:{re.escape(title)})\s+{re.escape(person)}(?![\w’'-])"
            if person.split()[-1] == surname and re.search(written, self.article):
                return Name(name.start, name.end, person)
        return name

    def full_name(self, word: str, within: str | None = None) -> str | None:
        """The full name the page introduced for a one-word name no known person accounts for: the first
        "First Surname" the article writes with it as the surname (a title or an ordinary word of the text
        before it is no first name: "Trade Secretary Paul Verhoeven" gives "Paul Verhoeven"), else as the
        first name (an interview's "**Tomasz**:" after "[Tomasz Wierzbicki](...)", wrapped over two lines).
        None when the article (or ``within``, a part of it) writes neither."""
        within = self.article if within is None else within
        if not self.article or not NAME_TOKEN_RE.fullmatch(word) or word.lower() in self.lower_vocab:
            return None
        # The surname may run into the next word's capital (a hover card glued after a linked name); it
        # ends the run ("to Britain Liu Xiaming" gives no "Britain Liu": the name begins at the word).
        as_surname = re.compile(
            rf"(?<![\w’'-])[(\[]?(?P<other>{_NAME_TOKEN})[)\]]?(?:{_GAP}[{UP}]\.)?{_GAP}{re.escape(word)}"
            rf"(?![{LOW}’'-])(?![ \t]*!)"  # "Nice Reid!" is an exclamation
            rf"(?!{_GAP}{_NAME_TOKEN}(?![\w’'-]))"
        )
        as_first = re.compile(
            rf"(?<![\w’'-]){re.escape(word)}(?:{_GAP}[{UP}]\.)?{_GAP}(?P<other>{_NAME_TOKEN})(?![\w’'-])"
        )
        for pattern in (as_surname, as_first):
            for match in pattern.finditer(within):
                other = match.group("other")
                if other == word or other.lower() in NON_NAME_WORDS | ORG_WORDS | self.lower_vocab:
                    continue
                # "(Ana) Roe": the first name an editor added in brackets
                name = " ".join(_BRACKET_RE.sub("", match.group()).split())
                self.add([name])
                return name
        return None


_GENERATION_RE = re.compile(r"(?:Jr|Sr|II|III|IV)\.?")  # "James P. Kennedy Jr.": the surname is Kennedy


def name_matches(tokens: list[str], person: list[str]) -> bool:
    if [t.lower() for t in tokens] == [t.lower() for t in person]:
        return True
    if len(person) > 2 and _GENERATION_RE.fullmatch(person[-1]) and not _GENERATION_RE.fullmatch(tokens[-1]):
        person = person[:-1]
    if len(tokens) == 1:
        token = tokens[0]
        first, last = person[0], person[-1]
        return token in (first, last) or (len(token) >= 3 and first.startswith(token))
    return tokens[-1] == person[-1] and person[0].startswith(tokens[0])


@dataclass(frozen=True)
class Name:
    start: int
    end: int
    name: str


def _names_no_person(text: str, tokens: list[tuple[int, str]], end: int) -> bool:
    """A capitalised run after an indefinite article ("a Raspberry Pi", "An Apple Watch") names a thing;
    one before "!" ("Nice Reid!") is an exclamation, not a person introduced."""
    if not tokens or _EXCLAMATION_AFTER_RE.match(text, end):
        return True
    return tokens[0][1] in ("A", "An") or bool(_ARTICLE_BEFORE_RE.search(text, 0, tokens[0][0]))


def name_candidates(text: str, lower_vocab: frozenset[str]) -> list[Name]:
    """Capitalised runs that look like a person's full name (2-3 name words, no institution word)."""
    names: list[Name] = []
    for match in _NAME_RUN_RE.finditer(text):
        tokens = [(m.start() + match.start(), m.group()) for m in _TOKEN_RE.finditer(match.group())]
        if _names_no_person(text, tokens, match.end()):
            continue
        while tokens and tokens[0][1].lower() in NON_NAME_WORDS:
            tokens.pop(0)
        org = [n for n, (_, t) in enumerate(tokens) if t.lower() in ORG_WORDS]
        if org and len(tokens) - org[-1] - 1 >= 2:
            # "Harbour Pilots Association Chair Ines Duarte": the organisation, the role it gives (when
            # a full name remains after it), then the person.
            tokens = tokens[org[-1] + 1 :]
            if len(tokens) > 2:
                tokens = tokens[1:]
        # A title or an ordinary word the page also writes in lower case ("Employee Steve Castro",
        # "Secretary of State Mike Pompeo") is not part of the name, as long as a full name remains.
        while len(tokens) > 2 and (tokens[0][1].lower() in lower_vocab or tokens[0][1].lower() in _RANKS):
            tokens.pop(0)
        words = [
            t
            for n, (_, t) in enumerate(tokens)
            if not _PARTICLE_OR_INITIAL_RE.fullmatch(t)
            and not (0 < n < len(tokens) - 1 and _INNER_PARTICLE_RE.fullmatch(t))
        ]
        initials = any(_INITIAL_RE.fullmatch(t) for _, t in tokens[:1])
        if not (2 <= len(words) <= 3 or (initials and len(words) == 1)):
            continue
        if any(w.lower() in ORG_WORDS or w.lower() in NON_NAME_WORDS for w in words):
            continue
        # A surname is not an ordinary word of the text ("Deep Learning" is not a person), nor a title
        # ("U.S. Ambassador"), unless a middle initial marks the run as a name ("Ana B. Good").
        middle = len(words) == 2 and any(_INITIAL_RE.fullmatch(t) for _, t in tokens[1:-1])
        if (words[-1].lower() in lower_vocab and not middle) or words[-1].lower() in TITLES:
            continue
        names.append(_name_of(text, tokens, match.end()))
    return names


def _name_of(text: str, tokens: list[tuple[int, str]], end: int) -> Name:
    """The name the run's kept words make ("Jr." keeps its full stop)."""
    name = " ".join(t for _, t in tokens)
    if _GENERATION_RE.fullmatch(tokens[-1][1]) and text[end : end + 1] == ".":
        end, name = end + 1, name + "."
    return Name(tokens[0][0], end, name)


def person_intro(text: str, people: People) -> str | None:
    """The full name a paragraph opens with ("Jeff Dean is a ...", "Dr. Ada Roe, a chemist, ..."), which
    makes it the passage's person."""
    names = [n for n in name_candidates(text[:100], people.lower_vocab) if not people.writes_lowered(n.name)]
    if (
        names
        and _INTRO_PREFIX_RE.fullmatch(text[: names[0].start])
        and _AFTER_INTRO_NAME_RE.match(text[names[0].end :])
    ):
        return people.without_title(names[0]).name
    return None


def split_speakers(speaker: str) -> list[str]:
    """The person names in a speaker string: "A, B and C (Org)" -> ["A", "B", "C"]."""
    without_org = _PARENTHESIS_RE.sub("", speaker)
    return [p.strip() for p in _NAME_SEPARATOR_RE.split(without_org) if p.strip()]


def join_names(names: Sequence[str]) -> str:
    """Names in the page's own style: "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
