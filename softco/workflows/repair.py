"""Repair after failing tests: triage, then fixes that must earn their place.

Two lessons from running small models shape this module. First, many failures
are the *test's* fault (a redefined fixture, an undefined name, a wrong
expected value), so each failure is triaged before anyone is asked to fix it.
Second, an LLM "fix" often echoes its input or makes things worse, so every
candidate (``best_of`` distinct ones, sampled at temperature > 0) is run
against the suite and one is kept by dual execution agreement
(``agreement_pick``): usually the one passing most, but programs that agree
with each other can outvote one that passes a wrong test by breaking right
ones; with no better candidate the file stays as it was.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from softco.artifacts import PRD, Design, FileSpec, TestReport
from softco.artifacts.reports import case_file, module_of_test
from softco.errors import ArtifactInvalid
from softco.quality import gates
from softco.roles.briefing import test_path_for
from softco.workflows.agreement import (
    agreement_pick,
    digest,
    evidence,
    passes_of,
    pin_agreed,
    probe_values,
    round_suspects,
    spliced_candidate,
)
from softco.workflows.build import design_of, prd_of, testable, write_module
from softco.workflows.gating import remove_tests
from softco.workflows.miss_agreement import drop_miss_agreeing, missed_examples
from softco.workflows.recheck import recheck_rewrite
from softco.workflows.requirement_units import requirement_units, stated_passes
from softco.workflows.runtime import Runtime
from softco.workflows.state import RunState
from softco.workflows.tracing import traced_failures
from softco.workflows.triage import blame, unparsable_modules
from softco.workflows.unit_repair import test_opinions, unit_candidates
from softco.workflows.unit_rewrite import flagged_units

MAX_RULES, RULE_CHARS = 4, 300  # gate findings said as rules to a fresh sample (finding_rules)


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
    samples: int | None = None,
    history: dict[str, list[list[str]]] | None = None,
) -> set[str]:
    """Sample ``best_of`` rewrites of a module and keep one by agreement with the tests.

    The first candidate is a repair with ``feedback``, the others fresh
    samples of the file (temperature > 0, new seed): small models often echo
    their input when asked to fix it, and a fresh sample is the independent
    opinion that agreement needs. Every distinct program's results are added
    to ``history`` (the caller keeps it across rounds) as evidence for
    ``suspect_tests``. The current file is candidate 0 and stays
    unless another scores higher (``agreement_pick``). ``accept_equal`` is for
    review fixes on a green suite: a rewrite that keeps every test passing is
    accepted, since the pass count cannot rise; ``samples`` overrides
    ``best_of`` (review fixes take one). With ``repair_units`` > 0 (off by
    default) the units the failing tests point at are also sampled on their
    own (``unit_repair``): each such candidate, like the splice, may win but
    does not vote, and its failures are evidence only within its scope
    (``evidence``). Units failing the tests written from the requirements are
    sampled too (``requirement_units``), each sample a candidate only above
    those tests' pass count (``stated_bar``). Returns the tests every
    candidate failed when enough of them ran (``suspect_tests``).
    """
    previous = rt.workspace.read(spec.path) if rt.workspace.exists(spec.path) else ""
    history = {} if history is None else history
    findings = gates.check_module(spec, previous, design)
    known_findings = len(findings)  # the bar to clear
    first = rt.run_suite()
    contents, passes = [previous], [passes_of(first)]
    reports, values = [first], [probe_values(rt, spec, design, first)]
    scopes: list[frozenset[str] | None] = [None]  # the tests a candidate is an opinion on

    def consider(
        candidate: str, scope: frozenset[str] | None = None, stated_bar: int | None = None
    ) -> TestReport | None:
        """Run a distinct candidate the static gate does not call worse, and record it.

        With ``stated_bar`` it is recorded only if it passes more of the tests
        written from the requirements than that.
        """
        if candidate in contents:
            return None  # an echo is not a second opinion
        found = gates.check_module(spec, candidate, design)
        if len(found) > known_findings or gates.new_breakage(findings, found):
            return None  # the static gate already says this rewrite is worse
        rt.workspace.write(spec.path, candidate)
        report = rt.run_suite()
        if stated_bar is not None and stated_passes(report) <= stated_bar:
            return None
        said = probe_values(rt, spec, design, report)
        contents.append(candidate)
        passes.append(passes_of(report))
        reports.append(report)
        values.append(said if scope is None else [v for v in said if v.split("\t")[0] in scope])
        scopes.append(scope)
        return report

    # what the gate finds in the current file, as rules for the fresh samples, which are
    # not shown it: cart's fresh samples all dropped add()'s price again without one
    rules = (
        [f"{unit}: {hint}"[:RULE_CHARS] for unit, hint in flagged_units(findings).items()]
        if rt.settings.workflow.finding_rules
        else []
    )[:MAX_RULES]
    for n in range(samples or rt.settings.workflow.best_of):
        # one repair with the failure, then fresh samples: a repair mostly echoes its input
        repair = accept_equal or n == 0
        try:
            write_module(
                rt,
                spec,
                design,
                prd,
                None,
                state.get("sprint"),
                feedback=feedback if repair else "",
                previous=previous if repair else "",
                temperature=0.4 if repair else 0.7,
                seed=1000 * state.get("test_round", 0) + n + 1,
                rules=None if repair else rules,
            )
        except ArtifactInvalid as exc:  # one unusable sample is not worth the run
            rt.say("coder", f"{spec.path}: a candidate was unusable ({str(exc)[:120]})", "test")
            continue
        consider(rt.workspace.read(spec.path))
    if rt.settings.workflow.repair_units and not (accept_equal or samples):
        ctx = rt.ctx("test", state.get("sprint"))
        round_no = state.get("test_round", 0)
        tried: Counter[str] = Counter()
        for unit, candidate, scope in unit_candidates(
            rt, ctx, spec, design, prd, previous, findings, first, round_no
        ):
            before = len(contents)
            consider(candidate, scope)
            if len(contents) > before:
                tried[unit] += 1
        if tried:
            said = ", ".join(f"{unit}() {n}x" for unit, n in tried.items())
            rt.say("coder", f"{spec.path}: candidates with one unit written afresh: {said}", "test")
    requirement_units(rt, state, spec, design, prd, previous, findings, reports, consider)
    voters = [scope is None for scope in scopes]
    spliced = spliced_candidate(rt, spec, contents, passes, voters)
    if spliced is not None and spliced not in contents:
        rt.workspace.write(spec.path, spliced)
        found = gates.check_module(spec, spliced, design)
        if len(found) <= known_findings and not gates.new_breakage(findings, found):
            report = rt.run_suite()
            contents.append(spliced)
            passes.append(passes_of(report))
            reports.append(report)
            values.append([])  # a splice is built from the others: not an opinion of its own
            scopes.append(frozenset())
            voters.append(False)  # built from the others
    pick = agreement_pick(passes, voters)
    if accept_equal and pick == 0 and len(contents) > 1:
        same = [i for i in range(1, len(contents)) if _score(reports[i]) >= _score(first)]
        pick = same[0] if same else 0
    rt.workspace.write(spec.path, contents[pick])
    before, after = _score(first), _score(reports[pick])
    if pick and after > before:
        rt.remember_lesson(
            f"In {spec.path} ({spec.responsibility}) this failure:\n{feedback[:400]}\n"
            f"was fixed by a rewrite that raised passing tests from {before[1]} to {after[1]}.",
            outcome="passed",
            phase="test",
        )
    verdict = (
        f"candidate {pick + 1} of {len(contents)} kept ({after[1]} passing, was {before[1]})"
        if pick
        else f"kept as it was ({len(contents) - 1} distinct rewrites did not beat it)"
    )
    rt.say("coder", f"{spec.path}: {verdict}", "test")
    for text, report, said, scope in zip(contents, reports, values, scopes, strict=True):
        if report.cases and text != spliced:  # a splice is built from the others
            # a whole-file program is kept with its text: a later rewrite of the
            # tests is run under it again (workflows/recheck.py)
            opinions = test_opinions(rt, spec, text)
            program = text if scope is None else None
            history.pop(digest(text), None)  # re-inserted: the history runs oldest first
            history[digest(text)] = evidence(report, scope, said, opinions, program)
    return round_suspects(rt, spec.path, history)


def try_fix_test(
    rt: Runtime, state: RunState, spec: FileSpec, design: Design, prd: PRD, feedback: str
) -> bool:
    """Rewrite a test file; keep it only if the suite scores higher and the gates pass."""
    from softco.quality import gates
    from softco.roles import tester

    path = test_path_for(spec, design)
    previous = rt.workspace.read(path) if rt.workspace.exists(path) else ""
    # a rewrite must pass more tests: one that only has fewer failing tests (it wrote
    # fewer tests) would turn the suite green by testing less
    baseline = rt.run_suite().passed
    suite = tester.write_suite(
        rt.ctx("test", state.get("sprint")),
        spec,
        design,
        prd,
        feedback=feedback,
        temperature=0.4,
        seed=1000 * state.get("test_round", 0) + 7,
        cases=rt.settings.workflow.test_cases,
    )
    if rt.settings.workflow.static_gates and gates.check_tests(path, suite.content, design):
        return False
    rt.workspace.write(path, suite.content)
    improved = rt.run_suite().passed > baseline
    if not improved and previous:
        rt.workspace.write(path, previous)
    elif not improved:
        rt.workspace.delete(path)
    rt.say("tester", f"{path}: rewrite {'kept' if improved else 'reverted (no gain)'}", "test")
    return improved


def drop_suspects(rt: Runtime, test_path: str, suspects: set[str]) -> list[str]:
    """Remove the tests of ``test_path`` that every sampled program failed (see ``suspect_tests``).

    A wrong test left in the suite keeps sending repairs after correct code;
    the removal is said in the chat and listed in the run report, naming only
    the functions actually removed.
    """
    mine = {
        s.rsplit("::", 1)[-1].split("[", 1)[0]
        for s in suspects
        if case_file(s) == module_of_test(test_path)
    }
    removed = remove_tests(rt, test_path, mine)
    if not removed:
        return []
    rt.say(
        "tester",
        f"{test_path}: removed {', '.join(removed)}: every sampled implementation failed "
        "them, so the tests are the likelier culprit",
        "test",
    )
    return [f"{test_path}::{n}" for n in removed]


def _pin_or_drop(
    rt: Runtime, paths: list[str], suspects: set[str], history: dict[str, list[list[str]]]
) -> list[str]:
    """Pin the suspects every program answers alike (``pin_agreed``), remove the rest."""
    dropped: list[str] = []
    for path in paths:
        pinned = pin_agreed(rt, path, suspects, history)
        dropped += drop_suspects(rt, path, suspects - pinned)
    return dropped


def after_a_miss(
    rt: Runtime, spec: FileSpec, design: Design, history: dict[str, list[list[str]]]
) -> list[str]:
    """The tester's tests agreeing with a shared miss the current program no longer has.

    Runs the suite once more only when the history holds such a miss and some
    program meets it.
    """
    if not rt.settings.workflow.shared_miss_guard:
        return []
    missed = missed_examples(history)
    if not any(example in entry[0] for entry in history.values() for example in missed):
        return []  # no program meets a missed example yet: nothing to judge by
    return drop_miss_agreeing(rt, [test_path_for(spec, design)], history, rt.run_suite())


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
                if case_file(case.name) == module_of_test(test_path):
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
        # a module that does not even compile breaks every test importing it:
        # its coder goes first, and the files it broke wait for the next round
        broken = unparsable_modules(design, report.output) if not report.cases else []
        if broken:
            culprits = [f for f in design.files if f.path in broken]
            failing.clear()
        dropped: list[str] = []
        evidence = {k: dict(v) for k, v in (state.get("candidate_runs") or {}).items()}
        with rt.phase("test", state.get("sprint")):
            for spec in culprits:
                try_fix(
                    rt, state, spec, design, prd, f"Importing it fails:\n{report.output[:2000]}"
                )
            by_module: dict[str, list[str]] = defaultdict(list)
            for test_path in failing:
                by_module[owners[test_path]].append(test_path)
            for module, paths in by_module.items():
                spec = design.file(module)
                promised = frozenset(fn.name for fn in spec.interface)
                votes = [blame(m, p, rnd, promised) for p in paths for m in failing[p]]
                side = "test" if votes.count("test") > votes.count("code") else "code"
                authored = test_path_for(spec, design)  # the tester's file (not the examples)
                history = evidence.setdefault(spec.path, {})
                if side == "test" and authored in failing:
                    text = "\n\n".join(failing[authored])[:3000]
                    kept = try_fix_test(rt, state, spec, design, prd, f"These tests fail:\n{text}")
                    if kept and rt.settings.workflow.recheck_rewrites:
                        suspects = recheck_rewrite(rt, spec, design, history)
                        dropped += _pin_or_drop(rt, paths, suspects, history)
                    continue
                text = "\n\n".join(m for p in paths for m in failing[p])[:3000]
                feedback = f"These tests fail:\n{text}"
                traced = traced_failures(rt, spec, report, paths)
                if traced:  # first: the coder's prompt keeps only the head of long feedback
                    feedback = f"What your code did on the failing tests:\n{traced}\n\n{feedback}"
                suspects = try_fix(rt, state, spec, design, prd, feedback, history=history)
                dropped += _pin_or_drop(rt, paths, suspects, history)
                dropped += after_a_miss(rt, spec, design, history)
            rt.workspace.commit(f"test: repair round {rnd + 1}", role="coder", phase="test")
        return {
            "test_round": rnd + 1,
            "dropped_tests": dropped,
            "candidate_runs": evidence,
        }

    return node
