"""The embedded engine registered as LiteLLM custom provider ``local``.

Registering it with LiteLLM means the gateway has one code path for every
model — ``local/qwen2.5-coder-1.5b`` and ``gpt-4o-mini`` alike go through
``litellm.completion`` — so retries, cost accounting and structured output
are written once.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import litellm
from litellm import CustomLLM
from litellm.types.utils import ModelResponse

from softco.config import LocalModelSettings
from softco.llm.engine import get_engine
from softco.llm.models import ensure_model, verify_model_file

PROVIDER = "local"
# LiteLLM prints a provider list banner on every failed call; errors are ours to report.
litellm.suppress_debug_info = True
_state: dict[str, Any] = {"settings": LocalModelSettings(), "home": Path.home() / ".softco"}
_register_lock = threading.Lock()


def configure_local(settings: LocalModelSettings, home: Path) -> None:
    """Tell the provider where models live and how to load them (called by the gateway)."""
    _state["settings"] = settings
    _state["home"] = Path(home)
    register()


def resolve_model_path(name: str) -> Path:
    """``local/<name>`` → a verified GGUF path (a user's own file wins when configured)."""
    settings: LocalModelSettings = _state["settings"]
    if settings.model_path is not None:
        verify_model_file(Path(settings.model_path))
        return Path(settings.model_path)
    if name.endswith(".gguf"):
        verify_model_file(Path(name))
        return Path(name)
    return ensure_model(name, Path(_state["home"]) / "models")


def load_engine(name: str):
    settings: LocalModelSettings = _state["settings"]
    path = resolve_model_path(name)
    return get_engine(path, n_ctx=settings.n_ctx, n_threads=settings.n_threads)


class LocalProvider(CustomLLM):
    """LiteLLM handler that forwards the OpenAI-style request to the engine."""

    def completion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> ModelResponse:
        optional = dict(kwargs.get("optional_params") or {})
        name = model.split("/", 1)[1] if model.startswith(f"{PROVIDER}/") else model
        engine = load_engine(name)
        request: dict[str, Any] = {"messages": messages}
        for key in ("max_tokens", "temperature", "seed", "top_p", "stop", "response_format"):
            if optional.get(key) is not None:
                request[key] = optional[key]
        request.setdefault("seed", _state["settings"].seed)
        request.setdefault("repeat_penalty", _state["settings"].repeat_penalty)
        extra = optional.get("extra_body") or {}
        if isinstance(extra, dict) and extra.get("response_format"):
            request["response_format"] = extra["response_format"]
        result = engine.chat(request)
        choice = result["choices"][0]
        usage = result.get("usage", {})
        return ModelResponse(
            id=result.get("id", f"local-{time.time_ns()}"),
            model=f"{PROVIDER}/{name}",
            created=int(result.get("created", time.time())),
            choices=[
                {
                    "index": 0,
                    "finish_reason": choice.get("finish_reason", "stop"),
                    "message": {"role": "assistant", "content": choice["message"]["content"]},
                }
            ],
            usage={
                "prompt_tokens": usage.get("prompt_tokens", 0),
                "completion_tokens": usage.get("completion_tokens", 0),
                "total_tokens": usage.get("total_tokens", 0),
                "prompt_tokens_details": {
                    "cached_tokens": (usage.get("prompt_tokens_details") or {}).get(
                        "cached_tokens", 0
                    )
                },
            },
        )


_provider = LocalProvider()


def register() -> None:
    """Add the ``local`` provider to LiteLLM once (idempotent)."""
    with _register_lock:
        if any(item.get("provider") == PROVIDER for item in litellm.custom_provider_map):
            return
        litellm.custom_provider_map = [
            *litellm.custom_provider_map,
            {"provider": PROVIDER, "custom_handler": _provider},
        ]
        # custom_provider_map is read when litellm routes the call; make sure the
        # name is known even when registered after litellm was first used.
        if PROVIDER not in litellm._custom_providers:
            litellm._custom_providers.append(PROVIDER)
