"""Live progress for ``softco run``: phase, agent, file, tests, tokens and cost.

A listener on the run's event log feeds a rich ``Live`` panel; the same
events go to ``events.jsonl``, so what the terminal shows is what the TUI and
a replay show.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from rich.console import Console, Group
from rich.live import Live
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from softco.approvals import ApprovalDecision, ApprovalRequest


class RunProgress:
    def __init__(self, console: Console, budget_usd: float | None, budget_tokens: int | None):
        self.console = console
        self.budget_usd, self.budget_tokens = budget_usd, budget_tokens
        self.phase, self.agent, self.file, self.tests = "starting", "-", "-", "-"
        self.tokens, self.cost, self.calls = 0, 0.0, 0
        self.files: dict[str, str] = {}
        self.lines: list[str] = []
        self.start = time.monotonic()
        self._lock = threading.Lock()
        self.live = Live(self._render(), console=console, refresh_per_second=4, transient=False)

    def __enter__(self) -> RunProgress:
        self.live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.live.update(self._render())
        self.live.__exit__(None, None, None)

    def on_event(self, event: Any) -> None:
        kind = getattr(event, "type", "")
        with self._lock:
            if kind == "phase_started":
                sprint = f" (sprint {event.sprint})" if event.sprint else ""
                self.phase = event.phase + sprint
            elif kind == "llm_call":
                self.agent = event.role
                self.tokens, self.cost = event.total_tokens, event.total_cost_usd
                self.calls += 1
            elif kind == "agent_message":
                self.agent = event.role
                self.lines = [
                    *self.lines[-5:],
                    f"[bold]{escape(event.role)}[/]: {escape(event.text[:110])}",
                ]
            elif kind == "file_status":
                self.file = f"{event.path} ({event.status})"
                self.files[event.path] = event.status
            elif kind == "tests_run":
                self.tests = f"{event.passed}/{event.total} passed"
            elif kind == "notice":
                self.lines = [*self.lines[-5:], f"[yellow]{escape(event.message[:110])}[/]"]
        self.live.update(self._render())

    def _render(self) -> Group:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="dim")
        table.add_column()
        elapsed = time.monotonic() - self.start
        table.add_row("phase", f"[bold cyan]{escape(self.phase)}[/]  ({elapsed:,.0f}s)")
        table.add_row("agent", escape(self.agent))
        table.add_row("file", escape(self.file))
        done = sum(1 for s in self.files.values() if s in ("written", "passing", "failing"))
        table.add_row("files", f"{done}/{len(self.files)} written" if self.files else "-")
        table.add_row("tests", self.tests)
        budget = ""
        if self.budget_tokens:
            budget = f" of {self.budget_tokens:,} ({100 * self.tokens / self.budget_tokens:.0f}%)"
        table.add_row("tokens", f"{self.tokens:,}{budget} in {self.calls} calls")
        cap = f" of ${self.budget_usd:.2f}" if self.budget_usd is not None else ""
        table.add_row("cost", f"${self.cost:.4f}{cap}")
        return Group(table, Text.from_markup("\n".join(self.lines)) if self.lines else Text(""))


class TerminalApprover:
    """Asks on the terminal at an approval gate: approve, edit (in $EDITOR) or reject."""

    def __init__(self, console: Console, progress: RunProgress | None = None):
        self.console = console
        self.progress = progress

    def __call__(self, request: ApprovalRequest) -> ApprovalDecision:
        import click

        if self.progress:
            self.progress.live.stop()
        try:
            return self._ask(request)
        except (click.Abort, EOFError):
            # no answer (Ctrl-C, or stdin closed): stop as interrupted, resumable at this gate
            raise KeyboardInterrupt from None
        finally:
            if self.progress:
                self.progress.live.start()

    def _ask(self, request: ApprovalRequest) -> ApprovalDecision:
        import json

        import typer

        self.console.rule(f"approval gate: {request.gate}")
        text = json.dumps(request.artifact, indent=2, ensure_ascii=False)
        lines = text.splitlines()
        shown = "\n".join(lines[:80])
        self.console.print(escape(shown), highlight=True)
        if len(lines) > 80:
            self.console.print(f"[dim]… {len(lines) - 80} more lines (choose e to see all)[/]")
        while True:
            choice = typer.prompt("approve, edit or reject? [a/e/r]", default="a").lower()
            if choice.startswith("a"):
                return ApprovalDecision(decision="approve")
            if choice.startswith("r"):
                comment = typer.prompt("what should change?")
                return ApprovalDecision(decision="reject", comment=comment)
            if choice.startswith("e"):
                edited = typer.edit(json.dumps(request.artifact, indent=2), extension=".json")
                if edited is None:
                    continue
                try:
                    return ApprovalDecision(decision="edit", edited=json.loads(edited))
                except ValueError as exc:
                    self.console.print(f"[red]not valid JSON: {escape(str(exc))}[/]")
