"""The JSONL event log every run writes, and the readers of it.

Each line of ``events.jsonl`` is one event. Readers tolerate a truncated last
line (a crash mid-write) so a killed run stays readable and resumable.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from softco.errors import EventLogError, RunNotFound
from softco.events.liveness import run_is_live
from softco.events.models import EVENTS_FILE, Notice, parse_event

DEAD_CHECK_S = 1.0

Listener = Callable[[Any], None]


class EventLog:
    """Append-only JSONL writer shared by every node of a run.

    Thread-safe (coders of one generation run concurrently); each line is
    flushed at once so a SIGKILL loses at most the line being written, and
    fsynced at phase boundaries (per-line fsync cost more than the calls). On resume
    the sequence number continues from the last event on disk.
    """

    def __init__(self, run_dir: Path, run_id: str = "") -> None:
        self.path = Path(run_dir) / EVENTS_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.run_id = run_id
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._seq = _last_seq(self.path)
        heal_tail(self.path)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event)`` for every event emitted from now on."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def emit(self, event: Any) -> Any:
        with self._lock:
            self._seq += 1
            event.seq = self._seq
            if not event.run_id:
                event.run_id = self.run_id
            line = event.model_dump_json()
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")
                fh.flush()  # a killed process loses nothing flushed to the OS
                if event.type in ("run_finished", "phase_finished"):
                    os.fsync(fh.fileno())  # a machine crash loses at most one phase
        for listener in list(self._listeners):
            with contextlib.suppress(Exception):  # a broken display must never stop a run
                listener(event)
        return event


def heal_tail(path: Path) -> None:
    """End a log torn by a kill with a newline, so the next append starts a fresh line."""
    try:
        with path.open("rb+") as fh:
            fh.seek(0, os.SEEK_END)
            if fh.tell() == 0:
                return
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) != b"\n":
                fh.write(b"\n")
    except FileNotFoundError:
        return


def _last_seq(path: Path) -> int:
    if not path.exists():
        return 0
    last = 0
    for event in read_events(path):
        last = max(last, event.seq)
    return last


def _events_path(path: Path) -> Path:
    path = Path(path)
    if path.is_dir():
        path = path / EVENTS_FILE
    if not path.exists():
        raise RunNotFound(f"no event log at {path}: is this a softco run directory?")
    return path


def read_events(path: Path, problems: list[str] | None = None) -> Iterator[Any]:
    """Yield every readable event of a finished (or crashed) run.

    Malformed lines are skipped and described in ``problems`` (when given), so
    one bad line never hides the rest of a run.
    """
    path = _events_path(path)
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        raise EventLogError(f"cannot read {path}: {exc}") from exc
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            yield parse_event(data)
        except (ValueError, ValidationError) as exc:
            if problems is not None:
                problems.append(f"line {lineno}: skipped malformed event ({str(exc)[:80]})")


def follow_events(
    path: Path,
    stop: Callable[[], bool] = lambda: False,
    poll_s: float = 0.2,
    problems: list[str] | None = None,
) -> Iterator[Any]:
    """Tail a live run's log, yielding events as they are written.

    Ends when the log has been read to its end and its last run segment
    finished (a resumed run appends a new ``run_started`` after an earlier
    ``run_finished``), when no process holds the run any more although it
    never finished (a crash: a ``Notice`` says so; see ``liveness``), or when
    ``stop()`` is true. A partial last line is held back until its newline
    arrives.
    """
    path = Path(path)
    if path.is_dir():
        path = path / EVENTS_FILE
    buffer = ""
    offset = 0
    lineno = 0
    finished = started = False
    gone = 0  # consecutive idle checks that found no process holding the run
    last_ts = 0.0
    checked = time.monotonic()
    while not stop():
        chunk = b""
        if path.exists():
            with path.open("rb") as fh:
                fh.seek(offset)
                chunk = fh.read()
            offset += len(chunk)
            buffer += chunk.decode("utf-8", errors="replace")
            *lines, buffer = buffer.split("\n")
            for line in lines:
                lineno += 1
                if not line.strip():
                    continue
                try:
                    event = parse_event(json.loads(line))
                except (ValueError, ValidationError) as exc:
                    if problems is not None:
                        problems.append(f"line {lineno}: skipped malformed event ({exc})")
                    continue
                yield event
                last_ts = float(getattr(event, "ts", 0.0) or 0.0)
                kind = getattr(event, "type", "")
                if kind == "run_finished":
                    finished = True
                elif kind == "run_started":
                    finished, started = False, True
            if finished and not chunk and not buffer:
                return
            if chunk or not started or finished:
                gone = 0
            elif time.monotonic() - checked >= DEAD_CHECK_S:
                checked = time.monotonic()
                gone = gone + 1 if run_is_live(path.parent) is False else 0
                if gone >= 2:  # two checks apart: not a process between lock and first write
                    yield Notice(
                        ts=last_ts,  # when the run went silent, not when we noticed
                        level="error",
                        message="the run's process ended without finishing it (crashed or "
                        f"killed): `softco resume {path.parent}` continues it",
                    )
                    return
        time.sleep(poll_s)
