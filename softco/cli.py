"""The ``softco`` command. Thin: parse options, build settings, call the SDK, show progress.

Every error that is the user's to fix is a ``SoftcoError`` and is printed as
one line with its exit code; a traceback means a softco bug.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from softco.config import Settings
from softco.errors import ConfigError, RunNotFound, SoftcoError

app = typer.Typer(
    name="softco",
    help="A software company made of LLM agents. Runs offline on an embedded model.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)

ConfigOpt = Annotated[Path | None, typer.Option("--config", "-c", help="YAML settings file.")]
ModelOpt = Annotated[
    str | None, typer.Option("--model", "-m", help="LiteLLM model string or local/<name>.")
]
BriefArg = Annotated[str, typer.Argument(help="What to build, in one line.")]
ModeOpt = Annotated[str | None, typer.Option(help="waterfall or agile.")]
BudgetUsdOpt = Annotated[float | None, typer.Option(help="Dollar cap.")]
BudgetTokensOpt = Annotated[int | None, typer.Option(help="Token cap.")]
OutOpt = Annotated[Path | None, typer.Option(help="Run directory.")]
ReplayOpt = Annotated[Path | None, typer.Option(help="Replay a recorded cassette.")]
NoMemoryOpt = Annotated[bool, typer.Option("--no-memory", help="Run without memory.")]
ScriptedOpt = Annotated[
    bool, typer.Option("--scripted", help="Use the built-in scripted demo model (no LLM).")
]


def load_settings(config: Path | None, **overrides) -> Settings:
    clean = {k: v for k, v in overrides.items() if v not in (None, {}, [])}
    return Settings.load(config, **clean)


def fail(exc: SoftcoError) -> typer.Exit:
    err.print(f"[bold red]error:[/] {exc}")
    return typer.Exit(exc.exit_code)


@app.command()
def doctor(config: ConfigOpt = None) -> None:
    """Check the machine: Python, engine, model files, keys, chromadb, git, sandbox."""
    from softco.doctor import run_checks

    try:
        settings = load_settings(config)
    except ConfigError as exc:
        raise fail(exc) from None
    ok = run_checks(settings, console)
    raise typer.Exit(0 if ok else 1)


def _import_schema(spec: str):
    if ":" not in spec:
        raise ConfigError(f"--schema must look like package.module:Model, got {spec!r}")
    module_name, _, attr = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
        model = getattr(module, attr)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"cannot import schema {spec!r}: {exc}") from None
    from pydantic import BaseModel

    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise ConfigError(f"{spec} is not a pydantic model")
    return model


@app.command()
def llm(
    prompt: Annotated[str, typer.Argument(help="What to ask.")],
    schema: Annotated[
        str | None, typer.Option(help="pydantic model for structured output, pkg.module:Model")
    ] = None,
    model: ModelOpt = None,
    max_tokens: Annotated[int | None, typer.Option(help="Completion token cap.")] = None,
    system: Annotated[str, typer.Option(help="System prompt.")] = "You are a helpful assistant.",
    config: ConfigOpt = None,
) -> None:
    """Make one real call through the gateway (embedded model by default)."""
    from softco.llm import Gateway, system_user

    try:
        settings = load_settings(config, llm={"model": model} if model else {})
        model_cls = _import_schema(schema) if schema else None
        gateway = Gateway(settings)
        gateway.check_ready(roles=("pm",))
        with console.status(f"asking {settings.llm.model}…"):
            reply = gateway.complete(
                system_user(system, prompt), model_cls, role="pm", max_tokens=max_tokens
            )
    except SoftcoError as exc:
        raise fail(exc) from None
    if reply.parsed is not None:
        console.print_json(reply.parsed.model_dump_json())
    else:
        console.print(reply.text)
    u = reply.usage
    err.print(
        f"[dim]{reply.model} · {u.prompt_tokens} prompt + {u.completion_tokens} completion tokens"
        f" · {reply.latency_s:.1f}s · ${u.cost_usd:.4f}{' · cached' if reply.cached else ''}[/]"
    )


def _run_overrides(model, mode, budget_usd, budget_tokens, approve, no_memory, runs_dir=None):
    llm_o = {"model": model} if model else {}
    wf: dict = {}
    if mode:
        wf["mode"] = mode
    if approve:
        wf["approve"] = [a.strip() for a in approve.split(",") if a.strip()]
    budget = {
        k: v
        for k, v in {"max_usd": budget_usd, "max_tokens": budget_tokens}.items()
        if v is not None
    }
    out = {"llm": llm_o, "workflow": wf, "budget": budget}
    if no_memory:
        out["memory"] = {"enabled": False}
    return out


def _transport(replay: Path | None, record: Path | None, scripted: bool = False):
    from softco.llm import CassetteTransport, LiteLLMTransport

    if scripted:
        from softco.demo_script import demo_transport

        return demo_transport(delay_s=0.3)
    if replay and record:
        raise ConfigError("use either --replay or --record, not both")
    if replay:
        return CassetteTransport(replay, "replay")
    if record:
        return CassetteTransport(record, "record", LiteLLMTransport())
    return None


def _sigterm_as_interrupt() -> None:
    """`kill` (SIGTERM) stops a run like Ctrl-C: report written, resumable."""
    import signal
    import threading

    def handler(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


def _precheck(brief: str, out: Path | None, approve: str | None, terminal: bool = True) -> None:
    """Refuse bad input before the progress panel opens."""
    import sys as _sys

    from softco.artifacts import Brief
    from softco.company import RUN_META

    Brief.parse(brief)
    if out is not None and (out / RUN_META).exists():
        raise ConfigError(f"{out} already holds a run: resume it or pick another --out")
    if terminal and approve and not _sys.stdin.isatty():
        raise ConfigError(
            "--approve asks on the terminal, but stdin is not one: "
            "use `softco tui --approve ...` or the SDK's approver"
        )


def _finish(result) -> None:
    console.print()
    r = result.report
    colour = "green" if result.ok else ("yellow" if r.stop_reason.value == "done" else "red")
    console.print(
        f"[bold {colour}]{r.stop_reason.value}[/] · tests {r.tests_passed}/{r.tests_total} · "
        f"{r.total.total_tokens:,} tokens · ${r.total.cost_usd:.4f} · {r.duration_s:.0f}s"
    )
    console.print(f"repo:   {result.workspace}")
    console.print(f"report: {result.run_dir / 'report.md'}")
    if result.error:
        err.print(f"[red]{result.error}[/]")
    raise typer.Exit(result.exit_code)


@app.command()
def run(
    brief: BriefArg,
    mode: ModeOpt = None,
    model: ModelOpt = None,
    budget_usd: BudgetUsdOpt = None,
    budget_tokens: BudgetTokensOpt = None,
    out: OutOpt = None,
    approve: Annotated[
        str | None, typer.Option(help="Gates to approve by hand: prd,design,sprint.")
    ] = None,
    repo: Annotated[
        Path | None, typer.Option(help="Start from an existing repo (incremental mode).")
    ] = None,
    replay: ReplayOpt = None,
    record: Annotated[Path | None, typer.Option(help="Record the calls to a cassette.")] = None,
    no_memory: NoMemoryOpt = False,
    scripted: ScriptedOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Build a project from a one-line brief."""
    from softco.company import Company
    from softco.progress import RunProgress, TerminalApprover

    try:
        settings = load_settings(
            config, **_run_overrides(model, mode, budget_usd, budget_tokens, approve, no_memory)
        )
        _precheck(brief, out, approve)
        _sigterm_as_interrupt()
        transport = _transport(replay, record, scripted)
        where = "the scripted demo model" if scripted else settings.llm.model
        console.print(f"[bold]softco[/] {settings.workflow.mode} build on {where}")
        with RunProgress(console, settings.budget.max_usd, settings.budget.max_tokens) as prog:
            company = Company(
                settings,
                transport=transport,
                listeners=[prog.on_event],
                approver=TerminalApprover(console, prog),
            )
            result = company.run(brief, run_dir=out, repo=repo)
    except SoftcoError as exc:
        raise fail(exc) from None
    _finish(result)


@app.command("resume")
def resume_cmd(
    run_dir: Annotated[Path, typer.Argument(help="A run directory to continue.")],
    budget_usd: Annotated[float | None, typer.Option(help="New dollar cap.")] = None,
    budget_tokens: Annotated[int | None, typer.Option(help="New token cap.")] = None,
    replay: ReplayOpt = None,
    scripted: ScriptedOpt = False,
) -> None:
    """Continue a crashed, interrupted or budget-stopped run from its last checkpoint."""
    from softco.company import resume
    from softco.progress import RunProgress, TerminalApprover

    budget = {
        k: v
        for k, v in {"max_usd": budget_usd, "max_tokens": budget_tokens}.items()
        if v is not None
    }
    try:
        from softco.company import RUN_META

        if not (run_dir / RUN_META).exists():
            raise RunNotFound(f"{run_dir} is not a softco run directory (no {RUN_META})")
        _sigterm_as_interrupt()
        with RunProgress(console, budget_usd, budget_tokens) as prog:
            result = resume(
                run_dir,
                transport=_transport(replay, None, scripted),
                approver=TerminalApprover(console, prog),
                listeners=[prog.on_event],
                **({"budget": budget} if budget else {}),
            )
    except SoftcoError as exc:
        raise fail(exc) from None
    _finish(result)


@app.command()
def tui(
    brief: BriefArg,
    mode: ModeOpt = None,
    model: ModelOpt = None,
    budget_usd: BudgetUsdOpt = None,
    budget_tokens: BudgetTokensOpt = None,
    out: OutOpt = None,
    approve: Annotated[
        str | None, typer.Option(help="Gates to approve in the TUI: prd,design,sprint.")
    ] = None,
    replay: ReplayOpt = None,
    no_memory: NoMemoryOpt = False,
    scripted: ScriptedOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Start a run and watch it live in the terminal UI (approve gates there)."""
    import time as _time

    from softco.approvals import FileApprover
    from softco.company import Company
    from softco.tui import run_and_watch

    try:
        settings = load_settings(
            config, **_run_overrides(model, mode, budget_usd, budget_tokens, approve, no_memory)
        )
        _precheck(brief, out, approve, terminal=False)  # the TUI answers gates itself
        transport = _transport(replay, None, scripted)
        run_dir = out or settings.runs_dir / _time.strftime("%Y%m%d-%H%M%S-tui")
        run_dir.mkdir(parents=True, exist_ok=True)
        company = Company(settings, transport=transport, approver=FileApprover(run_dir))
        results: list = []
        run_and_watch(run_dir, lambda: results.append(company.run(brief, run_dir=run_dir)))
    except SoftcoError as exc:
        raise fail(exc) from None
    console.print(f"run directory: {run_dir}  (softco replay {run_dir})")
    if results:
        _finish(results[0])
    raise typer.Exit(130)  # the TUI was closed before the run ended (resume it)


@app.command()
def watch(run_dir: Annotated[Path, typer.Argument(help="A running or finished run.")]) -> None:
    """Attach the terminal UI to a running or finished run."""
    from softco import tui as _tui

    try:
        _tui.open_run(run_dir)
    except SoftcoError as exc:
        raise fail(exc) from None
    _tui.watch(run_dir)


@app.command("replay")
def replay_cmd(
    run_dir: Annotated[Path, typer.Argument(help="A finished run directory.")],
    speed: Annotated[float, typer.Option(help="Times real time (inf: at once).")] = 4.0,
) -> None:
    """Replay a finished run in the terminal UI (space pauses, n steps, +/- speed)."""
    from softco import tui as _tui

    try:
        _tui.open_run(run_dir)
    except SoftcoError as exc:
        raise fail(exc) from None
    _tui.replay(run_dir, speed=speed)


def _mount_memory() -> None:
    from softco.memory.cli import memory_app

    app.add_typer(memory_app, name="memory", help="Inspect and prune the company memory.")


_mount_memory()
app.command("eval")(importlib.import_module("softco.eval.cli").eval_command)


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


_ = json  # used by subcommands added below


if __name__ == "__main__":  # pragma: no cover
    main()
