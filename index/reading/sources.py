"""Read course pages from disk: size, encoding and format checks, HTML converted to plain text.

Everything downstream indexes into ``SourcePage.text``, so this module decides once what that text is:
UTF-8 (BOM stripped) with cp1252 / latin-1 fallbacks, ``\\n`` line ends, HTML turned into its main
text and comment thread (``index.reading.html``), Markdown kept as written without block-quote markers
(``index.reading.markdown``). The structure the markup states travels along as ``SourcePage.layout``.
"""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

from index.errors import PageError
from index.reading.html import extract_html
from index.reading.markdown import markdown_layout
from index.records import PageLayout, SourcePage

PAGE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
FALLBACK_ENCODINGS = ("cp1252", "latin-1")
# Share of control characters above which a decoded file is treated as binary.
MAX_CONTROL_SHARE = 0.05

_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_BLANK_LINES = re.compile(r"\n{2,}")


def discover_sources(data_dir: Path) -> list[Path]:
    """The page files (.txt, .md, .markdown, .html, .htm) directly in ``data_dir``, sorted by name."""
    if not data_dir.is_dir():
        raise PageError(f"data folder not found: {data_dir}")
    return sorted(p for p in data_dir.iterdir() if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES)


def read_page(path: Path, *, max_bytes: int) -> SourcePage:
    """Read one page; any problem is a ``PageError`` with a one-line message naming the file."""
    path = Path(path)
    if not path.exists():
        raise PageError(f"page not found: {path}")
    if path.is_dir():
        raise PageError(f"{path} is a directory, not a page file (pass the files inside it)")
    size = path.stat().st_size
    if size > max_bytes:
        raise PageError(
            f"{path} is too large: {_human_size(size)} ({size} bytes), over the {max_bytes}-byte limit"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PageError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(raw) > max_bytes:  # the file grew after stat()
        raise PageError(f"{path} is too large: {len(raw)} bytes, over the {max_bytes}-byte limit")
    if not raw.strip():
        raise PageError(f"{path} is empty (no text to index)")
    if b"\x00" in raw:
        raise PageError(f"{path} looks like a binary file, not a text page")
    text, encoding = decode_bytes(raw)
    if len(_CONTROL.findall(text)) > MAX_CONTROL_SHARE * len(text):
        raise PageError(f"{path} looks like a binary file, not a text page")
    text, layout = page_text(path, normalise_newlines(text))
    return SourcePage(
        document=path.name,
        path=str(path),
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding=encoding,
        layout=layout,
    )


def page_text(path: Path, text: str) -> tuple[str, PageLayout | None]:
    """The text spans index into, and the layout its markup states (None for plain text)."""
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES or _HTML_START.match(text):
        visible = html_to_text(text)
        if not visible.strip():
            raise PageError(f"{path} is empty (the HTML holds no visible text)")
        try:
            return extract_html(text, visible)
        except (ValueError, RecursionError) as exc:
            raise PageError(f"{path}: malformed HTML ({type(exc).__name__}: {exc})"[:300]) from exc
    if suffix in MARKDOWN_SUFFIXES:
        return markdown_layout(text)
    return text, None


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode as UTF-8 (BOM stripped), else cp1252, else latin-1; returns (text, encoding)."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in FALLBACK_ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte string")  # pragma: no cover


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _human_size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.1f} kB"


# --- HTML -> text -------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div"),
        *("dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5"),
        *("h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table"),
        *("tbody", "thead", "tfoot", "tr", "ul"),
    }
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object", "canvas"})


class _TextExtractor(HTMLParser):
    """Collects visible text as paragraphs; block elements end a paragraph, ``<br>`` ends a line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.title = ""
        self.saw_h1 = False
        self._buffer: list[str] = []
        self._skip_depth = 0
        self._in_head = False
        self._in_title = False
        self._pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth += 1
        elif tag == "head":
            self._in_head = True
        elif tag == "title":
            self._in_title = True
        elif tag == "br":
            self._buffer.append("\n")
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag == "pre":
                self._pre_depth += 1
            elif tag == "li":
                self._buffer.append("• ")
            elif tag == "h1":
                self.saw_h1 = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._buffer.append("\n")
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag == "head":
            self._in_head = False
        elif tag == "title":
            self._in_title = False
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag == "pre":
                self._pre_depth = max(0, self._pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._in_title:
            self.title += data
        elif not self._in_head:
            self._buffer.append(data if self._pre_depth else _SPACES.sub(" ", data))

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        text = "".join(self._buffer)
        self._buffer = []
        if self._pre_depth:
            text = text.strip("\n")
        else:
            text = "\n".join(line.strip() for line in text.split("\n"))
            text = _BLANK_LINES.sub("\n", text).strip()
        if text.strip() and text.strip() != "•":
            self.paragraphs.append(text)


def html_to_text(html: str) -> str:
    """Visible text of an HTML page: one paragraph per block element, blank lines between them."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    paragraphs = parser.paragraphs
    title = _SPACES.sub(" ", parser.title).strip()
    if title and not parser.saw_h1:
        paragraphs = [title, *paragraphs]
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""
