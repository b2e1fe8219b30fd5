"""Score one delivered repository, the same way whoever (or whatever) built it.

The pipeline and the single-shot baseline both end as a directory of files;
everything here reads only that directory, so the comparison is fair. Tests,
the entry point, the acceptance tests and the mutants all run in the
workspace sandbox; acceptance tests and mutants run on copies, so scoring
never changes what was delivered.
"""

from __future__ import annotations

import ast
import shutil
import tempfile
from pathlib import Path

from pydantic import BaseModel

from softco.config import SandboxSettings
from softco.eval import metrics
from softco.eval.mutation import kill_rate
from softco.workspace import EntrypointResult, TestRunResult, Workspace

ENTRY_TIMEOUT_S = 10.0
ACCEPTANCE_FILE = "tests/acceptance/test_acceptance.py"


class Scores(BaseModel):
    """Everything measured on one repo; ``None`` means "not applicable", not zero."""

    completeness: float = 0.0
    executability: float = 0.0
    consistency: float = 0.0
    quality: float = 0.0
    tests_passed: int = 0
    tests_total: int = 0
    entrypoint: str | None = None
    entrypoint_ok: bool | None = None
    acceptance_passed: int | None = None
    acceptance_total: int | None = None
    mutants_killed: int | None = None
    mutants_total: int | None = None
    mutation_kill_rate: float | None = None
    files: int = 0
    lines: int = 0


def entry_module(entry_point: str | None) -> str | None:
    """``pkg/cli.py`` runs as ``python -m pkg.cli`` so its package imports resolve."""
    if not entry_point:
        return None
    path = entry_point.strip().removeprefix("./")
    if path.endswith(".py"):
        dotted = path[:-3].replace("/", ".")
        if all(part.isidentifier() for part in dotted.split(".")):
            return dotted.removesuffix(".__main__")
    return path


def entry_ran(result: EntrypointResult) -> bool:
    """No traceback within the timeout. Running out of (empty) stdin is not a crash:
    an interactive game or prompt ends that way when nobody types."""
    if result.timed_out or result.killed_reason:
        return False
    if result.traceback:
        last = result.stderr.strip().splitlines()[-1:] or [""]
        return last[0].startswith(("EOFError", "KeyboardInterrupt"))
    return True


def count_tests(source: str) -> int:
    """Test functions in ``source``: the denominator even when none could be collected
    (a repo missing the promised module fails every acceptance test, not zero of zero)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return 0
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    )


def run_acceptance(root: Path, tests_source: str, sandbox: SandboxSettings) -> TestRunResult:
    """The task's hidden tests, on a copy of ``root`` under ``tests/acceptance/``."""
    scratch = Path(tempfile.mkdtemp(prefix="softco-acceptance-"))
    try:
        copy = scratch / "repo"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".git", "__pycache__"))
        workspace = Workspace(copy, sandbox)
        workspace.write(ACCEPTANCE_FILE, tests_source)
        return workspace.run_tests([ACCEPTANCE_FILE])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def score_repo(
    root: Path,
    description: str,
    sandbox: SandboxSettings,
    *,
    entry_point: str | None = None,
    acceptance_tests: str = "",
    max_mutants: int = 20,
) -> Scores:
    """All metrics for the repo at ``root`` built from ``description``."""
    root = Path(root)
    every = metrics.python_files(root) if root.is_dir() else {}
    sources = {p: s for p, s in every.items() if not metrics.is_test_path(p)}
    scores = Scores(files=len(every), lines=metrics.code_lines(every))
    scores.completeness = metrics.completeness(sources)
    scores.consistency = metrics.consistency(description, sources)
    if not root.is_dir():
        return scores
    workspace = Workspace(root, sandbox)
    tests = workspace.run_tests()
    scores.tests_passed, scores.tests_total = tests.passed, tests.total
    module = entry_module(entry_point)
    if module and ((root / (entry_point or "")).is_file() or "/" not in module):
        scores.entrypoint = module
        scores.entrypoint_ok = entry_ran(
            workspace.run_entrypoint(module, stdin="", timeout_s=ENTRY_TIMEOUT_S)
        )
    elif module:
        scores.entrypoint, scores.entrypoint_ok = entry_point, False
    runs = tests.ok and scores.entrypoint_ok is not False
    scores.executability = 1.0 if runs else 0.0
    scores.quality = metrics.quality(scores.completeness, scores.executability, scores.consistency)
    if acceptance_tests.strip():
        hidden = run_acceptance(root, acceptance_tests, sandbox)
        scores.acceptance_passed = hidden.passed
        scores.acceptance_total = max(hidden.total, count_tests(acceptance_tests))
    if tests.ok and max_mutants > 0:
        budget = min(sandbox.timeout_s, 3 * tests.duration_s + 10)
        mutation = kill_rate(root, sources, sandbox, cap=max_mutants, timeout_s=budget)
        scores.mutants_killed, scores.mutants_total = mutation.killed, mutation.total
        scores.mutation_kill_rate = mutation.kill_rate
    return scores
