"""Index building: real pages into a real Chroma on a temp dir; idempotent, atomic, safe on bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.app import App
from assistant.errors import PageError, UserError
from assistant.settings import Settings
from index.build import build_index, indexed_corpus
from index.testing import HashEmbedder
from tests.conftest import EARLIER_PAGE, LATER_PAGE, make_settings
from tests.synthetic_page import write_synthetic_page


class CountingEmbedder(HashEmbedder):
    """The hash embedder, counting how many texts it embedded."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded = 0

    def embed_documents(self, texts):  # type: ignore[no-untyped-def]
        self.embedded += len(texts)
        return super().embed_documents(texts)


def _copy_pages(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for page in (LATER_PAGE, EARLIER_PAGE):
        shutil.copy(page, data / page.name)
    return data


def test_build_indexes_the_real_pages(settings: Settings) -> None:
    app = App(settings)
    summary = app.build(progress=False)
    assert summary.documents == 2
    assert summary.quotes == 19
    assert summary.comments >= 206
    assert summary.chunks == app.store.count(app.store.require_manifest().collection)
    kinds = {n.metadata["kind"] for n in app.store.all_nodes(app.store.require_manifest().collection)}
    assert kinds == {"expert_quote", "article", "comment"}


def test_rebuild_of_unchanged_sources_embeds_nothing(settings: Settings) -> None:
    embedder = CountingEmbedder()
    app = App(settings, embedder=embedder)
    first = app.build(progress=False)
    assert embedder.embedded == first.chunks
    again = app.build(progress=False)
    assert again.up_to_date and again.embedded == 0
    assert embedder.embedded == first.chunks


def test_changed_source_replaces_only_its_chunks(tmp_path: Path) -> None:
    data = _copy_pages(tmp_path)
    embedder = CountingEmbedder()
    app = App(make_settings(tmp_path / "home", data_dir=data), embedder=embedder)
    first = app.build(progress=False)
    old_collection = app.store.require_manifest().collection
    later = data / LATER_PAGE.name
    text = later.read_text(encoding="utf-8")
    later.write_text(
        text.replace(
            "Thanks for sharing. Informative Article.",
            "Thanks for sharing. A very informative article on deep networks.",
        ),
        encoding="utf-8",
    )
    embedder.embedded = 0
    second = app.build(progress=False)
    assert not second.up_to_date
    # A thank-you is not evidence (no chunk), yet the index lists the edited comment.
    assert second.embedded == 0
    comments = indexed_corpus(app.store)[1]
    assert any("very informative article on deep networks" in c.text for c in comments)
    later.write_text(
        later.read_text(encoding="utf-8").replace(
            "Layers add layers of abstraction which makes the model more complex/opaque.",
            "Layers add layers of abstraction which makes the model more complex and opaque.",
        ),
        encoding="utf-8",
    )
    embedder.embedded = 0
    second = app.build(progress=False)
    assert 1 <= second.embedded <= 3  # the edited reply (and nothing else) is embedded again
    assert second.reused == second.chunks - second.embedded
    manifest = app.store.require_manifest()
    assert manifest.collection != old_collection
    assert not app.store.has_collection(old_collection)
    texts = [n.metadata["text"] for n in app.store.all_nodes(manifest.collection)]
    assert any("more complex and opaque" in t for t in texts)
    assert first.chunks == second.chunks


def test_interrupted_build_leaves_previous_index_usable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("index.build.EMBED_BATCH", 4)  # several batches, so one can be interrupted
    data = _copy_pages(tmp_path)
    settings = make_settings(tmp_path / "home", data_dir=data)
    app = App(settings)
    app.build(progress=False)
    before = app.store.require_manifest()

    class Exploding(HashEmbedder):
        calls = 0

        def embed_documents(self, texts):  # type: ignore[no-untyped-def]
            Exploding.calls += 1
            if Exploding.calls > 1:
                raise KeyboardInterrupt
            return super().embed_documents(texts)

    (data / EARLIER_PAGE.name).unlink()
    write_synthetic_page(data / "synthetic.txt")
    with pytest.raises(KeyboardInterrupt):
        build_index(settings.index, app.store, Exploding(), progress=False)
    after = app.store.require_manifest()
    assert after == before
    assert app.store.count(after.collection) == before.counts["chunks"]
    # The next build finishes the job, reusing what the interrupted one embedded.
    summary = App(settings).build(progress=False)
    assert summary.reused > 0 and not summary.up_to_date


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "not found"),
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00" * 100, "binary"),
    ],
)
def test_bad_source_gives_one_line_error_and_leaves_index_untouched(
    tmp_path: Path, settings: Settings, content: bytes | None, message: str
) -> None:
    app = App(settings)
    app.build(progress=False)
    before = app.store.require_manifest()
    bad = tmp_path / "bad.txt"
    if content is not None:
        bad.write_bytes(content)
    with pytest.raises(PageError) as info:
        app.build([LATER_PAGE, bad], progress=False)
    assert message in str(info.value).lower()
    assert "\n" not in str(info.value)
    assert app.store.require_manifest() == before


def test_huge_source_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (4_200_000))  # 21 MB
    app = App(make_settings(tmp_path / "home"))
    with pytest.raises(PageError, match=r"MB|bytes|large"):
        app.build([big], progress=False)
    with pytest.raises(UserError):
        app.store.require_manifest()


def test_build_other_page_in_the_same_style(tmp_path: Path) -> None:
    page = tmp_path / "other_course_page.txt"
    facts = write_synthetic_page(page)
    app = App(make_settings(tmp_path / "home"))
    summary = app.build([page], progress=False)
    assert summary.documents == 1
    assert summary.quotes == len(facts["quotes"])
    nodes = app.store.all_nodes(app.store.require_manifest().collection)
    speakers = {n.metadata.get("speaker") for n in nodes if n.metadata["kind"] == "expert_quote"}
    assert speakers == {q["speaker"] for q in facts["quotes"]}
    page_text = page.read_text(encoding="utf-8")
    for node in nodes:
        meta = node.metadata
        assert page_text[meta["char_start"] : meta["char_end"]] == meta["text"]


def test_pages_without_quotes_or_thread_are_noted_in_the_summary_not_warned(tmp_path: Path) -> None:
    page = tmp_path / "plain.txt"
    page.write_text(
        "Notes\n\nSome plain prose about a topic.\n\nAnother paragraph of prose.\n", encoding="utf-8"
    )
    summary = App(make_settings(tmp_path / "home")).build([page], progress=False)
    assert not summary.warnings  # `expert-chat build` prints each warning as "warning: ..."
    assert summary.line().endswith("; 1 page without quotes, 1 without a comment thread")
