"""What every role shares: its context, prompt rendering, and the one ``ask`` call.

A role is a few small functions that render a prompt, call :func:`ask` and
return a typed artifact. ``ask`` is the only place that talks to the LLM, adds
retrieved memory and announces the result on the event log, so every role
behaves the same way in the conversation view and in the ledger.

Prompt convention: each role family has ``prompts/<family>.system.md.j2``
(rendered without variables, so it is byte-identical on every call of the
family and the llama.cpp prompt cache keeps hitting) and one
``prompts/<family>.<task>.md.j2`` per task for the user message.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

import jinja2
from pydantic import BaseModel

from softco.config import Settings
from softco.events import AgentMessage, EventLog, MemoryActivity
from softco.llm.base import LLM, system_user

T = TypeVar("T", bound=BaseModel)

SUMMARY_CHARS = 160


@dataclass
class RoleContext:
    """Everything a role needs for one call; built by the workflow node that calls it."""

    llm: LLM
    settings: Settings
    events: EventLog | None = None
    recall: object | None = None
    """Shared memory (duck-typed): ``for_role(role, task_text, token_budget, already)``."""
    phase: str = ""
    sprint: int | None = None

    def emit(self, event: Any) -> None:
        """Send an event if the run has a log (roles also run without one, e.g. in tests)."""
        if self.events is not None:
            self.events.emit(event)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )


@cache
def _source(template_name: str) -> str:
    files = importlib.resources.files("softco.roles") / "prompts" / f"{template_name}.md.j2"
    if not files.is_file():
        raise FileNotFoundError(f"no prompt template {template_name!r} in softco/roles/prompts/")
    return files.read_text(encoding="utf-8")


def render(template_name: str, **variables: Any) -> str:
    """Render ``prompts/<template_name>.md.j2``; an undefined variable raises at once."""
    template = _environment().from_string(_source(template_name))
    return template.render(**variables).strip() + "\n"


def memory_budget(settings: Settings, role: str) -> int:
    """Tokens of retrieved memory a role may receive (0 = none)."""
    if not settings.memory.enabled:
        return 0
    overrides = settings.llm.roles.get(role.split(":")[0])
    if overrides is not None and overrides.memory_tokens is not None:
        return overrides.memory_tokens
    return settings.memory.default_tokens


def _hit_source(hit: Any) -> str:
    source = getattr(hit, "source", None)
    if source is None and isinstance(hit, dict):
        source = hit.get("source") or hit.get("id")
    return str(source or getattr(hit, "id", "") or "memory")


def recall_notes(ctx: RoleContext, role: str, task_text: str, already: str) -> str:
    """Packed memory for this call, or "" — memory trouble never stops a role.

    A broken or slow store is reported as an ``unavailable`` memory event and
    the role simply goes on without notes.
    """
    budget = memory_budget(ctx.settings, role)
    for_role = getattr(ctx.recall, "for_role", None)
    if budget <= 0 or for_role is None:
        return ""
    try:
        text, hits = for_role(role, task_text, budget, already)
    except Exception as exc:
        ctx.emit(MemoryActivity(action="unavailable", role=role, detail=str(exc)[:200]))
        return ""
    if not text or not str(text).strip():
        return ""
    hits = list(hits or [])
    ctx.emit(
        MemoryActivity(
            action="retrieved",
            role=role,
            count=len(hits),
            sources=[_hit_source(h) for h in hits],
        )
    )
    return str(text).strip()


def one_line(text: str, limit: int = SUMMARY_CHARS) -> str:
    """Collapse whitespace and cut, for conversation lines and prompt snippets."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def ask(
    ctx: RoleContext,
    *,
    role: str,
    template: str,
    schema: type[T],
    task_summary: str,
    max_tokens: int | None = None,
    temperature: float | None = None,
    seed: int | None = None,
    describe: Callable[[T], str] | None = None,
    **variables: Any,
) -> T:
    """Render ``template``, add memory, call the model, announce and return the artifact.

    ``task_summary`` is the short task statement used as the memory query;
    ``describe`` turns the result into the one-line conversation message (by
    default "<Schema>: <task_summary>").
    """
    family = template.split(".", 1)[0]
    system = render(f"{family}.system")
    user = render(template, **variables)
    notes = recall_notes(ctx, role, task_summary, user)
    if notes:
        user += f"\nRelevant notes from memory:\n{notes}\n"
    reply = ctx.llm.complete(
        system_user(system, user),
        schema,
        role=role,
        phase=ctx.phase,
        temperature=temperature,
        max_tokens=max_tokens,
        seed=seed,
    )
    result: T = reply.parsed
    text = describe(result) if describe else f"{schema.__name__}: {task_summary}"
    ctx.emit(AgentMessage(role=role, phase=ctx.phase, text=one_line(text)))
    return result
