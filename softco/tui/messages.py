"""Typed messages the source worker (and the run thread) post to the app.

Workers never touch widgets; they post these and the app folds them into its
`RunView` on the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class EventArrived(Message):
    """One event from the source, with how many bad lines it has skipped so far."""

    event: Any
    malformed: int = 0


@dataclass
class SourceEnded(Message):
    """The source has nothing more to give (replay done, or live run finished)."""

    malformed: int = 0
    error: str | None = None


@dataclass
class RunThreadEnded(Message):
    """The run started by `run_and_watch` returned or raised (``error``)."""

    error: str | None = None
