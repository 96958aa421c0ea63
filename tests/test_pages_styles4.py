"""Page styles of issue 18's fourth development set, each on a small page written for the test:
interviews with bold name labels, lists of charges in news, quoted documentation in release notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.quotes.names import name_candidates
from index.quotes.nlp import available
from tests.synthetic_page import parse_written

needs_parse = pytest.mark.skipif(not available(), reason="spaCy's English pipeline is not installed")

LABELLED_INTERVIEW = """---
title: "Meet the Harbour Pilots"
author: "Jonas Brandt"
---

To learn about the pilots' work, Jonas Brandt spoke with Aino Lehtinen, a senior pilot at the port,
and Rafael Ortiz, who trains the new pilots. Lehtinen has guided ships into the port for twenty years.

## Getting started

**Jonas:** How did you come to the harbour?

**Aino:** I grew up on a ferry. My father ran the night crossing and I sat in the wheelhouse.

**Rafael:** I came from the navy, where I steered supply ships for eight years.

## The hard parts

**Jonas:** What is the hardest part of your job?

**Aino:** Fog. I have turned back more ships in fog than in any storm.

**Jonas:** What would you tell someone who wants your job?

**Aino:** I would say learn the charts by heart, because my screens failed twice last winter.

**Rafael:** [night tides](https://example.org/tides) are what I teach first, because I got them wrong once.
"""


def test_bold_name_labels_make_the_turns_even_when_questions_end_with_a_question_mark(tmp_path: Path) -> None:
    parsed = parse_written(tmp_path, "pilots.md", LABELLED_INTERVIEW)
    answers = [(q.speaker, q.text[:10]) for q in parsed.quotes if q.speaker != "Jonas Brandt"]
    assert answers == [
        ("Aino Lehtinen", "I grew up "),
        ("Rafael Ortiz", "I came fro"),
        ("Aino Lehtinen", "Fog. I hav"),
        ("Aino Lehtinen", "I would sa"),
        ("Rafael Ortiz", "[night tid"),  # a bold label before a lower-case link is a turn too
    ]


ARRESTS = """Police Arrest Four After Warehouse Search

Officers searched a warehouse on the east side on Tuesday and arrested Henrik T. Vasquez, 41, and
Dolores M. Achterberg, 29, said Sgt. Ilse Marquardt, a department spokeswoman.

Quentin R. Osei, 35, and Marisol K. Lindgren, 52, were arrested later at a nearby storage yard, she said.

The people arrested and the charges they face:

Henrik T. Vasquez: Theft of a vehicle, possession of stolen property, held in jail in lieu of $5,000 bond.

Dolores M. Achterberg: Possession of a controlled substance, held in jail with no bond.

Quentin R. Osei: Two county warrants, resisting arrest, held in jail in lieu of $12,000 bond.

Marisol K. Lindgren: Receiving stolen property, released on her own recognizance.
"""


def test_a_list_giving_each_name_once_in_the_third_person_is_not_an_interview(tmp_path: Path) -> None:
    assert parse_written(tmp_path, "arrests.txt", ARRESTS).quotes == ()


RELEASE_NOTES = """---
layout: post
title: "Announcing Quill 2.3.1"
author: The Quill Maintainers
---

The Quill project is glad to announce version 2.3.1 of the template engine.

Quoting [the 2.3 announcement](https://example.org/quill-2.3):

> One change needs a word of its own: templates that loop forever. Quill used to hang
> on such a template, and now stops it after a limit. In other words, this:

```text
{% for x in forever %}{{ x }}{% endfor %}
```

> This can never finish, as the loop has no end and the page is never written.
>
> In Quill 2.3, this template will now stop with an error.

This broke the `tome` plugin, which renders whole books from one template.

> Side note: Quill is maintained by a small group of volunteers who care deeply about
> the users who run it in production. This fix had a high priority for them.

After digging in, the cause was found: the limit. The limit counts steps, not loops, so
deep templates hit it early.

When we first wrote about the limit, a key phrase was not stressed. Here it is:

> After digging in, the cause was found: the limit. The limit *counts steps, not loops*.

We were writing the cache files incorrectly. As [the storage
docs state](https://example.org/storage):

> Cache files must be written in one piece, or readers may see half of them.
"""


def test_release_notes_quoting_docs_their_own_asides_and_themselves(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "quill.md", RELEASE_NOTES).quotes
    assert [(q.speaker, q.text[:12]) for q in quotes] == [
        ("unknown", "One change n"),  # one quote, though a code sample splits it
        ("unknown", "Cache files "),  # the docs' words, not the authors' ("we" is another sentence's)
    ]  # the "Side note:" aside and the page repeating its own words are no quotes
    assert quotes[0].text.endswith("stop with an error.")


HEARING = """Harbour Toll Hearing Runs Late

Piet Olsen, the harbour master, spoke at the council hearing on Monday about the new toll.

He denied that he and the deputy mayor, Jonas Brekke, had planned the toll together in secret.

Olsen said he never liked the toll and added, “I lose sleep over it every single night of the week.”
"""


@needs_parse
def test_a_he_in_what_a_named_person_said_is_that_person(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "toll.txt", HEARING).quotes
    assert [(q.speaker, q.text[:10]) for q in quotes] == [("Piet Olsen", "I lose sle")]  # not Jonas Brekke


QUESTIONED = """Council Questions the Harbour Master

Piet Olsen told the council he had tried to work with the ferry company all spring. However, he said
the company still believed the toll was too high.

“So is it fair to say the talks have failed completely?” Ruud Hamers asked.

“That is correct, and I regret it deeply,” Olsen said.
"""


@needs_parse
def test_a_quotation_whose_own_said_clause_follows_a_question_mark_is_that_speakers(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "council.txt", QUESTIONED).quotes
    assert [(q.speaker, q.text[:10]) for q in quotes] == [
        ("Ruud Hamers", "So is it f"),  # not the speaker the paragraph before is about
        ("Piet Olsen", "That is co"),
    ]


RANKS = """Inquiry Hears the Coast Guard

In the morning, the inquiry heard Lt Col Marit Sandvik, who led the rescue, Gov Hal Brenner and
Superintendent Ida Lund.

“We had nine minutes to reach the ferry and we used every one of them,” Sandvik said.
"""


def test_a_title_or_a_rank_written_short_is_no_part_of_the_name(tmp_path: Path) -> None:
    paragraph = RANKS.split("\n\n")[1]
    names = [n.name for n in name_candidates(paragraph, frozenset())]
    assert names == ["Marit Sandvik", "Hal Brenner", "Ida Lund"]
    quotes = parse_written(tmp_path, "inquiry.txt", RANKS).quotes
    assert [q.speaker for q in quotes] == ["Marit Sandvik"]


@needs_parse
def test_a_possessive_the_parse_joins_to_the_subject_is_no_co_speaker() -> None:
    from spacy.tokens import Doc, Span

    from index.quotes.attribution import _classify
    from index.quotes.nlp import english

    # The parse the tagger gives "Brekke, Fjordline’s chief, said": the firm as a conjunct of the name.
    words = ["Brekke", ",", "Fjordline", "’s", "chief", ",", "said"]
    heads = [6, 0, 0, 2, 0, 0, 6]
    deps = ["nsubj", "punct", "conj", "case", "appos", "punct", "ROOT"]
    pos = ["PROPN", "PUNCT", "PROPN", "PART", "NOUN", "PUNCT", "VERB"]
    doc = Doc(english().vocab, words=words, heads=heads, deps=deps, pos=pos)
    doc.ents = [Span(doc, 0, 1, label="PERSON"), Span(doc, 2, 3, label="ORG")]
    assert _classify(doc[0], "say").text == "Brekke"


HEARSAY = """Smaller Tablet Expected Next Year

The report claims the screen size will stay the same. Brightway and Northern Panel Technologies
are said to be among the suppliers of the panels for the smaller tablet.

The current large tablet has a brighter screen and a longer battery life than any model before it.
"""

EXCLAMATION = """Candidate Makes a Late Stop

Tomas Brandt takes his young campaign to the harbour district

About a dozen shop owners were gathered in a hall on Tuesday night when they were told the newest
candidate for mayor, Tomas Brandt, would be stopping by to introduce himself.

When Brandt walked into the back of the hall mid-meeting, the owners turned around as he apologised
for his late arrival.

“Carry on, everyone!” he told them.

But the former Harbour City councillor is eager to get their attention — and their vote.
"""


def test_hearsay_and_a_said_clause_with_its_own_words_introduce_no_quote(tmp_path: Path) -> None:
    assert parse_written(tmp_path, "tablet.txt", HEARSAY).quotes == ()  # "are said to be": no one's words
    quotes = parse_written(tmp_path, "stop.txt", EXCLAMATION).quotes
    assert not [q for q in quotes if q.text.startswith("But the former")]


HIGHLIGHTS = """Rescue Chief Speaks to the Inquiry

Marit Sandvik, who led the ferry rescue, spoke to the inquiry for three hours on Monday.

Here are some of the highlights:

• “We used every minute we had out there”
"""


def test_a_bullet_before_a_quotation_is_no_part_of_the_quote(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "highlights.txt", HIGHLIGHTS).quotes
    said = [(q.speaker, q.text) for q in quotes]
    assert said == [("Marit Sandvik", "We used every minute we had out there")]


CHANGELOG = """---
title: "Quill 2.4 Released"
author: The Quill Maintainers
---

Quill 2.4 brings a handful of library changes. In the last release, we talked about the new filters:

> The old filters will now be used only inside a template, while the new filters will be used
> whenever a template is rendered from another program.

* The `merge` filter now accepts a list of templates.
* The `pad` and `trim` filters were in the extras package, but they are now in the core as well.
* [`check_eq!` reports both values, like `warn!` does](https://example.org/pull/12).

See the [full changelog][log] for everything else in this release.

[log]: https://example.org/changelog
"""


def test_words_in_inline_code_are_no_verb_of_saying(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "quill24.md", CHANGELOG).quotes
    assert [q.text[:8] for q in quotes] == ["The old "]  # not "See the ...": `warn!` says nothing


OFFICE = """Quota Cut Angers Fishing Towns

The new winter quota for cod was published on Monday, and it is lower than any in a decade.

The Deputy Minister of Fisheries said the quota was “not enough to keep the smaller boats at sea all winter”.
"""


@needs_parse
def test_an_office_named_with_its_of_phrase_is_credited_whole(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "quota.txt", OFFICE).quotes
    assert [q.speaker for q in quotes] == ["Deputy Minister of Fisheries"]  # not "Deputy Minister"
    affiliated = OFFICE.replace("The Deputy Minister of Fisheries", "Brekke of Fjordline")
    quotes = parse_written(tmp_path, "quota2.txt", affiliated).quotes
    assert [q.speaker for q in quotes] == ["Brekke"]  # a person's affiliation is no part of the name


STATEMENT = """Harbour Master Opens the New Quay

Piet Olsen, the harbour master, opened the new quay on Tuesday after three years of building.

“Here we are on a proud day with another fine result for the whole town,” he told the dock workers,
according to a statement.
"""


@needs_parse
def test_according_to_a_statement_does_not_hide_the_speaking_subject(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "quay.txt", STATEMENT).quotes
    assert [q.speaker for q in quotes] == ["Piet Olsen"]


SURVEY = """---
title: "What Our Riders Told Us"
author: The Ferry Board
---

Of the riders who wrote about problems, one in six mentioned the late ferries. While some riders pointed
out their favourite missing route, most asked for later boats on weekdays.

> "a big problem is how many ferries still stop running before the last train gets in"

Many riders commented on the ticket machines, pointing out that they often fail in the rain.

> "The machines at the north pier have not worked in wet weather for two whole winters now"
"""


@needs_parse
def test_words_after_many_or_some_of_a_group_are_an_unnamed_members(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "riders.md", SURVEY).quotes
    assert [(q.speaker, q.text[:12]) for q in quotes] == [
        ("unknown", "a big proble"),
        ("unknown", "The machines"),
    ]


PHRASES = """Harbour Master on the New Quay

Safety, like speed, is not "an extra we add," Olsen said, but instead "part of how we work."

Olsen said the crews show "real pride in their harbour and in every ship they bring in."
"""


def test_a_phrase_of_five_words_picked_up_mid_sentence_is_no_quote(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "phrases.txt", PHRASES).quotes
    assert [q.text[:10] for q in quotes] == ["real pride"]  # ten words are a quote; five are a phrase


PRESENTED = """<html><body><article><h1>Ferry Petition Grows</h1>
<p>The petition for a night ferry passed two thousand names this week, and the council will debate it.</p>
<p>Here’s an excerpt from an email interview the town paper did with Ida Lund, the rider who started it.</p>
<blockquote><p>We got mixed reactions at first. Some people laughed, and then the names kept coming.</p>
</blockquote>
<p>The council meets on Thursday.</p>
</article></body></html>
"""


def test_a_lead_in_presenting_the_block_quote_with_a_full_stop_names_its_speaker(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "petition.html", PRESENTED).quotes
    assert [(q.speaker, q.text[:10]) for q in quotes] == [("Ida Lund", "We got mix")]


REITERATED = """Toll Stays, Board Says

A spokesperson for the Harbour Board reiterated the board's position that the tolls
"are needed to keep the old quay safe for the ships and for the people who work on it".
"""


@needs_parse
def test_reiterate_is_a_verb_of_saying(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "toll.txt", REITERATED).quotes
    assert [q.text[:12] for q in quotes] == ["are needed t"]


@needs_parse
def test_a_spokesperson_for_an_organisation_speaks_for_it(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "toll.txt", REITERATED).quotes
    assert [q.speaker for q in quotes] == ["Harbour Board"]
    alone = REITERATED.replace(" for the Harbour Board", "")
    assert [q.speaker for q in parse_written(tmp_path, "toll2.txt", alone).quotes] == [
        "an unnamed spokesperson"
    ]


TITLE_ONLY = """Harbour Master Meets Envoy

Piet Olsen, the harbour master, showed the new quay to visitors on Monday.

He also met the U.S. Ambassador, who arrived by boat at noon.

“We talked about the quay for an hour and agreed on nothing at all,” he said.
"""


def test_a_title_after_an_abbreviation_is_no_person(tmp_path: Path) -> None:
    assert name_candidates(TITLE_ONLY.split("\n\n")[2], frozenset()) == []
    quotes = parse_written(tmp_path, "envoy.txt", TITLE_ONLY).quotes
    assert [q.speaker for q in quotes] == ["Piet Olsen"]  # not "U.S. Ambassador"
