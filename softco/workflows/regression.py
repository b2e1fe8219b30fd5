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


def regression_path(spec: FileSpec, design: Design) -> str:
    return test_path_for(spec, design).removesuffix(".py") + "_regression.py"


def _outcomes(copy: Workspace) -> dict[int, tuple[str, ...]] | None:
    """Run the probe runner in ``copy``; None when it did not finish."""
    out = copy.root / OUTCOMES
    out.unlink(missing_ok=True)
    ran = copy.run_entrypoint(RUNNER, timeout_s=PROBE_TIMEOUT_S)
    if ran.timed_out or not out.is_file():
        return None
    return parse_outcomes(out.read_text(encoding="utf-8"))


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
    with scratch_repo(rt.workspace.root) as root:
        copy = Workspace(root, rt.settings.sandbox)
        copy.write(RUNNER, probe_runner(module, probes, lenient=True))
        ran = _outcomes(copy) or {}
        legal = [kept_setup(p, ran.get(i)) or p for i, p in enumerate(probes)]
        probes = list({p.text: p for p in legal}.values())
        copy.write(RUNNER, probe_runner(module, probes))
        first, second = _outcomes(copy), _outcomes(copy)
        if not first or not second:
            return None
        # a probe whose answer changes from run to run (time, randomness) pins nothing
        original = {i: o for i, o in first.items() if second.get(i) == o}
        seen: list[dict[int, tuple[str, ...]] | None] = []
        targets: set[int] = set()
        for m, mutant in enumerate(plan):
            write_source(root, mutant.path, mutant.source)
            if copy.run_tests(timeout_s=timeout).ok:
                targets.add(m)
                seen.append(_outcomes(copy))
            else:
                seen.append({})
            write_source(root, spec.path, source)
    picks = choose(original, seen, targets, probes, module, rt.settings.workflow.regression_tests)
    if not picks:
        return None
    described = [
        (
            probes[i],
            original[i],
            f"{plan[min(noticed)].path}:{plan[min(noticed)].line} {plan[min(noticed)].description}",
        )
        for i, noticed in picks
    ]
    return render_tests(module, described)


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
        text = _module_tests(rt, spec, design)
        if text is None:
            continue
        path = regression_path(spec, design)
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
