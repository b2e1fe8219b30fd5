"""The examples run as a user would run them: as scripts, on the shipped scripted model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run_example(name: str, tmp_path) -> subprocess.CompletedProcess:
    env = {
        "SOFTCO_HOME": str(tmp_path / "home"),
        "PATH": "/usr/bin:/bin",
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.py")))
def test_every_example_explains_itself(name):
    source = (EXAMPLES / name).read_text()
    assert source.startswith('"""') and "--live" in source and "--model" in source


def test_waterfall_example(tmp_path):
    done = run_example("waterfall_build.py", tmp_path)
    assert done.returncode == 0, done.stderr
    # 7 tests of its own and 1 regression test (workflow.regression_tests)
    assert "stop reason: done" in done.stdout and "tests:       8/8 passed" in done.stdout
    assert "textstats/core.py" in done.stdout and "consensus" in done.stdout


def test_agile_example_runs_several_sprints(tmp_path):
    done = run_example("agile_sprints.py", tmp_path)
    assert done.returncode == 0, done.stderr
    assert "sprint 1: accepted S1" in done.stdout and "sprint 2: accepted S2" in done.stdout
    assert "after 2 sprint(s)" in done.stdout


def test_watch_and_approve_example_sees_the_gate_live(tmp_path):
    done = run_example("watch_and_approve.py", tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    gate = [line for line in lines if "approval_" in line]
    assert gate == [
        "[event] approval_requested prd",
        "[event] approval_resolved prd reject",
        "[event] approval_requested prd",
        "[event] approval_resolved prd approve",
    ]
    assert lines.index(gate[-1]) < lines.index("[event] phase_started design")
    assert "decisions ['reject', 'approve']" in done.stdout
