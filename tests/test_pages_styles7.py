"""Page styles of the seventh development set (eval/pages/heldout6 and heldout7), each on a small page
written for the test: capitalised phrases that are no person (a phrase the page also writes in lower case,
a thing after an indefinite article), and a surname opening a sentence whose full name the
article gave earlier."""

from __future__ import annotations

from pathlib import Path

from index.quotes.names import People, name_candidates
from tests.synthetic_page import parse_written, written_speakers

PROFILES = """---
title: "Meet the Glaziers"
date: 2023-05-02
---

This issue features two makers who have played many roles in the Open Kiln project.

## [Mirela Dobos](https://example.org/mirela)

Mirela Dobos is a glassblower from Cluj. She has worked on the open Kiln project since 2018.

She believes that patience matters more than strength at the furnace.

> _Glass tells you when it is ready. You only have to watch the colour change and wait for it._

## [Tobias Fenn](https://example.org/tobias)

Tobias Fenn restores church windows. He once took apart a window with a Stained Glass kit from a shop.

He recommends that newcomers start with small pieces.

> _Start with a coaster, not a cathedral. Every mistake is cheaper when the piece is small._
"""


def test_a_capitalised_phrase_the_page_also_writes_in_lower_case_is_no_person(tmp_path: Path) -> None:
    assert written_speakers(tmp_path, "glaziers.md", PROFILES) == ["Mirela Dobos", "Tobias Fenn"]


def test_a_phrase_written_in_lower_case_elsewhere_is_no_person() -> None:
    people = People(lower_vocab=frozenset({"open"}), article="the open Kiln project")
    assert people.writes_lowered("Open Kiln")
    assert not people.writes_lowered("Mirela Dobos")


def test_a_capitalised_run_after_an_indefinite_article_is_no_person() -> None:
    text = "She bought a Stained Glass kit. An Apple Watch and Ana Roe met. Ana Roe spoke."
    assert [n.name for n in name_candidates(text, frozenset())] == ["Ana Roe", "Ana Roe"]


SURNAME_OPENS = """Mayor Opens the River Bridge

The Regional Transport Board and Canal Heritage said the bridge would cut journeys by half.

Harbour Mayor Leona Varga, however, said she was proud of every worker on the site.

The Canal Trust and Bay Rowing said the crossing would also serve the boat clubs.

Varga walked across the bridge with the first group of cyclists on Sunday.

"This bridge belongs to everyone who crosses the river every morning to work," she told the crowd.
"""


def test_a_surname_opening_a_sentence_is_the_person_the_article_named_in_full(tmp_path: Path) -> None:
    speakers = written_speakers(tmp_path, "bridge.txt", SURNAME_OPENS)
    assert speakers[-1] == "Leona Varga"


PLACE_BEFORE_NAME = """Talks on the Lake Treaty

The trade talks in Norland went on late into the night.

The former trade delegate to Norland Petra Halvorsen described the first meeting in detail.

“We sat for nine hours and agreed on nothing but the coffee,” Halvorsen said.
"""


def test_a_place_written_before_a_name_is_not_part_of_it(tmp_path: Path) -> None:
    assert written_speakers(tmp_path, "treaty.txt", PLACE_BEFORE_NAME) == ["Petra Halvorsen"]


def test_a_first_name_written_alone_stays_part_of_the_name() -> None:
    people = People(lower_vocab=frozenset(), article="Ana Lucia Roe joined in May. Ana said yes.")
    name = name_candidates("Ana Lucia Roe joined.", frozenset())[0]
    assert people.without_place("Ana Lucia Roe joined.", name).name == "Ana Lucia Roe"


BRACKETED_FIRST_NAME = """Rowers Hold On

“Captain (Maria) Jensen told us to row like the river was on fire,” said stroke Oona Pihl.

“They kept their heads when it mattered, and that is all I ask of a crew,” Jensen said.
"""


def test_a_first_name_an_editor_added_in_brackets_gives_the_full_name(tmp_path: Path) -> None:
    assert written_speakers(tmp_path, "rowers.txt", BRACKETED_FIRST_NAME) == ["Oona Pihl", "Maria Jensen"]


OLD_THEME_THREAD = """<html><head><title>Pocket Radios</title></head><body>
<div class="post"><h2>My First Pocket Radio</h2>
<div class="entry"><p>In 1987 I saved for a whole summer to buy a pocket radio with a single earphone.</p>
<p>It picked up two stations and ate a battery a week, and I loved it more than anything I owned.</p>
<p>Today the same money buys a phone that plays every station in the world, which is less fun somehow.</p>
</div></div>
<h3 id="comments">2 Responses to &#8220;My First Pocket Radio&#8221;</h3>
<ol class="commentlist">
<li class="alt" id="comment-501">
<cite><a href="http://example.org" class="url">Hannah Oduya</a></cite> Says:<br />
<small class="commentmetadata"><a href="#comment-501">March 2nd, 2014 at 8:15 pm</a></small>
<p>Mine was a yellow one with a strap. It survived a fall into a lake.</p>
</li>
<li id="comment-502">
<cite>Pavel Rusu</cite> Says:<br />
<small class="commentmetadata"><a href="#comment-502">March 3rd, 2014 at 9:40 am</a></small>
<p>Two stations is generous! Mine only had one, and it was all farming news.</p>
<p>Still listened every night.</p>
</li>
</ol>
</body></html>"""


def test_an_old_theme_comment_list_with_cite_authors_and_bare_paragraphs(tmp_path: Path) -> None:
    comments = parse_written(tmp_path, "radio.html", OLD_THEME_THREAD).comments
    assert [(c.author, c.date.day if c.date else None) for c in comments] == [
        ("Hannah Oduya", 2),
        ("Pavel Rusu", 3),
    ]
    assert comments[1].text.startswith("Two stations is generous!")
    assert "Still listened every night." in comments[1].text


PROFILE_SECTIONS = """---
title: "Volunteers of the Month"
author: Greta Nilsen
---

Three volunteers kept the seed library running this winter.

## [Oskar Lindqvist](https://example.org/oskar)

Oskar Lindqvist sorts the bean donations every Saturday. He learned the work from a neighbour.

> _Beans are forgiving. Keep them dry and they will wait for you for years._

## [Amara Obi](https://example.org/amara)

Amara runs the workshop for children at the library.

> _Children plant anything you give them._

## Dry Storage

Keep every packet in a sealed tin.

> _A label with the year saves a lot of guessing later on._
"""


def test_an_unsigned_block_quote_under_a_heading_that_names_a_person_is_theirs(tmp_path: Path) -> None:
    assert written_speakers(tmp_path, "volunteers.md", PROFILE_SECTIONS) == ["Oskar Lindqvist", "Amara Obi"]


WRITER_HEADING = """<html><head><title>Saving Seeds</title></head><body><article>
<h1>Saving Seeds</h1><h3>Greta Nilsen</h3>
<p>Most gardeners throw away more seed than they ever sow, and that is a shame.</p>
<p>Here is the one rule I keep coming back to.</p>
<blockquote><p>Keep only the seed of the plants you liked best.</p></blockquote>
<p>It sounds obvious, but few people do it.</p>
</article></body></html>"""


def test_a_heading_naming_the_writer_credits_no_block_quote_to_them(tmp_path: Path) -> None:
    assert written_speakers(tmp_path, "seeds.html", WRITER_HEADING) == []


INITIALS_INTERVIEW = """---
title: "Talking Bridges"
author: "Lena Varga"
---

For this issue I talked with [Tomas Berg](https://example.org/tomas), who inspects old bridges.

**Lena (LV)**: Hello Tomas. How did you start inspecting bridges?

**Tomas Berg (TB)**: Hello! I started as a welder and I was curious about what held the old ones up.

**LV**: What do you look at first?

**TB**: I look at the joints first. Rust hides there, and you only find it if you get close.

Thanks, Tomas, for the tour.
"""


def test_a_turn_labelled_by_initials_is_the_person_whose_first_label_gave_them(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "bridges.md", INITIALS_INTERVIEW).quotes
    answers = [(q.speaker, q.text[:12]) for q in quotes if q.speaker == "Tomas Berg"]
    assert answers == [("Tomas Berg", "Hello! I sta"), ("Tomas Berg", "I look at th")]


LINKED_AUTHOR = """---
title: "Why I Still Fix Radios"
author: "[Ruth Adeyemi](https://example.org/ruth)"
---

Last spring I gave a talk at a fair and said, "Anyone can fix a radio once they stop being afraid of it."

Most of the room laughed, but three people came to the next fair with their own radios.
"""


def test_a_linked_author_in_front_matter_is_the_writer_i_means(tmp_path: Path) -> None:
    assert written_speakers(tmp_path, "radios.md", LINKED_AUTHOR) == ["Ruth Adeyemi"]


TITLE_CAPITALISED = """Port Budget Approved

Chairwoman Ingrid Solberg opened the port board's meeting on Monday with the budget.

The board voted 6-1 for the plan after two hours of debate.

The chairwoman said after the vote that "the port will finally get the cranes it has waited ten years for."
"""


def test_the_title_before_a_name_tells_whom_the_title_means_in_either_case(tmp_path: Path) -> None:
    assert written_speakers(tmp_path, "port.txt", TITLE_CAPITALISED) == ["Ingrid Solberg"]


SHOUTED = """Ferry Crew Pulls Swimmer From Harbour

The crew of the evening ferry spotted a swimmer in trouble near the north pier on Friday.

"Grab the ring! Hold on to it!" deckhand Jonas Wick shouted.

"Keep your head up, we are nearly there," the captain ordered over the radio.
"""


def test_shouted_and_ordered_words_are_speech(tmp_path: Path) -> None:
    assert written_speakers(tmp_path, "ferry.txt", SHOUTED) == ["Jonas Wick", "an unnamed captain"]


IT_ADDED = """Library Closes for Repairs

The library will close "for at least six weeks while the roof is replaced", the Northfield Library Trust said.

"The roof has leaked for three winters and the books cannot wait any longer," it added.
"""


def test_it_after_an_organisation_subject_credits_that_organisation(tmp_path: Path) -> None:
    assert written_speakers(tmp_path, "library.txt", IT_ADDED) == ["Northfield Library Trust"] * 2


def test_a_surname_opening_a_sentence_takes_only_a_full_name_written_before_it() -> None:
    people = People(lower_vocab=frozenset(), article="Varga spoke first. Later Leona Varga left. Nice Varga!")
    assert people.full_name("Varga", "Varga spoke first.") is None
    assert people.full_name("Varga", "Nice Varga! Then") is None  # an exclamation, no name
    assert people.full_name("Varga") == "Leona Varga"
