"""The softco TUI: watch a run live, replay a finished one, or start and watch.

The CLI mounts these entry points; call `open_run` first to turn a bad path
into `RunNotFound` (exit code 2) before any screen opens. The TUI reads
``RUN_DIR/events.jsonl`` and ``RUN_DIR/workspace``; its only write is an
approval decision in ``RUN_DIR/decisions/`` (which a run started with a
`softco.approvals.FileApprover` is waiting for).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from softco.tui.app import SoftcoApp
from softco.tui.fold import apply, fold
from softco.tui.messages import RunThreadEnded
from softco.tui.sources import EventSource, LiveSource, ReplaySource, RunDir, open_run
from softco.tui.state import RunView

__all__ = [
    "EventSource",
    "LiveSource",
    "ReplaySource",
    "RunDir",
    "RunView",
    "SoftcoApp",
    "apply",
    "fold",
    "open_run",
    "replay",
    "run_and_watch",
    "watch",
]


def watch(run_dir: Path) -> None:
    """Attach to a running or finished run and follow it until the user quits."""
    SoftcoApp(LiveSource(Path(run_dir))).run()


def replay(run_dir: Path, speed: float = 4.0) -> None:
    """Replay a finished run at ``speed`` times real time (``inf``: at once)."""
    SoftcoApp(ReplaySource(Path(run_dir), speed=speed)).run()


def run_and_watch(run_dir: Path, start_run: Callable[[], None]) -> None:
    """Start a run in a background thread and watch it live.

    ``start_run`` must write its events to ``run_dir`` and answer approval gates
    through decision files (``FileApprover(run_dir)``). Quitting the TUI does
    not stop the run thread (a daemon: it ends with the process, and the run can
    be resumed from its checkpoint). An exception from ``start_run`` is shown
    in the TUI and re-raised here once the TUI closes, so the CLI can map it to
    an exit code.
    """
    failure: list[BaseException] = []

    def target() -> None:
        try:
            start_run()
        except BaseException as exc:  # shown in the UI, re-raised to the caller below
            failure.append(exc)
            app.post_message(RunThreadEnded(error=f"{type(exc).__name__}: {exc}"))
            return
        app.post_message(RunThreadEnded())

    thread = threading.Thread(target=target, name="softco-run", daemon=True)
    # Started from on_mount, so the app is ready for the thread's messages.
    app = SoftcoApp(LiveSource(Path(run_dir), wait_for_run=True), on_ready=thread.start)
    app.run()
    if failure:
        raise failure[0]
