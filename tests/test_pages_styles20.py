"""Page styles of round twenty (a lead-in that ends on a field's capitalised name, not a person's; a
lead-in with "he" for subject and no one named; a Markdown page that leaves HTML character references as
written), each on a small page written for the test."""

from __future__ import annotations

from pathlib import Path

from tests.synthetic_page import written_quotes

A_FIELD_NOT_A_PERSON = """---
title: "An old critic"
---

A long letter by Miriam Oduya, who built compilers for thirty years, appeared in the spring issue of the
society's bulletin. She doubts that machines will ever think as people do.

Her letter takes a shot at Information Retrieval:

> A search engine that ranks a thousand pages a second has read none of them. Reading is an act of a
> living body that moves about, and nothing in the program moves.
"""


def test_a_field_s_capitalised_name_ending_a_lead_in_is_no_speaker(tmp_path: Path) -> None:
    """ "Her letter takes a shot at Information Retrieval:": the tagger takes the capitalised phrase for a
    thing, not a person, so it is not whose words follow (unknown, not "Information Retrieval")."""
    quotes = written_quotes(tmp_path, "critic.md", A_FIELD_NOT_A_PERSON)
    assert [speaker for _, speaker in quotes] != [] and "Information Retrieval" not in [s for _, s in quotes]


HE_TAKES_A_SHOT = """---
title: "An old critic"
---

Tomas Ekberg, who built compilers for thirty years, wrote a long letter to the spring issue of the
society's bulletin. He doubts that machines will ever think as people do.

Most of it is about memory and habit, and the bulletin printed it over four pages.

He takes a shot at the search engines too:

> A program that ranks a thousand pages a second has read none of them. Reading is an act of a living
> body that moves about, and nothing in the program moves.
"""


def test_he_the_subject_of_a_lead_in_naming_no_one_is_the_person_the_page_is_about(tmp_path: Path) -> None:
    """ "He takes a shot at ...:" (no verb of saying, no one named in the lead-in): the block quote is
    the words of the man the pronoun means."""
    quotes = written_quotes(tmp_path, "critic.md", HE_TAKES_A_SHOT)
    assert [speaker for _, speaker in quotes] == ["Tomas Ekberg"]


ENTITIES_LEFT_AS_WRITTEN = """---
title: "An old critic"
---

Tomas Ekberg, who built compilers for thirty years, wrote a long letter to the spring issue of the
society&rsquo;s bulletin. He doubts that machines will ever think as people do.

A machine would need to learn as fast as a child for Ekberg&rsquo;s point to fail.

He takes a shot at the search engines too:

> A program that ranks a thousand pages a second has read none of them. Reading is an act of a living
> body that moves about, and nothing in the program moves.
"""


def test_html_character_references_in_markdown_are_read_as_their_characters(tmp_path: Path) -> None:
    """ "for Ekberg&rsquo;s point to fail" is read as "Ekberg’s point" (a possessive, no object of the
    sentence), so the "He" after it is still Ekberg."""
    quotes = written_quotes(tmp_path, "critic.md", ENTITIES_LEFT_AS_WRITTEN)
    assert [speaker for _, speaker in quotes] == ["Tomas Ekberg"]


HEADLINE_IN_BREADCRUMBS = """<html><head>
<title>Harbour board rebuffs Mayor Ana Lund, says fix the pier locally</title>
</head><body><article>
<h1>Harbour board rebuffs Mayor Ana Lund, says fix the pier locally</h1>
<ul><li>News</li><li>City News</li>
<li>Harbour board rebuffs Mayor Ana Lund, says fix the pier locally</li></ul>
<p>This story is from March 3, 2021</p>
<p>File photo of the old pier at low tide. (Staff)</p>
<p>PORTVIK: The harbour board on Monday turned down the mayor's request for money to repair the old pier,
saying the town should pay for the work itself. “The pier is the town's, and so is the bill,” board
chairman Piet Olsen said on Monday. The mayor did not answer calls on Monday evening.</p>
</article></body></html>
"""


def test_a_copy_of_the_headline_introduces_no_quote(tmp_path: Path) -> None:
    """A breadcrumb trail that repeats the headline ("..., says fix the pier locally") is no lead-in: the
    dateline and the photo's caption after it are no one's words."""
    quotes = written_quotes(tmp_path, "pier.html", HEADLINE_IN_BREADCRUMBS)
    assert quotes == [("The pier is the town's, and so is the bill", "Piet Olsen")]


THEIR_MESSAGE = """---
title: "Paper or screen"
---

Two reading researchers, Okafor and Lindqvist, published a study on reading from paper last year.

It is plain that Okafor and Lindqvist have been annoyed by the fashion for screens. Their main message
is in the last section:

> Schools should keep printed books for every subject in which pupils read long texts, and should buy
> screens only where a subject needs them.
"""


def test_their_on_the_subject_of_a_lead_in_is_the_two_people_it_names(tmp_path: Path) -> None:
    """ "It is plain that X and Y have been annoyed ... Their main message is in the last section:": the
    "their" is the two people the lead-in names (as the subject of a clause), whose words follow."""
    quotes = written_quotes(tmp_path, "paper.md", THEIR_MESSAGE)
    assert [speaker for _, speaker in quotes] == ["Okafor and Lindqvist"]


HIS_COMPLAINT = """---
title: "An old critic"
---

Tomas Ekberg, who built compilers for thirty years, wrote a long letter to the spring issue of the
society's bulletin. He doubts that machines will ever think as people do.

Most of it is about memory and habit, and the bulletin printed it over four pages.

His main complaint is in the last paragraph:

> A program that ranks a thousand pages a second has read none of them. Reading is an act of a living
> body that moves about, and nothing in the program moves.
"""


def test_his_on_the_subject_of_a_lead_in_naming_no_one_is_the_pronoun_s_person(tmp_path: Path) -> None:
    """ "His main complaint is in the last paragraph:": the "his" is the man the pronoun means."""
    quotes = written_quotes(tmp_path, "critic.md", HIS_COMPLAINT)
    assert [speaker for _, speaker in quotes] == ["Tomas Ekberg"]
