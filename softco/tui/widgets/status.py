"""The always-visible strip: where the run is, how replay is going, what it costs."""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from softco.tui.state import RunView
from softco.tui.widgets.look import clock


@dataclass
class Playback:
    """What the status line says about the source (not part of the run itself)."""

    live: bool = False
    paused: bool = False
    speed: float = 1.0
    position: int = 0
    total: int = 0
    ended: bool = False


def _speed(speed: float) -> str:
    return "max" if math.isinf(speed) else f"{speed:g}x"


def status_text(view: RunView, playback: Playback) -> Text:
    """One line: mode, phase, run time, playback and anything skipped."""
    text = Text()
    text.append(view.mode or "run", style="bold")
    if view.finished is not None:
        style = "bold green" if view.finished.stop_reason == "done" else "bold yellow"
        text.append(f" · {view.finished.stop_reason}", style=style)
    elif view.current_phase:
        sprint = f"s{view.current_sprint} " if view.current_sprint is not None else ""
        text.append(f" · ▶ {sprint}{view.current_phase}", style="yellow")
    text.append(f" · {clock(view.elapsed_s)}")
    if playback.live:
        text.append(" · live" if not playback.ended else " · ended", style="cyan")
    else:
        state = "⏸" if playback.paused else ("■" if playback.ended else "▶")
        text.append(f" · {state} {_speed(playback.speed)} {playback.position}/{playback.total}")
    if view.pending_approval is not None:
        text.append(" · approval pending (a)", style="bold magenta")
    if view.malformed:
        noun = "line" if view.malformed == 1 else "lines"
        text.append(f" · ⚠ {view.malformed} malformed {noun} skipped", style="bold red")
    if view.unknown:
        text.append(f" · {view.unknown} unknown", style="dim")
    return text


class RunStatus(Static):
    def show(self, view: RunView, playback: Playback) -> None:
        self.update(status_text(view, playback))


class UsageMeter(Horizontal):
    """Tokens and dollars against the budget cap, as a bar."""

    def compose(self) -> ComposeResult:
        yield Static(id="usage-text")
        yield ProgressBar(total=100, show_eta=False, id="budget")

    def show(self, view: RunView) -> None:
        u = view.usage
        text = Text(f"{u.total_tokens:,} tok · ${u.total_cost_usd:.4f}")
        if u.budget_usd:
            text.append(f" of ${u.budget_usd:g}")
        elif u.budget_tokens:
            text.append(f" of {u.budget_tokens:,} tok")
        fraction = u.budget_fraction
        bar = self.query_one("#budget", ProgressBar)
        bar.display = fraction is not None
        if fraction is None:
            text.append(" · no budget cap", style="dim")
        else:
            bar.update(progress=min(100.0, fraction * 100))
            bar.set_class(fraction >= 0.8, "-warn")
        self.query_one("#usage-text", Static).update(text)
