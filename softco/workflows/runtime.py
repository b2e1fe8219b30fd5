"""What the nodes of a run share: the model, the workspace, memory, events, the run dir.

It is passed to the ``build_*`` functions and captured by the node closures,
never stored in the graph state (checkpoints hold data, not connections).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from softco.approvals import ApprovalDecision, ApprovalRequest, Approver, auto_approve
from softco.artifacts import TestCase, TestReport, save_artifact
from softco.config import Settings
from softco.events import (
    AgentMessage,
    ArtifactSaved,
    EventLog,
    MemoryActivity,
    PhaseFinished,
    PhaseStarted,
)
from softco.llm.base import LLM
from softco.roles.base import RoleContext
from softco.workspace import TestRunResult, WorkspaceLike


@dataclass
class Runtime:
    settings: Settings
    llm: LLM
    events: EventLog
    workspace: WorkspaceLike
    run_dir: Path
    run_id: str
    recall: Any | None = None
    approver: Approver = auto_approve
    started: float = field(default_factory=time.time)
    # samples drawn so far per (file, unit): a unit written again on its own
    # with the same prompt draws new seeds instead of the same samples again
    draws: dict[str, int] = field(default_factory=dict)

    def seeds(self, key: str, n: int, base: int = 101) -> list[int]:
        """``n`` seeds for ``key`` that no earlier call for ``key`` in this run was given."""
        start = self.draws.get(key, 0)
        self.draws[key] = start + n
        return [base + start + i for i in range(n)]

    def ctx(self, phase: str, sprint: int | None = None) -> RoleContext:
        return RoleContext(
            llm=self.llm,
            settings=self.settings,
            events=self.events,
            recall=self.recall,
            phase=phase,
            sprint=sprint,
        )

    @contextmanager
    def phase(self, name: str, sprint: int | None = None) -> Iterator[None]:
        start = time.perf_counter()
        self.events.emit(PhaseStarted(phase=name, sprint=sprint))
        try:
            yield
        finally:
            self.events.emit(
                PhaseFinished(phase=name, sprint=sprint, duration_s=time.perf_counter() - start)
            )

    def save(self, kind: str, obj: BaseModel, summary: str = "", name: str | None = None) -> None:
        path = save_artifact(self.run_dir, kind, obj, name)
        self.events.emit(
            ArtifactSaved(
                kind=kind,
                name=name or kind,
                path=str(Path(path).relative_to(self.run_dir)),
                summary=summary,
            )
        )
        if self.recall is not None and hasattr(self.recall, "remember"):
            with contextlib.suppress(Exception):  # memory never breaks a run
                self.recall.remember(kind, obj, phase=kind)

    def remember_files(self, files: dict[str, str], phase: str) -> None:
        """Code goes into the run memory chunked by symbol, so later roles can retrieve it."""
        if self.recall is not None and hasattr(self.recall, "remember_files"):
            with contextlib.suppress(Exception):
                stored = self.recall.remember_files(files, phase=phase)
                self.events.emit(
                    MemoryActivity(
                        action="stored", role="coder", count=stored, sources=sorted(files)
                    )
                )

    def remember_lesson(self, text: str, outcome: str, phase: str) -> None:
        """A fix pattern or retrospective lesson for the company memory (cross-project)."""
        if self.recall is not None and hasattr(self.recall, "remember_lessons"):
            with contextlib.suppress(Exception):
                stored = self.recall.remember_lessons([text], outcome=outcome, phase=phase)
                self.events.emit(
                    MemoryActivity(action="stored", role="company", count=stored, detail=text[:200])
                )

    def say(self, role: str, text: str, phase: str = "") -> None:
        self.events.emit(AgentMessage(role=role, phase=phase, text=text))

    def run_suite(self) -> TestReport:
        """Run the workspace's whole test suite in the sandbox, as a ``TestReport``."""
        return to_test_report(self.workspace.run_tests(timeout_s=self.settings.sandbox.timeout_s))

    def approve(self, request: ApprovalRequest) -> ApprovalDecision:
        return self.approver(request)


def to_test_report(result: TestRunResult) -> TestReport:
    """Map the sandbox's result onto the artifact the roles and the report use."""
    cases = [TestCase(name=c.name, outcome=c.outcome, message=c.message) for c in result.cases]
    output = result.collection_error or result.raw_tail or ""
    if result.warnings:
        output = (output + "\n" + "\n".join(result.warnings)).strip()
    return TestReport(
        cases=cases, duration_s=result.duration_s, timed_out=result.timed_out, output=output
    )
