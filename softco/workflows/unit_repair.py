"""Repair candidates one unit at a time: each function or method a failing test calls, afresh.

A whole-file candidate must get every function right at once, costs a
20-40 s answer from the embedded model and, shown the failure, mostly echoes
its input. A single function written on its own (``coder.write_function``,
no old text) answers in 5-10 s, and each sample is one more independent
chance at the one function that is wrong: logstats' ``parse_line`` was right
in about 1 of 6 samples, and all three whole-file candidates of its repair
round failed the tester's (right) test on a valid line, so the test was
dropped as "every implementation fails it". Each unit candidate is the
current file with that one unit replaced; ``repair.try_fix`` runs it against
the suite like any candidate, and agreement with the tests picks.

A unit candidate's failures are evidence only about the tests that call the
unit it replaced (its ``scope``): for a test of ``count_levels`` a rewritten
``errors_per_hour`` is the same program as before, not a second opinion.

Off by default (``workflow.repair_units`` 0): on the public briefs (session 7,
6 samples per unit) it fixed nothing — 6 ``parse_line`` samples missed the 1 in
8 that is right — and it made guess fit the tester's wrong tests (2/4 → 0/4
acceptance), at +36 % tokens. More candidates fit wrong tests as readily as
right ones; kept as a measured switch (ablation row ``unit-repair``).
"""

from __future__ import annotations

import ast
import copy
import hashlib
from collections.abc import Callable, Iterator
from typing import Any

from softco.artifacts import PRD, Design, FileSpec, TestReport, module_name
from softco.artifacts.reports import module_of_test
from softco.artifacts.stated import class_methods, signature_name
from softco.quality.repairs import tidy
from softco.workflows.runtime import Runtime
from softco.workflows.unit_rewrite import flagged_units, sample_unit

MAX_UNITS = 2  # per module and repair round: the units most failing tests call


def stated_units(spec: FileSpec) -> dict[str, tuple[str, str]]:
    """``{unit: (class or "", name)}`` for the functions and listed methods the brief fixed."""
    units: dict[str, tuple[str, str]] = {}
    for fn in spec.interface:
        if fn.signature.startswith("def "):
            units[fn.name] = ("", fn.name)
        for method in class_methods(fn):
            name = signature_name(method)
            if name != "__init__":
                units[f"{fn.name}.{name}"] = (fn.name, name)
    return units


def units_called(test_source: str, spec: FileSpec) -> dict[str, set[str]]:
    """``{test function: units of spec it calls}`` for one test file.

    A function counts where the test names it, bare or on its module
    (``logstats.parse_line``); a method where the test names its class and
    reads an attribute of that name (``g = GuessGame(7)`` … ``g.is_over()``).
    Top-level test functions only.
    """
    try:
        tree = ast.parse(test_source)
    except SyntaxError:
        return {}
    units = stated_units(spec)
    module = module_name(spec.path).rsplit(".", 1)[-1]
    found: dict[str, set[str]] = {}
    for node in tree.body:
        if not (isinstance(node, ast.FunctionDef) and node.name.startswith("test")):
            continue
        names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        attrs = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
        qualified = {
            n.attr
            for n in ast.walk(node)
            if isinstance(n, ast.Attribute)
            and isinstance(n.value, ast.Name)
            and n.value.id == module
        }
        found[node.name] = {
            unit
            for unit, (cls, name) in units.items()
            if (not cls and name in names | qualified)
            or (cls in names | qualified and name in attrs)
        }
    return found


def _case_key(case: str) -> str:
    """``tests.test_x::test_y`` of a reported case (parameters cut)."""
    module, _, rest = case.partition("::")
    return f"{module}::{rest.split('::')[-1].split('[', 1)[0]}"


def unit_callees(content: str, spec: FileSpec) -> dict[str, set[str]]:
    """``{unit: stated units it uses, directly or through others}`` in the module's own code.

    ``count_levels`` calling ``parse_line`` fails every test when ``parse_line``
    is wrong, so a failing test of ``count_levels`` points at both. A use is
    any reference (``map(parse_line, lines)`` too), or ``self.m`` in a method.
    """
    units = stated_units(spec)
    bodies = {u: n for u, n in _unit_nodes(content).items() if "." in u or u in units}
    direct: dict[str, set[str]] = {}
    for unit, body in bodies.items():
        cls = unit.split(".")[0] if "." in unit else ""
        found = set()
        for node in ast.walk(body):
            if isinstance(node, ast.Name) and node.id in units:
                found.add(node.id)
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
                and f"{cls}.{node.attr}" in units
            ):
                found.add(f"{cls}.{node.attr}")
        direct[unit] = found - {unit}
    reach: dict[str, set[str]] = {}
    for unit in direct:
        seen: set[str] = set()
        todo = list(direct[unit])
        while todo:
            callee = todo.pop()
            if callee not in seen and callee != unit:
                seen.add(callee)
                todo.extend(direct.get(callee, ()))
        reach[unit] = seen
    return reach


def _unit_nodes(content: str) -> dict[str, ast.AST]:
    """``{unit: its def}`` for the module's top-level functions and its classes' methods."""
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return {}
    found: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found[node.name] = node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    found[f"{node.name}.{item.name}"] = item
    return found


def _code_of(node: ast.AST) -> str:
    """The unit's code with layout, comments and its docstring left out."""
    body = getattr(node, "body", [])
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        node = copy.copy(node)
        node.body = body[1:]  # type: ignore[attr-defined]
    return ast.dump(node)


def _context(content: str, spec: FileSpec) -> str:
    """The module's code outside its stated functions: imports, constants, helpers, classes.

    A test of ``parse_line`` also runs the ``LOG_RE`` it matches with and the
    ``_parse_ts`` helper it calls; a class's other methods share its state.
    """
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    stated = {name for name, (cls, _) in stated_units(spec).items() if not cls}
    return "\n".join(
        _code_of(node)
        for node in tree.body
        if not (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in stated)
        and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
    )


def test_opinions(rt: Runtime, spec: FileSpec, content: str) -> list[str]:
    """``case<TAB>fingerprint`` for each test of the suite calling a stated unit of ``spec``.

    The fingerprint is the code of the units the test calls and of those they
    use (``unit_callees``), with the module's code outside its stated functions
    (``_context``: constants, helpers, classes). Two programs that differ only
    in other stated functions give the same fingerprint: for that test they
    are one opinion, not two. A whole-file candidate at temperature 0.7 mostly
    rewrites around the bug, so logstats'
    three candidates that "all failed" the valid-line test of ``parse_line``
    may have been one ``parse_line`` three times. A test whose units are not
    all found gets no fingerprint (each program then counts on its own).
    """
    nodes = _unit_nodes(content)
    reach = unit_callees(content, spec)
    context = _context(content, spec)
    said = []
    for path in rt.workspace.list_files():
        if not (path.startswith("tests/") and path.endswith(".py")):
            continue
        module = module_of_test(path)
        for test, called in units_called(rt.workspace.read(path), spec).items():
            units = sorted(called.union(*(reach.get(u, set()) for u in called)))
            if not units or any(u not in nodes for u in units):
                continue
            code = context + "\n".join(f"{u}:{_code_of(nodes[u])}" for u in units)
            said.append(f"{module}::{test}\t{hashlib.sha1(code.encode()).hexdigest()[:12]}")
    return sorted(said)


def _test_calls(rt: Runtime, spec: FileSpec) -> dict[str, set[str]]:
    """``{tests.test_x::test_y: units of spec it calls}`` over the workspace's test files."""
    calls: dict[str, set[str]] = {}
    for path in rt.workspace.list_files():
        if path.startswith("tests/") and path.endswith(".py"):
            module = module_of_test(path)
            for test, units in units_called(rt.workspace.read(path), spec).items():
                calls[f"{module}::{test}"] = units
    return calls


def unit_pointers(
    rt: Runtime,
    spec: FileSpec,
    content: str,
    report: TestReport,
    chosen: Callable[[str], bool] | None = None,
) -> dict[str, set[str]]:
    """``{unit: the failing cases pointing at it}``, directly or through the module's own calls.

    A failing case points at the units it calls and at those they use in the
    module's own code (``unit_callees``); ``chosen`` limits the failing cases
    that point (None: all of them).
    """
    return _pointed(_test_calls(rt, spec), unit_callees(content, spec), report, chosen)


def _pointed(
    calls: dict[str, set[str]],
    reach: dict[str, set[str]],
    report: TestReport,
    chosen: Callable[[str], bool] | None,
) -> dict[str, set[str]]:
    pointed: dict[str, set[str]] = {}
    for case in report.cases:
        if case.outcome not in ("failed", "error") or (
            chosen is not None and not chosen(case.name)
        ):
            continue
        called = calls.get(_case_key(case.name), set())
        for unit in sorted(called.union(*(reach.get(u, set()) for u in called))):
            pointed.setdefault(unit, set()).add(case.name)
    return pointed


def unit_scopes(
    rt: Runtime,
    spec: FileSpec,
    content: str,
    report: TestReport,
    chosen: Callable[[str], bool] | None = None,
) -> dict[str, frozenset[str]]:
    """``{unit: the reported cases calling it}``, for the units failing cases point at, most first.

    At most ``MAX_UNITS`` units (``unit_pointers``, limited by ``chosen``), and
    a unit no failing case points at is not worth a sample. The scope is the
    cases calling the unit themselves: six samples of ``parse_line`` that all
    fail a test of a wrong ``count_levels`` are not six opinions against it.
    """
    calls = _test_calls(rt, spec)  # read once for both the pointers and the scopes
    pointed = _pointed(calls, unit_callees(content, spec), report, chosen)
    ranked = sorted(pointed, key=lambda u: -len(pointed[u]))[:MAX_UNITS]  # ties: first seen
    return {
        unit: frozenset(c.name for c in report.cases if unit in calls.get(_case_key(c.name), set()))
        for unit in ranked
    }


def unit_candidates(
    rt: Runtime,
    ctx: Any,
    spec: FileSpec,
    design: Design,
    prd: PRD,
    content: str,
    findings: list[str],
    report: TestReport,
    round_no: int,
    samples: int | None = None,
    chosen: Callable[[str], bool] | None = None,
    settled: set[str] | None = None,
) -> Iterator[tuple[str, str, frozenset[str]]]:
    """``(unit, candidate file, scope)`` for each usable fresh sample of each unit under test.

    ``workflow.repair_units`` samples per unit, at temperature 0.7 with a seed
    of their own per round; a unit the gate flags (``unit_rewrite.flagged_units``:
    csvsummary's ``summarize`` that only checks ``column``; ``findings`` are the
    gate's on ``content``) gets the finding as a rule. Each goes through the
    same mechanical repairs as a whole file (``tidy``). Unusable answers are
    skipped. ``samples`` overrides ``repair_units``; ``chosen`` limits the
    failing cases that pick the units (``unit_scopes``), with seeds drawn anew
    each time (``Runtime.seeds``). A unit the caller adds to ``settled`` is
    sampled no more.
    """
    count = rt.settings.workflow.repair_units if samples is None else samples
    hints = flagged_units(findings)
    for k, (unit, scope) in enumerate(unit_scopes(rt, spec, content, report, chosen).items()):
        seeds = (
            [1000 * round_no + 300 + 10 * k + attempt for attempt in range(count)]
            if chosen is None  # asked again (a review fix, a later sprint): new samples
            else rt.seeds(f"requirement-units:{spec.path}:{unit}", count, base=500)
        )
        for seed in seeds:
            if settled is not None and unit in settled:
                break
            merged = sample_unit(ctx, spec, design, prd, content, unit, hints.get(unit, ""), seed)
            if merged is None:
                continue
            if rt.settings.workflow.static_gates:
                merged = tidy(spec, merged, design)
            yield unit, merged, scope
