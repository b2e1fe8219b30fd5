"""Ordinary sandboxed runs: JUnit parsing, collection errors, entrypoint smoke runs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from softco.config import SandboxSettings
from softco.errors import UnsafePath, WorkspaceError
from softco.workspace import SandboxResult, Workspace
from softco.workspace.junit import parse_junit

LIMITS = SandboxSettings(timeout_s=20, cpu_s=20, memory_mb=512, max_procs=16, output_kb=16)

MIXED = """
import pytest

@pytest.fixture
def broken():
    raise RuntimeError("fixture exploded")

def test_passes():
    assert 1 + 1 == 2

def test_fails():
    assert "expected" == "actual"

def test_errors(broken):
    pass

@pytest.mark.skip(reason="not today")
def test_skipped():
    pass

class TestGroup:
    def test_in_class(self):
        assert True
"""


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "repo", LIMITS)


def test_outcomes_are_parsed_from_junit(ws: Workspace) -> None:
    ws.write("tests/test_mixed.py", MIXED)
    result = ws.run_tests()
    assert (result.passed, result.failed, result.errors, result.skipped) == (2, 1, 1, 1)
    assert result.total == 5
    outcomes = {c.name.rsplit("::", 1)[-1]: c for c in result.cases}
    assert outcomes["test_fails"].outcome == "failed"
    assert "actual" in outcomes["test_fails"].message
    assert outcomes["test_errors"].outcome == "error"
    assert "fixture exploded" in outcomes["test_errors"].message
    assert outcomes["test_skipped"].outcome == "skipped"
    assert "not today" in outcomes["test_skipped"].message
    assert outcomes["test_in_class"].name == "tests.test_mixed.TestGroup::test_in_class"
    assert {c.file for c in result.cases} == {"tests/test_mixed.py"}
    assert result.exit_code == 1
    assert not result.ok
    assert result.summary().startswith("2 passed, 1 failed, 1 errors, 1 skipped")


def test_all_passing_is_ok_and_leaves_no_droppings(ws: Workspace) -> None:
    ws.write("calc/__init__.py", "def add(a, b):\n    return a + b\n")
    ws.write(
        "tests/test_calc.py", "from calc import add\n\ndef test_add():\n    assert add(2, 3) == 5\n"
    )
    result = ws.run_tests()
    assert result.ok, result.model_dump()
    assert result.exit_code == 0
    assert ws.list_files() == ["calc/__init__.py", "tests/test_calc.py"]
    assert not any(p.name in {"__pycache__", ".pytest_cache"} for p in ws.root.rglob("*"))


def test_long_failure_messages_are_trimmed(ws: Workspace) -> None:
    ws.write("tests/test_long.py", "def test_long():\n    assert 'a' * 20000 == 'b'\n")
    case = ws.run_tests().cases[0]
    assert case.outcome == "failed"
    assert len(case.message) <= 1600
    assert "trimmed" in case.message


def test_syntax_error_is_a_collection_error(ws: Workspace) -> None:
    ws.write("tests/test_ok.py", "def test_ok():\n    pass\n")
    ws.write("tests/test_broken.py", "def test_broken(:\n    pass\n")
    result = ws.run_tests()
    assert result.collection_error is not None
    assert "SyntaxError" in result.collection_error
    assert "test_broken" in result.collection_error
    assert not result.ok
    assert result.summary().startswith("tests could not be collected")


def test_no_tests_collected_is_an_outcome_not_a_crash(ws: Workspace) -> None:
    ws.write("app/main.py", "print('hi')\n")
    result = ws.run_tests()
    assert result.exit_code == 5
    assert result.no_tests_collected
    assert result.collection_error is None
    assert result.summary() == "no tests were collected"
    assert not result.ok


def test_selected_paths_only(ws: Workspace) -> None:
    ws.write("tests/test_a.py", "def test_a():\n    pass\n")
    ws.write("tests/test_b.py", "def test_b():\n    assert False\n")
    result = ws.run_tests(paths=["tests/test_a.py"])
    assert (result.passed, result.total) == (1, 1)
    result = ws.run_tests(paths=["tests/test_b.py::test_b"])
    assert (result.failed, result.total) == (1, 1)
    with pytest.raises(UnsafePath):
        ws.run_tests(paths=["--rootdir=/"])
    with pytest.raises(UnsafePath):
        ws.run_tests(paths=["../outside.py"])


def test_enclosing_pytest_config_and_conftest_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\naddopts = --no-such-option\n")
    (tmp_path / "conftest.py").write_text("raise SystemExit('parent conftest loaded')\n")
    ws = Workspace(tmp_path / "repo", LIMITS)
    ws.write("tests/test_a.py", "def test_a():\n    pass\n")
    assert ws.run_tests().ok


def test_repo_own_pytest_config_is_used(ws: Workspace) -> None:
    ws.write("pytest.ini", "[pytest]\nmarkers =\n    slow: slow tests\naddopts = -m 'not slow'\n")
    ws.write(
        "tests/test_m.py",
        "import pytest\n\n@pytest.mark.slow\ndef test_slow():\n    assert False\n\n"
        "def test_fast():\n    pass\n",
    )
    result = ws.run_tests()
    assert (result.passed, result.failed) == (1, 0)


def test_missing_report_is_explained() -> None:
    run = SandboxResult(exit_code=3, stderr="INTERNALERROR> boom")
    result = parse_junit(Path("/nonexistent/junit.xml"), run)
    assert result.collection_error and "INTERNALERROR" in result.collection_error
    assert not result.ok


# -- entrypoint ----------------------------------------------------------------


def test_entrypoint_module_with_args_and_stdin(ws: Workspace) -> None:
    ws.write("app/__init__.py", "")
    ws.write(
        "app/__main__.py",
        textwrap.dedent(
            """
            import sys
            name = sys.stdin.read().strip()
            print(f"hello {name} {sys.argv[1:]}")
            """
        ),
    )
    result = ws.run_entrypoint("app", args=["--loud"], stdin="ada\n")
    assert result.exit_code == 0
    assert result.stdout.strip() == "hello ada ['--loud']"
    assert not result.traceback and not result.timed_out


def test_entrypoint_traceback_is_flagged(ws: Workspace) -> None:
    ws.write("main.py", "def run():\n    raise ValueError('bad config')\n\nrun()\n")
    result = ws.run_entrypoint("main.py")
    assert result.exit_code == 1
    assert result.traceback
    assert "ValueError: bad config" in result.stderr


def test_entrypoint_timeout(ws: Workspace) -> None:
    ws.write("serve.py", "import time\nwhile True:\n    time.sleep(0.1)\n")
    result = ws.run_entrypoint("serve.py", timeout_s=1)
    assert result.timed_out
    assert result.killed_reason and "timeout" in result.killed_reason
    assert result.duration_s < 4


def test_entrypoint_names_are_checked(ws: Workspace) -> None:
    with pytest.raises(UnsafePath):
        ws.run_entrypoint("-c")
    with pytest.raises(UnsafePath):
        ws.run_entrypoint("../x.py")
    with pytest.raises(WorkspaceError, match="does not exist"):
        ws.run_entrypoint("app/missing.py")
