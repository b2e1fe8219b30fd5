"""Units failing the requirements' own tests, sampled afresh and judged by those tests.

The tests softco writes from the PM's examples and the interface's clauses
(``example_tests.from_the_requirements``) are the one judge the coder's
misreadings do not share: the tester's expected values often do
(``truncate('Hello World!', 10) == 'Hello Worl...'``). When such a test
fails, the units it points at are sampled on their own
(``unit_repair.unit_candidates``) and a sample counts only if it passes more
of them: textkit's ``truncate`` and ``word_wrap`` met their clauses this way
in session 9, the first row where textkit passed its acceptance tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from softco.artifacts import PRD, Design, FileSpec, TestReport
from softco.quality.example_tests import from_the_requirements
from softco.workflows.agreement import passes_of
from softco.workflows.runtime import Runtime
from softco.workflows.state import RunState
from softco.workflows.unit_repair import unit_candidates, unit_pointers


def stated_passes(report: TestReport) -> int:
    """How many tests written from the requirements (``from_the_requirements``) pass."""
    return sum(1 for c in report.cases if c.outcome == "passed" and from_the_requirements(c.name))


def requirement_units(
    rt: Runtime,
    state: RunState,
    spec: FileSpec,
    design: Design,
    prd: PRD,
    previous: str,
    findings: list[str],
    reports: list[TestReport],
    consider: Callable[..., TestReport | None],
) -> None:
    """Sample afresh the units failing tests written from the requirements, judged by those.

    ``workflow.requirement_units`` samples per unit (at most two units) for the
    tests softco wrote from the PM's examples and the interface's clauses
    (``example_tests.from_the_requirements``). Every sample is run, and counts
    as a candidate only if it passes more of those tests than the current
    code (``reports[0]``), so it cannot win by fitting the tester's wrong
    expectations alone; a unit is sampled no more once a sample passes every
    failing one of them that points at it, and nothing is sampled when a
    candidate in ``reports`` already passes them all. Runs in review fixes
    too, while such tests fail (textkit, session 9: ``word_wrap`` met its
    clauses there). Off when ``repair_units`` samples every failing unit anyway.
    """
    count = rt.settings.workflow.requirement_units
    if not count or rt.settings.workflow.repair_units:
        return
    first = reports[0]
    failing = {
        c.name
        for c in first.cases
        if c.outcome in ("failed", "error") and from_the_requirements(c.name)
    }
    if not failing or any(failing <= (passes_of(r) or frozenset()) for r in reports[1:]):
        return
    pointed = unit_pointers(rt, spec, previous, first, from_the_requirements)
    bar, settled, tried = stated_passes(first), set(), Counter()
    ctx = rt.ctx("test", state.get("sprint"))
    for unit, candidate, scope in unit_candidates(
        rt,
        ctx,
        spec,
        design,
        prd,
        previous,
        findings,
        first,
        state.get("test_round", 0),
        samples=count,
        chosen=from_the_requirements,
        settled=settled,
    ):
        tried[unit] += 1
        report = consider(candidate, scope, bar)
        if report is None:
            continue
        passed = passes_of(report) or frozenset()
        if failing <= passed:
            settled.update(pointed)  # this candidate meets them all: no unit needs more
        elif pointed.get(unit, set()) <= passed:
            settled.add(unit)
    if tried:
        said = ", ".join(f"{unit}() {n}x" for unit, n in tried.items())
        kept = f"; {', '.join(sorted(settled & set(tried)))} now meet them" if settled else ""
        rt.say(
            "coder",
            f"{spec.path}: sampled against the requirements' examples: {said}{kept}",
            "test",
        )
