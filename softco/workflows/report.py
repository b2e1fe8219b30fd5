"""Assemble the run report from the ledger, the last state and the workspace.

Called from the driver's ``finally:``, so it must work on any partial state:
a run that died in requirements has no design, no tests and no debate.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any

from softco.artifacts import DebateTranscript, RunReport, SprintReview, TestReport, save_artifact
from softco.artifacts.run_report import Usage
from softco.errors import SoftcoError, StopReason
from softco.events import read_events
from softco.llm import UsageLedger
from softco.workflows.runtime import Runtime


def _usage(ledger: UsageLedger, key: str) -> dict[str, Usage]:
    return {
        name: Usage(
            prompt_tokens=t.prompt_tokens,
            completion_tokens=t.completion_tokens,
            cost_usd=round(t.cost_usd, 6),
            calls=t.calls,
            seconds=round(t.latency_s, 2),
        )
        for name, t in ledger.by(key).items()
    }


def build_report(
    rt: Runtime,
    state: dict[str, Any],
    mode: str,
    brief: str,
    stop: StopReason,
    error: str | None,
    ledger: UsageLedger,
) -> RunReport:
    tests = TestReport.model_validate(state.get("test_report") or {})
    debate = ""
    if state.get("debate"):
        try:
            debate = DebateTranscript.model_validate(state["debate"]).summary()
        except ValueError:
            debate = ""
    sprints = []
    for raw in state.get("sprint_reviews") or []:
        try:
            sprints.append(SprintReview.model_validate(raw))
        except ValueError:
            continue
    errors = list(state.get("errors") or [])
    if error:
        errors.append(error)
    try:
        files = [f for f in rt.workspace.list_files()]
    except Exception:
        files = []
    memory_status = ""
    if rt.recall is None:
        memory_status = "disabled" if not rt.settings.memory.enabled else "unavailable"
    elif hasattr(rt.recall, "status"):
        memory_status = str(rt.recall.status)
    if state.get("entrypoint_ok") is not None:
        errors += [] if state["entrypoint_ok"] else ["the entry point's --help smoke run failed"]
    now = time.time()
    first_start, active_s = active_time(rt.run_dir, rt.started, now)
    report = RunReport(
        run_id=rt.run_id,
        brief=brief,
        mode=mode,
        model=rt.settings.llm.model,
        stop_reason=stop,
        started=datetime.fromtimestamp(first_start),
        finished=datetime.fromtimestamp(now),
        duration_s=round(active_s, 2),
        by_role=_usage(ledger, "role"),
        by_phase=_usage(ledger, "phase"),
        tests_passed=tests.passed,
        tests_failed=tests.failed + tests.errors,
        tests_total=tests.total,
        tests_dropped=list(dict.fromkeys(state.get("dropped_tests") or [])),
        files=files,
        debate=debate,
        sprints=sprints,
        errors=errors,
        memory_status=memory_status,
    )
    save_artifact(rt.run_dir, "run_report", report)
    (rt.run_dir / "report.md").write_text(report.to_markdown(), encoding="utf-8")
    return report


def active_time(run_dir: Path, started: float, now: float) -> tuple[float, float]:
    """(when the run first started, seconds it was running over all its segments).

    A resumed run is several segments in one log, each opened by
    ``run_started``; a segment that was killed ends at its last event. The
    time between a crash and its resume is not counted. Without a readable
    log, the current segment alone.
    """
    first: float | None = None
    total = 0.0
    segment: float | None = None
    last = started
    try:
        for event in read_events(run_dir):
            ts = float(getattr(event, "ts", 0.0) or 0.0)
            if getattr(event, "type", "") == "run_started":
                if segment is not None:
                    total += max(0.0, last - segment)
                segment = ts
                first = ts if first is None else first
            last = ts
    except SoftcoError:
        return started, now - started
    if segment is None:
        return started, now - started
    return first if first is not None else started, total + max(0.0, now - segment)
