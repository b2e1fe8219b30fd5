"""``row[column]`` on a ``csv.reader`` row reads by name: make it a ``csv.DictReader``.

A 1.5B model asked to summarise "one column of a CSV by name" writes
``for row in csv.reader(lines): value = float(row[column])`` — a list indexed
by a ``str``, a ``TypeError`` on every data row (csvsummary, sessions 4–13:
every sample, every repair round). The intent is certain: a row read only by
column names wants the header's names as keys, which is what
``csv.DictReader`` gives, and an unknown name then raises ``KeyError`` as
such briefs promise. Left alone when any of that row is read by position
(``row[0]``), when the row is assigned anew (``row = dict(zip(header, row))``),
when the reader's first row is taken by hand (``next(reader)``: the header is
being handled), when the reader is given a dialect by position, or when the
index is neither a string literal nor a parameter annotated ``str``.
"""

from __future__ import annotations

import ast

from softco.quality.case_checks import wants_str
from softco.quality.edits import Edit, edited, own_nodes, span
from softco.quality.placeholders import FunctionNode


def dict_rows(content: str) -> str:
    """``content`` with each ``csv.reader`` whose rows are read by name made a ``DictReader``."""
    return edited(
        content,
        lambda tree: [
            edit
            for fn in ast.walk(tree)
            if isinstance(fn, FunctionNode)
            for edit in _function_edits(fn)
        ],
    )


def _function_edits(fn: FunctionNode) -> list[Edit]:
    nodes = own_nodes(fn)  # a nested function is walked on its own
    names = {
        a.arg
        for a in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
        if a.annotation is not None and wants_str(a.annotation)
    }
    readers: dict[str, ast.Call] = {}  # variable -> the csv.reader(...) it holds
    rows: dict[str, ast.Call] = {}  # loop variable -> the csv.reader(...) it walks
    for node in nodes:
        if isinstance(node, ast.Assign) and _is_reader(node.value):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    readers[target.id] = node.value  # type: ignore[assignment]
    loops = [n for n in nodes if isinstance(n, ast.For | ast.comprehension)]
    for loop in loops:
        if not isinstance(loop.target, ast.Name):
            continue
        if _is_reader(loop.iter):
            rows[loop.target.id] = loop.iter  # type: ignore[assignment]
        elif isinstance(loop.iter, ast.Name) and loop.iter.id in readers:
            rows[loop.target.id] = readers[loop.iter.id]
    taken = {  # next(reader): the header row is handled by hand
        arg.id
        for node in nodes
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        if node.func.id == "next"
        for arg in node.args
        if isinstance(arg, ast.Name)
    }
    targets = {id(loop.target) for loop in loops}
    edits: list[Edit] = []
    for row, call in rows.items():
        holders = {name for name, held in readers.items() if held is call}
        if holders & taken:
            continue
        stored = [  # row = dict(zip(header, row)): the code made its own mapping
            n
            for n in nodes
            if isinstance(n, ast.Name)
            and n.id == row
            and isinstance(n.ctx, ast.Store)
            and id(n) not in targets
        ]
        indexes = [
            n.slice
            for n in nodes
            if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name) and n.value.id == row
        ]
        if not stored and indexes and all(_by_name(index, names) for index in indexes):
            edits.append(span(call.func, "csv.DictReader"))
    return edits


def _is_reader(node: ast.expr) -> bool:
    """``csv.reader(source)`` or with keywords only (a positional dialect would become
    ``DictReader``'s ``fieldnames``)."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "reader"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "csv"
        and len(node.args) == 1
        and node.func.lineno == node.func.end_lineno
    )


def _by_name(index: ast.expr, names: set[str]) -> bool:
    if isinstance(index, ast.Constant):
        return isinstance(index.value, str)
    return isinstance(index, ast.Name) and index.id in names
