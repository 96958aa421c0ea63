"""The fields that travel chunk -> store metadata -> retrieved passage -> citation, mapped once."""

from __future__ import annotations

from enum import Enum
from typing import Any

from index.vocabulary import UNKNOWN_SPEAKER

# Who said a piece of text, where and when; each is a Chunk attribute, a metadata key, a Passage field.
SOURCE_FIELDS = (
    "kind",
    "document",
    "char_start",
    "char_end",
    "speaker",
    "source_title",
    "year",
    "author",
    "is_author_reply",
    "role",
    "question",
    "question_author",
    "section",
    "comment_id",
    "lead_in",
)
# Stored for the index's own use (threads, dates), not carried into passages.
INDEX_ONLY_FIELDS = ("parent", "thread", "date", "speaker_unknown")
# What a citation keeps of its passage (its span is the quote's own; ids and context stay behind).
CITATION_FIELDS = tuple(
    name
    for name in SOURCE_FIELDS
    if name not in {"char_start", "char_end", "section", "comment_id", "lead_in"}
)
_INTS = frozenset({"char_start", "char_end"})


def to_metadata(record: Any) -> dict[str, str | int | bool]:
    """Flat store metadata of a chunk (Chroma takes no nested values; None is left out)."""
    data: dict[str, str | int | bool] = {}
    for name in (*SOURCE_FIELDS, *INDEX_ONLY_FIELDS):
        value = getattr(record, name, None)
        if isinstance(value, Enum):
            value = value.value  # stored as the plain string (the store and JSON know no enums)
        if value is not None:
            data[name] = value
    return data


def from_metadata(meta: dict[str, Any]) -> dict[str, Any]:
    """Typed passage fields from store metadata (missing values become None, flags False)."""
    values: dict[str, Any] = {}
    for name in SOURCE_FIELDS:
        value = meta.get(name)
        if name in _INTS:
            value = int(value or 0)
        elif name == "is_author_reply":
            value = bool(value)
        elif name == "year":
            value = _year(value)
        elif name == "kind":
            value = str(value or "article")
        elif name == "speaker" and value == UNKNOWN_SPEAKER:
            value = None  # no answer, card or topic line says "unknown said"
        else:
            value = str(value) if value not in (None, "") else None
        values[name] = value
    return values


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None
