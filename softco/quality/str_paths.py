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
    """``content`` with each ``pathlib`` call on a ``str`` parameter made on a ``Path``.

    ``repairs.import_missing``, the next step of ``tidy``, adds ``import pathlib``.
    """
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    edits = [
        span(node.value, f"pathlib.Path({node.value.id})")  # type: ignore[attr-defined]
        for _, node, kind in typed_parameter_misuses(tree)
        if kind is str and node.attr in FILE_METHODS
    ]
    return apply_edits(content, edits) if edits else content
