"""The TUI's pure parts: folding events into a RunView, replay timing, open_run."""

from __future__ import annotations

import json
import math
import threading
import time
from pathlib import Path

import pytest

from softco.errors import RunNotFound
from softco.events import (
    ApprovalRequested,
    BacklogUpdated,
    FileStatus,
    LLMCall,
    PhaseFinished,
    PhaseStarted,
    RunStarted,
    parse_event,
    read_events,
)
from softco.tui.fold import apply, fold
from softco.tui.screens.approval import artifact_markdown
from softco.tui.sources import ReplaySource, open_run
from softco.tui.state import RunView
from softco.tui.widgets.graph import graph_text
from softco.tui.widgets.status import Playback, status_text

FIXTURES = Path(__file__).parent / "fixtures"
WATERFALL = FIXTURES / "run_waterfall"
AGILE = FIXTURES / "run_agile"


def test_waterfall_fold_reaches_a_finished_run():
    view = fold(read_events(WATERFALL))
    assert view.mode == "waterfall" and view.finished is not None
    assert [p.name for p in view.phases] == [
        "requirements",
        "debate",
        "design",
        "code",
        "test",
        "review",
        "deliver",
    ]
    assert all(p.status == "done" and p.duration_s > 0 for p in view.phases)
    assert view.generations[0] == ["todo/store.py"]
    assert {view.files[p].status for g in view.generations for p in g} == {"passing"}
    assert [(t.passed, t.total) for t in view.tests] == [(7, 8), (8, 8)]
    assert view.usage.total_tokens == view.finished.total_tokens > 0
    assert view.usage.budget_fraction == pytest.approx(view.usage.total_cost_usd / 0.05)
    assert view.pending_approval is None and "prd-1" in view.resolutions
    assert [t.kind for t in view.debate].count("objection") == 2
    assert view.elapsed_s == pytest.approx(57.6, abs=0.2)


def test_agile_fold_builds_the_board_and_sprints():
    view = fold(read_events(AGILE))
    assert view.sprints == [1, 2]
    columns = {s.id: s.column for s in view.stories.values()}
    assert columns == {"S1": "done", "S2": "done", "S3": "done", "S4": "done", "S5": "backlog"}
    assert all(p.status == "done" for p in view.phases)
    assert view.design_version == 2 and "shortener/expiry.py" in view.generations[0]


def test_phase_timing_comes_from_event_time_not_the_clock():
    view = RunView()
    apply(view, RunStarted(brief="b", mode="waterfall", model="m", ts=100.0))
    apply(view, PhaseStarted(phase="design", ts=110.0))
    assert view.current_phase == "design" and view.phase("design").status == "running"
    apply(view, PhaseFinished(phase="design", ts=125.0))
    assert view.phase("design").duration_s == 15.0 and view.elapsed_s == 25.0


def test_running_totals_are_trusted_and_missing_ones_summed():
    view = RunView()
    apply(view, LLMCall(role="coder", model="m", prompt_tokens=10, completion_tokens=5))
    apply(view, LLMCall(role="coder", model="m", prompt_tokens=1, completion_tokens=1))
    assert view.usage.total_tokens == 17 and view.usage.by_role == {"coder": 17}
    apply(view, LLMCall(role="pm", model="m", prompt_tokens=1, total_tokens=500))
    assert view.usage.total_tokens == 500


def test_story_statuses_map_onto_board_columns():
    view = RunView()
    stories = [
        {"id": "A", "title": "a", "status": "in_progress", "points": 3},
        {"key": "B", "name": "b", "status": "Accepted"},
        {"title": "c"},
    ]
    apply(view, BacklogUpdated(stories=stories, sprint=2))
    assert [(s.id, s.column, s.sprint) for s in view.stories.values()] == [
        ("A", "sprint", 2),
        ("B", "done", 2),
        ("S3", "backlog", 2),
    ]


def test_unanswered_gate_is_pending_and_unknown_events_are_kept():
    view = RunView()
    apply(
        view, ApprovalRequested(gate="design", request_id="d1", artifact_kind="design", artifact={})
    )
    assert view.pending_approval is not None and view.pending_approval.request_id == "d1"
    apply(view, parse_event({"type": "hologram", "v": 9, "ts": 5.0}))
    assert view.unknown == 1 and view.lines[-1].kind == "unknown"
    assert "1 unknown" in status_text(view, Playback()).plain


def test_file_statuses_show_in_the_graph():
    view = fold(e for e in read_events(WATERFALL) if e.type != "run_finished")
    apply(view, FileStatus(path="todo/cli.py", status="failing", generation=1))
    text = graph_text(view).plain
    assert "✗ todo/cli.py  ← store.py" in text and "gen 2" in text


def test_status_line_counts_malformed_lines():
    view = RunView(mode="waterfall", malformed=2)
    text = status_text(view, Playback(speed=math.inf, position=3, total=9)).plain
    assert "2 malformed lines skipped" in text and "max 3/9" in text


def test_artifact_markdown_is_readable():
    md = artifact_markdown({"title": "T", "user_stories": [{"id": "US1", "title": "Add"}]})
    assert "- **title**: T" in md and "*US1*" in md and "**title**: Add" in md


def _log(tmp_path: Path, stamps: list[float]) -> Path:
    lines = [
        json.dumps({"type": "notice", "message": f"n{i}", "ts": ts, "seq": i})
        for i, ts in enumerate(stamps)
    ]
    (tmp_path / "events.jsonl").write_text("\n".join(lines) + "\n")
    return tmp_path


def test_replay_caps_gaps_and_honours_speed(tmp_path):
    source = ReplaySource(_log(tmp_path, [0.0, 600.0, 601.0]), speed=100.0, max_gap_s=2.0)
    start = time.monotonic()
    assert len(list(source.events(lambda: False))) == 3
    assert time.monotonic() - start < 1.0  # 600 s gap capped at 2 s, at 100x


def test_replay_pause_and_step(tmp_path):
    source = ReplaySource(_log(tmp_path, [0.0, 1.0, 2.0]), speed=math.inf, paused=True)
    got: list[str] = []
    done = threading.Event()

    def pull() -> None:
        got.extend(e.message for e in source.events(done.is_set))

    thread = threading.Thread(target=pull)
    thread.start()
    time.sleep(0.15)
    assert got == []
    source.step()
    time.sleep(0.15)
    assert got == ["n0"] and source.paused
    assert source.toggle_pause() is False
    thread.join(2)
    assert got == ["n0", "n1", "n2"]


def test_replay_speed_ladder():
    source = ReplaySource(WATERFALL, speed=4.0)
    assert source.faster() == 8.0 and source.slower() == 4.0
    for _ in range(20):
        source.slower()
    assert source.speed == 0.25
    assert ReplaySource(WATERFALL, speed=math.inf).slower() == 64.0


def test_open_run_explains_what_is_wrong(tmp_path):
    with pytest.raises(RunNotFound, match="does not exist"):
        open_run(tmp_path / "nope")
    with pytest.raises(RunNotFound, match=r"holds no events\.jsonl"):
        open_run(tmp_path)
    assert open_run(WATERFALL).finished is True
    assert open_run(WATERFALL).events_path.name == "events.jsonl"
