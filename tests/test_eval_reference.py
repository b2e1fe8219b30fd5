"""The public task file cannot rot: each task's acceptance tests pass on a reference solution.

The reference solutions live under ``tests/fixtures``, which pytest never
collects (``norecursedirs``), so they are only ever run through this test.
"""

from __future__ import annotations

import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from softco.config import SandboxSettings
from softco.eval.score import count_tests, run_acceptance
from softco.eval.tasks import load_tasks

REFERENCE = Path("tests/fixtures/reference_solutions")


def test_fixtures_are_never_collected():
    config = tomllib.loads(Path("pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "fixtures" in config["norecursedirs"]


def test_every_public_task_passes_on_its_reference_solution():
    tasks = load_tasks(Path("tasks/public_briefs.jsonl"))
    assert sorted(t.name for t in tasks) == sorted(p.name for p in REFERENCE.iterdir())

    def check(task):
        return task, run_acceptance(REFERENCE / task.name, task.acceptance_tests, SandboxSettings())

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(check, tasks))
    for task, result in results:
        assert result.ok, f"{task.name}: {result.summary()}\n{result.raw_tail}"
        assert 3 <= count_tests(task.acceptance_tests) <= 6
        assert not (REFERENCE / task.name / "tests").exists()  # scored on a copy
