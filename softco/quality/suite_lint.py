"""Test-file checks for the mistakes small models make when writing pytest files.

Redefining a built-in fixture (``def capsys(): ...``) or the function under
test makes a test pass or fail for reasons unrelated to the code; a test
without an assert proves nothing; an argument that is no fixture errors at
setup. Each finding names the line and the fix.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from softco.artifacts import Design
from softco.quality.placeholders import FunctionNode

BUILTIN_FIXTURES = frozenset(
    {
        "cache",
        "capfd",
        "capfdbinary",
        "caplog",
        "capsys",
        "capsysbinary",
        "doctest_namespace",
        "monkeypatch",
        "pytestconfig",
        "pytester",
        "record_property",
        "record_testsuite_property",
        "record_xml_attribute",
        "recwarn",
        "request",
        "testdir",
        "tmp_path",
        "tmp_path_factory",
        "tmpdir",
        "tmpdir_factory",
    }
)
_CHECK_CALLS = {"raises", "warns", "fail", "deprecated_call"}


def _call_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else ""


def collected_tests(tree: ast.Module) -> list[FunctionNode]:
    """Functions pytest collects: top-level ``test*`` and ``test*`` methods of ``Test*`` classes."""
    found = [n for n in tree.body if isinstance(n, FunctionNode) and n.name.startswith("test")]
    for cls in tree.body:
        if isinstance(cls, ast.ClassDef) and cls.name.startswith("Test"):
            found += [
                n for n in cls.body if isinstance(n, FunctionNode) and n.name.startswith("test")
            ]
    return found


def _checks_something(fn: FunctionNode) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name in _CHECK_CALLS or name.startswith("assert"):
                return True
    return False


def _parametrized(fn: FunctionNode) -> set[str]:
    names: set[str] = set()
    for dec in fn.decorator_list:
        if isinstance(dec, ast.Call) and _call_name(dec) == "parametrize" and dec.args:
            first = dec.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names |= {n.strip() for n in first.value.split(",")}
            elif isinstance(first, ast.List | ast.Tuple):
                names |= {e.value for e in first.elts if isinstance(e, ast.Constant)}
    return names


def _local_fixtures(tree: ast.Module) -> set[str]:
    return {
        n.name
        for n in ast.walk(tree)
        if isinstance(n, FunctionNode) and any(_call_name(d) == "fixture" for d in n.decorator_list)
    }


def fixture_problems(tree: ast.Module, known_fixtures: Iterable[str] = ()) -> list[str]:
    """Redefined built-in fixtures, and test arguments that are no fixture at all."""
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, FunctionNode) and node.name in BUILTIN_FIXTURES:
            problems.append(
                f"line {node.lineno}: redefines the pytest fixture {node.name!r}: delete it and "
                "take it as a test argument instead"
            )
    available = BUILTIN_FIXTURES | _local_fixtures(tree) | set(known_fixtures)
    for fn in collected_tests(tree):
        allowed = available | _parametrized(fn) | {"self"}
        for arg in fn.args.args:
            if arg.arg not in allowed:
                problems.append(
                    f"line {fn.lineno}: {fn.name} takes {arg.arg!r}, which is not a pytest "
                    "fixture: remove the argument and set the value inside the test"
                )
    return problems


def redefinition_problems(tree: ast.Module, design: Design) -> list[str]:
    """Names from the design's interfaces defined in the test file instead of imported."""
    owners = {fn.name: spec.module for spec in design.files for fn in spec.interface}
    problems = []
    nodes = [n for n in ast.walk(tree) if isinstance(n, FunctionNode | ast.ClassDef)]
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            nodes += [t for t in stmt.targets if isinstance(t, ast.Name)]
    for node in sorted(nodes, key=lambda n: n.lineno):
        name = node.id if isinstance(node, ast.Name) else node.name
        if name in owners:
            problems.append(
                f"line {node.lineno}: redefines {name!r} from {owners[name]}: delete it and "
                f"import it instead: from {owners[name]} import {name}"
            )
    return problems


def assertion_problems(tree: ast.Module) -> list[str]:
    tests = collected_tests(tree)
    if not tests:
        return ["the file defines no test functions: write functions named test_<behaviour>"]
    return [
        f"line {fn.lineno}: {fn.name} has no assert: check its result with assert "
        "(or pytest.raises for errors)"
        for fn in tests
        if not _checks_something(fn)
    ]
