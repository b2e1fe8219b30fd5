"""`?`: every key the app answers to, in one screen."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# softco — keys

- `1`–`7` switch tab: timeline, chat, debate, graph, files, tests, report
- `tab` / `shift+tab` move focus between panes
- `space` pause / resume a replay
- `n` or `→` step one event (pauses a replay)
- `+` / `-` replay faster / slower
- `a` open the pending approval gate
- `t` light / dark theme · `?` this help
- `q` quit

**Approval gate:** `a` approve · `e` edit the JSON (`ctrl+s` sends) ·
`r` reject with a comment · `esc` decide later. The decision is written to
`RUN_DIR/decisions/<request_id>.json`, where the run is waiting for it.

**Files tab:** arrow keys move through the tree; the highlighted file opens in
the viewer on the right.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Markdown(HELP)

    def action_close(self) -> None:
        self.dismiss(None)
