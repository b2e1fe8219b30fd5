"""`RunView`: everything the TUI shows, folded from the event stream.

Plain Python with no Textual import, so the fold is tested as plain functions
and the widgets stay dumb: each pane renders a `RunView`, none keeps its own
copy of the run. All times come from event timestamps (never the wall clock),
which keeps replays and snapshot tests deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from softco.events import (
    AgentMessage,
    ApprovalRequested,
    ApprovalResolved,
    ArtifactSaved,
    BacklogUpdated,
    DebateTurn,
    DesignReady,
    FileStatus,
    LLMCall,
    MemoryActivity,
    Notice,
    PhaseFinished,
    PhaseStarted,
    ReviewDone,
    RunFinished,
    RunStarted,
    TestsRun,
    UnknownEvent,
)

WATERFALL_PHASES = ("requirements", "debate", "design", "code", "test", "review", "deliver")
AGILE_PHASES = ("backlog", "debate")
SPRINT_PHASES = ("planning", "design", "code", "test", "review", "sprint_review", "retro")

PhaseStatus = Literal["pending", "running", "done"]
Column = Literal["backlog", "sprint", "done"]
LineKind = Literal["agent", "notice", "memory", "approval", "system", "unknown"]

# Story statuses as a planner might spell them, mapped onto the board's columns.
_COLUMNS: dict[str, Column] = {
    "backlog": "backlog",
    "todo": "backlog",
    "new": "backlog",
    "deferred": "backlog",
    "rejected": "backlog",
    "sprint": "sprint",
    "in_sprint": "sprint",
    "selected": "sprint",
    "planned": "sprint",
    "in_progress": "sprint",
    "doing": "sprint",
    "done": "done",
    "accepted": "done",
    "complete": "done",
}


@dataclass
class PhaseRow:
    name: str
    sprint: int | None = None
    status: PhaseStatus = "pending"
    started_ts: float | None = None
    duration_s: float = 0.0


@dataclass
class StoryCard:
    id: str
    title: str
    points: int | None = None
    column: Column = "backlog"
    sprint: int | None = None


@dataclass
class Line:
    """One line of the conversation pane."""

    ts: float
    kind: LineKind
    speaker: str
    text: str
    level: str = "info"
    to: str | None = None


@dataclass
class FileRow:
    path: str
    status: str = "pending"
    generation: int | None = None
    role: str = "coder"
    detail: str = ""


@dataclass
class Usage:
    total_tokens: int = 0
    total_cost_usd: float = 0.0
    calls: int = 0
    cached_calls: int = 0
    budget_usd: float | None = None
    budget_tokens: int | None = None
    by_role: dict[str, int] = field(default_factory=dict)

    @property
    def budget_fraction(self) -> float | None:
        """Share of the cap spent (dollars first, then tokens); None without a cap."""
        if self.budget_usd:
            return self.total_cost_usd / self.budget_usd
        if self.budget_tokens:
            return self.total_tokens / self.budget_tokens
        return None


@dataclass
class RunView:
    run_id: str = ""
    brief: str = ""
    mode: str = ""
    model: str = ""
    started_ts: float | None = None
    last_ts: float | None = None
    events_seen: int = 0
    phases: list[PhaseRow] = field(default_factory=list)
    current_phase: str | None = None
    current_sprint: int | None = None
    stories: dict[str, StoryCard] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    debate: list[DebateTurn] = field(default_factory=list)
    generations: list[list[str]] = field(default_factory=list)
    edges: list[tuple[str, str]] = field(default_factory=list)
    design_version: int = 0
    files: dict[str, FileRow] = field(default_factory=dict)
    tests: list[TestsRun] = field(default_factory=list)
    reviews: list[ReviewDone] = field(default_factory=list)
    artifacts: list[ArtifactSaved] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    approvals: dict[str, ApprovalRequested] = field(default_factory=dict)
    resolutions: dict[str, ApprovalResolved] = field(default_factory=dict)
    memory_retrieved: int = 0
    memory_stored: int = 0
    memory_unavailable: bool = False
    warnings: int = 0
    unknown: int = 0
    malformed: int = 0
    finished: RunFinished | None = None

    @property
    def elapsed_s(self) -> float:
        if self.started_ts is None or self.last_ts is None:
            return 0.0
        return max(0.0, self.last_ts - self.started_ts)

    @property
    def pending_approval(self) -> ApprovalRequested | None:
        """The newest gate nobody has answered yet (what the modal shows)."""
        for request_id in reversed(self.approvals):
            if request_id not in self.resolutions:
                return self.approvals[request_id]
        return None

    @property
    def sprints(self) -> list[int]:
        return sorted({p.sprint for p in self.phases if p.sprint is not None})

    def phase(self, name: str, sprint: int | None = None) -> PhaseRow:
        """The row for a phase, created (in order of appearance) if unplanned."""
        for row in self.phases:
            if row.name == name and row.sprint == sprint:
                return row
        row = PhaseRow(name, sprint)
        self.phases.append(row)
        return row


def _run_started(view: RunView, e: RunStarted) -> None:
    view.run_id, view.brief, view.mode, view.model = e.run_id, e.brief, e.mode, e.model
    view.started_ts = view.started_ts if e.resumed and view.started_ts else e.ts
    view.usage.budget_usd, view.usage.budget_tokens = e.budget_usd, e.budget_tokens
    planned = WATERFALL_PHASES if e.mode == "waterfall" else AGILE_PHASES
    for name in planned:
        view.phase(name)
    view.lines.append(Line(e.ts, "system", "softco", f"{e.mode} run started: {e.brief}"))


def _phase_started(view: RunView, e: PhaseStarted) -> None:
    if e.sprint is not None and e.sprint not in view.sprints:
        for name in SPRINT_PHASES:  # plan the sprint's row so the timeline shows what is left
            view.phase(name, e.sprint)
    row = view.phase(e.phase, e.sprint)
    row.status, row.started_ts = "running", e.ts
    view.current_phase, view.current_sprint = e.phase, e.sprint
    label = e.phase if e.sprint is None else f"sprint {e.sprint} · {e.phase}"
    view.lines.append(Line(e.ts, "system", "phase", label))


def _phase_finished(view: RunView, e: PhaseFinished) -> None:
    row = view.phase(e.phase, e.sprint)
    spent = e.duration_s or (e.ts - row.started_ts if row.started_ts is not None else 0.0)
    row.status, row.duration_s = "done", row.duration_s + spent
    if view.current_phase == e.phase:
        view.current_phase = None


def _agent_message(view: RunView, e: AgentMessage) -> None:
    view.lines.append(Line(e.ts, "agent", e.role, e.text, to=e.to))


def _llm_call(view: RunView, e: LLMCall) -> None:
    u = view.usage
    spent = e.prompt_tokens + e.completion_tokens
    u.calls += 1
    u.cached_calls += int(e.cached)
    u.total_tokens = e.total_tokens or u.total_tokens + spent
    u.total_cost_usd = e.total_cost_usd or u.total_cost_usd + e.cost_usd
    u.by_role[e.role] = u.by_role.get(e.role, 0) + spent


def _design_ready(view: RunView, e: DesignReady) -> None:
    view.generations = [list(g) for g in e.generations]
    view.edges = [tuple(edge) for edge in e.edges]  # type: ignore[misc]
    view.design_version += 1
    for gen, paths in enumerate(view.generations):
        for path in paths:
            row = view.files.setdefault(path, FileRow(path))
            row.generation = gen
    files = sum(len(g) for g in view.generations)
    view.lines.append(
        Line(e.ts, "system", "design", f"{files} files in {len(view.generations)} generations")
    )


def _file_status(view: RunView, e: FileStatus) -> None:
    row = view.files.setdefault(e.path, FileRow(e.path))
    row.status, row.role, row.detail = e.status, e.role, e.detail
    if e.generation is not None:
        row.generation = e.generation


def _tests_run(view: RunView, e: TestsRun) -> None:
    view.tests.append(e)
    late = " (timed out)" if e.timed_out else ""
    view.lines.append(
        Line(e.ts, "system", "tests", f"round {e.round}: {e.passed}/{e.total} passed{late}")
    )


def _review_done(view: RunView, e: ReviewDone) -> None:
    view.reviews.append(e)
    view.lines.append(
        Line(e.ts, "system", "review", f"{_plural(e.findings, 'finding')}, {e.blocking} blocking")
    )


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _backlog(view: RunView, e: BacklogUpdated) -> None:
    cards: dict[str, StoryCard] = {}
    for n, story in enumerate(e.stories, 1):
        sid = str(story.get("id") or story.get("key") or f"S{n}")
        status = str(story.get("status") or story.get("column") or "backlog").lower()
        points = story.get("points")
        cards[sid] = StoryCard(
            id=sid,
            title=str(story.get("title") or story.get("name") or story.get("text") or sid),
            points=points if isinstance(points, int) else None,
            column=_COLUMNS.get(status.replace(" ", "_").replace("-", "_"), "backlog"),
            sprint=story.get("sprint") if isinstance(story.get("sprint"), int) else e.sprint,
        )
    view.stories = cards


def _approval_requested(view: RunView, e: ApprovalRequested) -> None:
    view.approvals[e.request_id] = e
    view.lines.append(
        Line(e.ts, "approval", e.gate, f"waiting for approval of the {e.artifact_kind}")
    )


def _approval_resolved(view: RunView, e: ApprovalResolved) -> None:
    view.resolutions[e.request_id] = e
    note = f": {e.comment}" if e.comment else ""
    view.lines.append(Line(e.ts, "approval", e.gate, f"{e.decision}{note}"))


def _memory(view: RunView, e: MemoryActivity) -> None:
    if e.action == "retrieved":
        view.memory_retrieved += e.count
        text = f"{e.role or 'agent'} recalled {e.count} item(s)"
    elif e.action == "stored":
        view.memory_stored += e.count
        text = f"stored {e.count} item(s)"
    else:
        view.memory_unavailable = True
        text = f"memory unavailable: {e.detail}"
    if e.sources:
        text += " from " + ", ".join(e.sources[:3])
    view.lines.append(Line(e.ts, "memory", "memory", text))


def _notice(view: RunView, e: Notice) -> None:
    view.warnings += e.level != "info"
    view.lines.append(Line(e.ts, "notice", e.level, e.message, level=e.level))


def _run_finished(view: RunView, e: RunFinished) -> None:
    view.finished = e
    view.usage.total_tokens = e.total_tokens or view.usage.total_tokens
    view.usage.total_cost_usd = e.total_cost_usd or view.usage.total_cost_usd
    view.current_phase = None
    for row in view.phases:
        if row.status == "running":
            row.status = "done"
    text = f"run finished: {e.stop_reason}" + (f" ({e.error})" if e.error else "")
    view.lines.append(Line(e.ts, "system", "softco", text, level="error" if e.error else "info"))


def _unknown(view: RunView, e: UnknownEvent) -> None:
    view.unknown += 1
    view.lines.append(
        Line(e.ts, "unknown", e.type, f"event '{e.type}' (v{e.v}) from a newer softco")
    )


_HANDLERS: dict[type, Callable[[RunView, Any], None]] = {
    RunStarted: _run_started,
    PhaseStarted: _phase_started,
    PhaseFinished: _phase_finished,
    AgentMessage: _agent_message,
    LLMCall: _llm_call,
    DesignReady: _design_ready,
    FileStatus: _file_status,
    TestsRun: _tests_run,
    ReviewDone: _review_done,
    BacklogUpdated: _backlog,
    ApprovalRequested: _approval_requested,
    ApprovalResolved: _approval_resolved,
    MemoryActivity: _memory,
    Notice: _notice,
    RunFinished: _run_finished,
    UnknownEvent: _unknown,
    DebateTurn: lambda view, e: view.debate.append(e),
    ArtifactSaved: lambda view, e: view.artifacts.append(e),
}


def apply(view: RunView, event: Any) -> RunView:
    """Fold one event into ``view`` (in place) and return it."""
    view.events_seen += 1
    ts = getattr(event, "ts", 0.0)
    if ts and (view.last_ts is None or ts > view.last_ts):
        view.last_ts = ts
    if view.started_ts is None and ts:
        view.started_ts = ts
    handler = _HANDLERS.get(type(event))
    if handler is not None:
        handler(view, event)
    return view


def fold(events: Iterable[Any], view: RunView | None = None) -> RunView:
    """The view after all ``events``: what a finished run looks like."""
    view = view if view is not None else RunView()
    for event in events:
        apply(view, event)
    return view
