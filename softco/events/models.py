"""Typed run events: one pydantic model per ``type``, discriminated on it.

Readers tolerate unknown event types (from a newer softco): they come back as
``UnknownEvent`` so an upgrade never makes a run unreadable.
"""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter

SCHEMA_VERSION = 1
EVENTS_FILE = "events.jsonl"

FileState = Literal["pending", "writing", "written", "failing", "passing"]


class _Base(BaseModel):
    v: int = SCHEMA_VERSION
    seq: int = 0
    ts: float = Field(default_factory=time.time)
    run_id: str = ""


class RunStarted(_Base):
    type: Literal["run_started"] = "run_started"
    brief: str
    mode: str
    model: str
    budget_usd: float | None = None
    budget_tokens: int | None = None
    resumed: bool = False


class PhaseStarted(_Base):
    type: Literal["phase_started"] = "phase_started"
    phase: str
    sprint: int | None = None


class PhaseFinished(_Base):
    type: Literal["phase_finished"] = "phase_finished"
    phase: str
    sprint: int | None = None
    duration_s: float = 0.0


class AgentMessage(_Base):
    """A line of the agents' conversation: what a role said or produced."""

    type: Literal["agent_message"] = "agent_message"
    role: str
    phase: str = ""
    text: str
    to: str | None = None


class LLMCall(_Base):
    """One model call, with running totals so a reader needs no arithmetic."""

    type: Literal["llm_call"] = "llm_call"
    role: str
    phase: str = ""
    model: str
    prompt_tokens: int = 0
    # prompt tokens the backend's prompt cache served (the embedded engine reports them):
    # how much of a prompt's prefill a shared prefix saved
    cached_prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0
    cached: bool = False
    total_tokens: int = 0
    total_cost_usd: float = 0.0
    memory_items: int = 0


class ArtifactSaved(_Base):
    type: Literal["artifact_saved"] = "artifact_saved"
    kind: str
    name: str
    path: str
    summary: str = ""


class DebateTurn(_Base):
    """An objection, an answer or a verdict in the requirement debate."""

    type: Literal["debate_turn"] = "debate_turn"
    round: int
    speaker: str
    kind: Literal["objection", "answer", "verdict", "summary"]
    text: str
    objection_id: str | None = None
    verdict: str | None = None


class DesignReady(_Base):
    """The dependency graph: generations of file paths and their edges."""

    type: Literal["design_ready"] = "design_ready"
    generations: list[list[str]]
    edges: list[tuple[str, str]] = Field(default_factory=list)
    critical_path: int = 0


class FileStatus(_Base):
    type: Literal["file_status"] = "file_status"
    path: str
    status: FileState
    generation: int | None = None
    role: str = "coder"
    detail: str = ""


class TestCaseResult(BaseModel):
    name: str
    outcome: Literal["passed", "failed", "error", "skipped"]
    message: str = ""


class TestsRun(_Base):
    type: Literal["tests_run"] = "tests_run"
    round: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    total: int = 0
    duration_s: float = 0.0
    cases: list[TestCaseResult] = Field(default_factory=list)
    timed_out: bool = False


class ReviewDone(_Base):
    type: Literal["review_done"] = "review_done"
    round: int = 0
    findings: int = 0
    blocking: int = 0
    summary: str = ""


class BacklogUpdated(_Base):
    """The sprint board: every story with its column."""

    type: Literal["backlog_updated"] = "backlog_updated"
    stories: list[dict[str, Any]]
    sprint: int | None = None


class ApprovalRequested(_Base):
    type: Literal["approval_requested"] = "approval_requested"
    gate: str
    request_id: str
    artifact_kind: str
    artifact: dict[str, Any]


class ApprovalResolved(_Base):
    type: Literal["approval_resolved"] = "approval_resolved"
    gate: str
    request_id: str
    decision: Literal["approve", "edit", "reject"]
    comment: str = ""


class MemoryActivity(_Base):
    type: Literal["memory"] = "memory"
    action: Literal["retrieved", "stored", "unavailable"]
    role: str = ""
    count: int = 0
    sources: list[str] = Field(default_factory=list)
    detail: str = ""


class Notice(_Base):
    """A warning or information a user should see (sandbox fallback, retries)."""

    type: Literal["notice"] = "notice"
    level: Literal["info", "warning", "error"] = "info"
    message: str


class RunFinished(_Base):
    type: Literal["run_finished"] = "run_finished"
    stop_reason: str
    report_path: str = ""
    total_tokens: int = 0
    total_cost_usd: float = 0.0
    duration_s: float = 0.0
    tests_passed: int = 0
    tests_total: int = 0
    error: str | None = None


class UnknownEvent(BaseModel):
    """An event this version does not know (written by a newer softco)."""

    type: str
    v: int = SCHEMA_VERSION
    seq: int = 0
    ts: float = 0.0
    run_id: str = ""
    raw: dict[str, Any] = Field(default_factory=dict)


Event = Annotated[
    RunStarted
    | PhaseStarted
    | PhaseFinished
    | AgentMessage
    | LLMCall
    | ArtifactSaved
    | DebateTurn
    | DesignReady
    | FileStatus
    | TestsRun
    | ReviewDone
    | BacklogUpdated
    | ApprovalRequested
    | ApprovalResolved
    | MemoryActivity
    | Notice
    | RunFinished,
    Field(discriminator="type"),
]
_ADAPTER: TypeAdapter[Any] = TypeAdapter(Event)
KNOWN_TYPES = frozenset(
    m.model_fields["type"].default
    for m in (
        RunStarted,
        PhaseStarted,
        PhaseFinished,
        AgentMessage,
        LLMCall,
        ArtifactSaved,
        DebateTurn,
        DesignReady,
        FileStatus,
        TestsRun,
        ReviewDone,
        BacklogUpdated,
        ApprovalRequested,
        ApprovalResolved,
        MemoryActivity,
        Notice,
        RunFinished,
    )
)


def parse_event(data: dict[str, Any]) -> Any:
    """Turn one decoded JSON object into an event; unknown types are kept, not dropped."""
    if data.get("type") not in KNOWN_TYPES:
        return UnknownEvent(
            type=str(data.get("type", "?")),
            v=int(data.get("v", 0) or 0),
            seq=int(data.get("seq", 0) or 0),
            ts=float(data.get("ts", 0.0) or 0.0),
            run_id=str(data.get("run_id", "")),
            raw=data,
        )
    return _ADAPTER.validate_python(data)
