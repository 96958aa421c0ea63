"""Chunking: a merged corpus becomes retrievable chunks and LlamaIndex nodes.

Expert quotes are one chunk each, embedded together with speaker, source and lead-in so
"what did Jeff Dean say about depth" finds them. In an interview, an answer is keyed by the question
asked before it, like a reply in a thread, and the question itself is not evidence. Article prose
between quotes is grouped by section into chunks of a few paragraphs. Comments are chunked by role
(index/threads/roles.py): a reply that answers a reader's question is one chunk keyed by that question;
statements are chunks of their own; questions, thanks and spam are not evidence.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby, pairwise

from llama_index.core.schema import TextNode

from index.quotes.interview import is_question
from index.records import Chunk, Comment, Corpus, Paragraph, Quote, Section
from index.storage.fields import to_metadata
from index.vocabulary import ChunkKind, CommentRole

ARTICLE_CHUNK_WORDS = 110
MIN_COMMENT_WORDS = 4
QUESTION_CONTEXT_CHARS = 400
# How a reply's reader question opens its embedded text (retrieval embeds it alone the same way).
QUESTION_KEY = "A reader asked: "
# Comments that can support an answer: replies that answer or decline (reported as such), and
# statements (shown as a reader's opinion). Questions are keys of their replies, never evidence.
EVIDENCE_ROLES = frozenset({CommentRole.ANSWER, CommentRole.NON_ANSWER, CommentRole.STATEMENT})
_WORDS = re.compile(r"\w+")
# Markup and closing quotation marks that may follow a question's "?".
_TRAILING = " \t\n*_\"”’')"
MIN_KEY_WORDS = 3  # a key left shorter than this without the addressee's name keeps the name
MIN_INTERVIEW_TURNS = 2  # one question and answer is an exchange; two by the same asker, an interview
# A speaker's label opening an interview answer: initials or a name, then a colon or just a space
# ("OW I did it", "Ava: Yes"), with any quotation mark after it.
_LABEL = re.compile(r"(?:[A-Z]{1,3}|[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,2}:)\s+[\"“‘']?")


def chunk_corpus(corpus: Corpus) -> list[Chunk]:
    """All chunks of a corpus, in page order within each kind."""
    asked = interview_questions(corpus.quotes)
    questions = {q.quote_id for q in asked.values()}
    keys = {answer: Asked(q.text, q.speaker) for answer, q in asked.items()}
    prose_asked = prose_interview_questions(corpus.sections, corpus.quotes)
    keys.update({answer: Asked(p.text, None) for answer, p in prose_asked.items()})
    chunks = [_quote_chunk(q, keys.get(q.quote_id)) for q in corpus.quotes if q.quote_id not in questions]
    quote_spans = {(q.document, q.char_start, q.char_end) for q in corpus.quotes}
    # An interviewer's question is the key of its answer, not evidence of its own.
    quote_spans |= {(p.document, p.char_start, p.char_end) for p in prose_asked.values()}
    for section in corpus.sections:
        for group in _prose_groups(section.paragraphs, quote_spans):
            chunks.append(_article_chunk(corpus, section.heading, group))
    by_id = {c.comment_id: c for c in corpus.comments}
    for comment in corpus.comments:
        if comment.role not in EVIDENCE_ROLES or len(_WORDS.findall(comment.text)) < MIN_COMMENT_WORDS:
            continue
        chunks.append(_comment_chunk(comment, by_id.get(comment.answers) if comment.answers else None))
    return list({c.chunk_id: c for c in chunks}.values())


def embed_hash(embed_text: str) -> str:
    """Identity of what gets embedded: a chunk that only moved in its page keeps its vector."""
    return hashlib.sha256(embed_text.encode()).hexdigest()[:24]


def _chunk_id(kind: str, document: str, start: int, end: int, embed_text: str) -> str:
    digest = hashlib.sha256(f"{kind}\0{document}\0{start}\0{end}\0{embed_text}".encode()).hexdigest()
    return f"{kind[:1]}-{digest[:24]}"


def interview_questions(quotes: Sequence[Quote]) -> dict[str, Quote]:
    """Each interview answer's question, by the answer's quote id: a quote that asks, followed by
    another person's quote that does not, where the same person asks so at least twice on the page."""
    pairs: list[tuple[Quote, Quote]] = []
    in_order = sorted(quotes, key=lambda q: (q.document, q.char_start))
    for _, page in groupby(in_order, key=lambda q: q.document):
        pairs += [(q, a) for q, a in pairwise(page) if _asks(q) and not _asks(a) and a.speaker != q.speaker]
    askers = Counter((q.document, q.speaker) for q, _ in pairs)
    return {a.quote_id: q for q, a in pairs if askers[q.document, q.speaker] >= MIN_INTERVIEW_TURNS}


@dataclass(frozen=True)
class Asked:
    """The question an interview answer answers, and who asked it (None: the unnamed interviewer)."""

    text: str
    asker: str | None


def prose_interview_questions(sections: Sequence[Section], quotes: Sequence[Quote]) -> dict[str, Paragraph]:
    """Each interview answer's question where the questions are the page's own paragraphs (set in bold,
    say, and credited to no one): a paragraph that asks, directly followed by one that opens with a
    quote, at least twice on the page."""
    starts = {(q.document, q.char_start): q for q in quotes}
    quoted = {(q.document, q.char_start, q.char_end) for q in quotes}
    pairs: list[tuple[Paragraph, Quote]] = []
    for section in sections:
        for before, after in pairwise(section.paragraphs):
            answer = _opening_quote(after, starts)
            if answer is not None and is_question(before.text) and not _overlaps_quote(before, quoted):
                pairs.append((before, answer))
    per_page = Counter(q.document for _, q in pairs)
    return {q.quote_id: p for p, q in pairs if per_page[q.document] >= MIN_INTERVIEW_TURNS}


def _opening_quote(paragraph: Paragraph, starts: dict[tuple[str, int], Quote]) -> Quote | None:
    """The quote a paragraph opens with: at its start, or after a speaker's label ("OW", "Ava:")."""
    label = _LABEL.match(paragraph.text)
    for offset in range(label.end() + 1 if label else 1):
        if (found := starts.get((paragraph.document, paragraph.char_start + offset))) is not None:
            return found
    return None


def reader_question_key(question: str, addressee: str) -> str:
    """The text a student's question is compared with: the reader's question without the name of the one
    it asks ("So Ada, what comes next?"): that name is in every question put to them, so it tells none
    apart."""
    names = [w for w in _WORDS.findall(addressee) if len(w) > 1]
    if not names:
        return question
    name = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b[,:!]?", re.IGNORECASE)
    rest = " ".join(name.sub(" ", question).split())
    return rest if len(rest.split()) >= MIN_KEY_WORDS else question


def _question_context(text: str) -> str:
    """What a chunk keeps of the question it answers: its end, whitespace collapsed."""
    return " ".join(text.split())[-QUESTION_CONTEXT_CHARS:]


def _asks(quote: Quote) -> bool:
    return quote.text.rstrip(_TRAILING).endswith("?")


def _quote_chunk(quote: Quote, question: Asked | None = None) -> Chunk:
    """A quote; an interview answer opens its embedded text with the question it answers (the key a
    student's question matches, as for a reply in a thread)."""
    source = ", ".join(str(x) for x in (quote.source_title, quote.year) if x)
    header = f"{quote.speaker}" + (f" ({source})" if source else "")
    embed_text = f"{header}. {quote.lead_in}\n{quote.text}"
    asked = _question_context(question.text) if question else None
    if asked:
        embed_text = f"{QUESTION_KEY}{reader_question_key(asked, quote.speaker)}\n{embed_text}"
    return Chunk(
        chunk_id=_chunk_id(
            ChunkKind.EXPERT_QUOTE, quote.document, quote.char_start, quote.char_end, embed_text
        ),
        kind=ChunkKind.EXPERT_QUOTE,
        text=quote.text,
        embed_text=embed_text,
        document=quote.document,
        char_start=quote.char_start,
        char_end=quote.char_end,
        speaker=quote.speaker,
        source_title=quote.source_title,
        year=quote.year,
        section=quote.section,
        lead_in=quote.lead_in,
        speaker_unknown=quote.speaker_unknown,
        question=asked,
        question_author=question.asker if question else None,
    )


def _overlaps_quote(paragraph: Paragraph, quote_spans: set[tuple[str, int, int]]) -> bool:
    return any(
        doc == paragraph.document and start < paragraph.char_end and paragraph.char_start < end
        for doc, start, end in quote_spans
    )


def _prose_groups(
    paragraphs: Sequence[Paragraph], quote_spans: set[tuple[str, int, int]]
) -> Iterator[list[Paragraph]]:
    """Runs of consecutive non-quote paragraphs, cut at about ARTICLE_CHUNK_WORDS words."""
    group: list[Paragraph] = []
    words = 0
    for paragraph in paragraphs:
        if _overlaps_quote(paragraph, quote_spans):
            if group:
                yield group
            group, words = [], 0
            continue
        count = len(_WORDS.findall(paragraph.text))
        if group and words + count > ARTICLE_CHUNK_WORDS:
            yield group
            group, words = [], 0
        group.append(paragraph)
        words += count
    if group:
        yield group


def _article_chunk(corpus: Corpus, heading: str, group: list[Paragraph]) -> Chunk:
    document = group[0].document
    start, end = group[0].char_start, group[-1].char_end
    text = corpus.page_text(document)[start:end]
    embed_text = f"{heading}\n{text}" if heading else text
    return Chunk(
        chunk_id=_chunk_id(ChunkKind.ARTICLE, document, start, end, embed_text),
        kind=ChunkKind.ARTICLE,
        text=text,
        embed_text=embed_text,
        document=document,
        char_start=start,
        char_end=end,
        section=heading or None,
    )


def _comment_chunk(comment: Comment, question: Comment | None) -> Chunk:
    """A comment as evidence. A reply to a reader's question is keyed by that question (a student
    asking the same retrieves it) while the reply alone is the text shown and cited."""
    who = "the site's author" if comment.is_author_reply else "a reader"
    if question is not None:
        # The question comes first: it is the key a student's question matches.
        embed_text = (
            f"{QUESTION_KEY}{reader_question_key(question.text[-QUESTION_CONTEXT_CHARS:], comment.author)}\n"
            f"{comment.author} ({who}) replied: {comment.text}"
        )
    else:
        embed_text = f"Comment by {comment.author} ({who}): {comment.text}"
    return Chunk(
        chunk_id=_chunk_id(
            ChunkKind.COMMENT, comment.document, comment.char_start, comment.char_end, embed_text
        ),
        kind=ChunkKind.COMMENT,
        text=comment.text,
        embed_text=embed_text,
        document=comment.document,
        char_start=comment.char_start,
        char_end=comment.char_end,
        author=comment.author,
        is_author_reply=comment.is_author_reply,
        role=comment.role,
        question=_question_context(question.text) if question else None,
        question_author=question.author if question else None,
        comment_id=comment.comment_id,
        parent=comment.parent,
        thread=comment.thread,
        date=comment.date.isoformat() if comment.date else comment.date_text or None,
    )


def chunk_metadata(chunk: Chunk) -> dict[str, str | int | bool]:
    """Flat metadata for the vector store: the shared source fields, the exact text and its hash."""
    return {"text": chunk.text, "embed_hash": embed_hash(chunk.embed_text), **to_metadata(chunk)}


def to_nodes(chunks: Iterable[Chunk]) -> list[TextNode]:
    """LlamaIndex nodes: node text is the embedded text; the exact page text is in metadata."""
    nodes = []
    for chunk in chunks:
        metadata = chunk_metadata(chunk)
        keys = list(metadata)
        nodes.append(
            TextNode(
                id_=chunk.chunk_id,
                text=chunk.embed_text,
                metadata=metadata,
                excluded_embed_metadata_keys=keys,
                excluded_llm_metadata_keys=keys,
            )
        )
    return nodes
