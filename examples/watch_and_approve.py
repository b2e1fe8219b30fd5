"""Watch a run live through the SDK's event iterator, and gate the PRD by hand.

Two SDK features together:

- ``Company.events(run_dir, follow=True)`` yields typed events while the run
  goes; here a thread follows them and prints each phase change, and the
  approval requests and decisions, as they happen (the TUI reads the same
  stream).
- An approver function answers approval gates. This one rejects the first PRD
  with a comment (the PM revises it with that comment) and approves the next.

Scripted by default (deterministic, no LLM); ``--live [--model M]`` for a real model.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
from pathlib import Path

from softco import ApprovalDecision, ApprovalRequest, Company, Settings
from softco.demo_script import BRIEF, demo_transport


class RejectOnceThenApprove:
    """An approver: any callable taking an ApprovalRequest and returning a decision."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, request: ApprovalRequest) -> ApprovalDecision:
        self.seen.append(request.gate)
        if len(self.seen) == 1:
            return ApprovalDecision(
                decision="reject", comment="Say what the CLI prints for an empty file."
            )
        return ApprovalDecision(decision="approve", comment="Looks good.")


def follow(run_dir: Path, log: list[str]) -> None:
    """Print the events worth a human's attention, live, until the run finishes."""
    last_phase = None
    for event in Company.events(run_dir, follow=True):
        if event.type == "phase_started":
            if event.phase == last_phase:  # a phase re-entered for another round
                continue
            last_phase = event.phase
        if event.type in (
            "phase_started",
            "approval_requested",
            "approval_resolved",
            "run_finished",
        ):
            detail = getattr(event, "phase", None) or getattr(event, "gate", None) or ""
            extra = getattr(event, "decision", None) or getattr(event, "stop_reason", None) or ""
            line = f"[event] {event.type} {detail} {extra}".rstrip()
            log.append(line)
            print(line, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--live", action="store_true", help="Use a real model, not the script.")
    parser.add_argument("--model", help="LiteLLM model string or local/<name> (with --live).")
    args = parser.parse_args()

    overrides: dict = {"workflow": {"approve": ["prd"]}}
    if args.live and args.model:
        overrides["llm"] = {"model": args.model}
    if not args.live:
        overrides["memory"] = {"enabled": False}
    approver = RejectOnceThenApprove()
    company = Company(
        Settings.load(**overrides),
        transport=None if args.live else demo_transport(),
        approver=approver,
    )
    run_dir = Path(tempfile.mkdtemp(prefix="softco-watch-")) / "run"
    run_dir.mkdir(parents=True)

    log: list[str] = []
    watcher = threading.Thread(target=follow, args=(run_dir, log), daemon=True)
    watcher.start()
    result = company.run(BRIEF, run_dir=run_dir)
    watcher.join(timeout=10)

    decisions = [line.split()[-1] for line in log if "approval_resolved" in line]
    print(f"approval gates: {approver.seen} → decisions {decisions}")
    print(
        f"stop reason: {result.stop_reason.value} · tests "
        f"{result.report.tests_passed}/{result.report.tests_total} · events seen {len(log)}"
    )
    return 0 if result.ok and decisions == ["reject", "approve"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
