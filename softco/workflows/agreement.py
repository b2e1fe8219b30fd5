"""Choosing among candidate programs by what the tests say, and doubting the tests.

CodeT's idea (dual execution agreement) for a small model's repairs:
``agreement_pick`` keeps the program the others support, ``suspect_tests``
names tests no distinct program passes, ``spliced_candidate`` builds one more
candidate function by function from the candidates best at each, and
``pin_agreed`` keeps a suspect test whose call every program answers alike
(``probe_values`` records the answers), expecting that answer.
"""

from __future__ import annotations

import ast
import hashlib
from collections import defaultdict

from softco.artifacts import Design, FileSpec, TestReport
from softco.artifacts.reports import case_file, module_of_test
from softco.errors import SoftcoError
from softco.quality.case_probe import parse_probe, pin_expected, probe_script
from softco.quality.example_tests import (
    example_test_path,
    from_the_requirements,
    states_the_interface,
)
from softco.quality.reshape import functions_exercised, splice_functions
from softco.roles.briefing import test_path_for
from softco.workflows.runtime import Runtime


def agreement_pick(passes: list[frozenset[str] | None], voters: list[bool] | None = None) -> int:
    """Index of the candidate program to keep, by dual execution agreement (CodeT).

    ``passes[i]`` is the set of tests candidate ``i`` passes (None: the suite
    did not even collect with it). A candidate scores ``support × passed``,
    where ``support`` counts the candidates whose passing tests it also passes
    (itself included). A wrong test is failed by every correct program, so
    programs that agree with each other outvote one that bends itself to a
    wrong expectation and breaks right ones; a program that passes everything
    another passes and more is supported by it. Ties go to more passes, then
    to the earliest candidate (the current code). Callers pass distinct
    programs only: an echoed copy is not a second opinion. ``voters[i]``
    False marks a candidate that may win but supports no other: one with a
    single function rewritten (``unit_repair``) is the current program
    everywhere else, so six such samples that fixed nothing would otherwise
    outvote a better whole-file candidate for the current code. Such a
    candidate passing exactly what a voter passes brings nothing new and is
    not picked.
    """
    votes = voters or [True] * len(passes)

    def score(i: int) -> tuple[int, int, int, int]:
        mine = passes[i]
        if mine is None:
            return (0, 0, 0, -i)
        if not votes[i] and any(votes[j] and passes[j] == mine for j in range(len(passes))):
            return (0, 0, 0, -i)  # a voter already passes exactly these: nothing new
        support = 1 + sum(
            1
            for j, other in enumerate(passes)
            if j != i and votes[j] and other is not None and other <= mine
        )
        return (1, support * len(mine), len(mine), -i)

    return max(range(len(passes)), key=score)


def evidence(
    report: TestReport,
    scope: frozenset[str] | None,
    said: list[str],
    opinions: list[str] | None = None,
    program: str | None = None,
) -> list[list[str]]:
    """One program's entry in the repair history: ``[passed, ran, probed, opinions, program]``.

    A pass anywhere shows a test can be met; a failure counts only within
    ``scope`` (None: everywhere), the tests a one-unit candidate is an opinion
    on. ``opinions`` fingerprint the code under each test
    (``unit_repair.test_opinions``). ``program`` is the whole file's text, kept
    so that tests the tester rewrites later can be run under it too
    (``recheck.recheck_rewrite``); a one-unit candidate keeps none.
    """
    return [
        sorted(c.name for c in report.cases if c.outcome == "passed"),
        sorted(c.name for c in report.cases if scope is None or c.name in scope),
        said,
        opinions or [],
        [program] if program is not None else [],
    ]


def digest(text: str) -> str:
    """The key of a program in the repair history: equal texts are one program."""
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def history_suspects(
    history: dict[str, list[list[str]]], distinct: bool, guard: bool = True
) -> set[str]:
    """``suspect_tests`` over a module's repair history, sparing tests that state the interface.

    Pins always count opinions (``pin_agreed``); drops only with ``distinct``
    (``workflow.distinct_drops``). Tests of the interface's own clauses
    (``states_the_interface``) are never suspects: they state what was asked. With
    ``guard`` (``workflow.shared_miss_guard``), none at all while the programs
    share a miss (``shared_miss``): then their agreement is no evidence.
    """
    runs = [(frozenset(entry[0]), frozenset(entry[1])) for entry in history.values()]
    said = [opinions_of(e) for e in history.values()] if distinct else None
    if guard and shared_miss(history):
        return set()
    return {case for case in suspect_tests(runs, said) if not states_the_interface(case)}


def round_suspects(rt: Runtime, path: str, history: dict[str, list[list[str]]]) -> set[str]:
    """``history_suspects`` for module ``path``; the chat says when a shared miss voids them."""
    flow = rt.settings.workflow
    missed = shared_miss(history) if flow.shared_miss_guard else None
    if missed is not None:
        rt.say(
            "tester",
            f"{path}: every sampled implementation answers nothing to "
            f"{missed.rsplit('::', 1)[-1]}, so they share a bug; no test is removed or pinned",
            "test",
        )
        return set()
    return history_suspects(history, flow.distinct_drops, guard=False)  # checked just above


EMPTY_ANSWERS = frozenset({"None", "{}", "[]", "()", "''", "set()"})
"""Probed answers that say a program did nothing with its input (``shared_miss``)."""


def shared_miss(history: dict[str, list[list[str]]]) -> str | None:
    """A PM example every program fails by answering nothing, if any: their shared bug.

    When three or more sampled programs all answer ``None`` (or an empty
    container) for an example the PM stated with a value, they have not read
    the input differently from the PM; they have all failed to read it
    (logstats, session 12: every ``parse_line`` rejected every real line, the
    PM's right examples were removed as wrong and the tester's tests pinned to
    the shared ``None``, so a green suite shipped wrong code). Such agreement
    proves nothing, so the round removes and pins no test, and the example
    keeps the requirement samples (``requirement_units``) looking for a
    program that meets it.
    """
    passed = set().union(*(entry[0] for entry in history.values())) if history else set()
    ran = set().union(*(entry[1] for entry in history.values())) if history else set()
    for case in sorted(ran - passed):
        if not from_the_requirements(case) or states_the_interface(case):
            continue
        ran_it = [entry for entry in history.values() if case in entry[1] and len(entry) > 2]
        if len(ran_it) >= 3 and all(answered_nothing(entry, case) for entry in ran_it):
            return case
    return None


def answered_nothing(entry: list[list[str]], case: str) -> bool:
    """Whether the program of a history entry ran ``case``, failed it and answered nothing."""
    return case in entry[1] and case not in entry[0] and probed_of(entry).get(case) in EMPTY_ANSWERS


def probed_of(entry: list[list[str]]) -> dict[str, str]:
    """``{test: probed value}`` of one repair-history entry (``evidence``; ``probe_values``)."""
    return dict(v.split("\t", 1) for v in entry[2] if "\t" in v) if len(entry) > 2 else {}


def opinions_of(entry: list[list[str]]) -> dict[str, str]:
    """``{test: fingerprint}`` of one repair-history entry (``evidence``)."""
    return dict(v.split("\t", 1) for v in entry[3] if "\t" in v) if len(entry) > 3 else {}


def _views(case: str, holders: list[tuple[int, dict[str, str]]]) -> int:
    """How many distinct opinions on ``case`` the programs ``holders`` are.

    Programs whose code under the test is the same (``unit_repair.test_opinions``)
    are one opinion; a program without a fingerprint for it counts on its own.
    """
    key = case.split("[", 1)[0]
    return len({said.get(key) or f"#{i}" for i, said in holders})


def suspect_tests(
    runs: list[tuple[frozenset[str], frozenset[str]]],
    opinions: list[dict[str, str]] | None = None,
) -> set[str]:
    """Tests no program passes, among distinct programs that ran them (at least three).

    ``runs`` holds ``(passed, ran)`` per distinct program of one module, from
    this repair round and earlier ones. Three independently sampled programs
    that all fail one test while passing others of the same file are evidence
    against the test (a fabricated expected value, a wrong reading of the
    interface), not against each of them. A file none of them passes anything
    of is left alone: that points at something they share (a broken
    dependency, a wrong import). ``opinions[i]``, when given, fingerprints
    program ``i``'s code under each test: programs alike there count once,
    since the same wrong ``parse_line`` failing three times is one opinion
    against the test (``workflow.distinct_drops``; off by default, see there).
    """
    said = opinions or [{} for _ in runs]
    passed = set().union(*(p for p, _ in runs)) if runs else set()
    files_passing = {c.split("::", 1)[0] for c in passed}
    suspects = set()
    for case in set().union(*(r for _, r in runs)) if runs else set():
        if case in passed or case.split("::", 1)[0] not in files_passing:
            continue
        holders = [(i, said[i]) for i, (_, ran) in enumerate(runs) if case in ran]
        if _views(case, holders) >= 3:
            suspects.add(case)
    # a parametrized test goes only when every one of its rows is suspect
    rows: dict[str, set[str]] = defaultdict(set)
    for _, ran in runs:
        for case in ran:
            rows[case.split("[", 1)[0]].add(case)
    return {c for c in suspects if rows[c.split("[", 1)[0]] <= suspects}


def passes_of(report: TestReport) -> frozenset[str] | None:
    if not report.cases:
        return None
    return frozenset(c.name for c in report.cases if c.outcome == "passed")


def spliced_candidate(
    rt: Runtime,
    spec: FileSpec,
    contents: list[str],
    passes: list[frozenset[str] | None],
    voters: list[bool] | None = None,
) -> str | None:
    """One more candidate, free of model calls: each function from the candidate best at it.

    Tests that exercise a single interface function score the candidates on
    that function alone; when another candidate beats the agreed one on some
    function, that function is spliced into the agreed candidate. A module
    whose ``to_roman`` is right in one sample and ``from_roman`` in another
    thus gets both right without a further call.
    """
    names = {fn.name for fn in spec.interface if fn.signature.startswith("def ")}
    if len(contents) < 2 or len(names) < 2:
        return None
    exercised: dict[str, set[str]] = {}
    for path in rt.workspace.list_files():
        if path.startswith("tests/") and path.endswith(".py"):
            module = module_of_test(path)
            found = functions_exercised(rt.workspace.read(path), names)
            exercised.update({f"{module}::{test}": used for test, used in found.items()})
    base = agreement_pick(passes, voters)

    def score(i: int, name: str) -> int:
        mine = passes[i]
        if mine is None:
            return -1
        return sum(1 for case in mine if exercised.get(case.split("[", 1)[0]) == {name})

    donors = {}
    for name in sorted(names):
        best = max(range(len(contents)), key=lambda i: (score(i, name), i == base))
        if score(best, name) > score(base, name):
            donors[name] = contents[best]
    return splice_functions(contents[base], donors) if donors else None


PROBE_PATH = "softco_probe.py"


def probe_values(rt: Runtime, spec: FileSpec, design: Design, report: TestReport) -> list[str]:
    """``case<TAB>repr`` for the module's failing case tests, under the program now in place.

    Evidence for ``pin_agreed``: what each sampled program returns for a call
    its tests disputed; the PM's examples (``example_test_path``) are probed
    too, for ``shared_miss``. Empty when the switch is off or nothing is probed.
    """
    path = test_path_for(spec, design)
    if not rt.settings.workflow.agreed_values:
        return []
    found: list[str] = []
    for test_path, examples in ((path, False), (example_test_path(spec, path), True)):
        if rt.workspace.exists(test_path):
            found += _probe_file(rt, test_path, report, examples)
    return sorted(found)


def _probe_file(rt: Runtime, path: str, report: TestReport, examples: bool) -> list[str]:
    """``probe_values`` for one test file; of the PM's examples, those expecting something."""
    source = rt.workspace.read(path)
    failing = {
        c.name.rsplit("::", 1)[-1]: c.name
        for c in report.cases
        if c.outcome in ("failed", "error")
        and case_file(c.name) == module_of_test(path)
        and c.name.count("::") == 1  # a module-level test function, not a class's method
    }
    if examples:  # an example expecting None or {} itself cannot show a shared miss
        failing = {k: v for k, v in failing.items() if expects_something(source, k)}
    script = probe_script(source, set(failing))
    if script is None:
        return []
    rt.workspace.write(PROBE_PATH, script)
    try:
        ran = rt.workspace.run_entrypoint(PROBE_PATH, timeout_s=20)
    except SoftcoError:
        return []
    finally:
        rt.workspace.delete(PROBE_PATH)
    return [f"{failing[name]}\t{value}" for name, value in parse_probe(ran.stdout).items()]


def expects_something(test_source: str, name: str) -> bool:
    """Whether test ``name`` asserts its call equals a literal that is not empty or None."""
    try:
        tree = ast.parse(test_source)
    except SyntaxError:
        return False
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            for stmt in node.body:
                if (
                    isinstance(stmt, ast.Assert)
                    and isinstance(stmt.test, ast.Compare)
                    and len(stmt.test.ops) == 1
                    and isinstance(stmt.test.ops[0], ast.Eq)
                ):
                    try:
                        expected = ast.literal_eval(stmt.test.comparators[0])
                    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                        return True  # pytest.approx(2.5): a number, something
                    return expected not in (None, "", 0) and expected != type(expected)()
    return False


def pin_agreed(
    rt: Runtime, test_path: str, suspects: set[str], history: dict[str, list[list[str]]]
) -> set[str]:
    """Keep suspect tests whose call every sampled program answers alike, expecting that answer.

    Needs at least three distinct opinions (programs whose code under the test
    differs, see ``suspect_tests``) that ran the test, each with a probed
    value, all equal, and the pinned test must then pass under pytest. A
    PM example is never pinned (it states what was asked: a wrong one goes,
    it is not rewritten to the programs' answer). Returns the cases pinned
    (the rest may go).
    """
    mine = sorted(
        s
        for s in suspects
        if case_file(s) == module_of_test(test_path) and not from_the_requirements(s)
    )
    if not mine or not rt.workspace.exists(test_path):
        return set()
    content = rt.workspace.read(test_path)
    pinned: set[str] = set()
    for case in mine:
        said, holders = [], []
        for i, entry in enumerate(history.values()):
            if case not in entry[1]:
                continue
            # a program recorded before values were probed is an opinion we do not know
            said.append(probed_of(entry).get(case))
            holders.append((i, opinions_of(entry)))
        if _views(case, holders) < 3 or None in said or len(set(said)) != 1:
            continue
        name = case.rsplit("::", 1)[-1]
        changed = pin_expected(content, name, str(said[0]), len(said))
        if changed is not None:
            content = changed
            pinned.add(case)
    if pinned:
        before = rt.workspace.read(test_path)
        rt.workspace.write(test_path, content)
        # the probe ran the call outside pytest (no fixtures, no conftest): a pin
        # is kept only if the test now passes under pytest too
        still = {c.name for c in rt.run_suite().cases if c.outcome != "passed"}
        if pinned & still:
            rt.workspace.write(test_path, before)
            pinned -= still
            return pin_agreed(rt, test_path, pinned, history) if pinned else set()
        names = ", ".join(sorted(c.rsplit("::", 1)[-1] for c in pinned))
        rt.say(
            "tester",
            f"{test_path}: kept {names} expecting the value every sampled implementation "
            "returns (each of them contradicted the tester's value)",
            "test",
        )
    return pinned
