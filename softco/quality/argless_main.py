"""``def main(argv)`` where the interface fixes ``def main()``: read ``sys.argv`` inside.

Why: guess's brief states ``main()`` (an interactive game reading
``input()``); the 1.5B coder writes ``def main(argv=None)`` or
``def main(argv)`` out of habit. The gate rejects the signature, and in
session 14 the whole-file re-ask fixed it only for the next rewrite to bring
it back — four re-asks, four minutes, in one run. The repair is certain: the
parameter goes, a body that reads it gets ``argv = sys.argv[1:]`` as its
first statement (``sys.argv`` whole where the default was ``sys.argv``, the
program-name convention the code was written for), and calls of ``main``
with arguments in the module (``main(sys.argv[1:])`` in the script guard)
call ``main()``. Only a single-line header with one plain parameter is
touched; ``import sys`` comes from ``repairs.import_missing``.
"""

from __future__ import annotations

import ast

from softco.artifacts import FileSpec
from softco.quality.edits import Edit, apply_edits, own_nodes, parsed_main


def argless_main(spec: FileSpec, content: str) -> str:
    """``content`` with ``main``'s one parameter read in its body, where the spec says main()."""
    stated = next((fn for fn in spec.interface if fn.name == "main"), None)
    if stated is None or not stated.signature.replace(" ", "").startswith("defmain()"):
        return content
    found = parsed_main(content)
    if found is None:
        return content
    tree, fn = found
    args = fn.args
    if len(args.args) != 1 or args.posonlyargs or args.kwonlyargs or args.vararg or args.kwarg:
        return content
    param = args.args[0]
    default = args.defaults[0] if args.defaults else None
    last = default or param
    if param.lineno != fn.lineno or (last.end_lineno or last.lineno) != fn.lineno:
        return content
    edits: list[Edit] = [(fn.lineno, param.col_offset, last.end_col_offset or 0, "")]
    reads = any(isinstance(n, ast.Name) and n.id == param.arg for n in own_nodes(fn))
    if reads:
        first = fn.body[0]
        docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
        if docstring and len(fn.body) == 1:
            return content
        anchor = fn.body[1] if docstring else first
        if anchor.lineno <= fn.lineno:
            return content  # def main(argv): return run(argv) -- a one-liner
        whole = default is not None and ast.unparse(default) == "sys.argv"
        source = "sys.argv" if whole else "sys.argv[1:]"
        indent = " " * anchor.col_offset
        edits.append((anchor.lineno, 0, 0, f"{indent}{param.arg} = {source}\n"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "main"
            and (node.args or node.keywords)
            and node.lineno == node.end_lineno
        ):
            edits.append(
                (node.lineno, node.func.end_col_offset or 0, node.end_col_offset or 0, "()")
            )
    return apply_edits(content, edits)
