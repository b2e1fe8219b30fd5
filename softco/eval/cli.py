"""``softco eval``: build every brief of a task file, score it, compare configurations.

Mounted by ``softco/cli.py`` as ``app.command("eval")(eval_command)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from softco.errors import ConfigError, SoftcoError

console = Console()
err = Console(stderr=True)


def _configs(mode: str, baseline: str | None) -> list[str]:
    from softco.eval.runner import BASELINE, MODES

    configs = [m.strip() for m in mode.split(",") if m.strip()]
    unknown = [m for m in configs if m not in MODES]
    if unknown or not configs:
        raise ConfigError(f"--mode {mode!r}: use waterfall, agile or both (waterfall,agile)")
    if baseline is not None:
        if baseline != BASELINE:
            raise ConfigError(f"--baseline {baseline!r}: the only baseline is {BASELINE!r}")
        configs.append(BASELINE)
    return list(dict.fromkeys(configs))


def _line(row: dict) -> str:
    if row["status"] == "error":
        return f"[red]error[/] {row['task']} ({row['config']}): {row['error']}"
    tests = f"{row['tests_passed']}/{row['tests_total']}"
    hidden = (
        f" · acceptance {row['acceptance_passed']}/{row['acceptance_total']}"
        if row.get("acceptance_total")
        else ""
    )
    return (
        f"[green]scored[/] {row['task']} ({row['config']}) · quality {row['quality']:.3f}"
        f" · tests {tests}{hidden} · {row['stop_reason']} · {row['wall_s']:.0f}s"
    )


def eval_command(
    tasks: Annotated[Path, typer.Argument(help="Task file (.jsonl or .csv) of briefs.")],
    mode: Annotated[str, typer.Option(help="waterfall, agile, or both: waterfall,agile.")] = (
        "waterfall"
    ),
    model: Annotated[str | None, typer.Option("--model", "-m", help="Model for every role.")] = (
        None
    ),
    baseline: Annotated[
        str | None, typer.Option(help="Also score a baseline: single-shot.")
    ] = None,
    jobs: Annotated[int, typer.Option(min=1, help="Runs at once (local process pool).")] = 2,
    out: Annotated[
        Path | None, typer.Option(help="Output folder (default: RUNS_DIR/eval-<task file>).")
    ] = None,
    scripted: Annotated[
        bool,
        typer.Option(
            "--scripted", help="Use the built-in scripted demo model (no LLM; demo brief only)."
        ),
    ] = False,
    backend: Annotated[str, typer.Option(help="process (default) or ray.")] = "process",
    mutants: Annotated[int, typer.Option(min=0, help="Mutants per repo (0: skip).")] = 20,
    memory: Annotated[
        bool,
        typer.Option("--memory", help="Let runs use shared memory (off: tasks stay independent)."),
    ] = False,
    config: Annotated[Path | None, typer.Option("--config", "-c", help="YAML settings.")] = None,
) -> None:
    """Build and score every task; resumable (re-run the same command to continue)."""
    from softco.config import Settings
    from softco.eval.report import write_report
    from softco.eval.runner import EvalOptions, run_batch
    from softco.eval.tasks import load_tasks

    try:
        configs = _configs(mode, baseline)
        loaded = load_tasks(tasks)
        settings = Settings.load(config)
        out_dir = out or settings.runs_dir / f"eval-{tasks.stem}"
        options = EvalOptions(
            scripted=scripted,
            model=model,
            memory=memory,
            config=config.resolve() if config else None,
            max_mutants=mutants,
        )
        where = "the scripted demo model" if scripted else (model or settings.llm.model)
        console.print(
            f"[bold]softco eval[/] {len(loaded)} task(s) × {', '.join(configs)} "
            f"on {where} → {out_dir}"
        )
        rows = run_batch(
            loaded,
            configs,
            out_dir,
            options,
            jobs=jobs,
            backend=backend,
            on_result=lambda row: console.print(_line(row)),
        )
        paths = write_report(rows, out_dir)
    except SoftcoError as exc:
        err.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(exc.exit_code) from None
    console.print(
        (Path(out_dir) / "summary.md").read_text(encoding="utf-8"), markup=False, soft_wrap=True
    )
    console.print("wrote " + ", ".join(str(p) for p in [Path(out_dir) / "results.jsonl", *paths]))
    errors = sum(r["status"] == "error" for r in rows)
    if errors:
        err.print(f"[yellow]{errors} job(s) failed; re-run the same command to retry them[/]")
    raise typer.Exit(1 if errors else 0)
