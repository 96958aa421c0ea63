"""Page styles of round fifteen (two persons sharing a surname, a title before a surname, ...), each on a
small page written for the test."""

from __future__ import annotations

from pathlib import Path

from tests.synthetic_page import written_quotes

FATHER_AND_SON = """<html><body><article>
<h1>Father of the striker speaks</h1>
<p>Halvard Kjell Brandt owns a bakery in Tromsø and has coached youth football for twenty years.</p>
<p>Brandt spoke to reporters on Monday and called the red card given to his son, Ivar Brandt, unjust.</p>
<p>The decision upset the family, the father said, and went against everything he had taught the boy.</p>
<p>In a radio interview after the match, Brandt said: "I do not understand what the referee was thinking."</p>
<p>"He has never been sent off before, and I am so disappointed," he added.</p>
</article></body></html>
"""


def test_a_surname_opening_a_sentence_is_not_the_namesake_named_later_in_it(tmp_path: Path) -> None:
    """ "Brandt spoke ... his son, Ivar Brandt": the full name written after the opening surname is not
    whom it means; the person the page is about stays the father, whose later words these are."""
    quotes = written_quotes(tmp_path, "father.html", FATHER_AND_SON)
    assert [speaker for _, speaker in quotes] == ["Halvard Kjell Brandt"] * 2


TITLE_BEFORE_SURNAME = """<html><body><article>
<h1>Harbour flats sit empty</h1>
<p>In Kellby, where surveyor Mira Oystein said she has seen a strange split: the flats to buy sit empty.</p>
<p>Surveyor Oystein said asking prices have fallen a great deal in Kellby since the winter began.</p>
<p>"Owners are waiting for a spring that may never come," Oystein said.</p>
</article></body></html>
"""


def test_a_capitalised_title_before_a_surname_is_the_person_it_was_written_before(tmp_path: Path) -> None:
    """ "Surveyor Oystein said" after "surveyor Mira Oystein": the title the page writes in lower case
    before the full name is no first name; the surname is the person introduced in full."""
    quotes = written_quotes(tmp_path, "flats.html", TITLE_BEFORE_SURNAME)
    assert [speaker for text, speaker in quotes if text.startswith("Owners")] == ["Mira Oystein"]


SPOKESWOMAN_FOR_A_UNION = """<html><body><article>
<h1>Dock workers walk out</h1>
<p>Related: Harwick Quay dock workers plan walkout for March 3</p>
<p>The dock workers are not trying to stop the ferries, a spokeswoman for the Coastal Porters Union said at a
briefing on Friday.</p>
<p>"They want the town to see how little they are paid for the night shifts," she said. The union backs
them.</p>
</article></body></html>
"""


def test_a_she_after_a_spokeswoman_for_an_organisation_is_that_unnamed_spokeswoman(tmp_path: Path) -> None:
    """ "…, a spokeswoman for the Union said." then "“…,” she said": the she is the spokeswoman, a person
    the page does not name, not a capitalised run the page mentioned before (nor the union)."""
    quotes = written_quotes(tmp_path, "docks.html", SPOKESWOMAN_FOR_A_UNION)
    assert [speaker for _, speaker in quotes] == ["an unnamed spokeswoman"]


TITLES_BEFORE_A_NAME = """<html><body><article>
<h1>Ferry operator misses its targets</h1>
<p>The ferry operator carried fewer passengers than expected in the spring, its report showed on Monday.</p>
<p>"Our spring results reflected steady demand on the island routes, yet bookings were below our plans for
the season," chairwoman, CEO and president Linnea Vasko said in the report.</p>
</article></body></html>
"""


def test_a_list_of_titles_ending_in_a_name_is_that_person(tmp_path: Path) -> None:
    """ "“…,” chairwoman, CEO and president Linnea Vasko said": the titles joined to each other describe the
    one person named after them, not an unnamed chairwoman."""
    quotes = written_quotes(tmp_path, "ferry.html", TITLES_BEFORE_A_NAME)
    assert [speaker for _, speaker in quotes] == ["Linnea Vasko"]


MONONYM_REACTS_TO_A_PAPER = (
    '---\ntitle: "On leaving the lab"\n---\n\n'
    "Marisol [took issue with the essay](https://example.org/essay.html) Why Bridges Fall! by "
    "[Henrik O. Strand](https://example.org/strand/). Here is what she had to say:\n"
    """
> When a student tells me they want to build bridges for a living, I ask them whether they have ever waited
> three years for a permit. Most of them have not, and I think they should know about it before they start.

I found the essay itself very sobering.
"""
)


def test_a_pronoun_after_a_name_only_as_the_author_of_a_work_is_not_that_author(tmp_path: Path) -> None:
    """ "X took issue with the essay Why Bridges Fall! by Henrik O. Strand. Here is what she had to say:": the
    one full name is whom the work is by, no subject; whom the she means the page does not make clear to
    the rules (unknown), never the work's author."""
    quotes = written_quotes(tmp_path, "essay.md", MONONYM_REACTS_TO_A_PAPER)
    assert [speaker for text, speaker in quotes if text.startswith("When a student")] == ["unknown"]


EXCERPT_OF_THE_ESSAY = MONONYM_REACTS_TO_A_PAPER + (
    "\nThe essay she responds to is also worth reading. It takes on a few myths. One of them is that a"
    " permit, once granted, settles the matter:\n\n"
    "> Suppose the permit does arrive after three years. The struggle for a permit is now replaced by a\n"
    "> struggle for funding, and the bridge waits for another decade while the river keeps rising.\n\n"
    "I would still build bridges.\n"
)


def test_a_block_quote_after_a_lead_in_opening_with_a_work_is_its_author_s(tmp_path: Path) -> None:
    """ "The essay she responds to is ...:" then a block quote: an excerpt of the work, whose one author the
    page named before ("the essay ... by Henrik O. Strand")."""
    quotes = written_quotes(tmp_path, "essay2.md", EXCERPT_OF_THE_ESSAY)
    assert [speaker for text, speaker in quotes if text.startswith("Suppose")] == ["Henrik O. Strand"]


MONONYM_RESPONDS = MONONYM_REACTS_TO_A_PAPER.replace("took issue with", "responds to")


def test_a_one_word_name_opening_the_page_as_who_responds_is_the_person_a_she_after_means(
    tmp_path: Path,
) -> None:
    """ "Marisol [responds to the essay](…) … by Henrik O. Strand. Here is what she had to say:": the one
    word opening the sentence as the subject of a verb of responding is a person, the sentence's subject,
    whom the she means (not the author the sentence names after "by")."""
    quotes = written_quotes(tmp_path, "essay3.md", MONONYM_RESPONDS)
    assert [speaker for text, speaker in quotes if text.startswith("When a student")] == ["Marisol"]
