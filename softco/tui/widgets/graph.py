"""The design's dependency graph as generations, each file with its status."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text

from softco.tui.state import RunView
from softco.tui.widgets.base import RenderPane
from softco.tui.widgets.look import FILE_MARKS, file_mark


def legend() -> Text:
    text = Text()
    for status, (mark, style) in FILE_MARKS.items():
        text.append(f"{mark} {status}  ", style=style)
    return text


def graph_text(view: RunView, show_needs: bool = True) -> Text:
    """Generation by generation; ``needs`` lists a file's direct dependencies.

    Edges are read as (dependency, dependent), the order networkx's
    topological generations use.
    """
    if not view.generations:
        return Text("no design yet: the architect's dependency graph appears here", style="dim")
    needs: dict[str, list[str]] = {}
    for src, dst in view.edges:
        needs.setdefault(dst, []).append(src.rsplit("/", 1)[-1])
    text = Text()
    for gen, paths in enumerate(view.generations):
        text.append(f"gen {gen}\n", style="bold")
        for path in paths:
            row = view.files.get(path)
            status = row.status if row else "pending"
            text.append("  ")
            text.append_text(file_mark(status))
            text.append(f" {path}")
            if show_needs and path in needs:
                text.append(f"  ← {', '.join(needs[path])}", style="dim")
            if row and row.detail:
                text.append(f"  {row.detail}", style="italic dim")
            text.append("\n")
    extra = [f for f in view.files.values() if f.generation is None]
    if extra:
        text.append("tests & extras\n", style="bold")
        for row in extra:
            text.append("  ")
            text.append_text(file_mark(row.status))
            text.append(f" {row.path}  ({row.role})\n")
    text.append_text(legend())
    return text


class GraphPane(RenderPane):
    def render_view(self, view: RunView) -> RenderableType:
        return graph_text(view)
