"""Page styles of the sixth development set (eval/pages/heldout6), each on a small page written for the
test: a comment thread listed flat with its depth stated by indentation and its authors only in profile
links (new Reddit)."""

from __future__ import annotations

from pathlib import Path

from spacy.tokens import Doc
from spacy.vocab import Vocab

from index.quotes.attribution import _subject
from tests.synthetic_page import parse_written


def _flat_comment(indent: int, user: str, text: str) -> str:
    avatar = f'<a class="x1" href="/user/{user}/"><div class="x2"></div></a>' if user else ""
    body = f'<div class="x4"><div class="x5"><p class="x6">{text}</p></div></div>' if text else ""
    header = "<span>Comment deleted by user</span>" if not text else ""
    return f"""<div id="t1_{user or "gone"}{indent}" style="padding-left:{indent}px">
<div class="Comment x0">{avatar}<div class="x3"><span>level</span>{header}
<a href="/r/x/comments/1/comment/{user or "gone"}/">2 yr. ago</a>{body}</div></div></div>"""


FLAT_THREAD = f"""<html><head><title>Kettles</title></head><body><article><h1>Best Kettle You Bought?</h1>
<p>Tell us which kettle lasted longest in your kitchen and what you paid for it back then.</p>
<p>Hard water shortens the life of most kettles, so say where you live as well.</p>
</article><div class="thread">
{_flat_comment(16, "kettlefan", "A steel one from my aunt, twenty years and counting.")}
{_flat_comment(37, "jo_reed", "Same here, steel outlasts every plastic one.")}
{_flat_comment(16, "", "")}
{_flat_comment(37, "al_moss", "Which brand was it?")}
{_flat_comment(16, "bea", "A glass one, still fine after five years.")}
</div></body></html>"""


def test_a_flat_thread_takes_depth_from_indentation_and_authors_from_profile_links(tmp_path: Path) -> None:
    parsed = parse_written(tmp_path, "kettles.html", FLAT_THREAD)
    shape = [(c.author, c.parent) for c in parsed.comments]
    assert shape == [
        ("kettlefan", None),
        ("jo_reed", "kettles.html#1"),
        ("", None),  # deleted: shown, and the parent of the reply below it
        ("al_moss", "kettles.html#3"),
        ("bea", None),
    ]
    assert parsed.comments[1].text == "Same here, steel outlasts every plastic one."


NOTES_BY_TEAM = """Harbour Win at Home

The Harbour City Rovers beat the Valley Town Hawks 3-1 on Saturday in front of a full stand.

Talia Moreno scored twice in the second half for Harbour, and Ivo Lind added a late goal.

INJURIES

Rovers: Defender Ross Keane missed the game with a sore ankle.

Hawks: Keeper Ana Lutz left at half-time after a knock to the head.

NEXT

Rovers: Visit the Hawks on Wednesday.

Hawks: Host the Rovers on Wednesday.
"""


def test_notes_labelled_by_team_in_each_section_are_no_dialogue(tmp_path: Path) -> None:
    assert parse_written(tmp_path, "match.txt", NOTES_BY_TEAM).quotes == ()


def test_a_person_named_after_their_organisation_is_the_subject_the_parser_gave_twice() -> None:
    # "Acme editor Lena Ostrova said": the parser hangs both "Acme" and "Ostrova" on the verb as subjects.
    words = ["Acme", "editor", "Lena", "Ostrova", "said"]
    doc = Doc(
        Vocab(),
        words=words,
        heads=[4, 3, 3, 4, 4],
        deps=["nsubj", "nmod", "compound", "nsubj", "ROOT"],
        pos=["PROPN", "NOUN", "PROPN", "PROPN", "VERB"],
        ents=["B-ORG", "O", "B-PERSON", "I-PERSON", "O"],
    )
    subject = _subject(doc[4])
    assert subject is not None and subject.text == "Ostrova"


SURNAME_FIRST = """Envoy Warns Over Port Strike

The envoy to Norland Wei Jianhua has said that the port strike must end before the winter season.

Wei said that the Norland Navy could be deployed, warning: “They are already there in the harbour.”
"""


def test_a_surname_inside_a_longer_capitalised_run_is_the_name_from_that_word_on(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "envoy.txt", SURNAME_FIRST).quotes
    assert [q.speaker for q in quotes] == ["Wei Jianhua"]


_OPEN_QUOTE = (
    "Harbour master Ines Duarte said that the Coast Guard could be called in, warning: “The first ships are"
    " already in the outer basin. They will be unloaded before any new arrivals."
)
_CLOSING = (
    "“If the weather turns, we will close the outer basin again and nobody will be unloaded until it clears.”"
)
TEASER_INSIDE = f"""Port Reopens After Strike

The port reopened on Monday after a strike that lasted three weeks and held up hundreds of ships.

{_OPEN_QUOTE}

SEE MORE: Leith Docks protests: 800 drivers on strike at the terminal

{_CLOSING}
"""


def test_a_teaser_line_inside_a_quotation_over_paragraphs_does_not_end_it(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "port.txt", TEASER_INSIDE).quotes
    assert [(q.speaker, q.text[:10]) for q in quotes] == [
        ("Ines Duarte", "The first "),
        ("Ines Duarte", "If the wea"),
    ]


ARCHIVED = """What Kettle Lasted Longest?

This thread is archived

New comments cannot be posted and votes cannot be cast

22 more replies

1 more reply

31 more replies
"""


def test_a_speech_word_before_a_modal_is_a_noun_and_introduces_no_quote(tmp_path: Path) -> None:
    assert parse_written(tmp_path, "archived.md", ARCHIVED).quotes == ()


ONE_WORD_SAID = """Keeper Saves Three Penalties

Talia Moreno saved three penalties in the shoot-out as Harbour reached the final on Sunday.

“Incredible,” Ivo Lind said. “To save three in a row against that team is something special.”
"""


def test_a_one_word_quotation_closed_by_a_comma_before_a_said_clause_is_speech(tmp_path: Path) -> None:
    quotes = parse_written(tmp_path, "keeper.txt", ONE_WORD_SAID).quotes
    assert [(q.speaker, q.text[:12]) for q in quotes] == [
        ("Ivo Lind", "Incredible"),
        ("Ivo Lind", "To save thre"),
    ]
