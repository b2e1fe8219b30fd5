"""`RunView`: everything the TUI shows, folded from the event stream (see `fold.py`).

Plain Python with no Textual import, so the fold is tested as plain functions
and the widgets stay dumb: each pane renders a `RunView`, none keeps its own
copy of the run. All times come from event timestamps (never the wall clock),
which keeps replays and snapshot tests deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from softco.events import (
    ApprovalRequested,
    ApprovalResolved,
    ArtifactSaved,
    DebateTurn,
    ReviewDone,
    RunFinished,
    TestsRun,
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


def column_for(status: str) -> Column:
    """The board column for a story status, however the planner spelled it."""
    return _COLUMNS.get(status.lower().replace(" ", "_").replace("-", "_"), "backlog")


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
