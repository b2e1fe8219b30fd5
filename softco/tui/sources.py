"""Where the TUI's events come from: a live run's log, or a finished one replayed.

Sources are plain, thread-safe iterators: the app pulls from one in a thread
worker, and key bindings call the replay controls (pause, step, speed) from the
UI thread. A source never raises for bad lines; it counts them in ``problems``.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from softco.errors import RunNotFound
from softco.events import EVENTS_FILE, follow_events, read_events

Stop = Callable[[], bool]
MIN_SPEED, MAX_SPEED = 0.25, 1024.0


@dataclass(frozen=True)
class RunDir:
    """A run directory known to hold an event log (what `open_run` returns)."""

    path: Path
    events_path: Path
    finished: bool


def open_run(path: Path | str) -> RunDir:
    """Check ``path`` is a softco run before any UI starts.

    Raises `RunNotFound` with a message naming the problem, so the CLI can exit
    with a clear line instead of opening a screen that has nothing to show.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise RunNotFound(f"{path} does not exist: pass the run directory a run printed")
    if not path.is_dir():
        raise RunNotFound(f"{path} is not a directory: pass the run directory, not a file")
    events_path = path / EVENTS_FILE
    if not events_path.exists():
        raise RunNotFound(f"{path} holds no {EVENTS_FILE}: is this a softco run directory?")
    with events_path.open("rb") as fh:
        fh.seek(max(0, events_path.stat().st_size - 4096))
        finished = b'"run_finished"' in fh.read()
    return RunDir(path=path, events_path=events_path, finished=finished)


class EventSource(Protocol):
    """What the app reads. ``live`` sources may have approvals answered."""

    run_dir: Path
    live: bool
    problems: list[str]

    def check(self) -> None:
        """Raise `RunNotFound` when there is nothing to read."""

    def events(self, stop: Stop) -> Iterator[Any]:
        """Yield events until the run ends or ``stop()`` is true."""
        ...


class LiveSource:
    """Tails ``events.jsonl`` of a running (or finished) run.

    ``wait_for_run`` is for a run this process is starting: the directory and
    its log may not exist yet when the UI opens.
    """

    live = True

    def __init__(self, run_dir: Path | str, poll_s: float = 0.2, wait_for_run: bool = False):
        self.run_dir = Path(run_dir)
        self.poll_s = poll_s
        self.wait_for_run = wait_for_run
        self.problems: list[str] = []

    def check(self) -> None:
        if not self.wait_for_run:
            open_run(self.run_dir)

    def events(self, stop: Stop) -> Iterator[Any]:
        yield from follow_events(self.run_dir / EVENTS_FILE, stop, self.poll_s, self.problems)


class ReplaySource:
    """Replays a finished log at ``speed`` times real time.

    Gaps between events are capped at ``max_gap_s`` (in run time) so a replay
    never sits still for a minute while a model was thinking. ``speed=inf``
    replays as fast as the UI can take it (tests, snapshots).
    """

    live = False

    def __init__(
        self,
        run_dir: Path | str,
        speed: float = 4.0,
        max_gap_s: float = 2.0,
        paused: bool = False,
    ):
        self.run_dir = Path(run_dir)
        self.speed = speed if math.isinf(speed) else _clamp(speed)
        self.max_gap_s = max_gap_s
        self.problems: list[str] = []
        self.position = 0
        self.total = 0
        self._paused = paused
        self._steps = 0
        self._cond = threading.Condition()

    @property
    def paused(self) -> bool:
        return self._paused

    def check(self) -> None:
        open_run(self.run_dir)

    def toggle_pause(self) -> bool:
        with self._cond:
            self._paused = not self._paused
            self._cond.notify_all()
            return self._paused

    def step(self) -> None:
        """Release exactly one event; stepping pauses a playing replay first."""
        with self._cond:
            self._paused = True
            self._steps += 1
            self._cond.notify_all()

    def faster(self) -> float:
        with self._cond:
            if not math.isinf(self.speed):
                self.speed = _clamp(self.speed * 2)
            self._cond.notify_all()
            return self.speed

    def slower(self) -> float:
        with self._cond:
            self.speed = 64.0 if math.isinf(self.speed) else _clamp(self.speed / 2)
            self._cond.notify_all()
            return self.speed

    def events(self, stop: Stop) -> Iterator[Any]:
        events = list(read_events(self.run_dir / EVENTS_FILE, self.problems))
        self.total = len(events)
        prev_ts: float | None = None
        for event in events:
            gap = 0.0 if prev_ts is None else min(max(event.ts - prev_ts, 0.0), self.max_gap_s)
            if not self._wait(gap, stop):
                return
            prev_ts = event.ts
            self.position += 1
            yield event

    def _wait(self, gap: float, stop: Stop) -> bool:
        """Sleep ``gap`` seconds of run time, honouring pause, step and speed changes."""
        with self._cond:
            last = time.monotonic()
            while not stop():
                if self._steps:
                    self._steps -= 1
                    return True
                now = time.monotonic()
                if not self._paused:
                    if math.isinf(self.speed):
                        return True
                    gap -= (now - last) * self.speed
                    if gap <= 0:
                        return True
                last = now
                timeout = 0.1 if self._paused else min(0.1, gap / self.speed)
                self._cond.wait(timeout)
        return False


def _clamp(speed: float) -> float:
    return min(MAX_SPEED, max(MIN_SPEED, speed))
