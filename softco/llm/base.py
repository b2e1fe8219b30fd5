"""The LLM seam: the one interface every role calls.

Roles never see providers, retries, caches or budgets; they call
``llm.complete(messages, schema=Model, role="architect")`` and get a ``Reply``
whose ``parsed`` is a validated instance of ``Model`` (or a typed error).
"""

from __future__ import annotations

from typing import Any, Protocol, TypedDict, runtime_checkable

from pydantic import BaseModel, Field


class Message(TypedDict):
    role: str  # "system" | "user" | "assistant"
    content: str


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class Reply(BaseModel):
    """What a call returns: the raw text, and the validated object when a schema was asked."""

    text: str
    parsed: Any = None
    usage: Usage = Field(default_factory=Usage)
    latency_s: float = 0.0
    model: str = ""
    cached: bool = False
    attempts: int = 1
    finish_reason: str = ""


@runtime_checkable
class LLM(Protocol):
    """Anything that can answer a chat: the gateway, ``ScriptedLLM``, a cassette."""

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
    ) -> Reply: ...


def system_user(system: str, user: str) -> list[Message]:
    """The two-message prompt every role uses (shared system prefix → prompt cache hits)."""
    return [Message(role="system", content=system), Message(role="user", content=user)]
