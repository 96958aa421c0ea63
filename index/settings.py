"""The index's own settings section: plain values handed down by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.vocabulary import EmbedderKind


@dataclass(frozen=True)
class IndexSettings:
    """What the index layer needs to read pages and reach the store; built from the app's settings."""

    data_dir: Path
    index_dir: Path
    chroma_url: str | None = None
    collection: str = "course"
    embedder: EmbedderKind = EmbedderKind.MINILM_ONNX
    site_authors: tuple[str, ...] = ()
    max_page_bytes: int = 20_000_000
