"""Small edits of module text at ``ast`` coordinates, for the mechanical repairs.

``ast`` gives columns in UTF-8 bytes; editing the ``str`` at those offsets
would cut a line with a non-ASCII character in the wrong place.
"""

from __future__ import annotations

import ast

from softco.quality.reshape import source_lines

Edit = tuple[int, int, int, str]  # line, start col, end col (utf-8 bytes), new text


def main_function(tree: ast.Module) -> ast.FunctionDef | None:
    """The top-level ``def main`` of a module, if any."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "main":
            return node
    return None


def apply_edits(content: str, edits: list[Edit]) -> str:
    """Replace single-line spans given in ``ast`` coordinates (byte columns)."""
    lines = [line.encode("utf-8") for line in source_lines(content, keepends=True)]
    for line, start, end, text in sorted(edits, reverse=True):
        raw = lines[line - 1]
        lines[line - 1] = raw[:start] + text.encode("utf-8") + raw[end:]
    return b"".join(lines).decode("utf-8")


def span(node: ast.AST, text: str) -> Edit:
    """Replace the (single-line) source of ``node`` with ``text``."""
    return (node.lineno, node.col_offset, node.end_col_offset or node.col_offset, text)
