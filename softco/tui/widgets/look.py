"""Shared colours and markers, so every pane speaks the same visual language."""

from __future__ import annotations

from rich.text import Text

ROLE_STYLES = {
    "pm": "bold cyan",
    "critic": "magenta",
    "judge": "bold yellow",
    "architect": "bold blue",
    "coder": "green",
    "tester": "dark_orange",
    "reviewer": "red",
    "memory": "dim",
    "softco": "bold",
}

FILE_MARKS = {
    "pending": ("○", "dim"),
    "writing": ("◐", "yellow"),
    "written": ("●", "blue"),
    "failing": ("✗", "bold red"),
    "passing": ("✓", "bold green"),
}

PHASE_MARKS = {"pending": ("○", "dim"), "running": ("▶", "bold yellow"), "done": ("✓", "green")}

OUTCOME_MARKS = {
    "passed": ("✓", "green"),
    "failed": ("✗", "bold red"),
    "error": ("!", "bold red"),
    "skipped": ("-", "dim"),
}


def role_style(role: str) -> str:
    """Colour for a role; ``critic:qa_skeptic`` shares the critics' colour."""
    return ROLE_STYLES.get(role.split(":", 1)[0], "white")


def file_mark(status: str) -> Text:
    mark, style = FILE_MARKS.get(status, ("?", "dim"))
    return Text(mark, style=style)


def clock(seconds: float) -> str:
    """``mm:ss`` from run time (event timestamps, never the wall clock)."""
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"
