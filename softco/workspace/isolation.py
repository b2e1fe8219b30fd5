"""The OS-level fences around generated code: namespaces, rlimits, cgroup, env.

Each fence is probed once per process and cached, and each degrades to a
visible warning rather than an error: a laptop without user namespaces can
still run tests, it just says so in the result.

Why several fences for processes: ``RLIMIT_NPROC`` does not apply to root, so
softco also puts the run into a pids cgroup when it can, watches the process
count, and runs it in its own PID namespace so killing one process ends all.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import resource
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

from softco.config import SandboxSettings

_PASS_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TERM", "SYSTEMROOT")
_SECRET_RE = re.compile(
    r"(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH|COOKIE|SESSION)", re.IGNORECASE
)
_CGROUP_BASES = (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup"))


def is_secret_name(name: str) -> bool:
    """Names that look like they hold credentials never reach generated code."""
    return bool(_SECRET_RE.search(name))


def scrubbed_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A fresh environment: an allowlist from ours, then a throwaway HOME and TMPDIR.

    Built from an allowlist (not by deleting known secrets) so a credential in
    an unexpected variable cannot leak; ``extra`` is filtered the same way.
    """
    env = {k: os.environ[k] for k in _PASS_ENV if k in os.environ}
    env.setdefault("PATH", os.defpath)
    tmp = home / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        TMPDIR=str(tmp),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONNOUSERSITE="1",
        PYTHONUNBUFFERED="1",
        PIP_NO_INPUT="1",
    )
    for key, value in (extra or {}).items():
        if not is_secret_name(key):
            env[key] = value
    return env


def _probe(argv: list[str]) -> bool:
    try:
        proc = subprocess.run(argv, capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0


@functools.cache
def can_isolate_network() -> bool:
    """Whether ``unshare -rn`` (a new user + network namespace) works here."""
    unshare = shutil.which("unshare")
    return bool(unshare) and _probe([unshare or "unshare", "-rn", "true"])


@functools.cache
def can_isolate_pids() -> bool:
    """Whether ``unshare -r --pid --fork --kill-child`` works here."""
    unshare = shutil.which("unshare")
    return bool(unshare) and _probe(
        [unshare or "unshare", "-r", "--pid", "--fork", "--kill-child", "true"]
    )


# Where credentials usually live. Generated code runs with a temporary $HOME,
# but as the same OS user it could still open these by absolute path; inside
# a private mount namespace each one is covered by an empty tmpfs (or
# /dev/null for a file) before the code starts.
SECRET_NAMES = (
    ".ssh",
    ".aws",
    ".gnupg",
    ".config",
    ".netrc",
    ".git-credentials",
    ".docker",
    ".kube",
    ".pypirc",
    ".softco",
    ".azure",
    ".gcloud",
)


@functools.cache
def can_hide_paths() -> bool:
    """Whether ``unshare -rm`` may mount over paths (a private mount namespace)."""
    unshare = shutil.which("unshare")
    return bool(unshare) and _probe(
        [unshare or "unshare", "-rm", "sh", "-c", "mount -t tmpfs none /tmp && true"]
    )


def secret_paths(homes: list[Path] | None = None) -> list[Path]:
    """Existing credential paths under the user's real home and ``/root``."""
    roots = homes if homes is not None else [Path.home(), Path("/root")]
    found: list[Path] = []
    for root in dict.fromkeys(roots):
        for name in SECRET_NAMES:
            path = root / name
            try:
                if path.exists() and path not in found:
                    found.append(path)
            except OSError:
                continue
    return found


def hide_script(paths: list[Path]) -> str:
    """A POSIX sh prelude that covers ``paths`` and then execs the real command."""
    lines = []
    for path in paths:
        quoted = "'" + str(path).replace("'", "'\\''") + "'"
        if path.is_dir():
            lines.append(f"mount -t tmpfs -o size=1m,mode=700 none {quoted} || exit 97")
        else:
            lines.append(f"mount --bind /dev/null {quoted} || exit 97")
    return "\n".join([*lines, 'exec "$@"'])


def namespace_prefix(network: bool) -> tuple[list[str], bool, list[str]]:
    """``(argv prefix, network isolated, warnings)`` for one run.

    ``network`` is whether generated code may use the network.
    """
    warnings: list[str] = []
    flags: list[str] = []
    isolated = False
    if not network:
        if can_isolate_network():
            flags.append("-n")
            isolated = True
        else:
            warnings.append(
                "network isolation unavailable (unshare -rn failed); generated code can reach "
                "the network"
            )
    if can_isolate_pids():
        flags += ["--pid", "--fork", "--kill-child"]
    else:
        warnings.append("PID namespace unavailable; stray processes are killed by session")
    hide: list[str] = []
    secrets = secret_paths()
    if secrets and can_hide_paths():
        flags.append("-m")
        hide = ["sh", "-c", hide_script(secrets), "softco-sandbox"]
    elif secrets:
        warnings.append("mount namespace unavailable: credential files are not hidden")
    if not flags:
        return [], isolated, warnings
    return [shutil.which("unshare") or "unshare", "-r", *flags, *hide], isolated, warnings


class PidsCgroup:
    """A throwaway pids cgroup (v1 or v2) that caps processes even for root."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def create(cls, max_procs: int) -> PidsCgroup | None:
        """A new cgroup with ``pids.max`` set, or None where cgroups are not writable."""
        for base in _CGROUP_BASES:
            if base == Path("/sys/fs/cgroup") and not _v2_has_pids(base):
                continue
            path = base / f"softco-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            try:
                path.mkdir()
            except OSError:
                continue
            try:
                (path / "pids.max").write_text(str(max_procs))
            except OSError:
                _rmdir(path)
                continue
            return cls(path)
        return None

    def join_self(self) -> None:
        """Move the calling process in; runs in the child before exec."""
        fd = os.open(self.path / "cgroup.procs", os.O_WRONLY)
        try:
            os.write(fd, b"0")
        finally:
            os.close(fd)

    def pids(self) -> list[int]:
        try:
            text = (self.path / "cgroup.procs").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def limit_hits(self) -> int:
        """How many forks the cgroup refused (``pids.events`` max counter)."""
        try:
            for line in (self.path / "pids.events").read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "max":
                    return int(value)
        except (OSError, ValueError):
            pass
        return 0

    def remove(self) -> None:
        """Kill whatever is left inside and delete the cgroup."""
        for _ in range(50):
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                kill_pid(pid)
            time.sleep(0.02)
        _rmdir(self.path)


def _v2_has_pids(base: Path) -> bool:
    try:
        return "pids" in (base / "cgroup.subtree_control").read_text().split()
    except OSError:
        return False


def _rmdir(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.rmdir()


def kill_pid(pid: int) -> None:
    """SIGKILL ``pid`` if it still exists."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)


def session_pids(sid: int) -> list[int]:
    """Processes whose session id is ``sid`` (the sandbox is its own session)."""
    found = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 3 and int(fields[3]) == sid:
            found.append(int(entry))
    return found


def _user_process_count() -> int:
    uid = str(os.getuid())
    count = 0
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return 0
    for entry in entries:
        try:
            with open(f"/proc/{entry}/status") as fh:
                for line in fh:
                    if line.startswith("Uid:"):
                        count += line.split()[1] == uid
                        break
        except OSError:
            continue
    return count


def make_preexec(settings: SandboxSettings, cgroup: PidsCgroup | None) -> Callable[[], None]:
    """The child-side setup: join the cgroup, then lower every rlimit.

    ``RLIMIT_NPROC`` counts all of the user's processes, so it is set to what
    the user already runs plus the sandbox's allowance (computed here, in the
    parent, because the child must not scan /proc after fork).
    """
    mb = 1024 * 1024
    nproc = _user_process_count() + settings.max_procs
    limits = [
        (resource.RLIMIT_CPU, settings.cpu_s, settings.cpu_s + 1),
        (resource.RLIMIT_AS, settings.memory_mb * mb, settings.memory_mb * mb),
        (resource.RLIMIT_FSIZE, settings.file_size_mb * mb, settings.file_size_mb * mb),
        (resource.RLIMIT_NPROC, nproc, nproc),
        (resource.RLIMIT_CORE, 0, 0),
    ]

    def preexec() -> None:
        if cgroup is not None:
            cgroup.join_self()
        for which, soft, hard in limits:
            _, old_hard = resource.getrlimit(which)
            if old_hard != resource.RLIM_INFINITY:
                soft, hard = min(soft, old_hard), min(hard, old_hard)
            resource.setrlimit(which, (soft, hard))

    return preexec
