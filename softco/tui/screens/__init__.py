"""Modal and full screens: help, approval gate, messages."""

from softco.tui.screens.approval import ApprovalScreen, artifact_markdown
from softco.tui.screens.help import HelpScreen
from softco.tui.screens.message import MessageScreen

__all__ = ["ApprovalScreen", "HelpScreen", "MessageScreen", "artifact_markdown"]
