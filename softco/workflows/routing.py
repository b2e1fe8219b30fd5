"""Routers: pure functions of the state that name the next node.

Every loop in softco is bounded here, by a counter in the state and a limit
from the settings — so a run cannot loop forever whatever the model says.
"""

from __future__ import annotations

from typing import Literal

from softco.workflows.state import RunState


def after_judge(state: RunState, max_rounds: int) -> Literal["revise", "done"]:
    """Revise when the judge left must-fix objections; end on consensus."""
    verdict = state.get("verdict") or {}
    must_fix = [r for r in verdict.get("rulings", []) if r.get("verdict") == "must_fix"]
    if verdict.get("consensus") and not must_fix:
        return "done"
    if not must_fix:
        return "done"
    return "revise"


def after_design(state: RunState, max_repairs: int) -> Literal["design", "code", "fail"]:
    """Re-ask the architect while the graph has problems, at most ``max_repairs`` times."""
    if not state.get("design_problems"):
        return "code"
    if state.get("design_attempts", 0) <= max_repairs:
        return "design"
    return "fail"


def after_code(state: RunState) -> Literal["code", "write_tests"]:
    """One node run per topological generation until all are written."""
    if state.get("gen_index", 0) < len(state.get("generations", [])):
        return "code"
    return "write_tests"


def after_tests(state: RunState, max_rounds: int) -> Literal["fix", "review"]:
    """Repair failing tests for at most ``max_rounds`` rounds, then move on regardless."""
    report = state.get("test_report") or {}
    cases = report.get("cases", [])
    failing = [c for c in cases if c.get("outcome") in ("failed", "error")]
    broken = not cases or bool(failing) or report.get("timed_out")
    if broken and state.get("test_round", 0) < max_rounds:
        return "fix"
    return "review"


def suite_green(state: RunState) -> bool:
    """The last test run is green as ``TestReport.ok`` says: cases ran, none failed, no timeout."""
    report = state.get("test_report") or {}
    cases = report.get("cases", [])
    bad = any(c.get("outcome") in ("failed", "error") for c in cases)
    return bool(cases) and not bad and not report.get("timed_out")


def after_review(
    state: RunState, max_rounds: int, green_fixes: bool = False
) -> Literal["fix_review", "deliver"]:
    """Fix blocking findings for at most ``max_rounds`` rounds.

    With ``green_fixes`` off, findings on a green suite are reported and the
    code is delivered as tested: a rewrite there can only change what no test
    checks (roman, session 9: 7/7 acceptance became 5/7 after such a fix).
    """
    review = state.get("review") or {}
    blocking = [f for f in review.get("findings", []) if f.get("severity") in ("blocker", "major")]
    if not green_fixes and suite_green(state):
        return "deliver"
    if blocking and state.get("review_round", 0) < max_rounds:
        return "fix_review"
    return "deliver"


def after_sprint(state: RunState, max_sprints: int) -> Literal["plan", "deliver"]:
    """Another sprint while stories remain and the sprint limit allows."""
    backlog = state.get("backlog") or {}
    remaining = [s for s in backlog.get("stories", []) if s.get("status") != "done"]
    if remaining and state.get("sprint", 0) < max_sprints:
        return "plan"
    return "deliver"
