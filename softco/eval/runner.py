"""Run a batch: every task under every configuration, in parallel, resumable.

Each (task, configuration) pair is one *job*. A job never raises: whatever goes
wrong becomes a row with ``status="error"``, so one crashing task costs one row,
not the batch. Rows are appended to ``results.jsonl`` the moment a job finishes;
re-running the same command skips pairs already scored and retries error rows.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from softco.config import Settings
from softco.errors import ConfigError
from softco.eval.score import Scores, score_repo
from softco.eval.tasks import EvalTask

BASELINE = "single-shot"
MODES = ("waterfall", "agile")
RESULTS_FILE = "results.jsonl"


class EvalOptions(BaseModel):
    """How every job of a batch runs; travels to worker processes."""

    scripted: bool = False
    model: str | None = None
    config: Path | None = None
    memory: bool = False
    max_mutants: int = 20


class Job(BaseModel):
    task: EvalTask
    config: str
    out_dir: Path
    options: EvalOptions


class EvalResult(Scores):
    """One row of ``results.jsonl``: a task built under one configuration, scored."""

    task: str
    config: str
    category: str = ""
    status: Literal["scored", "error"] = "scored"
    error: str | None = None
    stop_reason: str | None = None
    model: str = ""
    tokens: int = 0
    cost_usd: float = 0.0
    wall_s: float = 0.0
    score_s: float = 0.0
    run_dir: str = ""


Worker = Callable[[Job], dict]


def _settings(options: EvalOptions) -> Settings:
    overrides: dict = {"memory": {"enabled": options.memory}}
    if options.model:
        overrides["llm"] = {"model": options.model}
    return Settings.load(options.config, **overrides)


def _entry_point(run_dir: Path) -> str | None:
    design = run_dir / "artifacts" / "design.json"
    if not design.is_file():
        return None
    return json.loads(design.read_text(encoding="utf-8")).get("entry_point") or None


def _build(job: Job, settings: Settings, run_dir: Path) -> tuple[EvalResult, Path, str | None]:
    """Build the task; returns the unscored row, the repo and its entry point."""
    task, options = job.task, job.options
    row = EvalResult(
        task=task.name,
        config=job.config,
        category=task.category,
        model="scripted" if options.scripted else settings.llm.model,
        run_dir=str(run_dir),
    )
    if job.config == BASELINE:
        from softco.eval.baseline import scripted_transport, single_shot

        transport = scripted_transport() if options.scripted else None
        out = single_shot(task.brief(), settings, run_dir / "workspace", transport)
        row.stop_reason = "error" if out.error else "done"
        row.error, row.tokens, row.cost_usd, row.wall_s = (
            out.error,
            out.tokens,
            out.cost_usd,
            out.wall_s,
        )
        return row, run_dir / "workspace", out.entry_point
    from softco.company import Company

    transport = None
    if options.scripted:
        from softco.demo_script import demo_transport

        transport = demo_transport()
    start = time.perf_counter()
    result = Company(settings, transport=transport).run(task.brief(), job.config, run_dir=run_dir)
    row.wall_s = round(time.perf_counter() - start, 3)
    row.stop_reason, row.error = result.stop_reason.value, result.error
    row.tokens = result.report.total.total_tokens
    row.cost_usd = round(result.report.total.cost_usd, 6)
    return row, result.workspace, _entry_point(run_dir)


def evaluate_job(job: Job) -> dict:
    """Build and score one task under one configuration; never raises."""
    run_dir = job.out_dir / "runs" / job.config / job.task.name
    try:
        settings = _settings(job.options)
        if run_dir.exists():  # a half-finished earlier attempt: start clean
            shutil.rmtree(run_dir)
        row, repo, entry = _build(job, settings, run_dir)
        start = time.perf_counter()
        scores = score_repo(
            repo,
            job.task.description,
            settings.sandbox,
            entry_point=entry,
            acceptance_tests=job.task.acceptance_tests,
            max_mutants=job.options.max_mutants,
        )
        row = row.model_copy(update=scores.model_dump())
        row.score_s = round(time.perf_counter() - start, 3)
        return row.model_dump(mode="json")
    except Exception as exc:
        return error_row(job, exc, run_dir).model_dump(mode="json")


def error_row(job: Job, exc: BaseException, run_dir: Path | None = None) -> EvalResult:
    """The row for a job the harness could not finish, with where it failed."""
    where = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    at = f" (at {where[0].filename.rsplit('/', 1)[-1]}:{where[0].lineno})" if where else ""
    return EvalResult(
        task=job.task.name,
        config=job.config,
        category=job.task.category,
        status="error",
        error=f"{type(exc).__name__}: {exc}{at}",
        run_dir=str(run_dir or ""),
    )


def read_results(path: Path) -> list[dict]:
    """Rows of a results file, the newest per (task, config); a torn last line is ignored."""
    latest: dict[tuple[str, str], dict] = {}
    if Path(path).is_file():
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
                latest[(row["task"], row["config"])] = row
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
    return list(latest.values())


def _inline(jobs: list[Job], worker: Worker) -> Iterator[tuple[Job, dict]]:
    for job in jobs:
        try:
            yield job, worker(job)
        except Exception as exc:
            yield job, error_row(job, exc).model_dump(mode="json")


def _processes(jobs: list[Job], n: int, worker: Worker) -> Iterator[tuple[Job, dict]]:
    """A local process pool; ``spawn`` because forking a threaded parent is unsafe."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=n, mp_context=context) as pool:
        futures = {pool.submit(worker, job): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            try:
                yield job, future.result()
            except Exception as exc:  # the worker died (BrokenProcessPool) or did not pickle
                yield job, error_row(job, exc).model_dump(mode="json")


def require_ray():
    """The ``ray`` module, or a ConfigError that says how to get it."""
    try:
        import ray
    except ImportError:
        raise ConfigError(
            "--backend ray needs the 'ray' package, which is not installed: "
            "pip install 'ray[default]' (or use the default --backend process)"
        ) from None
    return ray


def _ray(jobs: list[Job], n: int, worker: Worker) -> Iterator[tuple[Job, dict]]:
    """Ray tasks, at most ``n`` in flight; ``RAY_ADDRESS`` points at a cluster."""
    ray = require_ray()
    ray.init(ignore_reinit_error=True)
    remote = ray.remote(num_cpus=1)(worker)
    queue, pending = list(jobs), {}
    while queue or pending:
        while queue and len(pending) < n:
            job = queue.pop(0)
            pending[remote.remote(job)] = job
        done, _ = ray.wait(list(pending), num_returns=1)
        job = pending.pop(done[0])
        try:
            yield job, ray.get(done[0])
        except Exception as exc:
            yield job, error_row(job, exc).model_dump(mode="json")


def plan_jobs(
    tasks: Iterable[EvalTask], configs: Iterable[str], out_dir: Path, options: EvalOptions
) -> list[Job]:
    return [Job(task=t, config=c, out_dir=out_dir, options=options) for t in tasks for c in configs]


def run_batch(
    tasks: list[EvalTask],
    configs: list[str],
    out_dir: Path,
    options: EvalOptions,
    *,
    jobs: int = 1,
    backend: str = "process",
    worker: Worker = evaluate_job,
    on_result: Callable[[dict], None] | None = None,
) -> list[dict]:
    """Run every job not yet scored in ``out_dir/results.jsonl``; return all rows."""
    if backend not in ("process", "ray"):
        raise ConfigError(f"unknown backend {backend!r}: use 'process' or 'ray'")
    if backend == "ray":
        require_ray()
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    results = out_dir / RESULTS_FILE
    done = {(r["task"], r["config"]) for r in read_results(results) if r["status"] == "scored"}
    todo = [
        j
        for j in plan_jobs(tasks, configs, out_dir, options)
        if (j.task.name, j.config) not in done
    ]
    if backend == "ray":
        stream = _ray(todo, max(1, jobs), worker)
    elif jobs > 1 and len(todo) > 1:
        stream = _processes(todo, jobs, worker)
    else:
        stream = _inline(todo, worker)
    with results.open("a", encoding="utf-8") as fh:
        for _job, row in stream:
            fh.write(json.dumps(row) + "\n")
            fh.flush()
            if on_result:
                on_result(row)
    wanted = {(t.name, c) for t in tasks for c in configs}
    return [r for r in read_results(results) if (r["task"], r["config"]) in wanted]
