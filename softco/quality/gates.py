"""Static gates: cheap checks on generated code and tests before anything runs.

Pure functions, no LLM, no subprocess. A non-empty result fails the gate and
goes straight back to the author (coder or tester) as the exact findings, so a
broken import or a redefined fixture costs one short re-ask instead of a
sandboxed test run and a confusing traceback.

What fails a module: a syntax error, an undefined name (pyflakes; unused
imports are not a problem), an import of a local module outside the design or
of a name its interface does not export, an unavailable third-party package,
an interface entry missing or with different parameter names, a parameter
the body ignores, a listed command method that returns a result and changes
nothing (``command_lint``), a stated method reading ``self.x`` that only
another method sets, so it fails on a new object (``unset_attrs``), a placeholder
body or TODO/FIXME comment, code that runs at import time, and a function
taking ``argv`` that calls ``parse_args()`` without it. Return-annotation
differences are only warnings (:func:`signature_warnings`).

What fails a test file: a syntax error, an undefined name, a redefined pytest
fixture or design function, an import outside the design, a test argument
that is no fixture, a test without an assert, or no tests at all.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from softco.artifacts import Design, FileSpec, module_name
from softco.quality.analysis import import_problems, parse, undefined_names
from softco.quality.cli_argparse import unknown_namespace_problems
from softco.quality.cli_subcommands import subcommand_scope_problems
from softco.quality.command_lint import (
    shadowed_method_problems,
    stateless_command_problems,
    typed_parameter_problems,
)
from softco.quality.module_lint import (
    argv_problems,
    import_time_problems,
    interface_problems,
    placeholder_problems,
    signature_warnings,
    unused_parameter_problems,
)
from softco.quality.placeholders import placeholder_ratio
from softco.quality.suite_lint import (
    BUILTIN_FIXTURES,
    assertion_problems,
    fixture_problems,
    redefinition_problems,
)
from softco.quality.unset_attrs import unset_attribute_problems

__all__ = [
    "BUILTIN_FIXTURES",
    "check_module",
    "check_tests",
    "new_breakage",
    "placeholder_ratio",
    "signature_warnings",
]

TEST_PACKAGES = frozenset({"pytest"})

# Findings that stop a module (or the tests importing it) from running, matched at the
# start of the finding after its "line N: ": a quoted source line elsewhere may say anything.
_BREAKING = re.compile(
    r"^(?:syntax error|the file cannot be parsed|undefined name |missing (?:function|class) "
    r"|imports '[^']+', which is not (?:a module of the design|available)"
    r"|'[^']+' is not in the interface of |\S+ imports from itself"
    r"|\S+ assigns \S+, which replaces the method |main reads \S+, which the parser never"
    r"|\S+ reads \S+, but \S+ is an? \w+ \(the signature says so\)"
    r"|\S+ reads self\.\w+(?:, which only [\w, ]+ sets,| before anything sets it) so )"
)
_LINE = re.compile(r"^line \d+: ")


def new_breakage(before: Iterable[str], after: Iterable[str]) -> list[str]:
    """Findings in ``after`` that break the module and were not in ``before``.

    A rewrite is not judged by its number of findings alone: one that fixes
    "never uses 'price'" but reads a table it moved into another function has
    as many findings and a ``NameError`` the old file did not have. Line
    numbers are ignored, since a rewrite moves code.
    """
    known = {_LINE.sub("", finding) for finding in before}
    return [
        finding
        for finding in after
        if _BREAKING.match(_LINE.sub("", finding)) and _LINE.sub("", finding) not in known
    ]


def check_module(spec: FileSpec, content: str, design: Design) -> list[str]:
    """Every reason ``content`` is not an acceptable implementation of ``spec``; [] passes."""
    tree, problems = parse(content, spec.path)
    if tree is None:
        return problems
    problems += undefined_names(tree, spec.path)
    problems += import_problems(tree, spec.path, design)
    problems += self_import_problems(spec, tree)
    problems += interface_problems(spec, tree)
    problems += unused_parameter_problems(spec, tree)
    problems += stateless_command_problems(spec, tree)
    problems += shadowed_method_problems(tree)
    problems += unset_attribute_problems(tree, spec)
    problems += typed_parameter_problems(tree)
    problems += placeholder_problems(tree, content)
    problems += import_time_problems(tree)
    problems += argv_problems(tree)
    problems += unknown_namespace_problems(content)
    problems += subcommand_scope_problems(content)
    return list(dict.fromkeys(problems))


def check_tests(
    path: str, content: str, design: Design, known_fixtures: Iterable[str] = ()
) -> list[str]:
    """Every reason the test file at ``path`` cannot be trusted; [] passes.

    ``known_fixtures`` names fixtures a conftest.py provides, if the workspace
    has one.
    """
    tree, problems = parse(content, path)
    if tree is None:
        return problems
    problems += undefined_names(tree, path)
    problems += import_problems(tree, path, design, extra_allowed=TEST_PACKAGES)
    problems += fixture_problems(tree, known_fixtures)
    problems += redefinition_problems(tree, design)
    problems += assertion_problems(tree)
    return list(dict.fromkeys(problems))


def self_import_problems(spec: FileSpec, tree: ast.Module) -> list[str]:
    """A module importing its own names (a small model writing the wrong file) never works."""
    own = module_name(spec.path)
    return [
        f"line {node.lineno}: {spec.path} imports from itself ({own}): define "
        f"{', '.join(a.name for a in node.names)} here instead"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == own and node.level == 0
    ]
