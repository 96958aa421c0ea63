"""Reading pages from disk: one-line errors for bad files, encodings, newlines, HTML to text."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from assistant.errors import PageError
from index.build import resolve_sources
from index.errors import UserError
from index.reading.sources import discover_sources, html_to_text, read_page
from index.settings import IndexSettings
from tests.conftest import DATA_DIR, EARLIER_PAGE, LATER_PAGE

LIMIT = 20_000_000


def _error(path: Path, max_bytes: int = LIMIT) -> str:
    with pytest.raises(PageError) as info:
        read_page(path, max_bytes=max_bytes)
    message = str(info.value)
    assert "\n" not in message, "user-facing errors are one line"
    return message


@pytest.mark.parametrize("page", [LATER_PAGE, EARLIER_PAGE])
def test_real_pages_read_as_utf8(page: Path) -> None:
    source = read_page(page, max_bytes=LIMIT)
    raw = page.read_bytes()
    assert source.document == page.name
    assert source.path == str(page)
    assert source.encoding == "utf-8"
    assert source.sha256 == hashlib.sha256(raw).hexdigest()
    assert source.text == raw.decode("utf-8")
    assert source.text.startswith("What is Deep Learning?")


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in _error(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    assert "directory" in _error(tmp_path)


@pytest.mark.parametrize("content", [b"", b"   \n\n\t \r\n"])
def test_empty_or_whitespace_only(tmp_path: Path, content: bytes) -> None:
    page = tmp_path / "blank.txt"
    page.write_bytes(content)
    assert "empty" in _error(page)


@pytest.mark.parametrize(
    "content", [b"\x00\x01\x02binary\x00" * 100, b"\x89PNG\r\n\x1a\n" + bytes(range(1, 32)) * 50]
)
def test_binary(tmp_path: Path, content: bytes) -> None:
    page = tmp_path / "image.txt"
    page.write_bytes(content)
    assert "binary" in _error(page)


def test_too_large_names_size_and_limit(tmp_path: Path) -> None:
    page = tmp_path / "big.txt"
    page.write_text("word " * 300, encoding="utf-8")
    message = _error(page, max_bytes=1000)
    assert "too large" in message and "1500 bytes" in message and "1000-byte limit" in message


def test_twenty_megabytes_refused_without_reading(tmp_path: Path) -> None:
    page = tmp_path / "huge.txt"
    with page.open("wb") as handle:
        handle.truncate(21_000_000)  # sparse: instant to create, refused from its size alone
    message = _error(page)
    assert "21.0 MB" in message and f"{LIMIT}-byte limit" in message


def test_cp1252_fallback(tmp_path: Path) -> None:
    page = tmp_path / "legacy.txt"
    page.write_bytes("Caf\u00e9 \u201cquoted\u201d \u2013 dash\r\nSecond line\r\n".encode("cp1252"))
    source = read_page(page, max_bytes=LIMIT)
    assert source.encoding == "cp1252"
    assert source.text == "Café “quoted” – dash\nSecond line\n"


def test_latin1_fallback_when_cp1252_fails(tmp_path: Path) -> None:
    page = tmp_path / "odd.txt"
    page.write_bytes(b"Title line\n\nbyte \x81 and caf\xe9\n")  # 0x81 is undefined in cp1252
    source = read_page(page, max_bytes=LIMIT)
    assert source.encoding == "latin-1"
    assert "café" in source.text


def test_bom_and_crlf_normalised(tmp_path: Path) -> None:
    page = tmp_path / "windows.txt"
    raw = "\ufeffTitle\r\n\r\nBody text.\rOld Mac line\r\n".encode()
    page.write_bytes(raw)
    source = read_page(page, max_bytes=LIMIT)
    assert source.text == "Title\n\nBody text.\nOld Mac line\n"
    assert source.sha256 == hashlib.sha256(raw).hexdigest()


def test_markdown_is_kept_as_written(tmp_path: Path) -> None:
    page = tmp_path / "notes.md"
    page.write_text("# Notes\n\n## Part One\n\nSome text.\n", encoding="utf-8")
    assert read_page(page, max_bytes=LIMIT).text == "# Notes\n\n## Part One\n\nSome text.\n"


def test_html_to_text_paragraphs_scripts_entities() -> None:
    html = (
        "<!DOCTYPE html><html><head><title>Ignored when there is an h1</title>"
        "<style>p { color: red }</style></head><body>"
        "<h1>What is Testing?</h1><script>var x = '<p>hidden</p>';</script>"
        "<p>Fish &amp; chips &ldquo;quoted&rdquo;\n   across   lines.</p>"
        "<div><p>Nested</p> tail</div><ul><li>One</li><li>Two</li></ul>"
        "<p>Line one<br>Line two</p><noscript>no</noscript></body></html>"
    )
    text = html_to_text(html)
    assert text == (
        "What is Testing?\n\nFish & chips “quoted” across lines.\n\nNested\n\ntail\n\n• One\n\n• Two\n\n"
        "Line one\nLine two\n"
    )


def test_html_title_used_when_there_is_no_h1() -> None:
    assert html_to_text("<html><head><title>Page Title</title></head><body><p>Body.</p></body></html>") == (
        "Page Title\n\nBody.\n"
    )


def test_html_file_is_converted(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<h1>Title</h1><p>First &gt; second.</p>", encoding="utf-8")
    source = read_page(page, max_bytes=LIMIT)
    assert source.text == "Title\n\nFirst > second.\n"
    # HTML is recognised by content too, whatever the file name.
    other = tmp_path / "saved.txt"
    other.write_text("<!doctype html>\n<html><body><p>Hello</p></body></html>", encoding="utf-8")
    assert read_page(other, max_bytes=LIMIT).text == "Hello\n"


def test_html_without_visible_text_is_empty(tmp_path: Path) -> None:
    page = tmp_path / "blank.html"
    page.write_text("<html><script>alert(1)</script></html>", encoding="utf-8")
    assert "empty" in _error(page)


def test_discover_sources(tmp_path: Path) -> None:
    for name in ("b.md", "a.txt", "c.HTML", "d.htm", "e.markdown", "skip.pdf", "skip.json"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "folder.txt").mkdir()
    assert [p.name for p in discover_sources(tmp_path)] == ["a.txt", "b.md", "c.HTML", "d.htm", "e.markdown"]
    assert discover_sources(DATA_DIR) == [LATER_PAGE, EARLIER_PAGE]


def test_discover_sources_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(PageError, match="not found"):
        discover_sources(tmp_path / "absent")


# --- Markdown and HTML structure ------------------------------------------------------------------


def test_markdown_block_quote_markers_become_spans(tmp_path: Path) -> None:
    page = tmp_path / "quotes.md"
    page.write_text(
        "# Notes\n\nShe said:\n\n> First line of the quote\n> goes on here.\n>\n> Second paragraph.\n\n"
        "```\n> not a quote: code\n```\n",
        encoding="utf-8",
    )
    source = read_page(page, max_bytes=LIMIT)
    assert source.layout is not None
    [(start, end)] = source.layout.block_quotes
    assert source.text[start:end] == "First line of the quote\ngoes on here.\n\nSecond paragraph."
    [(code_start, code_end)] = source.layout.code
    assert "> not a quote: code" in source.text[code_start:code_end]


WORDPRESS = """<!DOCTYPE html><html><head><title>Ferns</title></head><body>
<nav><a href="/">Home</a> <a href="/shop">Shop</a></nav>
<article><h1>Why Ferns Curl</h1><div class="entry-content">
<p>Young fern fronds unroll from a tight coil called a fiddlehead, and the coil protects the growing tip.</p>
<h2>Growth from the Inside</h2>
<p>The inner side of the coil grows more slowly than the outer side, so the frond straightens.</p>
</div></article>
<ol class="comment-list">
<li id="comment-1" class="comment depth-1"><div class="comment-author vcard"><b class="fn">Ann Reader</b>
<span class="says">says:</span></div><div class="comment-metadata"><time>June 1, 2021 at 9:00 am</time></div>
<div class="comment-content"><p>Do all ferns curl?</p></div>
<ol class="children"><li id="comment-2" class="comment bypostauthor depth-2">
<div class="comment-author vcard"><b class="fn">Site Writer</b></div>
<div class="comment-metadata"><time>June 1, 2021 at 10:00 am</time></div>
<div class="comment-content"><p>Nearly all of them do.</p><p>A few tree ferns unfold differently.</p></div>
</li></ol></li>
<li id="comment-3" class="comment depth-1">
<div class="comment-author vcard"><b class="fn">Bo Visitor</b></div>
<div class="comment-metadata"><time>June 2, 2021 at 8:00 am</time></div>
<div class="comment-content"><p>Lovely photos.</p></div></li>
</ol><footer>Copyright Fern Blog</footer></body></html>"""


def test_wordpress_thread_is_read_from_the_markup(tmp_path: Path) -> None:
    page = tmp_path / "ferns.html"
    page.write_text(WORDPRESS, encoding="utf-8")
    source = read_page(page, max_bytes=LIMIT)
    layout = source.layout
    assert layout is not None and layout.thread_start is not None
    assert "Shop" not in source.text[: layout.thread_start] and "Copyright" not in source.text
    assert [(c.author, c.parent, c.by_post_author) for c in layout.thread] == [
        ("Ann Reader", None, False),
        ("Site Writer", 0, True),
        ("Bo Visitor", None, False),
    ]
    reply = layout.thread[1]
    assert (
        source.text[reply.char_start : reply.char_end]
        == "Nearly all of them do.\n\nA few tree ferns unfold differently."
    )
    assert [source.text[s:e] for s, e in layout.headings] == ["Growth from the Inside"]


def test_malformed_html_still_reads_or_fails_in_one_line(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text("<html><body><p>Unclosed <div><b>bold text <p>and more text</body>", encoding="utf-8")
    source = read_page(page, max_bytes=LIMIT)
    assert "bold text" in source.text and "and more text" in source.text
    only_tags = tmp_path / "tags.html"
    only_tags.write_text("<html><body><div><span></span></div></body></html>", encoding="utf-8")
    message = _error(only_tags)
    assert "empty" in message and "\n" not in message


def test_a_folder_source_stands_for_its_pages(tmp_path: Path) -> None:
    course = tmp_path / "course"
    course.mkdir()
    for name in ("b.md", "a.txt", "notes.pdf"):
        (course / name).write_text("x", encoding="utf-8")
    settings = IndexSettings(data_dir=tmp_path / "unused", index_dir=tmp_path / "index")
    single = tmp_path / "single.txt"
    assert resolve_sources(settings, [course, single]) == [course / "a.txt", course / "b.md", single]
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="no course pages"):
        resolve_sources(settings, [tmp_path / "empty"])
