"""Regression tests for a green suite, chosen by the mutants they notice.

On the public briefs of session 9 the green suites killed 33 of 70 mutants;
tictactoe's and todo's 2 of 10 each. Their testers wrote few cases, and the
same one over and over. Before delivery, on a green suite, each module's
probes (``quality.probes``) are run under the delivered code and under each
of its mutants in a throwaway copy of the repo; the probes noticing the most
mutants the suite misses become ``tests/test_<module>_regression.py``
(``quality.regression``). No model is called. A test is kept only if it
passes under pytest in the real workspace.
"""

from __future__ import annotations

import ast
import datetime
import re
import time

from softco.artifacts import Design, FileSpec
from softco.artifacts.paths import module_name
from softco.quality.mutants import mutants, scratch_repo, write_source
from softco.quality.probes import probes_for
from softco.quality.regression import (
    OUTCOMES,
    RUNNER,
    choose,
    kept_setup,
    parse_outcomes,
    probe_runner,
    render_tests,
)
from softco.roles.briefing import test_path_for
from softco.workflows.runtime import Runtime
from softco.workspace import Workspace

MAX_MUTANTS = 40  # per module: spread over its mutable spots like softco eval's
PROBE_TIMEOUT_S = 60
MODULE_SECONDS = 150  # per module: mutants not tried by then are left out


def regression_path(spec: FileSpec, design: Design) -> str:
    return test_path_for(spec, design).removesuffix(".py") + "_regression.py"


def _outcomes(copy: Workspace) -> dict[int, tuple[str, ...]] | None:
    """Run the probe runner in ``copy``; None when it wrote nothing."""
    out = copy.root / OUTCOMES
    out.unlink(missing_ok=True)
    copy.run_entrypoint(RUNNER, timeout_s=PROBE_TIMEOUT_S)
    if not out.is_file():
        return None
    return parse_outcomes(out.read_text(encoding="utf-8"))


def _dated(outcome: tuple[str, ...]) -> bool:
    """A value or output naming today (a ``created`` field) is right today only."""
    today = datetime.date.today()
    return any(today.isoformat() in part or str(today.year) in part for part in outcome[1:3])


def _top_level(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)} | {
        t.id
        for n in tree.body
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name)
    }


_ERROR_NAME = re.compile(r"\b([A-Z]\w*(?:Error|Exception))\b")


def _raised(source: str) -> set[str]:
    """The exceptions the module's own ``raise`` statements name."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name):
                names.add(exc.id)
    return names


def _module_tests(rt: Runtime, spec: FileSpec, design: Design) -> str | None:
    """The regression test file for one module, or None when nothing is worth adding."""
    source = rt.workspace.read(spec.path)
    module = module_name(spec.path)
    tests = [
        rt.workspace.read(p)
        for p in rt.workspace.list_files()
        if p.startswith("tests/") and p.endswith(".py")
    ]
    probes = probes_for(source, tests)
    plan = mutants({spec.path: source}, cap=MAX_MUTANTS)
    if not probes or not plan:
        return None
    timeout = rt.settings.sandbox.timeout_s
    deadline = time.monotonic() + MODULE_SECONDS
    with scratch_repo(rt.workspace.root) as root:
        copy = Workspace(root, rt.settings.sandbox)
        copy.write(RUNNER, probe_runner(module, probes, lenient=True))
        ran = _outcomes(copy) or {}
        legal = [kept_setup(p, ran.get(i)) or p for i, p in enumerate(probes)]
        probes = list({p.text: p for p in legal}.values())
        copy.write(RUNNER, probe_runner(module, probes, seed=2))
        second = _outcomes(copy)
        copy.write(RUNNER, probe_runner(module, probes, seed=1))
        first = _outcomes(copy)
        if not first or not second:
            return None
        # an answer that changes from run to run (time, randomness, set order under
        # another hash seed) or names today pins nothing
        original = {i: o for i, o in first.items() if second.get(i) == o and not _dated(o)}
        seen: list[dict[int, tuple[str, ...]] | None] = []
        targets: set[int] = set()
        for m, mutant in enumerate(plan):
            if time.monotonic() > deadline:
                break  # the mutants left are not targets: what was found so far stands
            write_source(root, mutant.path, mutant.source)
            if copy.run_tests(timeout_s=timeout).ok:
                targets.add(m)
                seen.append(_outcomes(copy))
            else:
                seen.append({})
            write_source(root, spec.path, source)
    defined = _top_level(source)
    raised = _raised(source) | set(
        _ERROR_NAME.findall(" ".join(f.docstring for f in spec.interface))
    )
    limit = rt.settings.workflow.regression_tests
    picks = choose(original, seen, targets, probes, module, defined, raised, limit)
    if not picks:
        return None
    described = []
    for i, noticed in picks:
        first_noticed = plan[min(noticed)]
        where = f"{first_noticed.path}:{first_noticed.line} {first_noticed.description}"
        described.append((probes[i], original[i], where))
    return render_tests(module, described, defined)


def add_regression_tests(rt: Runtime, design: Design) -> int:
    """Write each module's regression tests; the number of tests kept.

    Tests failing under pytest in the workspace (the probe ran outside it:
    no conftest, no fixtures) are dropped, and a file left with none goes.
    """
    if not rt.settings.workflow.regression_tests:
        return 0
    kept = 0
    for spec in design.files:
        if (
            not spec.interface
            or not spec.path.endswith(".py")
            or not rt.workspace.exists(spec.path)
        ):
            continue
        path = regression_path(spec, design)
        if rt.workspace.exists(path) or path in {test_path_for(f, design) for f in design.files}:
            continue  # a file of the repo's own (or of an earlier attempt): never overwritten
        try:
            text = _module_tests(rt, spec, design)
        except Exception as exc:  # an extra: never what fails a delivery
            rt.say("tester", f"{spec.path}: no regression tests ({type(exc).__name__})", "deliver")
            continue
        if text is None:
            continue
        rt.workspace.write(path, text)
        report = rt.run_suite()
        failing = {
            c.name.rsplit("::", 1)[-1]
            for c in report.cases
            if c.outcome != "passed" and module_name(path) in c.name
        }
        if failing or not report.ok:
            text = _without(text, failing)
            if text is None:
                rt.workspace.delete(path)
                continue
            rt.workspace.write(path, text)
            if not rt.run_suite().ok:
                rt.workspace.delete(path)
                continue
        count = text.count("\ndef test_")
        kept += count
        rt.say(
            "tester",
            f"{path}: {count} regression test(s), each noticing a change to {spec.path} "
            "that the other tests miss",
            "deliver",
        )
    if kept:
        rt.workspace.commit("deliver: regression tests", role="tester", phase="deliver")
    return kept


def _without(text: str, names: set[str]) -> str | None:
    """``text`` without the test functions ``names``; None when none is left."""
    chunks = text.split("\n\n\ndef ")
    head, tests = chunks[0], chunks[1:]
    left = [t for t in tests if t.split("(", 1)[0] not in names]
    if not left:
        return None
    return "\n\n\ndef ".join([head, *left])
