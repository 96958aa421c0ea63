"""Expert quotes in an article: follow whom each passage is about, find lead-ins and the quoted paragraphs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from index.article import Item, is_title_like
from index.leadin import (
    ABOUT_QUOTE_RE,
    ABOUT_SOURCE_RE,
    THEY_START_RE,
    LeadIn,
    analyse_lead_in,
    resolve_speaker,
)
from index.names import NAME_TOKEN_RE, People, name_matches, person_intro, split_speakers
from index.records import Quote
from index.text import ELLIPSIS_RE, FIRST_PERSON_RE, LIST_ITEM_RE, SING_PRONOUN_RE, WORD_RE


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
    if ABOUT_QUOTE_RE.search(text):
        return True
    # An abstract may open "This paper ..." too, but then goes on in the first person.
    first_person = bool(FIRST_PERSON_RE.search(text))
    if ABOUT_SOURCE_RE.search(text) and not first_person:
        return True
    return not first_person and analyse_lead_in(text, people) is not None


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


def find_quotes(items: list[Item], page_text: str, doc: str) -> list[Quote]:
    """Walk the article: follow whom each passage is about; find lead-ins and the quote paragraphs after."""
    article = " ".join(i.text for i in items if not i.heading)
    people = People(lower_vocab=frozenset(w.lower() for w in WORD_RE.findall(article) if w[0].islower()))
    quotes: list[Quote] = []
    sources: dict[str, list[tuple[str | None, int | None]]] = defaultdict(list)
    last_speaker: str | None = None
    introduced_since_quote = False
    i = 0
    while i < len(items):
        item = items[i]
        if item.heading:
            i += 1
            continue
        intro = person_intro(item.text, people)
        if intro:
            people.introduce(intro)
            introduced_since_quote = True
        lead = analyse_lead_in(item.text, people)
        if lead is None:
            i += 1
            continue
        for ref in lead.refs:
            if ref.kind in ("group", "coauthors"):
                people.add(ref.names)
        speaker = resolve_speaker(lead, people)
        if lead.subject is None:
            speaker = last_speaker if last_speaker and not introduced_since_quote else people.current
        if speaker is None:
            i += 1
            continue
        names = [*split_speakers(speaker), *([people.current] if people.current else [])]
        end = _quote_end(items, i + 1, names, people)
        if end is None:
            i += 1
            continue
        title, year = _source(lead, sources[speaker])
        first, last = items[i + 1].block, items[end].block
        quotes.append(
            Quote(
                speaker=speaker,
                source_title=title,
                year=year,
                text=page_text[first.start : last.end],
                document=doc,
                char_start=first.start,
                char_end=last.end,
                lead_in=item.text,
                section=item.section,
            )
        )
        if (title, year) in sources[speaker]:
            sources[speaker].remove((title, year))
        sources[speaker].append((title, year))
        last_speaker, introduced_since_quote = speaker, False
        if len(split_speakers(speaker)) == 1:
            people.introduce(speaker)
        i = end + 1
    return quotes


def _quote_end(items: list[Item], start: int, names: Sequence[str], people: People) -> int | None:
    """Index of the last quote paragraph starting at ``start``, or None if ``start`` is not a quote."""
    if start >= len(items) or items[start].heading or _is_prose(items[start].text, names, people):
        return None
    end = start
    while end + 1 < len(items):
        nxt = items[end + 1]
        if nxt.heading or _is_prose(nxt.text, names, people):
            break
        if not (_looks_quoted(nxt.text) or items[end].text.rstrip().endswith(":")):
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
