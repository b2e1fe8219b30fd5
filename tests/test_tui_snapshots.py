"""Layout snapshots of the TUI on the recorded runs (update: pytest --snapshot-update).

Every snapshot replays at infinite speed to the end (or stops at a gate), and
all times on screen come from event timestamps, so the pictures are stable.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from pathlib import Path

from textual.pilot import Pilot

from softco.events import holding_run
from softco.tui import LiveSource, ReplaySource, SoftcoApp
from softco.tui.screens import ApprovalScreen

FIXTURES = Path(__file__).parent / "fixtures"


async def finished(pilot: Pilot) -> None:
    app = pilot.app
    deadline = time.monotonic() + 10
    while not (app.source_ended and app.view.finished is not None):  # type: ignore[attr-defined]
        assert time.monotonic() < deadline
        await pilot.pause(0.02)
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


def replayed(name: str) -> SoftcoApp:
    return SoftcoApp(ReplaySource(FIXTURES / name, speed=math.inf))


def test_waterfall_finished_80x24(snap_compare):
    assert snap_compare(replayed("run_waterfall"), terminal_size=(80, 24), run_before=finished)


def test_waterfall_finished_160x48(snap_compare):
    assert snap_compare(replayed("run_waterfall"), terminal_size=(160, 48), run_before=finished)


def test_agile_board_80x24(snap_compare):
    assert snap_compare(replayed("run_agile"), terminal_size=(80, 24), run_before=finished)


def test_agile_finished_160x48(snap_compare):
    assert snap_compare(replayed("run_agile"), terminal_size=(160, 48), run_before=finished)


def test_code_viewer_80x24(snap_compare):
    async def files_tab(pilot: Pilot) -> None:
        await finished(pilot)
        await pilot.press("5")
        await pilot.pause()

    assert snap_compare(replayed("run_waterfall"), terminal_size=(80, 24), run_before=files_tab)


def test_report_80x24(snap_compare):
    async def report_tab(pilot: Pilot) -> None:
        await finished(pilot)
        await pilot.press("7")
        await pilot.pause()

    assert snap_compare(replayed("run_agile"), terminal_size=(80, 24), run_before=report_tab)


def test_approval_gate_80x24(snap_compare, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(FIXTURES / "run_waterfall", run)
    lines = (run / "events.jsonl").read_text().splitlines()
    cut = next(i for i, ln in enumerate(lines) if json.loads(ln)["type"] == "approval_requested")
    (run / "events.jsonl").write_text("\n".join(lines[: cut + 1]) + "\n")

    async def at_gate(pilot: Pilot) -> None:
        deadline = time.monotonic() + 10
        while not isinstance(pilot.app.screen, ApprovalScreen):
            assert time.monotonic() < deadline
            await pilot.pause(0.02)
        await pilot.pause()

    app = SoftcoApp(LiveSource(run, poll_s=0.05))
    with holding_run(run):  # as the running process would
        assert snap_compare(app, terminal_size=(80, 24), run_before=at_gate)


def test_too_small_terminal(snap_compare):
    assert snap_compare(replayed("run_waterfall"), terminal_size=(50, 14))
