"""Page styles of round sixteen (a page calling one person both he and she, ...), each on a small page
written for the test."""

from __future__ import annotations

from pathlib import Path

from tests.synthetic_page import written_quotes

CALLED_BOTH = """<html><body><article>
<h1>The mayor on the harbour</h1>
<p>In a talk with Petra Lindqvist, Noor Halloran said he believes the harbour plan kept its promise.</p>
<p>"We are seeing what a working harbour looks like," she said in a clip shown on Sunday.</p>
<p>Noor Halloran insisted she and her team had heard every fisherman before the vote.</p>
</article></body></html>
"""


def test_a_person_the_page_calls_both_he_and_she_is_not_ruled_out_by_either(tmp_path: Path) -> None:
    """ "X said he believes ..." then "X insisted she ...": the page slips, so neither pronoun rules X out;
    the she after the first sentence is its subject X, not the interviewer named in a phrase before."""
    quotes = written_quotes(tmp_path, "harbour.html", CALLED_BOTH)
    assert [speaker for _, speaker in quotes] == ["Noor Halloran"]


CITED_AFTER = """---
title: "Clocks and costs"
---

Does the switch really pay? This is disputed:

> We estimate a cost to Lorwen households of $4 million per year. ([Halvorsen and Tiko, 2010](https://example.org/w1))

What nobody disputes is the effect on sleep:

> Overall, we found a higher rate of sleep loss in the first week after the change. (Marquand et al. 2014)
"""


def test_a_block_quote_ending_in_a_citation_is_by_the_cited_authors(tmp_path: Path) -> None:
    """ "> … ([X and Y, 2010](…))", "> … (Z et al. 2014)": the parenthesised citation closing a block quote
    names its authors as the page writes them, and is not part of the quoted words."""
    quotes = written_quotes(tmp_path, "clocks.md", CITED_AFTER)
    assert [speaker for _, speaker in quotes] == ["Halvorsen and Tiko", "Marquand et al."]
    assert all(text.endswith(".") for text, _ in quotes)


ELIDED = """---
title: "Lanterns"
---

Thus, [Okonjo and Varga conclude](https://example.org/p) that the town should keep its lanterns lit:

> (&hellip;) lit lanterns would prevent dozens of falls every winter on the lanes. Furthermore, the light
> keeps the square busy after dark. (&hellip;)
"""


def test_a_block_quote_s_elision_marks_at_its_ends_are_not_its_words(tmp_path: Path) -> None:
    """ "> (…) words … (…)": the parenthesised elisions the writer puts at the ends of a block quote are
    left out of the quote, which opens and closes with the quoted words."""
    quotes = written_quotes(tmp_path, "lanterns.md", ELIDED)
    assert [(text[:12], text[-5:]) for text, _ in quotes] == [("lit lanterns", "dark.")]


WORK_BY_TWO = """---
title: "Are we ranking ferries to death?"
---

Last night I read a long paper, Timetables: Hidden Costs of Punctuality, by Ilse Marwood and Tarek Ouedan
(May 2011). It looks at how harbours judge their ferry crews.

Their main point is that strict timetables make the crews cautious.

> The timetable rewards the safe crossing over the useful one. Crews learn to avoid the detours that
> passengers need most, because a late arrival counts against them and a kind one never counts at all.

I especially like this bit:

> The habit of counting arrivals turns every harbour into the same harbour, with the same dull routes.
"""


def test_an_uncredited_block_quote_on_a_page_about_a_work_is_by_its_authors(tmp_path: Path) -> None:
    """ "a paper, Title, by X and Y" then block quotes whose lead-ins credit no one, with no one else named
    between: the words are the work's, by its authors as the page writes them."""
    quotes = written_quotes(tmp_path, "ferries.md", WORK_BY_TWO)
    assert [speaker for _, speaker in quotes] == ["Ilse Marwood and Tarek Ouedan"] * 2


ROUND_UP = """<html><body><article>
<h1>Late goal lifts the Herons</h1>
<p>Tomas Vrell scored twice as the Herons beat the Otters 3-2 on Friday night.</p>
<p>Ansel Braekke added his fifth for the Herons, and Milo Tarvin stopped 31 shots as they improved to 9-3.</p>
<p>Gulls 4, Ravens 1: Pavo Lindgren scored twice, Oskar Mehl made 28 saves and the Gulls beat the Ravens.</p>
<p>Kites 5, Wolves 2: Emil Sarno had a goal and an assist to lift the Kites past the Wolves.</p>
</article></body></html>
"""


def test_entries_under_run_in_heads_after_a_lead_in_are_no_quote(tmp_path: Path) -> None:
    """ "X added his fifth ..." then paragraphs each opening with a short run-in head and a colon ("Gulls 4,
    Ravens 1: ..."): the writer's own list of entries, not words the sentence before introduces."""
    assert written_quotes(tmp_path, "roundup.html", ROUND_UP) == []


NATIONAL_BODY = """<html><body><article>
<h1>Ferry link restored</h1>
<p>The ferry link to the outer islands opens again on Friday, the Danish ministry said on Tuesday.</p>
<p>"Every crossing has been checked and the crews are ready," the Danish ministry said in a statement.</p>
</article></body></html>
"""


def test_an_organisation_word_with_a_nationality_before_it_is_that_body(tmp_path: Path) -> None:
    """ "the Danish ministry said": an organisation word the nationality before it names, not an unnamed
    person in a role ("the Danish minister" stays one)."""
    quotes = written_quotes(tmp_path, "ferry.html", NATIONAL_BODY)
    assert [speaker for _, speaker in quotes] == ["Danish ministry"]
