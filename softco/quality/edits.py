"""Small edits of module text at ``ast`` coordinates, for the mechanical repairs.

``ast`` gives columns in UTF-8 bytes; editing the ``str`` at those offsets
would cut a line with a non-ASCII character in the wrong place.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable

from softco.quality.reshape import source_lines

Edit = tuple[int, int, int, str]  # line, start col, end col (utf-8 bytes), new text


def main_function(tree: ast.Module) -> ast.FunctionDef | None:
    """The top-level ``def main`` of a module, if any."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "main":
            return node
    return None


def parsed_main(content: str) -> tuple[ast.Module, ast.FunctionDef] | None:
    """The module's tree and its top-level ``def main``; None if it does not parse or has none.

    Every ``main`` repair starts here, and leaves model output it cannot parse alone.
    """
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return None
    fn = main_function(tree)
    return None if fn is None else (tree, fn)


def parents_of(root: ast.AST) -> dict[ast.AST, ast.AST]:
    """Each node under ``root`` mapped to its parent (``ast`` keeps no back links)."""
    return {child: parent for parent in ast.walk(root) for child in ast.iter_child_nodes(parent)}


def apply_edits(content: str, edits: list[Edit]) -> str:
    """Replace single-line spans given in ``ast`` coordinates (byte columns)."""
    lines = [line.encode("utf-8") for line in source_lines(content, keepends=True)]
    for line, start, end, text in sorted(edits, reverse=True):
        raw = lines[line - 1]
        lines[line - 1] = raw[:start] + text.encode("utf-8") + raw[end:]
    return b"".join(lines).decode("utf-8")


def edited(content: str, edits_of: Callable[[ast.Module], Iterable[Edit]]) -> str:
    """``content`` with the edits ``edits_of`` finds in its tree (each once); unchanged
    when it does not parse or nothing is found."""
    try:
        tree = ast.parse(content)
    except (SyntaxError, ValueError, RecursionError):
        return content
    edits = sorted(set(edits_of(tree)))
    return apply_edits(content, edits) if edits else content


def span(node: ast.AST, text: str) -> Edit:
    """Replace the (single-line) source of ``node`` with ``text``."""
    return (node.lineno, node.col_offset, node.end_col_offset or node.col_offset, text)


def own_nodes(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    """The nodes of ``fn``'s body, not those of functions, lambdas or classes nested in it.

    A ``return`` added for ``main`` must land in ``main``, not in a helper
    defined inside it.
    """
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(fn.body)
    while stack:
        node = stack.pop()
        found.append(node)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return found


def indent_step(indent: str) -> str:
    """One more level of indentation in the style the line already uses (tabs or spaces)."""
    return "\t" if "\t" in indent else "    "


def ended(line: str) -> str:
    """``line`` with a line break (the last line of a file may lack one)."""
    return line if line.endswith(("\n", "\r")) else line + "\n"


def discards_main_result(tree: ast.Module) -> bool:
    """Whether module-level code calls ``main(...)`` as a bare statement (exit code lost)."""
    return any(
        isinstance(n, ast.Expr)
        and isinstance(n.value, ast.Call)
        and isinstance(n.value.func, ast.Name)
        and n.value.func.id == "main"
        for top in tree.body
        if not isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        for n in ast.walk(top)
    )


def without_lines(content: str, spans: Iterable[tuple[int, int]]) -> str:
    """``content`` minus the given 1-based, inclusive line spans.

    The blank lines left around a removed block collapse to at most two, so
    a removed function leaves the file as a formatter would.
    """
    drop = {i for a, b in spans for i in range(a, b + 1)}
    kept = [text for i, text in enumerate(source_lines(content), 1) if i not in drop]
    return re.sub(r"\n{4,}", "\n\n\n", "\n".join(kept)).rstrip() + "\n"


def without_method(content: str, class_name: str, name: str) -> str | None:
    """``content`` minus method ``name`` of top-level class ``class_name`` (decorators in).

    The first step of rewriting one method: the rewrite is then appended with
    ``reshape.add_method``. None when the class or method is missing, the file
    does not parse, or the method is the class's only member.
    """
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return None
    cls = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name), None)
    if cls is None or len(cls.body) < 2:
        return None
    for node in cls.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            return without_lines(content, [(first, node.end_lineno or node.lineno)])
    return None
