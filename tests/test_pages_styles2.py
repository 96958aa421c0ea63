"""Page styles met on the second held-out part (issue 18), each on a small snippet in the same structure:
a surname resolved to the full name the page gave after a title, a pronoun following a surname subject
rather than a capitalised phrase next to it, a quotation of a clause's length at the end of a paraphrase,
an embedded post's signature, Livefyre threads, and commenters who are not the post's author."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.quotes.names import People
from index.quotes.nlp import available
from tests.synthetic_page import parse_written

needs_parse = pytest.mark.skipif(not available(), reason="spaCy's English model is not installed")


def test_a_surname_resolves_to_the_full_name_after_a_title() -> None:
    article = "LIMA (AP) — U.S. Trade Secretary Paul Verhoeven on Monday criticised the tariffs."
    people = People(lower_vocab=frozenset({"on", "criticised", "the", "tariffs"}), article=article)
    assert people.full_name("Verhoeven") == "Paul Verhoeven"
    assert "Paul Verhoeven" in people.known
    assert people.full_name("Lima") is None  # no "First Lima" on the page
    glued = "Rep. Dana OkaforDana OkaforRelated headline here (D-Ohio) spoke."
    assert People(lower_vocab=frozenset(), article=glued).full_name("Okafor") == "Dana Okafor"


SURNAME = """Minister warns over fishing rights

LIMA (AP) — U.S. Trade Secretary Paul Verhoeven on Monday accused the cartel of unfair pricing.

“We will not accept prices set behind closed doors,” Verhoeven said in a speech.
"""


@needs_parse
def test_a_surname_speaker_is_the_full_name_the_page_introduced(tmp_path: Path) -> None:
    parsed = parse_written(tmp_path, "verhoeven.txt", SURNAME)
    assert [(q.speaker, q.text[:10]) for q in parsed.quotes] == [("Paul Verhoeven", "We will no")]


PRONOUN = """Senator writes to the court

The court heard the case of a man who threatened Sen. Dana OkaforDana OkaforSenators question budget \
plan MORE (D-Ohio) in a phone call.

Okafor asked for mercy in a letter posted on Harbor Monday, saying she did not want a long sentence. \
She added, "We must answer threats with patience."
"""


@needs_parse
def test_a_pronoun_follows_the_surname_subject_not_a_capitalised_phrase(tmp_path: Path) -> None:
    parsed = parse_written(tmp_path, "okafor.txt", PRONOUN)
    assert [(q.speaker, q.text[:12]) for q in parsed.quotes] == [("Dana Okafor", "We must answ")]


PARAPHRASE = """Plea entered

U.S. Attorney Ruth Calloway said in the release this case shows that the law does not allow anyone \
to “make threats against officials simply because they disagree with them.”

Calloway said the man had searched online for the words “cheap train tickets” before the call.
"""


@needs_parse
def test_a_clause_length_quotation_ending_a_paraphrase_is_a_quote_a_short_one_is_not(tmp_path: Path) -> None:
    parsed = parse_written(tmp_path, "plea.txt", PARAPHRASE)
    assert [(q.speaker, q.text[:10]) for q in parsed.quotes] == [("Ruth Calloway", "make threa")]


def _livefyre(author: str, text: str, replies: str = "") -> str:
    return f"""<article class="fyre-comment-article"><div class="fyre-comment-wrapper">
<div class="fyre-comment-user"><a class="fyre-comment-author"><img src="a.jpg" alt="{author}"/></a></div>
<header class="fyre-comment-head"><a class="fyre-comment-username">{author}</a>
<span class="fyre-comment-user-rating">5pts</span></header>
<section class="fyre-comment-body"><div class="fyre-comment"><p><p>{text}</p></p></div></section>
<footer class="fyre-comment-footer"></footer></div>
<div class="fyre-comment-replies fyre-comment-container">{replies}</div></article>"""


LIVEFYRE = f"""<html><head><title>Kettles</title></head><body><article><h1>Why Kettles Scale</h1>
<p>Hard water leaves calcium carbonate on the element each time the water boils and the scale builds up.</p>
<p>A cup of vinegar left overnight dissolves most of it; rinse it twice before the next boil.</p>
</article><div class="fyre-comment-stream"><div class="fyre-stream-content">
{_livefyre("kettlefan", "Thanks, this worked on mine.", _livefyre("Jo Reed", "Did you use white vinegar?"))}
{_livefyre("Al Moss", "Citric acid is faster than vinegar.")}
</div></div></body></html>"""


def test_a_rendered_livefyre_stream_is_a_thread_with_its_replies(tmp_path: Path) -> None:
    parsed = parse_written(tmp_path, "kettle.html", LIVEFYRE)
    shape = [(c.author, c.parent, c.text) for c in parsed.comments]
    assert shape == [
        ("kettlefan", None, "Thanks, this worked on mine."),
        ("Jo Reed", "kettle.html#1", "Did you use white vinegar?"),
        ("Al Moss", None, "Citric acid is faster than vinegar."),
    ]
    assert not any(c.is_author_reply for c in parsed.comments)


def _wp(n: int, author: str, date: str, text: str, children: str = "") -> str:
    nested = f'<ul class="children">{children}</ul>' if children else ""
    return f"""<li class="comment depth-{2 if n % 2 == 0 else 1}" id="comment-{n}">
<div id="div-comment-{n}" class="comment-body">
<div class="comment-author vcard"><cite class="fn">{author}</cite></div>
<div class="comment-meta"><a href="#comment-{n}">{date}</a></div><p>{text}</p></div>{nested}</li>"""


READER_REPLIES = f"""<html><head><title>Rates</title><meta name="author" content="Ann Lowe"></head>
<body><article><h1>Rates Rise Again</h1>
<p>By Ann Lowe</p>
<p>The central bank raised its rate by a quarter point on Wednesday, the fourth rise this year in a row.</p>
<p>Most lenders passed the rise on to borrowers within a day, and savers saw a smaller change later on.</p>
</article><ol class="commentlist">
{_wp(1, "Ted", "March 1, 2021 at 9 am", "Mortgages will hurt.", _wp(2, "hm", "March 2, 2021 at 9 am", "No."))}
{_wp(3, "Kim", "March 1, 2021 at 10 am", "Savers win.", _wp(4, "hm", "March 2, 2021 at 10 am", "Wrong."))}
{_wp(5, "Lu", "March 1, 2021 at 11 am", "Good.", _wp(6, "hm", "March 2, 2021 at 11 am", "Hardly."))}
</ol></body></html>"""


def test_a_reader_answering_in_several_threads_is_not_the_author_where_the_markup_marks_no_one(
    tmp_path: Path,
) -> None:
    parsed = parse_written(tmp_path, "rates.html", READER_REPLIES)
    assert [(c.author, c.depth) for c in parsed.comments][:2] == [("Ted", 0), ("hm", 1)]
    assert len(parsed.comments) == 6
    assert not any(c.is_author_reply for c in parsed.comments)  # the markup and the byline mark no one


INTERVIEW = """---
title: "Spotlight on the Docs Team"
date: 2023-07-20
author: "Lena Park"
---

In this spotlight, Lena Park talked with [Ravi Menon](https://example.org/ravi), docs lead, and [Tomasz
Wierzbicki](https://example.org/tomasz), tooling lead, about the team.

**Lena**: Could you tell us a bit about yourself and your role?

**Tomasz**: I have led the tooling work since 2019, and before that I wrote most of the build scripts.

**Ravi**: I joined as a writer in 2020 and became the docs lead two years later.
"""


def test_an_interview_label_resolves_to_a_full_name_wrapped_over_two_lines(tmp_path: Path) -> None:
    parsed = parse_written(tmp_path, "spotlight.md", INTERVIEW)
    assert [(q.speaker, q.text[:12]) for q in parsed.quotes] == [
        ("Lena Park", "Could you te"),
        ("Tomasz Wierzbicki", "I have led t"),
        ("Ravi Menon", "I joined as "),
    ]


REVIEWS = """<html><head><title>Reviews</title></head><body><article><h1>What Our Visitors Said</h1>
<p>Visitors who booked through the ticket site left reviews of the show, and here are some of them below.</p>
<blockquote><p>“The show was great. The drummers were the best part, the seats close.”</p></blockquote>
<p style="text-align:center">– Ha** Ki*</p>
<blockquote><p>“Lovely evening with the family. Good price, easy booking, friendly staff.”</p></blockquote>
<p style="text-align:center">– Ol***</p>
<p>Thank you all for your kind reviews, and we hope to see more of you at the theatre this season.</p>
</article></body></html>"""


@needs_parse
def test_a_block_quote_signed_by_the_paragraph_below_it_masked_names_as_printed(tmp_path: Path) -> None:
    parsed = parse_written(tmp_path, "reviews.html", REVIEWS)
    assert [(q.speaker, q.text) for q in parsed.quotes] == [
        ("Ha** Ki*", "The show was great. The drummers were the best part, the seats close."),
        ("Ol***", "Lovely evening with the family. Good price, easy booking, friendly staff."),
    ]
    assert not any(q.speaker_unknown for q in parsed.quotes)


CHAT_LOG = r"""---
title: "Porting the Parser"
author: "Ines Duarte"
---

Porting the parser took a year. A conversation in the team channel that stuck with me was

> \<kmo\> the new parser caught three bugs in the old grammar on its first day
>
> \<rtz\> kmo: and it runs twice as fast on the big files too
>
> \*kmo cheers
>
> \<kmo\> heh

It was worth it.
"""


def test_a_chat_log_in_a_block_quote_is_quoted_line_by_line_by_nick(tmp_path: Path) -> None:
    parsed = parse_written(tmp_path, "port.md", CHAT_LOG)
    assert [(q.speaker, q.text) for q in parsed.quotes] == [
        ("kmo", "the new parser caught three bugs in the old grammar on its first day"),
        ("rtz", "and it runs twice as fast on the big files too"),  # without the addressee "kmo: "
    ]  # the action line and "heh" are no quotes


STRAIGHT = """Hibernation for Mars crews

"Hibernation has long been proposed as a tool for human space travel," explains team leader Rosa Lind. \
"If we could slow an astronaut's metabolism by three quarters, the savings in mass would be large.

"And the idea is not so strange: a comparable method has been used in intensive care for decades.

"We aim to build on this by studying the brain pathways that start hibernation in animals."
"""


@needs_parse
def test_a_straight_quotation_mark_left_open_runs_on_over_paragraphs(tmp_path: Path) -> None:
    parsed = parse_written(tmp_path, "mars.txt", STRAIGHT)
    assert [(q.speaker, q.text[:12]) for q in parsed.quotes] == [
        ("Rosa Lind", "Hibernation "),
        ("Rosa Lind", "If we could "),
        ("Rosa Lind", "And the idea"),
        ("Rosa Lind", "We aim to bu"),
    ]


TERMS = """Crew sleep for long missions

With the crew asleep, the ship would have to run on its own, with "fault detection, isolation and recovery" \
to maintain a minimum level of performance until the crew wakes.

The witness's father testified, describing his son as "brave, strong, and smart" before describing the \
"long search" for him.

Then one person said, "Wait, look at this." And the room went quiet.
"""


@needs_parse
def test_a_short_quoted_term_or_description_is_no_quote_a_short_sentence_is(tmp_path: Path) -> None:
    parsed = parse_written(tmp_path, "terms.txt", TERMS)
    assert [q.text for q in parsed.quotes] == ["Wait, look at this."]


PLACE = """Birth house to become a police station

Although the painter was born in the town in 1889, Portugal argued for decades that it was the first victim \
of the war, having been annexed by its neighbour in 1938.

Recent governments have, however, recognised that many citizens also took part in the crimes of that time.
"""


@needs_parse
def test_a_place_subject_of_a_speech_verb_introduces_no_quote_paragraph(tmp_path: Path) -> None:
    assert parse_written(tmp_path, "portugal.txt", PLACE).quotes == ()


CALLOUT = """<html><head><title>Lead</title></head><body><article><h1>Lead Your Market</h1>
<p>Most owners of small online shops feel uncomfortable putting themselves at the centre of their brand.</p>
<p>But here is the catch …</p>
<blockquote><p>To really grow an online shop, you have to step forward and claim your place.</p></blockquote>
<p>You have to be willing to be seen, and that takes practice more than it takes talent or luck.</p>
</article></body></html>"""


def test_one_sentence_to_the_reader_after_a_lead_in_naming_no_one_is_the_writers_callout(
    tmp_path: Path,
) -> None:
    assert parse_written(tmp_path, "lead.html", CALLOUT).quotes == ()


def test_money_offers_with_a_link_and_addresses_hidden_by_invisible_characters_are_spam() -> None:
    from index.threads.spam import spam_reasons

    class C:
        def __init__(self, n: int, author: str, text: str) -> None:
            self.comment_id, self.author, self.text = f"p#{n}", author, text

    hidden = (
        "w\u00ad\u00adw\u00ad\u00adw\u00ad.\u00adj\u00ado\u00adb\u00ads\u00ad9\u00ad.\u00adc\u00ado\u00adm"
    )
    comments = [
        C(
            1,
            "kim",
            f"I just bought a car since getting a check for $8170 last month, view it now\n\n{hidden}",
        ),
        C(
            2,
            "ted",
            "my uncle earned $9473 at home in his spare time, and so can you\n\nwww.pay-day.com",
        ),
        C(3, "ann", "The price went from $20 to $25 last year, which the article does not mention at all."),
        C(
            4,
            "raj",
            "Good piece. I wrote about the same study at length last spring, with the raw data attached.",
        ),
        C(5, "guest", "Pretty girls want to meet: XXXDATE.SMS.RU"),
    ]
    assert set(spam_reasons(comments)) == {"p#1", "p#2", "p#5"}


@needs_parse
def test_a_relative_clauses_speaker_is_the_noun_it_hangs_on() -> None:
    from index.quotes.attribution import attribute

    def said(sentence: str) -> tuple[str, str] | None:
        start = sentence.index("“") + 1
        found = attribute(sentence, (start, sentence.index("”")))
        return (found.kind, found.text) if found else None

    assert said("The plan was backed by Mara Quist, who said “the port will reopen next spring.”") == (
        "name",
        "Mara Quist",
    )
    assert said("All it took was one person to say, “Wait, look at this.”") == ("role", "person")


WRITER_GOES_ON = """How the story spread

It was the same with Ray Cole: all it took was one comic calling him out on stage.

After Cole was called out, one of his former dancers, Nadia Porter, wrote an op-ed for a national paper. And \
then the story spread: first the blogs, then the evening news. The fallout was quick.

Both with Cole and with the other singers, we had public interest reignited in claims that had faded away.
"""


@needs_parse
def test_a_paragraph_naming_the_lead_ins_persons_is_the_writers_prose_not_their_quote(tmp_path: Path) -> None:
    assert parse_written(tmp_path, "spread.txt", WRITER_GOES_ON).quotes == ()
