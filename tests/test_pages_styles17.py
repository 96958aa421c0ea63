"""Page styles of round seventeen (papers cited as "X et al.", a lead-in ending in "argues that", authors
cited by a link, a person's role that is no organisation), each on a small page written for the test."""

from __future__ import annotations

from pathlib import Path

from index.quotes.attribution import attribute_sentence
from tests.synthetic_page import written_quotes


def test_a_citation_with_et_al_subject_of_say_is_one_name() -> None:
    """ "X et al. (2015) say that ...": the parse may take "X" and "al" for two names of one entity; they
    are one speaker, not "X et al and X et al"."""
    found = attribute_sentence(
        "Rosenthal et al. (2015) say that you should not expect too much from the fees:"
    )
    assert found is not None and found.text == "Rosenthal et al"


ET_AL_NO_YEAR = """---
title: "Ferries and fairness"
---

What do the numbers say about the ferries?

[Okafor et al.](https://example.org/p) make an observation that is not kind to the ferry board:

> Between 1990 and 2014, the board doubled the fares on the northern routes while the southern routes
> stayed cheap. The northern towns lost a third of their passengers.
"""


def test_a_lead_in_citing_x_et_al_without_a_year_credits_them(tmp_path: Path) -> None:
    """ "[X et al.](…) make an observation ...:" then a block quote: "et al." cites a paper even with no
    year, so the block quote is by "X et al." as the page writes it."""
    quotes = written_quotes(tmp_path, "ferries.md", ET_AL_NO_YEAR)
    assert [speaker for _, speaker in quotes] == ["Okafor et al."]


ARGUES_THAT = """---
title: "Are harbours fair?"
---

Many people think harbours make towns richer.

In her book, [Lindqvist (2014) argues that](https://example.org/book)

> our system of harbour fees not only fails to help small fleets but it pushes them out of the trade.
"""


def test_a_block_quote_ending_a_cited_lead_in_s_that_clause_is_by_the_cited_author(tmp_path: Path) -> None:
    """ "X (2014) argues that" then a block quote opening in lower case: the quote is the clause the
    lead-in opens, by the cited author, not a fragment to drop."""
    quotes = written_quotes(tmp_path, "harbours.md", ARGUES_THAT)
    assert [(text[:10], speaker) for text, speaker in quotes] == [("our system", "Lindqvist")]


LINKED_AUTHORS = """---
title: "Ferry subsidies"
---

Her book makes a long case. One of her arguments is that rich towns get better ferries.
This argument finds an echo in [Halvorsen and Tiko](https://example.org/paper.pdf):

> Busy ports give bigger yearly subsidies for each route. For example, in 2006 the northern ports paid
> $15,000 per route compared with $6,500 paid by the small harbours.
"""


def test_a_lead_in_ending_in_a_link_naming_authors_credits_them(tmp_path: Path) -> None:
    """ "... finds an echo in [X and Y](…):": a link whose text is only names, right before the colon,
    cites the authors of the block quote after it, not the she of the sentences before."""
    quotes = written_quotes(tmp_path, "subsidies.md", LINKED_AUTHORS)
    assert [speaker for _, speaker in quotes] == ["Halvorsen and Tiko"]


SECURITY_HEAD = """<html><body><article>
<h1>Vendors and their pitches</h1>
<p>There were no Social Security numbers or other data in the files.</p>
<p>Regulators do not care who did it, the bank official said.</p>
<p>"Unless you are a spy agency, who did it does not matter," the security head said.</p>
</article></body></html>
"""


def test_a_role_like_the_security_head_is_not_a_name_holding_its_kind_word(tmp_path: Path) -> None:
    """ "the security head said": a person described by a role; "Social Security" (a name holding the
    kind word) is an organisation, which a head is not: the speaker stays unnamed, not that name."""
    quotes = written_quotes(tmp_path, "vendors.html", SECURITY_HEAD)
    assert [speaker for _, speaker in quotes] != ["Social Security"]
    assert all("Social" not in speaker for _, speaker in quotes)
