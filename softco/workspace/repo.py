"""The repository being built: safe file operations, history and sandboxed runs.

Roles never touch the filesystem directly; they go through a
:class:`Workspace`, which checks every model-chosen path, writes atomically (a
crash never leaves half a file for a resumed run to trust), commits one step at
a time and runs the generated tests and app inside the sandbox.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from softco.config import SandboxSettings
from softco.errors import UnsafePath, WorkspaceError
from softco.workspace.git import Commit, GitRepo
from softco.workspace.junit import parse_junit
from softco.workspace.paths import IGNORED_DIRS, clean_relpath, resolve_inside
from softco.workspace.results import EntrypointResult, TestRunResult
from softco.workspace.sandbox import run_sandboxed

_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_TRACEBACK = "Traceback (most recent call last):"
_PYTEST_SECTION = "[tool.pytest.ini_options]"


_NODE_ID = re.compile(r"^[\w.\[\]:-]+$")


def _test_target(target: str) -> str:
    """A file path, optionally with a ``::node`` id; never an option or outside path."""
    path, sep, node = target.partition("::")
    if sep and not _NODE_ID.match(node):
        raise UnsafePath(f"test id {target!r} has unexpected characters")
    return clean_relpath(path) + sep + node


class ChangeSummary(BaseModel):
    """Files added, modified and deleted between two snapshots."""

    added: list[str] = Field(default_factory=list)
    modified: list[str] = Field(default_factory=list)
    deleted: list[str] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.modified or self.deleted)

    def __str__(self) -> str:
        parts = [
            f"{label} {', '.join(paths)}"
            for label, paths in (("+", self.added), ("~", self.modified), ("-", self.deleted))
            if paths
        ]
        return "; ".join(parts) or "no changes"


def diff_snapshots(before: Mapping[str, str], after: Mapping[str, str]) -> ChangeSummary:
    """Compare two :meth:`Workspace.snapshot` results."""
    return ChangeSummary(
        added=sorted(set(after) - set(before)),
        modified=sorted(p for p in set(after) & set(before) if after[p] != before[p]),
        deleted=sorted(set(before) - set(after)),
    )


class Workspace:
    """A git repository at ``root`` whose generated code runs under ``sandbox``."""

    def __init__(self, root: Path, sandbox: SandboxSettings, python: Path | None = None) -> None:
        self.root = Path(root).resolve()
        self.sandbox = sandbox
        self.python = Path(python) if python else Path(sys.executable)
        self.git = GitRepo(self.root)
        self.git.init()

    # -- files ---------------------------------------------------------------

    def write(self, path: str, text: str) -> str:
        """Write ``text`` to ``path`` atomically; return the normalised relative path."""
        rel, target = resolve_inside(self.root, path)
        if target.is_dir():
            raise UnsafePath(f"path {path!r} is a directory")
        self._make_parents(rel)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".softco-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return rel

    def _make_parents(self, rel: str) -> None:
        """Create parent directories one at a time, refusing a symlink at any step."""
        current = self.root
        for part in rel.split("/")[:-1]:
            current = current / part
            if current.is_symlink():
                raise UnsafePath(f"path {rel!r} passes through a symlink ({part!r})")
            if current.exists() and not current.is_dir():
                raise UnsafePath(f"path {rel!r}: {part!r} is a file, not a directory")
            # exist_ok: coders of one generation create the same folder concurrently
            current.mkdir(exist_ok=True)
            if current.is_symlink() or not current.is_dir():
                raise UnsafePath(f"path {rel!r}: {part!r} is not a directory")

    def read(self, path: str) -> str:
        """The text of ``path``; WorkspaceError if it does not exist."""
        _, target = resolve_inside(self.root, path)
        try:
            return target.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise WorkspaceError(f"{path!r} does not exist in the workspace") from None
        except (IsADirectoryError, UnicodeDecodeError) as exc:
            raise WorkspaceError(f"{path!r} is not a text file: {exc}") from None

    def exists(self, path: str) -> bool:
        _, target = resolve_inside(self.root, path)
        return target.is_file()

    def delete(self, path: str) -> bool:
        """Remove a file; return False when it was not there."""
        _, target = resolve_inside(self.root, path)
        if target.is_dir():
            raise UnsafePath(f"path {path!r} is a directory; delete files one by one")
        try:
            target.unlink()
        except FileNotFoundError:
            return False
        return True

    def list_files(self) -> list[str]:
        """Relative POSIX paths of regular files, without VCS, caches, hidden files or links."""
        found: list[str] = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(
                d
                for d in dirnames
                if d not in IGNORED_DIRS
                and not d.startswith(".")
                and not os.path.islink(os.path.join(dirpath, d))
            )
            base = Path(dirpath).relative_to(self.root)
            for name in filenames:
                full = os.path.join(dirpath, name)
                if name.startswith(".") or name.endswith(".pyc") or os.path.islink(full):
                    continue
                found.append((base / name).as_posix())
        return sorted(found)

    def snapshot(self) -> dict[str, str]:
        """``{path: sha256}`` of every listed file, for resume and no-duplicate checks."""
        return {
            rel: hashlib.sha256((self.root / rel).read_bytes()).hexdigest()
            for rel in self.list_files()
        }

    def diff_summary(self, before: Mapping[str, str]) -> ChangeSummary:
        """What changed on disk since the ``before`` snapshot."""
        return diff_snapshots(before, self.snapshot())

    # -- history -------------------------------------------------------------

    def commit(self, message: str, role: str, phase: str) -> str | None:
        """One commit per step; None (not an error) when nothing changed."""
        return self.git.commit(message, role, phase)

    def history(self) -> list[Commit]:
        return self.git.log()

    # -- sandboxed runs ------------------------------------------------------

    def run_tests(
        self, paths: Sequence[str] | None = None, timeout_s: float | None = None
    ) -> TestRunResult:
        """Run pytest on ``paths`` (default: the whole repo) in the sandbox."""
        targets = [_test_target(p) for p in paths or []]
        scratch = Path(tempfile.mkdtemp(prefix="softco-pytest-"))
        try:
            xml = scratch / "junit.xml"
            argv = [str(self.python), "-m", "pytest", "-p", "no:cacheprovider", "-q"]
            argv += [f"--junitxml={xml}", "-o", "junit_family=xunit1"]
            argv += [f"--rootdir={self.root}", f"--confcutdir={self.root}"]
            argv += ["-c", str(self._pytest_config(scratch))]
            env = {"PYTHONPATH": str(self.root)}
            if self.python == Path(sys.executable):
                # softco's own venv carries plugins (langsmith, textual snapshots) that cost
                # seconds per run and may phone home; generated tests get pytest-asyncio only.
                env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
                if importlib.util.find_spec("pytest_asyncio") is not None:
                    argv += ["-p", "pytest_asyncio.plugin"]
                    argv += ["-o", "asyncio_default_fixture_loop_scope=function"]
            run = run_sandboxed(
                [*argv, *targets],
                cwd=self.root,
                settings=self.sandbox,
                timeout_s=timeout_s,
                extra_env=env,
            )
            return parse_junit(xml, run)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _pytest_config(self, scratch: Path) -> Path:
        """The repo's own pytest config, else an empty one so pytest never walks up."""
        ini = self.root / "pytest.ini"
        if ini.is_file() and not ini.is_symlink():
            return ini
        pyproject = self.root / "pyproject.toml"
        if (
            pyproject.is_file()
            and not pyproject.is_symlink()
            and _PYTEST_SECTION in pyproject.read_text(encoding="utf-8", errors="replace")
        ):
            return pyproject
        empty = scratch / "pytest.ini"
        empty.write_text("[pytest]\n", encoding="utf-8")
        return empty

    def run_entrypoint(
        self,
        module_or_path: str,
        args: Sequence[str] = (),
        stdin: str | None = None,
        timeout_s: float | None = None,
    ) -> EntrypointResult:
        """Smoke-run the app: ``pkg.main`` as ``python -m``, ``app/main.py`` as a script."""
        if module_or_path.endswith(".py") or "/" in module_or_path:
            rel, target = resolve_inside(self.root, module_or_path)
            if not target.is_file():
                raise WorkspaceError(f"entrypoint {module_or_path!r} does not exist")
            argv = [str(self.python), rel]
        elif _MODULE.match(module_or_path):
            argv = [str(self.python), "-m", module_or_path]
        else:
            raise UnsafePath(f"entrypoint {module_or_path!r} is neither a module nor a path")
        run = run_sandboxed(
            [*argv, *args],
            cwd=self.root,
            settings=self.sandbox,
            timeout_s=timeout_s,
            stdin=stdin,
            extra_env={"PYTHONPATH": str(self.root)},
        )
        crashed = run.exit_code != 0 and _TRACEBACK in run.stderr
        return EntrypointResult(**run.model_dump(), traceback=crashed)
