"""A full-screen, readable message instead of a traceback (e.g. no run there)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static


class MessageScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q,escape,enter", "app.quit", "Quit")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(
                f"[b]{self.title_text}[/b]\n\n{self.body}\n\n[dim]press q to quit[/dim]",
                id="message-box",
                markup=True,
            )
