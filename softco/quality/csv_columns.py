"""An unknown column raises the ``KeyError`` the interface promises, before any row is read.

csvsummary's brief says ``summarize(csv_text, column)`` raises "KeyError for
an unknown column". The 1.5B coder reads the rows with ``csv.DictReader`` and
guards each read with ``if column in row:`` — careful code that never raises,
so an unknown column returns all zeros (sessions 13–14; the interface's own
``KeyError`` tests failed in every run). Where the contract names the error
and the function holds a ``DictReader``, the header is certain to be the
place to check: right after the reader is made,
``if column not in (reader.fieldnames or []): raise KeyError(column)``.
Left alone when the function already raises ``KeyError`` or reads
``fieldnames`` itself, or when no parameter carries the noun the contract
names.
"""

from __future__ import annotations

import ast
import re

from softco.artifacts import FileSpec
from softco.quality.edits import Edit, apply_edits, own_nodes
from softco.quality.reshape import source_lines

_PROMISE = re.compile(
    r"KeyError (?:for|on|if|when) (?:an? |the )?(?:unknown|missing|absent|nonexistent|"
    r"non-existent|invalid) (\w+)"
)


def unknown_column_raises(spec: FileSpec, content: str) -> str:
    """``content`` with the promised ``KeyError`` raised where each ``DictReader`` is made."""
    promised = {}
    for fn in spec.interface:
        if fn.signature.startswith("def ") and (m := _PROMISE.search(fn.docstring)):
            promised[fn.name] = m.group(1).lower()
    if not promised:
        return content
    try:
        tree = ast.parse(content)
    except (SyntaxError, ValueError, RecursionError):
        return content
    lines = source_lines(content, keepends=True)
    edits: list[Edit] = []
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef) or fn.name not in promised:
            continue
        noun = promised[fn.name]
        params = [a.arg for a in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]]
        named = [p for p in params if p.lower() == noun] or [p for p in params if noun in p.lower()]
        nodes = own_nodes(fn)
        if len(named) != 1 or _handles_it(nodes):
            continue
        for node in nodes:
            if not (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and _is_dict_reader(node.value)
            ):
                continue
            end = node.end_lineno or node.lineno
            if end >= len(lines) or not lines[end - 1].endswith("\n"):
                continue
            indent = " " * node.col_offset
            reader, param = node.targets[0].id, named[0]
            check = (
                f"{indent}if {param} not in ({reader}.fieldnames or []):\n"
                f"{indent}    raise KeyError({param})\n"
            )
            edits.append((end + 1, 0, 0, check))
            break  # one check, after the first reader
    return apply_edits(content, edits) if edits else content


def _is_dict_reader(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "DictReader"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "csv"
    )


def _handles_it(nodes: list[ast.AST]) -> bool:
    """The function raises ``KeyError`` or reads the header's names itself."""
    for node in nodes:
        if (
            isinstance(node, ast.Raise)
            and node.exc is not None
            and "KeyError" in ast.unparse(node.exc)
        ):
            return True
        if isinstance(node, ast.Attribute) and node.attr == "fieldnames":
            return True
    return False
