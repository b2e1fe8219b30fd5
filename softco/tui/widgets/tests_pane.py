"""Test rounds (latest first in detail) and the reviewer's verdicts."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from softco.events import TestsRun
from softco.tui.state import RunView
from softco.tui.widgets.base import RenderPane
from softco.tui.widgets.look import OUTCOME_MARKS


def round_line(run: TestsRun) -> Text:
    ok = run.total > 0 and run.failed == 0 and run.errors == 0 and not run.timed_out
    text = Text("✓ " if ok else "✗ ", style="bold green" if ok else "bold red")
    text.append(f"round {run.round}: {run.passed}/{run.total} passed")
    if run.failed:
        text.append(f", {run.failed} failed", style="red")
    if run.errors:
        text.append(f", {run.errors} errors", style="red")
    if run.timed_out:
        text.append(", timed out", style="bold red")
    text.append(f" in {run.duration_s:.2f}s", style="dim")
    return text


def cases_table(run: TestsRun) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
    table.add_column(width=1)
    table.add_column(ratio=1, overflow="fold")
    for case in run.cases:
        mark, style = OUTCOME_MARKS.get(case.outcome, ("?", "dim"))
        name = Text(case.name.split("::", 1)[-1])
        name.append(f"  {case.name.split('::', 1)[0]}", style="dim")
        if case.message:
            name.append(f"\n{case.message}", style="red")
        table.add_row(Text(mark, style=style), name)
    return table


def tests_view(view: RunView) -> RenderableType:
    if not view.tests and not view.reviews:
        return Text("no tests run yet", style="dim")
    parts: list[RenderableType] = [round_line(run) for run in view.tests]
    if view.tests and view.tests[-1].cases:
        parts.append(Text("\nlatest round", style="bold"))
        parts.append(cases_table(view.tests[-1]))
    for review in view.reviews:
        text = Text(f"\nreview round {review.round}: ", style="bold")
        text.append(f"{review.findings} finding{'' if review.findings == 1 else 's'}, ")
        text.append(f"{review.blocking} blocking", style="bold red" if review.blocking else "green")
        if review.summary:
            text.append(f"\n{review.summary}", style="dim")
        parts.append(text)
    return Group(*parts)


class TestsPane(RenderPane):
    def render_view(self, view: RunView) -> RenderableType:
        return tests_view(view)
