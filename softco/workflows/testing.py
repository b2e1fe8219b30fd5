"""Nodes that write and run the tests: the tester's file, the examples' file, the suite.

Split from ``build.py`` (design and synthesis). Each module gets the tester's
``tests/test_<module>.py`` (gated, one re-ask, broken functions pruned, never
written if it does not parse) and, when the PRD's examples allow,
``tests/test_<module>_examples.py`` generated without a model; ``test_owner``
maps each test file to the module whose coder answers for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from softco.artifacts import PRD, Design, FileSpec, TestReport
from softco.artifacts.reports import case_file, module_of_test
from softco.errors import ArtifactInvalid
from softco.events import FileStatus, TestsRun
from softco.events import TestCaseResult as EventCase
from softco.quality import gates
from softco.quality.example_tests import example_test_path, example_tests
from softco.roles import tester
from softco.roles.briefing import test_path_for
from softco.workflows.build import design_of, prd_of, testable
from softco.workflows.design_check import fill_interfaces_from_code
from softco.workflows.gating import gated, parses, prune_broken_tests
from softco.workflows.runtime import Runtime
from softco.workflows.state import RunState


def emit_tests(rt: Runtime, report: TestReport, round_no: int) -> None:
    """One TestsRun event (the TUI's test pane and the CLI progress read it)."""
    rt.events.emit(
        TestsRun(
            round=round_no,
            passed=report.passed,
            failed=report.failed,
            errors=report.errors,
            total=report.total,
            duration_s=report.duration_s,
            timed_out=report.timed_out,
            cases=[
                EventCase(name=c.name, outcome=c.outcome, message=c.message[:300])
                for c in report.cases
            ],
        )
    )


def write_test_file(
    rt: Runtime, spec: FileSpec, design: Design, prd: PRD, sprint: int | None, feedback: str = ""
) -> str | None:
    ctx = rt.ctx("test", sprint)
    try:
        suite = tester.write_suite(
            ctx, spec, design, prd, feedback=feedback, cases=rt.settings.workflow.test_cases
        )
    except ArtifactInvalid as exc:
        # a module without tests is better than a run stopped by one test file
        rt.say("tester", f"no usable tests for {spec.path}: {str(exc)[:160]}", "test")
        return None
    path = suite.path

    def check(text: str) -> list[str]:
        return gates.check_tests(path, text, design)

    content = gated(
        rt,
        "tester",
        path,
        suite.content,
        check,
        lambda findings, text: (
            tester.write_tests(
                ctx, spec, design, prd, feedback=findings, temperature=0.3, seed=17
            ).content
        ),
    )
    if rt.settings.workflow.static_gates:
        content = prune_broken_tests(content, check(content))
    if not parses(content):
        # one unparsable test file stops pytest collecting every other file
        rt.say("tester", f"{path} does not parse after a retry: left out of the suite", "test")
        return None
    rt.workspace.write(path, content)
    return path


def write_example_tests(rt: Runtime, spec: FileSpec, design: Design, prd: PRD) -> dict[str, str]:
    """The PRD's examples for ``spec`` as a generated test file; ``{path: module}`` or {}."""
    content = example_tests(prd, spec)
    if content is None:
        return {}
    path = example_test_path(spec, test_path_for(spec, design))
    rt.workspace.write(path, content)
    count = content.count("def test_")
    rt.say("tester", f"{path}: {count} tests generated from the examples", "test")
    return {path: spec.path}


def write_tests_node(rt: Runtime):
    def node(state: RunState) -> dict[str, Any]:
        design, prd = design_of(state), prd_of(state)
        filled = fill_interfaces_from_code(design, Path(rt.workspace.root))
        if filled != design:
            design = filled
            rt.save("design", design, "interfaces completed from the code")
        targets = set(state.get("to_build") or design.paths)
        sprint = state.get("sprint")
        owners: dict[str, str] = {}
        with rt.phase("test", sprint):
            if not rt.workspace.exists("tests/__init__.py"):
                rt.workspace.write("tests/__init__.py", "")
            for spec in testable(design):
                if spec.path in targets or not rt.workspace.exists(test_path_for(spec, design)):
                    written = write_test_file(rt, spec, design, prd, sprint)
                    if written is not None:
                        owners[written] = spec.path
                    if rt.settings.workflow.example_tests:
                        owners.update(write_example_tests(rt, spec, design, prd))
            rt.workspace.commit("test: tests from acceptance criteria", role="tester", phase="test")
        return {"test_owner": owners, "test_round": 0, "design": design.model_dump(mode="json")}

    return node


def run_tests_node(rt: Runtime):
    def node(state: RunState) -> dict[str, Any]:
        sprint = state.get("sprint")
        with rt.phase("test", sprint):
            report = rt.run_suite()
        emit_tests(rt, report, state.get("test_round", 0))
        owners = state.get("test_owner") or {}
        status = _file_status(report, owners)
        for path, st in status.items():
            rt.events.emit(FileStatus(path=path, status=st))
        rt.save("test_report", report, f"{report.passed}/{report.total} passed")
        return {
            "test_report": report.model_dump(mode="json"),
            "file_status": status,
            "best_passed": max(state.get("best_passed", 0), report.passed),
        }

    return node


def _file_status(report, owners: dict[str, str]) -> dict[str, str]:
    status: dict[str, str] = {}
    for test_path, module in owners.items():
        mine = [c for c in report.cases if case_file(c.name) == module_of_test(test_path)]
        if not mine:
            continue
        bad = any(c.outcome in ("failed", "error") for c in mine)
        status[module] = "failing" if bad else "passing"
    return status
