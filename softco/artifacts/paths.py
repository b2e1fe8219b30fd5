"""Path rules shared by the Design validators, depgraph and the repo scanner.

One module so that "what counts as a safe, importable file path" has one answer:
the validators reject an architect's bad path with the same words that
``depgraph.validate_design`` uses, and the repo scanner skips what the
validators would reject.
"""

from __future__ import annotations

import keyword
import re
import sys

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# Top-level files with these names would shadow the standard library for the
# generated project ("random.py" breaks `import random` everywhere in it).
STDLIB_NAMES = frozenset(sys.stdlib_module_names)


def normalise_path(raw: str) -> str:
    """Undo harmless variations a model writes: spaces, quotes, ``./``, doubled ``/``.

    Nothing that changes the meaning of a path is touched: backslashes, ``..``
    and leading ``/`` stay so that :func:`path_problem` can report them.
    """
    path = raw.strip().strip("`'\"").strip()
    while path.startswith("./"):
        path = path[2:]
    while "//" in path:
        path = path.replace("//", "/")
    return path


def safe_relative_problem(path: str) -> str | None:
    """Why ``path`` could escape or damage the project, or ``None`` if it is safe.

    Applies to every generated file (code, tests, README): relative, POSIX,
    inside the project, not hidden (``.git/``, ``.env``), not a directory.
    """
    if not path:
        return "a file path is empty: give a relative path such as 'calc/ops.py'"
    if "\\" in path:
        return f"file path {path!r} uses backslashes: use forward slashes, e.g. 'calc/ops.py'"
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return f"file path {path!r} is absolute: give a path relative to the project root"
    if path.endswith("/"):
        return f"file path {path!r} names a directory: give a file path such as 'calc/ops.py'"
    segments = path.split("/")
    if ".." in segments:
        return f"file path {path!r} leaves the project: remove '..'"
    hidden = [s for s in segments if s.startswith(".")]
    if hidden:
        return f"file path {path!r} has a hidden part {hidden[0]!r}: hidden files are not allowed"
    return None


def path_problem(path: str, *, allow_shadowing: bool = False) -> str | None:
    """Why ``path`` is not a safe, importable Python file, or ``None`` if it is.

    Every directory and the file stem must be a Python identifier (not a
    keyword) so that the module can be imported; a top-level module must not
    shadow the standard library unless ``allow_shadowing`` (existing repos).
    """
    problem = safe_relative_problem(path)
    if problem:
        return problem
    if not path.endswith(".py"):
        return f"file path {path!r} is not a Python file: design files must end in '.py'"
    segments = path[:-3].split("/")
    for segment in segments:
        if not _IDENT.fullmatch(segment) or keyword.iskeyword(segment):
            return (
                f"file path {path!r} is not importable: {segment!r} must be a Python "
                "identifier (letters, digits, '_'; not starting with a digit; not a keyword)"
            )
    if not allow_shadowing and len(segments) == 1 and segments[0] in STDLIB_NAMES:
        return (
            f"file {path!r} would shadow Python's standard module {segments[0]!r}: "
            f"rename it, e.g. '{segments[0]}_utils.py'"
        )
    return None


def module_name(path: str) -> str:
    """Import name of a file: ``pkg/mod.py`` -> ``pkg.mod``, ``pkg/__init__.py`` -> ``pkg``."""
    path = normalise_path(path)
    stem = path[:-3] if path.endswith(".py") else path
    parts = stem.split("/")
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)
