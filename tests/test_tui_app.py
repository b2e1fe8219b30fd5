"""Pilot tests of the TUI on the recorded runs in tests/fixtures."""

from __future__ import annotations

import contextlib
import json
import math
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static, TabbedContent, TextArea, Tree

from softco.approvals import read_decision
from softco.events import holding_run
from softco.tui import LiveSource, ReplaySource, SoftcoApp
from softco.tui.messages import RunThreadEnded
from softco.tui.screens import ApprovalScreen, HelpScreen, MessageScreen
from softco.tui.widgets import FilesPane, RunStatus

FIXTURES = Path(__file__).parent / "fixtures"
WATERFALL = FIXTURES / "run_waterfall"
AGILE = FIXTURES / "run_agile"


async def until(pilot: Pilot, ok: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not ok():
        assert time.monotonic() < deadline, "condition not reached in time"
        await pilot.pause(0.02)
    await pilot.pause()


def status(app: SoftcoApp) -> str:
    content = app.query_one(RunStatus).content
    return getattr(content, "plain", str(content))


def pending_run(tmp_path: Path, gate_type: str = "approval_requested") -> Path:
    """A copy of the waterfall run cut right after its first gate was asked."""
    run = tmp_path / "run"
    shutil.copytree(WATERFALL, run)
    lines = (run / "events.jsonl").read_text().splitlines()
    cut = next(i for i, line in enumerate(lines) if json.loads(line)["type"] == gate_type)
    (run / "events.jsonl").write_text("\n".join(lines[: cut + 1]) + "\n")
    return run


@pytest.fixture
def live_run(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """``pending_run`` held as its running process would hold it (see events.liveness)."""
    with contextlib.ExitStack() as stack:

        def make(gate_type: str = "approval_requested") -> Path:
            run = pending_run(tmp_path, gate_type)
            stack.enter_context(holding_run(run))
            return run

        yield make


async def test_replay_runs_to_the_end():
    app = SoftcoApp(ReplaySource(WATERFALL, speed=math.inf))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.source_ended)
        assert app.view.finished is not None and app.view.events_seen == 81
        assert "done" in status(app) and "81/81" in status(app)


async def test_pause_step_and_resume():
    source = ReplaySource(WATERFALL, speed=math.inf, paused=True)
    app = SoftcoApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        assert app.view.events_seen == 0
        await pilot.press("n")
        await until(pilot, lambda: app.view.events_seen == 1)
        await pilot.press("right")
        await until(pilot, lambda: app.view.events_seen == 2)
        assert "⏸" in status(app) and "2/81" in status(app)
        await pilot.press("space")
        await until(pilot, lambda: app.source_ended)
        assert app.view.events_seen == 81


async def test_speed_keys_change_the_replay_speed():
    source = ReplaySource(WATERFALL, speed=4.0, paused=True)
    app = SoftcoApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("plus", "plus")
        assert source.speed == 16.0
        await pilot.press("minus")
        await pilot.pause()
        assert source.speed == 8.0 and "8x" in status(app)


async def test_number_keys_switch_tabs():
    app = SoftcoApp(ReplaySource(AGILE, speed=math.inf))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.source_ended)
        tabs = app.query_one(TabbedContent)
        for key, tab in [("3", "debate"), ("6", "tests"), ("7", "report"), ("1", "timeline")]:
            await pilot.press(key)
            assert tabs.active == f"tab-{tab}"
        await pilot.press("5")
        assert isinstance(app.focused, Tree)


async def test_file_viewer_shows_generated_code():
    app = SoftcoApp(ReplaySource(WATERFALL, speed=math.inf))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.source_ended)
        await pilot.press("5")
        files = app.query_one(FilesPane)
        assert files.current == "todo/store.py"  # the first file of the design opens
        await pilot.press("up")  # the highlighted file opens as the cursor moves
        await pilot.pause()
        assert files.current == "todo/cli.py"
        assert files.open_file("todo/store.py")
        code = app.query_one("#code", Static).content
        assert "class TaskStore" in code.code  # type: ignore[union-attr]
        assert not files.open_file("../../../etc/passwd")


async def test_help_screen_and_theme_toggle():
    app = SoftcoApp(ReplaySource(WATERFALL, speed=math.inf))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("t")
        assert app.theme == "textual-light"
        await pilot.press("t")
        assert app.theme == "textual-dark"


async def test_live_gate_approve_writes_the_decision(live_run):
    run = live_run()
    app = SoftcoApp(LiveSource(run, poll_s=0.05))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ApprovalScreen))
        assert "approval pending" in status(app)
        await pilot.press("a")
        await pilot.press(*"ship it")
        await pilot.press("enter")
        await pilot.pause()
        decision = read_decision(run, "prd-1")
        assert decision is not None and decision.decision == "approve"
        assert decision.comment == "ship it"
        assert not isinstance(app.screen, ApprovalScreen)


async def test_live_gate_edit_validates_json(live_run):
    run = live_run()
    app = SoftcoApp(LiveSource(run, poll_s=0.05))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ApprovalScreen))
        await pilot.press("e")
        editor = app.screen.query_one(TextArea)
        assert json.loads(editor.text)["title"].startswith("todo")
        editor.load_text('{"title": "broken"')
        await pilot.press("ctrl+s")
        error = app.screen.query_one("#approval-error", Static).content
        assert "not valid JSON" in str(error)
        assert read_decision(run, "prd-1") is None
        editor.load_text('{"title": "todo v2", "goals": []}')
        await pilot.press("ctrl+s")
        await pilot.pause()
        decision = read_decision(run, "prd-1")
        assert decision is not None and decision.decision == "edit"
        assert decision.edited == {"title": "todo v2", "goals": []}


async def test_live_gate_reject_needs_a_comment(live_run):
    run = live_run()
    app = SoftcoApp(LiveSource(run, poll_s=0.05))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ApprovalScreen))
        await pilot.press("r", "enter")
        assert read_decision(run, "prd-1") is None
        await pilot.press(*"add due dates", "enter")
        await pilot.pause()
        decision = read_decision(run, "prd-1")
        assert decision is not None and decision.decision == "reject"
        assert decision.comment == "add due dates"


async def test_replay_gate_is_informational():
    app = SoftcoApp(ReplaySource(WATERFALL, speed=math.inf))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.source_ended)
        assert not isinstance(app.screen, ApprovalScreen)
        await pilot.press("a")
        assert isinstance(app.screen, ApprovalScreen) and not app.screen.interactive
        await pilot.press("a", "escape")
        assert not isinstance(app.screen, ApprovalScreen)
        assert not (WATERFALL / "decisions").exists()


async def test_missing_run_dir_shows_a_message(tmp_path):
    app = SoftcoApp(ReplaySource(tmp_path / "no-such-run"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MessageScreen)
        assert "does not exist" in app.screen.body
        await pilot.press("q")
    assert app.return_code in (0, None)


async def test_malformed_and_unknown_lines_are_counted(tmp_path):
    run = tmp_path / "run"
    shutil.copytree(WATERFALL, run)
    lines = (run / "events.jsonl").read_text().splitlines()
    lines.insert(5, "{not json")
    lines.insert(9, json.dumps({"type": "telepathy", "v": 7, "ts": 1763800003.0}))
    (run / "events.jsonl").write_text("\n".join(lines) + '\n{"type": "notice", "mess')
    app = SoftcoApp(ReplaySource(run, speed=math.inf))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.source_ended)
        assert "2 malformed lines skipped" in status(app)
        assert "1 unknown" in status(app) and app.view.finished is not None


async def test_live_watch_follows_new_events(live_run):
    run = live_run(gate_type="design_ready")
    app = SoftcoApp(LiveSource(run, poll_s=0.05))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(app.view.generations))
        assert app.view.finished is None and "live" in status(app)
        rest = (WATERFALL / "events.jsonl").read_text()
        (run / "events.jsonl").write_text(rest)  # the run goes on and finishes
        await until(pilot, lambda: app.view.finished is not None)
        await until(pilot, lambda: app.source_ended)
        assert "ended" in status(app)


async def test_too_small_terminal_says_so():
    app = SoftcoApp(ReplaySource(WATERFALL, speed=math.inf))
    async with app.run_test(size=(50, 12)) as pilot:
        await pilot.pause()
        assert app.has_class("-too-small")
        assert app.query_one("#too-small").display
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not app.has_class("-too-small")


async def test_on_ready_starts_the_run_and_its_failure_is_shown(tmp_path):
    started: list[bool] = []
    app = SoftcoApp(
        LiveSource(tmp_path / "not-yet", poll_s=0.05, wait_for_run=True),
        on_ready=lambda: started.append(True),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert started == [True] and not isinstance(app.screen, MessageScreen)
        app.post_message(RunThreadEnded(error="BudgetExceeded: spent $0.05"))
        await until(pilot, lambda: any("BudgetExceeded" in ln.text for ln in app.view.lines))
