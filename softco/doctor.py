"""``softco doctor``: what this machine can and cannot do, each line with its fix."""

from __future__ import annotations

import importlib.metadata as md
import os
import shutil
import subprocess
import sys

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from softco.config import Settings

PROVIDER_KEYS = (
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "GEMINI_API_KEY",
    "MISTRAL_API_KEY",
    "GROQ_API_KEY",
    "OPENROUTER_API_KEY",
)


def _version(dist: str) -> str | None:
    try:
        return md.version(dist)
    except md.PackageNotFoundError:
        return None


def sandbox_can_isolate_network() -> bool:
    """True when ``unshare -rn`` can give generated code an empty network namespace."""
    if not shutil.which("unshare"):
        return False
    try:
        done = subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def run_checks(settings: Settings, console: Console) -> bool:
    from softco.llm.models import LOCAL_MODELS, part_paths

    table = Table(title="softco doctor", show_lines=False)
    table.add_column("check")
    table.add_column("status")
    table.add_column("detail / fix")
    ok = True

    def row(name: str, good: bool, detail: str, required: bool = True) -> None:
        nonlocal ok
        mark = "[green]ok[/]" if good else ("[red]FAIL[/]" if required else "[yellow]warn[/]")
        ok = ok and (good or not required)
        table.add_row(name, mark, escape(detail))

    py = sys.version_info
    row("python", py >= (3, 11), f"{py.major}.{py.minor}.{py.micro} (need >= 3.11)")
    engine = _version("xllamacpp")
    local_default = settings.llm.model.startswith("local/")
    row(
        "embedded engine",
        engine is not None,
        f"xllamacpp {engine}" if engine else "not installed: pip install -e '.[local]'",
        required=local_default,
    )
    for name, model in LOCAL_MODELS.items():
        try:
            parts = part_paths(model)
            cached = settings.home / "models" / f"{name}.gguf"
            state = "assembled + verified" if cached.with_suffix(".ok").exists() else "parts ok"
            row(f"model {name}", True, f"{len(parts)} parts, {state}")
        except Exception as exc:
            is_default = settings.llm.model == f"local/{name}"
            row(f"model {name}", False, str(exc), required=is_default and local_default)
    if settings.local.model_path:
        row("custom GGUF", settings.local.model_path.is_file(), str(settings.local.model_path))
    keys = [k for k in PROVIDER_KEYS if os.environ.get(k)]
    row("provider keys", True, ", ".join(keys) if keys else "none set (fine for local models)")
    chroma = _version("chromadb")
    row("chromadb", chroma is not None, chroma or "pip install chromadb", required=False)
    git = shutil.which("git")
    row("git", git is not None, git or "install git: apt-get install git")
    isolated = sandbox_can_isolate_network()
    row(
        "sandbox network isolation",
        isolated,
        "unshare -rn works" if isolated else "unavailable: generated tests may reach the network",
        required=False,
    )
    row("settings", True, f"model {settings.llm.model}; home {settings.home}")
    console.print(table)
    return ok
