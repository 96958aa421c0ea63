"""One benchmark run: our pipeline against a default LlamaIndex pipeline, the index at scale, a server
under concurrent clients. One process, one machine, one run; prints a table (or one JSON object).

    python bench/run.py [--json] [--questions N] [--scales 1000 10000 100000] [--clients 1,4,8,16]

1. build: the seed pages indexed cold into a fresh home, then again unchanged; embedding chunks/s.
2. ours: the quote questions asked warm (model loaded, fixed prompt prefix cached, as `expert-chat serve`
   does): first token, whole answer, retrieval; then one again (the cached answer); peak memory.
3. peer: the same questions through a plain LlamaIndex pipeline (bench/baseline_llamaindex.py): default
   VectorStoreIndex over the same pages, CitationQueryEngine, the same embedder, model and runtime.
4. scale: the seed chunks plus synthetic ones up to each size (vectors mixed from embedded synthetic texts,
   so the build does not spend an hour embedding); each index is opened by a fresh process that reports
   its start-up time, retrieval p50 and peak memory.
5. concurrency: `expert-chat serve` in a subprocess (its start time and the model requests it made before
   the first question), then for each N of --clients, N clients ask distinct questions at once over
   POST /api/ask/stream: answers per minute, time to the sources, to the first token and to the whole
   answer; "serial_8" is 8 clients on a second server with `model.batch_size` 1 (one answer at a time,
   the baseline), run right after the others.

Settings come from the environment like the product's (EXPERT_CHAT_EMBEDDER, EXPERT_CHAT_MODEL__KIND ...);
the bench smoke test runs it with the hash embedder and the fake model.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402
import numpy as np  # noqa: E402
from baseline_llamaindex import peer_llm, run_peer  # noqa: E402

from assistant.app import App  # noqa: E402
from assistant.evaluation.evaluate import load_questions  # noqa: E402
from assistant.models.files import ensure_model_file  # noqa: E402
from assistant.settings import ModelKind, Settings, load_settings  # noqa: E402
from assistant.writing.prompt import SYSTEM_PROMPT  # noqa: E402
from index.build import index_version, load_corpus  # noqa: E402
from index.records import Chunk  # noqa: E402
from index.storage.chunk import chunk_corpus, to_nodes  # noqa: E402
from index.storage.lexical import build_lexical, save_lexical  # noqa: E402
from index.storage.store import Manifest  # noqa: E402
from index.vocabulary import ChunkKind  # noqa: E402

DEV_QUESTIONS = ROOT / "eval" / "dev_questions.jsonl"
SCALE_QUESTIONS = 20
INSERT_BATCH = 1000
SYNTHETIC_NAMES = ("Mara Quell", "Ivo Brandt", "Sena Okoro", "Luis Ferrant", "Hana Ribe", "Tomas Eld")


def p50(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def p95(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# -- 1. seed build ------------------------------------------------------------------------------------
def seed_build(app: App) -> dict[str, Any]:
    started = time.perf_counter()
    cold = app.build(progress=False)
    cold_s = time.perf_counter() - started
    started = time.perf_counter()
    again = app.build(progress=False)
    unchanged_s = time.perf_counter() - started
    texts = [c.embed_text for c in chunk_corpus(load_corpus(app.settings.index))]
    app.embedder.embed_documents(texts[:8])
    started = time.perf_counter()
    app.embedder.embed_documents(texts)
    rate = len(texts) / (time.perf_counter() - started)
    return {
        "chunks": cold.chunks,
        "cold_s": round(cold_s, 2),
        "unchanged_s": round(unchanged_s, 2),
        "unchanged_embedded": again.embedded,
        "embed_chunks_per_s": round(rate, 1),
        "embedder": app.embedder.name,
    }


# -- 2. ours ------------------------------------------------------------------------------------------
def ours(app: App, items: list[dict[str, Any]]) -> dict[str, Any]:
    app.assistant.retrieve("warm up")  # as `expert-chat serve`: embedder and lexical index loaded
    llm = app.llm
    warm = getattr(llm, "warm_prefix", None)
    if callable(warm):
        warm(SYSTEM_PROMPT)
    first, total, retrieve, tokens = [], [], [], []
    for item in items:
        answer = app.assistant.ask(item["q"])
        retrieve.append(answer.timings_ms["retrieve"])
        if answer.covered:
            first.append(answer.timings_ms["first_token"])
            total.append(answer.timings_ms["total"])
            tokens.append(getattr(getattr(llm, "last_timings", None), "prompt_tokens", 0) or 0)
        log(f"ours {answer.timings_ms['first_token']:8.0f} ms first token  {item['q']}")
    cached = []
    for item in items[:3]:
        answer = app.assistant.ask(item["q"])
        if answer.cached:
            cached.append(answer.timings_ms["total"])
    return {
        "questions": len(items),
        "answered": len(first),
        "retrieve_ms_p50": p50(retrieve),
        "first_token_ms_p50": p50(first),
        "total_ms_p50": p50(total),
        "cached_ms_p50": p50(cached),
        "prompt_tokens_p50": p50(tokens),
        "rss_mb": peak_rss_mb(),
    }


# -- 4. scale -----------------------------------------------------------------------------------------
def _vocabulary(chunks: Sequence[Chunk]) -> list[str]:
    return [w for c in chunks for w in c.embed_text.split() if w.isalpha()]


def synthetic_chunks(count: int, vocabulary: Sequence[str], seed: int = 7) -> list[Chunk]:
    """Article-, comment- and quote-like chunks of 60-110 words drawn from the pages' own word use."""
    rng = random.Random(seed)
    chunks = []
    for n in range(count):
        text = " ".join(rng.choices(vocabulary, k=rng.randint(60, 110)))
        kinds = (ChunkKind.ARTICLE, ChunkKind.COMMENT, ChunkKind.COMMENT, ChunkKind.EXPERT_QUOTE)
        kind = kinds[n % 4] if n % 25 else ChunkKind.EXPERT_QUOTE
        speaker = rng.choice(SYNTHETIC_NAMES) if kind is ChunkKind.EXPERT_QUOTE else None
        chunks.append(
            Chunk(
                chunk_id=f"s-{n:07d}",
                kind=kind,
                text=text,
                embed_text=f"{speaker}. {text}" if speaker else text,
                document=f"synthetic_{n // 200:04d}.txt",
                char_start=0,
                char_end=len(text),
                speaker=speaker,
                author="Reader" if kind is ChunkKind.COMMENT else None,
            )
        )
    return chunks


def _mixed_vectors(pool: np.ndarray, count: int, seed: int = 11) -> np.ndarray:
    """Vectors near the embedder's own: two pool vectors mixed plus noise, unit length."""
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, len(pool), count), rng.integers(0, len(pool), count)
    vectors = pool[a] + 0.5 * pool[b] + 0.05 * rng.standard_normal((count, pool.shape[1]))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def build_scaled(app: App, size: int) -> dict[str, Any]:
    """The seed chunks (really embedded) plus synthetic ones up to `size`, stored and activated."""
    started = time.perf_counter()
    corpus = load_corpus(app.settings.index)
    real = chunk_corpus(corpus)
    extra = synthetic_chunks(max(0, size - len(real)), _vocabulary(real))
    pool_texts = [c.embed_text for c in extra[:256]] or [c.embed_text for c in real]
    pool = np.array(app.embedder.embed_documents(pool_texts), dtype=np.float32)
    vectors = _mixed_vectors(pool, len(extra))
    chunks = [*real, *extra]
    version = index_version(chunks, app.embedder.name)
    target = app.store.collection_name(version)
    nodes = to_nodes(real)
    for node, vector in zip(nodes, app.embedder.embed_documents([n.text for n in nodes]), strict=True):
        node.embedding = vector
    app.store.add_nodes(target, nodes)
    for start in range(0, len(extra), INSERT_BATCH):
        batch = to_nodes(extra[start : start + INSERT_BATCH])
        for node, vector in zip(batch, vectors[start : start + INSERT_BATCH], strict=True):
            node.embedding = vector.tolist()
        app.store.add_nodes(target, batch)
    save_lexical(app.store, version, build_lexical(chunks))
    app.store.save_pages({p.document: p.page.text for p in corpus.pages})
    app.store.activate(
        Manifest(
            version=version,
            collection=target,
            embedder=app.embedder.name,
            sources={p.document: p.page.sha256 for p in corpus.pages},
            counts={"chunks": len(chunks)},
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )
    return {"chunks": len(chunks), "build_s": round(time.perf_counter() - started, 1)}


def open_and_retrieve(home: Path) -> dict[str, Any]:
    """Run in a fresh process: start the assistant on an index, then time retrieval."""
    started = time.perf_counter()
    app = App(load_settings(home=home))
    app.assistant.retrieve("warm up")
    start_s = time.perf_counter() - started
    questions = [i["q"] for i in load_questions(DEV_QUESTIONS)][:SCALE_QUESTIONS]
    timings = [app.assistant.retrieve(q).timings_ms["retrieve"] for q in questions]
    return {"start_s": round(start_s, 2), "retrieve_ms_p50": p50(timings), "rss_mb": peak_rss_mb()}


def scale(settings: Settings, sizes: Sequence[int], workdir: Path) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for size in sizes:
        home = fresh_home(workdir / f"scale-{size}")
        app = App(settings.model_copy(update={"home": home}))
        log(f"scale {size}: building")
        built = build_scaled(app, size)
        del app
        env = {**os.environ, "EXPERT_CHAT_HOME": str(home)}
        child = subprocess.run(
            [sys.executable, __file__, "--open-and-retrieve", str(home)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        results[str(size)] = {**built, **json.loads(child.stdout.strip().splitlines()[-1])}
        proc, serve_start_s = start_server(home, _free_port())  # the whole web app, model included
        _stop(proc)
        results[str(size)]["serve_start_s"] = round(serve_start_s, 1)
        log(f"scale {size}: {results[str(size)]}")
        shutil.rmtree(home, ignore_errors=True)
    return results


# -- 5. concurrency -----------------------------------------------------------------------------------
def start_server(
    home: Path, port: int, root: Path = ROOT, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], float]:
    """`expert-chat serve` from the code in `root` (another checkout compares before and after)."""
    env = {
        **os.environ,
        "EXPERT_CHAT_HOME": str(home),
        "EXPERT_CHAT_UI__RATE_LIMIT_PER_MINUTE": "10000",
        "EXPERT_CHAT_UI__QUESTIONS_PER_HOUR": "10000",
        "EXPERT_CHAT_UI__QUEUE_SIZE": "64",
        "EXPERT_CHAT_RETRIEVAL__CACHE_SIMILARITY": "2.0",  # every question goes to the model
        "GRADIO_ANALYTICS_ENABLED": "False",
        "PYTHONPATH": str(root),
        **(extra_env or {}),
    }
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("expert-chat serve exited during start-up")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return proc, time.perf_counter() - started
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("expert-chat serve did not answer /api/health within 300 s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def peak_rss_of(pid: int) -> float | None:
    """A running process's peak resident memory in MB (Linux VmHWM)."""
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return None
    line = next((ln for ln in status.read_text().splitlines() if ln.startswith("VmHWM:")), "")
    return round(int(line.split()[1]) / 1024, 1) if line else None


def ask_streaming(url: str, question: str, student: str) -> dict[str, Any]:
    """One client's question over POST /api/ask/stream (POST /api/ask where there is no stream): when
    the sources, the first token and the answer arrived, in ms from the request."""
    began = time.perf_counter()
    seen: dict[str, Any] = {"ok": False, "ahead_max": 0}

    def at() -> float:
        return (time.perf_counter() - began) * 1000

    body = {"question": question, "history": [], "student": student}
    try:
        with httpx.stream("POST", f"{url}/api/ask/stream", json=body, timeout=900) as response:
            if response.status_code == 404:  # a server from before the stream existed
                plain = httpx.post(f"{url}/api/ask", json=body, timeout=900)
                seen.update(ok=plain.status_code == 200 and bool(plain.json().get("answer")), total=at())
                return seen
            for line in response.iter_lines():
                if not line.strip():
                    continue
                event = json.loads(line)
                name = event["event"]  # the stream's event names (docs/api.md)
                if name == "queue":
                    seen["ahead_max"] = max(seen["ahead_max"], event["ahead"])
                elif name in ("sources", "token") and name not in seen:
                    seen[name] = at()
                elif name == "answer":
                    seen.update(ok=bool(event["answer"].get("answer")), total=at())
    except httpx.HTTPError:
        seen["ok"] = False
    return seen


def clients_at_once(
    url: str, clients: int, questions: Sequence[str], run: str, rounds: int = 1
) -> dict[str, Any]:
    """`clients` students asking distinct questions (never cached) at the same moment, each `rounds`
    questions one after another."""

    def student(i: int) -> list[dict[str, Any]]:
        picked = [questions[(i + r * clients) % len(questions)] for r in range(rounds)]
        asked = [f"{q} ({run}-{i + 1}-{r})" for r, q in enumerate(picked)]
        return [ask_streaming(url, question, f"{run}-{i}") for question in asked]

    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = [r for asked in pool.map(student, range(clients)) for r in asked]
    wall_min = (time.perf_counter() - began) / 60
    answered = sum(r["ok"] for r in results)
    done = [r for r in results if r["ok"]]

    def values(key: str) -> list[float]:
        return [r[key] for r in done if key in r]

    return {
        "clients": clients,
        "questions": len(results),
        "errors": len(results) - answered,
        "answered": answered,
        "answers_per_min": round(answered / wall_min, 1) if wall_min else None,
        "sources_ms_p95": p95(values("sources")),
        "first_token_ms_p50": p50(values("token")),
        "first_token_ms_p95": p95(values("token")),
        "total_ms_p50": p50(values("total")),
        "total_ms_p95": p95(values("total")),
        "queue_ahead_max": max((r["ahead_max"] for r in results), default=0),
    }


def concurrency(
    home: Path,
    clients: Sequence[int],
    questions: Sequence[str],
    root: Path = ROOT,
    batch_size: int | None = None,
) -> dict[str, Any]:
    """One `expert-chat serve` (`batch_size`: its model.batch_size, default the settings'); its start,
    then each run of --clients; with 8 in them, "serial_8" on a second server with batch_size 1."""
    env = {"EXPERT_CHAT_MODEL__BATCH_SIZE": str(batch_size)} if batch_size else {}
    result = _serve_and_ask(home, [str(n) for n in clients], questions, root, env)
    if 8 in clients:
        serial = _serve_and_ask(home, ["serial_8"], questions, root, {"EXPERT_CHAT_MODEL__BATCH_SIZE": "1"})
        result["serial_8"] = serial["serial_8"]
        result["serial_serve_rss_mb"] = serial["serve_rss_mb"]
    return result


def _serve_and_ask(
    home: Path, runs: Sequence[str], questions: Sequence[str], root: Path, env: dict[str, str]
) -> dict[str, Any]:
    port = _free_port()
    proc, start_s = start_server(home, port, root, env)
    url = f"http://127.0.0.1:{port}"
    result: dict[str, Any] = {
        "serve_start_s": round(start_s, 1),
        "batch_size": env.get("EXPERT_CHAT_MODEL__BATCH_SIZE"),
    }
    try:
        health = httpx.get(f"{url}/api/health", timeout=30).json()
        result["model_calls_before_first_question"] = health.get("model_calls")
        for run in runs:
            n = 8 if run == "serial_8" else int(run)
            # One client alone asks three questions in a row: a p50 of one would be the cold first one.
            result[run] = clients_at_once(url, n, questions, run, rounds=3 if n == 1 else 1)
            log(f"concurrency {run}: {result[run]}")
    finally:
        result["serve_rss_mb"] = peak_rss_of(proc.pid)
        _stop(proc)
    return result


# -- the run ------------------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (ln.split(":", 1)[1].strip() for ln in cpuinfo.read_text().splitlines() if "model name" in ln), ""
        )
    return {"cpus": os.cpu_count(), "cpu": model, "python": sys.version.split()[0]}


def fresh_home(path: Path) -> Path:
    """An empty home whose model cache is the usual one, the model joined there before anything is timed
    (as `expert-chat build` leaves it: a server's start is not charged with joining 1.1 GB)."""
    path.mkdir(parents=True)
    settings = load_settings()
    models = settings.model_cache_dir
    models.mkdir(parents=True, exist_ok=True)
    if settings.model.kind == ModelKind.BUNDLED:
        ensure_model_file(models, progress=False)
    (path / "models").symlink_to(models, target_is_directory=True)
    return path


def pipelines(app: App, settings: Settings, items: list[dict[str, Any]]) -> dict[str, Any]:
    """2 and 3: our pipeline and the peer on the same questions."""
    log(f"ours: {len(items)} questions")
    ours_result = ours(app, items)
    log("peer")
    peer = run_peer(
        settings.data_dir, peer_llm(settings.model, settings.model_cache_dir), app.embedder, items
    )
    return {
        "ours": ours_result,
        "peer": peer,
        "first_token_speedup": (
            round(peer["first_token_ms_p50"] / ours_result["first_token_ms_p50"], 1)
            if peer["first_token_ms_p50"] and ours_result["first_token_ms_p50"]
            else None
        ),
    }


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    home = fresh_home(workdir / "home")
    settings = load_settings(home=home)
    app = App(settings)
    items = [i for i in load_questions(DEV_QUESTIONS) if i.get("type") == "quote"][: args.questions]
    log("seed build")
    result: dict[str, Any] = {
        "machine": machine(),
        "settings": {"embedder": settings.embedder, "model": settings.model.kind},
        "build": seed_build(app),
    }
    if not args.only_concurrency:
        result.update(pipelines(app, settings, items))
    del app
    log("concurrency")
    result["concurrency"] = concurrency(
        home,
        args.clients,
        [i["q"] for i in items] or ["What is deep learning?"],
        args.server_root,
        args.batch_size,
    )
    if not args.only_concurrency:
        result["scale"] = scale(settings, args.scales, workdir)
    return result


def print_table(result: dict[str, Any]) -> None:
    b, c = result["build"], result["concurrency"]
    print(f"machine: {result['machine']}")
    print(
        f"build: cold {b['cold_s']} s, unchanged {b['unchanged_s']} s, "
        f"embedding {b['embed_chunks_per_s']} chunks/s"
    )
    if "ours" in result:
        o, p = result["ours"], result["peer"]
        print(
            f"ours: retrieve {o['retrieve_ms_p50']} ms, first token {o['first_token_ms_p50']} ms, total "
            f"{o['total_ms_p50']} ms, cached {o['cached_ms_p50']} ms, peak {o['rss_mb']} MB"
        )
        print(f"peer: first token {p['first_token_ms_p50']} ms, total {p['total_ms_p50']} ms")
        print(f"first token speed-up: {result['first_token_speedup']}x")
    for size, s in result.get("scale", {}).items():
        print(
            f"scale {size}: build {s['build_s']} s, start {s['start_s']} s, "
            f"retrieve {s['retrieve_ms_p50']} ms, peak {s['rss_mb']} MB, server start {s['serve_start_s']} s"
        )
    print(
        f"server start {c['serve_start_s']} s, {c['model_calls_before_first_question']} model requests "
        f"before the first question, peak {c['serve_rss_mb']} MB"
    )
    for run, r in c.items():
        if isinstance(r, dict):
            print(
                f"concurrency {run}: {r['answered']}/{r['clients']} answered, {r['errors']} errors, "
                f"{r['answers_per_min']} answers/min, sources p95 {r['sources_ms_p95']} ms, first token "
                f"p50/p95 {r['first_token_ms_p50']}/{r['first_token_ms_p95']} ms, "
                f"total p95 {r['total_ms_p95']} ms"
            )


def _client_counts(text: str) -> list[int]:
    counts = [int(part) for part in text.split(",") if part.strip()]
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("--clients takes counts like 1,4,8")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--questions", type=int, default=10, help="quote questions asked of each pipeline")
    parser.add_argument("--scales", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument(
        "--clients", type=_client_counts, default=[1, 4, 8, 16], help="clients at once per run, e.g. 1,4,8"
    )
    parser.add_argument(
        "--only-concurrency", action="store_true", help="build, then the concurrency runs only"
    )
    parser.add_argument(
        "--batch-size", type=int, help="the server's model.batch_size (default: the settings')"
    )
    parser.add_argument("--server-root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--open-and-retrieve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.open_and_retrieve:
        print(json.dumps(open_and_retrieve(args.open_and_retrieve)))
        return 0
    with tempfile.TemporaryDirectory(prefix="expert-chat-bench-") as tmp:
        result = run(args, Path(tmp))
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
