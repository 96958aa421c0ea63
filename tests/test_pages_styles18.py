"""Page styles of round eighteen (a place or a company's name beside a "he said", a middle initial, a
compound title, answers opened by initials, a capitals head after a lead-in, "the report said", a raw HTML
tag in a block quote), each on a small page written for the test."""

from __future__ import annotations

from pathlib import Path

from tests.synthetic_page import written_quotes

PLACE_BEFORE_HE = """<html><body><article>
<h1>Ferries run late</h1>
<p>The ferry bell rang at noon, and the boats left the harbour on time.</p>
<p>"We will decide in the morning whether the boats sail or not," Harbour Chief Tomas Bell said in
Santa Fe.</p>
<p>"It looks good. It looks very good," he said about the weather.</p>
</article></body></html>
"""


def test_a_place_is_no_one_a_he_said_means(tmp_path: Path) -> None:
    """ "“…,” Chief X said in Santa Fe. “…,” he said": the place (the entity tagger's) is no person
    mentioned since the last quotation, so the he goes on with its speaker, not the place."""
    quotes = written_quotes(tmp_path, "ferries.html", PLACE_BEFORE_HE)
    assert [speaker for _, speaker in quotes] == ["Tomas Bell", "Tomas Bell"]


COMPANY_PART = """<html><body><article>
<h1>Flights and the storm</h1>
<p>At US Northwind, Carla Dunmore called the delays "small, so far," with four cancellations.</p>
<p>The delays were longer at US Northwind Express, which cancelled thirty flights, she said.</p>
<p>"Most people are getting where they are going," she said.</p>
</article></body></html>
"""


def test_a_part_of_a_company_s_name_is_no_one_a_she_said_means(tmp_path: Path) -> None:
    """ "... at US Northwind Express, she said": two capitalised words inside a longer
    organisation's name (the entity tagger's) are no person, so the she is the person named before."""
    quotes = written_quotes(tmp_path, "flights.html", COMPANY_PART)
    assert [speaker for _, speaker in quotes] == ["Carla Dunmore"]


MIDDLE_INITIAL = """<html><body><article>
<h1>Cold morning</h1>
<p>The roads were good and the trains were fine, officials said.</p>
<p>Ines R. Good said she feared a long trip.</p>
<p>"Instead the road was empty," she said.</p>
</article></body></html>
"""


def test_a_middle_initial_makes_a_name_of_an_ordinary_surname(tmp_path: Path) -> None:
    """ "Ines R. Good" where the page writes "good" in lower case: the middle initial marks the run as a
    person's name, so the she after is that person."""
    quotes = written_quotes(tmp_path, "cold.html", MIDDLE_INITIAL)
    assert [speaker for _, speaker in quotes] == ["Ines R. Good"]


COMPOUND_TITLE = """<html><body><article>
<h1>Card thieves arrested</h1>
<p>Two people from the Tampa, Fla., area were arrested in Lee County on Wednesday in connection with a
scheme, Attorney General Marta Voss announced today.</p>
<p>Voss was joined by officers from the Lee County office at a news conference.</p>
<p>"Keep your card in sight when you pay, and cover the keypad with your hand," Voss said.</p>
</article></body></html>
"""


def test_the_second_word_of_a_compound_title_is_not_part_of_the_name(tmp_path: Path) -> None:
    """ "Attorney General Marta Voss": "General" is the title's, not a first name."""
    quotes = written_quotes(tmp_path, "cards.html", COMPOUND_TITLE)
    assert [speaker for _, speaker in quotes] == ["Marta Voss"]


INITIALS = """<html><head><title>Lena Park and Omar Wills on their river film</title></head><body><article>
<h1>Lena Park and Omar Wills on their river film</h1>
<p><strong>Lena, how did Omar do in the cold water?</strong></p>
<p>LP He never complained. I kept asking the crew to be careful with him.</p>
<p>OW I loved every minute of it.</p>
<p><strong>Will you show it at the festival?</strong></p>
<p>OW (Laughing.) We hope so. Our plan is to open the festival with it.</p>
<p><strong>What comes next for you, Lena?</strong></p>
<p>LP A film about my grandmother and her boat.</p>
</article></body></html>
"""


def test_answers_opened_by_initials_are_quotes_of_the_people_named(tmp_path: Path) -> None:
    """ "LP Words ..." and "OW Words ...", each coming back: answers opened by their speaker's initials,
    resolved to the people the title names; a stage direction after the initials is left out."""
    quotes = written_quotes(tmp_path, "river.html", INITIALS)
    assert [(text[:10], speaker) for text, speaker in quotes] == [
        ("He never c", "Lena Park"),
        ("I loved ev", "Omar Wills"),
        ("We hope so", "Omar Wills"),
        ("A film abo", "Lena Park"),
    ]


CAPS_HEAD = """<html><body><article>
<h1>Schools reopen</h1>
<p>"We are ready for the children to come back on Monday morning," Deputy Principal Dana Cole said.</p>
<p>MORE ON SCHOOLS</p>
<p>Students at a high school shared photos in an online account, police say</p>
<p>Dana Cole brings a plan full of school-speak, but short on details</p>
<p>UPDATES:</p>
<p>3:15 p.m.: This article was updated with the cost of the closure.</p>
</article></body></html>
"""


def test_a_head_in_capitals_after_a_lead_in_opens_no_quote(tmp_path: Path) -> None:
    """ "UPDATES:" alone after a line that could be a lead-in: a section the writer opens, no quotation."""
    quotes = written_quotes(tmp_path, "schools.html", CAPS_HEAD)
    assert all("UPDATES" not in text and "updated" not in text for text, _ in quotes)


REPORT_SAID = """<html><body><article>
<h1>Review of the closure</h1>
<p>A review of the closure was released on Tuesday.</p>
<p>"The district lacked a plan for closing every school at once," the review states.</p>
</article></body></html>
"""


def test_the_report_said_credits_the_text(tmp_path: Path) -> None:
    """ "the review states", whose review the page does not say: the text itself is the source, "the
    review", not an unknown speaker."""
    quotes = written_quotes(tmp_path, "review.html", REPORT_SAID)
    assert [speaker for _, speaker in quotes] == ["the review"]


RAW_TAG = """---
title: "Models"
---

Models are never exact. Here is an old remark about it:

> <p data-size="11pt">Since no model is exact, the scientist cannot make one exact by adding detail to it.
> He should seek a simple description of the world instead of a complete one.</p>
"""


def test_a_raw_html_tag_at_a_block_quote_s_ends_is_left_out(tmp_path: Path) -> None:
    """A Markdown block quote opening with a raw "<p …>" tag: the quote starts at its words."""
    quotes = written_quotes(tmp_path, "models.md", RAW_TAG)
    assert [text[:14] for text, _ in quotes] == ["Since no model"]
