"""The phase timeline (waterfall) or the sprint board with its sprints (agile)."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from softco.tui.state import PhaseRow, RunView
from softco.tui.widgets.base import RenderPane
from softco.tui.widgets.look import PHASE_MARKS

COLUMN_TITLES = (("backlog", "Backlog"), ("sprint", "In sprint"), ("done", "Done"))


def _mark(row: PhaseRow) -> Text:
    mark, style = PHASE_MARKS[row.status]
    return Text(mark, style=style)


def phase_table(rows: list[PhaseRow]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 1), expand=False)
    table.add_column(width=1)
    table.add_column(min_width=14)
    table.add_column(justify="right")
    for row in rows:
        took = f"{row.duration_s:.1f}s" if row.status == "done" else ""
        style = "bold" if row.status == "running" else ("dim" if row.status == "pending" else "")
        table.add_row(_mark(row), Text(row.name, style=style), took)
    return table


def sprint_line(view: RunView, sprint: int) -> Text:
    text = Text(f"sprint {sprint} ", style="bold")
    for row in (r for r in view.phases if r.sprint == sprint):
        text.append_text(_mark(row))
        text.append(f"{row.name} ", style="dim" if row.status == "pending" else "")
    return text


def board(view: RunView) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, padding=(0, 1))
    for column, title in COLUMN_TITLES:
        count = sum(1 for s in view.stories.values() if s.column == column)
        table.add_column(f"{title} ({count})", ratio=1, overflow="fold")
    cells: list[Text] = []
    for column, _ in COLUMN_TITLES:
        cell = Text()
        for story in (s for s in view.stories.values() if s.column == column):
            if cell:
                cell.append("\n")
            cell.append(story.id, style="bold")
            cell.append(f" {story.title}")
            if story.points is not None:
                cell.append(f" ({story.points})", style="dim")
        cells.append(cell)
    table.add_row(*cells)
    return table


def timeline(view: RunView) -> RenderableType:
    """Everything the first tab shows, as one Rich renderable."""
    parts: list[RenderableType] = []
    if view.mode == "agile":
        parts.append(board(view))
        parts.append(phase_table([r for r in view.phases if r.sprint is None]))
        parts.extend(sprint_line(view, n) for n in view.sprints)
    else:
        parts.append(phase_table(view.phases))
    if not view.phases:
        parts.append(Text("waiting for the run to start…", style="dim"))
    extras = Text("\n")
    if view.artifacts:
        extras.append("artifacts: ", style="bold")
        extras.append(", ".join(a.name for a in view.artifacts))
        extras.append("\n")
    if view.memory_retrieved or view.memory_stored or view.memory_unavailable:
        extras.append("memory: ", style="bold")
        if view.memory_unavailable:
            extras.append("unavailable ", style="yellow")
        extras.append(f"{view.memory_retrieved} recalled · {view.memory_stored} stored")
    parts.append(extras)
    return Group(*parts)


class Timeline(RenderPane):
    """Scrolls when a long agile run has more sprints than the tab has lines."""

    def render_view(self, view: RunView) -> RenderableType:
        return timeline(view)
