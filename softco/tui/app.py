"""`SoftcoApp`: watch a run live or replay a finished one.

The app owns one `RunView`; a thread worker pulls events from the source and
posts them as messages; the UI thread folds them and re-renders the panes
(coalesced, so a fast replay renders a few times, not once per event). The app
never drives agents: its only write is an approval decision file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.markup import escape
from textual import work
from textual.actions import SkipAction
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import (
    Footer,
    Header,
    Input,
    Static,
    TabbedContent,
    TabPane,
    Tabs,
    TextArea,
    Tree,
)
from textual.worker import get_current_worker

from softco.approvals import ApprovalDecision, read_decision, write_decision
from softco.errors import SoftcoError
from softco.events import ApprovalRequested, Notice
from softco.tui.fold import apply
from softco.tui.messages import EventArrived, RunThreadEnded, SourceEnded
from softco.tui.screens import ApprovalScreen, HelpScreen, MessageScreen
from softco.tui.sources import EventSource, ReplaySource
from softco.tui.state import RunView
from softco.tui.widgets import (
    TABS,
    FilesPane,
    GraphPane,
    Playback,
    RunStatus,
    Timeline,
    UsageMeter,
    make_pane,
)

MIN_SIZE = (60, 16)
WIDE_SIZE = (140, 40)
TEXT_ENTRY = (Input, TextArea, Tree)
REPLAY_ACTIONS = {"toggle_pause", "step", "step_arrow", "faster", "slower"}


class SoftcoApp(App[None]):
    CSS_PATH = "softco.tcss"
    TITLE = "softco"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("space", "toggle_pause", "Pause", priority=True),
        Binding("n", "step", "Step"),
        Binding("right", "step_arrow", "Step", show=False, priority=True),
        Binding("plus", "faster", "Faster"),
        Binding("minus", "slower", "Slower"),
        Binding("a", "approval", "Approval"),
        Binding("t", "toggle_theme", "Theme"),
        *(Binding(str(n), f"show_tab('{tab}')", tab, show=False) for n, tab in enumerate(TABS, 1)),
    ]

    def __init__(
        self,
        source: EventSource,
        run_dir: Path | str | None = None,
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        """``on_ready`` runs once the app is mounted (`run_and_watch` starts its run there)."""
        super().__init__()
        self.on_ready = on_ready
        self.source = source
        self.run_dir = Path(run_dir) if run_dir is not None else source.run_dir
        self.view = RunView()
        self.source_ended = False
        self._render_pending = False
        self._approval_open: str | None = None
        self._answered: set[str] = set()

    @property
    def live(self) -> bool:
        return self.source.live

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="main"):
            yield RunStatus(id="status")
            yield UsageMeter(id="meter")
            with Horizontal(id="body"):
                with Vertical(id="side"):
                    yield Timeline(id="side-timeline", classes="pane")
                    yield GraphPane(id="side-graph", classes="pane")
                with TabbedContent(id="tabs", initial=self._first_tab()):
                    for n, tab in enumerate(TABS, 1):
                        with TabPane(f"{n} {tab.title()}", id=f"tab-{tab}"):
                            yield make_pane(tab, self.run_dir)
        yield Static(
            "Enlarge the terminal\n\nsoftco needs at least "
            f"{MIN_SIZE[0]}x{MIN_SIZE[1]} characters.\nq quits.",
            id="too-small",
        )
        yield Footer()

    def _first_tab(self) -> str:
        """Wide terminals show the timeline beside the tabs, so open on the chat."""
        wide = self.size.width >= WIDE_SIZE[0] and self.size.height >= WIDE_SIZE[1]
        return "tab-chat" if wide else "tab-timeline"

    def on_mount(self) -> None:
        self.query_one(Tabs).can_focus = False
        self._layout_for(self.size.width, self.size.height)
        try:
            self.source.check()
        except SoftcoError as exc:
            self.push_screen(MessageScreen("No softco run here", escape(str(exc))))
            return
        self._render_view()
        self._pump()
        if self.on_ready is not None:
            self.on_ready()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """Keys act on the tab just opened (arrows move the file tree, scroll the chat)."""
        target = event.pane.query(".pane").first()
        if isinstance(target, FilesPane):
            target.query_one(Tree).focus()
        else:
            target.focus()

    def on_resize(self, event: Resize) -> None:
        self._layout_for(event.size.width, event.size.height)

    def _layout_for(self, width: int, height: int) -> None:
        self.set_class(width < MIN_SIZE[0] or height < MIN_SIZE[1], "-too-small")
        wide = width >= WIDE_SIZE[0] and height >= WIDE_SIZE[1]
        if wide and not self.has_class("-wide"):
            tabs = self.query_one(TabbedContent)
            if tabs.active in ("", "tab-timeline"):  # the side column shows the timeline
                tabs.active = "tab-chat"
        self.set_class(wide, "-wide")

    @work(thread=True, exclusive=True, group="events", exit_on_error=False)
    def _pump(self) -> None:
        """Pull events off the source (blocking: sleeps, polls) and post them."""
        worker = get_current_worker()
        problems = self.source.problems
        try:
            for event in self.source.events(lambda: worker.is_cancelled):
                self.post_message(EventArrived(event, len(problems)))
        except (SoftcoError, OSError) as exc:
            self.post_message(SourceEnded(len(problems), error=str(exc)))
            return
        self.post_message(SourceEnded(len(problems)))

    def on_event_arrived(self, message: EventArrived) -> None:
        apply(self.view, message.event)
        self.view.malformed = message.malformed
        self._schedule_render()

    def on_source_ended(self, message: SourceEnded) -> None:
        self.source_ended = True
        self.view.malformed = message.malformed
        if message.error:
            self._add_notice("error", f"cannot read the event log: {message.error}")
        self._schedule_render()

    def on_run_thread_ended(self, message: RunThreadEnded) -> None:
        if message.error:
            self._add_notice("error", f"the run stopped with an error: {message.error}")
            self.notify(message.error, title="Run failed", severity="error", timeout=10)
        self._schedule_render()

    def _add_notice(self, level: str, text: str) -> None:
        apply(self.view, Notice(level=level, message=text, ts=self.view.last_ts or 0.0))

    def _schedule_render(self) -> None:
        if not self._render_pending:
            self._render_pending = True
            self.call_later(self._render_view)

    def playback(self) -> Playback:
        src = self.source
        if isinstance(src, ReplaySource):
            return Playback(
                False, src.paused, src.speed, src.position, src.total, self.source_ended
            )
        return Playback(live=True, ended=self.source_ended or self.view.finished is not None)

    def _render_view(self) -> None:
        """Show the view in every pane (hidden tabs too, so switching is instant)."""
        self._render_pending = False
        view = self.view
        self.sub_title = view.brief
        self.query_one(RunStatus).show(view, self.playback())
        self.query_one(UsageMeter).show(view)
        for pane in self.query(".pane"):
            pane.show(view)  # type: ignore[attr-defined]
        self._maybe_ask_approval()

    def _maybe_ask_approval(self) -> None:
        pending = self.view.pending_approval
        if not self.live or pending is None or self._approval_open is not None:
            return
        rid = pending.request_id
        if rid in self._answered or read_decision(self.run_dir, rid) is not None:
            return
        self._open_approval(pending)

    def _open_approval(self, request: ApprovalRequested) -> None:
        rid = request.request_id
        interactive = self.live and rid not in self.view.resolutions and rid not in self._answered
        self._approval_open = request.request_id

        def done(decision: ApprovalDecision | None) -> None:
            self._approval_open = None
            if decision is not None and interactive:
                write_decision(self.run_dir, request.request_id, decision)
                self._answered.add(request.request_id)
                self.notify(f"{decision.decision} sent for {request.gate}", title="Approval")
            self._schedule_render()

        resolution = self.view.resolutions.get(request.request_id)
        self.push_screen(ApprovalScreen(request, interactive, resolution), done)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Replay controls only exist (and show in the footer) when replaying."""
        return action not in REPLAY_ACTIONS or isinstance(self.source, ReplaySource)

    def _replay(self) -> ReplaySource:
        if not isinstance(self.source, ReplaySource) or isinstance(self.screen, ModalScreen):
            raise SkipAction()
        return self.source

    def action_toggle_pause(self) -> None:
        if isinstance(self.focused, TEXT_ENTRY):
            raise SkipAction()
        self._replay().toggle_pause()
        self._schedule_render()

    def action_step(self) -> None:
        self._replay().step()
        self._schedule_render()

    def action_step_arrow(self) -> None:
        if isinstance(self.focused, TEXT_ENTRY):
            raise SkipAction()
        self.action_step()

    def action_faster(self) -> None:
        self._replay().faster()
        self._schedule_render()

    def action_slower(self) -> None:
        self._replay().slower()
        self._schedule_render()

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{tab}"

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-dark" if self.theme == "textual-light" else "textual-light"
        files = self.query_one(FilesPane)
        if files.current:
            files.open_file(files.current)

    def action_approval(self) -> None:
        """Open the pending gate, or (replay) the latest one for reading."""
        request = self.view.pending_approval
        if request is None and self.view.approvals:
            request = list(self.view.approvals.values())[-1]
        if request is None:
            self.notify("no approval gate in this run yet", timeout=3)
            return
        if self._approval_open is None:
            self._open_approval(request)
