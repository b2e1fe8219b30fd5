"""Tests agreeing with a bug the earlier programs shared go once a program meets the example."""

from __future__ import annotations

from softco.artifacts import TestCase, TestReport
from softco.config import Settings
from softco.workflows.agreement import evidence
from softco.workflows.miss_agreement import (
    drop_miss_agreeing,
    expects_nothing,
    miss_agreeing,
)

EXAMPLE = "tests.test_logstats_examples::test_errors_per_hour_example_1"
WRONG = "tests.test_logstats::test_errors_per_hour_two_errors"  # expects {}
RIGHT = "tests.test_logstats::test_count_levels_empty"  # every program passes it
OTHER = "tests.test_logstats::test_parse_line_level"  # every program fails it
ALL = [EXAMPLE, WRONG, RIGHT, OTHER]
TESTS = """from logstats import count_levels, errors_per_hour, parse_line


def test_errors_per_hour_two_errors():
    assert errors_per_hour(['2023-10-05 14:30:00 ERROR a', '2023-10-05 14:31:00 ERROR b']) == {}


def test_count_levels_empty():
    assert count_levels([]) == {}


def test_parse_line_level():
    assert parse_line('2023-10-05 14:30:00 INFO a')['level'] == 'INFO'
"""


def report(passed: list[str]) -> TestReport:
    return TestReport(
        cases=[TestCase(name=n, outcome="passed" if n in passed else "failed") for n in ALL]
    )


def missing_programs(n: int = 3, example_answer: str = "{}") -> dict[str, list[list[str]]]:
    """``n`` whole programs that answer nothing to the PM's example and pass the wrong test."""
    return {
        f"p{i}": evidence(
            report([WRONG, RIGHT]),
            None,
            [f"{EXAMPLE}\t{example_answer}", f"{OTHER}\tNone"],
            program=f"# program {i}",
        )
        for i in range(n)
    }


NOW = report([EXAMPLE, RIGHT])  # meets the example; fails WRONG and OTHER


def test_a_test_the_missing_programs_pass_and_the_meeting_one_fails_is_found():
    assert miss_agreeing(missing_programs(), NOW) == {WRONG: EXAMPLE}


def test_no_verdict_without_a_shared_miss_or_a_program_meeting_it():
    assert miss_agreeing(missing_programs(2), NOW) == {}  # two programs are no shared miss
    differently = missing_programs(example_answer="{14: 1}")  # read it, differently
    assert miss_agreeing(differently, NOW) == {}
    assert miss_agreeing(missing_programs(), report([RIGHT])) == {}  # nothing meets it yet


def test_a_program_that_meets_the_example_and_passes_the_test_spares_it():
    history = missing_programs()
    history["good"] = evidence(report([EXAMPLE, WRONG, RIGHT]), None, [], program="# good")
    assert WRONG not in miss_agreeing(history, NOW)


def test_a_test_of_another_function_is_never_judged_by_the_example():
    """The program meeting the example may still have a bug elsewhere, which a right test
    of that other function rightly fails."""
    now = report([EXAMPLE])  # fails RIGHT too: count_levels([]) == {} is right
    assert RIGHT not in miss_agreeing(missing_programs(), now)
    assert not expects_nothing(TESTS, "test_count_levels_empty", "errors_per_hour")
    assert expects_nothing(TESTS, "test_errors_per_hour_two_errors", "errors_per_hour")


def test_only_tests_expecting_nothing_count():
    assert expects_nothing(TESTS, "test_errors_per_hour_two_errors")
    assert expects_nothing(TESTS, "test_count_levels_empty")
    assert not expects_nothing(TESTS, "test_parse_line_level")
    assert expects_nothing("def test_a():\n    assert f('x') is None\n", "test_a")
    assert not expects_nothing("def test_a():\n    assert f('x') == {'a': 1}\n", "test_a")
    assert not expects_nothing("def test_a():\n    assert f('x') == approx(0.5)\n", "test_a")
    assert not expects_nothing("def test_a():\n    assert f('x') == ...\n", "test_a")


class _Workspace:
    def __init__(self, files: dict[str, str]) -> None:
        self.files = dict(files)

    def exists(self, path: str) -> bool:
        return path in self.files

    def read(self, path: str) -> str:
        return self.files[path]

    def write(self, path: str, text: str) -> None:
        self.files[path] = text

    def delete(self, path: str) -> None:
        self.files.pop(path, None)


class _Runtime:
    def __init__(self, guard: bool = True) -> None:
        self.settings = Settings.model_validate({"workflow": {"shared_miss_guard": guard}})
        self.workspace = _Workspace({"tests/test_logstats.py": TESTS})
        self.said: list[str] = []

    def say(self, role: str, text: str, phase: str) -> None:
        self.said.append(text)


def test_the_wrong_test_goes_with_a_reason_and_the_rest_stay():
    rt = _Runtime()
    gone = drop_miss_agreeing(rt, ["tests/test_logstats.py"], missing_programs(), NOW)
    assert gone == ["tests/test_logstats.py::test_errors_per_hour_two_errors"]
    left = rt.workspace.read("tests/test_logstats.py")
    assert "def test_errors_per_hour_two_errors" not in left
    assert "def test_count_levels_empty" in left and "def test_parse_line_level" in left
    assert "test_errors_per_hour_example_1" in rt.said[0] and "expect nothing" in rt.said[0]


def test_switched_off_with_the_shared_miss_guard():
    rt = _Runtime(guard=False)
    assert drop_miss_agreeing(rt, ["tests/test_logstats.py"], missing_programs(), NOW) == []
    assert rt.workspace.read("tests/test_logstats.py") == TESTS
