"""Code review and the fixes for its blocking findings (waterfall's review loop).

A review fix is a repair like any other (``repair.try_fix``, one sample, kept
when no test regresses), and it adds to the module's repair history, so a
program it finds can judge the tests earlier programs agreed on
(``repair.after_a_miss``).
"""

from __future__ import annotations

from typing import Any

from softco.artifacts import ReviewReport
from softco.events import ReviewDone
from softco.roles import reviewer
from softco.workflows.build import design_of, prd_of
from softco.workflows.repair import after_a_miss, try_fix
from softco.workflows.runtime import Runtime
from softco.workflows.state import RunState


def review_node(rt: Runtime):
    def node(state: RunState) -> dict[str, Any]:
        design = design_of(state)
        files = {p: rt.workspace.read(p) for p in design.paths if rt.workspace.exists(p)}
        sprint = state.get("sprint")
        with rt.phase("review", sprint):
            report = reviewer.review(rt.ctx("review", sprint), design, files)
        rnd = state.get("review_round", 0)
        rt.events.emit(
            ReviewDone(
                round=rnd,
                findings=len(report.findings),
                blocking=len(report.blocking),
                summary=report.summary,
            )
        )
        rt.save("review", report, f"{len(report.findings)} findings")
        return {"review": report.model_dump(mode="json")}

    return node


def fix_review_node(rt: Runtime):
    """Send blocking findings to the owning coder; keep a fix only if tests do not regress."""

    def node(state: RunState) -> dict[str, Any]:
        design, prd = design_of(state), prd_of(state)
        report = ReviewReport.model_validate(state["review"])
        by_file = report.by_file()
        sprint = state.get("sprint")
        # the repair rounds' evidence, which a review fix adds to: a program it finds
        # meeting a requirement every earlier one missed judges the tests they agreed on
        evidence = {k: dict(v) for k, v in (state.get("candidate_runs") or {}).items()}
        dropped: list[str] = []
        with rt.phase("review", sprint):
            for path, findings in by_file.items():
                if path not in design.paths or not any(
                    f.severity in ("blocker", "major") for f in findings
                ):
                    continue
                text = "\n".join(
                    f"line {f.line}: {f.message} Fix: {f.suggested_fix}" for f in findings
                )
                try_fix(
                    rt,
                    state,
                    design.file(path),
                    design,
                    prd,
                    "Reviewer findings:\n" + text,
                    accept_equal=True,
                    samples=1,  # a review finding wants its fix, not fresh samples
                    history=evidence.setdefault(path, {}),
                )
                dropped += after_a_miss(rt, design.file(path), design, evidence[path])
            rt.workspace.commit("review: fixes for blocking findings", role="coder", phase="review")
            # the next routing reads the suite as the fixes left it, not as before them
            suite = rt.run_suite()
        update: dict[str, Any] = {
            "review_round": state.get("review_round", 0) + 1,
            "test_report": suite.model_dump(mode="json"),
            "candidate_runs": evidence,
        }
        if dropped:
            update["dropped_tests"] = dropped  # the state adds them to the earlier ones
        return update

    return node
