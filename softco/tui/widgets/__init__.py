"""The panes of the softco TUI; each renders a `RunView` through ``show(view)``."""

from softco.tui.widgets.conversation import Conversation
from softco.tui.widgets.debate import DebatePane
from softco.tui.widgets.files import FilesPane
from softco.tui.widgets.graph import GraphPane
from softco.tui.widgets.panes import TABS, make_pane
from softco.tui.widgets.report import ReportPane
from softco.tui.widgets.status import Playback, RunStatus, UsageMeter
from softco.tui.widgets.tests_pane import TestsPane
from softco.tui.widgets.timeline import Timeline

__all__ = [
    "TABS",
    "Conversation",
    "DebatePane",
    "FilesPane",
    "GraphPane",
    "Playback",
    "ReportPane",
    "RunStatus",
    "TestsPane",
    "Timeline",
    "UsageMeter",
    "make_pane",
]
