"""The approval gate modal: read the artifact, then approve, edit or reject it.

The screen only collects the decision; the app writes it with
`softco.approvals.write_decision`, so this screen has no side effects to test
around. In replay it is informational: it shows what was decided instead.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Markdown, TextArea

from softco.approvals import ApprovalDecision
from softco.events import ApprovalRequested, ApprovalResolved

Choice = Literal["approve", "edit", "reject"]


def artifact_markdown(value: Any, depth: int = 0) -> str:
    """A readable Markdown outline of any JSON artifact (PRD, design, sprint...)."""
    pad = "  " * depth
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            label = str(key).replace("_", " ")
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}- **{label}**:")
                lines.append(artifact_markdown(item, depth + 1))
            else:
                lines.append(f"{pad}- **{label}**: {_scalar(item)}")
        return "\n".join(lines)
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, dict):
                head = item.get("id") or item.get("title") or item.get("name")
                rest = {k: v for k, v in item.items() if v != head}
                lines.append(f"{pad}- *{head}*" if head else f"{pad}-")
                lines.append(artifact_markdown(rest, depth + 1))
            else:
                lines.append(f"{pad}- {_scalar(item)}")
        return "\n".join(lines)
    return f"{pad}{_scalar(value)}"


def _scalar(value: Any) -> str:
    if value is None or value == [] or value == {}:
        return "—"
    return str(value)


class ApprovalScreen(ModalScreen[ApprovalDecision | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "choose('approve')", "Approve"),
        Binding("e", "choose('edit')", "Edit"),
        Binding("r", "choose('reject')", "Reject"),
        Binding("ctrl+s", "submit", "Send", priority=True),
        Binding("escape", "back", "Back"),
    ]

    def __init__(
        self,
        request: ApprovalRequested,
        interactive: bool = True,
        resolution: ApprovalResolved | None = None,
    ) -> None:
        super().__init__()
        self.request = request
        self.interactive = interactive
        self.resolution = resolution
        self.choice: Choice | None = None

    def compose(self) -> ComposeResult:
        r = self.request
        with Vertical(id="approval-dialog"):
            yield Label(
                f"Approval · gate [b]{r.gate}[/b] · {r.artifact_kind} · {r.request_id}",
                id="approval-title",
            )
            with VerticalScroll(id="approval-artifact"):
                yield Markdown(artifact_markdown(r.artifact) or "*(empty artifact)*")
            yield TextArea(
                json.dumps(r.artifact, indent=2, ensure_ascii=False),
                id="approval-editor",
                show_line_numbers=True,
            )
            yield Input(placeholder="comment (Enter sends)", id="approval-comment")
            yield Label("", id="approval-error")
            yield Label(self._hint(), id="approval-hint")

    def on_mount(self) -> None:
        self.query_one("#approval-editor").display = False
        self.query_one("#approval-comment").display = False
        self.query_one("#approval-artifact").focus()

    def _hint(self) -> str:
        if not self.interactive:
            if self.resolution is not None:
                done = self.resolution
                note = f" — {done.comment}" if done.comment else ""
                return f"replay: this gate was answered [b]{done.decision}[/b]{note} · esc closes"
            return "replay: this gate was never answered · esc closes"
        if self.choice is None:
            return "[b]a[/b] approve · [b]e[/b] edit · [b]r[/b] reject · [b]esc[/b] decide later"
        if self.choice == "edit":
            return "edit the JSON · ctrl+s sends · esc back"
        need = " (say why)" if self.choice == "reject" else ""
        return f"{self.choice}: comment{need}, Enter sends · esc back"

    def _set_choice(self, choice: Choice | None) -> None:
        self.choice = choice
        editor = self.query_one("#approval-editor", TextArea)
        comment = self.query_one("#approval-comment", Input)
        editor.display = choice == "edit"
        self.query_one("#approval-artifact").display = choice != "edit"
        comment.display = choice is not None
        self.query_one("#approval-error", Label).update("")
        self.query_one("#approval-hint", Label).update(self._hint())
        if choice == "edit":
            editor.focus()
        elif choice is not None:
            comment.focus()
        else:
            self.query_one("#approval-artifact").focus()

    def action_choose(self, choice: Choice) -> None:
        if self.interactive and self.choice is None:
            self._set_choice(choice)

    def action_back(self) -> None:
        if self.choice is None or not self.interactive:
            self.dismiss(None)
        else:
            self._set_choice(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        if self.choice is None:
            return
        comment = self.query_one("#approval-comment", Input).value.strip()
        error = self.query_one("#approval-error", Label)
        if self.choice == "reject" and not comment:
            error.update("a rejection needs a comment: say what to change")
            return
        edited = None
        if self.choice == "edit":
            try:
                edited = json.loads(self.query_one("#approval-editor", TextArea).text)
            except json.JSONDecodeError as exc:
                error.update(f"not valid JSON: {exc.msg} (line {exc.lineno}, col {exc.colno})")
                return
            if not isinstance(edited, dict):
                error.update("the artifact must stay a JSON object")
                return
        self.dismiss(ApprovalDecision(decision=self.choice, comment=comment, edited=edited))
