"""Helpers every benchmark script shares: machine line, settings, results, tables.

Kept tiny and dependency-free so each ``benchmarks/<name>.py`` stays runnable on
its own (``python benchmarks/<name>.py``) and the JSON files of different
scripts carry the same ``machine``/``python`` keys, which is what makes figures
from different machines comparable at all.
"""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path
from typing import Any

from softco.config import Settings

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def machine() -> dict[str, str]:
    """Where the figures were taken: they mean little without the core count."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return {
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cpus",
        "python": platform.python_version(),
        "load_avg_1m_at_start": f"{load:.2f}",
    }


def bench_settings(home: Path, **sections: dict[str, Any]) -> Settings:
    """Settings isolated from the user's: temp home, no memory, no response cache.

    Memory is off because it measures chromadb, not the framework (it has its
    own benchmark); the response cache is off so every call reaches the model.
    """
    base: dict[str, Any] = {
        "home": str(home),
        "runs_dir": str(home / "runs"),
        "memory": {"enabled": False},
        "llm": {"cache": False},
    }
    for key, value in sections.items():
        base[key] = {**base.get(key, {}), **value}
    return Settings.load(**base)


def write_results(name: str, results: dict[str, Any]) -> Path:
    """Write ``benchmarks/results/<name>.json`` (the README's table is built from these)."""
    path = RESULTS_DIR / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return path


def table(rows: list[tuple[str, Any]], header: tuple[str, str] = ("metric", "value")) -> str:
    """A two-column markdown table."""
    lines = [f"| {header[0]} | {header[1]} |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(lines)
