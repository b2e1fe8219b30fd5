"""Path rules for generated file names.

Paths come from a model, so they are hostile input: every path is checked as
text first (relative, no ``..``, no hidden or VCS parts, no backslashes) and
then against the disk (no component may be a symlink, the result must stay
under the root). Violations raise :class:`UnsafePath` before anything is
written.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from softco.errors import UnsafePath

MAX_PATH_CHARS = 512
MAX_PART_CHARS = 255
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f\\:*?\"<>|]")
IGNORED_DIRS = frozenset({"__pycache__", ".git"})


def clean_relpath(path: str) -> str:
    """Validate ``path`` as text and return its normal POSIX form (``./`` dropped)."""
    if not isinstance(path, str) or not path.strip():
        raise UnsafePath("empty path; give a path relative to the repository root")
    if len(path) > MAX_PATH_CHARS:
        raise UnsafePath(f"path longer than {MAX_PATH_CHARS} characters: {path[:60]!r}...")
    if _BAD_CHARS.search(path):
        raise UnsafePath(f"path {path!r} has a backslash, control or reserved character")
    if path.startswith(("/", "~")):
        raise UnsafePath(f"absolute path {path!r}; give a path relative to the repository root")
    parts = [p for p in path.split("/") if p != "."]
    if not parts or any(p == "" for p in parts):
        raise UnsafePath(f"path {path!r} has an empty component")
    for part in parts:
        if part == "..":
            raise UnsafePath(f"path {path!r} goes up with '..'; stay inside the repository")
        if part.startswith("."):
            raise UnsafePath(f"path {path!r} touches a hidden or VCS file ({part!r})")
        if part in IGNORED_DIRS:
            raise UnsafePath(f"path {path!r} is inside {part!r}, which the workspace manages")
        if len(part) > MAX_PART_CHARS or part != part.strip():
            raise UnsafePath(f"path {path!r} has a malformed component {part!r}")
    return "/".join(parts)


def resolve_inside(root: Path, path: str) -> tuple[str, Path]:
    """Return ``(relpath, absolute path)`` for ``path`` under ``root``.

    Every existing component is checked with ``lstat`` so a symlink planted by
    generated code (or anyone) cannot redirect a write outside the repository.
    """
    rel = clean_relpath(path)
    root = root.resolve()
    current = root
    for part in rel.split("/"):
        current = current / part
        if os.path.islink(current):
            raise UnsafePath(f"path {path!r} passes through a symlink ({current.name!r})")
    target = root / rel
    try:
        target.resolve().relative_to(root)
    except ValueError:
        raise UnsafePath(f"path {path!r} resolves outside the repository") from None
    return rel, target
