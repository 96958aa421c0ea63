"""A model behind any server speaking OpenAI's ``POST /chat/completions`` with SSE streaming.

Tested shapes: llama.cpp's ``llama-server``, Ollama (``/v1``), vLLM. Every failure is a one-line
``ModelError`` that names the server and the setting to fix.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Generator, Iterable, Sequence
from typing import Any

import httpx
from llama_index.core.llms import ChatMessage
from pydantic import Field

from assistant.errors import ModelError
from assistant.models.llm import ExpertLLM, GenerationTimings, to_openai_messages


class OpenAICompatibleLLM(ExpertLLM):
    """A chat model served over HTTP. Token counts are estimates (about 3 characters a token, on the
    safe side): the API has no tokenizer endpoint."""

    base_url: str = Field(description="e.g. http://localhost:8080/v1")
    server_model: str = Field(description="Model name sent in each request.")
    api_key: str = Field("not-needed")
    timeout_s: float = Field(120.0)

    @classmethod
    def class_name(cls) -> str:
        return "expert_openai_compatible"

    def count_tokens(self, text: str) -> int:
        return math.ceil(len(text) / 3)

    def count_prompt_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return sum(self.count_tokens(m["content"]) + 4 for m in to_openai_messages(messages)) + 3

    def probe(self, timeout_s: float = 5.0) -> None:
        """Fail fast with a one-line ModelError when nothing answers at ``base_url``."""
        try:
            httpx.get(self.base_url.rstrip("/") + "/models", headers=self._headers(), timeout=timeout_s)
        except httpx.InvalidURL as exc:
            raise self._bad_url(exc) from None
        except httpx.TransportError as exc:
            raise self._unreachable(exc) from None

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

    def _request_body(self, messages: list[ChatMessage], kwargs: dict[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.server_model,
            "messages": to_openai_messages(messages),
            "stream": True,
            "max_tokens": int(kwargs.get("max_tokens") or self.max_tokens),
            "temperature": float(kwargs.get("temperature", self.temperature)),
        }
        if kwargs.get("stop"):
            body["stop"] = kwargs["stop"]
        return body

    def _generate(self, messages: list[ChatMessage], **kwargs: Any) -> Generator[str, None, None]:
        body = self._request_body(messages, kwargs)
        start = time.perf_counter()
        first: float | None = None
        generated = 0
        usage: dict[str, Any] = {}
        try:
            for delta in self._stream(body, usage):
                if first is None:
                    first = time.perf_counter() - start
                generated += 1
                yield delta
        finally:
            total = time.perf_counter() - start
            self._last_timings = GenerationTimings(
                prompt_tokens=int(usage.get("prompt_tokens") or self.count_prompt_tokens(messages)),
                cached_prompt_tokens=0,
                queue_s=0.0,
                first_token_s=total if first is None else first,
                generated_tokens=int(usage.get("completion_tokens") or generated),
                total_s=total,
            )

    def _stream(self, body: dict[str, Any], usage: dict[str, Any]) -> Generator[str, None, None]:
        """Text deltas of one streamed request; fills ``usage`` when the server reports it."""
        timeout = httpx.Timeout(self.timeout_s, connect=min(10.0, self.timeout_s))
        url = self.base_url.rstrip("/") + "/chat/completions"
        try:
            with (
                httpx.Client(timeout=timeout) as client,
                client.stream("POST", url, json=body, headers=self._headers()) as response,
            ):
                self._raise_for_status(response)
                yield from _deltas(response.iter_lines(), self.base_url, usage)
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

    def _raise_for_status(self, response: httpx.Response) -> None:
        if response.status_code < 400:
            return
        detail = response.read().decode("utf-8", "replace").strip().replace("\n", " ")
        raise ModelError(
            f"the model server at {self.base_url} answered HTTP {response.status_code} "
            f"({detail[:200] or response.reason_phrase}); check model.name "
            f"('{self.server_model}') and model.api_key"
        )


def _deltas(lines: Iterable[str], base_url: str, usage: dict[str, Any]) -> Generator[str, None, None]:
    """The non-empty content deltas of an SSE stream, up to ``[DONE]``."""
    for line in lines:
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            return
        event = _parse_event(data, base_url)
        usage.update(event.get("usage") or {})
        for choice in event.get("choices") or []:
            delta = (choice.get("delta") or {}).get("content")
            if delta:
                yield delta


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
