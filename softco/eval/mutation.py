"""Mutation check: do the delivered tests notice when the code is wrong?

A repo can reach 100% passing tests with tests that assert nothing. Small AST
mutants of the delivered code (``+``↔``-``, ``<``↔``<=``, ``==``↔``!=``,
integer constant ``+1``, ``return x``→``return None``) are run against the
repo's own tests; the share the tests kill says how much the pass rate is
worth. Mutants run one at a time in a single scratch copy, so the delivered
repo is never touched.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from softco.config import SandboxSettings
from softco.quality.mutants import Mutant, mutants, scratch_repo, write_source
from softco.workspace import Workspace

__all__ = ["Mutant", "MutationResult", "kill_rate", "mutants"]


class MutationResult(BaseModel):
    killed: int = 0
    total: int = 0
    survivors: list[str] = Field(default_factory=list, description="Mutants no test noticed.")

    @property
    def kill_rate(self) -> float | None:
        return round(self.killed / self.total, 4) if self.total else None


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
