"""The lexical index built at build time: same BM25 as llama-index's BM25Retriever, stored with the index,
loaded without fetching every chunk (real pages, real Chroma on a temp dir, hash embedder)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from llama_index.core.schema import QueryBundle
from llama_index.retrievers.bm25 import BM25Retriever

from assistant.app import App
from assistant.settings import Settings
from index.storage.lexical import LexicalIndex, lexical_key, load_lexical
from index.storage.store import ChunkStore
from index.terms import content_stems

QUESTIONS = [
    "What did Jeff Dean say about depth?",
    "Is SVM still useful?",
    "Why does deep learning keep improving with more data?",
    "hierarchical feature learning",
    "Can you recommend a book for beginners?",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> App:
    from tests.conftest import make_settings

    app = App(make_settings(tmp_path_factory.mktemp("lexical") / "home"))
    app.build(progress=False)
    return app


def _lexical(app: App) -> LexicalIndex:
    return load_lexical(app.store, app.store.require_manifest())


def test_bm25_matches_llama_index_bm25_retriever(built: App) -> None:
    nodes = built.store.all_nodes(built.store.require_manifest().collection)
    reference = BM25Retriever.from_defaults(nodes=list(nodes), similarity_top_k=20)
    lexical = _lexical(built)
    for question in QUESTIONS:
        expected = [
            (n.node.node_id, float(n.score or 0))
            for n in reference.retrieve(QueryBundle(question))
            if (n.score or 0) > 0
        ]
        got = lexical.search(question, 20)
        assert [round(s, 4) for _, s in got] == [round(s, 4) for _, s in expected], question
        # Equal scores may come in either order: the ids at each score agree (but at the cut-off score).
        assert _by_score(got) == _by_score(expected), question


def _by_score(hits: list[tuple[str, float]]) -> dict[float, set[str]]:
    groups: dict[float, set[str]] = {}
    for chunk_id, score in hits:
        groups.setdefault(round(score, 4), set()).add(chunk_id)
    groups.pop(min(groups, default=0.0), None)
    return groups


def test_word_weights_and_people_as_computed_from_every_chunk(built: App) -> None:
    nodes = built.store.all_nodes(built.store.require_manifest().collection)
    doc_freq: Counter[str] = Counter()
    for node in nodes:
        doc_freq.update(set(content_stems(node.get_content())))
    lexical = _lexical(built)
    assert lexical.idf == pytest.approx({s: math.log(1 + len(nodes) / df) for s, df in doc_freq.items()})
    assert lexical.unknown_idf == pytest.approx(math.log(1 + len(nodes)))
    dean = lexical.people("What did Dean say?")
    by_id = {n.node_id: n for n in nodes}
    assert dean and all(by_id[p.chunk_id].metadata["speaker"] == "Jeff Dean" for p in dean)
    assert all(p.is_quote for p in dean)
    assert lexical.people("What did the capital of France say?") == []
    # A reader who commented is a person a student may name too.
    amer = lexical.people("What did Ibrahim Amer reply about CNN and SVM?")
    assert amer and all(by_id[p.chunk_id].metadata["author"] == "Ibrahim Amer" for p in amer)
    assert not any(p.is_quote for p in amer)


def test_stored_beside_the_collection_and_replaced_by_the_next_build(built: App, settings: Settings) -> None:
    manifest = built.store.require_manifest()
    raw = built.store.blob(lexical_key(manifest.version))
    assert raw is not None
    again = LexicalIndex.from_bytes(raw)
    assert again.search("Jeff Dean depth", 5) == _lexical(built).search("Jeff Dean depth", 5)


def test_an_index_without_a_stored_lexical_index_gets_one_by_paging(
    built: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = built.store
    manifest = store.require_manifest()
    expected = _lexical(built).search("Is SVM still useful?", 10)
    store.drop_blob(lexical_key(manifest.version))
    pages: list[int] = []
    real_iter = ChunkStore.iter_chunks

    def small_pages(
        self: ChunkStore, name: str, rows: int | None = 50
    ) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for item in real_iter(self, name, rows=50):
            pages.append(1)
            yield item

    monkeypatch.setattr(ChunkStore, "iter_chunks", small_pages)
    rebuilt = load_lexical(store, manifest)
    assert rebuilt.search("Is SVM still useful?", 10) == expected
    assert len(pages) == rebuilt.size == store.count(manifest.collection)
    assert store.has_blob(lexical_key(manifest.version)), "stored for the next start"


def test_retriever_starts_without_fetching_every_chunk(built: App, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("start-up fetched every chunk")

    monkeypatch.setattr(ChunkStore, "all_nodes", refuse)
    monkeypatch.setattr(ChunkStore, "iter_chunks", refuse)
    app = App(built.settings)
    result = app.assistant.retrieve("What did Jeff Dean say about depth?")
    assert any(p.speaker == "Jeff Dean" for p in result.passages)
    named = app.assistant.retrieve("What did Hinton say?")
    assert any(p.speaker and "Hinton" in p.speaker for p in named.passages)


def test_a_speaker_the_page_only_describes_names_no_one() -> None:
    """ "an unnamed engineer", "unknown" or a quote signed "Engineer at a major automaker" says who spoke, not
    a name: a question with "engineer", "major" or "unknown" in it names no one ("US military" does)."""
    from index.storage.lexical import LexicalBuilder
    from index.vocabulary import ChunkKind

    speakers = {
        "q1": ("Engineer at a major automaker", True),
        "q2": ("an unnamed engineer", True),
        "q3": ("unknown", False),  # an index built before the flag was stored
        "q4": ("US military", False),
    }
    builder = LexicalBuilder()
    for chunk_id, (speaker, described) in speakers.items():
        meta = {"kind": ChunkKind.EXPERT_QUOTE.value, "speaker": speaker, "speaker_unknown": described}
        builder.add(chunk_id, f"Words said by {speaker} about the crash.", meta)
    lexical = builder.finish()
    assert lexical.people("What did the engineer at the major automaker say? Is it unknown?") == []
    assert [p.chunk_id for p in lexical.people("Did the US military think it was enemy fire?")] == ["q4"]


def test_a_quote_signed_with_a_description_is_stored_as_unnamed(tmp_path: Path) -> None:
    from index.records import Corpus
    from index.storage.chunk import chunk_corpus, chunk_metadata
    from tests.synthetic_page import parse_written

    page = parse_written(
        tmp_path,
        "survey.md",
        '---\ntitle: "Shipping firmware under audit"\ndate: 2025-06-10\n---\n\n'
        "We asked engineers who ship firmware under audit what slows them down.\n\n"
        '> "Every dependency we add has to be argued for in a review that takes an afternoon." -- Lead\n'
        "> developer at a pump manufacturer\n",
    )
    [quote] = page.quotes
    assert quote.speaker == "Lead developer at a pump manufacturer" and quote.speaker_unknown
    corpus = Corpus(pages=(page,), sections=page.sections, quotes=page.quotes, comments=page.comments)
    assert [chunk_metadata(c).get("speaker_unknown") for c in chunk_corpus(corpus) if c.speaker] == [True]
