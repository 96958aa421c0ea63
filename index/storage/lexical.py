"""The lexical side of the index: BM25, word weights and the people index, built once per index version.

Built at build time from the chunks and stored in the store beside the chunk collection, so every app
process (also against a shared Chroma server) loads the same one at start-up instead of fetching every
chunk. It holds no chunk texts: only chunk ids, term postings and counts; the retriever fetches the few
chunks it returns by id.

BM25 uses the tokens and Lucene scoring of `bm25s`, which llama-index's `BM25Retriever` runs: lower-cased
`\\w\\w+` tokens, bm25s' English stopwords, the Snowball English stemmer, k1 = 1.5, b = 0.75.
"""

from __future__ import annotations

import io
import json
import logging
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from index.records import Chunk
from index.storage.chunk import chunk_metadata
from index.storage.store import ChunkStore, Manifest
from index.terms import STOPWORDS, TERM_RE, content_stems, words
from index.vocabulary import UNKNOWN_SPEAKER, ChunkKind

# bm25s sets its own logger to DEBUG when imported, which prints DEBUG lines under any logging set-up
# that shows warnings; give the level back to the application's configuration.
logging.getLogger("bm25s").setLevel(logging.NOTSET)

FORMAT = 3
BM25_K1 = 1.5
BM25_B = 0.75
_BM25_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_BM25_STOPWORDS = frozenset(STOPWORDS_EN)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def bm25_tokens(text: str, *, drop_stopwords: bool = True) -> list[str]:
    """The terms BM25 indexes (a query keeps its stopwords, as BM25Retriever does; they match nothing)."""
    tokens = _BM25_TOKEN.findall(text.lower())
    if drop_stopwords:
        tokens = [t for t in tokens if t not in _BM25_STOPWORDS]
    return list(_stemmer().stemWords(tokens))


def person_of(metadata: Mapping[str, Any]) -> str | None:
    """Whose words a chunk holds: an expert quote's speaker when the page names one (not "an unnamed
    engineer", "unknown", "Engineer at a major automaker": their words name no one), a comment's author (the
    site's author or a reader: "what did <commenter> say about ...?" asks for that comment)."""
    if metadata.get("kind") == ChunkKind.EXPERT_QUOTE:
        unnamed = metadata.get("speaker_unknown") or metadata.get("speaker") == UNKNOWN_SPEAKER
        return None if unnamed else str(metadata.get("speaker") or "") or None
    if metadata.get("kind") == ChunkKind.COMMENT:
        return str(metadata.get("author") or "") or None
    return None


_OPENS_BEFORE = '.!?:;"“‘(['


def _name_words(question: str) -> set[str]:
    """The question's words that may be a name's: three letters or more; a function word ("will", "may",
    "can") only when the question writes it with a capital inside a sentence ("What did Will Oduya
    say?"), not opening one ("Will it rain?") nor in lower case ("what will the rate be?")."""
    found = set()
    for match in TERM_RE.finditer(question):
        word = match.group().lower().replace("’", "'")
        if len(word) < 3:
            continue
        if word in STOPWORDS:
            before = question[: match.start()].rstrip()
            if not match.group()[0].isupper() or not before or before[-1] in _OPENS_BEFORE:
                continue
        found.add(word)
    return found


def name_tokens(name: str) -> set[str]:
    return {w for w in words(name) if len(w) > 2 and w != "and"}


@dataclass(frozen=True)
class PersonChunk:
    """A chunk holding a person's words; quotes may join a retrieval without being a candidate."""

    chunk_id: str
    is_quote: bool


class LexicalIndex:
    """BM25 search, content-stem weights and the people index of one index version."""

    def __init__(
        self,
        ids: np.ndarray,
        terms: np.ndarray,
        postings: tuple[np.ndarray, np.ndarray, np.ndarray],
        stems: np.ndarray,
        stem_df: np.ndarray,
        people: dict[str, list[tuple[str, bool]]],
        pages: tuple[np.ndarray, np.ndarray],
    ) -> None:
        self._ids = ids
        self._documents, self._page_of = pages
        self._page_row = {str(d): i for i, d in enumerate(self._documents.tolist())}
        self._row = {str(c): i for i, c in enumerate(ids.tolist())}
        self._term_row = {str(t): i for i, t in enumerate(terms.tolist())}
        self._data, self._docs, self._ptr = postings
        self._stems, self._stem_df = stems, stem_df
        self._people = people
        total = len(ids)
        self.idf = {
            str(s): math.log(1 + total / int(df)) for s, df in zip(stems.tolist(), stem_df, strict=True)
        }
        self.unknown_idf = math.log(1 + total)

    @property
    def size(self) -> int:
        return len(self._ids)

    def has_page(self, document: str) -> bool:
        """Whether any chunk comes from this document (a snapshot merged into another has none)."""
        return document in self._page_row

    def on_page(self, chunk_id: str, document: str | None) -> bool:
        """Whether a chunk comes from `document` (any chunk, when no page is given)."""
        if document is None:
            return True
        row = self._row.get(chunk_id)
        return row is not None and self._page_of[row] == self._page_row.get(document, -1)

    def search(self, query: str, k: int, page: str | None = None) -> list[tuple[str, float]]:
        """The best `k` chunks by BM25 as (chunk id, score), best first; none that share no term.
        `page`: only chunks of that document."""
        rows = [self._term_row[t] for t in bm25_tokens(query, drop_stopwords=False) if t in self._term_row]
        if not rows or k <= 0:
            return []
        scores = np.zeros(len(self._ids), dtype=np.float32)
        for row in rows:
            start, end = int(self._ptr[row]), int(self._ptr[row + 1])
            scores[self._docs[start:end]] += self._data[start:end]
        if page is not None:
            scores[self._page_of != self._page_row.get(page, -1)] = 0.0
        hits = np.flatnonzero(scores)
        if len(hits) > k:
            hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
        order = sorted(hits.tolist(), key=lambda i: (-float(scores[i]), i))
        return [(str(self._ids[i]), float(scores[i])) for i in order]

    def people(self, question: str, page: str | None = None) -> list[PersonChunk]:
        """Quotes and comments of the people a question names (by any name token of three letters+);
        `page`: only those on that document."""
        found: dict[str, PersonChunk] = {}
        for token in _name_words(question):
            for chunk_id, is_quote in self._people.get(token, ()):
                if self.on_page(chunk_id, page):
                    found[chunk_id] = PersonChunk(chunk_id, is_quote)
        return list(found.values())

    # -- storage --------------------------------------------------------------
    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        meta = json.dumps({"format": FORMAT, "people": self._people}).encode()
        np.savez_compressed(
            buffer,
            ids=self._ids,
            terms=np.array(sorted(self._term_row, key=self._term_row.__getitem__)),
            data=self._data,
            docs=self._docs,
            ptr=self._ptr,
            stems=self._stems,
            stem_df=self._stem_df,
            documents=self._documents,
            page_of=self._page_of,
            meta=np.frombuffer(meta, dtype=np.uint8),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, raw: bytes) -> LexicalIndex:
        with np.load(io.BytesIO(raw), allow_pickle=False) as arrays:
            meta = json.loads(arrays["meta"].tobytes())
            if meta.get("format") != FORMAT:
                raise ValueError(f"lexical index format {meta.get('format')} is not {FORMAT}")
            people = {k: [(str(i), bool(q)) for i, q in v] for k, v in meta["people"].items()}
            return cls(
                ids=arrays["ids"],
                terms=arrays["terms"],
                postings=(arrays["data"], arrays["docs"], arrays["ptr"]),
                stems=arrays["stems"],
                stem_df=arrays["stem_df"],
                people=people,
                pages=(arrays["documents"], arrays["page_of"]),
            )


class LexicalBuilder:
    """Collects chunks one at a time (from a build, or paged out of a store) and makes a `LexicalIndex`."""

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._terms: dict[str, int] = {}
        self._term_of = array("i")
        self._doc_of = array("i")
        self._tf = array("i")
        self._lengths = array("i")
        self._stem_df: Counter[str] = Counter()
        self._people: dict[str, list[tuple[str, bool]]] = {}
        self._documents: dict[str, int] = {}
        self._page_of = array("i")

    def add(self, chunk_id: str, text: str, metadata: Mapping[str, Any]) -> None:
        """One chunk: `text` is what was embedded (the node text), `metadata` its stored metadata."""
        doc = len(self._ids)
        self._ids.append(chunk_id)
        document = str(metadata.get("document") or "")
        self._page_of.append(self._documents.setdefault(document, len(self._documents)))
        tokens = bm25_tokens(text)
        self._lengths.append(len(tokens))
        for term, count in Counter(tokens).items():
            self._term_of.append(self._terms.setdefault(term, len(self._terms)))
            self._doc_of.append(doc)
            self._tf.append(count)
        self._stem_df.update(set(content_stems(text)))
        person = person_of(metadata)
        if person:
            for token in name_tokens(person):
                is_quote = metadata.get("kind") == ChunkKind.EXPERT_QUOTE
                self._people.setdefault(token, []).append((chunk_id, is_quote))

    def add_all(self, items: Iterable[tuple[str, str, Mapping[str, Any]]]) -> LexicalBuilder:
        for chunk_id, text, metadata in items:
            self.add(chunk_id, text, metadata)
        return self

    def finish(self) -> LexicalIndex:
        n_docs = len(self._ids)
        term_of = np.frombuffer(self._term_of, dtype=np.int32)
        doc_of = np.frombuffer(self._doc_of, dtype=np.int32)
        tf = np.frombuffer(self._tf, dtype=np.int32).astype(np.float32)
        lengths = np.frombuffer(self._lengths, dtype=np.int32).astype(np.float32)
        n_terms = len(self._terms)
        df = np.bincount(term_of, minlength=n_terms).astype(np.float32)
        idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        avg_length = float(lengths.mean()) if n_docs else 1.0
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / (avg_length or 1.0))
        scores = (idf[term_of] * tf / (tf + norm[doc_of])).astype(np.float32)
        order = np.lexsort((doc_of, term_of))  # postings grouped by term, documents ascending
        ptr = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_of, minlength=n_terms), out=ptr[1:])
        stems = sorted(self._stem_df)
        return LexicalIndex(
            ids=np.array(self._ids, dtype=str),
            terms=np.array(sorted(self._terms, key=self._terms.__getitem__), dtype=str),
            postings=(scores[order], doc_of[order], ptr),
            stems=np.array(stems, dtype=str),
            stem_df=np.array([self._stem_df[s] for s in stems], dtype=np.int32),
            people=self._people,
            pages=(
                np.array(sorted(self._documents, key=self._documents.__getitem__), dtype=str),
                np.frombuffer(self._page_of, dtype=np.int32).copy(),
            ),
        )


def lexical_key(version: str) -> str:
    return f"lexical-{version}"


def build_lexical(chunks: Iterable[Chunk]) -> LexicalIndex:
    """The lexical index of a build's chunks (node text = the embedded text, metadata as stored)."""
    return LexicalBuilder().add_all((c.chunk_id, c.embed_text, chunk_metadata(c)) for c in chunks).finish()


def save_lexical(store: ChunkStore, version: str, index: LexicalIndex) -> None:
    store.save_blob(lexical_key(version), index.to_bytes())


def load_lexical(store: ChunkStore, manifest: Manifest) -> LexicalIndex:
    """The stored lexical index of the active version; an index built before it existed gets one now,
    made by paging through the collection (once: it is stored for the next start)."""
    raw = store.blob(lexical_key(manifest.version))
    if raw is not None:
        try:
            return LexicalIndex.from_bytes(raw)
        except (ValueError, KeyError):
            pass  # an older format: made again below
    index = LexicalBuilder().add_all(store.iter_chunks(manifest.collection)).finish()
    save_lexical(store, manifest.version, index)
    return index
