"""Execution feedback: what the code did on a failing test, told to the repair."""

from __future__ import annotations

import subprocess
import sys

from softco import Company, Settings, StopReason
from softco.demo_script import BRIEF, CASES, demo_transport
from softco.quality.case_trace import describe_trace, parse_trace, trace_script

MODULE = """\
def parse_line(line):
    parts = line.split()
    if len(parts) != 5:
        return None
    return {"level": parts[2]}


def parse_hour(text):
    try:
        return int(text)
    except ValueError:
        return -1


def count(lines):
    found = {}
    for line in lines:
        got = parse_line(line)
        if got:
            found[got["level"]] = found.get(got["level"], 0) + 1
    return found


def strict(x):
    if x < 0:
        raise ValueError("negative")
    return x
"""

TESTS = """\
import pytest

from logs import count, parse_hour, parse_line, strict


def test_many_calls():
    assert [parse_hour(str(h)) for h in range(500)] == []


def test_valid_line():
    assert parse_line("2024-05-01 09:00:01 ERROR disk is full") == {"level": "ERROR"}


def test_hour():
    assert parse_hour("09:00:01") == 9


def test_count():
    assert count(["2024-05-01 09:00:01 ERROR disk is full"]) == {"ERROR": 1}


def test_passes():
    assert parse_line("a b c d e") == {"level": "c"}


def test_raises():
    assert strict(-1) == 0


def test_with_capsys(capsys):
    assert parse_line("x") == {}
"""


NAMES = ("test_valid_line", "test_hour", "test_count", "test_passes", "test_raises")


def _traced(tmp_path, names=NAMES) -> tuple[dict, str]:
    (tmp_path / "logs.py").write_text(MODULE)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "__init__.py").write_text("")
    (tmp_path / "tests" / "test_logs.py").write_text(TESTS)
    cases = [f"tests.test_logs::{n}" for n in names] + [
        "tests.test_logs::test_with_capsys",
        "tests.test_logs::test_p[1]",
    ]
    script = trace_script("logs.py", cases)
    assert script is not None
    (tmp_path / "trace.py").write_text(script)
    ran = subprocess.run(
        [sys.executable, "trace.py"], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    traces = parse_trace(ran.stdout)
    return traces, describe_trace(traces, MODULE)


def test_a_wrong_return_is_told_with_the_guard_that_chose_it_and_the_locals(tmp_path):
    _, told = _traced(tmp_path)
    assert (
        "parse_line(line='2024-05-01 09:00:01 ERROR disk is full') returned None from "
        "line 4 `return None`, because `len(parts) != 5` was true" in told
    )
    assert "parts=['2024-05-01', '09:00:01', 'ERROR', 'disk', 'is', 'full']" in told


def test_a_swallowed_exception_and_the_calls_inside_are_told(tmp_path):
    _, told = _traced(tmp_path)
    assert "returned -1 from line 12 `return -1`" in told
    assert (
        "line 10 `return int(text)` in parse_hour() raised ValueError: "
        "invalid literal for int() with base 10: '09:00:01'" in told
    )
    assert (
        "it called parse_line(line='2024-05-01 09:00:01 ERROR disk is full'), which returned None"
        in (told)
    )
    assert (
        "strict(x=-1) raised out of line 26 `raise ValueError('negative')`: ValueError: negative"
        in told.replace('"', "'")
    )


def test_passing_tests_and_tests_needing_fixtures_are_not_told(tmp_path):
    traces, told = _traced(tmp_path)
    assert traces["tests.test_logs::test_passes"]["outcome"] == "passed"
    assert "test_passes" not in told
    assert "tests.test_logs::test_with_capsys" not in traces  # capsys: not called bare
    assert set(traces) == {
        "tests.test_logs::test_valid_line",
        "tests.test_logs::test_hour",
        "tests.test_logs::test_count",
        "tests.test_logs::test_passes",
        "tests.test_logs::test_raises",
    }


def test_a_test_calling_the_module_many_times_tells_the_last_calls_only(tmp_path):
    traces, told = _traced(tmp_path, ("test_many_calls",))
    calls = traces["tests.test_logs::test_many_calls"]["calls"]
    assert [c["args"] for c in calls] == [
        [["text", "'497'"]],
        [["text", "'498'"]],
        [["text", "'499'"]],
    ]
    assert "parse_hour(text='499') returned 499" in told


def test_one_cut_trace_line_loses_only_its_own_test():
    stdout = (
        'SOFTCO-TRACE {"t::a": {"outcome": "AssertionError", "calls": []}}\n'
        'SOFTCO-TRACE {"t::b": {"outcome": "Asser\n'
        "other output\n"
    )
    assert parse_trace(stdout) == {"t::a": {"outcome": "AssertionError", "calls": []}}


def test_no_trace_without_a_plain_test_and_garbage_output_is_no_trace():
    assert trace_script("m.py", ["tests.test_m::TestA::test_b", "tests.test_m::test_c[1]"]) is None
    assert parse_trace("SOFTCO-TRACE {not json\n") == {}
    assert parse_trace("nothing here") == {}
    assert describe_trace({"t::x": {"outcome": "AssertionError", "calls": []}}, "") == ""


def test_the_repair_prompt_says_what_the_code_did(tmp_path):
    """The demo build where the tester claims word_count('a b') == 3: the repair is told why 2."""
    transport = demo_transport()
    inner = transport.default
    made_up = {"behaviour": "made up", "call": "word_count('a b')", "expected": "3"}
    wrong = {"cases": [*CASES["textstats/core.py"]["cases"], made_up]}
    repairs = []

    def answer(request):
        if request.role == "tester" and "textstats/core.py" in request.messages[-1]["content"]:
            return wrong
        if request.role == "coder" and "fix them all" in request.messages[-1]["content"]:
            repairs.append(request.messages[-1]["content"])
        return inner(request)

    transport.default = answer
    settings = Settings.load(
        memory={"enabled": False},
        workflow={"best_of": 2, "test_rounds": 1, "trace_failures": True},
    )
    result = Company(settings, transport=transport).run(BRIEF, run_dir=tmp_path / "r")
    assert result.stop_reason == StopReason.DONE
    assert repairs, "no repair was asked for"
    assert "What your code did on the failing tests:" in repairs[0]
    assert "word_count(text='a b') returned 2 from line" in repairs[0]
    assert not (result.workspace / "softco_trace.py").exists()  # the trace cleans up

    transport = demo_transport()
    inner = transport.default
    repairs.clear()
    transport.default = answer
    settings = Settings.load(
        memory={"enabled": False},
        workflow={"best_of": 2, "test_rounds": 1, "trace_failures": False},
    )
    Company(settings, transport=transport).run(BRIEF, run_dir=tmp_path / "off")
    assert repairs and "What your code did" not in repairs[0]
