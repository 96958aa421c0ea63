"""The language model that writes the answers, behind one LlamaIndex ``LLM`` surface.

Three back ends share :class:`ExpertLLM`: the bundled (or any local) GGUF run in-process by
llama-cpp-python, an OpenAI-compatible server reached over HTTP, and the test fake in
``assistant.testing``. All stream, count tokens, enforce the prompt-token cap and record the timings
of their last call. Local models are loaded once per process and generate one request at a time.
"""

from __future__ import annotations

import json
import math
import threading
import time
from abc import abstractmethod
from collections.abc import Generator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
from llama_index.core.llms import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    CustomLLM,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from pydantic import Field, PrivateAttr

from assistant import model_files
from assistant.errors import ModelError
from assistant.model_files import BUNDLED, digest_status, ensure_model_file, model_path
from assistant.settings import ModelSettings

__all__ = [
    "ExpertLLM",
    "GenerationTimings",
    "LlamaCppLLM",
    "OpenAICompatibleLLM",
    "PromptTooLongError",
    "check_gguf_file",
    "ensure_model_file",
    "format_model_report",
    "load_llm",
    "model_check",
    "model_info",
    "unload_models",
]

GGUF_MAGIC = b"GGUF"
_ROLES = {"system", "user", "assistant"}


class PromptTooLongError(ModelError):
    """A prompt is longer than ``model.max_prompt_tokens``; callers should budget with count_tokens."""


@dataclass(frozen=True)
class GenerationTimings:
    """What one request cost: for benchmarks, `expert-chat model check` and logs."""

    prompt_tokens: int
    cached_prompt_tokens: int  # reused from the KV cache (same prefix as the previous request)
    queue_s: float  # waiting for the model lock (another request was generating)
    first_token_s: float  # from the start of generation to the first streamed text
    generated_tokens: int
    total_s: float  # from the start of generation to the end, queue excluded

    @property
    def evaluated_prompt_tokens(self) -> int:
        return self.prompt_tokens - self.cached_prompt_tokens

    @property
    def prompt_tokens_per_s(self) -> float | None:
        """Prompt tokens actually evaluated per second of time-to-first-token."""
        if self.first_token_s <= 0 or self.evaluated_prompt_tokens <= 0:
            return None
        return self.evaluated_prompt_tokens / self.first_token_s

    @property
    def generation_s(self) -> float:
        return max(0.0, self.total_s - self.first_token_s)

    @property
    def generation_tokens_per_s(self) -> float | None:
        """Tokens after the first one, per second after the first one arrived."""
        if self.generated_tokens < 2 or self.generation_s <= 0:
            return None
        return (self.generated_tokens - 1) / self.generation_s

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            evaluated_prompt_tokens=self.evaluated_prompt_tokens,
            prompt_tokens_per_s=self.prompt_tokens_per_s,
            generation_tokens_per_s=self.generation_tokens_per_s,
        )
        return data


class ExpertLLM(CustomLLM):
    """Common surface of every model the app can use (a LlamaIndex LLM plus a few extras).

    Subclasses implement ``_generate`` (a generator of text deltas that records timings),
    ``count_tokens`` and ``count_prompt_tokens``; everything else is shared. Every call goes
    through the chat template: ``complete(prompt)`` sends the prompt as one user message.
    """

    label: str = Field("unknown", description="Human-readable model name.")
    context_window: int = Field(4096, description="Context size in tokens.")
    max_tokens: int = Field(220, description="Default cap on generated tokens.")
    max_prompt_tokens: int | None = Field(None, description="Refuse prompts longer than this.")
    temperature: float = Field(0.0)

    _last_timings: GenerationTimings | None = PrivateAttr(default=None)

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self.context_window,
            num_output=self.max_tokens,
            is_chat_model=True,
            model_name=self.label,
        )

    @property
    def last_timings(self) -> GenerationTimings | None:
        """Timings of the most recently finished request (None before the first)."""
        return self._last_timings

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Tokens in ``text`` alone (no chat-template overhead)."""

    @abstractmethod
    def count_prompt_tokens(self, messages: Sequence[ChatMessage]) -> int:
        """Tokens of the full prompt these messages become, chat template included."""

    @abstractmethod
    def _generate(self, messages: list[ChatMessage], **kwargs: Any) -> Generator[str, None, None]:
        """Stream text deltas for ``messages``; set ``self._last_timings`` when done."""

    def warm_prefix(self, system_prompt: str) -> GenerationTimings | None:
        """Evaluate a fixed system prompt ahead of the first request (no-op unless local)."""
        return None

    def reset_cache(self) -> None:
        """Forget any cached prompt state (benchmarks); no-op unless local."""

    def check_prompt(self, messages: Sequence[ChatMessage]) -> int:
        """Count the prompt's tokens and refuse it when over ``max_prompt_tokens``."""
        n = self.count_prompt_tokens(messages)
        if self.max_prompt_tokens is not None and n > self.max_prompt_tokens:
            raise PromptTooLongError(
                f"the prompt has {n} tokens, over the cap of {self.max_prompt_tokens} "
                "(model.max_prompt_tokens); use fewer or shorter passages, or raise the cap"
            )
        return n

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        messages = list(messages)
        self.check_prompt(messages)
        text = "".join(self._generate(messages, **kwargs))
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        messages = list(messages)
        self.check_prompt(messages)  # eagerly, so an over-long prompt fails before streaming starts
        return self._chat_stream(self._generate(messages, **kwargs))

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        messages = [ChatMessage(role=MessageRole.USER, content=prompt)]
        self.check_prompt(messages)
        return CompletionResponse(text="".join(self._generate(messages, **kwargs)))

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        messages = [ChatMessage(role=MessageRole.USER, content=prompt)]
        self.check_prompt(messages)
        return self._completion_stream(self._generate(messages, **kwargs))

    @staticmethod
    def _chat_stream(deltas: Generator[str, None, None]) -> ChatResponseGen:
        text = ""
        try:
            for delta in deltas:
                text += delta
                yield ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta)
        finally:
            deltas.close()  # releases the model lock at once when the reader stops early

    @staticmethod
    def _completion_stream(deltas: Generator[str, None, None]) -> CompletionResponseGen:
        text = ""
        try:
            for delta in deltas:
                text += delta
                yield CompletionResponse(text=text, delta=delta)
        finally:
            deltas.close()


def to_openai_messages(messages: Sequence[ChatMessage]) -> list[dict[str, str]]:
    """Plain ``{"role", "content"}`` dicts, as chat templates and servers expect."""
    out = []
    for m in messages:
        role = m.role.value if isinstance(m.role, MessageRole) else str(m.role)
        if role == "developer":
            role = "system"
        out.append({"role": role if role in _ROLES else "user", "content": m.content or ""})
    return out


# --- in-process llama.cpp -------------------------------------------------------------------------


class _LoadedModel:
    """One ``llama_cpp.Llama`` shared by every wrapper in the process, with its generation lock."""

    def __init__(self, llama: Any, path: Path, load_s: float) -> None:
        self.llama = llama
        self.path = path
        self.load_s = load_s
        # A plain Lock (not RLock): a streaming generator may be advanced, and closed, from
        # different worker threads (Gradio runs each step in a thread pool).
        self.lock = threading.Lock()
        self._formatter = _gguf_formatter(llama)

    def render(self, messages: list[dict[str, str]]) -> str:
        if self._formatter is not None:
            return str(self._formatter(messages=messages).prompt)
        # No template in the file: an approximation, only used for counting.
        body = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
        return body + "<|im_start|>assistant\n"

    def prompt_tokens(self, messages: list[dict[str, str]]) -> list[int]:
        # Exactly how llama-cpp-python's template handler tokenizes the rendered prompt.
        return list(self.llama.tokenize(self.render(messages).encode("utf-8"), add_bos=False, special=True))


def _gguf_formatter(llama: Any) -> Any:
    template = getattr(llama, "metadata", {}).get("tokenizer.chat_template")
    if not template:
        return None
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    def token_text(token_id: int) -> str:
        return str(llama._model.token_get_text(token_id)) if token_id != -1 else ""

    # Force the GGUF's own template (ChatML for Qwen) rather than a guessed built-in format.
    if "chat_template.default" in getattr(llama, "_chat_handlers", {}):
        llama.chat_format = "chat_template.default"
    return Jinja2ChatFormatter(
        template=template, eos_token=token_text(llama.token_eos()), bos_token=token_text(llama.token_bos())
    )


_MODELS: dict[tuple[str, int, int], _LoadedModel] = {}
_MODELS_LOCK = threading.Lock()


def check_gguf_file(path: Path) -> None:
    """One-line ModelError unless ``path`` is a readable file starting with the GGUF magic bytes."""
    try:
        with Path(path).open("rb") as fh:
            magic = fh.read(4)
    except FileNotFoundError:
        raise ModelError(
            f"model file not found: {path}; set model.gguf_path (EXPERT_CHAT_MODEL__GGUF_PATH) "
            "to an existing .gguf file"
        ) from None
    except IsADirectoryError:
        raise ModelError(f"model path {path} is a folder, not a .gguf file") from None
    except OSError as exc:
        raise ModelError(f"cannot read the model file {path}: {exc.strerror or exc}") from None
    if magic != GGUF_MAGIC:
        raise ModelError(
            f"{path} is not a GGUF model file (it does not start with 'GGUF'); "
            "llama.cpp needs a .gguf file, e.g. one converted with llama.cpp's convert_hf_to_gguf.py"
        )


def _load_llama(path: Path, n_ctx: int, n_threads: int) -> tuple[_LoadedModel, bool]:
    """The process-wide model for (path, n_ctx, n_threads), loading it on first use.

    Returns the model and whether it was already loaded.
    """
    key = (str(Path(path).resolve()), n_ctx, n_threads)
    with _MODELS_LOCK:
        if key in _MODELS:
            return _MODELS[key], True
        check_gguf_file(path)
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise ModelError(
                f"llama-cpp-python is not installed or failed to import ({exc}); "
                "`pip install llama-cpp-python==0.3.36`"
            ) from None
        start = time.perf_counter()
        try:
            llama = Llama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                n_gpu_layers=0,
                verbose=False,
            )
        except Exception as exc:  # llama-cpp-python raises ValueError/RuntimeError with terse texts
            raise ModelError(
                f"llama.cpp could not load {path} ({str(exc).strip() or type(exc).__name__}); "
                "the file may be truncated, or use an architecture this llama-cpp-python cannot run"
            ) from None
        loaded = _LoadedModel(llama, Path(path), time.perf_counter() - start)
        _MODELS[key] = loaded
        return loaded, False


def unload_models() -> None:
    """Drop every loaded model (tests, or to free memory); wrappers still holding one keep it."""
    with _MODELS_LOCK:
        models = list(_MODELS.values())
        _MODELS.clear()
    for loaded in models:
        with loaded.lock:
            close = getattr(loaded.llama, "close", None)
            if callable(close):
                close()


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class LlamaCppLLM(ExpertLLM):
    """A GGUF run in-process by llama-cpp-python, using the file's own chat template.

    Requests on the same loaded model are served one at a time; a streaming response holds the
    lock until it is exhausted or closed. Nothing resets the KV cache between requests, so a
    prompt that starts with the same tokens as the previous one only evaluates the new suffix:
    keep the fixed instructions first (system message) and the per-question text last.
    """

    gguf_file: str = Field(description="Path of the loaded GGUF file.")
    n_threads: int = Field(2)

    _loaded: _LoadedModel = PrivateAttr()

    def __init__(self, loaded: _LoadedModel, **data: Any) -> None:
        data["gguf_file"] = str(loaded.path)
        super().__init__(**data)
        self._loaded = loaded

    @classmethod
    def class_name(cls) -> str:
        return "expert_llama_cpp"

    @property
    def load_s(self) -> float:
        return self._loaded.load_s

    @property
    def lock(self) -> threading.Lock:
        """The generation lock (shared by every wrapper of the same loaded model)."""
        return self._loaded.lock

    def count_tokens(self, text: str) -> int:
        return len(self._loaded.llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def count_prompt_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return len(self._loaded.prompt_tokens(to_openai_messages(messages)))

    def warm_prefix(self, system_prompt: str) -> GenerationTimings | None:
        """Evaluate ``system_prompt`` now so the first real request reuses it from the KV cache."""
        messages = [
            ChatMessage(role=MessageRole.SYSTEM, content=system_prompt),
            ChatMessage(role=MessageRole.USER, content="Hi"),
        ]
        self.check_prompt(messages)
        for _ in self._generate(messages, max_tokens=1):
            pass
        return self._last_timings

    def reset_cache(self) -> None:
        with self._loaded.lock:
            self._loaded.llama.reset()

    def _generate(self, messages: list[ChatMessage], **kwargs: Any) -> Generator[str, None, None]:
        loaded = self._loaded
        payload = to_openai_messages(messages)
        max_tokens = int(kwargs.get("max_tokens") or self.max_tokens)
        temperature = float(kwargs.get("temperature", self.temperature))
        stop = kwargs.get("stop")
        queued = time.perf_counter()
        loaded.lock.acquire()
        stream: Any = None
        try:
            start = time.perf_counter()
            llama = loaded.llama
            tokens = loaded.prompt_tokens(payload)
            cached = _common_prefix(getattr(llama, "_input_ids", ()), tokens)
            cached = min(cached, len(tokens) - 1)  # llama.cpp always re-evaluates the last token
            if len(tokens) + 1 >= self.context_window:
                raise PromptTooLongError(
                    f"the prompt has {len(tokens)} tokens, more than the context window of "
                    f"{self.context_window} (model.n_ctx) allows"
                )
            first: float | None = None
            parts: list[str] = []
            try:
                stream = llama.create_chat_completion(
                    messages=payload, stream=True, max_tokens=max_tokens, temperature=temperature, stop=stop
                )
                for chunk in stream:
                    delta = chunk["choices"][0].get("delta", {}).get("content")
                    if not delta:
                        continue
                    if first is None:
                        first = time.perf_counter() - start
                    parts.append(delta)
                    yield delta
            finally:
                total = time.perf_counter() - start
                self._last_timings = GenerationTimings(
                    prompt_tokens=len(tokens),
                    cached_prompt_tokens=max(cached, 0),
                    queue_s=start - queued,
                    first_token_s=total if first is None else first,
                    generated_tokens=self.count_tokens("".join(parts)) if parts else 0,
                    total_s=total,
                )
        except (ValueError, RuntimeError) as exc:
            raise ModelError(f"local generation failed: {exc}") from None
        finally:
            if stream is not None and hasattr(stream, "close"):
                stream.close()
            loaded.lock.release()


# --- OpenAI-compatible server ---------------------------------------------------------------------


class OpenAICompatibleLLM(ExpertLLM):
    """Any server speaking OpenAI's ``POST /chat/completions`` with SSE streaming.

    Tested shapes: llama.cpp's ``llama-server``, Ollama (``/v1``), vLLM. Token counts are estimates
    (about 3 characters a token, on the safe side): the API has no tokenizer endpoint.
    """

    base_url: str = Field(description="e.g. http://localhost:8080/v1")
    server_model: str = Field(description="Model name sent in each request.")
    api_key: str = Field("not-needed")
    timeout_s: float = Field(120.0)

    @classmethod
    def class_name(cls) -> str:
        return "expert_openai_compatible"

    @property
    def chat_url(self) -> str:
        return self.base_url.rstrip("/") + "/chat/completions"

    def count_tokens(self, text: str) -> int:
        return math.ceil(len(text) / 3)

    def count_prompt_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return sum(self.count_tokens(m["content"]) + 4 for m in to_openai_messages(messages)) + 3

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}", "Accept": "text/event-stream"}

    def _unreachable(self, exc: Exception) -> ModelError:
        reason = str(exc).strip() or type(exc).__name__
        return ModelError(
            f"cannot reach the model server at {self.base_url} ({reason}); start it (llama-server, "
            "`ollama serve`, vllm serve) or fix model.base_url (EXPERT_CHAT_MODEL__BASE_URL)"
        )

    def _bad_url(self, exc: Exception) -> ModelError:
        return ModelError(
            f"model.base_url {self.base_url!r} is not a usable URL ({exc}); "
            "use e.g. EXPERT_CHAT_MODEL__BASE_URL=http://localhost:8080/v1"
        )

    def probe(self, timeout_s: float = 5.0) -> None:
        """Fail fast with a one-line ModelError when nothing answers at ``base_url``."""
        try:
            httpx.get(self.base_url.rstrip("/") + "/models", headers=self._headers(), timeout=timeout_s)
        except httpx.InvalidURL as exc:
            raise self._bad_url(exc) from None
        except httpx.TransportError as exc:
            raise self._unreachable(exc) from None

    def _generate(self, messages: list[ChatMessage], **kwargs: Any) -> Generator[str, None, None]:
        body: dict[str, Any] = {
            "model": self.server_model,
            "messages": to_openai_messages(messages),
            "stream": True,
            "max_tokens": int(kwargs.get("max_tokens") or self.max_tokens),
            "temperature": float(kwargs.get("temperature", self.temperature)),
        }
        if kwargs.get("stop"):
            body["stop"] = kwargs["stop"]
        prompt_tokens = self.count_prompt_tokens(messages)
        timeout = httpx.Timeout(self.timeout_s, connect=min(10.0, self.timeout_s))
        start = time.perf_counter()
        first: float | None = None
        parts: list[str] = []
        usage: dict[str, Any] = {}
        try:
            with (
                httpx.Client(timeout=timeout) as client,
                client.stream("POST", self.chat_url, json=body, headers=self._headers()) as response,
            ):
                if response.status_code >= 400:
                    detail = response.read().decode("utf-8", "replace").strip().replace("\n", " ")
                    raise ModelError(
                        f"the model server at {self.base_url} answered HTTP {response.status_code} "
                        f"({detail[:200] or response.reason_phrase}); check model.name "
                        f"('{self.server_model}') and model.api_key"
                    )
                for data in _sse_data(response.iter_lines()):
                    if data == "[DONE]":
                        break
                    event = _parse_event(data, self.base_url)
                    usage = event.get("usage") or usage
                    for choice in event.get("choices") or []:
                        delta = (choice.get("delta") or {}).get("content")
                        if delta:
                            if first is None:
                                first = time.perf_counter() - start
                            parts.append(delta)
                            yield delta
        except httpx.InvalidURL as exc:
            raise self._bad_url(exc) from None
        except (httpx.ConnectError, httpx.UnsupportedProtocol) as exc:
            raise self._unreachable(exc) from None
        except httpx.TimeoutException:
            raise ModelError(
                f"the model server at {self.base_url} did not answer within {self.timeout_s:g} s; "
                "raise model.request_timeout_s or check the server's load"
            ) from None
        except httpx.HTTPError as exc:
            raise ModelError(f"request to the model server at {self.base_url} failed: {exc}") from None
        finally:
            total = time.perf_counter() - start
            self._last_timings = GenerationTimings(
                prompt_tokens=int(usage.get("prompt_tokens") or prompt_tokens),
                cached_prompt_tokens=0,
                queue_s=0.0,
                first_token_s=total if first is None else first,
                generated_tokens=int(usage.get("completion_tokens") or len(parts)),
                total_s=total,
            )


def _sse_data(lines: Any) -> Generator[str, None, None]:
    for line in lines:
        if line.startswith("data:"):
            yield line[5:].strip()


def _parse_event(data: str, base_url: str) -> dict[str, Any]:
    try:
        event = json.loads(data)
    except ValueError:
        raise ModelError(
            f"the model server at {base_url} sent something that is not an OpenAI stream event: "
            f"{data[:120]!r}"
        ) from None
    if not isinstance(event, dict):
        raise ModelError(f"the model server at {base_url} sent an unexpected stream event: {data[:120]!r}")
    if event.get("error"):
        raise ModelError(f"the model server at {base_url} reported an error: {str(event['error'])[:200]}")
    return event


# --- public entry points --------------------------------------------------------------------------


def load_llm(settings: ModelSettings, cache_dir: Path, *, progress: bool = True) -> ExpertLLM:
    """Build the configured model (joining and verifying the bundled file on first use)."""
    common: dict[str, Any] = {
        "context_window": settings.n_ctx,
        "max_tokens": settings.max_answer_tokens,
        "max_prompt_tokens": settings.max_prompt_tokens,
        "temperature": settings.temperature,
    }
    if settings.kind == "fake":
        from assistant.testing import FakeLLM

        return FakeLLM(**common)
    if settings.kind == "openai":
        if not settings.base_url:
            raise ModelError(
                "model.kind is 'openai' but model.base_url is not set; "
                "e.g. EXPERT_CHAT_MODEL__BASE_URL=http://localhost:8080/v1"
            )
        if not settings.base_url.startswith(("http://", "https://")):
            raise ModelError(
                f"model.base_url {settings.base_url!r} must start with http:// or https://, "
                "e.g. EXPERT_CHAT_MODEL__BASE_URL=http://localhost:8080/v1"
            )
        llm = OpenAICompatibleLLM(
            label=settings.name,
            base_url=settings.base_url,
            server_model=settings.name,
            api_key=settings.api_key,
            timeout_s=settings.request_timeout_s,
            **common,
        )
        llm.probe()
        return llm
    if settings.kind == "gguf":
        if settings.gguf_path is None:
            raise ModelError(
                "model.kind is 'gguf' but model.gguf_path is not set; "
                "e.g. EXPERT_CHAT_MODEL__GGUF_PATH=/path/to/model.gguf"
            )
        path = settings.gguf_path.expanduser()
        label = path.name
    else:
        path = ensure_model_file(cache_dir, progress=progress)
        label = BUNDLED.label
    loaded, _ = _load_llama(path, settings.n_ctx, settings.n_threads)
    return LlamaCppLLM(loaded, label=label, n_threads=settings.n_threads, **common)


def model_info(settings: ModelSettings, cache_dir: Path) -> dict[str, Any]:
    """What would be used, without loading the model or re-hashing an already verified file."""
    info: dict[str, Any] = {"kind": settings.kind}
    if settings.kind == "bundled":
        path = model_path(cache_dir)
        try:
            installed = len(model_files.part_locator(BUNDLED))
        except ModelError:
            installed = None
        info.update(
            model=BUNDLED.label,
            file=str(path),
            size_bytes=path.stat().st_size if path.exists() else BUNDLED.size,
            sha256=BUNDLED.sha256,
            digest_status=digest_status(cache_dir),
            parts=f"{len(BUNDLED.dists)}/{len(BUNDLED.dists)} installed"
            if installed is not None
            else "some missing",
        )
    elif settings.kind == "gguf":
        path_or_none = settings.gguf_path.expanduser() if settings.gguf_path else None
        status = "not set"
        if path_or_none is not None:
            try:
                check_gguf_file(path_or_none)
                status = "GGUF file (digest not checked)"
            except ModelError as exc:
                status = str(exc)
        info.update(
            model=path_or_none.name if path_or_none else None,
            file=str(path_or_none) if path_or_none else None,
            size_bytes=path_or_none.stat().st_size
            if path_or_none is not None and path_or_none.is_file()
            else None,
            digest_status=status,
        )
    elif settings.kind == "openai":
        info.update(model=settings.name, base_url=settings.base_url, digest_status="n/a (server)")
    else:
        info.update(model="FakeLLM (canned replies)", digest_status="n/a (fake)")
    if settings.kind in ("bundled", "gguf"):
        info.update(n_ctx=settings.n_ctx, n_threads=settings.n_threads)
        key_path = info.get("file")
        info["loaded_in_process"] = (
            any(k[0] == str(Path(key_path).resolve()) for k in _MODELS) if key_path else False
        )
    info.update(
        temperature=settings.temperature,
        max_prompt_tokens=settings.max_prompt_tokens,
        max_answer_tokens=settings.max_answer_tokens,
    )
    return info


# About 150 prompt tokens: long enough for a stable prompt-speed reading, short enough to be quick.
CHECK_MESSAGES = (
    (
        "system",
        "You are a concise assistant for engineers who study machine learning. Answer in plain "
        "sentences without lists, code, headings or markup. Explain terms the way a patient teacher "
        "would, with one concrete example when it helps, and never more than two sentences. If a "
        "question is ambiguous, answer the most common reading of it. Do not mention these "
        "instructions, do not greet the reader and do not offer further help at the end. Prefer "
        "everyday words over jargon, and keep numbers and units exact when you use them. This check "
        "only measures speed, so any correct and short answer is fine.",
    ),
    ("user", "In two sentences, explain what a context window is in a language model."),
)


def model_check(settings: ModelSettings, cache_dir: Path, *, max_tokens: int = 32) -> dict[str, Any]:
    """Load the model and time a short chat: the numbers `expert-chat model check` prints."""
    result: dict[str, Any] = {"kind": settings.kind}
    start = time.perf_counter()
    if settings.kind == "bundled":
        ensure_model_file(cache_dir, progress=True)
        result["prepare_s"] = time.perf_counter() - start
    before = set(_MODELS)
    load_start = time.perf_counter()
    llm = load_llm(settings, cache_dir)
    result["model"] = llm.label
    if isinstance(llm, LlamaCppLLM):
        key = (str(Path(llm.gguf_file).resolve()), settings.n_ctx, settings.n_threads)
        result["already_loaded"] = key in before
        result["load_s"] = llm.load_s
    else:
        result["load_s"] = time.perf_counter() - load_start
    messages = [ChatMessage(role=MessageRole(role), content=text) for role, text in CHECK_MESSAGES]
    reply = "".join(chunk.delta or "" for chunk in llm.stream_chat(messages, max_tokens=max_tokens))
    timings = llm.last_timings
    if timings is not None:
        result.update(
            prompt_tokens=timings.prompt_tokens,
            cached_prompt_tokens=timings.cached_prompt_tokens,
            first_token_s=timings.first_token_s,
            prompt_tokens_per_s=timings.prompt_tokens_per_s,
            generated_tokens=timings.generated_tokens,
            generation_tokens_per_s=timings.generation_tokens_per_s,
            total_s=timings.total_s,
        )
    result["reply"] = reply.strip()
    return result


_LABELS = {
    "kind": "kind",
    "model": "model",
    "file": "file",
    "size_bytes": "size",
    "sha256": "expected SHA-256",
    "digest_status": "status",
    "parts": "parts",
    "base_url": "server",
    "n_ctx": "context window",
    "n_threads": "threads",
    "loaded_in_process": "loaded",
    "temperature": "temperature",
    "max_prompt_tokens": "prompt cap",
    "max_answer_tokens": "answer cap",
    "prepare_s": "join/verify",
    "load_s": "load",
    "already_loaded": "already loaded",
    "prompt_tokens": "prompt tokens",
    "cached_prompt_tokens": "cached prompt tokens",
    "first_token_s": "time to first token",
    "prompt_tokens_per_s": "prompt speed",
    "generated_tokens": "generated tokens",
    "generation_tokens_per_s": "generation speed",
    "total_s": "total",
    "reply": "reply",
}


def format_model_report(d: dict[str, Any]) -> str:
    """Human-readable lines for a ``model_info`` or ``model_check`` dict."""
    width = max(len(_LABELS.get(k, k)) for k in d) if d else 0
    lines = []
    for key, value in d.items():
        lines.append(f"{_LABELS.get(key, key):<{width}}  {_format_value(key, value)}")
    return "\n".join(lines)


def _format_value(key: str, value: Any) -> str:
    if value is None:
        return "-"
    if key == "size_bytes" and isinstance(value, int):
        return f"{value / 1e9:.2f} GB ({value:,} bytes)"
    if key.endswith("_per_s") and isinstance(value, int | float):
        return f"{value:.1f} tokens/s"
    if key.endswith("_s") and isinstance(value, int | float):
        return f"{value:.2f} s"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in ("max_prompt_tokens", "max_answer_tokens", "n_ctx", "prompt_tokens", "generated_tokens"):
        return f"{value:,} tokens" if isinstance(value, int) else str(value)
    return str(value)
