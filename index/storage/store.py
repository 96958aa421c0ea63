"""Chroma storage: versioned chunk collections plus a small manifest collection.

Each build writes its chunks into a collection named after the index version, then flips the
manifest to it in one upsert and drops older collections. A build interrupted half-way never
touches the active collection, so the previous index stays usable; the half-built collection is
reused (or dropped) by the next build.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings
from llama_index.core.schema import TextNode
from llama_index.vector_stores.chroma import ChromaVectorStore

from index.errors import IndexMissingError, UserError
from index.settings import IndexSettings

MANIFEST_ID = "manifest"
PAGE_PREFIX = "page:"
RECORDS_ID = "records"
BLOB_PREFIX = "blob:"
# A blob is stored as base64 parts in metadata (documents would be full-text indexed); a part stays far
# below any request-size limit of a Chroma server.
BLOB_PART_CHARS = 4_000_000
# Values bound in one query (ids, content hashes): SQLite caps the variables of one statement.
ID_BATCH = 1000
# Rows per `get` when paging through a collection with limit/offset (5,000: half the time of 1,000 at 100k).
PAGE_ROWS = 5000


@dataclass(frozen=True)
class Manifest:
    """What the active index holds."""

    version: str
    collection: str
    embedder: str
    sources: dict[str, str]
    counts: dict[str, int]
    built_at: str

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> Manifest:
        data = json.loads(raw)
        data.pop("settings", None)  # an unused field of indexes built before 2026-12
        return cls(**data)


def open_client(settings: IndexSettings) -> Any:
    """Chroma on disk under the index dir by default, or a Chroma server when `chroma_url` is set."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if not url.hostname:
            raise UserError(f"chroma_url {settings.chroma_url!r} is not a URL like http://host:8000")
        try:
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:
            raise UserError(f"cannot reach the Chroma server at {settings.chroma_url}: {exc}") from exc
    path = settings.index_dir / "chroma"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the index folder {path}: {exc.strerror}") from exc
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


class ChunkStore:
    """The project's view of Chroma: manifest, stored pages and versioned chunk collections."""

    def __init__(self, client: Any, prefix: str) -> None:
        self._client = client
        self._prefix = prefix
        self._manifest_col = client.get_or_create_collection(
            f"{prefix}-manifest", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )

    # -- manifest and pages -------------------------------------------------
    def manifest(self) -> Manifest | None:
        got = self._manifest_col.get(ids=[MANIFEST_ID], include=["documents"])
        if not got["ids"]:
            return None
        return Manifest.from_json(got["documents"][0])

    def require_manifest(self) -> Manifest:
        manifest = self.manifest()
        if manifest is None or not self.has_collection(manifest.collection):
            raise IndexMissingError("there is no index yet: run `expert-chat build` first")
        return manifest

    def save_pages(self, pages: dict[str, str]) -> None:
        """Store the page texts (citations are checked against them, also with a remote Chroma)."""
        if not pages:
            return
        ids = [PAGE_PREFIX + name for name in pages]
        self._manifest_col.upsert(
            ids=ids,
            documents=list(pages.values()),
            embeddings=[[0.0, 0.0, 1.0]] * len(ids),
            metadatas=[{"type": "page"}] * len(ids),
        )

    def page_texts(self, documents: Sequence[str]) -> dict[str, str]:
        got = self._manifest_col.get(ids=[PAGE_PREFIX + d for d in documents], include=["documents"])
        return {i[len(PAGE_PREFIX) :]: doc for i, doc in zip(got["ids"], got["documents"], strict=True)}

    def activate(self, manifest: Manifest) -> None:
        """Point the index at a finished collection: one upsert, so readers see old or new."""
        self._manifest_col.upsert(
            ids=[MANIFEST_ID],
            documents=[manifest.to_json()],
            embeddings=[[0.0, 0.0, 1.0]],
            metadatas=[{"type": "manifest", "version": manifest.version}],
        )

    def save_records(self, records: dict[str, Any]) -> None:
        """What the active index understood of its pages (quotes, comments), listed by the CLI."""
        self._manifest_col.upsert(
            ids=[RECORDS_ID],
            documents=[json.dumps(records, ensure_ascii=False)],
            embeddings=[[0.0, 0.0, 1.0]],
            metadatas=[{"type": "records"}],
        )

    def records(self) -> dict[str, Any]:
        got = self._manifest_col.get(ids=[RECORDS_ID], include=["documents"])
        return json.loads(got["documents"][0]) if got["ids"] else {}

    def save_blob(self, key: str, raw: bytes) -> None:
        """Store bytes every app process can read (the lexical index), replacing an older blob of that key."""
        text = base64.b64encode(raw).decode("ascii")
        parts = [text[i : i + BLOB_PART_CHARS] for i in range(0, len(text), BLOB_PART_CHARS)] or [""]
        self.drop_blob(key)
        for number, part in enumerate(parts):
            self._manifest_col.upsert(
                ids=[f"{BLOB_PREFIX}{key}:{number}"],
                embeddings=[[0.0, 0.0, 1.0]],
                metadatas=[{"type": "blob", "key": key, "part": number, "parts": len(parts), "data": part}],
            )

    def blob(self, key: str) -> bytes | None:
        """The stored bytes, or None when they are missing or incomplete."""
        first = self._manifest_col.get(ids=[f"{BLOB_PREFIX}{key}:0"], include=["metadatas"])
        if not first["ids"]:
            return None
        count = int(first["metadatas"][0]["parts"])
        parts = [str(first["metadatas"][0]["data"])]
        for number in range(1, count):
            got = self._manifest_col.get(ids=[f"{BLOB_PREFIX}{key}:{number}"], include=["metadatas"])
            if not got["ids"]:
                return None
            parts.append(str(got["metadatas"][0]["data"]))
        return base64.b64decode("".join(parts))

    def has_blob(self, key: str) -> bool:
        return bool(self._manifest_col.get(ids=[f"{BLOB_PREFIX}{key}:0"], include=[])["ids"])

    def drop_blob(self, key: str) -> None:
        got = self._manifest_col.get(where={"key": key}, include=[])
        if got["ids"]:
            self._manifest_col.delete(ids=got["ids"])

    def drop_blobs_except(self, keep: Sequence[str]) -> None:
        got = self._manifest_col.get(where={"type": "blob"}, include=["metadatas"])
        stale = [i for i, meta in zip(got["ids"], got["metadatas"], strict=True) if meta["key"] not in keep]
        if stale:
            self._manifest_col.delete(ids=stale)

    def drop_pages_except(self, keep: Sequence[str]) -> None:
        got = self._manifest_col.get(where={"type": "page"}, include=[])
        stale = [i for i in got["ids"] if i[len(PAGE_PREFIX) :] not in set(keep)]
        if stale:
            self._manifest_col.delete(ids=stale)

    # -- chunk collections --------------------------------------------------
    def collection_name(self, version: str) -> str:
        return f"{self._prefix}-{version}"

    def has_collection(self, name: str) -> bool:
        return name in {c.name for c in self._client.list_collections()}

    def collection(self, name: str) -> Any:
        return self._client.get_or_create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )

    def vector_store(self, name: str) -> ChromaVectorStore:
        return ChromaVectorStore(chroma_collection=self.collection(name))

    def existing_ids(self, name: str, ids: Sequence[str]) -> set[str]:
        if not ids or not self.has_collection(name):
            return set()
        collection = self.collection(name)
        return {i for batch in _batches(ids) for i in collection.get(ids=batch, include=[])["ids"]}

    def copy_records(self, source: str, target: str, ids: Sequence[str]) -> int:
        """Copy stored records (with their embeddings) so unchanged chunks are not re-embedded."""
        copied = 0
        for batch in _batches(ids):
            got = self.collection(source).get(ids=batch, include=["embeddings", "documents", "metadatas"])
            if got["ids"]:
                self.collection(target).upsert(
                    ids=got["ids"],
                    embeddings=got["embeddings"],
                    documents=got["documents"],
                    metadatas=got["metadatas"],
                )
            copied += len(got["ids"])
        return copied

    def embeddings_by_hash(self, name: str, hashes: Sequence[str]) -> dict[str, list[float]]:
        """Stored vectors of chunks whose embedded text is unchanged (looked up by content hash)."""
        if not hashes or not self.has_collection(name):
            return {}
        found: dict[str, list[float]] = {}
        for batch in _batches(hashes):
            got = self.collection(name).get(
                where={"embed_hash": {"$in": batch}}, include=["embeddings", "metadatas"]
            )
            for meta, vector in zip(got["metadatas"], got["embeddings"], strict=True):
                found[str(meta["embed_hash"])] = list(map(float, vector))
        return found

    def add_nodes(self, name: str, nodes: Sequence[TextNode]) -> None:
        self.vector_store(name).add(list(nodes))

    def count(self, name: str) -> int:
        return int(self.collection(name).count())

    def nodes(self, name: str, ids: Sequence[str]) -> list[TextNode]:
        """These stored chunks as LlamaIndex nodes, in the order asked; missing ones left out."""
        if not ids:
            return []
        got = self.vector_store(name).get_nodes(node_ids=list(ids))
        found = {n.node_id: n for n in got if isinstance(n, TextNode)}
        return [found[i] for i in ids if i in found]

    def embeddings(self, name: str, ids: Sequence[str]) -> dict[str, list[float]]:
        """The stored vectors of these chunks (to score candidates the dense search did not return)."""
        if not ids:
            return {}
        got = self.collection(name).get(ids=list(ids), include=["embeddings"])
        return {i: list(map(float, v)) for i, v in zip(got["ids"], got["embeddings"], strict=True)}

    def iter_chunks(self, name: str, rows: int | None = None) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Every stored chunk as (id, node text, metadata), fetched a page at a time (any size works)."""
        collection = self.collection(name)
        rows = rows or PAGE_ROWS
        offset = 0
        while True:
            got = collection.get(limit=rows, offset=offset, include=["documents", "metadatas"])
            yield from zip(got["ids"], got["documents"], got["metadatas"], strict=True)
            if len(got["ids"]) < rows:
                return
            offset += rows

    def iter_metadata(
        self, name: str, where: dict[str, Any] | None = None, rows: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """The stored metadata of the chunks matching `where` (e.g. {"kind": "comment"}), page by page."""
        collection = self.collection(name)
        rows = rows or PAGE_ROWS
        offset = 0
        while True:
            got = collection.get(where=where, limit=rows, offset=offset, include=["metadatas"])
            yield from got["metadatas"]
            if len(got["ids"]) < rows:
                return
            offset += rows

    def all_nodes(self, name: str) -> list[TextNode]:
        """Every stored chunk as a LlamaIndex node, fetched page by page (small collections only: tests)."""
        collection = self.collection(name)
        found: list[TextNode] = []
        for offset in range(0, collection.count(), PAGE_ROWS):
            ids = collection.get(limit=PAGE_ROWS, offset=offset, include=[])["ids"]
            for batch in _batches(ids):
                found.extend(self.nodes(name, batch))
        return found

    def drop_collections_except(self, keep: str) -> list[str]:
        dropped = []
        for col in self._client.list_collections():
            name = col.name
            if name.startswith(self._prefix + "-") and name not in (keep, f"{self._prefix}-manifest"):
                self._client.delete_collection(name)
                dropped.append(name)
        return dropped


def _batches(values: Sequence[str]) -> Iterator[list[str]]:
    """At most ID_BATCH values per query: SQLite caps the variables one statement may bind."""
    for start in range(0, len(values), ID_BATCH):
        yield list(values[start : start + ID_BATCH])


def open_store(settings: IndexSettings) -> ChunkStore:
    return ChunkStore(open_client(settings), settings.collection)
