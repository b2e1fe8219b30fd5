"""Typed results of sandboxed runs.

These are the workspace's own small models so the room does not depend on the
artifacts package; the workflows map them onto the report models. Every field a
reader needs to decide "what happened" is explicit (``timed_out``,
``killed_reason``, ``network_isolated``, ``warnings``) so no stop is silent.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Outcome = Literal["passed", "failed", "error", "skipped"]

MESSAGE_CHARS = 1500
"""Failure text kept per test case: enough for a traceback's last frames."""


def trim_text(text: str, limit: int = MESSAGE_CHARS) -> str:
    """Keep the head and the tail of ``text``; the tail usually holds the assertion."""
    if len(text) <= limit:
        return text
    head = limit // 3
    tail = limit - head - 40
    dropped = len(text) - head - tail
    return f"{text[:head]}\n[... {dropped} chars trimmed ...]\n{text[-tail:]}"


class SandboxResult(BaseModel):
    """What one sandboxed process did, with its output already capped."""

    exit_code: int | None = Field(
        None, description="Process exit status; negative for a signal, None if never started."
    )
    timed_out: bool = False
    stdout: str = ""
    stderr: str = ""
    duration_s: float = 0.0
    killed_reason: str | None = Field(
        None, description="Why the sandbox killed the process (timeout, process limit...)."
    )
    network_isolated: bool = False
    warnings: list[str] = Field(default_factory=list)


class EntrypointResult(SandboxResult):
    """A smoke run of the generated app's main module."""

    traceback: bool = Field(False, description="The run failed and stderr ends with a traceback.")


class TestCaseOutcome(BaseModel):
    """One test as JUnit XML reported it."""

    __test__ = False  # not a pytest class, despite the name

    name: str
    file: str = ""
    outcome: Outcome
    message: str = ""


class TestRunResult(BaseModel):
    """A pytest run in the sandbox, parsed from its JUnit XML."""

    __test__ = False

    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    total: int = 0
    duration_s: float = 0.0
    cases: list[TestCaseOutcome] = Field(default_factory=list)
    collection_error: str | None = Field(
        None, description="Import/syntax errors that stopped tests from being collected."
    )
    no_tests_collected: bool = Field(False, description="pytest exit code 5.")
    exit_code: int | None = None
    timed_out: bool = False
    killed_reason: str | None = None
    network_isolated: bool = False
    warnings: list[str] = Field(default_factory=list)
    raw_tail: str = Field("", description="The end of pytest's output, for context.")

    @property
    def ok(self) -> bool:
        """True only for a clean run that actually ran tests and all passed."""
        return (
            self.total > 0
            and self.failed == 0
            and self.errors == 0
            and self.collection_error is None
            and not self.timed_out
            and self.killed_reason is None
        )

    def summary(self) -> str:
        """One line for logs and prompts."""
        if self.timed_out:
            return f"test run timed out after {self.duration_s:.1f}s"
        if self.killed_reason:
            return f"test run stopped: {self.killed_reason}"
        if self.collection_error:
            return "tests could not be collected: " + self.collection_error.splitlines()[0]
        if self.no_tests_collected:
            return "no tests were collected"
        return (
            f"{self.passed} passed, {self.failed} failed, {self.errors} errors, "
            f"{self.skipped} skipped in {self.duration_s:.1f}s"
        )
