"""Tests that agree with a shared miss go once a program meets the requirement.

Why: while at least three sampled programs all answer nothing to a PM example
stated with a value, the shared-miss guard (``agreement.shared_miss``) keeps a
repair round from removing or pinning tests, and the example keeps the
requirement samples looking. The tester's tests, checked meanwhile only
against those programs, can agree with their bug (logstats, session 13:
``errors_per_hour([two ERROR lines at 14]) == {}``). When the search finds a
program that meets the example, that program fails them alone — one opinion,
too few for ``suspect_tests``, so the suite stayed red on right code (13/15).
The evidence here is not a vote: such a test expects nothing, which is what the
programs failing the requirement answered, every one of them that ran it passed
it, and the program meeting the requirement fails it. It is removed, never
pinned, and the chat names the example it contradicts.
"""

from __future__ import annotations

import ast
import re

from softco.artifacts import TestReport
from softco.artifacts.reports import case_file, module_of_test
from softco.quality.case_checks import called_name
from softco.quality.example_tests import from_the_requirements, states_the_interface
from softco.workflows.agreement import answered_nothing
from softco.workflows.gating import remove_tests
from softco.workflows.runtime import Runtime

MIN_MISSERS = 3  # as many programs as shared_miss needs to call a miss shared
_EXAMPLE_OF = re.compile(r"::test_(\w+?)_example_\d+$")  # the function a PM example calls


def missed_examples(history: dict[str, list[list[str]]]) -> set[str]:
    """PM examples at least ``MIN_MISSERS`` programs answered nothing to (whoever met them)."""
    entries = list(history.values())
    ran = set().union(*(e[1] for e in entries)) if entries else set()
    return {
        example
        for example in ran
        if from_the_requirements(example)
        and not states_the_interface(example)
        and len(_missers(entries, example)) >= MIN_MISSERS
    }


def _missers(entries: list[list[list[str]]], example: str) -> list[list[list[str]]]:
    return [e for e in entries if answered_nothing(e, example)]


def miss_agreeing(history: dict[str, list[list[str]]], current: TestReport) -> dict[str, str]:
    """``{test: PM example}``: tests the programs missing that example pass and ``current``,
    which meets it, fails; whole programs in ``history`` that meet it must fail them too.

    A test of another function than the example's is never one: a program meeting
    the example may still have a bug elsewhere, which a right test rightly fails.
    """
    entries = list(history.values())
    passed_now = {c.name for c in current.cases if c.outcome == "passed"}
    failed_now = {c.name for c in current.cases if c.outcome in ("failed", "error")}
    found: dict[str, str] = {}
    for example in sorted(passed_now & missed_examples(history)):
        missers = _missers(entries, example)
        meeters = [e for e in entries if example in e[0] and len(e) > 4 and e[4]]
        fn = _function_of(example)
        if not fn:
            continue
        for case in sorted(failed_now - set(found)):
            if from_the_requirements(case) or not _names(case, fn):
                continue
            by_missers = [case in e[0] for e in missers if case in e[1]]
            if len(by_missers) < MIN_MISSERS or not all(by_missers):
                continue
            if any(case in e[0] for e in meeters):
                continue  # a program meeting the example passes it: not tied to the miss
            found[case] = example
    return found


def expects_nothing(test_source: str, name: str, fn: str = "") -> bool:
    """Whether test ``name`` asserts its call (of ``fn``, when given) is None or equals an
    empty or zero literal."""
    try:
        tree = ast.parse(test_source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    for node in tree.body:
        if not (isinstance(node, ast.FunctionDef) and node.name == name):
            continue
        for stmt in node.body:
            if not (isinstance(stmt, ast.Assert) and isinstance(stmt.test, ast.Compare)):
                continue
            if len(stmt.test.ops) != 1:
                return False
            if fn and called_name(stmt.test.left) != fn:
                return False
            op, right = stmt.test.ops[0], stmt.test.comparators[0]
            if isinstance(op, ast.Is):
                return isinstance(right, ast.Constant) and right.value is None
            if not isinstance(op, ast.Eq):
                return False
            try:
                expected = ast.literal_eval(right)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                return False
            if expected is None:
                return True
            empty_able = (str, bytes, int, float, list, dict, tuple, set, frozenset)
            return isinstance(expected, empty_able) and expected == type(expected)()
    return False


def _function_of(example: str) -> str:
    """``errors_per_hour`` of ``tests.test_x_examples::test_errors_per_hour_example_1``."""
    found = _EXAMPLE_OF.search(example)
    return found.group(1) if found else ""


def _names(case: str, fn: str) -> bool:
    """Whether a tester test's name says it checks ``fn`` (``test_<fn>_<behaviour>``)."""
    name = case.rsplit("::", 1)[-1]
    return name == f"test_{fn}" or name.startswith(f"test_{fn}_")


def drop_miss_agreeing(
    rt: Runtime, paths: list[str], history: dict[str, list[list[str]]], current: TestReport
) -> list[str]:
    """Remove the tests of ``paths`` that agree with a shared miss ``current`` no longer has."""
    if not rt.settings.workflow.shared_miss_guard:
        return []
    found = miss_agreeing(history, current)
    removed: list[str] = []
    for path in paths:
        if not found or not rt.workspace.exists(path):
            continue
        content = rt.workspace.read(path)
        mine = {
            case.rsplit("::", 1)[-1].split("[", 1)[0]: example
            for case, example in found.items()
            if case_file(case) == module_of_test(path)
        }
        mine = {
            name: ex
            for name, ex in mine.items()
            if expects_nothing(content, name, _function_of(ex))
        }
        if not mine:
            continue
        gone = remove_tests(rt, path, set(mine))
        if not gone:
            continue
        examples = ", ".join(sorted({mine[n].rsplit("::", 1)[-1] for n in gone}))
        rt.say(
            "tester",
            f"{path}: removed {', '.join(gone)}: they expect nothing, as the programs that "
            f"answered nothing to {examples} did, and the program that now meets it fails them",
            "test",
        )
        removed += [f"{path}::{n}" for n in gone]
    return removed
