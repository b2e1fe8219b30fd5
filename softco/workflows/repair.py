"""Repair after failing tests: triage, then fixes that must earn their place.

Two lessons from running small models shape this module. First, many failures
are the *test's* fault (a redefined fixture, an undefined name, a wrong
expected value), so each failure is triaged before anyone is asked to fix it.
Second, an LLM "fix" often echoes its input or makes things worse, so every
candidate (``best_of`` of them, sampled at temperature > 0) is run against the
suite and kept only if the pass count rises; otherwise the file is reverted.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Literal

from softco.artifacts import PRD, Design, FileSpec, TestReport
from softco.quality import gates
from softco.roles.briefing import test_path_for
from softco.workflows.build import design_of, prd_of, testable, write_module
from softco.workflows.runtime import Runtime
from softco.workflows.state import RunState

_TEST_SIDE = re.compile(
    r"fixture '\w+' not found|NameError|SyntaxError|IndentationError|ImportError|"
    r"ModuleNotFoundError|cannot import name|unexpected keyword argument|"
    r"takes \d+ positional argument"
)


def blame(message: str, test_path: str, round_no: int) -> Literal["code", "test"]:
    """Decide who fixes a failure: the owning coder or the tester.

    Errors raised from the test file itself (undefined names, bad imports,
    fixture misuse) are the tester's; a failed assert is ambiguous, so the
    coder gets the first round and the tester the second (a second opinion).
    """
    frames = re.findall(r"([\w/]+\.py):(\d+)", message)
    last_file = frames[-1][0] if frames else ""
    if "fixture" in message and "not found" in message:
        return "test"
    if _TEST_SIDE.search(message) and last_file.endswith(test_path.rsplit("/", 1)[-1]):
        return "test"
    if "AssertionError" in message or "assert " in message:
        return "code" if round_no % 2 == 0 else "test"
    return "code"


def _score(report: TestReport) -> tuple[int, int, int]:
    """Higher is better: a suite that runs at all, then passes, then fewest failures.

    A collection error yields no cases, so without the first term a fix that
    breaks imports would look better than one that leaves tests failing.
    """
    return (1 if report.total else 0, report.passed, -(report.failed + report.errors))


def try_fix(
    rt: Runtime,
    state: RunState,
    spec: FileSpec,
    design: Design,
    prd: PRD,
    feedback: str,
    accept_equal: bool = False,
) -> bool:
    """Sample up to ``best_of`` rewrites of a module; keep the best only if it scores higher.

    ``accept_equal`` is for review fixes on a green suite: a change that keeps
    every test passing is accepted, since the pass count cannot rise.
    """
    previous = rt.workspace.read(spec.path) if rt.workspace.exists(spec.path) else ""
    baseline = _score(rt.run_suite())
    best, best_content = baseline, previous
    rounds = rt.settings.workflow.best_of
    for n in range(rounds):
        write_module(
            rt,
            spec,
            design,
            prd,
            None,
            state.get("sprint"),
            feedback=feedback,
            previous=previous,
            temperature=0.4,
            seed=1000 * state.get("test_round", 0) + n,
        )
        candidate = rt.workspace.read(spec.path)
        if len(gates.check_module(spec, candidate, design)) > len(
            gates.check_module(spec, previous, design)
        ):
            continue  # the static gate already says this rewrite is worse
        score = _score(rt.run_suite())
        if score > best or (accept_equal and score >= best and best_content == previous):
            best, best_content = score, rt.workspace.read(spec.path)
    rt.workspace.write(spec.path, best_content)
    improved = best > baseline or (accept_equal and best_content != previous)
    if improved and best > baseline:
        rt.remember_lesson(
            f"In {spec.path} ({spec.responsibility}) this failure:\n{feedback[:400]}\n"
            f"was fixed by a rewrite that raised passing tests from {baseline[1]} to {best[1]}.",
            outcome="passed",
            phase="test",
        )
    rt.say("coder", f"{spec.path}: fix {'kept' if improved else 'reverted (no gain)'}", "test")
    return improved


def try_fix_test(
    rt: Runtime, state: RunState, spec: FileSpec, design: Design, prd: PRD, feedback: str
) -> bool:
    """Rewrite a test file; keep it only if the suite scores higher and the gates pass."""
    from softco.quality import gates
    from softco.roles import tester

    path = test_path_for(spec, design)
    previous = rt.workspace.read(path) if rt.workspace.exists(path) else ""
    baseline = _score(rt.run_suite())
    suite = tester.write_tests(
        rt.ctx("test", state.get("sprint")),
        spec,
        design,
        prd,
        feedback=feedback,
        temperature=0.4,
        seed=1000 * state.get("test_round", 0) + 7,
    )
    if rt.settings.workflow.static_gates and gates.check_tests(path, suite.content, design):
        return False
    rt.workspace.write(path, suite.content)
    improved = _score(rt.run_suite()) > baseline
    if not improved and previous:
        rt.workspace.write(path, previous)
    elif not improved:
        rt.workspace.delete(path)
    rt.say("tester", f"{path}: rewrite {'kept' if improved else 'reverted (no gain)'}", "test")
    return improved


def fix_node(rt: Runtime):
    def node(state: RunState) -> dict[str, Any]:
        design, prd = design_of(state), prd_of(state)
        report = TestReport.model_validate(state["test_report"])
        rnd = state.get("test_round", 0)
        owners = state.get("test_owner") or {
            test_path_for(s, design): s.path for s in testable(design)
        }
        failing: dict[str, list[str]] = defaultdict(list)
        for case in report.cases:
            if case.outcome not in ("failed", "error"):
                continue
            for test_path in owners:
                if test_path.removesuffix(".py").replace("/", ".") in case.name or (
                    test_path in case.name
                ):
                    failing[test_path].append(f"{case.name}\n{case.message}")
        if not report.cases and report.output:  # collection failed: blame by file name
            for test_path in owners:
                if test_path in report.output or owners[test_path] in report.output:
                    failing[test_path].append(report.output)
        # a collection error inside a module no test file owns (a package's
        # __init__.py importing something that does not exist) goes to its coder
        culprits = [
            f
            for f in design.files
            if not report.cases
            and report.output
            and f.path in report.output
            and f.path not in owners.values()
        ]
        with rt.phase("test", state.get("sprint")):
            for spec in culprits:
                try_fix(
                    rt, state, spec, design, prd, f"Importing it fails:\n{report.output[:2000]}"
                )
            for test_path, messages in failing.items():
                spec = design.file(owners[test_path])
                text = "\n\n".join(messages)[:3000]
                votes = [blame(m, test_path, rnd) for m in messages]
                side = "test" if votes.count("test") > votes.count("code") else "code"
                feedback = f"These tests fail:\n{text}"
                if side == "test":
                    try_fix_test(rt, state, spec, design, prd, feedback)
                else:
                    try_fix(rt, state, spec, design, prd, feedback)
            rt.workspace.commit(f"test: repair round {rnd + 1}", role="coder", phase="test")
        return {"test_round": rnd + 1}

    return node
