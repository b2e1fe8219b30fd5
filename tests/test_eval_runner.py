"""``softco eval`` end to end on the scripted model: scores, resume, crashes, backends."""

from __future__ import annotations

import importlib.util
import json

import pytest
from typer.testing import CliRunner

from softco.cli import app
from softco.demo_script import BRIEF
from softco.errors import ConfigError
from softco.eval import runner
from softco.eval.report import summary_markdown
from softco.eval.runner import EvalOptions, EvalResult, Job, read_results, run_batch
from softco.eval.tasks import EvalTask

HIDDEN = (
    "from textstats.core import word_count\n\n\ndef test_counts():\n"
    "    assert word_count('x y') == 2\n\n\ndef test_wrong_on_purpose():\n"
    "    assert word_count('') == 1\n"
)


def task_file(tmp_path, names=("textstats",)):
    path = tmp_path / "tasks.jsonl"
    rows = [
        {"name": n, "description": BRIEF, "category": "library", "acceptance_tests": HIDDEN}
        for n in names
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_scripted_eval_scores_pipeline_and_baseline_then_resumes(tmp_path):
    out = tmp_path / "out"
    args = [
        "eval",
        str(task_file(tmp_path)),
        "--scripted",
        "--baseline",
        "single-shot",
        "--jobs",
        "2",
        "--out",
        str(out),
        "--mutants",
        "3",
    ]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    rows = {r["config"]: r for r in read_results(out / "results.jsonl")}
    assert set(rows) == {"waterfall", "single-shot"}
    for row in rows.values():
        assert row["status"] == "scored" and row["stop_reason"] == "done"
        # waterfall: + 2 tests from the PRD's examples and 1 regression test
        want = 8 if row["config"] == "waterfall" else 5
        assert (row["tests_passed"], row["tests_total"]) == (want, want)
        assert (row["acceptance_passed"], row["acceptance_total"]) == (1, 2)
        assert row["completeness"] == 1.0 and row["executability"] == 1.0
        assert 0.3 < row["consistency"] < 1.0 and row["quality"] == row["consistency"]
        assert row["mutants_total"] == 3 and row["entrypoint"] == "textstats.cli"
    assert rows["waterfall"]["tokens"] > rows["single-shot"]["tokens"] > 0
    summary = (out / "summary.md").read_text()
    assert "| waterfall | 1 | 0 |" in summary and "| single-shot | 1 | 0 |" in summary
    for png in ("quality.png", "tests.png"):
        assert (out / png).read_bytes()[:4] == b"\x89PNG"

    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    assert len((out / "results.jsonl").read_text().splitlines()) == 2  # nothing re-run
    assert "scored textstats" not in again.output


def test_a_crash_mid_task_is_an_error_row_and_is_retried_on_rerun(tmp_path, monkeypatch):
    from softco.eval.tasks import load_tasks

    tasks = load_tasks(task_file(tmp_path, ("first", "second")))
    real = runner.score_repo

    def flaky(repo, description, sandbox, **kw):
        if "second" in str(repo):
            raise OSError("disk vanished while scoring")
        return real(repo, description, sandbox, **kw)

    monkeypatch.setattr(runner, "score_repo", flaky)
    options = EvalOptions(scripted=True, max_mutants=0)
    rows = {r["task"]: r for r in run_batch(tasks, ["waterfall"], tmp_path / "out", options)}
    assert rows["first"]["status"] == "scored"
    assert rows["second"]["status"] == "error"
    assert "OSError: disk vanished while scoring" in rows["second"]["error"]
    assert (tmp_path / "out/runs/waterfall/second/report.md").exists()  # partial run kept

    monkeypatch.setattr(runner, "score_repo", real)
    seen = []
    rows = run_batch(tasks, ["waterfall"], tmp_path / "out", options, on_result=seen.append)
    assert [r["task"] for r in seen] == ["second"]  # the scored task was skipped
    assert {r["task"]: r["status"] for r in rows} == {"first": "scored", "second": "scored"}


def crashing_worker(job: Job) -> dict:
    """A worker for the process pool (module level, so it pickles by reference)."""
    if job.task.name == "boom":
        raise RuntimeError("worker crashed")
    return EvalResult(task=job.task.name, config=job.config, quality=0.5).model_dump()


def test_process_pool_keeps_going_past_a_crashing_worker(tmp_path):
    tasks = [EvalTask(name=n, description="x") for n in ("a", "boom", "c")]
    rows = run_batch(tasks, ["waterfall"], tmp_path, EvalOptions(), jobs=2, worker=crashing_worker)
    status = {r["task"]: (r["status"], r.get("error")) for r in rows}
    assert status["a"] == ("scored", None) and status["c"] == ("scored", None)
    assert status["boom"][0] == "error" and "RuntimeError: worker crashed" in status["boom"][1]
    summary = summary_markdown(rows)
    assert "| waterfall | 3 | 1 | 0.500 |" in summary and "worker crashed" in summary


def test_torn_last_line_of_results_is_ignored(tmp_path):
    path = tmp_path / "results.jsonl"
    good = EvalResult(task="a", config="agile").model_dump_json()
    path.write_text(good + "\n" + '{"task": "b", "con')
    assert [r["task"] for r in read_results(path)] == ["a"]


@pytest.mark.skipif(importlib.util.find_spec("ray") is not None, reason="ray is installed")
def test_ray_backend_without_ray_says_how_to_get_it(tmp_path):
    with pytest.raises(ConfigError, match=r"needs the 'ray' package.*pip install"):
        run_batch(
            [EvalTask(name="a", description="x")],
            ["waterfall"],
            tmp_path,
            EvalOptions(),
            backend="ray",
        )
    result = CliRunner().invoke(
        app,
        [
            "eval",
            str(task_file(tmp_path)),
            "--scripted",
            "--backend",
            "ray",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 2 and "ray" in result.output
    assert (
        not (tmp_path / "o" / "results.jsonl").exists()
        or not (tmp_path / "o" / "results.jsonl").read_text()
    )


def test_cli_refuses_bad_options_and_bad_task_files(tmp_path):
    good = str(task_file(tmp_path))
    bad_mode = CliRunner().invoke(app, ["eval", good, "--mode", "spiral", "--scripted"])
    assert bad_mode.exit_code == 2 and "--mode 'spiral'" in bad_mode.output
    bad_base = CliRunner().invoke(app, ["eval", good, "--baseline", "zero-shot", "--scripted"])
    assert bad_base.exit_code == 2 and "only baseline is 'single-shot'" in bad_base.output
    dup = tmp_path / "dup.jsonl"
    dup.write_text('{"name": "a", "description": "x"}\n{"name": "a", "description": "y"}\n')
    refused = CliRunner().invoke(app, ["eval", str(dup), "--scripted"])
    assert refused.exit_code == 2 and "duplicate task name 'a'" in refused.output
