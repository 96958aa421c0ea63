"""Page styles of issue 18's third development set, each on a small page written for the test:
raw HTML in a Markdown post, names with an elided prefix, lead-ins that do not end their paragraph."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.quotes.names import People, name_candidates
from index.quotes.nlp import available
from index.reading.sources import read_page
from tests.synthetic_page import PAGE_LIMIT, parse_written

needs_parse = pytest.mark.skipif(not available(), reason="spaCy's English pipeline is not installed")


EXPORTED_POST = """---
title: "How the Bakery Scales Its Ovens"
date: "2014-03-02T10:00:00-08:00"
---
The bakery runs forty ovens from one controller. We looked at how the schedule is kept.

<h3 id="the-schedule">The Schedule</h3>

The controller keeps a queue per oven and moves loaves between queues when one oven runs hot.

<blockquote><p><a href="https://example.org/q/why-one-queue">Why one queue per oven?</a><br/>
<small>Marta O’Neill, head baker (May 2, 2013)</small><br/>
Each oven heats differently, so each needs its own order of loaves.</p>
<p>A shared queue made the hot ovens burn the rye.
</p></blockquote>

That is the whole trick.

## Comments

<div id="comments">
  <ol class="comment-list">
    <li id="comment-11" class="comment even depth-1">
      <div class="comment-author vcard"><cite class="fn">Pat Reader</cite></div>
      <abbr class="comment-date" title="Monday, March 3rd, 2014, 9:00 am">March 3, 2014</abbr>
      <div class="comment-text"><p>Does the rye still burn sometimes?</p></div>
    </li>

    <li id="comment-12" class="comment byuser bypostauthor odd depth-1">
      <div class="comment-author vcard"><cite class="fn">Sam Writer</cite></div>
      <abbr class="comment-date" title="Monday, March 3rd, 2014, 11:00 am">March 3, 2014</abbr>
      <div class="comment-text"><p>Not since the queues were split.</p></div>
    </li>
  </ol>
</div>
"""


def test_raw_html_in_markdown_is_rendered_not_kept_as_tags(tmp_path: Path) -> None:
    page = tmp_path / "post.md"
    page.write_text(EXPORTED_POST, encoding="utf-8")
    source = read_page(page, max_bytes=PAGE_LIMIT)
    assert "<" not in source.text and "comment-list" not in source.text
    layout = source.layout
    assert layout is not None
    assert [source.text[s:e] for s, e in layout.headings] == ["The Schedule"]
    [(start, end)] = layout.block_quotes
    quoted = source.text[start:end]
    assert quoted.startswith("Each oven heats differently") and quoted.endswith(
        "— Marta O’Neill, head baker (May 2, 2013)"
    )
    assert "Why one queue per oven?" not in quoted  # the linked title of what is quoted stays outside


def test_a_comment_thread_in_a_markdown_posts_html_is_the_pages_thread(tmp_path: Path) -> None:
    parsed = parse_written(tmp_path, "post.md", EXPORTED_POST)
    assert [(c.author, c.text) for c in parsed.comments] == [
        ("Pat Reader", "Does the rye still burn sometimes?"),
        ("Sam Writer", "Not since the queues were split."),
    ]
    assert [c.is_author_reply for c in parsed.comments] == [False, True]


def test_a_block_quote_signed_on_its_own_line_above_the_answer_is_that_persons_quote(tmp_path: Path) -> None:
    parsed = parse_written(tmp_path, "post.md", EXPORTED_POST)
    [quote] = parsed.quotes
    assert quote.speaker == "Marta O’Neill"
    assert quote.text == (
        "Each oven heats differently, so each needs its own order of loaves.\n\n"
        "A shared queue made the hot ovens burn the rye."
    )


def test_a_name_with_an_elided_prefix_is_a_name() -> None:
    assert [n.name for n in name_candidates("Then Liam D’Souza and Aoife O'Brien spoke.", frozenset())] == [
        "Liam D’Souza",
        "Aoife O'Brien",
    ]


@needs_parse
def test_a_speech_sentence_mid_paragraph_introduces_no_prose_paragraph_after_it(tmp_path: Path) -> None:
    text = (
        "Tide Tables Explained\n\nBy Ravi Menon\n\n"
        "Harbour pilots read the tables every morning. Dana Whitfield says the spring tides matter most. "
        "The neap tides are gentler, and the charts show them in a lighter blue. Most boats ignore them.\n\n"
        "The tables themselves are printed each winter and sold at the harbour office for a small fee.\n"
    )
    parsed = parse_written(tmp_path, "tides.txt", text)
    assert not [q for q in parsed.quotes if q.text.startswith("The tables themselves")]


INTERVIEW = """---
title: "Meet the Release Team"
date: 2024-05-01
author: "Noor Haddad (Example Org)"
---

In this spotlight, [Noor Haddad](https://example.org/noor) talked with [Ilse Brandt](https://example.org/ilse)
and [Tomas Kovac](https://example.org/tomas) about shipping releases.

**Noor (NH)**: Thanks for joining. How did you start on the release team?

**Ilse (IB)**: I started as a shadow two cycles ago, and now I lead the notes.

**Tomas(TK) and Ilse (IB)**: Come to the weekly meeting, it is the best place to start.
"""


def test_interview_labels_with_initials_in_parentheses_are_turns_of_the_introduced_people(
    tmp_path: Path,
) -> None:
    parsed = parse_written(tmp_path, "team.md", INTERVIEW)
    assert [(q.speaker, q.text[:20]) for q in parsed.quotes] == [
        ("Noor Haddad", "Thanks for joining. "),
        ("Ilse Brandt", "I started as a shado"),
        ("Tomas Kovac and Ilse Brandt", "Come to the weekly m"),
    ]


def test_the_role_an_organisation_gives_is_not_part_of_the_name_after_it() -> None:
    text = "Harbour Pilots Association Chair Ines Duarte spoke first, then Quay Museum Ada Lind."
    assert [n.name for n in name_candidates(text, frozenset())] == ["Ines Duarte", "Ada Lind"]


def test_a_surname_is_the_person_introduced_first_not_a_later_capitalised_word_before_it() -> None:
    people = People(lower_vocab=frozenset(), article="")
    people.add(["Rosa Vance", "Greeting Vance"])  # "Greeting Vance at the gate, ..." opened a sentence
    assert people.lookup("Vance") == "Rosa Vance"
    people.add(["Minister Omar Haddad", "Omar Haddad"])
    assert people.lookup("Haddad") == "Omar Haddad"  # the title before a full name is not the name


def _widget_comment(text: str) -> str:
    return (
        '<li class="forumkit-comment"><div class="avatar"></div><div class="forumkit-comment-content">'
        f'<header></header><div class="read-more">{text}</div></div></li>'
    )


def test_a_comment_widget_showing_no_authors_is_a_thread_and_not_article_text(tmp_path: Path) -> None:
    body = " ".join(
        f"Paragraph {n} of the story about the ferry timetable changing in the spring, with the new "
        "crossings listed by the harbour office and the old ones dropped for good."
        for n in range(6)
    )
    comments = ["Will the night ferry stay?", "The early crossing is what I need.", "Finally some news."]
    html = (
        "<html><head><title>Ferry Timetable Changes</title></head><body>"
        "<article><h1>Ferry Timetable Changes</h1>"
        f"<p>{body}</p></article><div class='forumkit-widget'><ul class='forumkit-comments-list'>"
        + "".join(_widget_comment(c) for c in comments)
        + "</ul></div></body></html>"
    )
    parsed = parse_written(tmp_path, "ferry.html", html)
    assert [c.text for c in parsed.comments] == comments
    assert parsed.page.layout is not None and parsed.page.layout.thread_start is not None
    assert "night ferry" not in parsed.page.text[: parsed.page.layout.thread_start]


SURVEY = """---
title: "What Our Readers Told Us"
author: "Lena Park"
---

![Reading Habits at home][habits]

Most readers asked for shorter chapters, as we see in some of the answers:

> "Shorter chapters would let me read on the bus."

> "I lose the thread when a chapter runs past twenty pages."

> "Please keep the maps at the front of the book."

The print edition gets more praise than the e-book every year, and the gap is widening.

> "The paper edition feels like a real object worth keeping on the shelf."
"""


@needs_parse
def test_quotations_listed_one_per_block_quote_are_separate_quotes_credited_by_their_lead_in(
    tmp_path: Path,
) -> None:
    # "as we see": the writer reads the quotes, the quotation marks say the words are someone else's;
    # the image's alt text ("Reading Habits") names no one; a lone quotation after prose is a quote.
    parsed = parse_written(tmp_path, "survey.md", SURVEY)
    assert [(q.speaker, q.text) for q in parsed.quotes] == [
        ("readers", "Shorter chapters would let me read on the bus."),
        ("readers", "I lose the thread when a chapter runs past twenty pages."),
        ("readers", "Please keep the maps at the front of the book."),
        ("unknown", "The paper edition feels like a real object worth keeping on the shelf."),
    ]


@needs_parse
def test_a_report_excerpted_as_a_block_quote_credits_each_quotation_by_its_own_said_clause(
    tmp_path: Path,
) -> None:
    filler = " ".join(["The story spread quickly across the valley towns that week."] * 4)
    html = (
        "<html><head><title>A Rumour Goes Round</title></head><body><article><h1>A Rumour Goes Round</h1>"
        f"<p>{filler}</p><p>Here is how the county paper told it:</p>"
        "<blockquote><p>A forum user who calls herself Marisol posted about strange lights over the lake.</p>"
        "<p>“Three nights in a row the lights hovered over the east pier and then went dark,” Marisol wrote. "
        "“Nobody at the marina would talk about it.”</p>"
        "<p>Within a day the post had been shared thousands of times.</p></blockquote>"
        f"<p>{filler}</p></article></body></html>"
    )
    parsed = parse_written(tmp_path, "rumour.html", html)
    assert [(q.speaker, q.text) for q in parsed.quotes] == [
        ("Marisol", "Three nights in a row the lights hovered over the east pier and then went dark"),
        ("Marisol", "Nobody at the marina would talk about it."),
    ]


@needs_parse
def test_a_short_first_part_split_from_the_rest_by_a_said_clause_is_part_of_the_quote(tmp_path: Path) -> None:
    text = (
        "Harbour Ferry Wins Again\n\nBy Sam Writer\n\n"
        "Ferry captain Lotte Brink steered the boat home in record time on Sunday.\n\n"
        "“We made it,” Brink said. “The crew knew the tide better than anyone on the water today.”\n\n"
        "The council called it “a good day for the town.”\n"
    )
    parsed = parse_written(tmp_path, "ferry.txt", text)
    assert [(q.speaker, q.text) for q in parsed.quotes][:2] == [
        ("Lotte Brink", "We made it"),
        ("Lotte Brink", "The crew knew the tide better than anyone on the water today."),
    ]
    assert not [q for q in parsed.quotes if q.text.startswith("a good day")]


def test_a_two_word_surname_written_on_its_own_is_the_full_name_introduced() -> None:
    article = "The pass went to Ana Lopez Garcia on the wing. Later, Lopez Garcia scored twice."
    people = People(lower_vocab=frozenset(), article=article)
    people.add(["Ana Lopez Garcia"])
    assert people.lookup("Lopez Garcia") == "Ana Lopez Garcia"
    titled = People(lower_vocab=frozenset(), article="Minister of State Omar Haddad spoke on Monday.")
    titled.add(["State Omar Haddad"])
    assert titled.lookup("Omar Haddad") != "State Omar Haddad"  # a title before it, never on its own


def test_a_quotation_inside_a_markdown_links_text_is_a_titles_words_not_speech(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Notes on Kilns\n---\n\n"
        "Kiln builders argue about airflow. In the forum thread “[When Ruth Oyelaran says “vent the kiln "
        "early and often”, what does she mean?](https://example.org/t/1)“, several answers disagree.\n"
    )
    parsed = parse_written(tmp_path, "kilns.md", text)
    assert not [q for q in parsed.quotes if q.text.startswith("vent the kiln")]


@needs_parse
def test_a_verb_taking_another_verb_continues_an_action_not_speech(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Survey Results\n---\n\n"
        "The numbers are up again, showing that Kestrel continues to grow beyond its first users.\n\n"
        '> "Better error messages would help newcomers a lot."\n'
    )
    parsed = parse_written(tmp_path, "survey.md", text)
    assert [(q.speaker, q.text) for q in parsed.quotes] == [
        ("unknown", "Better error messages would help newcomers a lot.")
    ]


@needs_parse
def test_a_short_lower_case_phrase_in_marks_continuing_the_writers_sentence_is_no_quote(
    tmp_path: Path,
) -> None:
    text = (
        "Nurses Rally at the Capitol\n\nBy Sam Writer\n\n"
        "Union leader Maya Okafor told the crowd that nurses were not “asking for a fortune.”\n\n"
        "“We want enough staff on every ward, every night,” Okafor said.\n"
    )
    parsed = parse_written(tmp_path, "rally.txt", text)
    assert [(q.speaker, q.text) for q in parsed.quotes] == [
        ("Maya Okafor", "We want enough staff on every ward, every night")
    ]
