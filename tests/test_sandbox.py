"""Adversarial generated code: every escape attempt is stopped and reported.

Each case writes a generated test (or app) into a fresh workspace and runs it
for real in the sandbox, with small limits so the whole file stays fast.
"""

from __future__ import annotations

import os
import socket
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from softco.config import SandboxSettings
from softco.workspace import Workspace, isolation
from softco.workspace.isolation import PidsCgroup

LIMITS = SandboxSettings(
    timeout_s=20, cpu_s=20, memory_mb=512, file_size_mb=5, max_procs=16, output_kb=16
)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "repo", LIMITS)


def _add_test(ws: Workspace, body: str, name: str = "tests/test_gen.py") -> None:
    ws.write(name, textwrap.dedent(body))


def _processes_with(marker: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if marker.encode() in cmdline:
                found.append(int(entry))
    return found


def test_fork_bomb_is_bounded_and_reported(ws: Workspace) -> None:
    _add_test(
        ws,
        """
        import os, time

        def test_fork_forever():
            for _ in range(3000):
                if os.fork() == 0:
                    time.sleep(30)
                    os._exit(0)
        """,
    )
    started = time.monotonic()
    result = ws.run_tests(timeout_s=10)
    assert time.monotonic() - started < 10
    assert not result.ok
    stopped = result.failed == 1 or result.killed_reason is not None
    assert stopped, result.model_dump()
    assert any("process limit" in w for w in result.warnings) or result.killed_reason


def test_fork_bomb_without_cgroup_is_killed_by_the_watcher(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PidsCgroup, "create", classmethod(lambda cls, n: None))
    marker = f"softco-bomb-{uuid.uuid4().hex}"
    _add_test(
        ws,
        f"""
        import os, time

        def test_fork_forever():
            for _ in range(3000):
                if os.fork() == 0:
                    os.execlp("sleep", "sleep", "30", "{marker}")
        """,
    )
    result = ws.run_tests(timeout_s=10)
    assert result.killed_reason and "process limit" in result.killed_reason
    assert not result.ok
    time.sleep(0.2)
    assert _processes_with(marker) == []


def test_ten_gigabytes_is_a_memory_error(ws: Workspace) -> None:
    _add_test(
        ws,
        """
        def test_allocate():
            block = bytearray(10 * 1024 ** 3)
            assert len(block)
        """,
    )
    result = ws.run_tests(timeout_s=10)
    assert (result.failed, result.passed) == (1, 0)
    assert "MemoryError" in result.cases[0].message


def test_network_is_unreachable(ws: Workspace) -> None:
    if not isolation.can_isolate_network():
        pytest.skip("this machine cannot create a network namespace")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    _add_test(
        ws,
        f"""
        import socket

        def test_local_port():
            socket.create_connection(("127.0.0.1", {port}), timeout=2).close()

        def test_internet():
            socket.create_connection(("1.1.1.1", 53), timeout=2).close()
        """,
    )
    result = ws.run_tests(timeout_s=10)
    listener_accepted = True
    try:
        listener.accept()
    except BlockingIOError:
        listener_accepted = False
    finally:
        listener.close()
    assert not listener_accepted
    assert (result.failed, result.passed) == (2, 0), result.model_dump()
    assert result.network_isolated
    assert result.warnings == []


def test_home_and_secrets_are_not_visible(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text("FAKE-PRIVATE-KEY")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-fake-leak")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp-fake-leak")
    monkeypatch.setenv("DB_PASSWORD", "pw-fake-leak")
    _add_test(
        ws,
        f"""
        import os
        from pathlib import Path

        def test_steal():
            leaked = {{k: v for k, v in os.environ.items() if "fake-leak" in v}}
            print("LEAKED", leaked)
            assert not leaked
            assert os.environ["HOME"] != {str(home)!r}
            assert not Path("~/.ssh/id_rsa").expanduser().exists()
            Path("~/marker").expanduser().write_text("x")
            Path("home.txt").write_text(os.environ["HOME"])
        """,
    )
    result = ws.run_tests(timeout_s=10)
    assert (result.passed, result.failed) == (1, 0), result.model_dump()
    assert "FAKE-PRIVATE-KEY" not in result.raw_tail
    sandbox_home = Path(ws.read("home.txt"))
    assert not sandbox_home.exists()
    assert not (home / "marker").exists()


@pytest.mark.skipif(not isolation.can_hide_paths(), reason="no mount namespace here")
def test_credentials_are_hidden_even_by_absolute_path(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "realhome"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text("FAKE-PRIVATE-KEY")
    (home / ".netrc").write_text("machine x password FAKE-NETRC")
    monkeypatch.setenv("HOME", str(home))
    _add_test(
        ws,
        f"""
        from pathlib import Path

        def test_steal_by_absolute_path():
            ssh = Path({str(home / ".ssh")!r})
            assert list(ssh.iterdir()) == []
            assert Path({str(home / ".netrc")!r}).read_text() == ""
        """,
    )
    result = ws.run_tests(timeout_s=10)
    assert (result.passed, result.failed) == (1, 0), result.model_dump()
    assert (home / ".ssh" / "id_rsa").read_text() == "FAKE-PRIVATE-KEY"  # untouched outside


def test_infinite_loop_times_out(ws: Workspace) -> None:
    _add_test(
        ws,
        """
        def test_spin():
            while True:
                pass
        """,
    )
    started = time.monotonic()
    result = ws.run_tests(timeout_s=2)
    assert time.monotonic() - started < 2 + 4
    assert result.timed_out
    assert not result.ok
    assert "timed out" in result.summary()


def test_timeout_kills_escaped_background_processes(ws: Workspace) -> None:
    marker = f"softco-bg-{uuid.uuid4().hex}"
    _add_test(
        ws,
        f"""
        import subprocess

        def test_daemon():
            subprocess.Popen(["sleep", "60", "{marker}"], start_new_session=True)
            while True:
                pass
        """,
    )
    result = ws.run_tests(timeout_s=2)
    assert result.timed_out
    time.sleep(0.2)
    assert _processes_with(marker) == []


def test_huge_file_is_stopped_by_file_size_limit(ws: Workspace) -> None:
    _add_test(
        ws,
        """
        def test_write_200mb():
            chunk = b"x" * (1024 * 1024)
            with open("big.bin", "wb") as fh:
                for _ in range(200):
                    fh.write(chunk)
        """,
    )
    result = ws.run_tests(timeout_s=10)
    assert result.failed == 1, result.model_dump()
    assert "File too large" in result.cases[0].message
    assert (ws.root / "big.bin").stat().st_size <= LIMITS.file_size_mb * 1024 * 1024


def test_flood_of_stdout_is_capped(ws: Workspace) -> None:
    ws.write(
        "app/flood.py",
        "import sys\nfor _ in range(50):\n    sys.stdout.write('y' * 1024 * 1024)\n",
    )
    result = ws.run_entrypoint("app/flood.py", timeout_s=10)
    assert result.exit_code == 0
    assert len(result.stdout) < LIMITS.output_kb * 1024 + 200
    assert "bytes of output dropped" in result.stdout


def test_sandbox_leaves_no_cgroups_behind(ws: Workspace) -> None:
    _add_test(ws, "def test_ok():\n    pass\n")
    assert ws.run_tests(timeout_s=10).passed == 1
    base = Path("/sys/fs/cgroup/pids")
    mine = f"softco-{os.getpid()}-"
    leftovers = list(base.glob(f"{mine}*")) if base.is_dir() else []
    assert leftovers == []


def test_missing_namespaces_are_a_visible_warning(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(isolation, "can_isolate_network", lambda: False)
    monkeypatch.setattr(isolation, "can_isolate_pids", lambda: False)
    _add_test(ws, "def test_ok():\n    pass\n")
    result = ws.run_tests(timeout_s=10)
    assert result.passed == 1
    assert not result.network_isolated
    assert any("network isolation unavailable" in w for w in result.warnings)
    assert any("PID namespace unavailable" in w for w in result.warnings)


def test_network_allowed_by_settings_is_not_isolated(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "repo", LIMITS.model_copy(update={"network": True}))
    _add_test(ws, "def test_ok():\n    pass\n")
    result = ws.run_tests(timeout_s=10)
    assert result.passed == 1
    assert not result.network_isolated
    assert result.warnings == []
