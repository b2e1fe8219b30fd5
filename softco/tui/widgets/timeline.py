"""The phase timeline (waterfall) or the sprint board with its sprints (agile)."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from softco.tui.state import SPRINT_PHASES, PhaseRow, RunView
from softco.tui.widgets.base import RenderPane
from softco.tui.widgets.look import PHASE_MARKS, role_style

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


SPRINT_HEADERS = {"planning": "plan", "sprint_review": "demo"}


def sprint_table(view: RunView) -> Table:
    """One row per sprint, one column per sprint phase: mark and time taken."""
    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold dim")
    table.add_column("sprint", justify="right")
    for name in SPRINT_PHASES:
        table.add_column(SPRINT_HEADERS.get(name, name))
    for sprint in view.sprints:
        cells = []
        for name in SPRINT_PHASES:
            row = next((r for r in view.phases if r.sprint == sprint and r.name == name), None)
            cell = _mark(row) if row else Text("·", style="dim")
            if row and row.status == "done":
                cell.append(f"{row.duration_s:.0f}s", style="dim")
            cells.append(cell)
        table.add_row(str(sprint), *cells)
    return table


def tokens_by_role(view: RunView) -> Text:
    text = Text("tokens: ", style="bold")
    parts = sorted(view.usage.by_role.items(), key=lambda kv: -kv[1])
    for n, (role, tokens) in enumerate(parts):
        text.append(", " if n else "")
        text.append(role, style=role_style(role))
        text.append(f" {tokens / 1000:.1f}k")
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
        if view.sprints:
            parts.append(sprint_table(view))
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
        extras.append(f"{view.memory_retrieved} recalled · {view.memory_stored} stored\n")
    if view.usage.by_role:
        extras.append_text(tokens_by_role(view))
    parts.append(extras)
    return Group(*parts)


class Timeline(RenderPane):
    """Scrolls when a long agile run has more sprints than the tab has lines."""

    def render_view(self, view: RunView) -> RenderableType:
        return timeline(view)
