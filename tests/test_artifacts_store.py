"""Saving/loading artifacts and the run report (no LLM)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from softco.artifacts import (
    ARTIFACT_KINDS,
    PRD,
    Brief,
    Design,
    RunReport,
    SprintReview,
    Usage,
    load_artifact,
    save_artifact,
)
from softco.errors import SoftcoError, StopReason

DESIGN = {
    "summary": "calc",
    "files": [
        {
            "path": "calc/ops.py",
            "responsibility": "ops",
            "interface": [{"signature": "def add(a: float, b: float) -> float"}],
        },
        {"path": "calc/cli.py", "responsibility": "cli", "depends_on": ["calc/ops.py"]},
    ],
}


def test_save_load_round_trip(tmp_path: Path) -> None:
    design = Design.model_validate(DESIGN)
    path = save_artifact(tmp_path, "design", design)
    assert path == tmp_path / "artifacts" / "design.json"
    assert load_artifact(tmp_path, "design") == design
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    save_artifact(tmp_path, "brief", {"text": "  a calculator "})
    assert load_artifact(tmp_path, "brief") == Brief(text="a calculator")


def test_named_copies_and_missing(tmp_path: Path) -> None:
    save_artifact(tmp_path, "sprint_review", SprintReview(sprint=2, accepted=["S1"]), "sprint_2")
    loaded = load_artifact(tmp_path, "sprint_review", "sprint_2")
    assert isinstance(loaded, SprintReview) and loaded.accepted == ["S1"]
    assert load_artifact(tmp_path, "prd") is None


def test_save_refuses_wrong_kind_or_bad_name(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="cannot be saved as kind 'prd'"):
        save_artifact(tmp_path, "prd", Brief(text="x"))
    with pytest.raises(KeyError, match="unknown artifact kind"):
        save_artifact(tmp_path, "nope", Brief(text="x"))
    with pytest.raises(ValueError, match="lower-case"):
        save_artifact(tmp_path, "brief", Brief(text="x"), name="../evil")


def test_corrupt_artifact_names_the_file(tmp_path: Path) -> None:
    target = tmp_path / "artifacts" / "prd.json"
    target.parent.mkdir()
    target.write_text("{not json")
    with pytest.raises(SoftcoError, match=r"prd.json is not a valid prd"):
        load_artifact(tmp_path, "prd")


def test_every_kind_has_a_model() -> None:
    assert ARTIFACT_KINDS["prd"] is PRD
    assert {"brief", "prd", "debate", "design", "review", "run_report"} <= set(ARTIFACT_KINDS)


def _report() -> RunReport:
    return RunReport(
        run_id="r1",
        brief="a calculator",
        model="local/qwen",
        stop_reason=StopReason.BUDGET,
        started=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
        finished=1735787165.0,
        duration_s=95.4,
        by_role={
            "pm": Usage(prompt_tokens=100, completion_tokens=50, cost_usd=0.01, calls=2),
            "coder": Usage(prompt_tokens=1000, completion_tokens=500, cost_usd=0.1, calls=3),
        },
        by_phase={"design": Usage(prompt_tokens=10, calls=1, seconds=1.5)},
        tests_passed=7,
        tests_failed=2,
        tests_total=10,
        files=["calc/ops.py"],
        debate="1 round, 2 objections (2 resolved); consensus",
        sprints=[SprintReview(sprint=1, accepted=["S1"], notes="demo | ok")],
        errors=["budget of $0.10 reached"],
        memory_status="3 lessons stored",
    )


def test_run_report_markdown_tells_the_story() -> None:
    report = _report()
    assert report.total.total_tokens == 1650 and report.total.calls == 5
    text = report.to_markdown()
    assert text.startswith("# softco run r1\n")
    for expected in [
        "**Brief:** a calculator",
        "Stopped: **budget** after 1m 35s",
        "Time: 2025-01-02 03:04:05 → 2025-01-02 03:06:05",
        "1,650 tokens, $0.1100, 5 calls",
        "7/10 passed (2 failed, 1 errored or skipped)",
        "| coder | 3 | 1,000 | 500 | 0.1000 | 0.0 |",
        "## Usage by phase",
        "- `calc/ops.py`",
        "1 round, 2 objections (2 resolved); consensus",
        "| 1 | S1 | - | demo \\| ok |",
        "- budget of $0.10 reached",
        "3 lessons stored",
    ]:
        assert expected in text, expected


def test_run_report_round_trip_and_empty_run(tmp_path: Path) -> None:
    report = _report()
    save_artifact(tmp_path, "run_report", report)
    assert load_artifact(tmp_path, "run_report") == report
    empty = RunReport(run_id="r2", brief="x").to_markdown()
    assert "No tests were run." in empty and "## Errors" not in empty
