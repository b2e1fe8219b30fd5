"""Transports: the raw "send this request, get text back" layer under the gateway.

The gateway owns everything that must behave the same for every backend —
budget, cache, validation and re-asks, the ledger, events. A transport only
moves one request. ``LiteLLMTransport`` reaches every provider (and the
embedded engine, registered as LiteLLM provider ``local``); the scripted and
cassette transports in ``scripted.py`` stand in for it in tests.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from pydantic import BaseModel, Field

from softco.errors import (
    ContextWindowExceeded,
    LLMError,
    ModelNotFound,
    ProviderAuthError,
    ProviderUnavailable,
)
from softco.llm.base import Message


class CompletionRequest(BaseModel):
    model: str
    messages: list[dict[str, str]]
    schema_name: str | None = None
    json_schema: dict[str, Any] | None = None
    temperature: float = 0.0
    max_tokens: int = 1024
    seed: int | None = None
    role: str = ""
    phase: str = ""
    api_base: str | None = None
    backend: str = ""
    """Identifies the model's weights beyond its name (a custom GGUF path), for the cache key."""
    timeout_s: float = 180.0


class RawCompletion(BaseModel):
    text: str
    prompt_tokens: int = 0
    # of prompt_tokens, how many the backend's prompt cache served (0 when it says nothing)
    cached_prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    finish_reason: str = "stop"
    model: str = ""
    extra: dict[str, Any] = Field(default_factory=dict)


class Transport(Protocol):
    def send(self, request: CompletionRequest) -> RawCompletion: ...

    def constrains(self, model: str) -> bool:
        """True when the backend enforces the JSON schema while decoding."""
        ...


class TransientError(LLMError):
    """Worth retrying: rate limit, timeout, 5xx, dropped connection."""


def is_local(model: str) -> bool:
    return model.startswith("local/")


class LiteLLMTransport:
    """One call through ``litellm.completion`` with errors mapped to softco's types."""

    def constrains(self, model: str) -> bool:
        if is_local(model):
            return True
        import litellm

        try:
            return bool(litellm.supports_response_schema(model=model))
        except Exception:
            return False

    def send(self, request: CompletionRequest) -> RawCompletion:
        import litellm

        litellm.suppress_debug_info = True
        kwargs: dict[str, Any] = {
            "model": request.model,
            "messages": request.messages,
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
            "timeout": request.timeout_s,
            "num_retries": 0,  # the gateway retries, with its own never-retry list
        }
        if request.seed is not None:
            kwargs["seed"] = request.seed
        if request.api_base:
            kwargs["api_base"] = request.api_base
        if request.json_schema is not None and self.constrains(request.model):
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": request.schema_name or "Output",
                    "schema": request.json_schema,
                    "strict": is_local(request.model),
                },
            }
        try:
            response = litellm.completion(**kwargs)
        except Exception as exc:  # mapped below; everything else is a bug to surface
            raise map_litellm_error(exc, request.model) from exc
        choice = response.choices[0]
        usage = getattr(response, "usage", None)
        cost = 0.0
        if not is_local(request.model):
            try:
                cost = float(litellm.completion_cost(completion_response=response) or 0.0)
            except Exception:
                cost = 0.0
        return RawCompletion(
            text=choice.message.content or "",
            prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            cached_prompt_tokens=_cached_tokens(usage),
            completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
            cost_usd=cost,
            finish_reason=choice.finish_reason or "stop",
            model=request.model,
        )


def _cached_tokens(usage: Any) -> int:
    """Prompt tokens the provider's prompt cache served, read from OpenAI-style usage."""
    details = getattr(usage, "prompt_tokens_details", None)
    if isinstance(details, dict):
        return int(details.get("cached_tokens") or 0)
    return int(getattr(details, "cached_tokens", 0) or 0)


def map_litellm_error(exc: Exception, model: str) -> LLMError:
    """Translate LiteLLM's exceptions into softco's: retryable or not, with the fix named."""
    import litellm

    if isinstance(exc, LLMError):
        return exc
    text = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
    if isinstance(exc, litellm.AuthenticationError):
        return ProviderAuthError(f"{model}: the provider rejected the API key — set it ({text})")
    if isinstance(exc, litellm.ContextWindowExceededError):
        return ContextWindowExceeded(f"{model}: prompt too long for the model's context ({text})")
    if isinstance(exc, litellm.NotFoundError):
        return ModelNotFound(f"{model}: the provider does not know this model ({text})")
    if isinstance(
        exc,
        litellm.RateLimitError
        | litellm.Timeout
        | litellm.APIConnectionError
        | litellm.InternalServerError
        | litellm.ServiceUnavailableError,
    ):
        return TransientError(f"{model}: {type(exc).__name__}: {text}")
    if isinstance(exc, litellm.BadRequestError):
        if "LLM Provider NOT provided" in str(exc):
            return ModelNotFound(
                f"unknown model string {model!r}: use a LiteLLM model like 'openai/gpt-4o-mini', "
                f"'ollama/qwen2.5-coder' or 'local/qwen2.5-coder-1.5b'"
            )
        return LLMError(f"{model}: bad request: {text}")
    return LLMError(f"{model}: {type(exc).__name__}: {text}")


def with_retries(fn: Any, attempts: int, base_delay: float = 0.5, max_delay: float = 8.0) -> Any:
    """Call ``fn()``; retry only ``TransientError`` with exponential backoff."""
    delay = base_delay
    for attempt in range(attempts + 1):
        try:
            return fn()
        except TransientError as exc:
            if attempt >= attempts:
                raise ProviderUnavailable(
                    f"{exc} — gave up after {attempts + 1} tries; check the provider or api_base"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, max_delay)
    raise AssertionError("unreachable")


def as_messages(messages: list[Message]) -> list[dict[str, str]]:
    return [{"role": m["role"], "content": m["content"]} for m in messages]
