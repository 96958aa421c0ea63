"""A GGUF model run in-process by llama-cpp-python: loaded once per process; one request at a time, or
with ``model.batch_size`` > 1 several decoded together (``assistant.models.batch_decoder``).

Each prompt family (the answer prompt, the meaning judge, the relevance judge, translation, follow-up
rewriting: told apart by their fixed system message) gets its own llama.cpp context, so its KV cache
keeps that family's prefix: a judge call between two answers no longer evicts the answer prompt's
cached instructions. The weights are loaded once and shared by every context; each context adds its
KV cache and compute buffers (about 120 MB at n_ctx 4096).
"""

from __future__ import annotations

import codecs
import hashlib
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

from llama_index.core.llms import ChatMessage, MessageRole
from pydantic import PrivateAttr

from assistant.errors import ModelError
from assistant.models.batch_decoder import BatchDecoder, BatchRequest, Sampling, common_prefix
from assistant.models.llm import ExpertLLM, GenerationTimings, PromptTooLongError, to_openai_messages

GGUF_MAGIC = b"GGUF"


class FairLock:
    """A lock granted in the order it was asked for. With ``threading.Lock`` a thread that releases it
    and asks again at once (an answer's next meaning-check call) usually gets it straight back, and a
    student's one short call before the sources (the relevance judge) could wait behind a whole answer.
    Like ``threading.Lock`` it may be released by another thread than the one that acquired it."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._waiting: deque[object] = deque()
        self._held = False

    def acquire(self) -> bool:
        me = object()
        with self._cond:
            self._waiting.append(me)
            while self._held or self._waiting[0] is not me:
                self._cond.wait()
            self._waiting.popleft()
            self._held = True
        return True

    def release(self) -> None:
        with self._cond:
            if not self._held:
                raise RuntimeError("release of an unlocked FairLock")
            self._held = False
            self._cond.notify_all()

    def locked(self) -> bool:
        return self._held

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


class LoadedModel:
    """The model shared by every wrapper in the process: one ``llama_cpp.Llama`` context per prompt
    family (at most ``max_families``, least recently used dropped first), one generation lock; with
    ``model.batch_size`` > 1 the batch decoder, which then serves every request that fits it."""

    def __init__(
        self,
        llama: Any,
        path: Path,
        load_s: float,
        open_context: Any = None,
        max_families: int = 1,
        decoder: BatchDecoder | None = None,
    ) -> None:
        self.llama = llama
        self.decoder = decoder  # set when answers are decoded together (model.batch_size > 1)
        self._prefixes: dict[str, list[int]] = {}
        self.path = path
        self.load_s = load_s
        # Not an RLock: a streaming generator may be advanced, and closed, from different worker
        # threads (Gradio runs each step in a thread pool). Fair: requests get the model in turn.
        self.lock = FairLock()
        self._formatter = _gguf_formatter(llama)
        self._open_context = open_context
        self._max_families = max_families
        self._families: OrderedDict[str, Any] = OrderedDict()

    def context_for(self, messages: list[dict[str, str]]) -> Any:
        """The context whose KV cache holds this prompt's family prefix (call with the lock held)."""
        if self._open_context is None or self._max_families <= 1:
            return self.llama
        family = messages[0]["content"] if messages and messages[0]["role"] == "system" else ""
        key = hashlib.sha256(family.encode("utf-8")).hexdigest()
        if key in self._families:
            self._families.move_to_end(key)
            return self._families[key]
        if not self._families:
            context = self.llama  # the first family uses the context loaded with the model
        elif len(self._families) < self._max_families:
            context = self._open_context()
        else:
            _, context = self._families.popitem(last=False)  # reused: its cache is overwritten
        self._families[key] = context
        return context

    def family_prefix(self, messages: list[dict[str, str]], tokens: list[int]) -> tuple[str, int]:
        """The prompt family's key and how many leading ``tokens`` are its fixed prefix: the system
        message as the chat template renders it, up to where the user's text starts."""
        if not messages or messages[0]["role"] != "system":
            return "", 0
        key = hashlib.sha256(messages[0]["content"].encode("utf-8")).hexdigest()
        if key not in self._prefixes:
            a, b = (self.prompt_tokens([messages[0], {"role": "user", "content": x}]) for x in ("a", "b"))
            self._prefixes[key] = a[: common_prefix(a, b)]
        prefix = self._prefixes[key]
        return key, min(common_prefix(prefix, tokens), len(tokens) - 1)

    def reset(self) -> None:
        if self.decoder is not None:
            self.decoder.reset()
        for context in {id(c): c for c in [self.llama, *self._families.values()]}.values():
            context.reset()

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


_MODELS: dict[tuple[str, int, int, int], LoadedModel] = {}
_MODELS_LOCK = threading.Lock()


def _key(path: Path, n_ctx: int, n_threads: int, batch_size: int) -> tuple[str, int, int, int]:
    return (str(Path(path).resolve()), n_ctx, n_threads, batch_size)


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


def is_loaded(path: Path, n_ctx: int | None = None, n_threads: int | None = None) -> bool:
    """Whether this process already holds ``path`` (with these settings, when given)."""
    resolved = str(Path(path).resolve())
    with _MODELS_LOCK:
        keys = list(_MODELS)
    return any(k[0] == resolved and n_ctx in (None, k[1]) and n_threads in (None, k[2]) for k in keys)


def load_gguf(
    path: Path, n_ctx: int, n_threads: int, prompt_families: int = 1, batch_size: int = 1
) -> LoadedModel:
    """The process-wide model for (path, n_ctx, n_threads, batch_size), loading it on first use."""
    key = _key(path, n_ctx, n_threads, batch_size)
    with _MODELS_LOCK:
        if key not in _MODELS:
            _MODELS[key] = _load(Path(path), n_ctx, n_threads, prompt_families, batch_size)
        return _MODELS[key]


def _load(
    path: Path, n_ctx: int, n_threads: int, prompt_families: int = 1, batch_size: int = 1
) -> LoadedModel:
    check_gguf_file(path)
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise ModelError(
            f"llama-cpp-python is not installed or failed to import ({exc}); "
            "`pip install llama-cpp-python==0.3.36`"
        ) from None
    start = time.perf_counter()

    def open_context() -> Any:
        try:
            return Llama(
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

    llama = open_context()

    def open_sharing_context() -> Any:
        return _with_model_of(llama, open_context)

    decoder = None
    if batch_size > 1:
        decoder = _batch_decoder(llama, batch_size, prompt_families, n_ctx, n_threads)
    return LoadedModel(
        llama, path, time.perf_counter() - start, open_sharing_context, prompt_families, decoder
    )


def _batch_decoder(llama: Any, batch_size: int, families: int, n_ctx: int, n_threads: int) -> BatchDecoder:
    import llama_cpp

    vocab = llama_cpp.llama_model_get_vocab(llama._model.model)
    n_vocab = int(llama_cpp.llama_vocab_n_tokens(vocab))
    eog = {t for t in range(n_vocab) if llama_cpp.llama_vocab_is_eog(vocab, t)}
    return BatchDecoder(
        llama,
        batch_size=batch_size,
        max_families=families,
        n_ctx=n_ctx,
        n_threads=n_threads,
        eog=eog,
        n_vocab=n_vocab,
    )


class _BorrowedModel:
    """A loaded ``LlamaModel`` lent to another context: closing the borrower leaves it loaded."""

    def __init__(self, model: Any) -> None:
        self._model = model

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def close(self) -> None:
        pass


_BORROW_LOCK = threading.Lock()


def _with_model_of(owner: Any, open_context: Any) -> Any:
    """A new ``Llama`` context on ``owner``'s loaded weights. llama-cpp-python's ``Llama`` always loads
    its own model; llama.cpp itself allows many contexts per model, so the loader is lent the owner's
    (each context then adds only its KV cache and buffers: about 120 MB at n_ctx 4096, measured)."""
    import llama_cpp.llama as high_level

    with _BORROW_LOCK:
        loader = high_level.internals.LlamaModel
        high_level.internals.LlamaModel = lambda **_: _BorrowedModel(owner._model)  # type: ignore[assignment,misc]
        try:
            return open_context()
        finally:
            high_level.internals.LlamaModel = loader  # type: ignore[misc]


class LlamaCppLLM(ExpertLLM):
    """A GGUF run in-process by llama-cpp-python, using the file's own chat template.

    Requests on the same loaded model are served one at a time; a streaming response holds the
    lock until it is exhausted or closed. Keep the fixed instructions first (system message) and
    the per-question text last, so the KV cache serves the shared prefix.
    """

    _loaded: LoadedModel = PrivateAttr()

    def __init__(self, loaded: LoadedModel, **data: Any) -> None:
        super().__init__(**data)
        self._loaded = loaded

    @classmethod
    def class_name(cls) -> str:
        return "expert_llama_cpp"

    @property
    def load_s(self) -> float:
        return self._loaded.load_s

    @property
    def lock(self) -> FairLock:
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
        self._before_request()
        for _ in self._generate(messages, max_tokens=1):
            pass
        return self._last_timings

    def reset_cache(self) -> None:
        with self._loaded.lock:
            self._loaded.reset()

    def _generate(self, messages: list[ChatMessage], **kwargs: Any) -> Generator[str, None, None]:
        if self._loaded.decoder is not None:
            return self._generate_batched(messages, **kwargs)
        return self._generate_alone(messages, **kwargs)

    def _prompt_tokens(self, payload: list[dict[str, str]]) -> list[int]:
        """The prompt's tokens; a prompt the context window cannot hold is refused with one line."""
        tokens = self._loaded.prompt_tokens(payload)
        if len(tokens) + 1 >= self.context_window:
            raise PromptTooLongError(
                f"the prompt has {len(tokens)} tokens, more than the context window of "
                f"{self.context_window} (model.n_ctx) allows"
            )
        return tokens

    def _generate_batched(self, messages: list[ChatMessage], **kwargs: Any) -> Generator[str, None, None]:
        """Text deltas of one request decoded together with the others (the caller's close cancels it)."""
        loaded = self._loaded
        assert loaded.decoder is not None
        payload = to_openai_messages(messages)
        tokens = self._prompt_tokens(payload)
        max_tokens = int(kwargs.get("max_tokens") or self.max_tokens)
        if len(tokens) + max_tokens > loaded.decoder.cells:  # longer than a batched sequence holds
            return self._generate_alone(messages, **kwargs)
        family, prefix_len = loaded.family_prefix(payload, tokens)
        request = BatchRequest(
            prompt=tokens,
            family=family,
            prefix_len=prefix_len,
            max_tokens=max_tokens,
            sampling=Sampling(temperature=float(kwargs.get("temperature", self.temperature))),
        )
        return self._stream_batched(request, list(kwargs.get("stop") or []))

    def _stream_batched(self, request: BatchRequest, stop: list[str]) -> Generator[str, None, None]:
        llama = self._loaded.llama
        assert self._loaded.decoder is not None
        self._loaded.decoder.submit(request)  # here, so a stream closed before it started costs nothing
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        text, sent, generated = "", 0, 0
        first: float | None = None
        try:
            for token in request.tokens():
                generated += 1
                text += decoder.decode(llama.detokenize([token]))
                cut = min((i for i in (text.find(s) for s in stop) if i >= 0), default=-1)
                if cut >= 0:
                    text = text[:cut]
                    break
                # Hold back what could be the start of a stop string.
                hold = max((k for s in stop for k in range(1, len(s)) if text.endswith(s[:k])), default=0)
                if len(text) - hold > sent:
                    if first is None:
                        first = time.perf_counter()
                    yield text[sent : len(text) - hold]
                    sent = len(text) - hold
            else:
                text += decoder.decode(b"", final=True)
            if len(text) > sent:
                first = first or time.perf_counter()
                yield text[sent:]
        except (ValueError, RuntimeError) as exc:
            raise ModelError(f"local generation failed: {exc}") from None
        finally:
            request.cancel()
            start = request.admitted or time.perf_counter()
            end = time.perf_counter()
            self._last_timings = GenerationTimings(
                prompt_tokens=len(request.prompt),
                cached_prompt_tokens=request.cached_tokens,
                queue_s=start - request.submitted,
                first_token_s=(first or end) - start,
                generated_tokens=generated,
                total_s=end - start,
            )

    def _generate_alone(self, messages: list[ChatMessage], **kwargs: Any) -> Generator[str, None, None]:
        loaded = self._loaded
        queued = time.perf_counter()
        loaded.lock.acquire()
        stream: Any = None
        try:
            start = time.perf_counter()
            payload = to_openai_messages(messages)
            tokens = self._prompt_tokens(payload)
            llama = loaded.context_for(payload)
            # llama.cpp always re-evaluates the last token.
            cached = min(common_prefix(getattr(llama, "_input_ids", ()), tokens), len(tokens) - 1)
            stream = self._create_stream(llama, payload, kwargs)
            yield from self._timed(stream, start, queued, len(tokens), max(cached, 0))
        except (ValueError, RuntimeError) as exc:
            raise ModelError(f"local generation failed: {exc}") from None
        finally:
            if stream is not None and hasattr(stream, "close"):
                stream.close()
            loaded.lock.release()

    def _create_stream(self, llama: Any, payload: list[dict[str, str]], kwargs: dict[str, Any]) -> Any:
        return llama.create_chat_completion(
            messages=payload,
            stream=True,
            max_tokens=int(kwargs.get("max_tokens") or self.max_tokens),
            temperature=float(kwargs.get("temperature", self.temperature)),
            stop=kwargs.get("stop"),
        )

    def _timed(
        self, stream: Any, start: float, queued: float, prompt_tokens: int, cached: int
    ) -> Generator[str, None, None]:
        """The stream's text deltas; records this request's timings when it ends or is closed."""
        first: float | None = None
        parts: list[str] = []
        try:
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
                prompt_tokens=prompt_tokens,
                cached_prompt_tokens=cached,
                queue_s=start - queued,
                first_token_s=total if first is None else first,
                generated_tokens=self.count_tokens("".join(parts)) if parts else 0,
                total_s=total,
            )
