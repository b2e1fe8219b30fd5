"""ChatDev's quality metrics on a delivered repository, computed without a model.

``quality = completeness × executability × consistency`` (Qian et al., ChatDev):
completeness penalises placeholder code, executability asks whether the thing
runs, consistency asks whether the code is about what was asked. The product
means a repo must do well on all three; one zero sinks it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from softco.quality import placeholder_ratio
from softco.workspace.paths import IGNORED_DIRS

_SKIP_DIRS = IGNORED_DIRS | {"venv", "node_modules", "build", "dist", "site-packages"}


def is_test_path(path: str) -> bool:
    """Test code is scored separately: it is not part of "the program"."""
    parts = path.split("/")
    name = parts[-1]
    return (
        "tests" in parts[:-1]
        or "test" in parts[:-1]
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


def python_files(root: Path) -> dict[str, str]:
    """``{relative path: source}`` of every ``.py`` file, skipping VCS, caches and venvs."""
    found = {}
    for file in sorted(Path(root).rglob("*.py")):
        rel = file.relative_to(root)
        if any(p in _SKIP_DIRS or p.startswith(".") for p in rel.parts[:-1]):
            continue
        found[rel.as_posix()] = file.read_text(encoding="utf-8", errors="replace")
    return found


def source_files(root: Path) -> dict[str, str]:
    """The program's own modules (tests excluded)."""
    return {p: s for p, s in python_files(root).items() if not is_test_path(p)}


def completeness(sources: dict[str, str]) -> float:
    """1 − the share of placeholder functions; an empty delivery is 0, not perfect."""
    if not any(s.strip() for s in sources.values()):
        return 0.0
    return round(1.0 - placeholder_ratio(sources), 4)


def strip_comments(source: str) -> str:
    """Code without comments or docstrings, so consistency measures code, not prose.

    ``ast.unparse`` drops comments; docstrings are removed from the tree first.
    A file that does not parse is kept as it is (it still says what it is about).
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return source
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                node.body = body[1:] or [ast.Pass()]
    return ast.unparse(tree)


def consistency(description: str, sources: dict[str, str]) -> float:
    """Cosine similarity of the brief and the code, with the offline embedder (0 if no code)."""
    code = "\n\n".join(strip_comments(s) for _, s in sorted(sources.items()) if s.strip())
    if not code.strip():
        return 0.0
    from softco.memory import similarity

    return round(max(0.0, similarity(description, code)), 4)


def quality(completeness_: float, executability: float, consistency_: float) -> float:
    """ChatDev's combined score: the product of the three."""
    return round(completeness_ * executability * consistency_, 4)


def code_lines(files: dict[str, str]) -> int:
    """Non-blank lines, the size readers intuit (blank lines say nothing about work done)."""
    return sum(1 for s in files.values() for line in s.splitlines() if line.strip())
