"""The one vocabulary of sources: the kinds of chunk, the roles of comments, and how each is labelled.

Every label the product shows (to the model, on quote cards, in plain text, in JSON) comes from here,
so "expert quote", "from the discussion" and the rest are worded once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# The speaker of a quote the page does not attribute (stored so; a passage shows it as no speaker).
UNKNOWN_SPEAKER = "unknown"


class ChunkKind(StrEnum):
    """What a chunk is in the index (stored as the `kind` metadata field)."""

    EXPERT_QUOTE = "expert_quote"
    ARTICLE = "article"
    COMMENT = "comment"
    INSTRUCTOR_ANSWER = "instructor_answer"


class BlockKind(StrEnum):
    """What a block of a page's main text is, as the readers of HTML and Markdown see it."""

    TEXT = "text"
    HEADING = "heading"
    CODE = "code"
    ITEM = "item"  # a list item
    QUOTE = "quote"  # a paragraph of a block quote
    SIGNATURE = "signature"  # the "— Name" line closing a block quote


class SubjectKind(StrEnum):
    """What the subject a quotation's sentence credits it to is (index/quotes/attribution.py)."""

    NAME = "name"
    PRONOUN = "pronoun"
    GROUP = "group"  # an organisation or a named group
    CROWD = "crowd"  # some unnamed members of a group ("many people")
    ROLE = "role"  # a description ("the actor", "a spokesperson")
    NONE = "none"  # cannot speak: a place, a product, the writer
    FRAGMENT = "fragment"  # the quoted words are a phrase inside reported speech, no quote


class ReferenceKind(StrEnum):
    """What a mention in a quote's lead-in is (index/quotes/leadin.py)."""

    SING = "sing"  # he, she
    PLURAL = "plural"  # they
    PERSON = "person"
    GROUP = "group"
    COAUTHORS = "coauthors"  # "X and colleagues", "with Y"


class EmbedderKind(StrEnum):
    """Which embedder turns passages and questions into vectors (the `embedder` setting)."""

    MINILM_ONNX = "minilm-onnx"
    MINILM = "minilm"
    E5 = "e5"
    HASH = "hash"


class CommentRole(StrEnum):
    """What a comment does in the discussion (decided at build time, see index/threads/roles.py)."""

    QUESTION = "question"
    ANSWER = "answer"
    NON_ANSWER = "non_answer"
    STATEMENT = "statement"
    THANKS = "thanks"
    SPAM = "spam"


class SourceKind(StrEnum):
    """The kinds of source a student sees; the discussion is kept apart from expert statements."""

    EXPERT_QUOTE = "expert_quote"
    ARTICLE = "article"
    AUTHOR_REPLY = "author_reply"
    READER_COMMENT = "reader_comment"
    INSTRUCTOR_ANSWER = "instructor_answer"


@dataclass(frozen=True)
class Labels:
    """How one kind of source is named in each place it appears."""

    json: str  # the `label` field of the JSON API
    card: str  # the tag on a quote card
    model: str  # how the prompt introduces a passage (followed by " by <who>" where known)
    plain: str  # plain text, after the person's name in a terminal or a citation heading
    discussion: bool  # from the comment thread below the article


LABELS: dict[SourceKind, Labels] = {
    SourceKind.EXPERT_QUOTE: Labels("expert quote", "Expert quote", "expert quote", "expert quote", False),
    SourceKind.ARTICLE: Labels("article", "From the article", "article text", "the article", False),
    SourceKind.AUTHOR_REPLY: Labels(
        "author reply",
        "From the discussion · author reply",
        "the author's reply in the discussion",
        "author reply (from the discussion)",
        True,
    ),
    SourceKind.READER_COMMENT: Labels(
        "reader comment",
        "From the discussion · a reader's opinion",
        "a reader's comment in the discussion (an opinion, not an expert statement)",
        "reader comment (from the discussion)",
        True,
    ),
    SourceKind.INSTRUCTOR_ANSWER: Labels(
        "instructor answer",
        "Instructor's answer",
        "the course instructor's answer",
        "instructor's answer",
        False,
    ),
}


def source_kind(kind: str, is_author_reply: bool = False) -> SourceKind:
    """The source kind of a chunk kind (a comment is an author reply or a reader comment)."""
    if kind == ChunkKind.COMMENT:
        return SourceKind.AUTHOR_REPLY if is_author_reply else SourceKind.READER_COMMENT
    return SourceKind(kind)


def labels(kind: str, is_author_reply: bool = False) -> Labels:
    return LABELS[source_kind(kind, is_author_reply)]
