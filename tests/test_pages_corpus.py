"""The test corpus in tests/pages/: pages in many styles, each with its expected quotes and comments."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from index.parse import parse_page
from index.quotes.names import split_speakers
from index.reading.sources import read_page
from index.records import ParsedPage

PAGES = Path(__file__).parent / "pages"
EXPECTED: dict[str, dict[str, Any]] = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))


def _parse(name: str) -> ParsedPage:
    return parse_page(read_page(PAGES / name, max_bytes=10_000_000))


def test_corpus_has_at_least_six_pages_in_several_formats() -> None:
    assert len(EXPECTED) >= 6
    assert {Path(name).suffix for name in EXPECTED} >= {".txt", ".md", ".html"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_quotes_found_with_their_speakers(name: str) -> None:
    parsed = _parse(name)
    expected = EXPECTED[name]["quotes"]
    found = list(parsed.quotes)
    for want in expected:
        matches = [q for q in found if q.text.startswith(want["starts"])]
        assert len(matches) == 1, f"{name}: {want['starts']!r} found {len(matches)} times"
        quote = matches[0]
        found.remove(quote)
        assert set(split_speakers(quote.speaker)) == set(split_speakers(want["speaker"])), want["starts"]
        assert quote.speaker_unknown == want.get("unknown", False), want["starts"]
        if "ends" in want:
            assert quote.text.endswith(want["ends"]), want["starts"]
        if "title" in want:
            assert quote.source_title == want["title"], want["starts"]
        if "year" in want:
            assert quote.year == want["year"], want["starts"]
    assert not found, f"{name}: unexpected quotes {[q.text[:40] for q in found]}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_look_alikes_are_not_quotes_and_spans_are_exact(name: str) -> None:
    parsed = _parse(name)
    text = parsed.page.text
    for quote in parsed.quotes:
        assert text[quote.char_start : quote.char_end] == quote.text
        if not quote.speaker_unknown:  # a named speaker is a name the page itself prints
            assert all(name in text for name in split_speakers(quote.speaker)), quote.speaker
        for phrase in EXPECTED[name]["not_quotes"]:
            assert phrase not in quote.text
    for section in parsed.sections:
        for p in section.paragraphs:
            assert text[p.char_start : p.char_end] == p.text
    for comment in parsed.comments:
        assert text[comment.char_start : comment.char_end] == comment.text


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_comment_threads_rebuilt(name: str) -> None:
    parsed = _parse(name)
    expected = EXPECTED[name]["comments"]
    assert len(parsed.comments) == len(expected)
    for n, (comment, want) in enumerate(zip(parsed.comments, expected, strict=True), start=1):
        assert comment.comment_id == f"{name}#{n}"
        assert comment.author == want["author"]
        parent = f"{name}#{want['parent']}" if want["parent"] else None
        assert comment.parent == parent, comment.comment_id
        assert comment.is_author_reply == want["author_reply"], comment.comment_id
        assert comment.spam == want.get("spam", False), comment.comment_id
        assert comment.date is not None, comment.comment_id


def test_html_boilerplate_is_not_article_text() -> None:
    for name in ("wordpress_bees.html", "roundup_sleep.html", "museum.html", "tides_divs.html"):
        article = " ".join(p.text for s in _parse(name).sections for p in s.paragraphs)
        junk = ["Proudly powered", "Recent Posts", "Share this", "Related stories", "Subscribe", "Privacy"]
        junk += ["Registered charity", "Popular posts", "Copyright", "Cookie", "What happens if two sites"]
        assert not [j for j in junk if j in article], name


def test_page_understanding_is_fast() -> None:
    started = time.perf_counter()
    for name in EXPECTED:
        _parse(name)
    assert (time.perf_counter() - started) / len(EXPECTED) < 1.0
