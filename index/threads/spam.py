"""Spam in a discussion thread: link drops, course promotions, template text; and low-content comments."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol

from index.records import Comment
from index.text import UP, WORD_RE

# Word-set overlap above which two comments by different authors count as the same template text.
TEMPLATE_SIMILARITY = 0.8
TEMPLATE_MIN_WORDS = 12
LOW_CONTENT_MAX_WORDS = 15

_URL_RE = re.compile(
    r"https?://\S+|\bwww\.\S+|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\."
    r"(?:com|co|net|org|io|in|info|biz|ai|app|dev|xyz|online|site|academy|us|uk|ru|de|fr|ca|au|eu|tv|br|pl"
    r"|nl|jp|cn)\b(?:/\S*)?",
    re.IGNORECASE,
)
# Soft hyphens, zero-width spaces and joiners: invisible, they break up an address a filter would see.
_INVISIBLE_RE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
_MONEY_RE = re.compile(r"[$€£]\s?\d[\d,.]*")
_MONEY_OFFER_AMOUNTS = 2  # sums of money ("a check for $5200 ... $70 an hour") beside a link
_RECOMMEND_RE = re.compile(
    r"\b(?:visit|go to|goto|check out|checkout|read this|see this|refer to|look at|have a look|click"
    r"|follow this)\b[^.?!\n]{0,40}$",
    re.IGNORECASE,
)
_LINK_CALL_RE = re.compile(
    r"\b(?:visit|see|check|follow|click)\b[^.?!\n]{0,30}\b(?:link|site|website|page|blog|channel|url)\b", re.I
)
_ORG_OFFER_RE = re.compile(
    rf"\b(?:[{UP}][\w&'’-]*\s+){{1,4}}(?:Academy|Institute|Institution|Training|Solutions|Technologies|Infotech"
    r"|Agency|Bootcamp|School|Labs?|Classes)\b"
)
_COURSE_RE = re.compile(
    r"\b(?:course|courses|classes|training|certification|placement|coaching|bootcamp|enrol+|you can learn)\b",
    re.IGNORECASE,
)
_THANKS_RE = re.compile(
    r"\b(?:thank|thanks|thanx|thx|great|nice|good|useful|informative|helpful|amazing|awesome|excellent"
    r"|wonderful|appreciate|appreciated|love|loved|brilliant|perfect|cool|best|well written|clear)\b",
    re.IGNORECASE,
)


class Authored(Protocol):
    """What spam detection reads of a comment."""

    @property
    def comment_id(self) -> str: ...
    @property
    def author(self) -> str: ...
    @property
    def text(self) -> str: ...


def is_low_content(comment: Comment) -> bool:
    """A bare thank-you or compliment: short, no question, mostly praise (kept, but worth little)."""
    words = WORD_RE.findall(comment.text)
    if not words:
        return True
    return (
        len(words) <= LOW_CONTENT_MAX_WORDS
        and "?" not in comment.text
        and bool(_THANKS_RE.search(comment.text))
    )


def spam_reasons(drafts: Sequence[Authored]) -> dict[str, str]:
    """Reader comments that advertise or drop links, by comment id (site authors are never passed in)."""
    reasons: dict[str, str] = {}
    for d in drafts:
        reason = _spam_reason(d.text)
        if reason:
            reasons[d.comment_id] = reason
    for comment_id in _template_copies(drafts):
        reasons.setdefault(comment_id, "template text posted by several authors")
    return reasons


def _spam_reason(text: str) -> str | None:
    visible = _INVISIBLE_RE.sub("", text)
    if visible != text and _URL_RE.search(visible) and not _URL_RE.search(text):
        return "link drop: an address broken up with invisible characters"
    amounts = len(_MONEY_RE.findall(visible))
    last = visible.strip().rsplit("\n", 1)[-1].strip()
    alone = _URL_RE.fullmatch(last) is not None  # the comment signs off with a bare address
    if (amounts >= _MONEY_OFFER_AMOUNTS and _URL_RE.search(visible)) or (amounts and alone):
        return "money-making offer with a link"
    for url in _URL_RE.finditer(text):
        sentence_start = max(text.rfind(c, 0, url.start()) for c in ".?!\n") + 1
        sentence_end = min([i for i in (text.find(c, url.end()) for c in ".?!\n") if i != -1] or [len(text)])
        asks = "?" in text[url.end() : sentence_end + 1]
        rest_words = len(WORD_RE.findall(_URL_RE.sub(" ", text)))
        if not asks and (_RECOMMEND_RE.search(text[sentence_start : url.start()]) or rest_words < 6):
            return "link drop: points readers to another site"
    call = _LINK_CALL_RE.search(text)
    if call and "?" not in text[call.end() : call.end() + 80]:
        return "link drop: asks readers to visit a link"
    if _ORG_OFFER_RE.search(text) and _COURSE_RE.search(text):
        return "promotion of a course or training provider"
    return None


def _template_copies(drafts: Sequence[Authored]) -> set[str]:
    """Ids of comments whose wording is (nearly) the same as a comment by a different author."""
    by_text: dict[tuple[str, ...], list[Authored]] = defaultdict(list)
    for d in drafts:
        tokens = tuple(w.lower() for w in WORD_RE.findall(d.text))
        if len(tokens) >= TEMPLATE_MIN_WORDS:
            by_text[tokens].append(d)
    texts = list(by_text)
    similar = _near_copies(texts)
    copies: set[str] = set()
    for t, tokens in enumerate(texts):
        family = [d for other in similar[t] for d in by_text[texts[other]]]
        if len({d.author.casefold() for d in family}) >= 2:
            copies.update(d.comment_id for d in by_text[tokens])
    return copies


def _near_copies(texts: list[tuple[str, ...]]) -> dict[int, set[int]]:
    """For each text (by index), the texts with nearly the same words; compares texts sharing 4 words."""
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for t, tokens in enumerate(texts):
        for shingle in {tokens[k : k + 4] for k in range(len(tokens) - 3)}:
            index[shingle].append(t)
    similar: dict[int, set[int]] = {t: {t} for t in range(len(texts))}
    vocab = [frozenset(tokens) for tokens in texts]
    for group in index.values():
        if len(group) > 50:  # a stock phrase, not a fingerprint
            continue
        for a, b in ((a, b) for a in group for b in group if a < b and b not in similar[a]):
            if len(vocab[a] & vocab[b]) / len(vocab[a] | vocab[b]) >= TEMPLATE_SIMILARITY:
                similar[a].add(b)
                similar[b].add(a)
    return similar
