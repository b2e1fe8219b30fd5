"""Deterministic stand-ins for a model: scripted replies and record/replay cassettes.

Both are *transports*, so tests run the real gateway — budget, validation,
re-asks, ledger, events — and only the model is replaced. They ship in the
package so users can test their own workflows and roles the same way.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from softco.errors import LLMError
from softco.llm.cache import request_key
from softco.llm.transport import CompletionRequest, RawCompletion, Transport

ScriptItem = str | dict | list | BaseModel | Exception | Callable[[CompletionRequest], Any]


class ScriptExhausted(LLMError):
    """A scripted model was asked more than its script holds (a test bug, loudly)."""


def _render(item: Any, request: CompletionRequest) -> str:
    if callable(item) and not isinstance(item, BaseModel):
        item = item(request)
    if isinstance(item, Exception):
        raise item
    if isinstance(item, BaseModel):
        return item.model_dump_json()
    if isinstance(item, dict | list):
        return json.dumps(item)
    return str(item)


class ScriptedTransport:
    """Replies from a list (in order) or per role; records every request it saw.

    ``by_role`` queues win over the shared ``replies`` queue; a role key may be a
    prefix (``"critic"`` matches ``"critic:qa_skeptic"``). ``delay_s`` simulates a
    slow provider (for benchmarks); ``default`` answers when the queues are empty.
    """

    def __init__(
        self,
        replies: Iterable[ScriptItem] = (),
        by_role: dict[str, Iterable[ScriptItem]] | None = None,
        default: ScriptItem | None = None,
        delay_s: float = 0.0,
        constrained: bool = True,
    ):
        self.queue: deque[Any] = deque(replies)
        self.by_role: dict[str, deque[Any]] = {k: deque(v) for k, v in (by_role or {}).items()}
        self.default = default
        self.delay_s = delay_s
        self.constrained = constrained
        self.requests: list[CompletionRequest] = []
        self._lock = threading.Lock()

    def constrains(self, model: str) -> bool:
        return self.constrained

    def _next(self, request: CompletionRequest) -> Any:
        with self._lock:
            self.requests.append(request)
            for key in sorted(self.by_role, key=len, reverse=True):
                matches = request.role == key or request.role.startswith(key + ":")
                if matches and self.by_role[key]:
                    return self.by_role[key].popleft()
            if self.queue:
                return self.queue.popleft()
        if self.default is not None:
            return self.default
        raise ScriptExhausted(
            f"scripted model has no reply left for role {request.role!r} "
            f"(schema {request.schema_name}, call #{len(self.requests)})"
        )

    def send(self, request: CompletionRequest) -> RawCompletion:
        item = self._next(request)
        if self.delay_s:
            time.sleep(self.delay_s)
        text = _render(item, request)
        prompt_chars = sum(len(m["content"]) for m in request.messages)
        return RawCompletion(
            text=text,
            prompt_tokens=max(1, prompt_chars // 4),
            completion_tokens=max(1, len(text) // 4),
            model=request.model,
        )


class CassetteMiss(LLMError):
    """Replay found no recorded answer for a request."""


class CassetteTransport:
    """Record real calls to a JSONL cassette, or replay them without any model.

    Replay matches the exact request first; if prompts drifted (a retrieved
    memory, a path), it falls back to the next unused recording of the same
    role and schema, in recorded order — so a cassette survives small prompt
    changes while staying deterministic.
    """

    def __init__(self, path: Path, mode: str = "replay", inner: Transport | None = None):
        if mode not in {"replay", "record"}:
            raise ValueError("cassette mode must be 'replay' or 'record'")
        if mode == "record" and inner is None:
            raise ValueError("recording needs an inner transport")
        self.path = Path(path)
        self.mode = mode
        self.inner = inner
        self._lock = threading.Lock()
        self._used: set[int] = set()
        self.entries: list[dict[str, Any]] = []
        if mode == "replay":
            if not self.path.exists():
                raise CassetteMiss(f"cassette {self.path} does not exist; record it first")
            for line in self.path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    self.entries.append(json.loads(line))
        self._by_slot: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, entry in enumerate(self.entries):
            self._by_slot[(entry["role"], entry.get("schema") or "")].append(i)

    def constrains(self, model: str) -> bool:
        return self.inner.constrains(model) if self.inner else True

    def send(self, request: CompletionRequest) -> RawCompletion:
        if self.mode == "record":
            assert self.inner is not None
            completion = self.inner.send(request)
            entry = {
                "key": request_key(request),
                "role": request.role,
                "schema": request.schema_name or "",
                "completion": completion.model_dump(),
            }
            with self._lock, self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(entry) + "\n")
            return completion
        return RawCompletion.model_validate(self._lookup(request)["completion"])

    def _lookup(self, request: CompletionRequest) -> dict[str, Any]:
        key = request_key(request)
        with self._lock:
            for i, entry in enumerate(self.entries):
                if i not in self._used and entry["key"] == key:
                    self._used.add(i)
                    return entry
            for i in self._by_slot.get((request.role, request.schema_name or ""), []):
                if i not in self._used:
                    self._used.add(i)
                    return self.entries[i]
        raise CassetteMiss(
            f"cassette {self.path.name} has no recording left for role {request.role!r} "
            f"schema {request.schema_name}; re-record it with --record"
        )


def ScriptedLLM(
    replies: Iterable[ScriptItem] = (),
    by_role: dict[str, Iterable[ScriptItem]] | None = None,
    default: ScriptItem | None = None,
    **gateway_kwargs: Any,
):
    """A full gateway whose "model" is a script — the way to test roles and workflows."""
    from softco.llm.gateway import Gateway

    transport = ScriptedTransport(replies, by_role=by_role, default=default)
    return Gateway(transport=transport, **gateway_kwargs)
