"""Run one command of generated code inside the fences and always come back.

The caller gets a :class:`SandboxResult` whatever the code does: loops forever
(wall-clock timeout, then the whole process tree is killed), forks without end
(pids cgroup, process watcher, PID namespace), floods stdout (capped while it
is drained, so the pipe never blocks), or allocates or writes too much
(rlimits). Only a failure to start the process at all is an exception.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from softco.config import SandboxSettings
from softco.errors import SandboxError
from softco.workspace.isolation import (
    PidsCgroup,
    kill_pid,
    make_preexec,
    namespace_prefix,
    scrubbed_env,
    session_pids,
)
from softco.workspace.results import SandboxResult

_POLL_S = 0.05
_CHUNK = 65536


class _Capture:
    """Drain a pipe on a thread, keeping its head and tail within ``limit`` bytes."""

    def __init__(self, stream: IO[bytes] | None, limit: int) -> None:
        if stream is None:
            raise SandboxError("sandboxed process has no output pipe")
        self.limit = limit
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0
        self._fd = stream.fileno()
        self._thread = threading.Thread(target=self._drain, daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        half = self.limit // 2
        while True:
            try:
                chunk = os.read(self._fd, _CHUNK)
            except OSError:
                return
            if not chunk:
                return
            self.total += len(chunk)
            room = half - len(self.head)
            if room > 0:
                self.head += chunk[:room]
                chunk = chunk[room:]
            if chunk:
                self.tail += chunk
                if len(self.tail) > half:
                    del self.tail[: len(self.tail) - half]

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def text(self) -> str:
        kept = len(self.head) + len(self.tail)
        middle = b""
        if self.total > kept:
            middle = f"\n[... {self.total - kept} bytes of output dropped ...]\n".encode()
        data = bytes(self.head) + middle + bytes(self.tail)
        return data.decode("utf-8", errors="replace")


def _kill_tree(proc: subprocess.Popen[bytes], cgroup: PidsCgroup | None) -> None:
    """SIGKILL the process group, the session and the cgroup: every way it could hide."""
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.kill()
    for pid in session_pids(proc.pid):
        kill_pid(pid)
    for pid in cgroup.pids() if cgroup is not None else []:
        kill_pid(pid)


def _count(proc: subprocess.Popen[bytes], cgroup: PidsCgroup | None) -> int:
    return len(cgroup.pids()) if cgroup is not None else len(session_pids(proc.pid))


def run_sandboxed(
    argv: Sequence[str],
    *,
    cwd: Path,
    settings: SandboxSettings,
    timeout_s: float | None = None,
    stdin: str | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> SandboxResult:
    """Run ``argv`` in ``cwd`` under ``settings``' limits with a throwaway HOME.

    The namespace wrapper (``unshare``) and the pids cgroup are used where the
    OS allows; where it does not, ``warnings`` in the result says what is
    missing. ``timeout_s`` defaults to ``settings.timeout_s``.
    """
    timeout = timeout_s if timeout_s is not None else settings.timeout_s
    prefix, isolated, warnings = namespace_prefix(settings.network)
    home = Path(tempfile.mkdtemp(prefix="softco-home-"))
    cgroup = PidsCgroup.create(settings.max_procs + 2)  # + unshare and its init
    if cgroup is None and os.geteuid() == 0:
        warnings.append("running as root without a pids cgroup: process count is only watched")
    limit = settings.output_kb * 1024
    started = time.monotonic()
    try:
        try:
            proc = subprocess.Popen(
                [*prefix, *argv],
                cwd=cwd,
                env=scrubbed_env(home, extra_env),
                stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
                preexec_fn=make_preexec(settings, cgroup),
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise SandboxError(f"could not start {argv[0]!r} in the sandbox: {exc}") from exc
        out = _Capture(proc.stdout, limit)
        err = _Capture(proc.stderr, limit)
        if stdin is not None:
            threading.Thread(target=_feed, args=(proc, stdin), daemon=True).start()
        timed_out, reason = _watch(proc, cgroup, timeout, settings.max_procs + 2)
        if reason is not None:
            _kill_tree(proc, cgroup)
        proc.wait()
        _kill_tree(proc, cgroup)  # stray background processes outlive a clean exit
        out.join(2.0)
        err.join(2.0)
        if cgroup is not None and cgroup.limit_hits():
            warnings.append(f"process limit reached: {cgroup.limit_hits()} forks refused")
        return SandboxResult(
            exit_code=proc.returncode,
            timed_out=timed_out,
            stdout=out.text(),
            stderr=err.text(),
            duration_s=round(time.monotonic() - started, 3),
            killed_reason=reason,
            network_isolated=isolated,
            warnings=warnings,
        )
    finally:
        if cgroup is not None:
            cgroup.remove()
        shutil.rmtree(home, ignore_errors=True)


def _watch(
    proc: subprocess.Popen[bytes], cgroup: PidsCgroup | None, timeout: float, max_procs: int
) -> tuple[bool, str | None]:
    """Wait for exit; return ``(timed_out, kill reason)`` if a limit was crossed first."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            proc.wait(timeout=_POLL_S)
            return False, None
        except subprocess.TimeoutExpired:
            pass
        if time.monotonic() >= deadline:
            return True, f"wall-clock timeout after {timeout:g}s"
        count = _count(proc, cgroup)
        if count > max_procs:
            return False, f"process limit exceeded ({count} > {max_procs} processes)"


def _feed(proc: subprocess.Popen[bytes], text: str) -> None:
    assert proc.stdin is not None
    try:
        proc.stdin.write(text.encode())
        proc.stdin.close()
    except OSError:
        pass
