"""Regression tests chosen by the mutants they notice (workflow.regression_tests)."""

from __future__ import annotations

import ast
import subprocess
import sys
from types import SimpleNamespace

import pytest

from softco.config import Settings
from softco.eval.mutation import kill_rate
from softco.quality.cli_probes import argv_lists, parser_of
from softco.quality.probes import Probe, probes_for
from softco.quality.regression import (
    OUTCOMES,
    RUNNER,
    choose,
    kept_setup,
    parse_outcomes,
    probe_runner,
    render_tests,
)
from softco.workflows.design_check import stated_design
from softco.workflows.regression import add_regression_tests
from softco.workflows.runtime import to_test_report
from softco.workspace import Workspace

TODO = """import argparse
import json
import os


def add(path: str, text: str) -> int:
    items = json.load(open(path)) if os.path.exists(path) else []
    items.append({"id": len(items) + 1, "text": text, "done": False})
    json.dump(items, open(path, "w"))
    return len(items)


def complete(path: str, item_id: int) -> bool:
    items = json.load(open(path)) if os.path.exists(path) else []
    for item in items:
        if item["id"] == item_id:
            item["done"] = True
            json.dump(items, open(path, "w"))
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", required=True)
    sub = parser.add_subparsers(dest="command")
    adding = sub.add_parser("add")
    adding.add_argument("text")
    done = sub.add_parser("done")
    done.add_argument("item_id", type=int)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    if args.command == "add":
        print(add(args.file, args.text))
        return 0
    print(complete(args.file, args.item_id))
    return 0
"""
TODO_TESTS = """from todo import add


def test_add(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert add('tasks.json', 'Buy milk') == 1
"""
BOARD = """class Board:
    def __init__(self):
        self.cells = [[' '] * 3 for _ in range(3)]
        self.turn = 'X'

    def play(self, row: int, col: int) -> None:
        if not (0 <= row < 3 and 0 <= col < 3) or self.cells[row][col] != ' ':
            raise ValueError('bad move')
        self.cells[row][col] = self.turn
        self.turn = 'O' if self.turn == 'X' else 'X'

    def count(self) -> int:
        return sum(1 for row in self.cells for c in row if c != ' ')
"""


def test_probes_share_the_tests_file_and_vary_one_argument_at_a_time():
    probes = probes_for(TODO, [TODO_TESTS])
    texts = [p.text for p in probes]
    # complete() has no test of its own, yet uses the file the tests name
    assert "complete('tasks.json', 0)" in texts and "complete('tasks.json', 1)" in texts
    # the tests' value first, then the module's own constants (a subcommand's name)
    assert "add('tasks.json', 'Buy milk')" in texts and "add('tasks.json', 'done')" in texts
    # calls may come after others that fill the same file
    assert any(p.setup and p.setup[0].startswith("add('tasks.json'") for p in probes)
    assert not any("'data.json'" in t for t in texts)


def test_objects_get_sequences_of_their_changing_methods():
    probes = probes_for(BOARD, ["b = Board()\nb.play(1, 1)\n"])
    long = [p for p in probes if len(p.setup) > 3]
    assert long and all(p.setup[0] == "board = Board()" for p in probes)
    # setup steps call what changes the board; the last call may be any method
    assert all(s.startswith("board.play(") for p in long for s in p.setup[1:])
    assert {p.call.split("(")[0] for p in probes} == {"board.play", "board.count"}


def test_command_lines_follow_the_parser_and_include_refused_ones():
    parser = parser_of(TODO)
    assert parser is not None and sorted(parser.commands) == ["add", "done"]
    lines = argv_lists(parser, ["Buy milk", "1"], "tasks.json", 20)
    well_formed = [
        line for line in lines if line[:2] == ["--file", "tasks.json"] and len(line) == 4
    ]
    assert well_formed and all(line[2] in ("add", "done") for line in well_formed)
    assert all(line[3] in ("0", "1", "2", "3", "-1") for line in well_formed if line[2] == "done")
    assert [] in lines and ["--no-such-option"] in lines
    assert parser_of("def main():\n    pass\n") is None  # reads sys.argv: nothing to pass


def test_a_lenient_run_keeps_the_steps_that_ran():
    probe = Probe(("b = Board()", "b.play(3, 3)", "b.play(0, 0)"), "b.count()")
    kept = kept_setup(probe, ("ran", "0,2"))
    assert kept == Probe(("b = Board()", "b.play(0, 0)"), "b.count()")
    assert kept_setup(probe, ("skip", "setup ValueError")) is None


def test_choose_takes_the_probes_noticing_most_surviving_mutants_shortest_first():
    probes = [Probe((), "f(1)"), Probe(("g()",), "f(2)"), Probe((), "f(22)"), Probe((), "h()")]
    original = {
        0: ("ok", "1", ""),
        1: ("ok", "2", ""),
        2: ("ok", "2", ""),
        3: ("skip", "no literal value"),
    }
    mutants = [
        {0: ("ok", "0", ""), 1: ("ok", "3", ""), 2: ("ok", "3", "")},  # 0: all notice
        {0: ("ok", "1", ""), 1: ("ok", "3", ""), 2: ("ok", "3", "")},  # 1: f(2), f(22)
        None,  # 2: the runner did not finish: unknown, no probe claims it
        {0: ("ok", "5", "")},  # 3: killed by the suite already, not a target
    ]
    picks = choose(original, mutants, {0, 1, 2}, probes, "m", {"f", "g", "h"}, set(), limit=5)
    assert picks == [(2, {0, 1})]  # f(22) beats f(2): no setup; one probe is enough
    raised = {
        0: ("raises", "ValueError", "builtins", "ValueError"),
        1: ("raises", "Oops", "elsewhere", "Oops"),  # not the module's: cannot be named
        2: ("raises", "Bad", "m", "Board.Bad"),  # nested in a class: not importable
        3: ("raises", "NameError", "builtins", "NameError"),  # a probe that lost a name
        4: ("raises", "TypeError", "builtins", "TypeError"),  # a crash: the code raises none
    }
    moved = [{i: ("ok", "1", "") for i in range(5)}]
    probes = [*probes, Probe((), "k()")]
    said = {"ValueError", "Oops", "Bad", "NameError"}  # raised by the module or its interface
    assert choose(raised, moved, {0}, probes, "m", {"Bad"}, said, 5) == [(0, {0})]


def test_rendered_tests_are_python_expecting_the_delivered_outcome():
    text = render_tests(
        "todo",
        [
            (Probe((), "complete('tasks.json', 1)"), ("ok", "False", ""), "todo.py:9 ..."),
            (Probe((), "ratio(1, 3)"), ("ok", "0.3333333333333333", ""), "todo.py:3 + -> -"),
            (Probe((), "main(['x'])"), ("ok", "0", "1\n"), "todo.py:30 0 -> 1"),
            (
                Probe(("board = Board()",), "board.play(3, 3)"),
                ("raises", "ValueError", "builtins"),
                "m",
            ),
            (Probe((), "load(set())"), ("raises", "TodoError", "todo"), "m"),
        ],
        {"Board", "TodoError", "complete", "load", "main", "ratio"},
    )
    ast.parse(text)
    assert "from todo import Board, TodoError, complete, load, main, ratio" in text
    assert "assert complete('tasks.json', 1) is False" in text
    assert "assert ratio(1, 3) == pytest.approx(0.3333333333333333)" in text
    printed = "capsys.readouterr()\n    assert main(['x']) == 0\n"
    assert printed + "    assert capsys.readouterr().out == '1\\n'" in text
    assert "    with pytest.raises(ValueError):\n        board.play(3, 3)" in text


@pytest.fixture()
def todo_repo(tmp_path):
    settings = Settings()
    ws = Workspace(tmp_path / "ws", settings.sandbox)
    ws.write("todo.py", TODO)
    ws.write("tests/__init__.py", "")
    ws.write("tests/test_todo.py", TODO_TESTS)
    said: list[str] = []
    rt = SimpleNamespace(
        workspace=ws,
        settings=settings,
        run_suite=lambda: to_test_report(ws.run_tests(timeout_s=60)),
        say=lambda role, text, phase: said.append(text),
    )
    design = stated_design(
        "todo.py: add(path: str, text: str) -> int (new id); "
        "complete(path: str, item_id: int) -> bool (False for an unknown id); "
        "main(argv: list[str] | None = None) -> int (`--file PATH add TEXT | done ID`)."
    )
    assert design is not None
    return rt, design, said


def test_regression_tests_pass_and_notice_mutants_the_suite_missed(todo_repo):
    rt, design, said = todo_repo
    root, sandbox = rt.workspace.root, rt.settings.sandbox
    before = kill_rate(root, {"todo.py": TODO}, sandbox, cap=12)
    kept = add_regression_tests(rt, design)
    after = kill_rate(root, {"todo.py": TODO}, sandbox, cap=12)
    assert kept >= 2 and rt.run_suite().ok
    assert after.killed > before.killed and after.killed >= 8, after.survivors
    text = rt.workspace.read("tests/test_todo_regression.py")
    assert "main([" in text and "complete('tasks.json'" in text
    assert any("regression test(s)" in s for s in said)
    rt.settings.workflow.regression_tests = 0
    rt.workspace.delete("tests/test_todo_regression.py")
    assert add_regression_tests(rt, design) == 0
    assert not rt.workspace.exists("tests/test_todo_regression.py")


def test_a_pinned_test_failing_under_pytest_is_dropped(todo_repo, monkeypatch):
    rt, design, _ = todo_repo
    # a conftest the probes never see: under pytest nothing is saved, so a call
    # expecting an earlier add() to have been kept fails there
    rt.workspace.write(
        "tests/conftest.py",
        "import pytest\nimport todo\n\n\n@pytest.fixture(autouse=True)\n"
        "def _unsaved(monkeypatch):\n"
        "    monkeypatch.setattr(todo.json, 'dump', lambda *a, **k: None)\n",
    )
    add_regression_tests(rt, design)
    assert rt.run_suite().ok
    if rt.workspace.exists("tests/test_todo_regression.py"):
        text = rt.workspace.read("tests/test_todo_regression.py")
        assert "is True" not in text  # complete() of an added item: dropped


ODD = """import math


class Point:
    pass


def nan():
    return math.nan


def point():
    return Point()


def shout(text):
    print(text.upper())
    return len(text)


def words(text):
    return list(set(text.split()))
"""


def _run(tmp_path, probes, seed):
    (tmp_path / "odd.py").write_text(ODD)
    (tmp_path / RUNNER).write_text(probe_runner("odd", probes, seed=seed))
    subprocess.run([sys.executable, RUNNER], cwd=tmp_path, check=True, timeout=60)
    return parse_outcomes((tmp_path / OUTCOMES).read_text())


def test_the_runner_records_values_output_and_errors_and_skips_what_no_literal_states(tmp_path):
    probes = [
        Probe((), "nan()"),
        Probe((), "point()"),
        Probe((), "shout('hi')"),
        Probe(("x = 1",), "undefined_name"),
        Probe(("import sys", "sys.exit(3)"), "nan()"),
    ]
    got = _run(tmp_path, probes, seed=1)
    assert got[0][0] == "skip" and got[1][0] == "skip"  # nan and an object: no literal
    assert got[2] == ("ok", "2", "HI\n")
    assert got[3][:2] == ("raises", "NameError")
    assert got[4][0] == "skip"  # its setup exited


def test_an_answer_following_set_order_differs_between_hash_seeds(tmp_path):
    probe = [Probe((), "words('alpha beta gamma delta epsilon zeta eta theta')")]
    orders = {_run(tmp_path, probe, seed)[0][1] for seed in (1, 2, 3)}
    assert len(orders) > 1  # so `regression` compares two seeds and pins nothing here
    assert _run(tmp_path, probe, 1) == _run(tmp_path, probe, 1)


def test_a_reused_parser_variable_gives_each_subcommand_its_own_arguments():
    source = """import argparse


def main(argv=None):
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd")
    p = sub.add_parser("add")
    p.add_argument("title")
    p = sub.add_parser("done")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--id", type=int)
    sub.add_parser("list").add_argument("--all", action="store_true")
"""
    parser = parser_of(source)
    assert parser is not None and parser.arguments == []
    flags = {name: [a.flags for a in args] for name, args in parser.commands.items()}
    assert flags == {"add": [["title"]], "done": [["--id"]], "list": [["--all"]]}


def test_a_class_named_like_a_keyword_gets_a_variable_that_parses():
    probes = probes_for("class Lambda:\n    def apply(self, x: int) -> None:\n        pass\n", [])
    assert probes and all(p.setup[0] == "lambda_ = Lambda()" for p in probes)
    for p in probes:
        ast.parse(p.text)
