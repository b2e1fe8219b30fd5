"""The repository being built, behind a small Protocol the workflows depend on.

Workflows and roles type against :class:`WorkspaceLike`, so tests can pass a
fake and a future remote workspace (a container, a VM) can slot in unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from softco.workspace.git import Commit
from softco.workspace.repo import ChangeSummary, Workspace, diff_snapshots
from softco.workspace.results import (
    EntrypointResult,
    SandboxResult,
    TestCaseOutcome,
    TestRunResult,
)
from softco.workspace.sandbox import run_sandboxed
from softco.workspace.venv import ensure_venv


@runtime_checkable
class WorkspaceLike(Protocol):
    """What the workflows need from a workspace."""

    root: Path

    def write(self, path: str, text: str) -> str: ...

    def read(self, path: str) -> str: ...

    def exists(self, path: str) -> bool: ...

    def list_files(self) -> list[str]: ...

    def snapshot(self) -> dict[str, str]: ...

    def commit(self, message: str, role: str, phase: str) -> str | None: ...

    def run_tests(
        self, paths: Sequence[str] | None = None, timeout_s: float | None = None
    ) -> TestRunResult: ...

    def run_entrypoint(
        self,
        module_or_path: str,
        args: Sequence[str] = (),
        stdin: str | None = None,
        timeout_s: float | None = None,
    ) -> EntrypointResult: ...


__all__ = [
    "ChangeSummary",
    "Commit",
    "EntrypointResult",
    "SandboxResult",
    "TestCaseOutcome",
    "TestRunResult",
    "Workspace",
    "WorkspaceLike",
    "diff_snapshots",
    "ensure_venv",
    "run_sandboxed",
]
