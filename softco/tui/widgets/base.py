"""`RenderPane`: a scrolling pane whose content is one Rich renderable of the view.

Most panes are a pure function ``RunView -> renderable``; this base keeps the
Textual plumbing in one place so each pane module is just that function.
"""

from __future__ import annotations

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from softco.tui.state import RunView


class RenderPane(VerticalScroll):
    def compose(self) -> ComposeResult:
        yield Static(classes="pane-body")

    def render_view(self, view: RunView) -> RenderableType:
        raise NotImplementedError

    def show(self, view: RunView) -> None:
        self.query_one(".pane-body", Static).update(self.render_view(view))
