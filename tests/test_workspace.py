"""Workspace file rules, atomic writes, snapshots and git history (no sandbox runs)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from softco.config import SandboxSettings
from softco.errors import SandboxError, UnsafePath, WorkspaceError
from softco.workspace import Workspace, WorkspaceLike, diff_snapshots, ensure_venv
from softco.workspace.paths import clean_relpath


def _tree(path: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(path)): p.read_bytes()
        for p in path.rglob("*")
        if p.is_file() and ".git" not in p.parts
    }


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "repo", SandboxSettings())


BAD_PATHS = [
    "../../etc/passwd",
    "/etc/passwd",
    "a/../../x",
    "a/..",
    ".git/config",
    ".git/hooks/post-commit",
    ".env",
    "src/.hidden/x.py",
    "a\\b.py",
    "..\\..\\x.py",
    "C:/x.py",
    "",
    "   ",
    "a//b.py",
    "~/x.py",
    "__pycache__/x.pyc",
    "pkg/__pycache__/m.cpython-311.pyc",
    "bad\x00name.py",
    " lead.py",
]


@pytest.mark.parametrize("path", BAD_PATHS)
def test_unsafe_paths_are_refused_and_nothing_is_written(
    ws: Workspace, tmp_path: Path, path: str
) -> None:
    before = _tree(tmp_path)
    config = (ws.root / ".git" / "config").read_bytes()
    with pytest.raises(UnsafePath):
        ws.write(path, "pwned")
    with pytest.raises(UnsafePath):
        ws.read(path)
    with pytest.raises(UnsafePath):
        ws.delete(path)
    assert _tree(tmp_path) == before
    assert (ws.root / ".git" / "config").read_bytes() == config


def test_unsafe_path_is_a_workspace_error() -> None:
    with pytest.raises(WorkspaceError, match="relative"):
        clean_relpath("/etc/passwd")


def test_leading_dot_slash_is_normalised(ws: Workspace) -> None:
    assert ws.write("./pkg/./mod.py", "x = 1\n") == "pkg/mod.py"
    assert ws.read("pkg/mod.py") == "x = 1\n"


def test_symlinked_directory_pointing_outside_is_refused(ws: Workspace, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (ws.root / "link").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePath, match="symlink"):
        ws.write("link/evil.py", "pwned")
    with pytest.raises(UnsafePath, match="symlink"):
        ws.write("link/deeper/evil.py", "pwned")
    assert list(outside.iterdir()) == []


def test_symlinked_file_is_neither_written_nor_read(ws: Workspace, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    (ws.root / "notes.txt").symlink_to(secret)
    with pytest.raises(UnsafePath):
        ws.write("notes.txt", "overwritten")
    with pytest.raises(UnsafePath):
        ws.read("notes.txt")
    assert secret.read_text() == "top secret"
    assert "notes.txt" not in ws.list_files()
    assert "notes.txt" not in ws.snapshot()


def test_write_read_exists_delete(ws: Workspace) -> None:
    assert not ws.exists("app/main.py")
    ws.write("app/main.py", "print('hi')\n")
    assert ws.exists("app/main.py")
    assert ws.read("app/main.py") == "print('hi')\n"
    assert ws.delete("app/main.py") is True
    assert ws.delete("app/main.py") is False
    with pytest.raises(WorkspaceError, match="does not exist"):
        ws.read("app/main.py")


def test_writing_over_a_directory_is_refused(ws: Workspace) -> None:
    ws.write("pkg/mod.py", "")
    with pytest.raises(UnsafePath, match="directory"):
        ws.write("pkg", "x")
    with pytest.raises(UnsafePath, match="not a directory"):
        ws.write("pkg/mod.py/inner.py", "x")


def test_write_is_atomic(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    ws.write("data.txt", "original\n")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        ws.write("data.txt", "half written")
    monkeypatch.undo()
    assert ws.read("data.txt") == "original\n"
    assert [p.name for p in ws.root.iterdir() if p.name != ".git"] == ["data.txt"]


def test_written_files_are_readable_by_others(ws: Workspace) -> None:
    ws.write("a.py", "")
    assert (ws.root / "a.py").stat().st_mode & 0o777 == 0o644


def test_list_files_skips_vcs_caches_and_hidden(ws: Workspace) -> None:
    ws.write("pkg/__init__.py", "")
    ws.write("tests/test_x.py", "")
    (ws.root / "pkg" / "__pycache__").mkdir()
    (ws.root / "pkg" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (ws.root / ".pytest_cache").mkdir()
    (ws.root / ".pytest_cache" / "v").write_text("")
    (ws.root / ".DS_Store").write_text("")
    assert ws.list_files() == ["pkg/__init__.py", "tests/test_x.py"]


def test_snapshot_and_diff_summary(ws: Workspace) -> None:
    ws.write("a.py", "a = 1\n")
    ws.write("b.py", "b = 1\n")
    before = ws.snapshot()
    assert set(before) == {"a.py", "b.py"}
    assert len(before["a.py"]) == 64
    ws.write("a.py", "a = 2\n")
    ws.delete("b.py")
    ws.write("c.py", "")
    changes = ws.diff_summary(before)
    assert (changes.added, changes.modified, changes.deleted) == (["c.py"], ["a.py"], ["b.py"])
    assert str(changes) == "+ c.py; ~ a.py; - b.py"
    assert diff_snapshots(before, before).empty


def test_workspace_satisfies_protocol(ws: Workspace) -> None:
    assert isinstance(ws, WorkspaceLike)


# -- git ---------------------------------------------------------------------


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout


def test_commits_carry_role_and_phase(ws: Workspace) -> None:
    ws.write("prd.md", "# PRD\n")
    first = ws.commit("write the PRD", role="pm", phase="requirements")
    ws.write("app/main.py", "print(1)\n")
    second = ws.commit("implement main", role="coder", phase="code")
    assert first and second and first != second
    log = ws.history()
    assert [(c.role, c.phase) for c in log] == [("pm", "requirements"), ("coder", "code")]
    assert log[0].subject == "[pm/requirements] write the PRD"
    oneline = _git(ws.root, "log", "--format=%s%n%an <%ae>")
    assert "[coder/code] implement main" in oneline
    assert "softco <softco@localhost>" in oneline


def test_commit_with_nothing_staged_is_a_no_op(ws: Workspace) -> None:
    assert ws.commit("nothing yet", role="pm", phase="requirements") is None
    ws.write("a.py", "")
    assert ws.commit("add a", role="coder", phase="code")
    assert ws.commit("again", role="coder", phase="code") is None
    assert len(ws.history()) == 1


def test_reopening_an_existing_workspace_keeps_history(ws: Workspace) -> None:
    ws.write("a.py", "")
    ws.commit("add a", role="coder", phase="code")
    again = Workspace(ws.root, SandboxSettings())
    assert [c.subject for c in again.history()] == ["[coder/code] add a"]


def test_git_config_tampering_and_hooks_do_not_run(ws: Workspace, tmp_path: Path) -> None:
    marker = tmp_path / "hook-ran"
    hook = ws.root / ".git" / "hooks" / "post-commit"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    config = ws.root / ".git" / "config"
    original = config.read_bytes()
    config.write_bytes(original + f"[core]\n\tfsmonitor = touch {marker}\n".encode())
    ws.write("a.py", "")
    assert ws.commit("add a", role="coder", phase="code")
    assert not marker.exists()
    assert config.read_bytes() == original


def test_reopening_discards_a_tampered_config(ws: Workspace, tmp_path: Path) -> None:
    marker = tmp_path / "filter-ran"
    config = ws.root / ".git" / "config"
    config.write_text(config.read_text() + f'[filter "x"]\n\tclean = touch {marker}\n')
    ws.write("attrs.txt", "")
    (ws.root / ".gitattributes").write_text("* filter=x\n")
    again = Workspace(ws.root, SandboxSettings())
    assert again.commit("add", role="coder", phase="code")
    assert not marker.exists()
    assert "filter" not in config.read_text()
    assert _git(ws.root, "symbolic-ref", "HEAD").strip() == "refs/heads/main"


def test_git_never_falls_through_to_an_enclosing_repo(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    ws = Workspace(tmp_path / "runs" / "repo", SandboxSettings())
    ws.write("a.py", "")
    shutil.rmtree(ws.root / ".git")
    with pytest.raises(WorkspaceError, match="missing"):
        ws.commit("add a", role="coder", phase="code")
    assert subprocess.run(["git", "-C", str(tmp_path), "rev-parse", "HEAD"]).returncode != 0


# -- venv --------------------------------------------------------------------


def test_ensure_venv_defaults_to_current_interpreter(tmp_path: Path) -> None:
    assert ensure_venv([], allow_install=True, venv_dir=tmp_path) == Path(sys.executable)
    assert ensure_venv(["requests"], allow_install=False) == Path(sys.executable)
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize(
    "spec", ["--index-url=http://evil", "git+https://x/y.git", "./local", "a; rm -rf /", "-e ."]
)
def test_ensure_venv_refuses_options_urls_and_paths(spec: str) -> None:
    with pytest.raises(SandboxError, match="refusing"):
        ensure_venv([spec], allow_install=False)


def test_ensure_venv_needs_a_run_directory_to_install() -> None:
    with pytest.raises(SandboxError, match="venv_dir"):
        ensure_venv(["requests==2.0"], allow_install=True)
