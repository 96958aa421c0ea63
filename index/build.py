"""Build the index: read -> parse -> merge -> chunk -> embed (only what is new) -> store -> activate."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from index.errors import PageError, UserError
from index.merge import merge_pages
from index.parse import NO_QUOTES_NOTE, NO_THREAD_NOTE, parse_page
from index.reading.sources import discover_sources, read_page
from index.records import Chunk, Comment, Corpus, Quote
from index.settings import IndexSettings
from index.storage.chunk import chunk_corpus, to_nodes
from index.storage.embed import Embedder
from index.storage.lexical import build_lexical, lexical_key, save_lexical
from index.storage.store import ChunkStore, Manifest
from index.threads.roles import with_roles

EMBED_BATCH = 32


@dataclass(frozen=True)
class BuildSummary:
    """What a build did, printed by `expert-chat build`."""

    version: str
    documents: int
    quotes: int
    comments: int
    chunks: int
    embedded: int
    reused: int
    seconds: float
    up_to_date: bool
    warnings: tuple[str, ...]
    notes: tuple[str, ...] = ()  # pages without quotes or without a thread: information, not warnings

    def line(self) -> str:
        state = "index up to date" if self.up_to_date else f"index {self.version} built"
        return (
            f"{state}: {self.documents} documents, {self.quotes} quotes, {self.comments} comments, "
            f"{self.chunks} chunks ({self.embedded} embedded, {self.reused} reused) in {self.seconds:.1f} s"
            + self.notes_line()
        )

    def notes_line(self) -> str:
        """ "; 3 pages without quotes, 12 without a comment thread" (empty when every page has both)."""
        no_quotes = sum(1 for n in self.notes if n.endswith(NO_QUOTES_NOTE))
        no_thread = sum(1 for n in self.notes if n.endswith(NO_THREAD_NOTE))
        parts = [f"{no_quotes} page{'s' if no_quotes != 1 else ''} without quotes"] if no_quotes else []
        parts += [f"{no_thread} without a comment thread"] if no_thread else []
        return "; " + ", ".join(parts) if parts else ""


def resolve_sources(settings: IndexSettings, sources: Sequence[Path] | None) -> list[Path]:
    """The given files (a folder stands for the pages in it), or every page in the data dir."""
    if sources:
        paths: list[Path] = []
        for source in map(Path, sources):
            pages = discover_sources(source) if source.is_dir() else [source]
            if source.is_dir() and not pages:
                raise UserError(f"no course pages found in {source} (expected .txt, .md or .html files)")
            paths.extend(pages)
        return paths
    found = discover_sources(settings.data_dir)
    if not found:
        raise UserError(f"no course pages found in {settings.data_dir} (expected .txt, .md or .html files)")
    return found


def load_corpus(settings: IndexSettings, sources: Sequence[Path] | None = None) -> Corpus:
    """Read and understand the pages; any unreadable page stops here, before the index is touched."""
    paths = resolve_sources(settings, sources)
    pages = [read_page(p, max_bytes=settings.max_page_bytes) for p in paths]
    names = [p.document for p in pages]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise PageError(f"two sources share the file name {sorted(duplicates)[0]!r}; rename one")
    bar = tqdm(pages, desc="reading pages", unit="page", disable=None if len(pages) > 3 else True)
    parsed = [parse_page(p, extra_site_authors=settings.site_authors) for p in bar]
    return with_roles(merge_pages(parsed))


def indexed_corpus(store: ChunkStore) -> tuple[list[Quote], list[Comment]]:
    """The quotes and comments of the active index (what `build` understood of its pages)."""
    store.require_manifest()
    records = store.records()
    quotes = [Quote.from_json(q) for q in records.get("quotes", [])]
    comments = [Comment.from_json(c) for c in records.get("comments", [])]
    return quotes, comments


def index_version(chunks: Sequence[Chunk], embedder_name: str, page_digests: Sequence[str] = ()) -> str:
    """Names what an index holds: its chunks, the embedder, and the pages' contents (so an edit
    that changes no chunk, e.g. to a thank-you comment, still refreshes what the index lists)."""
    digest = hashlib.sha256(embedder_name.encode())
    for chunk_id in sorted(c.chunk_id for c in chunks):
        digest.update(chunk_id.encode())
    for page in sorted(page_digests):
        digest.update(page.encode())
    return digest.hexdigest()[:12]


def build_index(
    settings: IndexSettings,
    store: ChunkStore,
    embedder: Embedder,
    sources: Sequence[Path] | None = None,
    *,
    progress: bool = True,
) -> BuildSummary:
    """Build or refresh the index; unchanged chunks keep their stored embeddings."""
    started = time.perf_counter()
    corpus = load_corpus(settings, sources)
    chunks = chunk_corpus(corpus)
    if not chunks:
        raise PageError("the pages hold nothing to index (no article text, quotes or comments found)")
    version = index_version(chunks, embedder.name, [p.page.sha256 for p in corpus.pages])
    target = store.collection_name(version)
    current = store.manifest()
    ids = [c.chunk_id for c in chunks]

    def summary(embedded: int, reused: int, up_to_date: bool) -> BuildSummary:
        return BuildSummary(
            version=version,
            documents=len(corpus.pages),
            quotes=len(corpus.quotes),
            comments=len(corpus.comments),
            chunks=len(chunks),
            embedded=embedded,
            reused=reused,
            seconds=time.perf_counter() - started,
            up_to_date=up_to_date,
            warnings=corpus.warnings,
            notes=corpus.notes,
        )

    if (
        current
        and current.version == version
        and store.has_collection(target)
        and store.count(target) == len(ids)
    ):
        if not store.has_blob(lexical_key(version)):  # built before the lexical index was stored
            save_lexical(store, version, build_lexical(chunks))
        return summary(0, len(ids), True)

    embedded, reused = _store_chunks(store, current, target, chunks, embedder, progress=progress)

    if store.count(target) != len(ids):
        raise UserError(
            f"index build incomplete ({store.count(target)} of {len(ids)} chunks stored); rerun build"
        )
    save_lexical(store, version, build_lexical(chunks))
    store.save_pages({p.document: p.page.text for p in corpus.pages})
    store.save_records(
        {"quotes": [q.to_json() for q in corpus.quotes], "comments": [c.to_json() for c in corpus.comments]}
    )
    store.activate(
        Manifest(
            version=version,
            collection=target,
            embedder=embedder.name,
            sources={p.document: p.page.sha256 for p in corpus.pages},
            counts={
                "documents": len(corpus.pages),
                "quotes": len(corpus.quotes),
                "comments": len(corpus.comments),
                "chunks": len(chunks),
            },
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )
    store.drop_collections_except(target)
    store.drop_blobs_except([lexical_key(version)])
    store.drop_pages_except([p.document for p in corpus.pages])
    return summary(embedded, reused, False)


def _store_chunks(
    store: ChunkStore,
    current: Manifest | None,
    target: str,
    chunks: Sequence[Chunk],
    embedder: Embedder,
    *,
    progress: bool,
) -> tuple[int, int]:
    """Put every chunk into the target collection, embedding only new texts: (embedded, reused)."""
    ids = [c.chunk_id for c in chunks]
    # Reuse: records already in the target (an interrupted build) or in the active collection.
    have = store.existing_ids(target, ids)
    reused = len(have)
    if current and current.collection != target and store.has_collection(current.collection):
        wanted = [i for i in ids if i not in have]
        from_active = store.existing_ids(current.collection, wanted)
        reused += store.copy_records(current.collection, target, sorted(from_active))
        have |= from_active
    missing = to_nodes(c for c in chunks if c.chunk_id not in have)
    # Chunks that only moved within their page (an edit earlier in it) keep their vectors.
    known: dict[str, list[float]] = {}
    if current and missing:
        known = store.embeddings_by_hash(current.collection, [str(n.metadata["embed_hash"]) for n in missing])
    moved = [n for n in missing if n.metadata["embed_hash"] in known]
    for node in moved:
        node.embedding = known[str(node.metadata["embed_hash"])]
    if moved:
        store.add_nodes(target, moved)
    reused += len(moved)
    nodes = [n for n in missing if n.embedding is None]

    bar = tqdm(total=len(nodes), desc="embedding chunks", unit="chunk", disable=not progress or not nodes)
    for start in range(0, len(nodes), EMBED_BATCH):
        batch = nodes[start : start + EMBED_BATCH]
        vectors = embedder.embed_documents([n.text for n in batch])
        for node, vector in zip(batch, vectors, strict=True):
            node.embedding = vector
        store.add_nodes(target, batch)
        bar.update(len(batch))
    bar.close()
    return len(nodes), reused
