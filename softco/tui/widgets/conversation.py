"""The agents' conversation: who said what, coloured by role, in event order."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import RichLog

from softco.tui.state import Line, RunView
from softco.tui.widgets.look import clock, role_style

NOTICE_STYLES = {"info": "cyan", "warning": "bold yellow", "error": "bold red"}


def line_row(line: Line, started: float | None) -> Table:
    """Run time in a gutter, so wrapped lines hang under the text, not the clock."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=5, style="dim")
    grid.add_column(ratio=1)
    grid.add_row(clock(line.ts - started) if started else "--:--", line_text(line))
    return grid


def line_text(line: Line) -> Text:
    """One conversation line; system and memory lines are dimmer than agents."""
    text = Text()
    if line.kind == "agent":
        text.append(line.speaker, style=role_style(line.speaker))
        if line.to:
            text.append(f" → {line.to}", style=role_style(line.to))
        text.append(f": {line.text}")
    elif line.kind == "notice":
        text.append(f"{line.level}: {line.text}", style=NOTICE_STYLES.get(line.level, ""))
    elif line.kind == "approval":
        text.append(f"gate {line.speaker}: {line.text}", style="magenta")
    elif line.kind == "system" and line.speaker == "phase":
        text.append(f"── {line.text} ──", style="bold")
    elif line.kind == "system":
        text.append(f"{line.speaker}: {line.text}", style="italic")
    else:
        text.append(line.text, style="dim italic")
    return text


class Conversation(RichLog):
    """Appends only the lines it has not shown yet, so a long run stays cheap."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            wrap=True, markup=False, highlight=False, min_width=20, id=id, classes=classes
        )
        self._shown = 0

    def show(self, view: RunView) -> None:
        for line in view.lines[self._shown :]:
            self.write(line_row(line, view.started_ts), expand=True)
        self._shown = len(view.lines)
