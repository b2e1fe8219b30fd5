"""``path.exists()`` on a ``path: str`` becomes ``pathlib.Path(path).exists()``.

A 1.5B model half-remembers ``pathlib`` and calls ``Path`` methods on the
``str`` the interface promises; every call then fails with AttributeError.
The gate names it (``command_lint.typed_parameter_problems``), but the
whole-file re-ask returns the same calls: todo's re-run kept ``path.exists()``
in all three functions after being told. The intent is certain from a
file-system method (``exists``, ``read_text``, ``open``: ``FILE_METHODS``), so
the receiver is wrapped instead of asking again. Any other attribute
(``path.foo``, ``text.match``) is left for the gate.
"""

from __future__ import annotations

import ast

from softco.quality.command_lint import typed_parameter_misuses
from softco.quality.edits import apply_edits, span
from softco.quality.reshape import after_preamble, source_lines

# Path methods that touch the file system: nothing else on a str means that. Not
# every Path attribute: ``text.match(...)`` or ``user.name`` on a str is some
# other mistake, which the gate names instead.
FILE_METHODS = frozenset(
    {
        *("exists", "is_file", "is_dir", "read_text", "write_text", "read_bytes"),
        *("write_bytes", "open", "unlink", "mkdir", "touch", "iterdir", "stat", "rmdir"),
    }
)


def as_paths(content: str) -> str:
    """``content`` with each ``pathlib`` call on a ``str`` parameter made on a ``Path``."""
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    receivers = {
        id(node.value): node.value
        for _, node, kind in typed_parameter_misuses(tree)
        if kind is str and node.attr in FILE_METHODS
    }
    if not receivers:
        return content
    edits = [span(name, f"pathlib.Path({name.id})") for name in receivers.values()]  # type: ignore[attr-defined]
    text = apply_edits(content, edits)
    imported = any(
        isinstance(n, ast.Import) and any(a.name == "pathlib" and not a.asname for a in n.names)
        for n in tree.body
    )
    if imported:
        return text
    at = after_preamble(tree)  # the edits changed no line count: the tree's lines still hold
    lines = source_lines(text)
    return "\n".join([*lines[:at], "import pathlib", *lines[at:]]).rstrip() + "\n"
