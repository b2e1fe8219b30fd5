"""Whether a run's process is still alive: a lock the operating system drops when it dies.

A follower of ``events.jsonl`` (``softco watch``, the TUI, ``Company.events(...,
follow=True)``) cannot tell a quiet run — a 1.5B model thinking for a minute —
from one whose process was killed: both just stop writing. The process that
runs (or resumes) a run holds an exclusive ``flock`` on ``run.lock`` for as
long as it runs; the kernel releases it on any exit, SIGKILL included. The
same lock stops two processes from resuming one run at once. Where ``fcntl``
does not exist (Windows) liveness is unknown and followers wait as before.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from softco.errors import RunBusy

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = "run.lock"


@contextlib.contextmanager
def holding_run(run_dir: Path) -> Iterator[None]:
    """Hold the run's lock for the ``with`` block; `RunBusy` if another process holds it."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    fh = (run_dir / LOCK_FILE).open("a+")
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise RunBusy(
                    f"{run_dir} is being written by another softco process: wait for it to "
                    "finish, or stop it, before running or resuming it here"
                ) from None
            except OSError:
                pass  # a filesystem without locks: the run goes on, its liveness unknown
        yield
    finally:
        if fcntl is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def run_is_live(run_dir: Path) -> bool | None:
    """True while a process holds the run's lock, False when none does, None if unknowable."""
    if fcntl is None:
        return None
    path = Path(run_dir) / LOCK_FILE
    if not path.exists():
        return False
    try:
        fh = path.open("rb")  # read-only: a watcher may not own the run (another user, a mount)
    except OSError:
        return None
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return None
        fcntl.flock(fh, fcntl.LOCK_UN)
    return False
