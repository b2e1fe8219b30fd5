"""Mutants of a module: small AST changes a good test suite notices.

``+``↔``-``, ``<``↔``<=``, ``==``↔``!=``, an integer constant ``+1``,
``return x``→``return None``. ``softco eval`` counts how many the delivered
tests kill (``eval.mutation.kill_rate``); before delivery,
``workflows.regression`` looks for calls telling the code from the ones its
suite misses. Mutants are written into a throwaway copy (``scratch_repo``),
never into the repo being built.
"""

from __future__ import annotations

import ast
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_SWAPS: dict[type, type] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}
_SYMBOL = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}


@dataclass(frozen=True)
class Mutant:
    """One changed copy of one file."""

    path: str
    line: int
    description: str
    source: str


def _sites(tree: ast.AST) -> Iterator[tuple[int, int, str]]:
    """(node index in ``ast.walk`` order, operator slot, description) of every mutable spot."""
    for index, node in enumerate(ast.walk(tree)):
        if isinstance(node, ast.BinOp) and type(node.op) in (ast.Add, ast.Sub):
            new = _SWAPS[type(node.op)]
            yield index, 0, f"{_SYMBOL[type(node.op)]} -> {_SYMBOL[new]}"
        elif isinstance(node, ast.Compare):
            for slot, op in enumerate(node.ops):
                if type(op) in _SWAPS:
                    yield index, slot, f"{_SYMBOL[type(op)]} -> {_SYMBOL[_SWAPS[type(op)]]}"
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            yield index, 0, f"{node.value} -> {node.value + 1}"
        elif (
            isinstance(node, ast.Return)
            and node.value is not None
            and not (isinstance(node.value, ast.Constant) and node.value.value is None)
        ):
            yield index, 0, "return x -> return None"


def _apply(source: str, index: int, slot: int) -> tuple[str, int]:
    tree = ast.parse(source)
    node = next(n for i, n in enumerate(ast.walk(tree)) if i == index)
    if isinstance(node, ast.BinOp):
        node.op = _SWAPS[type(node.op)]()
    elif isinstance(node, ast.Compare):
        node.ops[slot] = _SWAPS[type(node.ops[slot])]()
    elif isinstance(node, ast.Constant):
        node.value = node.value + 1
    elif isinstance(node, ast.Return):
        node.value = None
    return ast.unparse(tree) + "\n", getattr(node, "lineno", 0)


def mutants(sources: dict[str, str], cap: int = 20) -> list[Mutant]:
    """At most ``cap`` mutants, spread evenly over every file's mutable spots."""
    spots = []
    for path, source in sorted(sources.items()):
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        spots += [(path, source, *site) for site in _sites(tree)]
    if cap <= 0 or not spots:
        return []
    if len(spots) > cap:
        spots = [spots[i * len(spots) // cap] for i in range(cap)]
    out = []
    for path, source, index, slot, description in spots:
        text, line = _apply(source, index, slot)
        out.append(Mutant(path=path, line=line, description=description, source=text))
    return out


def _clear_bytecode(root: Path) -> None:
    """A mutant the same size as its original, written in the same second, would
    otherwise be served from a stale ``.pyc`` and look "killed" or "survived" wrongly."""
    for cache in root.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


@contextmanager
def scratch_repo(root: Path) -> Iterator[Path]:
    """A throwaway copy of ``root`` (no ``.git``, no bytecode) to mutate freely."""
    scratch = Path(tempfile.mkdtemp(prefix="softco-mutants-"))
    try:
        copy = scratch / "repo"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".git", "__pycache__"))
        yield copy
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def write_source(root: Path, path: str, source: str) -> None:
    """Put ``source`` at ``path`` and drop the bytecode that could shadow it."""
    (root / path).write_text(source, encoding="utf-8")
    _clear_bytecode(root)
