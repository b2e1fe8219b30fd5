"""Typed run events and the JSONL event log every run writes.

The event log is the one source of truth for watching a run: the CLI progress,
the TUI (live or replayed) and the SDK's event iterator all read the same
stream. Events are pydantic models discriminated by ``type``; each line of
``events.jsonl`` is one event. Readers tolerate a truncated last line and
unknown event types (from a newer softco) so a crash or an upgrade never makes
a run unreadable.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from softco.errors import EventLogError, RunNotFound

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


Listener = Callable[[Any], None]


class EventLog:
    """Append-only JSONL writer shared by every node of a run.

    Thread-safe (coders of one generation run concurrently); each line is
    flushed at once so a SIGKILL loses at most the line being written, and
    fsynced at phase boundaries (per-line fsync cost more than the calls). On resume
    the sequence number continues from the last event on disk.
    """

    def __init__(self, run_dir: Path, run_id: str = "") -> None:
        self.path = Path(run_dir) / EVENTS_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.run_id = run_id
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._seq = _last_seq(self.path)
        heal_tail(self.path)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event)`` for every event emitted from now on."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def emit(self, event: Any) -> Any:
        with self._lock:
            self._seq += 1
            event.seq = self._seq
            if not event.run_id:
                event.run_id = self.run_id
            line = event.model_dump_json()
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")
                fh.flush()  # a killed process loses nothing flushed to the OS
                if event.type in ("run_finished", "phase_finished"):
                    os.fsync(fh.fileno())  # a machine crash loses at most one phase
        for listener in list(self._listeners):
            with contextlib.suppress(Exception):  # a broken display must never stop a run
                listener(event)
        return event


def heal_tail(path: Path) -> None:
    """End a log torn by a kill with a newline, so the next append starts a fresh line."""
    try:
        with path.open("rb+") as fh:
            fh.seek(0, os.SEEK_END)
            if fh.tell() == 0:
                return
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) != b"\n":
                fh.write(b"\n")
    except FileNotFoundError:
        return


def _last_seq(path: Path) -> int:
    if not path.exists():
        return 0
    last = 0
    for event in read_events(path):
        last = max(last, event.seq)
    return last


def _events_path(path: Path) -> Path:
    path = Path(path)
    if path.is_dir():
        path = path / EVENTS_FILE
    if not path.exists():
        raise RunNotFound(f"no event log at {path}: is this a softco run directory?")
    return path


def read_events(path: Path, problems: list[str] | None = None) -> Iterator[Any]:
    """Yield every readable event of a finished (or crashed) run.

    Malformed lines are skipped and described in ``problems`` (when given), so
    one bad line never hides the rest of a run.
    """
    path = _events_path(path)
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        raise EventLogError(f"cannot read {path}: {exc}") from exc
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            yield parse_event(data)
        except (ValueError, ValidationError) as exc:
            if problems is not None:
                problems.append(f"line {lineno}: skipped malformed event ({str(exc)[:80]})")


def follow_events(
    path: Path,
    stop: Callable[[], bool] = lambda: False,
    poll_s: float = 0.2,
    problems: list[str] | None = None,
) -> Iterator[Any]:
    """Tail a live run's log, yielding events as they are written.

    Ends when the log has been read to its end and its last run segment
    finished (a resumed run appends a new ``run_started`` after an earlier
    ``run_finished``), or when ``stop()`` is true. A partial last line is held
    back until its newline arrives.
    """
    path = Path(path)
    if path.is_dir():
        path = path / EVENTS_FILE
    buffer = ""
    offset = 0
    lineno = 0
    finished = False
    while not stop():
        chunk = b""
        if path.exists():
            with path.open("rb") as fh:
                fh.seek(offset)
                chunk = fh.read()
            offset += len(chunk)
            buffer += chunk.decode("utf-8", errors="replace")
            *lines, buffer = buffer.split("\n")
            for line in lines:
                lineno += 1
                if not line.strip():
                    continue
                try:
                    event = parse_event(json.loads(line))
                except (ValueError, ValidationError) as exc:
                    if problems is not None:
                        problems.append(f"line {lineno}: skipped malformed event ({exc})")
                    continue
                yield event
                kind = getattr(event, "type", "")
                if kind == "run_finished":
                    finished = True
                elif kind == "run_started":
                    finished = False
            if finished and not chunk and not buffer:
                return
        time.sleep(poll_s)
