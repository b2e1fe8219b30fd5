"""Typed run events (``models``) and the JSONL event log every run writes (``log``).

The event log is the one source of truth for watching a run: the CLI
progress, the TUI (live or replayed) and the SDK's event iterator all read
the same stream. Split in two so each stays small; import from here.
"""

from __future__ import annotations

from softco.events.liveness import LOCK_FILE, holding_run, run_is_live
from softco.events.log import EventLog, Listener, follow_events, heal_tail, read_events
from softco.events.models import (
    EVENTS_FILE,
    KNOWN_TYPES,
    SCHEMA_VERSION,
    AgentMessage,
    ApprovalRequested,
    ApprovalResolved,
    ArtifactSaved,
    BacklogUpdated,
    DebateTurn,
    DesignReady,
    Event,
    FileState,
    FileStatus,
    LLMCall,
    MemoryActivity,
    Notice,
    PhaseFinished,
    PhaseStarted,
    ReviewDone,
    RunFinished,
    RunStarted,
    TestCaseResult,
    TestsRun,
    UnknownEvent,
    parse_event,
)

__all__ = [
    "EVENTS_FILE",
    "KNOWN_TYPES",
    "LOCK_FILE",
    "SCHEMA_VERSION",
    "AgentMessage",
    "ApprovalRequested",
    "ApprovalResolved",
    "ArtifactSaved",
    "BacklogUpdated",
    "DebateTurn",
    "DesignReady",
    "Event",
    "EventLog",
    "FileState",
    "FileStatus",
    "LLMCall",
    "Listener",
    "MemoryActivity",
    "Notice",
    "PhaseFinished",
    "PhaseStarted",
    "ReviewDone",
    "RunFinished",
    "RunStarted",
    "TestCaseResult",
    "TestsRun",
    "UnknownEvent",
    "follow_events",
    "heal_tail",
    "holding_run",
    "parse_event",
    "read_events",
    "run_is_live",
]
