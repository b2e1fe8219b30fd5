"""``softco memory``: look into and prune the company's cross-project lessons.

Talks to the store directly (not through ``ResilientMemory``): here a broken
store is the answer the user asked for, so it is reported, not hidden.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from softco.config import Settings
from softco.errors import SoftcoError
from softco.memory.resilient import COMPANY_COLLECTION

memory_app = typer.Typer(
    name="memory",
    help="Inspect and prune the company memory (lessons shared across projects).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)


@memory_app.callback()
def _main(
    ctx: typer.Context,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="YAML settings file.")
    ] = None,
) -> None:
    try:
        ctx.obj = Settings.load(config)
    except SoftcoError as exc:
        err.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(exc.exit_code) from None


def _store(ctx: typer.Context):  # -> ChromaMemory, imported lazily (chromadb is slow to load)
    from softco.memory.chroma import ChromaMemory

    settings: Settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings.load()
    try:
        return ChromaMemory.open(
            COMPANY_COLLECTION,
            path=Path(settings.home) / "memory",
            server_url=settings.memory.server_url,
        )
    except SoftcoError as exc:
        err.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(exc.exit_code) from None


def _short(text: str, width: int = 90) -> str:
    one = " ".join(text.split())
    return escape(one if len(one) <= width else one[: width - 1] + "…")


@memory_app.command("ls")
def ls(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 50,
    kind: Annotated[str | None, typer.Option(help="Only this kind (lesson, code...).")] = None,
) -> None:
    """List stored items."""
    store = _store(ctx)
    items = store.items(limit=limit, where={"kind": kind} if kind else None)
    table = Table(title=f"company memory: {len(items)} of {store.count()} shown")
    for column in ("id", "kind", "outcome", "run", "text"):
        table.add_column(column, overflow="fold" if column == "text" else "ellipsis")
    for item in items:
        cells = (item.key, item.kind, item.outcome or "", item.run or "")
        table.add_row(*(escape(c) for c in cells), _short(item.text))
    console.print(table)


@memory_app.command("search")
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="What to look for, in plain words.")],
    k: Annotated[int, typer.Option("-k", help="How many results.")] = 5,
) -> None:
    """Semantic search over the company memory."""
    hits = _store(ctx).search(query, k)
    if not hits:
        console.print("nothing stored matches (the company memory may be empty)")
        return
    table = Table(title=escape(f"top {len(hits)} for {query!r}"))
    for column in ("score", "source", "outcome", "text"):
        table.add_column(column, overflow="fold" if column == "text" else "ellipsis")
    for hit in hits:
        outcome = str(hit.metadata.get("outcome", ""))
        table.add_row(
            f"{hit.score:.3f}", escape(hit.source), escape(outcome), _short(hit.text, 120)
        )
    console.print(table)


@memory_app.command("forget")
def forget(
    ctx: typer.Context,
    ids: Annotated[list[str] | None, typer.Option("--id", help="Item id (repeatable).")] = None,
    kind: Annotated[str | None, typer.Option(help="Every item of this kind.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Everything (needs --yes).")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm --all.")] = False,
) -> None:
    """Delete items by id, by kind, or all of them."""
    if not (ids or kind or all_):
        err.print("[bold red]error:[/] say what to forget: --id ID, --kind KIND or --all --yes")
        raise typer.Exit(2)
    if all_ and not yes:
        err.print("[bold red]error:[/] --all deletes the whole company memory; add --yes")
        raise typer.Exit(2)
    store = _store(ctx)
    if all_:
        removed = store.forget()
    else:
        removed = store.forget(where={"kind": kind} if kind else None, ids=ids or None)
    console.print(f"forgot {removed} item(s); {store.count()} left")
