"""The requirement debate: objections, the PM's answers and the judge's verdicts."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text

from softco.tui.state import RunView
from softco.tui.widgets.base import RenderPane
from softco.tui.widgets.look import role_style

KIND_MARKS = {"objection": "✗", "answer": "↳", "verdict": "⚖", "summary": "∑"}
VERDICT_STYLES = {"resolved": "green", "accepted_risk": "yellow", "sustained": "red"}


def debate_text(view: RunView) -> Text:
    if not view.debate:
        return Text("no debate yet: critics speak after the PM's first draft", style="dim")
    text = Text()
    current = None
    for turn in view.debate:
        if turn.round != current:
            current = turn.round
            if text:
                text.append("\n")
            text.append(f"Round {turn.round}\n", style="bold underline")
        indent = "  " if turn.kind in ("answer", "verdict") else ""
        text.append(f"{indent}{KIND_MARKS.get(turn.kind, '·')} ")
        if turn.objection_id:
            text.append(f"{turn.objection_id} ", style="bold")
        text.append(turn.speaker, style=role_style(turn.speaker))
        if turn.verdict:
            text.append(f" [{turn.verdict}]", style=VERDICT_STYLES.get(turn.verdict, "bold"))
        text.append(f": {turn.text}\n")
    return text


class DebatePane(RenderPane):
    def render_view(self, view: RunView) -> RenderableType:
        return debate_text(view)
