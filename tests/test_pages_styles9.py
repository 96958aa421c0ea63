"""Page styles of the ninth development set (eval/pages/heldout9) and the misses left on earlier sets, each
on a small page written for the test: interview labels with a nickname or initials, an article split
around adverts or with loose text, titles beside names, "according to" after a said-clause, unnamed
people, compared speech, block quotes of several quotations, embedded posts."""

from __future__ import annotations

from pathlib import Path

from tests.synthetic_page import written_quotes, written_speakers

NICKNAME_LABELS = """---
title: "Spotlight on the River Cleanup Crew"
date: 2025-04-02
---

Mira Haldane talked with Ines Portal and Toby, who organise the spring river cleanup.

**Mira Haldane (MH):** Could you each say how you got started with the cleanup?

**Tobias "Toby" Wren (TW):** I'm a hydrologist by training, and I joined the crew three years ago when a
friend asked me to help with the boats.

**Ines Portal (IP):** I came for one weekend and never left, which says a lot about the people here.

**MH:** What was the hardest part of the first year?

**TW:** We had no idea how much rubbish a single bend of the river could hold, so we ran out of bags.

**IP:** Finding enough volunteers for the early morning shifts was harder than I expected.
"""


def test_a_label_with_a_nickname_names_the_person_without_it(tmp_path: Path) -> None:
    quotes = written_quotes(tmp_path, "crew.md", NICKNAME_LABELS)
    toby = [text[:20] for text, speaker in quotes if speaker == "Tobias Wren"]
    assert toby == ["I'm a hydrologist by", "We had no idea how m"]
    assert [speaker for text, speaker in quotes if text.startswith("Finding")] == ["Ines Portal"]


_PART = (
    '<div class="{box}"><div class="{body}">{paragraphs}</div>'
    '<div class="aside"><div class="ad"></div></div></div>'
    '<div class="row ad-row"><div class="ad"><span>Advertisement</span></div></div>'
)
_FIRST = (
    "<p>The harbour town of Wexmoor has spent two winters rebuilding its sea wall after the storms of 2022 "
    "left much of the old stonework broken along the quay.</p>"
    "<p>The council chose a design that lets the tide through small gates, so that the marsh behind the "
    "wall can keep flooding and draining as it has done for centuries.</p>"
    "<p>Work began in March, and most of the stone came from the old quarry above the town, which had been "
    "closed for forty years before the project reopened it.</p>"
)
_SECOND = (
    "<p>“We wanted a wall that the town could be proud of and that the birds would not notice at all,” said "
    "Petra Voss, the engineer who led the project for the council.</p>"
    "<p>Fishermen were less sure at first. “The gates looked like a way for the sea to get in, and nobody "
    "wanted that after the last storm,” said Aled Brennan, who has fished from the quay for thirty years.</p>"
)


def test_an_article_split_around_an_advert_is_read_whole(tmp_path: Path) -> None:
    box, body = "grid grid-two", "grid-item body article-body"
    parts = _PART.format(box=box, body=body, paragraphs=_FIRST) + _PART.format(
        box=box, body=body, paragraphs=_SECOND
    )
    page = (
        "<html><head><title>A new sea wall for Wexmoor</title></head><body><header><nav><a href='/'>Home</a>"
        "</nav></header><main><article><h1>A new sea wall for Wexmoor</h1>"
        f"{parts}</article></main><footer><p>Copyright the Wexmoor Herald.</p></footer></body></html>"
    )
    quotes = written_quotes(tmp_path, "wall.html", page)
    assert [speaker for _, speaker in quotes] == ["Petra Voss", "Aled Brennan"]


def _news(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<html><head><title>Harbour news</title></head><body><article><h1>Harbour news</h1>"
        f"{body}</article></body></html>"
    )


def test_a_named_speaker_is_not_the_title_set_beside_the_name(tmp_path: Path) -> None:
    page = _news(
        [
            "Tessel and Brightwave today announced a joint service for hospital paging systems across "
            "the region, to be offered from next spring.",
            "Rob Hartley, President Tessel North America, says: “By working with Brightwave, Tessel can "
            "help hospitals reach their nurses faster and with fewer false alarms.”",
        ]
    )
    assert written_speakers(tmp_path, "release.html", page) == ["Rob Hartley"]


def test_a_one_word_name_with_a_who_clause_is_the_person_a_he_means(tmp_path: Path) -> None:
    page = _news(
        [
            "Saving early pays off, said the planner Grant Oakes. “Every month you wait costs you more "
            "than you think, and it adds up over the years,” he wrote in his book.",
            "Paying off a house before retiring divides opinion among savers who have done both.",
            "Bram — who only goes by his first name online — retired at 52 after a long career in "
            "shipping. He never earned a large salary, he wrote in a blog post.",
            "“Being free of a mortgage gave us a kind of calm that no investment return could buy,” he "
            "wrote.",
        ]
    )
    quotes = written_quotes(tmp_path, "saving.html", page)
    assert [speaker for text, speaker in quotes if text.startswith("Being free")] == ["Bram"]


def test_a_said_clause_speaker_comes_before_the_paper_reporting_it(tmp_path: Path) -> None:
    page = _news(
        [
            "Senator Ana Roeland wants more inspectors at the harbour, Roeland said on Monday.",
            "Harbour pilots “say you have to watch this channel closely — three ships a week run aground "
            "near the bar,” she said, according to the Gazette, the town's daily paper.",
        ]
    )
    quotes = written_quotes(tmp_path, "harbour.html", page)
    assert [speaker for text, speaker in quotes if text.startswith("say you")] == ["Ana Roeland"]


def test_of_two_subjects_the_parse_gives_a_verb_the_one_beside_it_speaks(tmp_path: Path) -> None:
    page = _news(
        [
            "Councillor Piet Varga wants more cranes on the quay, Varga said on Monday.",
            'Dock workers "say you have to watch the night shift closely — three crates a week go missing '
            "from the sheds,\" he said, according to the Gazette, the town's daily paper.",
        ]
    )
    quotes = written_quotes(tmp_path, "quay.html", page)
    assert [speaker for text, speaker in quotes if text.startswith("say you")] == ["Piet Varga"]


def test_speech_the_writer_compares_with_introduces_no_quote(tmp_path: Path) -> None:
    page = _news(
        [
            "Mayor Lena Strand said the new ferry carries 4,000 people a week across the bay.",
            "Is that figure right? It is more complicated than Strand suggests, but she is close.",
            "We begin by noting that the ferry company counts return trips twice, which makes every weekly "
            "total look larger than the number of people who actually travel.",
            "The company's own figures put the real number at about 3,100 people, which is smaller than "
            "what Strand said, but not by much given how the counting works.",
            "We rate the statement Half True.",
        ]
    )
    assert [text for text, _ in written_quotes(tmp_path, "check.html", page)] == []


def test_a_he_or_she_after_an_unnamed_person_with_a_who_clause_is_that_person(tmp_path: Path) -> None:
    page = _news(
        [
            "“The new timetable has made my mornings much easier than they were last year,” said Tomas "
            "Reyes, a commuter who takes the early ferry every day.",
            "Not everyone is pleased with the changes the company made over the summer.",
            "We spoke to one fisherman, who has worked from the harbour for decades and knew the old "
            "timetable by heart. “The ferry now leaves before the boats are back, and that costs us a "
            "morning's trade,” she said.",
        ]
    )
    quotes = written_quotes(tmp_path, "ferry.html", page)
    assert [speaker for text, speaker in quotes if text.startswith("The ferry now")] == [
        "an unnamed fisherman"
    ]


def test_a_he_after_a_person_described_in_apposition_is_that_person(tmp_path: Path) -> None:
    page = _news(
        [
            "“The new timetable has made my mornings much easier than they were last year,” said Tomas "
            "Reyes, a commuter who takes the early ferry every day. “I can now reach the office before "
            "nine without rushing at all,” he added.",
        ]
    )
    assert written_speakers(tmp_path, "ferry.html", page) == ["Tomas Reyes", "Tomas Reyes"]


def test_a_block_quote_of_two_closed_quotations_is_twowritten_quotes(tmp_path: Path) -> None:
    page = _news(
        [
            "The choir's director, Hanna Lowe, told the local paper that the tour would go ahead.",
        ]
    ).replace(
        "</article>",
        "<blockquote><p>‘We sold out every night last spring, and people still write to ask when we will be "
        "back. I never expected that.’</p><p>‘It is a small company, and we do it for love, not for money, "
        "which is why the tickets stay cheap.’</p></blockquote></article>",
    )
    quotes = written_quotes(tmp_path, "choir.html", page)
    assert [(text[:12], speaker) for text, speaker in quotes] == [
        ("‘We sold out", "Hanna Lowe"),
        ("‘It is a sma", "Hanna Lowe"),
    ]


def test_words_set_loose_between_paragraphs_are_read(tmp_path: Path) -> None:
    page = _news(
        [
            "Shares of harbour operators rose for a third day as freight volumes recovered after the strike.",
            "Mira Castell, head of research at Dunmore Securities, pointed out that this is a selective "
            "market, and that smaller operators still trail the index.",
        ]
    ).replace(
        "</p></article>",
        "</p>“It is a market for picking single names, so I do not expect a broad rally. So far it is "
        "following the cues from abroad,” she said.<p>Freight volumes are expected to recover fully by "
        "the end of the year, according to the port authority.</p></article>",
    )
    quotes = written_quotes(tmp_path, "shares.html", page)
    assert [speaker for text, speaker in quotes if text.startswith("It is a market")] == ["Mira Castell"]


def _tweet(words: str, signature: str) -> str:
    return (
        '<div class="widget"><div class="widget-inner"><blockquote class="twitter-tweet"><p lang="en">'
        f'{words}</p>— {signature} <a href="https://example.org/status/1">May 2, 2021</a></blockquote>'
        "</div></div>"
    )


def test_an_embedded_post_is_its_display_names_words_and_a_short_one_no_quote(tmp_path: Path) -> None:
    paragraphs = [
        "The rowing club has named a new head coach after a long search that lasted most of the winter.",
        "Members of the squad thanked the outgoing coach on social media within hours of the news.",
        "The new coach starts in June and will lead the crew at the autumn regatta on the river.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs[:2])
    body += _tweet("Club announcement", "Harbour Rowing Club (@harbourrowing)")
    body += _tweet(
        "I owe this man so much. He taught me everything I know about the sport. Good luck, coach.",
        "Kit (@kit_rows)",
    )
    body += f"<p>{paragraphs[2]}</p>"
    page = (
        "<html><head><title>New coach</title></head><body><article><h1>New coach</h1>"
        f'<div class="story-body">{body}</div></article></body></html>'
    )
    quotes = written_quotes(tmp_path, "coach.html", page)
    assert [(text[:14], speaker) for text, speaker in quotes] == [("I owe this man", "Kit")]


def test_a_quotation_after_a_colon_is_the_clause_subjects_without_a_verb_of_saying(tmp_path: Path) -> None:
    page = _news(
        [
            "A forum user named Tove Lindqvist wrote about the outbreak in her village over two days.",
            "She said the clinic had closed early. But Tove was about to fall ill herself: “I woke up with a "
            "fever this morning and I cannot stand without help, and nobody answers the phone.”",
        ]
    )
    quotes = written_quotes(tmp_path, "forum.html", page)
    assert [speaker for text, speaker in quotes if text.startswith("I woke up")] == ["Tove Lindqvist"]


def test_a_he_after_a_named_person_talking_to_an_unnamed_one_is_the_named_one(tmp_path: Path) -> None:
    page = _news(
        [
            "Harbour master Olav Brenne spoke about the new rules on Monday.",
            "Brenne told a reporter who asked about the fees that they would not change. “The fees stay as "
            "they are until the end of next year at the very least,” he said.",
            "He told a visitor who had come for the regatta that the quay would reopen. “We will open the "
            "north quay again in time for the boats,” he said.",
        ]
    )
    quotes = written_quotes(tmp_path, "fees.html", page)
    assert [speaker for _, speaker in quotes] == ["Olav Brenne", "Olav Brenne"]


INITIALS_LABELS = """---
title: "Behind the Tidewater Meetup"
date: 2025-05-10
---

We spoke with Toni about the meetup he runs, where people learn machine learning together.

**Petra Oduya (PO):** How did the meetup start?

**Anton (Toni) Reyes:** I wanted a place where people could learn together without paying for courses.

**Machine Learning (ML):** A field that our members study in small groups every month.

**PO:** What comes next for the group?

**Anton (Toni) Reyes:** We will run a weekend workshop in the autumn, and I hope to see many new faces there.
"""


def test_a_label_with_its_own_initials_names_a_person_the_page_did_not_introduce(tmp_path: Path) -> None:
    quotes = written_quotes(tmp_path, "meetup.md", INITIALS_LABELS)
    assert [speaker for text, speaker in quotes if text.startswith(("How did", "What comes"))] == [
        "Petra Oduya",
        "Petra Oduya",
    ]
    assert not [speaker for _, speaker in quotes if "Learning" in speaker]
    assert [speaker for text, speaker in quotes if text.startswith(("I wanted", "We will"))] == [
        "Anton Reyes",
        "Anton Reyes",
    ]


def test_a_box_like_the_article_after_other_content_is_not_the_article(tmp_path: Path) -> None:
    box, body = "grid grid-two", "grid-item body article-body"
    about = (
        '<div class="about"><p>The Wexmoor Herald has covered the harbour town and the villages around it '
        "since 1891, with a small newsroom on the quay and a weekly print edition that still sells out on "
        "market days, and a website updated every morning.</p></div>"
    )
    parts = _PART.format(box=box, body=body, paragraphs=_FIRST) + about
    parts += _PART.format(box=box, body=body, paragraphs=_SECOND)
    page = (
        "<html><head><title>A new sea wall for Wexmoor</title></head><body><main><article>"
        f"<h1>A new sea wall for Wexmoor</h1>{parts}</article></main></body></html>"
    )
    assert written_quotes(tmp_path, "wall.html", page) == []


def test_a_sentence_opening_with_yet_names_no_new_person(tmp_path: Path) -> None:
    page = _news(
        [
            "Ambassador Piet Varga, the most awaited witness of the inquiry, faces questions about a phone "
            "call with President Carl Ostrand.",
            "Varga, a hotelier Ostrand picked as his envoy, is more entangled than any witness yet in the "
            "affair. Yet Varga has already changed his account once — “I now remember the whole call,” he "
            "said, speaking of the talks.",
        ]
    )
    quotes = written_quotes(tmp_path, "inquiry.html", page)
    assert [speaker for text, speaker in quotes if text.startswith("I now")] == ["Piet Varga"]


ROLE_SIGNED = """---
title: "What it takes to ship firmware in a regulated field"
date: 2025-06-10
---

We asked engineers who ship firmware under audit what slows them down. Their answers, lightly edited:

> "Every dependency we add has to be argued for in a review that takes a whole afternoon." -- Lead
> developer at a pump manufacturer

Toolchains came up again and again:

> "We keep one compiler version for the life of a product, which can be ten years." -- Firmware
> engineer (medical devices)

> "Nobody here has ever been fired for picking the old compiler." -- Tobias Wren
"""


def test_a_quotation_signed_with_a_role_is_that_role_s(tmp_path: Path) -> None:
    assert written_speakers(tmp_path, "firmware.md", ROLE_SIGNED) == [
        "Lead developer at a pump manufacturer",
        "Firmware engineer (medical devices)",
        "Tobias Wren",
    ]


def test_a_verb_of_saying_with_an_amount_introduces_no_quote(tmp_path: Path) -> None:
    page = _news(
        [
            "Markets ended the week mixed after a quiet session, with traders waiting for figures on jobs.",
            "In New York, the Harbor Industrial Average fell 40.5 points, or 0.2%, to 18,230.10, and the "
            "Bayside Composite added 12.72 points, or 0.14%, to 9,120.66.",
            "Worries about slower growth weighed on shares of shipping companies for most of the afternoon, "
            "while energy stocks held on to early gains.",
        ]
    )
    assert written_quotes(tmp_path, "markets.html", page) == []


def test_a_person_who_did_not_respond_said_nothing(tmp_path: Path) -> None:
    page = _news(
        [
            "The harbour board asked staff to list everyone who worked on the dredging plan last year.",
            '"This looks like an attempt to frighten people who are simply doing their jobs," added '
            'councillor Ana Roeland, who leads the opposition on the board. "I am sure many pilots see '
            "it as a warning -- 'keep quiet about the river.'\" Board chairman Piet Varga did not respond "
            "to a request for comment.",
        ]
    )
    speakers = written_speakers(tmp_path, "board.html", page)
    assert speakers[0] == "Ana Roeland" and "Piet Varga" not in speakers
