"""The tabs, in number-key order, and the pane each one holds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widget import Widget

from softco.tui.widgets.conversation import Conversation
from softco.tui.widgets.debate import DebatePane
from softco.tui.widgets.files import FilesPane
from softco.tui.widgets.graph import GraphPane
from softco.tui.widgets.report import ReportPane
from softco.tui.widgets.tests_pane import TestsPane
from softco.tui.widgets.timeline import Timeline

TABS = ("timeline", "chat", "debate", "graph", "files", "tests", "report")


def make_pane(tab: str, run_dir: Path) -> Widget:
    """The pane for ``tab``; every pane has class ``pane`` and a ``show(view)``."""
    factories: dict[str, Callable[[], Widget]] = {
        "timeline": lambda: Timeline(id="timeline", classes="pane"),
        "chat": lambda: Conversation(id="chat", classes="pane"),
        "debate": lambda: DebatePane(id="debate", classes="pane"),
        "graph": lambda: GraphPane(id="graph", classes="pane"),
        "files": lambda: FilesPane(run_dir / "workspace", id="files", classes="pane"),
        "tests": lambda: TestsPane(id="tests", classes="pane"),
        "report": lambda: ReportPane(run_dir, id="report", classes="pane"),
    }
    return factories[tab]()
