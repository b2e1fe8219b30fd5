"""Static gates around the authors: one bounded re-ask, then prune what cannot run.

A failed gate goes straight back to its author with the exact findings; the
answer is kept only if it is better (code that parses beats code that does
not, else fewer findings). Test functions a finding still points into are
dropped, because one broken test sends the repair loop after the wrong file.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

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
    return retry if len(check(retry)) < len(problems) else content


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
    leave no test at all.
    """
    lines = {int(m) for p in problems for m in re.findall(r"\bline (\d+)", p)}
    if not lines:
        return content
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    spans = [
        (min(d.lineno for d in [n, *n.decorator_list]), n.end_lineno or n.lineno)
        for n in tree.body
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name.startswith("test")
    ]
    broken = [(a, b) for a, b in spans if any(a <= ln <= b for ln in lines)]
    if not broken or len(broken) == len(spans):
        return content
    drop = {i for a, b in broken for i in range(a, b + 1)}
    kept = [text for i, text in enumerate(content.splitlines(), 1) if i not in drop]
    return "\n".join(kept).rstrip() + "\n"


def drop_tests(content: str, names: set[str]) -> str:
    """Remove the top-level test functions called ``names`` (with their decorators)."""
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    drop: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in names:
            first = min(d.lineno for d in [node, *node.decorator_list])
            drop.update(range(first, (node.end_lineno or node.lineno) + 1))
    kept = [text for i, text in enumerate(content.splitlines(), 1) if i not in drop]
    return "\n".join(kept).rstrip() + "\n"


def with_pytest_import(content: str) -> str:
    """Add ``import pytest`` to a test file that uses ``pytest.`` without importing it."""
    if "pytest." not in content or re.search(r"^\s*(import pytest|from pytest )", content, re.M):
        return content
    return "import pytest\n" + content
