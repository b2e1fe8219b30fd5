"""Static gates around the authors: one bounded re-ask, then prune what cannot run.

A failed gate goes straight back to its author with the exact findings; the
answer is kept only if it is better (code that parses beats code that does
not, else fewer findings and no new undefined name or unresolved import).
Test functions a finding still points into are dropped, because one broken
test sends the repair loop after the wrong file.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from softco.quality.edits import without_lines
from softco.quality.gates import new_breakage
from softco.quality.suite_lint import BUILTIN_FIXTURES
from softco.workflows.runtime import Runtime


def gated(
    rt: Runtime,
    role: str,
    path: str,
    content: str,
    check: Callable[[str], list[str]],
    rewrite: Callable[[str, str], str],
) -> str:
    """Run the static gate; on findings, one re-ask with them, kept only if it has fewer."""
    if not rt.settings.workflow.static_gates:
        return content
    problems = check(content)
    if not problems:
        return content
    rt.say(
        role,
        f"{path}: gate found " + "; ".join(problems[:2]),
        "test" if role == "tester" else "code",
    )
    retry = rewrite("Static checks found problems:\n" + "\n".join(problems), content)
    # code that parses beats code that does not, whatever the count of findings
    if parses(retry) != parses(content):
        return retry if parses(retry) else content
    found = check(retry)
    return retry if len(found) < len(problems) and not new_breakage(problems, found) else content


def parses(content: str) -> bool:
    try:
        ast.parse(content)
    except SyntaxError:
        return False
    return True


def prune_broken_tests(content: str, problems: list[str]) -> str:
    """Drop the test functions a gate finding points into (by its "line N").

    A test that cannot run (an undefined name, a missing fixture) only adds
    noise to the suite and sends the repair loop after the wrong culprit; the
    healthy tests of the same file are kept. Nothing is dropped if that would
    leave no test at all. Copies of pytest's own fixtures go in any case.
    """
    lines = {int(m) for p in problems for m in re.findall(r"\bline (\d+)", p)}
    try:
        tests = _function_spans(ast.parse(content), lambda name: name.startswith("test"))
    except SyntaxError:
        return content
    broken = [(a, b) for a, b in tests if any(a <= ln <= b for ln in lines)]
    if broken and len(broken) < len(tests):
        content = without_lines(content, broken)
    # after the line-based cut: the findings' line numbers refer to the file as it came
    return drop_fixture_copies(content)


def drop_fixture_copies(content: str) -> str:
    """Remove top-level redefinitions of pytest's own fixtures (``def tmp_path(tmpdir)``).

    They are never right, and the tests that take the fixture as an argument
    work unchanged with pytest's real one once the copy is gone.
    """
    try:
        spans = _function_spans(ast.parse(content), BUILTIN_FIXTURES.__contains__)
    except SyntaxError:
        return content
    return without_lines(content, spans) if spans else content


def drop_tests(content: str, names: set[str]) -> str:
    """Remove the top-level test functions called ``names`` (with their decorators)."""
    try:
        return without_lines(content, _function_spans(ast.parse(content), names.__contains__))
    except SyntaxError:
        return content


def remove_tests(rt: Runtime, path: str, names: set[str]) -> list[str]:
    """Remove test functions ``names`` from ``path`` in the workspace; the names removed.

    A file left with no test is deleted (pytest would report it as empty).
    """
    if not names or not rt.workspace.exists(path):
        return []
    content = rt.workspace.read(path)
    kept = drop_tests(content, names)
    removed = sorted(n for n in names if f"def {n}(" in content and f"def {n}(" not in kept)
    if not removed:
        return []
    if "def test" in kept:
        rt.workspace.write(path, kept)
    else:
        rt.workspace.delete(path)
    return removed


def _function_spans(tree: ast.Module, wanted: Callable[[str], bool]) -> list[tuple[int, int]]:
    """(first, last) line of each top-level function whose name is ``wanted``, decorators in."""
    return [
        (min(d.lineno for d in [n, *n.decorator_list]), n.end_lineno or n.lineno)
        for n in tree.body
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and wanted(n.name)
    ]
