"""The last node: a final test run, a smoke run of the entry point, the repo's README.

The generated README is assembled from the PRD and the design rather than
asked of the model: it must be accurate (real module names, the real test
command), and a template does that better than a 1.5B model.
"""

from __future__ import annotations

from typing import Any

from softco.artifacts import PRD, Backlog, Design, depgraph
from softco.workflows.regression import add_regression_tests
from softco.workflows.routing import suite_green
from softco.workflows.runtime import Runtime
from softco.workflows.state import RunState
from softco.workflows.testing import emit_tests


def render_readme(title: str, summary: str, design: Design, stories: list[str]) -> str:
    lines = [f"# {title}", "", summary.strip(), ""]
    if stories:
        lines += ["## Features", "", *[f"- {s}" for s in stories], ""]
    lines += ["## Modules", ""]
    for spec in design.files:
        lines.append(f"- `{spec.path}` — {spec.responsibility}")
        for fn in spec.interface:
            lines.append(f"  - `{fn.signature}`")
    lines.append("")
    if design.entry_point:
        module = depgraph.module_name(design.entry_point)
        lines += ["## Usage", "", "```bash", f"python -m {module} --help", "```", ""]
    lines += ["## Tests", "", "```bash", "python -m pytest -q", "```", "", "_Built by softco._", ""]
    return "\n".join(lines)


def _title(brief: str) -> str:
    words = brief.strip().split()
    return " ".join(words[:8]) + ("…" if len(words) > 8 else "")


def deliver_node(rt: Runtime):
    def node(state: RunState) -> dict[str, Any]:
        with rt.phase("deliver"):
            update: dict[str, Any] = {}
            if state.get("design"):
                design = Design.model_validate(state["design"])
                if suite_green(state):
                    add_regression_tests(rt, design)
                report = rt.run_suite()
                emit_tests(rt, report, state.get("test_round", 0) + 1)
                rt.save("test_report", report, f"final: {report.passed}/{report.total} passed")
                update["test_report"] = report.model_dump(mode="json")
                if state.get("backlog"):
                    backlog = Backlog.model_validate(state["backlog"])
                    title, summary = _title(state["brief"]), "; ".join(backlog.features)
                    stories = [s.title for s in backlog.stories if s.status == "done"]
                else:
                    prd = PRD.model_validate(state["prd"])
                    title, summary = prd.title, prd.summary
                    stories = [s.title for s in prd.user_stories]
                rt.workspace.write("README.md", render_readme(title, summary, design, stories))
                if design.entry_point and rt.workspace.exists(design.entry_point):
                    smoke = rt.workspace.run_entrypoint(
                        design.entry_point, ["--help"], timeout_s=20
                    )
                    update["entrypoint_ok"] = smoke.exit_code == 0 and not smoke.timed_out
                    rt.say("tester", f"entry point --help exit {smoke.exit_code}", "deliver")
                rt.workspace.commit("deliver: README and final state", role="pm", phase="deliver")
            update.setdefault("stop_reason", state.get("stop_reason") or "done")
        return update

    return node
