"""The exception hierarchy: one place, so callers can tell "fix your input" from
"the model misbehaved" from "a limit stopped the run".

Every error carries a one-line message that names the fix, and an ``exit_code``
the CLI uses, so scripts can tell a budget stop from a crash.
"""

from __future__ import annotations

from enum import StrEnum


class StopReason(StrEnum):
    """Why a run ended; written to the report so no stop is ever silent."""

    DONE = "done"
    BUDGET = "budget"
    MAX_ROUNDS = "max_rounds"
    ERROR = "error"
    INTERRUPTED = "interrupted"
    AWAITING_APPROVAL = "awaiting_approval"
    REJECTED = "rejected"


class SoftcoError(Exception):
    """Base class. ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class ConfigError(SoftcoError):
    """Invalid settings, YAML file or CLI option."""

    exit_code = 2


class BriefInvalid(SoftcoError):
    """The brief is empty, too long or otherwise unusable."""

    exit_code = 2


class LLMError(SoftcoError):
    """Anything that went wrong talking to a model."""

    exit_code = 3


class ModelNotFound(LLMError):
    """Unknown model string or a missing local model file."""


class ModelIntegrityError(LLMError):
    """A local model file whose hash does not match what was shipped."""


class ProviderAuthError(LLMError):
    """Missing or rejected API key. Never retried."""


class ContextWindowExceeded(LLMError):
    """The prompt does not fit the model. Never retried."""


class ProviderUnavailable(LLMError):
    """Timeouts, rate limits or 5xx that outlasted the retries."""


class ArtifactInvalid(LLMError):
    """The model's structured output failed validation after bounded re-asks."""

    def __init__(self, message: str, errors: list[str] | None = None, raw: str = "") -> None:
        super().__init__(message)
        self.errors = errors or []
        self.raw = raw


class BudgetExceeded(SoftcoError):
    """A call would exceed the token or dollar cap. The run stops cleanly."""

    exit_code = 4

    def __init__(self, message: str, *, spent_usd: float = 0.0, spent_tokens: int = 0) -> None:
        super().__init__(message)
        self.spent_usd = spent_usd
        self.spent_tokens = spent_tokens


class DesignInvalid(SoftcoError):
    """A design whose dependency graph cannot be built (cycles, unknown names...)."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class WorkspaceError(SoftcoError):
    """Problems with the repository being built."""


class UnsafePath(WorkspaceError):
    """A generated path that would escape the workspace or touch VCS/hidden files."""


class SandboxError(WorkspaceError):
    """The sandbox could not run the generated code at all."""


class MemoryUnavailable(SoftcoError):
    """The vector memory cannot be opened; runs continue without retrieval."""


class RunNotFound(SoftcoError):
    """A run directory that does not exist or holds no run."""

    exit_code = 2


class RunBusy(SoftcoError):
    """Another process is running or resuming the same run directory."""

    exit_code = 2


class EventLogError(SoftcoError):
    """An events file that cannot be read at all."""
