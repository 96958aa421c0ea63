"""Comment threads in markup other than WordPress's classic list: comments plugins, hosted WordPress,
``article.comment``, a rendered Livefyre stream, schema.org ``Comment`` microdata and JSON-LD, a static
Disqus thread.

A comment is an element the markup names as one (a ``comment`` class, a ``comment-N`` id, a Comment
itemtype); its author, date and body are the parts inside it (not inside a reply) the markup names so.
The reply structure comes from the markup's own statement when it makes one (``child-of-<id>``,
``depth-N`` classes: these survive malformed nesting), else from nesting. Everything here reads the
markup; nothing depends on a site's wording.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import lxml.html

from index.reading.dates import is_yearless, parse_date

_SPACES_RE = re.compile(r"\s+")
_PARENTHESIS_RE = re.compile(r"\s*\([^)]*\)")
_SAYS_RE = re.compile(r"\s*(?:says|said|wrote)\s*:?\s*$", re.IGNORECASE)
_COMMENT_ID_RE = re.compile(r"^(?:comment|div-comment|li-comment|wpd-comm|comment-body)[-_]?(?P<n>\d+)")
_CHILD_OF_RE = re.compile(r"^child-of-(?:comment-)?(?P<n>\d+)$")
_DEPTH_RE = re.compile(r"^depth-(?P<n>\d+)$")
_DIGITS_RE = re.compile(r"\d+")
_DATE_TAIL_RE = re.compile(r"\s+(?:on|at|wrote on)\s+\S.*\d.*$")
# A link to a commenter's profile page ("/user/<name>/", "/u/<name>"): the name when no element shows it.
_PROFILE_RE = re.compile(
    r"^(?:https?://[^/]+)?/(?:user|users|u|profile|people)/(?P<name>[^/?#]+)/?(?:[?#].*)?$"
)
# An indentation the markup states inline ("padding-left:37px"): the depth of comments listed flat.
_INDENT_RE = re.compile(r"(?:padding|margin)-left\s*:\s*(?P<n>\d+(?:\.\d+)?)px")
_COMMENT_CLASSES = frozenset(
    {"comment", "post", "wpd-comment", "comment-item", "single-comment", "reply", "fyre-comment-article"}
)  # fyre-comment-article: a Livefyre widget rendered into the page (replies in .fyre-comment-replies)
_AUTHOR_HINTS = ("fn", "author", "username", "user-name", "name", "byline")
_BODY_HINTS = ("content", "text", "message", "body", "entry")
_DATE_HINTS = ("date", "time", "meta", "published")
_SCHEMA_COMMENT = "schema.org/comment"
MAX_AUTHOR_CHARS = 80
MIN_UNSIGNED_LIST = 2  # comments without an author count only in a list of at least this many
_BY_AUTHOR = "bypostauthor"
_JSONLD_NESTING = frozenset({"comment", "comments", "hasPart", "@graph", "mainEntity", "suggestedAnswer"})


@dataclass(frozen=True)
class ThreadComment:
    """A comment as the markup states it; ``parent`` indexes the list it belongs to."""

    author: str
    date_text: str
    paragraphs: tuple[str, ...]
    parent: int | None
    by_post_author: bool = False


def _flat(element: lxml.html.HtmlElement) -> str:
    return _SPACES_RE.sub(" ", "".join(element.itertext())).strip()


def _classes(element: lxml.html.HtmlElement) -> list[str]:
    """The element's classes, in lower case (a React widget writes "Comment")."""
    value = element.get("class") if isinstance(element.tag, str) else None
    return (value or "").casefold().split()


def is_comment(element: lxml.html.HtmlElement) -> bool:
    if not isinstance(element.tag, str) or element.tag in ("a", "span", "img", "time", "p", "script"):
        return False
    if _SCHEMA_COMMENT in (element.get("itemtype") or "").casefold():
        return True
    classes = set(_classes(element))
    if "post" in classes and not _in_disqus(element):
        classes.discard("post")  # a blog post, not a Disqus comment
    if classes & _COMMENT_CLASSES:
        return "reply" not in classes or bool(_COMMENT_ID_RE.match(element.get("id") or ""))
    if element.tag in ("li", "article") and any(c.endswith("-comment") for c in classes):
        return True  # a comment widget's own prefix ("<widget>-comment")
    return bool(_COMMENT_ID_RE.match(element.get("id") or "")) and element.tag in ("li", "article", "div")


def _in_disqus(element: lxml.html.HtmlElement) -> bool:
    return any((a.get("id") or "").startswith("disqus") for a in element.iterancestors())


def _own(element: lxml.html.HtmlElement, comments: set[lxml.html.HtmlElement]) -> Iterator[Any]:
    """The element's descendants outside any nested comment (its replies)."""
    stack = list(reversed(element))
    while stack:
        node = stack.pop()
        if node in comments:
            continue
        yield node
        stack.extend(reversed(node))


def _hinted(nodes: list[Any], hints: tuple[str, ...], prop: tuple[str, ...]) -> list[Any]:
    """Nodes whose itemprop is one of ``prop``, then those whose class holds a hint, in hint order."""
    found = [n for n in nodes if (n.get("itemprop") or "") in prop]
    for hint in hints:
        for node in nodes:
            if node not in found and any(hint == c or hint in c.split("-") for c in _classes(node)):
                found.append(node)
    return found


def _author(nodes: list[Any]) -> str:
    for node in _hinted(nodes, _AUTHOR_HINTS, ("author", "creator")):
        names = [n for n in node.iter() if isinstance(n.tag, str) and n.get("itemprop") == "name"]
        names = names or [n for n in node.iter("strong", "b", "cite") if _flat(n)]
        text = _SAYS_RE.sub("", _flat(names[0] if names else node))
        text = _DATE_TAIL_RE.sub("", text)  # "Ann on March 3, 2019 at 5:12 pm"
        if text and len(text) <= MAX_AUTHOR_CHARS:
            return text
    return _profile_name(nodes)


def _profile_name(nodes: list[Any]) -> str:
    """The name in the first link to a commenter's profile (``href``, or a router's ``to``), for a widget
    that shows only an avatar there."""
    for node in nodes:
        match = _PROFILE_RE.match((node.get("href") or node.get("to") or "").strip())
        if match and len(match.group("name")) <= MAX_AUTHOR_CHARS:
            return match.group("name")
    return ""


def _date(nodes: list[Any]) -> str:
    times = [n for n in nodes if n.tag == "time"]
    links = [n for n in nodes if n.tag == "a" and "comment" in (n.get("href") or "")]
    hinted = _hinted(nodes, _DATE_HINTS, ("dateCreated", "datePublished", "commentTime"))
    shown = ""
    for node in [*times, *hinted, *links]:
        text = _flat(node)
        if _DIGITS_RE.search(text) and len(text) <= 60 and (parse_date(text) or is_yearless(text)):
            return text
        for attribute in ("datetime", "title", "content"):
            value = (node.get(attribute) or "").strip()
            if parse_date(value):
                return value
        shown = shown or (text if _DIGITS_RE.search(text) and len(text) <= 60 else "")
    return shown  # as printed ("8 years ago"), when nothing gives a date


def _body(nodes: list[Any], author: str) -> tuple[str, ...]:
    """The comment's text: the part the markup names so, else its own paragraphs (``<p>``)."""
    for node in _hinted(nodes, _BODY_HINTS, ("text", "commentText")):
        if node.tag in ("a", "time", "span") and not node.get("itemprop"):
            continue
        paragraphs = [_flat(p) for p in node.iter("p")] or [_flat(node)]
        paragraphs = [p for p in paragraphs if p and p != author]
        if paragraphs:
            return tuple(paragraphs)
    own = [_flat(n) for n in nodes if n.tag == "p" and not any(a.tag == "p" for a in n.iterancestors())]
    return tuple(p for p in own if p and p != author)


def _unsigned_body(element: lxml.html.HtmlElement, nodes: list[Any], comments: set[Any]) -> tuple[str, ...]:
    """The text of a comment the markup gives no author (a widget that shows none): taken only from the
    part the markup names as its content, and only in a list of such comments (a sibling is one too)."""
    parent = element.getparent()
    listed = parent is not None and sum(1 for sibling in parent if sibling in comments) >= MIN_UNSIGNED_LIST
    if not listed:
        return ()
    for node in _hinted(nodes, _BODY_HINTS, ("text", "commentText")):
        if node.tag in ("a", "time", "span", "p"):
            continue
        text = _flat(node)
        if text:
            return tuple(_flat(p) for p in node.iter("p") if _flat(p)) or (text,)
    return ()


def _number(element: lxml.html.HtmlElement) -> str | None:
    match = _COMMENT_ID_RE.match(element.get("id") or "")
    return match.group("n") if match else None


def _declared(element: lxml.html.HtmlElement) -> tuple[str | None, int | None]:
    """The parent id (``child-of-<id>``) and depth (``depth-N``) the element's classes state."""
    parent = depth = None
    for name in _classes(element):
        child = _CHILD_OF_RE.match(name)
        level = _DEPTH_RE.match(name)
        parent = child.group("n") if child else parent
        depth = int(level.group("n")) if level else depth
    return parent, depth


@dataclass
class _Found:
    element: lxml.html.HtmlElement
    author: str
    date: str
    paragraphs: tuple[str, ...]


def markup_thread(doc: lxml.html.HtmlElement, byline: str = "") -> list[ThreadComment]:
    """The comment thread stated by the page's markup (elements, microdata), else by its JSON-LD."""
    candidates = [e for e in doc.iter() if is_comment(e)]
    members = set(candidates)
    found: list[_Found] = []
    for element in candidates:
        nodes = [n for n in _own(element, members) if isinstance(n.tag, str)]
        author = _author(nodes)
        paragraphs = _body(nodes, author) if author else _unsigned_body(element, nodes, members)
        found.append(_Found(element, author, _date(nodes), paragraphs))
    found = _shown(found)
    comments = _with_parents(found, members, byline) if found else []
    return comments or jsonld_thread(doc, byline)


def _shape(element: lxml.html.HtmlElement) -> tuple[str, str]:
    classes = _classes(element)
    return element.tag, classes[0] if classes else ""


def _shown(found: list[_Found]) -> list[_Found]:
    """The comments with a text, and those without one (deleted: "Comment deleted by user") that the
    markup still lists as comments of the same shape, dated, among at least two with a text: they are
    shown, and their replies hang under them."""
    shapes = [_shape(f.element) for f in found if f.paragraphs]
    return [
        f for f in found if f.paragraphs or (f.date and shapes.count(_shape(f.element)) >= MIN_UNSIGNED_LIST)
    ]


def _indent(element: lxml.html.HtmlElement, holding: Counter[Any]) -> float | None:
    """The inline left indentation ("padding-left:37px") of the comment or of a wrapper holding only it
    (``holding``: how many comment elements each element holds)."""
    node: Any = element
    while node is not None:
        match = _INDENT_RE.search(node.get("style") or "")
        if match:
            return float(match.group("n"))
        parent = node.getparent()
        if parent is None or holding[parent] > 1:
            return None
        node = parent
    return None


def _holding(members: set[Any]) -> Counter[Any]:
    """How many comment elements (``members``) each element holds below it: one walk up from each, not
    a walk down a thread's container for each comment (a long flat thread)."""
    counts: Counter[Any] = Counter()
    for member in members:
        counts.update(member.iterancestors())
    return counts


def _indent_depths(found: list[_Found], members: set[Any]) -> list[int | None]:
    """Depths of a thread listed flat whose every comment states its indentation, the smallest being
    depth 1 (new Reddit); none when any comment states none or all are indented alike."""
    holding = _holding(members)
    indents = [_indent(f.element, holding) for f in found]
    levels = sorted({i for i in indents if i is not None})
    if None in indents or len(levels) < 2 or any(holding[f.element] for f in found):
        return [None] * len(found)
    return [levels.index(i) + 1 if i is not None else None for i in indents]


def _wrapped(found: list[_Found], members: set[Any]) -> dict[Any, int]:
    """Each comment element's index; a wrapper (li#li-comment-1 around article#div-comment-1) stands for
    the first comment inside it."""
    index = {f.element: n for n, f in enumerate(found)}
    for element in members:
        if element not in index:
            inner = next((index[d] for d in element.iterdescendants() if d in index), None)
            if inner is not None:
                index[element] = inner
    return index


def _statement(element: Any, n: int, index: dict[Any, int]) -> tuple[str | None, int | None, bool]:
    """The parent id and depth the comment's classes (or its wrappers') state, and whether they mark it
    as the post author's (``bypostauthor``)."""
    declared, depth = _declared(element)
    marked = _BY_AUTHOR in _classes(element)
    for wrapper in element.iterancestors():
        if index.get(wrapper) != n:
            break
        outer = _declared(wrapper)
        declared, depth = declared or outer[0], depth or outer[1]
        marked = marked or _BY_AUTHOR in _classes(wrapper)
    return declared, depth, marked


def _with_parents(found: list[_Found], members: set[Any], byline: str) -> list[ThreadComment]:
    """Parents from ``child-of-<id>``, else ``depth-N`` (robust to malformed nesting), else nesting."""
    index = _wrapped(found, members)
    numbers: dict[str, int] = {}
    for element, n in index.items():
        number = _number(element)
        if number is not None:
            numbers.setdefault(number, n)
    last_at_depth: dict[int, int] = {}
    out: list[ThreadComment] = []
    indented = _indent_depths(found, members)
    for n, f in enumerate(found):
        declared, depth, marked = _statement(f.element, n, index)
        depth = depth if depth is not None else indented[n]
        parent = numbers.get(declared) if declared else None
        if parent is None and depth is not None and depth > 1:
            parent = last_at_depth.get(depth - 1)
        if parent is None and depth is None:
            ancestors = (index[a] for a in f.element.iterancestors() if a in index and index[a] != n)
            parent = next(ancestors, None)
        if depth is not None:
            last_at_depth[depth] = n
        if parent is not None and parent >= n:
            parent = None
        by_author = marked or same_author(f.author, byline)
        out.append(ThreadComment(f.author, f.date, f.paragraphs, parent, by_author))
    return out


def same_author(author: str, byline: str) -> bool:
    """Whether a commenter is the post's byline: the same name, or the byline's first name signed with
    an affiliation ("Catherine (GiveWell)" for "Catherine Hollander")."""
    if not byline.strip():
        return False
    core = _PARENTHESIS_RE.sub("", author).strip().casefold()
    wanted = byline.strip().casefold()
    if core == wanted:
        return True
    return core != author.strip().casefold() and " " not in core and core == wanted.split()[0]


def jsonld_thread(doc: lxml.html.HtmlElement, byline: str = "") -> list[ThreadComment]:
    """Comments stated as schema.org ``Comment`` objects in the page's JSON-LD (replies nested)."""
    out: list[ThreadComment] = []
    for script in doc.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        _walk_jsonld(data, None, out, byline)
    return out


def _walk_jsonld(data: Any, parent: int | None, out: list[ThreadComment], byline: str) -> None:
    if isinstance(data, list):
        for item in data:
            _walk_jsonld(item, parent, out, byline)
        return
    if not isinstance(data, dict):
        return
    kinds = data.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    here = parent
    if "Comment" in kinds and isinstance(data.get("text"), str) and data["text"].strip():
        author = data.get("author")
        name = author.get("name", "") if isinstance(author, dict) else str(author or "")
        date = str(data.get("dateCreated") or data.get("datePublished") or "")
        paragraphs = tuple(p.strip() for p in re.split(r"\n\s*\n", data["text"]) if p.strip())
        out.append(ThreadComment(name.strip(), date, paragraphs, parent, same_author(name, byline)))
        here = len(out) - 1
    for key, value in data.items():
        if key in _JSONLD_NESTING:
            _walk_jsonld(value, here, out, byline)
