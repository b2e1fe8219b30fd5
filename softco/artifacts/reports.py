"""Test results and review findings: what decides whether work goes back to a coder.

:class:`TestReport` is built from a pytest run by the workspace (never by an
LLM); its failure text is trimmed so a re-ask fits a small model's context.
:class:`ReviewReport` is the reviewer's structured output; ``blocking`` is
what the workflow routes on.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from softco.artifacts._common import trim_text
from softco.artifacts.paths import normalise_path

Outcome = Literal["passed", "failed", "error", "skipped"]
Severity = Literal["blocker", "major", "minor", "info"]
BLOCKING_SEVERITIES: frozenset[str] = frozenset({"blocker", "major"})
"""Findings that send work back to a coder; minor and info are only reported."""

MESSAGE_CHARS = 2000
_SEVERITY_ALIASES = {"critical": "blocker", "high": "major", "medium": "minor", "low": "info"}


class TestCase(BaseModel):
    """One collected test and how it ended."""

    __test__ = False

    name: str = Field(description="pytest node id, e.g. 'tests/test_ops.py::test_add'.")
    outcome: Outcome
    message: str = Field("", description="Failure text, trimmed to keep its tail.")
    duration_s: float = 0.0

    @field_validator("message")
    @classmethod
    def _trim(cls, value: str) -> str:
        return trim_text(value, MESSAGE_CHARS)

    @property
    def file(self) -> str:
        """The test file of the node id."""
        return self.name.split("::", 1)[0]


def case_file(case_name: str) -> str:
    """The test module a case belongs to, dotted: ``tests.test_x`` for
    ``tests.test_x::test_y[1-2]`` or ``tests/test_x.py::TestA::test_y``."""
    head = case_name.split("::", 1)[0]
    return head.removesuffix(".py").replace("/", ".")


def module_of_test(test_path: str) -> str:
    """``tests/test_x.py`` -> ``tests.test_x`` (what :func:`case_file` returns)."""
    return test_path.removesuffix(".py").replace("/", ".")


class TestReport(BaseModel):
    """One run of the test suite."""

    __test__ = False

    cases: list[TestCase] = Field(default_factory=list)
    duration_s: float = 0.0
    timed_out: bool = False
    output: str = Field("", description="Trimmed raw output (collection errors live here).")

    @field_validator("output")
    @classmethod
    def _trim(cls, value: str) -> str:
        return trim_text(value, MESSAGE_CHARS * 2)

    def _count(self, outcome: Outcome) -> int:
        return sum(1 for c in self.cases if c.outcome == outcome)

    @property
    def passed(self) -> int:
        return self._count("passed")

    @property
    def failed(self) -> int:
        return self._count("failed")

    @property
    def errors(self) -> int:
        return self._count("error")

    @property
    def skipped(self) -> int:
        return self._count("skipped")

    @property
    def total(self) -> int:
        return len(self.cases)

    @property
    def ok(self) -> bool:
        """Green: at least one test ran, none failed or errored, no timeout."""
        return self.total > 0 and not (self.failed or self.errors or self.timed_out)

    def failure_text(self, limit: int = 6000) -> str:
        """The failures, one block per test, for the re-ask to the owning coder."""
        blocks = [
            f"{c.name} {c.outcome.upper()}\n{c.message}".rstrip()
            for c in self.cases
            if c.outcome in ("failed", "error")
        ]
        if self.timed_out:
            blocks.append("the test run timed out: look for infinite loops or blocking input()")
        if not blocks and self.total == 0 and self.output:
            blocks.append(f"no tests ran:\n{self.output}")
        return trim_text("\n\n".join(blocks), limit)


class Finding(BaseModel):
    """One problem the reviewer found, precise enough for a coder to fix."""

    file: str = Field(description="Path of the file, e.g. 'calc/ops.py'.")
    line: int = Field(0, ge=0, description="Line number, or 0 for the whole file.")
    severity: Severity = Field(description="blocker, major, minor or info.")
    message: str = Field(description="What is wrong, in one sentence.")
    suggested_fix: str = Field("", description="How to fix it, in one sentence or a code line.")

    @field_validator("file")
    @classmethod
    def _path(cls, value: str) -> str:
        return normalise_path(value)

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, value: object) -> object:
        """Accept 'Major', 'critical', 'low'...: harmless wording differences."""
        if isinstance(value, str):
            word = value.strip().lower()
            return _SEVERITY_ALIASES.get(word, word)
        return value

    @property
    def blocking(self) -> bool:
        return self.severity in BLOCKING_SEVERITIES


class ReviewReport(BaseModel):
    """The reviewer's output: an overall view, then findings."""

    summary: str = Field(description="One or two sentences: overall quality of the code.")
    findings: list[Finding] = Field(
        default_factory=list, description="Concrete problems; empty if none."
    )

    @property
    def blocking(self) -> list[Finding]:
        """Findings that must be fixed before delivery (blocker and major)."""
        return [f for f in self.findings if f.blocking]

    def by_file(self, *, blocking_only: bool = True) -> dict[str, list[Finding]]:
        """Findings grouped by file, so each goes back to the coder that owns it."""
        groups: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.blocking if blocking_only else self.findings:
            groups[finding.file].append(finding)
        return dict(groups)
