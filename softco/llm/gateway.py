"""The gateway: the ``LLM`` every role talks to.

One place decides, for every backend alike: which model a role uses, whether
the budget allows the call, whether the answer is cached, how a structured
answer is validated and re-asked (at most ``structured_retries`` times — never
a retry storm), which errors are retried (rate limits, timeouts, 5xx) and which
never are (auth, bad request, context overflow), and what goes in the ledger
and the event log.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from softco.config import Settings
from softco.errors import (
    ArtifactInvalid,
    ConfigError,
    ModelNotFound,
    ProviderAuthError,
    ProviderUnavailable,
)
from softco.events import EventLog, LLMCall, Notice
from softco.llm.base import Message, Reply, Usage
from softco.llm.cache import ResponseCache
from softco.llm.ledger import CallRecord, UsageLedger
from softco.llm.structured import (
    json_schema_for,
    parse_plain,
    parse_reply,
    reask_message,
    salvage_json,
    schema_hint,
)
from softco.llm.transport import (
    CompletionRequest,
    LiteLLMTransport,
    RawCompletion,
    Transport,
    as_messages,
    is_local,
    with_retries,
)

_UNSET = object()


class Gateway:
    """Implements :class:`softco.llm.base.LLM` over any transport."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        transport: Transport | None = None,
        ledger: UsageLedger | None = None,
        events: EventLog | None = None,
        cache: ResponseCache | object | None = _UNSET,
    ):
        self.settings = settings or Settings.load()
        self.transport: Transport = transport or LiteLLMTransport()
        self.ledger = ledger or UsageLedger(self.settings.budget)
        self.events = events
        if cache is _UNSET:
            use_cache = self.settings.llm.cache and _real(self.transport)
            folder = self.settings.llm.cache_dir or self.settings.home / "cache" / "responses"
            cache = ResponseCache(Path(folder)) if use_cache else None
        self.cache: ResponseCache | None = cache  # type: ignore[assignment]
        if _real(self.transport):
            from softco.llm.local_provider import configure_local

            configure_local(self.settings.local, self.settings.home)

    def model_for(self, role: str) -> str:
        return self.settings.llm.for_role(role.split(":")[0])[0]

    def check_ready(self, roles: tuple[str, ...] = ("pm", "architect", "coder")) -> None:
        """Fail fast (before a run starts) on a missing key or a missing local model."""
        if not _real(self.transport):
            return
        import litellm

        for model in {self.model_for(r) for r in roles}:
            if is_local(model):
                from softco.llm.local_provider import resolve_model_path

                resolve_model_path(model.split("/", 1)[1])
                continue
            if self.settings.llm.api_base:
                _check_reachable(self.settings.llm.api_base)
                continue
            try:
                env = litellm.validate_environment(model=model)
            except Exception as exc:
                raise ModelNotFound(f"unknown model string {model!r}: {exc}") from None
            if env.get("missing_keys"):
                keys = ", ".join(env["missing_keys"])
                raise ProviderAuthError(f"{model} needs {keys} in the environment; export it")

    def complete(
        self,
        messages: list[Message],
        schema: type[BaseModel] | None = None,
        *,
        role: str = "",
        phase: str = "",
        temperature: float | None = None,
        max_tokens: int | None = None,
        seed: int | None = None,
    ) -> Reply:
        model, default_temp, default_max = self.settings.llm.for_role(role.split(":")[0])
        # plain-text schemas (code) are asked for as a fenced block, never as JSON
        plain = bool(getattr(schema, "plain_text", False))
        request = CompletionRequest(
            model=model,
            messages=as_messages(messages),
            schema_name=schema.__name__ if schema else None,
            json_schema=json_schema_for(schema) if schema and not plain else None,
            temperature=default_temp if temperature is None else temperature,
            max_tokens=max_tokens or default_max,
            seed=seed,
            role=role,
            phase=phase,
            api_base=self.settings.llm.api_base,
            backend=str(self.settings.local.model_path or "") if is_local(model) else "",
            timeout_s=self.settings.llm.timeout_s,
        )
        if schema is not None and not plain and not self.transport.constrains(model):
            first = request.messages[0]
            hint = schema_hint(schema)
            if first["role"] == "system":
                merged = first["content"] + "\n\n" + hint
                request.messages[0] = {"role": "system", "content": merged}
            else:
                request.messages.insert(0, {"role": "system", "content": hint})
        start = time.perf_counter()
        first_messages, first_max = list(request.messages), request.max_tokens
        attempts = 1 + (self.settings.llm.structured_retries if schema else 0)
        usage = Usage()
        errors: list[str] = []
        raw = RawCompletion(text="")
        cached = False
        for attempt in range(1, attempts + 1):
            raw, cached = self._send(request)
            usage.prompt_tokens += raw.prompt_tokens
            usage.completion_tokens += raw.completion_tokens
            usage.cost_usd += raw.cost_usd
            if schema is None:
                return self._reply(raw, None, usage, start, model, cached, attempt)
            parsed, errors = (
                parse_plain(raw.text, schema) if plain else parse_reply(raw.text, schema)
            )
            if parsed is None and raw.finish_reason == "length":
                # keep what was complete before the cut instead of asking afresh
                parsed = _salvage(raw.text, schema, plain)
                if parsed is not None and self.events is not None:
                    self.events.emit(
                        Notice(
                            level="info",
                            message=f"{role or 'model'}: {schema.__name__} cut off at "
                            f"max_tokens; kept its complete part",
                        )
                    )
            if parsed is not None:
                if self.cache and not cached:
                    self.cache.put(request, raw)
                return self._reply(raw, parsed, usage, start, model, cached, attempt)
            if raw.finish_reason == "length":
                errors.append("your reply was cut off at max_tokens: be more concise")
            if self.events is not None:
                self.events.emit(
                    Notice(
                        level="warning",
                        message=f"{role or 'model'}: invalid {schema.__name__} "
                        f"(try {attempt}/{attempts}): " + "; ".join(errors[:3]),
                    )
                )
            # At temperature 0 a small model repeats the same mistake word for word;
            # a little randomness (a different seed per try) lets the re-ask land.
            update: dict[str, Any] = {
                "temperature": max(request.temperature, 0.3),
                "seed": (request.seed or 0) + attempt,
            }
            if raw.finish_reason == "length":
                # Showing a cut-off reply back makes a small model continue it and hit the
                # cap again: ask afresh, for less, with a little more room (at most 2x).
                update["messages"] = _asking_for_less(first_messages, plain)
                update["max_tokens"] = min(int(request.max_tokens * 1.5), 2 * first_max)
            else:
                update["messages"] = [
                    *request.messages,
                    {"role": "assistant", "content": raw.text[:4000]},
                    {"role": "user", "content": reask_message(errors, plain)},
                ]
            request = request.model_copy(update=update)
        raise ArtifactInvalid(
            f"{role or 'model'} returned an invalid {schema.__name__ if schema else 'reply'} "
            f"after {attempts} tries: " + "; ".join(errors[:3]),
            errors=errors,
            raw=raw.text,
        )

    def _send(self, request: CompletionRequest) -> tuple[RawCompletion, bool]:
        if self.cache is not None:
            hit = self.cache.get(request)
            if hit is not None:
                self._record(request, hit, 0.0, cached=True)
                return hit, True
        prompt_est = sum(len(m["content"]) for m in request.messages) // 3
        held = self.ledger.reserve(
            prompt_est, request.max_tokens, self._worst_cost(request, prompt_est)
        )
        try:
            begin = time.perf_counter()
            raw = with_retries(lambda: self.transport.send(request), self.settings.llm.max_retries)
            self._record(request, raw, time.perf_counter() - begin, cached=False)
        finally:
            self.ledger.release(held)
        if self.cache is not None and request.schema_name is None:
            self.cache.put(request, raw)  # a schema'd reply is cached once it validates
        return raw, False

    def _worst_cost(self, request: CompletionRequest, prompt_est: int) -> float:
        if is_local(request.model) or not _real(self.transport):
            return 0.0
        import litellm

        try:
            p, c = litellm.cost_per_token(
                model=request.model, prompt_tokens=prompt_est, completion_tokens=request.max_tokens
            )
            return float(p + c)
        except Exception:
            return 0.0

    def _record(self, request: CompletionRequest, raw: RawCompletion, latency: float, cached: bool):
        totals = self.ledger.record(
            CallRecord(
                role=request.role,
                phase=request.phase,
                model=request.model,
                prompt_tokens=0 if cached else raw.prompt_tokens,
                completion_tokens=0 if cached else raw.completion_tokens,
                cost_usd=0.0 if cached else raw.cost_usd,
                latency_s=latency,
                cached=cached,
            )
        )
        if self.events is not None:
            self.events.emit(
                LLMCall(
                    role=request.role,
                    phase=request.phase,
                    model=request.model,
                    prompt_tokens=raw.prompt_tokens,
                    cached_prompt_tokens=raw.cached_prompt_tokens,
                    completion_tokens=raw.completion_tokens,
                    cost_usd=raw.cost_usd,
                    latency_s=round(latency, 3),
                    cached=cached,
                    total_tokens=totals.total_tokens,
                    total_cost_usd=round(totals.cost_usd, 6),
                )
            )

    @staticmethod
    def _reply(raw, parsed, usage, start, model, cached, attempt) -> Reply:
        return Reply(
            text=raw.text,
            parsed=parsed,
            usage=usage,
            latency_s=time.perf_counter() - start,
            model=model,
            cached=cached,
            attempts=attempt,
            finish_reason=raw.finish_reason,
        )


def _check_reachable(url: str, timeout_s: float = 3.0) -> None:
    """Fail in seconds, not minutes, when an api_base refuses or drops connections."""
    import socket
    from urllib.parse import urlparse

    parsed = urlparse(url)
    if not parsed.hostname:
        raise ConfigError(f"api_base {url!r} is not a URL like http://localhost:8000/v1")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        socket.create_connection((parsed.hostname, port), timeout=timeout_s).close()
    except OSError as exc:
        raise ProviderUnavailable(
            f"api_base {url} is unreachable ({exc}); start the server or fix llm.api_base"
        ) from None


def _real(transport: object) -> bool:
    """A transport that reaches real models: LiteLLM itself, or a recorder wrapping it."""
    return isinstance(transport, LiteLLMTransport) or isinstance(
        getattr(transport, "inner", None), LiteLLMTransport
    )


def _salvage(text: str, schema: type[BaseModel], plain: bool) -> BaseModel | None:
    """A cut-off reply's complete part: a plain schema knows its own, JSON is cut back."""
    if plain:
        salvage = getattr(schema, "salvage", None)
        return salvage(text) if salvage is not None else None
    return salvage_json(text, schema)


def _asking_for_less(messages: list[Message], code: bool = False) -> list[Message]:
    """The original request with a note to keep the answer short (after a cut-off)."""
    note = "\n\nKeep the answer short: a previous answer was too long and was cut off. " + (
        "Write only what the file needs; no examples, no repeated tests."
        if code
        else "Fewer items, one short sentence each."
    )
    out = [dict(m) for m in messages]
    for m in reversed(out):
        if m["role"] == "user":
            m["content"] = str(m["content"]) + note
            break
    return out  # type: ignore[return-value]
