"""Mutation check: do the delivered tests notice when the code is wrong?

A repo can reach 100% passing tests with tests that assert nothing. Small AST
mutants of the delivered code (``+``↔``-``, ``<``↔``<=``, ``==``↔``!=``,
integer constant ``+1``, ``return x``→``return None``) are run against the
repo's own tests; the share the tests kill says how much the pass rate is
worth. Mutants run one at a time in a single scratch copy, so the delivered
repo is never touched.
"""

from __future__ import annotations

import ast
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field

from softco.config import SandboxSettings
from softco.workspace import Workspace

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


class MutationResult(BaseModel):
    killed: int = 0
    total: int = 0
    survivors: list[str] = Field(default_factory=list, description="Mutants no test noticed.")

    @property
    def kill_rate(self) -> float | None:
        return round(self.killed / self.total, 4) if self.total else None


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


def kill_rate(
    root: Path,
    sources: dict[str, str],
    sandbox: SandboxSettings,
    cap: int = 20,
    timeout_s: float = 30.0,
) -> MutationResult:
    """Run each mutant of ``sources`` (files of ``root``) against the repo's own tests."""
    plan = mutants(sources, cap)
    if not plan:
        return MutationResult()
    with scratch_repo(root) as copy:
        workspace = Workspace(copy, sandbox)
        result = MutationResult(total=len(plan))
        for mutant in plan:
            write_source(copy, mutant.path, mutant.source)
            run = workspace.run_tests(timeout_s=timeout_s)
            if run.ok:
                result.survivors.append(f"{mutant.path}:{mutant.line} {mutant.description}")
            else:
                result.killed += 1
            write_source(copy, mutant.path, sources[mutant.path])
        return result
