"""Page styles met on the second held-out part (issue 18), each on a small snippet in the same structure:
a surname resolved to the full name the page gave after a title, a pronoun following a surname subject
rather than a capitalised phrase next to it, a quotation of a clause's length at the end of a paraphrase,
an embedded post's signature, Livefyre threads, and commenters who are not the post's author."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.names import People
from index.nlp import available
from index.parse import parse_page
from index.records import ParsedPage
from index.sources import read_page

LIMIT = 10_000_000

needs_parse = pytest.mark.skipif(not available(), reason="spaCy's English model is not installed")


def _parse(tmp_path: Path, name: str, text: str) -> ParsedPage:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_page(read_page(path, max_bytes=LIMIT))


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
    parsed = _parse(tmp_path, "verhoeven.txt", SURNAME)
    assert [(q.speaker, q.text[:10]) for q in parsed.quotes] == [("Paul Verhoeven", "We will no")]


PRONOUN = """Senator writes to the court

The court heard the case of a man who threatened Sen. Dana OkaforDana OkaforSenators question budget \
plan MORE (D-Ohio) in a phone call.

Okafor asked for mercy in a letter posted on Harbor Monday, saying she did not want a long sentence. \
She added, "We must answer threats with patience."
"""


@needs_parse
def test_a_pronoun_follows_the_surname_subject_not_a_capitalised_phrase(tmp_path: Path) -> None:
    parsed = _parse(tmp_path, "okafor.txt", PRONOUN)
    assert [(q.speaker, q.text[:12]) for q in parsed.quotes] == [("Dana Okafor", "We must answ")]


PARAPHRASE = """Plea entered

U.S. Attorney Ruth Calloway said in the release this case shows that the law does not allow anyone \
to “make threats against officials simply because they disagree with them.”

Calloway said the man had searched online for the words “cheap train tickets” before the call.
"""


@needs_parse
def test_a_clause_length_quotation_ending_a_paraphrase_is_a_quote_a_short_one_is_not(tmp_path: Path) -> None:
    parsed = _parse(tmp_path, "plea.txt", PARAPHRASE)
    assert [(q.speaker, q.text[:10]) for q in parsed.quotes] == [("Ruth Calloway", "make threa")]
