"""Saving and loading artifacts in a run directory.

Each artifact kind has one model, so a file on disk is always read back as
the type that wrote it, and resume can tell which phases are done by which
files exist. Writes are atomic (temporary file + rename in the same folder):
a watcher, or a resume after SIGKILL, never sees half a document.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from pydantic import BaseModel, ValidationError

from softco.artifacts.agile import Backlog, Retrospective, Sprint, SprintReview
from softco.artifacts.code import TestSuite
from softco.artifacts.debate import DebateTranscript
from softco.artifacts.design import Design
from softco.artifacts.reports import ReviewReport, TestReport
from softco.artifacts.requirements import PRD, Brief
from softco.artifacts.run_report import RunReport
from softco.errors import SoftcoError

ARTIFACTS_DIR = "artifacts"

ARTIFACT_KINDS: dict[str, type[BaseModel]] = {
    "brief": Brief,
    "prd": PRD,
    "debate": DebateTranscript,
    "design": Design,
    "test_suite": TestSuite,
    "test_report": TestReport,
    "review": ReviewReport,
    "backlog": Backlog,
    "sprint": Sprint,
    "sprint_review": SprintReview,
    "retrospective": Retrospective,
    "run_report": RunReport,
}
"""Kind name -> model. The kind names the file: ``artifacts/<kind>.json``."""

_NAME = re.compile(r"[a-z][a-z0-9_]*")


def artifact_path(run_dir: Path, kind: str, name: str | None = None) -> Path:
    """Where an artifact lives; ``name`` (e.g. ``sprint_2``) keeps per-sprint copies apart."""
    if kind not in ARTIFACT_KINDS:
        raise KeyError(f"unknown artifact kind {kind!r}; known: {sorted(ARTIFACT_KINDS)}")
    stem = name or kind
    if not _NAME.fullmatch(stem):
        raise ValueError(f"artifact name {stem!r} must be lower-case letters, digits and '_'")
    return Path(run_dir) / ARTIFACTS_DIR / f"{stem}.json"


def save_artifact(
    run_dir: Path, kind: str, obj: BaseModel | dict[str, object], name: str | None = None
) -> Path:
    """Validate ``obj`` as ``kind`` and write it atomically; returns the file path."""
    target = artifact_path(run_dir, kind, name)
    model = ARTIFACT_KINDS[kind]
    if isinstance(obj, BaseModel) and not isinstance(obj, model):
        raise TypeError(f"a {type(obj).__name__} cannot be saved as kind {kind!r}")
    doc = obj if isinstance(obj, model) else model.model_validate(obj)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(doc.model_dump_json(indent=2))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def load_artifact(run_dir: Path, kind: str, name: str | None = None) -> BaseModel | None:
    """The saved artifact, or ``None`` if it was never written.

    A file that exists but cannot be read as ``kind`` raises :class:`SoftcoError`
    naming the file, rather than silently redoing the phase.
    """
    target = artifact_path(run_dir, kind, name)
    if not target.exists():
        return None
    try:
        return ARTIFACT_KINDS[kind].model_validate(json.loads(target.read_text(encoding="utf-8")))
    except (ValueError, ValidationError) as exc:
        raise SoftcoError(f"artifact {target} is not a valid {kind}: {str(exc)[:300]}") from None
