"""Build the language model the settings name: the bundled GGUF, a local GGUF or a model server.

The test fake (``model.kind = "fake"``) is not built here: the composition root (assistant.app)
imports it lazily, so no production module loads ``assistant.testing``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.errors import ModelError
from assistant.models.files import BUNDLED, ensure_model_file
from assistant.models.llama_cpp import LlamaCppLLM, load_gguf
from assistant.models.llm import ExpertLLM
from assistant.models.openai_compatible import OpenAICompatibleLLM
from assistant.settings import ModelKind, ModelSettings


def llm_options(settings: ModelSettings) -> dict[str, Any]:
    """The ``ExpertLLM`` fields every back end takes from the settings."""
    return {
        "context_window": settings.n_ctx,
        "max_tokens": settings.max_answer_tokens,
        "max_prompt_tokens": settings.max_prompt_tokens,
        "temperature": settings.temperature,
    }


def load_llm(settings: ModelSettings, cache_dir: Path, *, progress: bool = True) -> ExpertLLM:
    """Build the configured model (joining and verifying the bundled file on first use)."""
    if settings.kind == ModelKind.FAKE:
        raise ModelError("model.kind 'fake' is a test double: build it with assistant.app.App")
    if settings.kind == ModelKind.OPENAI:
        return _server_llm(settings)
    path, label = local_model_file(settings, cache_dir, progress=progress)
    loaded = load_gguf(
        path, settings.n_ctx, settings.n_threads, settings.prompt_families, settings.batch_size
    )
    return LlamaCppLLM(loaded, label=label, **llm_options(settings))


def local_model_file(settings: ModelSettings, cache_dir: Path, *, progress: bool = True) -> tuple[Path, str]:
    """The GGUF file and label for ``bundled`` (joined and verified here) or ``gguf`` settings."""
    if settings.kind == ModelKind.BUNDLED:
        return ensure_model_file(cache_dir, progress=progress), BUNDLED.label
    if settings.gguf_path is None:
        raise ModelError(
            "model.kind is 'gguf' but model.gguf_path is not set; "
            "e.g. EXPERT_CHAT_MODEL__GGUF_PATH=/path/to/model.gguf"
        )
    path = settings.gguf_path.expanduser()
    return path, path.name


def _server_llm(settings: ModelSettings) -> OpenAICompatibleLLM:
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
        **llm_options(settings),
    )
    llm.probe()
    return llm
