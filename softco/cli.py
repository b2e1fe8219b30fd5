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
from softco.errors import ConfigError, SoftcoError

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


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


_ = json  # used by subcommands added below
