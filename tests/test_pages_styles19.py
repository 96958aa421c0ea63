"""Page styles of round nineteen (a lead-in saying what someone did "in his essay", a "they" for the two
people the sentence before names, a "they" after a quote of two people), each on a small page written for
the test."""

from __future__ import annotations

from pathlib import Path

from tests.synthetic_page import written_quotes

IN_HIS_ESSAY = """---
title: "Plans"
---

Plans fail more often than people expect. The best plan is the one you can test soon.

[Varga took the same view in his essay on planning](https://example.org/varga/planning):

> No plan survives its first week in the field. A team that tests early learns more than a team that
> plans for a year, and it wastes less of its money.
"""


def test_a_lead_in_doing_something_in_his_essay_credits_the_essay_s_author(tmp_path: Path) -> None:
    """ "X took the same view in his essay on planning:" (a verb that is not one of saying, with "in
    his <work>"): the block quote is from X's essay, so X's words."""
    quotes = written_quotes(tmp_path, "plans.md", IN_HIS_ESSAY)
    assert [speaker for _, speaker in quotes] == ["Varga"]


THEY_FOR_TWO = """---
title: "Small farms"
---

Farm size has been studied for a long time, with mixed results.

Okafor and Lindqvist published a careful paper on the question last spring.

In their paper, they write:

> Small farms produced more food per hectare in every region we studied, and the gap grew in dry years.
"""


def test_they_is_the_two_people_the_sentence_before_names(tmp_path: Path) -> None:
    """ "X and Y published a paper. In their paper, they write:": the they is both of them."""
    quotes = written_quotes(tmp_path, "farms.md", THEY_FOR_TWO)
    assert [speaker for _, speaker in quotes] == ["Okafor and Lindqvist"]


THEY_AFTER_TWO = """---
title: "Small farms"
---

Farm size has been studied for a long time, with mixed results.

In a paper last spring, Okafor and Lindqvist wrote:

> Small farms produced more food per hectare in every region we studied, and the gap grew in dry years.

They also confirm that water matters most: if you mention a drought to a farmer, you will hear the same.

> The amount of water a farm can store explains most of the difference between good and bad years.
"""


def test_they_after_a_quote_of_two_people_is_them(tmp_path: Path) -> None:
    """ "They also confirm that ..." right after a block quote of "X and Y", no one named since: the
    next block quote is theirs too."""
    quotes = written_quotes(tmp_path, "farms.md", THEY_AFTER_TWO)
    assert [speaker for _, speaker in quotes] == ["Okafor and Lindqvist", "Okafor and Lindqvist"]


CITED_WORK = """---
title: "Simple models"
---

Simple models are often better than complex ones. [Moreau (1981) wrote a short article on the
question](https://example.org/moreau1981). She argues that each added part costs more than it brings.
Above all, a simple model is easier to test.

> A model with many parts can fit any data, and so it explains none of it. The careful modeller adds a
> part only when the data demand it, and removes one whenever she can.

I agree with most of it.
"""


def test_a_block_quote_after_a_cited_work_is_from_it(tmp_path: Path) -> None:
    """A block quote after a paragraph citing "X (1981) wrote a short article on ...", no one else named
    there and no colon: the words are from that article, so X's."""
    quotes = written_quotes(tmp_path, "models.md", CITED_WORK)
    assert [speaker for _, speaker in quotes] == ["Moreau"]


ROLE_BEFORE_NAME_COLON = """<html><body><article>
<h1>The harbour reopens</h1>
<p>The harbour reopened on Monday after a week of storms, and the first ships came in at dawn.</p>
<p>Former governor Ana Duarte welcomed the news, but blamed the city for the delay: "We lost a week of
trade for nothing. The city knew the storm was coming and did nothing about it."</p>
</article></body></html>
"""


def test_a_colon_clause_whose_subject_has_a_role_in_lower_case_before_the_name(tmp_path: Path) -> None:
    """ "Former governor X welcomed the news, but blamed ...: “…”" (no verb of saying): the quotation is
    the subject's, whose name the parse gives with the role in lower case before it ("governor X")."""
    quotes = written_quotes(tmp_path, "harbour.html", ROLE_BEFORE_NAME_COLON)
    assert [speaker for _, speaker in quotes] == ["Ana Duarte"]


GIVEN_NAME = """<html><body><article>
<h1>A quiet vigil</h1>
<p>The crowd gathered at the square on Sunday evening, and the speeches were short.</p>
<p>"We came to be heard," a young nurse who said her name was "Mara" told me. "Nobody listens to us
otherwise."</p>
<p>Next to "Mara" stood Lucas Brandt, 19, of Hillside.</p>
<p>"I came for my brother," Brandt told me.</p>
<p>"Mara" nodded: "They never ask us anything about it," she said of the council.</p>
</article></body></html>
"""


def test_a_described_speaker_who_gave_a_name_is_that_name(tmp_path: Path) -> None:
    """ "“…,” a young nurse who said her name was “Mara” told me": the speaker is the name she
    gave, not "an unnamed nurse"."""
    quotes = written_quotes(tmp_path, "vigil.html", GIVEN_NAME)
    assert [speaker for _, speaker in quotes][:1] == ["Mara"]


def test_a_given_name_in_quotation_marks_is_a_mention_of_that_person(tmp_path: Path) -> None:
    """ "“Mara” nodded: “…,” she said": the name the person gave, written in quotation marks, is a
    mention of her, so the she is Mara, not the man named in between."""
    quotes = written_quotes(tmp_path, "vigil.html", GIVEN_NAME)
    assert [speaker for _, speaker in quotes][-2:] == ["Lucas Brandt", "Mara"]


THEY_DID_AFTER_TWO = """---
title: "Small farms"
---

Farm size has been studied for a long time, with mixed results.

In a paper last spring, Okafor and Lindqvist wrote:

> Small farms produced more food per hectare in every region we studied, and the gap grew in dry years.

They failed to find the same gap in cold regions, and this may have to do with the soil there:

> In the northern regions the soil freezes early. Neither small nor large farms can plant a second crop.
"""


def test_a_they_lead_in_without_a_verb_of_saying_after_a_quote_of_two_people(tmp_path: Path) -> None:
    """ "They failed to find ...:" (a colon, "they" the main subject, no verb of saying) right after a
    block quote of "X and Y", no one named since: the block quote it introduces is theirs."""
    quotes = written_quotes(tmp_path, "farms.md", THEY_DID_AFTER_TWO)
    assert [speaker for _, speaker in quotes] == ["Okafor and Lindqvist", "Okafor and Lindqvist"]


LETTER_BEGAN = """<html><body><article>
<h1>A letter to the council</h1>
<p>The council received an unsigned letter on Friday, and the police were told the same night.</p>
<p>“I am writing to you about the bridge on Mill Street,” the letter began. “It is not safe. Someone will
fall through it before the winter is over.”</p>
<p>The council closed the bridge on Monday.</p>
</article></body></html>
"""


def test_the_letter_began_is_a_said_clause(tmp_path: Path) -> None:
    """ "“…,” the letter began. “…”": "begin" with a text for its subject reads like "the statement
    read", so the first part is a quote too; whose, the page does not say (it received the letter)."""
    quotes = written_quotes(tmp_path, "letter.html", LETTER_BEGAN)
    assert [(text[:12], speaker) for text, speaker in quotes] == [
        ("I am writing", "unknown"),
        ("It is not sa", "unknown"),
    ]
