"""No Chroma query binds more than a page of values: builds, rebuilds and full passes work at any size.

At 100k chunks one `get` of every id failed with SQLite's "too many SQL variables". Here the page size is
cut to 7 so the real pages (about a hundred chunks) need many pages, and every `get` is checked.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from chromadb.api.models.Collection import Collection

import index.storage.store
from assistant.app import App
from index.storage.lexical import lexical_key, load_lexical
from tests.conftest import EARLIER_PAGE, LATER_PAGE, make_settings

PAGE = 7


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Pages of 7 rows; records how many ids, hashes or rows each `get` asked for."""
    monkeypatch.setattr(index.storage.store, "PAGE_ROWS", PAGE)
    monkeypatch.setattr(index.storage.store, "ID_BATCH", PAGE)
    sizes: list[int] = []
    real_get = Collection.get

    def counted_get(self: Collection, *args: Any, **kwargs: Any) -> Any:
        where = kwargs.get("where") or {}
        hashes = where.get("embed_hash", {}).get("$in", []) if isinstance(where, dict) else []
        sizes.append(max(len(kwargs.get("ids") or []), len(hashes), kwargs.get("limit") or 0))
        return real_get(self, *args, **kwargs)

    monkeypatch.setattr(Collection, "get", counted_get)
    return sizes


def test_build_rebuild_and_full_passes_stay_within_a_page(tmp_path: Path, small_pages: list[int]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for page in (LATER_PAGE, EARLIER_PAGE):
        shutil.copy(page, data / page.name)
    app = App(make_settings(tmp_path / "home", data_dir=data))
    first = app.build(progress=False)
    later = data / LATER_PAGE.name
    later.write_text(
        later.read_text(encoding="utf-8").replace(
            "Layers add layers of abstraction which makes the model more complex/opaque.",
            "Layers add layers of abstraction which makes the model more complex and opaque.",
        ),
        encoding="utf-8",
    )
    second = app.build(progress=False)
    assert second.reused == second.chunks - second.embedded and second.reused > PAGE
    manifest = app.store.require_manifest()
    assert len(app.store.all_nodes(manifest.collection)) == second.chunks == first.chunks
    comments = list(app.store.iter_metadata(manifest.collection, where={"kind": "comment"}))
    assert comments and all(m["kind"] == "comment" for m in comments)
    app.store.drop_blob(lexical_key(manifest.version))
    assert load_lexical(app.store, manifest).size == second.chunks  # made again by paging
    assert max(small_pages) <= PAGE
