"""What `expert-chat model info` and `expert-chat model check` report, and how they print it."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from llama_index.core.llms import ChatMessage, MessageRole

from assistant.errors import ModelError
from assistant.models.factory import load_llm, local_model_file
from assistant.models.files import (
    BUNDLED,
    BundledModel,
    PartLocator,
    digest_status,
    locate_parts,
    model_path,
)
from assistant.models.llama_cpp import LlamaCppLLM, check_gguf_file, is_loaded
from assistant.models.llm import ChatModel, ExpertLLM
from assistant.settings import ModelKind, ModelSettings


def model_info(
    settings: ModelSettings,
    cache_dir: Path,
    *,
    spec: BundledModel = BUNDLED,
    locate: PartLocator = locate_parts,
) -> dict[str, Any]:
    """What would be used, without loading the model or re-hashing an already verified file."""
    info: dict[str, Any] = {"kind": settings.kind}
    if settings.kind == ModelKind.BUNDLED:
        info.update(_bundled_info(cache_dir, spec, locate))
    elif settings.kind == ModelKind.GGUF:
        info.update(_gguf_info(settings.gguf_path.expanduser() if settings.gguf_path else None))
    elif settings.kind == ModelKind.OPENAI:
        info.update(model=settings.name, base_url=settings.base_url, digest_status="n/a (server)")
    else:
        info.update(model="FakeLLM (canned replies)", digest_status="n/a (fake)")
    if settings.kind in (ModelKind.BUNDLED, ModelKind.GGUF):
        info.update(n_ctx=settings.n_ctx, n_threads=settings.n_threads)
        info["loaded_in_process"] = bool(info.get("file")) and is_loaded(Path(info["file"]))
    info.update(
        temperature=settings.temperature,
        max_prompt_tokens=settings.max_prompt_tokens,
        max_answer_tokens=settings.max_answer_tokens,
    )
    return info


def _bundled_info(cache_dir: Path, spec: BundledModel, locate: PartLocator) -> dict[str, Any]:
    path = model_path(cache_dir, spec)
    try:
        locate(spec)
        parts = f"{len(spec.dists)}/{len(spec.dists)} installed"
    except ModelError:
        parts = "some missing"
    return {
        "model": spec.label,
        "file": str(path),
        "size_bytes": path.stat().st_size if path.exists() else spec.size,
        "sha256": spec.sha256,
        "digest_status": digest_status(cache_dir, spec, locate),
        "parts": parts,
    }


def _gguf_info(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {"model": None, "file": None, "size_bytes": None, "digest_status": "not set"}
    try:
        check_gguf_file(path)
        status = "GGUF file (digest not checked)"
    except ModelError as exc:
        status = str(exc)
    return {
        "model": path.name,
        "file": str(path),
        "size_bytes": path.stat().st_size if path.is_file() else None,
        "digest_status": status,
    }


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


def model_check(
    settings: ModelSettings,
    cache_dir: Path,
    *,
    load: Callable[[], ChatModel] | None = None,
    max_tokens: int = 32,
) -> dict[str, Any]:
    """Load the model and time a short chat: the numbers `expert-chat model check` prints.

    ``load`` builds the model (default: ``load_llm``; the CLI passes the app's, which also knows the fake).
    """
    result: dict[str, Any] = {"kind": settings.kind}
    already_loaded: bool | None = None
    if settings.kind in (ModelKind.BUNDLED, ModelKind.GGUF):
        start = time.perf_counter()
        path, _ = local_model_file(settings, cache_dir)
        if settings.kind == ModelKind.BUNDLED:
            result["prepare_s"] = time.perf_counter() - start
        already_loaded = is_loaded(path, settings.n_ctx, settings.n_threads)
    load_start = time.perf_counter()
    llm = (load or partial(load_llm, settings, cache_dir))()
    result["model"] = llm.label
    if isinstance(llm, LlamaCppLLM):
        result["already_loaded"] = already_loaded
        result["load_s"] = llm.load_s
    else:
        result["load_s"] = time.perf_counter() - load_start
    messages = [ChatMessage(role=MessageRole(role), content=text) for role, text in CHECK_MESSAGES]
    reply = "".join(chunk.delta or "" for chunk in llm.stream_chat(messages, max_tokens=max_tokens))
    timings = llm.last_timings if isinstance(llm, ExpertLLM) else None
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
_TOKEN_COUNTS = {"max_prompt_tokens", "max_answer_tokens", "n_ctx", "prompt_tokens", "generated_tokens"}


def format_model_report(d: dict[str, Any]) -> str:
    """Human-readable lines for a ``model_info`` or ``model_check`` dict."""
    width = max(len(_LABELS.get(k, k)) for k in d) if d else 0
    return "\n".join(
        f"{_LABELS.get(key, key):<{width}}  {_format_value(key, value)}" for key, value in d.items()
    )


def _format_value(key: str, value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key == "size_bytes" and isinstance(value, int):
        return f"{value / 1e9:.2f} GB ({value:,} bytes)"
    if key.endswith("_per_s") and isinstance(value, int | float):
        return f"{value:.1f} tokens/s"
    if key.endswith("_s") and isinstance(value, int | float):
        return f"{value:.2f} s"
    if key in _TOKEN_COUNTS and isinstance(value, int):
        return f"{value:,} tokens"
    return str(value)
