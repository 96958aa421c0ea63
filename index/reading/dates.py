"""The date styles blogs print for comments and updates, as a pattern and as a parser."""

from __future__ import annotations

import re
from datetime import datetime

from index.text import SPACES_RE

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
DATE = (
    rf"(?:(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:(?:\s+at|,)?\s+\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?"
)
_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_WEEKDAY_RE = re.compile(r"^\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_MERIDIEM_RE = re.compile(r"\b([ap])\.?m\.?$", re.IGNORECASE)
_MONTH_DOT_RE = re.compile(r"\b(Sept|[A-Z][a-z]{2})\.")
_ORDINAL_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")  # "January 7th, 2013"
_DATE_FORMATS = (
    "%B %d %Y at %I:%M %p",
    "%B %d %Y %I:%M %p",
    "%b %d %Y at %I:%M %p",
    "%b %d %Y %I:%M %p",
    "%B %d %Y at %H:%M",
    "%d %B %Y at %H:%M",
    "%d %B %Y %H:%M",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)


def parse_date(text: str) -> datetime | None:
    """Parse the date styles blogs print ("August 16, 2016 at 7:24 am", "2016-08-16"); None if unknown."""
    iso = _ISO_RE.match(text.strip())
    if iso:
        try:
            return datetime.fromisoformat(iso.group()).replace(tzinfo=None)
        except ValueError:
            pass
    cleaned = SPACES_RE.sub(" ", _WEEKDAY_RE.sub("", text).replace(",", " ")).strip()
    cleaned = _MERIDIEM_RE.sub(r"\1m", cleaned)
    cleaned = _MONTH_DOT_RE.sub(r"\1", cleaned).replace("Sept ", "Sep ")
    cleaned = _ORDINAL_RE.sub(r"\1", cleaned)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
    return None


_YEARLESS_RE = re.compile(
    rf"^\s*(?P<day_month>(?:{_MONTHS})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?:{_MONTHS})\.?),?"
    r"(?P<time>(?:\s+at|,)?\s+\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?)?\s*$",
    re.IGNORECASE,
)


def is_yearless(text: str) -> bool:
    """A date printed without its year ("March 3 at 5:12 pm"), as hosted blogs do for the current year."""
    return bool(_YEARLESS_RE.match(text))


def parse_yearless(text: str, year: int) -> datetime | None:
    """A yearless date read in ``year`` (the page's or a neighbouring comment's)."""
    match = _YEARLESS_RE.match(text)
    if match is None:
        return None
    return parse_date(f"{match.group('day_month')} {year}{match.group('time') or ''}")
