"""Merging snapshots: the article once (newest text), each comment once, older-only ones kept and linked."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from index.merge import comment_key, merge_pages
from index.parse import parse_page
from index.reading.sources import read_page
from index.records import Comment, Corpus, Paragraph, ParsedPage, Quote, SourcePage
from tests.conftest import EARLIER_PAGE, LATER_PAGE
from tests.synthetic_page import write_synthetic_page

LIMIT = 20_000_000


def _parse(path: Path) -> ParsedPage:
    return parse_page(read_page(path, max_bytes=LIMIT))


def _parse_text(text: str, name: str) -> ParsedPage:
    return parse_page(SourcePage(document=name, path=name, text=text, sha256="0" * 64))


@pytest.fixture(scope="module")
def later() -> ParsedPage:
    return _parse(LATER_PAGE)


@pytest.fixture(scope="module")
def earlier() -> ParsedPage:
    return _parse(EARLIER_PAGE)


def _assert_spans(corpus: Corpus) -> None:
    records: list[Quote | Comment | Paragraph] = [*corpus.quotes, *corpus.comments]
    records += [p for s in corpus.sections for p in s.paragraphs]
    for record in records:
        assert corpus.page_text(record.document)[record.char_start : record.char_end] == record.text


@pytest.mark.parametrize("order", ["later-first", "earlier-first"])
def test_real_snapshots_merge_into_one_article(later: ParsedPage, earlier: ParsedPage, order: str) -> None:
    pages = [later, earlier] if order == "later-first" else [earlier, later]
    corpus = merge_pages(pages)
    assert [p.document for p in corpus.pages] == [p.document for p in pages]
    # The article is stored once, from the newer snapshot, whatever the input order.
    assert len(corpus.quotes) == 19
    assert {q.document for q in corpus.quotes} == {later.document}
    assert corpus.sections == later.sections
    # Every comment of the earlier snapshot is there exactly once, as the newer snapshot's record.
    keys = Counter(comment_key(c) for c in corpus.comments)
    assert max(keys.values()) == 1
    for comment in earlier.comments:
        assert keys[comment_key(comment)] == 1
    kept = {comment_key(c): c for c in corpus.comments}
    assert all(kept[comment_key(c)].document == later.document for c in earlier.comments)
    assert len(corpus.comments) == len(later.comments) == 206
    assert not corpus.warnings
    _assert_spans(corpus)


def test_comments_only_in_the_older_snapshot_are_kept_and_linked(later: ParsedPage) -> None:
    text = EARLIER_PAGE.read_text(encoding="utf-8")
    anchor = "    • Tooba February 17, 2017 at 2:43 am #"
    extra = (
        "    • Old Reader August 20, 2016 at 9:00 am #\n\n"
        "      A reply that only the old snapshot still has.\n\n"
        "      • Older Reader August 21, 2016 at 9:30 am #\n\n"
        "        And an answer to it.\n\n"
    )
    older = _parse_text(text.replace(anchor, extra + anchor), EARLIER_PAGE.name)
    assert len(older.comments) == 34
    corpus = merge_pages([older, later])
    assert len(corpus.comments) == 208
    by_id = {c.comment_id: c for c in corpus.comments}
    reply = next(c for c in corpus.comments if c.author == "Old Reader")
    answer = next(c for c in corpus.comments if c.author == "Older Reader")
    assert reply.document == answer.document == older.document
    # The reply's parent (the thread's first comment) is the newer snapshot's record of it.
    parent = by_id[reply.parent or ""]
    assert (parent.author, parent.document) == ("Gibachan", later.document)
    assert reply.thread == parent.comment_id == answer.thread
    assert answer.parent == reply.comment_id
    for comment in corpus.comments:
        if comment.parent:
            assert comment.parent in by_id
        assert comment.thread in by_id
    _assert_spans(corpus)


def test_distinct_pages_are_all_kept(tmp_path: Path, later: ParsedPage) -> None:
    path = tmp_path / "other.txt"
    facts = write_synthetic_page(path)
    other = _parse(path)
    corpus = merge_pages([later, other])
    assert len(corpus.quotes) == 19 + len(facts["quotes"])
    assert len(corpus.comments) == 206 + facts["comment_count"]
    assert corpus.sections == later.sections + other.sections
    _assert_spans(corpus)


def _article(updated: str | None, ending: str) -> str:
    head = "What is Data Compression?\n\n" + (f"Last Updated on {updated}\n\n" if updated else "")
    return head + "Compression shrinks data.\n\nA second paragraph that stays the same.\n\n" + ending + "\n"


def test_newer_by_last_updated_then_by_input_order() -> None:
    old = _parse_text(_article("March 3, 2021", "Old ending."), "a.txt")
    new = _parse_text(_article("May 1, 2022", "New ending."), "b.txt")
    for pages in ([old, new], [new, old]):
        corpus = merge_pages(pages)
        assert corpus.sections == new.sections
    first = _parse_text(_article(None, "First ending."), "c.txt")
    second = _parse_text(_article(None, "Second ending."), "d.txt")
    assert merge_pages([first, second]).sections == second.sections
    assert merge_pages([second, first]).sections == first.sections


def test_warnings_are_collected(tmp_path: Path, later: ParsedPage) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Caf\u00e9 Notes\n\nPlain prose about coffee.\n".encode("cp1252"))
    corpus = merge_pages([later, _parse(path)])
    assert any("legacy.txt" in w and "cp1252" in w for w in corpus.warnings)
    assert len(corpus.pages) == 2


def test_empty_input() -> None:
    corpus = merge_pages([])
    assert corpus.pages == corpus.quotes == corpus.comments == corpus.sections == ()
