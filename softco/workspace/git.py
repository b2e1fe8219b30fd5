"""The git history of the repository being built, via the git CLI.

Every call names ``--git-dir`` and ``--work-tree`` explicitly, so git never
walks up into an enclosing repository (softco's own, when runs live inside
it). Global and system configuration are ignored, hooks are disabled, and the
repository's config file is restored before each command: generated code runs
with write access to the worktree and must not be able to make git execute
anything (hooks, ``core.fsmonitor``, filter drivers).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pydantic import BaseModel

from softco.errors import WorkspaceError

AUTHOR_NAME = "softco"
AUTHOR_EMAIL = "softco@localhost"
ROLE_TRAILER = "Softco-Role"
PHASE_TRAILER = "Softco-Phase"
_SAFE_FLAGS = ("-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false")
_SEP = "\x1e"
_IGNORECASE = "\tignorecase = true\n" if sys.platform == "darwin" else ""
CANONICAL_CONFIG = (
    "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n"
    f"\tlogallrefupdates = true\n{_IGNORECASE}"
    f"[user]\n\tname = {AUTHOR_NAME}\n\temail = {AUTHOR_EMAIL}\n"
    "[commit]\n\tgpgsign = false\n"
)
"""The whole repository config: nothing generated code adds to it survives."""


class Commit(BaseModel):
    """One commit of the build history."""

    sha: str
    subject: str
    role: str = ""
    phase: str = ""


def format_message(message: str, role: str, phase: str) -> str:
    """Subject carries role and phase for ``git log --oneline``; trailers for parsing."""
    subject = " ".join(message.split()) or "update"
    return f"[{role}/{phase}] {subject}\n\n{ROLE_TRAILER}: {role}\n{PHASE_TRAILER}: {phase}\n"


class GitRepo:
    """A git repository at ``root/.git``, created on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git_dir = root / ".git"
        self._config: bytes | None = None

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        env.update(
            GIT_CONFIG_NOSYSTEM="1",
            GIT_CONFIG_GLOBAL=os.devnull,
            GIT_TERMINAL_PROMPT="0",
            LC_ALL="C",
        )
        return env

    def _run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        if self._config is not None:
            self._guard()
        cmd = ["git", *_SAFE_FLAGS, f"--git-dir={self.git_dir}", f"--work-tree={self.root}"]
        try:
            return subprocess.run(
                [*cmd, *args],
                cwd=self.root,
                env=self._env(),
                input=stdin,
                capture_output=True,
                text=True,
                timeout=60,
            )
        except FileNotFoundError:
            raise WorkspaceError("git is not installed; install git to record history") from None
        except subprocess.TimeoutExpired:
            raise WorkspaceError(f"git {args[0]} did not finish within 60s") from None

    def _git(self, *args: str, stdin: str | None = None) -> str:
        proc = self._run(*args, stdin=stdin)
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip()
            raise WorkspaceError(f"git {args[0]} failed: {detail}")
        return proc.stdout

    def _guard(self) -> None:
        """Refuse a replaced ``.git`` and undo any edit of its config file."""
        if self.git_dir.is_symlink() or not self.git_dir.is_dir():
            raise WorkspaceError(f"{self.git_dir} is missing or was replaced; history is unsafe")
        config = self.git_dir / "config"
        if config.is_symlink() or not config.is_file() or config.read_bytes() != self._config:
            config.unlink(missing_ok=True)
            config.write_bytes(self._config or b"")

    def init(self) -> None:
        """Create the repository (idempotent) and write its config from scratch.

        The config is rewritten even for an existing repository: a resumed run
        must not trust a config that generated code had a chance to edit.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        if not self.git_dir.exists():
            self._config = None
            self._git("init", "-q")
            self._git("symbolic-ref", "HEAD", "refs/heads/main")
        elif self.git_dir.is_symlink() or not self.git_dir.is_dir():
            raise WorkspaceError(f"{self.git_dir} is not a git directory")
        self._config = CANONICAL_CONFIG.encode()
        self._guard()

    def commit(self, message: str, role: str, phase: str) -> str | None:
        """Stage everything and commit; return the sha, or None when nothing changed."""
        self._git("add", "-A")
        if self._run("diff", "--cached", "--quiet").returncode == 0:
            return None
        text = format_message(message, role, phase)
        self._git("commit", "-q", "--no-verify", "-F", "-", stdin=text)
        return self._git("rev-parse", "HEAD").strip()

    def log(self) -> list[Commit]:
        """Commits oldest first, with role and phase read from the trailers."""
        if self._run("rev-parse", "--verify", "-q", "HEAD").returncode != 0:
            return []
        fmt = f"%H{_SEP}%s{_SEP}%(trailers:key={ROLE_TRAILER},valueonly){_SEP}"
        fmt += f"%(trailers:key={PHASE_TRAILER},valueonly){_SEP}\x1f"
        out = self._git("log", "--reverse", f"--format={fmt}")
        commits = []
        for record in out.split("\x1f"):
            fields = record.strip("\n").split(_SEP)
            if len(fields) < 4 or not fields[0].strip():
                continue
            sha, subject, role, phase = (f.strip() for f in fields[:4])
            commits.append(Commit(sha=sha, subject=subject, role=role, phase=phase))
        return commits
