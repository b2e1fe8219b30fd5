"""Approval gates: how a waiting run gets a human decision.

A workflow pauses at a gate (LangGraph ``interrupt()``); the driver asks an
``Approver`` for a decision and resumes the graph with it. Three approvers:
the CLI asks on the terminal, the SDK lets the caller decide, and the
``FileApprover`` waits for ``RUN_DIR/decisions/<request_id>.json`` — which is
how the TUI (in this or another process) answers a run it is watching.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel

DECISIONS_DIR = "decisions"


class ApprovalRequest(BaseModel):
    gate: str
    request_id: str
    artifact_kind: str
    artifact: dict[str, Any]


class ApprovalDecision(BaseModel):
    decision: Literal["approve", "edit", "reject"]
    comment: str = ""
    edited: dict[str, Any] | None = None
    """For ``edit``: the artifact as the human changed it (same schema)."""


class Approver(Protocol):
    def __call__(self, request: ApprovalRequest) -> ApprovalDecision: ...


def auto_approve(request: ApprovalRequest) -> ApprovalDecision:
    """The approver used when no gate was asked for or no human is present."""
    return ApprovalDecision(decision="approve", comment="auto-approved")


def write_decision(run_dir: Path, request_id: str, decision: ApprovalDecision) -> Path:
    """Answer a pending gate of a run (atomic write, so a watcher never reads half)."""
    folder = Path(run_dir) / DECISIONS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{request_id}.json"
    tmp = target.with_suffix(".tmp")
    tmp.write_text(decision.model_dump_json(), encoding="utf-8")
    tmp.replace(target)
    return target


def read_decision(run_dir: Path, request_id: str) -> ApprovalDecision | None:
    target = Path(run_dir) / DECISIONS_DIR / f"{request_id}.json"
    if not target.exists():
        return None
    return ApprovalDecision.model_validate(json.loads(target.read_text(encoding="utf-8")))


class FileApprover:
    """Waits for a decision file written by the TUI (or any other process)."""

    def __init__(self, run_dir: Path, poll_s: float = 0.25, timeout_s: float | None = None):
        self.run_dir = Path(run_dir)
        self.poll_s = poll_s
        self.timeout_s = timeout_s

    def __call__(self, request: ApprovalRequest) -> ApprovalDecision:
        start = time.monotonic()
        while True:
            decision = read_decision(self.run_dir, request.request_id)
            if decision is not None:
                return decision
            if self.timeout_s is not None and time.monotonic() - start > self.timeout_s:
                return ApprovalDecision(decision="reject", comment="no decision before timeout")
            time.sleep(self.poll_s)
