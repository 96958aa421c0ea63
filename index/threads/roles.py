"""What each comment does in the discussion: a question, an answer, a non-answer, a statement, thanks, spam.

Rules about how people write in comment threads (no names or phrases of one page): a reader comment
that asks is a question; a site author's reply that says something beyond pleasantries and
deflections answers the question it replies to; "no idea", "too many questions", "use the search
box" and "I don't have a tutorial on that" decline. Each answer is linked to the question it answers,
which gives the thread's question-and-answer pairs. Measured against the hand labels in
eval/comment_roles.jsonl (see docs/quality.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from index.records import Comment, Corpus
from index.text import sentence_texts
from index.vocabulary import CommentRole

# Sentences that ask: a "?", a sentence opening like a question, or a request phrased as a statement.
_REQUEST = re.compile(
    "|".join(
        [
            r"\b(?:please|plz|pls|kindly)\b.{0,60}\b(?:help|suggest|tell|explain|share|guide|recommend|send)",
            r"\b(?:can|could|would|will) you\b",
            r"\b(?:i )?(?:want|would like|wish|need) to (?:know|learn|understand|ask)",
            r"\b(?:i am|i'm|i’m) (?:wondering|confused|looking for|curious)\b",
            r"\bany (?:suggestions?|advice|ideas?|help)\b",
            r"\blet me know\b",
            r"\bhave (?:a|one|two|some|several|few) (?:\w+ )?questions?\b",
            r"\bmay i know\b",
            r"\b(?:you|u) suggest\b|\bsuggest me\b|\bcan i get\b",
            r"\bi need (?:a |some |the )?(?:tutorials?|help|code|advice|guidance|examples?|suggestions?)\b",
            r"\bi would (?:also )?like (?:a|an|some|the)\b",
            r"\bwhich \w+ (?:to|should|would|is best|prefer)",
            r"\bis (?:it|this|that) (?:right|correct|true|possible)\b",
        ]
    ),
    re.IGNORECASE,
)
_QUESTION_OPENING = re.compile(
    r"^(?:(?:hi|hello|hey|dear|sir|thanks?|ok|so)\b[^.!?]{0,40}?[,.!]\s*)?"
    r"(?:what|which|why|how|when|where|who|whom|whose|is|are|was|were|does|do|did|can|could|should|would"
    r"|will|shall|may i|am i|have you|has)\b",
    re.IGNORECASE,
)
# A question inside a sentence, after a comma ("hi Sir, hope u fine, is this true in ur view, ..."): a
# clause that opens with a verb before its subject, or with what/how/why and a verb. Which/where after a
# comma are relative ("..., which are slow"); so is "is that" ("My problem, is that most ...").
_CLAUSE_BREAK = re.compile(r"[,;:…]+\s*(?:(?:and|but|so|or)\s+)?", re.IGNORECASE)
_INVERTED_CLAUSE = re.compile(
    r"^(?:what|how|why)\s+(?:\w+\s+)?(?:do|does|did|is|are|was|were|can|could|should|would|will|means?)\b"
    r"|^(?:is|are|was|were|do|does|did|can|could|should|would|will)\s+(?:this|it|there|you|u|we|they|he|she)\b",
    re.IGNORECASE,
)
# Sentences that decline or deflect instead of answering (the phrase opens the sentence).
_DECLINE = re.compile(
    "|".join(
        [
            r"^.{0,30}?\b(?:no idea|not sure|don[’']t know|do not know|cannot (?:give|help|say|advise)"
            r"|can[’']t (?:help|say))\b",
            r"\btoo many questions\b",
            r"\bsearch (?:box|bar|function)\b",
            r"\b(?:ask|talk to|consult) (?:your|a) (?:teacher|advisor|adviser|supervisor|professor|tutor)\b",
            r"\bbest person to (?:ask|talk)\b",
            r"\b(?:don[’']t|do not) have (?:any |much )?(?:tutorials?|material|posts?|examples?|experience"
            r"|resources?|content|advice)\b",
            r"\bnot (?:really )?(?:familiar|an expert|my area)\b",
            r"\b(?:hope|plan|may|might) to cover\b|\bcover (?:it|this|that)(?: topic)? in the future\b",
            r"\bout of (?:scope|my)\b",
        ]
    ),
    re.IGNORECASE,
)
# Pleasantries around an answer, which carry no answer of their own.
_PLEASANTRY = re.compile(
    r"^(?:(?:hi|hello|hey|dear)\b[^.!?]{0,30}[,.!]?\s*)?(?:"
    + "|".join(
        [
            r"thanks?|thank you|thanx|you[’']re welcome",
            r"(?:(?:very|really|so) )?(?:glad|great|nice|good|cool)",
            r"well done",
            r"sorry|best of luck|good luck|happy|i[’']m glad|i am glad|great question|good question",
            r"well said",
            r"sounds (?:like )?(?:a )?(?:great|good|fun|interesting)",
        ]
    )
    + r")\b",
    re.IGNORECASE,
)
_PRAISE = re.compile(
    r"\b(?:thank|thanks|thanx|thx|great|nice|good|useful|informative|helpful|amazing|awesome|excellent"
    r"|wonderful|appreciate|love|loved|brilliant|perfect|best|well written|clear|glad|gracias|merci|danke)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
THANKS_MAX_WORDS = 30
ANSWER_MIN_WORDS = 4
# A reply that opens by declining ("No idea.") answers only if it goes on at some length.
AFTER_DECLINE_MIN_WORDS = 20
READER_ANSWER_MIN_WORDS = 8


@dataclass(frozen=True)
class RoledComment:
    """A comment with its role; an answer or non-answer knows the question comment it replies to."""

    comment: Comment
    role: CommentRole
    answers: str | None = None


def _sentences(text: str) -> list[str]:
    return sentence_texts(text, informal=True)


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def asks(text: str) -> bool:
    """True when a comment asks something (a question mark, a question's opening, a question inside a
    sentence, or a request)."""
    return "?" in text or any(
        _REQUEST.search(s) or _QUESTION_OPENING.match(s) or _asks_inside(s) for s in _sentences(text)
    )


def _asks_inside(sentence: str) -> bool:
    return any(_INVERTED_CLAUSE.match(clause.strip()) for clause in _CLAUSE_BREAK.split(sentence)[1:])


def is_pleasantry(sentence: str) -> bool:
    """A sentence that opens like a pleasantry ("Glad it helped Maisie.", "Very cool problem.") and does
    not decline ("Sorry, I don't know." says something about the answer)."""
    return bool(_PLEASANTRY.match(sentence.strip())) and not _DECLINE.search(sentence)


def substance(text: str) -> list[str]:
    """The sentences of a reply that are neither pleasantries nor deflections."""
    return [s for s in _sentences(text) if not _PLEASANTRY.match(s) and not _DECLINE.search(s)]


def _is_thanks(text: str) -> bool:
    return _words(text) <= THANKS_MAX_WORDS and bool(_PRAISE.search(text)) and "?" not in text


def _reply_role(comment: Comment, parent_role: CommentRole | None) -> CommentRole:
    """The role of a reply by the site's author or staff."""
    text = comment.text
    content = substance(text)
    words = sum(_words(s) for s in content)
    if parent_role is CommentRole.QUESTION:
        declined = any(_DECLINE.search(s) for s in _sentences(text)[:2])
        if words >= (AFTER_DECLINE_MIN_WORDS if declined else ANSWER_MIN_WORDS):
            # A reply that only asks back ("What do you mean by X?") is not an answer yet.
            asks_back = all(s.endswith("?") and _QUESTION_OPENING.match(s) for s in content)
            return CommentRole.NON_ANSWER if asks_back else CommentRole.ANSWER
        if declined or "?" in text:
            return CommentRole.NON_ANSWER
        return CommentRole.THANKS if _PRAISE.search(text) else CommentRole.NON_ANSWER
    if _is_thanks(text) and all(_PRAISE.search(s) for s in content):
        return CommentRole.THANKS
    return CommentRole.STATEMENT


def _reader_role(comment: Comment, parent: Comment | None, parent_role: CommentRole | None) -> CommentRole:
    """The role of a reader's comment. A reader who replies to the author's answer, other than to
    thank, is following up on their question ("Sir, not about X: what if ..."), not making a statement."""
    text = comment.text
    if asks(text):
        return CommentRole.QUESTION
    if _is_thanks(text):
        return CommentRole.THANKS
    if parent is not None and parent.is_author_reply:
        return CommentRole.QUESTION
    # A reader who replies to another reader's question with some substance answers it (an asker who
    # adds to their own question does not).
    other = parent is not None and parent.author.casefold() != comment.author.casefold()
    if other and parent_role is CommentRole.QUESTION and len(_WORD.findall(text)) >= READER_ANSWER_MIN_WORDS:
        return CommentRole.ANSWER
    return CommentRole.STATEMENT


def assign_roles(comments: Sequence[Comment]) -> list[RoledComment]:
    """Roles for every comment of a thread (in page order), answers linked to their questions."""
    by_id = {c.comment_id: c for c in comments}
    roles: dict[str, CommentRole] = {}
    result: list[RoledComment] = []
    # Readers the author asked back ("What do you mean by X?") and who have not written since.
    asked_back: set[str] = set()
    for comment in comments:
        parent = by_id.get(comment.parent) if comment.parent else None
        parent_role = roles.get(parent.comment_id) if parent else None
        reader = comment.author.casefold()
        if comment.spam:
            role = CommentRole.SPAM
        elif not comment.text.strip():
            role = CommentRole.STATEMENT
        elif comment.is_author_reply:
            question = _question_for(comment, comments, by_id, roles)
            role = _reply_role(comment, CommentRole.QUESTION if question else parent_role)
        else:
            role = _reader_role(comment, parent, parent_role)
            # The reader's next comment, wherever they post it, says what they meant: the question again.
            if role is CommentRole.STATEMENT and reader in asked_back:
                role = CommentRole.QUESTION
            asked_back.discard(reader)
        roles[comment.comment_id] = role
        answers = None
        if role in (CommentRole.ANSWER, CommentRole.NON_ANSWER):
            answers = _question_for(comment, comments, by_id, roles)
        if role is CommentRole.NON_ANSWER and answers and "?" in comment.text:
            asked_back.add(by_id[answers].author.casefold())
        result.append(RoledComment(comment, role, answers))
    return result


def _question_for(
    comment: Comment, comments: Sequence[Comment], by_id: dict[str, Comment], roles: dict[str, CommentRole]
) -> str | None:
    """The question a reply answers: its parent, or, where a thread's nesting ran out, the nearest
    earlier reader question in the same thread that no reply has answered yet."""
    parent = by_id.get(comment.parent) if comment.parent else None
    if parent is None:
        return None
    if roles.get(parent.comment_id) is CommentRole.QUESTION and not parent.is_author_reply:
        return parent.comment_id
    if not parent.is_author_reply:
        return None
    # A reply attached to the author's own earlier reply: the thread ran out of nesting levels.
    earlier = [
        c
        for c in comments
        if c.thread == comment.thread and parent.char_start < c.char_start < comment.char_start
    ]
    for candidate in reversed(earlier):
        if candidate.is_author_reply:
            break
        if roles.get(candidate.comment_id) is CommentRole.QUESTION:
            return candidate.comment_id
    return None


def qa_pairs(roled: Sequence[RoledComment]) -> dict[str, str]:
    """Answer (or non-answer) comment id -> the id of the question it replies to."""
    return {r.comment.comment_id: r.answers for r in roled if r.answers is not None}


def with_roles(corpus: Corpus) -> Corpus:
    """The corpus with every comment's role and question link filled in."""
    roled = {r.comment.comment_id: r for r in assign_roles(corpus.comments)}
    comments = tuple(
        replace(c, role=str(roled[c.comment_id].role), answers=roled[c.comment_id].answers)
        for c in corpus.comments
    )
    return replace(corpus, comments=comments)
