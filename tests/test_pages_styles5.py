"""Page styles of the fifth development set (eval/pages/heldout5), each on a small page written for the
test: names with capitalised particles, titles the tagger takes into a name, surnames the tagger takes
for a place, block quotes signed one after another, definite descriptions of a person ("the actor")."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.quotes.attribution import UNKNOWN, Attribution, resolve_attribution
from index.quotes.names import People, name_candidates
from index.quotes.nlp import available
from tests.synthetic_page import parse_written

needs_parse = pytest.mark.skipif(not available(), reason="spaCy's English pipeline is not installed")


def test_a_capitalised_particle_inside_a_name_is_no_name_word() -> None:
    names = [
        n.name
        for n in name_candidates("Marten Van Der Hoek has won. Ana De La Cruz came second.", frozenset())
    ]
    assert names == ["Marten Van Der Hoek", "Ana De La Cruz"]


PARTICLES = """Baker Leaves the Contest

Marten Van Der Hoek has left the baking contest after the semi-final on Sunday.

“I burned the bread twice and I knew it was over by the second loaf,” Van Der Hoek said.
"""


@needs_parse
def test_a_surname_with_capitalised_particles_is_the_full_name(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "bake.txt", PARTICLES).quotes
    assert [q.speaker for q in quotes] == ["Marten Van Der Hoek"]


def _people(*known: str) -> People:
    return People(lower_vocab=frozenset({"executive", "judge"}), known=list(known))


def test_a_title_the_tagger_takes_into_the_name_is_left_out() -> None:
    people = _people("Selma Nygaard", "Human Rights")
    assert (
        resolve_attribution(Attribution("name", "VP Selma Nygaard", "tell"), people, None) == "Selma Nygaard"
    )
    assert resolve_attribution(Attribution("name", "Executive Selma Nygaard", "tell"), people, None) == (
        "Selma Nygaard"
    )
    office = Attribution("name", "High Commissioner for Human Rights", "say")
    assert resolve_attribution(office, people, None) == "High Commissioner for Human Rights"  # no person


def test_a_surname_the_tagger_takes_for_a_place_is_the_person_the_page_named() -> None:
    people = _people("Orla Kavanagh", "Bram Tessier")
    assert resolve_attribution(Attribution("none", "Kavanagh", "note"), people, None) == "Orla Kavanagh"
    assert resolve_attribution(Attribution("none", "Lisbon", "say"), people, None) == UNKNOWN


SIGNED_IN_TURN = """---
title: "Ten Years of the Archive"
---

We asked some of our maintainers what they are most proud of:

> The index was rebuilt from scratch, and searches now take a tenth of the time they took.
>
> — Ilse Brandt ([search])


> I feel the new storage layer is the change that users notice the least and benefit from the most.
>
> — Tomas Riedel ([storage])
"""


def test_block_quotes_signed_one_after_another_are_each_their_signers(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "archive.md", SIGNED_IN_TURN).quotes
    assert [(q.speaker, q.text[:10]) for q in quotes] == [
        ("Ilse Brandt", "The index "),
        ("Tomas Riedel", "I feel the"),
    ]


OWN_SENTENCE = """Two Ferry Bosses on Fares

“We will keep the night crossing open all winter,” operations chief Lena Marsh told a local paper last
year. Then hear how Oskar Berglund presented the new timetable on Monday:
“Every crossing will cost the same, day or night,” he said.
"""


@needs_parse
def test_a_he_after_a_person_who_is_a_subject_in_his_own_sentence_is_that_person(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "ferry.txt", OWN_SENTENCE).quotes
    assert [(q.speaker, q.text[:10]) for q in quotes] == [
        ("Lena Marsh", "We will ke"),
        ("Oskar Berglund", "Every cros"),  # not Lena Marsh, quoted just before
    ]


ASKED_ABOUT = """Two Ferry Bosses on Fares

“We will keep the night crossing open all winter,” operations chief Oskar Berglund told a local paper.
Asked about Lena Marsh, he said: “She has run the harbour better than anyone before her.”
"""


@needs_parse
def test_a_person_a_pronouns_own_sentence_only_mentions_is_not_the_speaker(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "ferry.txt", ASKED_ABOUT).quotes
    assert [q.speaker for q in quotes] == ["Oskar Berglund", "Oskar Berglund"]


REPORTED_LEAD_IN = """Harbour Chief on the New Timetable

The rules for the harbour were first written down in a short leaflet, The Harbour Rules, in 1990.

On Monday, harbour chief Oskar Berglund told the port editor Mira Castell that he thought the new
timetable was “fair”:

> Having every crossing cost the same lets everyone plan their week. I think that is fair. I have not
> seen that before.
"""


@needs_parse
def test_a_he_in_a_lead_in_reporting_what_a_named_person_said_is_that_person(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "chief.md", REPORTED_LEAD_IN).quotes
    assert [q.speaker for q in quotes] == ["Oskar Berglund"]


SHARED_SURNAME = """Two Harbour Pilots Named Lund

Last spring the film star Ida Lund toured the harbour for a week, and the papers followed her.

This month the pilots' union leader Arne Lund spoke against the new fares.
Lund told a local paper the union had not been asked:
“Nobody called us, and nobody will tell us who decided this.”
"""


@needs_parse
def test_a_surname_two_persons_share_is_the_one_the_passage_names_in_full(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "lund.txt", SHARED_SURNAME).quotes
    assert [q.speaker for q in quotes] == ["Arne Lund"]  # not Ida Lund, named first


PARAGRAPH_BEFORE = """Harbour Pilot Speaks Out

In her first post about the new fares, pilot Ida Lund even touched on the cost to families and noted
there should be “no shame” in asking for help.

“Families have been through three winters of higher fares, and nobody talks about what that costs them.”

After the vote, the Harbour Board issued a statement to the paper that it would “act quickly” on the fares:

“The Board will review every fare this winter, and we will publish the review in full.”

What did the pilots say after the vote?

“We are not done with this, and we will be back at the next meeting with more of us.”
"""


@needs_parse
def test_a_quotation_standing_alone_takes_the_speaker_the_paragraph_before_ends_with(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "pilot.txt", PARAGRAPH_BEFORE).quotes
    assert [(q.speaker, q.text[:10]) for q in quotes] == [
        ("Ida Lund", "Families h"),  # the subject of the speech verb ending the paragraph before
        ("Harbour Board", "The Board "),  # whose statement the lead-in names
        ("unknown", "We are not"),  # a question asking about someone names no speaker
    ]


TWO_APOSTROPHES = """Board Faces Questions

“It was an attempt to mislead the riders,’’ Mira Castell, head of the riders' union, told the paper.
“And I think it is wrong for a public board to behave that way.”
"""


@needs_parse
def test_two_apostrophes_close_a_quotation(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "board.txt", TWO_APOSTROPHES).quotes
    assert [(q.speaker, q.text) for q in quotes][:1] == [
        ("Mira Castell", "It was an attempt to mislead the riders")
    ]


ASKED_AND_WENT_ON = """The Final Night

Upon hearing that she would go through to the final, Ines Alvarado offered her place to her rival.

“Can I give my place to her instead?” Alvarado tearfully asked before hugging her rival.
"""


@needs_parse
def test_a_said_clause_after_a_question_may_go_on_after_its_verb(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "final.txt", ASKED_AND_WENT_ON).quotes
    assert [q.speaker for q in quotes] == ["Ines Alvarado"]


DESCRIBED = """Baker Leaves the Contest

Marten Hoek has left the baking contest after the semi-final, in what host Ada Brink called a hard night.

“I burned the bread twice and I knew it was over by the second loaf,” Hoek said.

“You never know how these nights go, that is what I keep telling my kids,” said the painter.

The painter later shared a photo of the burned loaf with his family.

“Baking bread at home was something we never took for granted,” the Dutch painter previously said.

“Every one of them deserved the final, and this was the hardest night so far,” the host said.

“We will sell the winning loaf in every shop from Monday,” the retailer said.
"""


@needs_parse
def test_a_definite_description_means_the_person_the_page_calls_so(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "bake.txt", DESCRIBED).quotes
    assert [q.speaker for q in quotes] == [
        "Marten Hoek",
        "Marten Hoek",  # "the painter", after his quotation, in the first person singular
        "Marten Hoek",  # the same description again
        "Ada Brink",  # "the host": the page wrote "host Ada Brink"
        "an unnamed retailer",  # words in the first person plural, no one the page calls so
    ]


EMBEDDED_POST = """<!DOCTYPE html>
<html><head><title>Harbour Board Keeps Its Fares</title></head><body>
<article>
<h1>Harbour Board Keeps Its Fares</h1>
<p>The harbour board met on Tuesday and kept the winter fares, after a long night of questions from the
pilots, the ferry crews and the people who ride the night crossing every week of the year.</p>
<p>For example, the pilots' union leader Arne Lund, who was at the meeting until it closed, still posts
about the fares every day, where he continues to share the same complaints with his followers.</p>
<blockquote class="embedded-post"><p>Whatever the board decides, I will keep asking for the numbers,
and no board, minister or editor will stop me. https://example.org/p/1</p>&mdash; Arne Lund (@arnelund)
<a href="https://example.org/p/1">December 9, 2016</a></blockquote>
<p>The board said it would answer the union's questions at its next meeting, in the spring, when the
new timetable for the night crossing is due to be published for the first time in three years.</p>
</article>
</body></html>
"""


def test_a_signature_left_loose_in_a_block_quote_after_its_paragraph_signs_it(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "board.html", EMBEDDED_POST).quotes
    assert [(q.speaker, q.text[:10]) for q in quotes] == [("Arne Lund", "Whatever t")]
