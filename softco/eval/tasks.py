"""The evaluation task file: briefs to build, read from CSV or JSONL and checked up front.

A bad task file is the user's to fix, so every problem is found before any run
starts and reported with its line number — a batch that dies an hour in on
task 37 because of a typo would waste the 36 runs before it. Over-long
descriptions are refused, not truncated: a truncated brief is a different task
than the one written, and its scores would be quietly wrong.
"""

from __future__ import annotations

import ast
import csv
import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from softco.artifacts.requirements import MAX_BRIEF_CHARS
from softco.errors import ConfigError

REQUIRED = ("name", "description")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_MAX_REPORTED = 10


class TaskFileError(ConfigError):
    """The task file cannot be used; the message names every bad line."""


class EvalTask(BaseModel):
    """One brief to build and the hidden checks it is scored with."""

    name: str = Field(description="Unique, filesystem-safe id (also the run directory name).")
    description: str = Field(description="What to build: the brief the company sees.")
    category: str = ""
    interface: str = Field("", description="Module paths and signatures the brief promises.")
    acceptance_tests: str = Field(
        "", description="pytest source the pipeline never sees; run on a copy of the repo."
    )
    line: int = Field(0, description="Where the task sits in its file, for error messages.")

    def brief(self) -> str:
        """What the company is asked to build: the description plus the promised interface."""
        if not self.interface.strip():
            return self.description.strip()
        return f"{self.description.strip()}\n\nInterface:\n{self.interface.strip()}"


def _rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    suffix = path.suffix.lower()
    text = path.read_text(encoding="utf-8")
    if suffix == ".jsonl":
        rows = []
        for number, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise TaskFileError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise TaskFileError(f"{path}:{number}: expected a JSON object per line")
            rows.append((number, row))
        return rows
    if suffix == ".csv":
        reader = csv.DictReader(text.splitlines(keepends=True))
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise TaskFileError(
                f"{path}:1: the header has no column {', '.join(map(repr, missing))} "
                f"(required: {', '.join(REQUIRED)})"
            )
        rows = []
        for row in reader:
            rows.append((reader.line_num, {k: v for k, v in row.items() if k is not None}))
        return rows
    raise TaskFileError(
        f"{path}: unknown task file extension {suffix or '(none)'!r}: use .jsonl or .csv"
    )


def _problems(number: int, row: dict[str, Any], seen: dict[str, int]) -> list[str]:
    missing = [c for c in REQUIRED if c not in row or row[c] is None]
    if missing:
        return [f"line {number}: missing {', '.join(map(repr, missing))}"]
    name, description = str(row["name"]).strip(), str(row["description"]).strip()
    out = []
    if not _NAME.match(name):
        out.append(f"line {number}: task name {name!r} must be letters, digits, '_', '-', '.'")
    elif name in seen:
        out.append(f"line {number}: duplicate task name {name!r} (first on line {seen[name]})")
    else:
        seen[name] = number
    if not description:
        out.append(f"line {number}: task {name!r} has an empty description")
    brief_len = len(description) + len(str(row.get("interface") or ""))
    if brief_len > MAX_BRIEF_CHARS - 20:
        out.append(
            f"line {number}: task {name!r} description and interface are {brief_len:,} "
            f"characters; the limit is {MAX_BRIEF_CHARS - 20:,} (refused, not truncated: "
            "shorten the brief)"
        )
    tests = str(row.get("acceptance_tests") or "")
    if tests.strip():
        try:
            ast.parse(tests)
        except SyntaxError as exc:
            out.append(f"line {number}: task {name!r} acceptance_tests do not parse ({exc.msg})")
    return out


def load_tasks(path: Path) -> list[EvalTask]:
    """Every task of ``path``, or :class:`TaskFileError` listing what to fix."""
    path = Path(path)
    if not path.is_file():
        raise TaskFileError(f"task file {path} does not exist")
    rows = _rows(path)
    problems: list[str] = []
    seen: dict[str, int] = {}
    tasks = []
    for number, row in rows:
        found = _problems(number, row, seen)
        problems += found
        if not found:
            clean = {k: str(row.get(k) or "") for k in EvalTask.model_fields if k != "line"}
            tasks.append(EvalTask(**{**clean, "name": clean["name"].strip()}, line=number))
    if problems:
        shown = problems[:_MAX_REPORTED]
        more = len(problems) - len(shown)
        tail = f"\n  ... and {more} more" if more else ""
        raise TaskFileError(f"{path}: {len(problems)} problem(s):\n  " + "\n  ".join(shown) + tail)
    if not tasks:
        raise TaskFileError(f"{path} holds no tasks")
    return tasks
