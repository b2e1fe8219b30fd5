"""``row[column]`` on a ``csv.reader`` row reads by name: make it a ``csv.DictReader``.

A 1.5B model asked to summarise "one column of a CSV by name" writes
``for row in csv.reader(lines): value = float(row[column])`` — a list indexed
by a ``str``, a ``TypeError`` on every data row (csvsummary, sessions 4–13:
every sample, every repair round). The intent is certain: a row read only by
column names wants the header's names as keys, which is what
``csv.DictReader`` gives, and an unknown name then raises ``KeyError`` as
such briefs promise. Left alone when any of that row is read by position
(``row[0]``), when the reader's first row is taken by hand (``next(reader)``:
the header is being handled), or when the index is neither a string literal
nor a parameter annotated ``str``.
"""

from __future__ import annotations

import ast

from softco.quality.edits import Edit, apply_edits, span

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def dict_rows(content: str) -> str:
    """``content`` with each ``csv.reader`` whose rows are read by name made a ``DictReader``."""
    try:
        tree = ast.parse(content)
    except (SyntaxError, ValueError):
        return content
    edits: list[Edit] = []
    for fn in ast.walk(tree):
        if isinstance(fn, FunctionNode):
            edits.extend(_function_edits(fn))
    return apply_edits(content, edits) if edits else content


def _function_edits(fn: FunctionNode) -> list[Edit]:
    names = _str_parameters(fn)
    readers: dict[str, ast.Call] = {}  # variable -> the csv.reader(...) it holds
    rows: dict[str, ast.Call] = {}  # loop variable -> the csv.reader(...) it walks
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign) and _is_reader(node.value):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    readers[target.id] = node.value  # type: ignore[assignment]
    for node in ast.walk(fn):
        if not isinstance(node, ast.For | ast.comprehension) or not isinstance(
            node.target, ast.Name
        ):
            continue
        source = node.iter
        if _is_reader(source):
            rows[node.target.id] = source  # type: ignore[assignment]
        elif isinstance(source, ast.Name) and source.id in readers:
            rows[node.target.id] = readers[source.id]
    if not rows:
        return []
    taken = {  # next(reader): the header row is handled by hand
        arg.id
        for node in ast.walk(fn)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        if node.func.id == "next"
        for arg in node.args
        if isinstance(arg, ast.Name)
    }
    edits: list[Edit] = []
    done: set[int] = set()
    for row, call in rows.items():
        holders = {name for name, held in readers.items() if held is call}
        if holders & taken or id(call) in done:
            continue
        indexes = [
            node.slice
            for node in ast.walk(fn)
            if isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == row
        ]
        if indexes and all(_by_name(index, names) for index in indexes):
            edits.append(span(call.func, "csv.DictReader"))
            done.add(id(call))
    return edits


def _is_reader(node: ast.expr) -> bool:
    """``csv.reader(...)``."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "reader"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "csv"
        and node.func.lineno == node.func.end_lineno
    )


def _str_parameters(fn: FunctionNode) -> set[str]:
    args = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
    return {a.arg for a in args if isinstance(a.annotation, ast.Name) and a.annotation.id == "str"}


def _by_name(index: ast.expr, names: set[str]) -> bool:
    if isinstance(index, ast.Constant):
        return isinstance(index.value, str)
    return isinstance(index, ast.Name) and index.id in names
