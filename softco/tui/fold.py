"""Folding events into a `RunView`: one small handler per event type.

Handlers mutate the view in place (a fold over an append-only log); `fold`
replays a whole log, `apply` adds one event as it arrives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

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
from softco.tui.state import (
    AGILE_PHASES,
    SPRINT_PHASES,
    WATERFALL_PHASES,
    FileRow,
    Line,
    RunView,
    StoryCard,
    column_for,
)


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
            column=column_for(status),
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
