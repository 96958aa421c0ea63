"""HTML pages as saved from real sites: the main text (trafilatura) and a WordPress-style comment thread.

The page text is what a reader sees: the title, the article's headings, paragraphs, list items and block
quotes (one paragraph each, blank lines between), then, if the markup holds a comment thread, a
"Comments" line and each comment as "author date" and its body. The layout records which spans are
headings, block quotes and code, and the thread with its reply structure, so nothing has to be guessed
from the wording. Pages trafilatura finds no article in fall back to all visible text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import lxml.etree
import lxml.html
import trafilatura

from index.reading.thread_markup import ThreadComment, is_comment, markup_thread, same_author
from index.records import MarkupComment, PageLayout
from index.text import word_set
from index.vocabulary import BlockKind

_SPACES = re.compile(r"\s+")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_COMMENT_LIST_XPATH = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' comment-list ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' commentlist ')]"
)
_CLASS_XPATH = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"
_SAYS_RE = re.compile(r"\s*says:?\s*$", re.IGNORECASE)
_LEAF_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "dt", "dd", "figcaption")
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "form"}
)
_BLOCK_TAGS = word_set("div blockquote ul ol dl table figure section article aside header nav footer hr")
_QUOTE_CHARS_RE = re.compile(r"[“”\"]")
_SPACE_BEFORE_PUNCT_RE = re.compile(r" ([.,;:!?])")
_DATE_CLASSES = frozenset({"comment-metadata", "commentmetadata", "comment-meta", "comment-date"})
_THREAD_CLASSES = frozenset({"comment-list", "commentlist", "comments-area"})
# The page's elements must hold this share of trafilatura's article text to give its structure.
MIN_ELEMENT_COVERAGE = 0.6
# Elements shorter than this (menu entries, buttons) count as article text only beside longer ones.
SHORT_TEXT = 25


@dataclass
class _Writer:
    """Appends paragraphs to the page text and records the spans of the marked ones."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    headings: list[tuple[int, int]] = field(default_factory=list)
    quotes: list[tuple[int, int]] = field(default_factory=list)
    code: list[tuple[int, int]] = field(default_factory=list)
    # The comments' paragraphs (normalised): text trafilatura counts as the article but the thread holds.
    thread_text: frozenset[str] = frozenset()

    def add(self, text: str) -> tuple[int, int]:
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start, self.length

    def text(self) -> str:
        return "".join(self.parts) + "\n" if self.parts else ""


def _flat(element: lxml.etree._Element) -> str:
    """The element's text on one line, without control characters (trafilatura drops them too)."""
    return _SPACES.sub(" ", _CONTROL_RE.sub("", "".join(element.itertext()))).strip()


@dataclass(frozen=True)
class PageMeta:
    """What the page's metadata states: its title, publication date and byline (empty when it does not)."""

    title: str = ""
    date: str = ""
    byline: str = ""


def page_meta(html: str) -> PageMeta:
    meta = trafilatura.extract_metadata(html)
    if meta is None:
        return PageMeta()
    byline = (meta.author or "").split(";")[0].strip()
    return PageMeta((meta.title or "").strip(), (meta.date or "").strip(), byline)


def _write_title(writer: _Writer, title: str, meta: PageMeta) -> None:
    """The title line, then the publication date as a line of its own (read as the page's date)."""
    if title:
        writer.add(title)
    if meta.date:
        writer.add(f"Published: {meta.date}")


def _main_text(html: str, doc: lxml.html.HtmlElement | None, writer: _Writer, meta: PageMeta) -> bool:
    """Write the article: trafilatura decides which text is the article; the page's own elements give
    its structure (trafilatura's rendering merges the paragraphs of short pages and drops a heading
    right after the title). Falls back to trafilatura's structure when the elements do not cover its
    text (text straight in ``<div>``s); False if trafilatura finds no article."""
    main = trafilatura.extract(html, output_format="txt", include_comments=False)
    if not main or not main.strip():
        return False
    leaves = _article_leaves(doc, _norm(main)) if doc is not None else []
    kept = sum(len(leaf.text) for leaf in leaves if leaf.kind != BlockKind.HEADING)
    if kept < MIN_ELEMENT_COVERAGE * len(_norm(main)):
        return _xml_main_text(html, writer, meta)
    title = _title(doc, meta)
    _write_title(writer, title, meta)
    groups: dict[int, tuple[int, int]] = {}
    for leaf in leaves:
        if leaf.kind == BlockKind.HEADING and _norm(leaf.text) == _norm(title):
            continue
        span = writer.add(leaf.text)
        if leaf.kind == BlockKind.HEADING:
            writer.headings.append(span)
        elif leaf.kind == BlockKind.CODE:
            writer.code.append(span)
        elif leaf.quote is not None:
            first = groups.get(leaf.quote, span)
            groups[leaf.quote] = (first[0], span[1])
    writer.quotes.extend(groups.values())
    return True


@dataclass(frozen=True)
class _Leaf:
    text: str
    kind: BlockKind
    quote: int | None  # id of the <blockquote> holding it
    element: lxml.html.HtmlElement | None = None


def _norm(text: str) -> str:
    """Comparable text: quotation marks dropped (``<q>`` has none in the source), spaces collapsed."""
    text = _SPACES.sub(" ", _QUOTE_CHARS_RE.sub("", text)).strip().casefold()
    return _SPACE_BEFORE_PUNCT_RE.sub(r"\1", text)


def _mark_quotations(doc: lxml.html.HtmlElement) -> None:
    """Give ``<q>`` elements the quotation marks a browser draws, so inline quotes read as quotes."""
    for q in doc.iter("q"):
        q.text = "“" + (q.text or "")
        if len(q):
            q[-1].tail = (q[-1].tail or "") + "”"
        else:
            q.text += "”"


def _leaf_elements(doc: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Innermost block elements in document order, outside skipped elements and comment threads."""
    found = []
    for element in doc.iter(*_LEAF_TAGS, "div", "blockquote", "cite", "footer"):
        if element.tag in ("cite", "footer") and not _is_signature(element):
            continue
        if any(d.tag in _LEAF_TAGS or d.tag in ("div", "blockquote") for d in element.iterdescendants()):
            continue
        if element.tag in ("div", "blockquote") and not (element.text or "").strip():
            continue  # a layout box; its text sits in the elements inside
        ancestors = list(element.iterancestors())
        if any(a.tag in _SKIP_TAGS or _is_thread(a) for a in ancestors):
            continue
        found.append(element)
    return found


def _is_signature(element: lxml.html.HtmlElement) -> bool:
    """A block quote's attribution: its ``<cite>``/``<footer>``, or the caption of a figure holding it."""
    parent = element.getparent()
    if parent is None:
        return False
    if element.tag in ("cite", "footer"):
        return parent.tag == "blockquote"
    return element.tag == "figcaption" and parent.tag == "figure" and parent.find(".//blockquote") is not None


def _is_thread(element: lxml.html.HtmlElement) -> bool:
    """A comment thread's container, or one comment the markup names (the thread reader reads them)."""
    classes = (element.get("class") or "").split()
    return element.get("id") == "comments" or bool(_THREAD_CLASSES & set(classes)) or is_comment(element)


def _leaf(element: lxml.html.HtmlElement, quotes: dict[lxml.html.HtmlElement, int]) -> _Leaf | None:
    ancestors = list(element.iterancestors())
    if element.tag == "pre" or any(a.tag == "pre" for a in ancestors):
        raw = "".join(element.itertext()).strip("\n")
        return _Leaf(raw, BlockKind.CODE, None) if raw.strip() else None
    text = _flat(element)
    if not text:
        return None
    quote = next((quotes[a] for a in (element, *ancestors) if a in quotes), None)
    if _is_signature(element):
        figure_quote = element.getparent().find(".//blockquote") if quote is None else None
        group = quotes.get(figure_quote) if figure_quote is not None else quote
        return _Leaf("— " + text.lstrip("—–- "), BlockKind.SIGNATURE, group)
    if element.tag in _HEADING_TAGS:
        return _Leaf(text, BlockKind.HEADING, None)
    if element.tag == "li" or any(a.tag == "li" for a in ancestors):
        return _Leaf("• " + text, BlockKind.ITEM, quote)
    return _Leaf(text, BlockKind.TEXT, quote)


def _article_leaves(doc: lxml.html.HtmlElement, main: str) -> list[_Leaf]:
    """The page's block elements whose text trafilatura counts as the article, with the headings over them.

    A short element (a menu entry) counts only beside a long one that does; a heading counts when the
    element after it does."""
    elements = _leaf_elements(doc)
    quotes = {q: n for n, q in enumerate(doc.iter("blockquote"))}
    leaves = [replace(leaf, element=e) if (leaf := _leaf(e, quotes)) else None for e in elements]
    inside = [leaf is not None and _norm(leaf.text.removeprefix("• ")) in main for leaf in leaves]
    long_parents = {
        e.getparent()
        for e, leaf, ok in zip(elements, leaves, inside, strict=True)
        if ok and leaf is not None and len(leaf.text) >= SHORT_TEXT
    }
    keep = [
        ok and leaf is not None and (len(leaf.text) >= SHORT_TEXT or _near(e, long_parents))
        for e, leaf, ok in zip(elements, leaves, inside, strict=True)
    ]
    twins = _twins(_body(elements, leaves, keep))
    if twins:
        keep = [k or any(a in twins for a in e.iterancestors()) for e, k in zip(elements, keep, strict=True)]
    # A signed block quote (a pull quote with its <cite>) inside the article counts, even where
    # trafilatura drops pull quotes as repeated text.
    signed = {leaf.quote for leaf in leaves if leaf is not None and leaf.kind == BlockKind.SIGNATURE}
    signed |= {n for quote, n in quotes.items() if _loose_tail(quote)}  # "<p>…</p>— Name (@handle) date"
    for n, (element, leaf) in enumerate(zip(elements, leaves, strict=True)):
        in_article = any(a in long_parents for a in element.iterancestors())
        if leaf is not None and leaf.quote in signed and in_article:
            keep[n] = True
    kept_quotes = {leaf.quote for leaf, k in zip(leaves, keep, strict=True) if k and leaf is not None}
    leaves, keep = _loose_signatures(quotes, leaves, keep)
    for n, leaf in enumerate(leaves):
        if leaf is not None and leaf.kind == BlockKind.HEADING and not keep[n]:
            keep[n] = any(keep[n + 1 : n + 2])
        if leaf is not None and leaf.kind == BlockKind.SIGNATURE:
            keep[n] = leaf.quote is not None and leaf.quote in kept_quotes
    loose = _loose_texts(elements, main)
    found: list[_Leaf] = []
    for leaf, k in zip(leaves, keep, strict=True):
        if k and leaf is not None:
            found.append(leaf)
            if leaf.quote is None and leaf.element is not None and (text := loose.get(leaf.element)):
                found.append(_Leaf(text, BlockKind.TEXT, None))
    return found


def _loose_texts(elements: list[lxml.html.HtmlElement], main: str) -> dict[lxml.html.HtmlElement, str]:
    """The article text a page sets loose between its paragraphs ("<p>…</p>“…,” he said.<p>…</p>"), by
    the element it follows, where trafilatura counts it as the article."""
    found = {}
    for element in elements:
        text = _loose_after(element)
        if len(text) >= SHORT_TEXT and _norm(text) in main:
            found[element] = text
    return found


def _loose_after(element: lxml.html.HtmlElement) -> str:
    """The text after the element up to the next block element: its tail and inline elements' text."""
    if not (element.tail or "").strip():
        return ""
    parts = [element.tail or ""]
    for sibling in element.itersiblings():
        if isinstance(sibling.tag, str) and (sibling.tag in _LEAF_TAGS or sibling.tag in _BLOCK_TAGS):
            break
        if isinstance(sibling.tag, str) and sibling.tag not in _SKIP_TAGS:
            parts.append("".join(sibling.itertext()))
        parts.append(sibling.tail or "")
    return _SPACES.sub(" ", _CONTROL_RE.sub("", "".join(parts))).strip()


def _body(
    elements: list[lxml.html.HtmlElement], leaves: list[_Leaf | None], keep: list[bool]
) -> lxml.html.HtmlElement | None:
    """The element straight over most of the article's text (its body container)."""
    held: dict[lxml.html.HtmlElement, int] = {}
    for element, leaf, k in zip(elements, leaves, keep, strict=True):
        if k and leaf is not None and (parent := element.getparent()) is not None:
            held[parent] = held.get(parent, 0) + len(leaf.text)
    return max(held, key=held.__getitem__) if held else None


def _twins(body: lxml.html.HtmlElement | None) -> set[lxml.html.HtmlElement]:
    """The containers that repeat the article body's place in the page: the same tag and classes, in the
    boxes like the body's that follow it with nothing but short text (adverts) between (the rest of an
    article the page splits around adverts, which trafilatura leaves out)."""
    parent = body.getparent() if body is not None else None
    if body is None or parent is None or not body.get("class", "").split():
        return set()
    found: set[lxml.html.HtmlElement] = set()
    for box in parent.itersiblings():
        if not isinstance(box.tag, str):
            continue
        if not _same_kind(box, parent):
            if len(_flat(box)) > _BETWEEN_PARTS:
                break  # other content: the article ended
            continue
        found.update(child for child in box if _same_kind(child, body))
    return found


_BETWEEN_PARTS = 200  # the most text a box between two parts of an article holds (an advert's label)


def _same_kind(element: lxml.html.HtmlElement, other: lxml.html.HtmlElement | None) -> bool:
    return (
        other is not None
        and element.tag == other.tag
        and (element.get("class") or "").split() == (other.get("class") or "").split()
    )


def _loose_signatures(
    quotes: dict[lxml.html.HtmlElement, int], leaves: list[_Leaf | None], keep: list[bool]
) -> tuple[list[_Leaf | None], list[bool]]:
    """The leaves with, after a block quote's last one, the signature the block quote holds as loose text
    after its paragraphs ("<p>…</p>— Name (@handle) <a>date</a>", an embedded post's byline)."""
    for quote, n in quotes.items():
        text = _loose_tail(quote)
        last = max((i for i, leaf in enumerate(leaves) if leaf is not None and leaf.quote == n), default=None)
        if not text or last is None or _signed(leaves, n):
            continue
        leaves = [
            *leaves[: last + 1],
            _Leaf("— " + text.lstrip("—–- "), BlockKind.SIGNATURE, n),
            *leaves[last + 1 :],
        ]
        keep = [*keep[: last + 1], keep[last], *keep[last + 1 :]]
    return leaves, keep


def _signed(leaves: list[_Leaf | None], quote: int) -> bool:
    return any(
        leaf is not None and leaf.kind == BlockKind.SIGNATURE and leaf.quote == quote for leaf in leaves
    )


def _loose_tail(quote: lxml.html.HtmlElement) -> str:
    """The text after a block quote's last paragraph that no element of its own holds, when it opens with a
    dash (a signature); "" otherwise."""
    blocks = [c for c in quote if isinstance(c.tag, str) and (c.tag in _LEAF_TAGS or c.tag == "div")]
    if not blocks:
        return ""
    parts = [blocks[-1].tail or ""]
    for sibling in blocks[-1].itersiblings():
        if not isinstance(sibling.tag, str):
            parts.append(sibling.tail or "")
            continue
        if sibling.tag in _LEAF_TAGS or sibling.tag in ("div", "blockquote", "cite", "footer"):
            return ""
        parts.extend(["".join(sibling.itertext()), sibling.tail or ""])
    text = _SPACES.sub(" ", _CONTROL_RE.sub("", "".join(parts))).strip()
    return text if len(text) > _MIN_SIGNATURE and text[0] in "—–-" else ""


_MIN_SIGNATURE = 3


def _near(element: lxml.html.HtmlElement, parents: set[lxml.html.HtmlElement]) -> bool:
    """Whether the element sits in (or one level below) a container of long article text."""
    parent = element.getparent()
    grand = parent.getparent() if parent is not None else None
    if parent in parents or grand in parents:
        return True
    return grand is not None and any(p.getparent() == grand for p in parents)


def _title(doc: lxml.html.HtmlElement | None, meta: PageMeta) -> str:
    """The page's title: its first ``<h1>``, else what trafilatura reads from the metadata."""
    if doc is not None:
        for h1 in doc.iter("h1"):
            if _flat(h1):
                return _flat(h1)
    return meta.title


def _xml_main_text(html: str, writer: _Writer, meta: PageMeta) -> bool:
    """Write the article as trafilatura structures it (headings, paragraphs, lists, quotes, code)."""
    xml = trafilatura.extract(
        html, output_format="xml", include_comments=False, include_tables=False, favor_recall=True
    )
    if not xml:
        return False
    root = lxml.etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    if main is None or not _flat(main):
        return False
    elements = list(main)
    if elements and elements[0].tag == "head":  # the article opens with its title
        _write_element(elements.pop(0), writer)
        _write_title(writer, "", meta)
    else:
        _write_title(writer, meta.title, meta)
    for element in elements:
        if _norm(_flat(element)) not in writer.thread_text:
            _write_element(element, writer)
    return True


def _write_element(element: lxml.etree._Element, writer: _Writer) -> None:
    tag = element.tag
    if tag == "list":
        for item in element.iter("item"):
            text = _flat(item)
            if text and _norm(text) not in writer.thread_text:
                writer.add("• " + text)
        return
    if tag == "quote":
        paragraphs = [p for p in (_flat(c) for c in element if c.tag == "p") if p] or [_flat(element)]
        spans = [writer.add(p) for p in paragraphs if p]
        if spans:
            writer.quotes.append((spans[0][0], spans[-1][1]))
        return
    if tag == "code":
        text = "".join(element.itertext()).strip("\n")
        if text.strip():
            writer.code.append(writer.add(text))
        return
    text = _flat(element)
    if not text:
        return
    span = writer.add(text)
    if tag == "head":
        writer.headings.append(span)


def _has_any_class(element: lxml.html.HtmlElement, names: frozenset[str]) -> bool:
    return bool(names & set((element.get("class") or "").split()))


def _has_class(element: lxml.html.HtmlElement, name: str) -> bool:
    return name in (element.get("class") or "").split()


def _in_replies(element: lxml.html.HtmlElement, li: lxml.html.HtmlElement) -> bool:
    """Whether ``element`` sits in a nested reply list of ``li`` (not in ``li``'s own comment)."""
    for ancestor in element.iterancestors():
        if ancestor is li:
            return False
        if _has_class(ancestor, "children"):
            return True
    return False


def _comment_parts(li: lxml.html.HtmlElement) -> tuple[str, str, str] | None:
    """(author, date, body) of one WordPress comment ``<li>``, ignoring its nested replies."""
    own = [e for e in li.iter() if not _in_replies(e, li)]
    authors = (
        [e for e in own if _has_class(e, "fn")]
        or [e for e in own if _has_class(e, "comment-author")]
        or [e for e in own if e.tag == "cite"]  # the old default theme: "<cite>Name</cite> Says:"
    )
    paragraphs = _body_paragraphs(li, own)
    if not authors or not paragraphs:
        return None
    author = _SAYS_RE.sub("", _flat(authors[0]))
    times = [e for e in own if e.tag == "time"] or [e for e in own if _has_any_class(e, _DATE_CLASSES)]
    date = _flat(times[0]) if times else ""
    body = "\n\n".join(p for p in paragraphs if p)
    return (author, date, body) if author and body else None


def _body_paragraphs(li: lxml.html.HtmlElement, own: list[lxml.html.HtmlElement]) -> list[str]:
    """A comment's paragraphs: its ``comment-content`` part, else (the old default theme, which has none)
    the ``<p>``s straight in the comment's ``<li>``."""
    bodies = [e for e in own if _has_class(e, "comment-content")]
    if bodies:
        return [_flat(p) for p in bodies[0].iter("p")] or [_flat(bodies[0])]
    return [_flat(p) for p in li.iterchildren("p")]


def classic_thread(doc: lxml.html.HtmlElement, byline: str) -> list[ThreadComment]:
    """The comments of a WordPress-style comment list (``comment-list``/``commentlist``, ``children``)."""
    lists = doc.xpath(_COMMENT_LIST_XPATH)
    if not lists:
        return []
    comments: list[ThreadComment] = []
    by_element: dict[lxml.html.HtmlElement, int] = {}
    for li in lists[0].iter("li"):
        if not (_has_class(li, "comment") or (li.get("id") or "").startswith("comment-")):
            continue
        parts = _comment_parts(li)
        if parts is None:
            continue
        author, date, body = parts
        parent = next((by_element[a] for a in li.iterancestors("li") if a in by_element), None)
        by_element[li] = len(comments)
        marked = _has_class(li, "bypostauthor")
        comments.append(ThreadComment(author, date, tuple(body.split("\n\n")), parent, marked))
    if comments and not any(c.by_post_author for c in comments) and byline:
        comments = [replace(c, by_post_author=same_author(c.author, byline)) for c in comments]
    return comments


def _thread(found: list[ThreadComment], writer: _Writer) -> tuple[int | None, list[MarkupComment]]:
    """Write the comment thread the markup states (WordPress's classic list, else
    ``index.reading.thread_markup``); (thread start, comments)."""
    if not found:
        return None, []
    comments: list[MarkupComment] = []
    start = writer.add("Comments")[0]
    for item in found:
        header = f"{item.author} {item.date_text}".strip()
        if header:  # a comment widget may show neither
            writer.add(header)
        body_start, body_end = writer.add("\n\n".join(item.paragraphs))
        comments.append(
            MarkupComment(item.author, item.date_text, body_start, body_end, item.parent, item.by_post_author)
        )
    return start, comments


def extract_html(html: str, fallback: str) -> tuple[str, PageLayout]:
    """Page text and layout of an HTML page; ``fallback`` is the all-visible-text rendering to use when
    no article is found."""
    writer = _Writer()
    try:
        doc = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        doc = None
    meta = page_meta(html)
    found: list[ThreadComment] = []
    if doc is not None:
        _mark_quotations(doc)
        found = classic_thread(doc, meta.byline) or markup_thread(doc, meta.byline)
    writer.thread_text = frozenset(_norm(p) for comment in found for p in comment.paragraphs)
    if not _main_text(html, doc, writer, meta):
        for paragraph in fallback.split("\n\n"):
            if paragraph.strip():
                writer.add(paragraph.strip())
    thread_start, comments = _thread(found, writer)
    layout = PageLayout(
        headings=tuple(writer.headings),
        block_quotes=tuple(writer.quotes),
        code=tuple(writer.code),
        thread_start=thread_start,
        thread=tuple(comments),
    )
    return writer.text(), layout
