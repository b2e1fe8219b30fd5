"""Detecting unfinished code: placeholder bodies (AST) and TODO-style comments (tokens).

Shared by the module gate (a placeholder goes back to the coder) and by the
evaluation's completeness metric (:func:`placeholder_ratio`).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

_MARKER = re.compile(r"\b(TODO|FIXME|XXX)\b")
_EXEMPT_DECORATORS = {"abstractmethod", "overload"}

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _is_filler(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Pass):
        return True
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
        return stmt.value.value is Ellipsis
    if isinstance(stmt, ast.Raise) and stmt.exc is not None:
        exc = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
        return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"
    return False


def _decorator_names(node: FunctionNode) -> set[str]:
    names = set()
    for dec in node.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if isinstance(target, ast.Attribute):
            names.add(target.attr)
        elif isinstance(target, ast.Name):
            names.add(target.id)
    return names


def is_placeholder(node: FunctionNode) -> bool:
    """A body that is only a docstring, ``pass``, ``...`` or ``raise NotImplementedError``.

    Abstract methods and ``@overload`` stubs are legitimate and never count.
    """
    if _decorator_names(node) & _EXEMPT_DECORATORS:
        return False
    body = node.body[1:] if node.body and _is_docstring(node.body[0]) else node.body
    return all(_is_filler(stmt) for stmt in body)


def functions(tree: ast.AST) -> list[FunctionNode]:
    return [n for n in ast.walk(tree) if isinstance(n, FunctionNode)]


def marker_comments(content: str) -> list[tuple[int, str]]:
    """(line, marker) for every TODO/FIXME/XXX comment; unreadable tokens are skipped."""
    found = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(content).readline):
            if tok.type == tokenize.COMMENT and (match := _MARKER.search(tok.string)):
                found.append((tok.start[0], match.group(1)))
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


def placeholder_ratio(files: dict[str, str]) -> float:
    """Share of functions (all ``.py`` files together) whose body is a placeholder.

    Files that do not parse are skipped (their functions cannot be counted;
    the syntax gate reports them); no functions at all gives 0.0.
    """
    total = stubs = 0
    for path, content in files.items():
        if not path.endswith(".py"):
            continue
        try:
            tree = ast.parse(content)
        except (SyntaxError, ValueError):
            continue
        nodes = functions(tree)
        total += len(nodes)
        stubs += sum(is_placeholder(n) for n in nodes)
    return stubs / total if total else 0.0
