"""Exceptions the interface never states do not become tests; calls on one file are a story.

The interfaces are the public briefs' todo and cart lines, parsed as the
pinned design parses them; the cases are the kind the 1.5B tester wrote
(session 11: todo's ``list_items(missing)`` expecting ``FileNotFoundError``
where the brief says "empty list if the file does not exist").
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from softco.artifacts import FileSpec
from softco.artifacts.cases import CallCase, TestCases
from softco.artifacts.stated import stated_interface
from softco.quality.case_tests import case_tests
from softco.quality.example_tests import example_tests
from softco.quality.stated_raises import unstated_raise
from tests.test_example_tests import _prd

TODO_BRIEF = (
    "todo.py: add(path: str, text: str) -> int (returns the new id, ids start at 1); "
    "list_items(path: str) -> list[dict] (each {'id', 'text', 'done'}; empty list if the "
    "file does not exist); complete(path: str, item_id: int) -> bool (False for an unknown "
    "id); main(argv: list[str] | None = None) -> int with `--file PATH add TEXT | list | done ID`."
)
CART_BRIEF = (
    "cart.py: class Cart with add(item: str, price: float, qty: int = 1) (adding an item "
    "again increases its quantity; ValueError for a negative price or qty < 1), "
    "remove(item: str) (KeyError if absent), count() -> int (total quantity), "
    "apply_discount(percent: float) (0..100, ValueError otherwise), total() -> float."
)


def _spec(brief: str) -> FileSpec:
    (path, interface), *_ = stated_interface(brief).items()
    return FileSpec(path=path, responsibility="r", interface=interface)


def _call(source: str) -> ast.Call:
    node = ast.parse(source, mode="eval").body
    assert isinstance(node, ast.Call)
    return node


@pytest.mark.parametrize(
    ("brief", "call", "exception"),
    [
        (TODO_BRIEF, "list_items('missing.json')", "FileNotFoundError"),
        (TODO_BRIEF, "complete('t.json', 99)", "KeyError"),
        (TODO_BRIEF, "add('t.json', '')", "ValueError"),
        (CART_BRIEF, "cart.count()", "ValueError"),  # "total quantity"
        (CART_BRIEF, "cart.remove('pen')", "ValueError"),
    ],
)
def test_an_exception_the_interface_does_not_state_is_named(brief, call, exception):
    reason = unstated_raise(_spec(brief), _call(call), exception)
    assert reason is not None and exception in reason


@pytest.mark.parametrize(
    ("brief", "call", "exception"),
    [
        (CART_BRIEF, "cart.remove('pen')", "KeyError"),
        (CART_BRIEF, "cart.remove('pen')", "LookupError"),  # a stated KeyError is one
        (CART_BRIEF, "cart.add('x', -1.0)", "ValueError"),
        (CART_BRIEF, "cart.no_such_method()", "KeyError"),  # nothing said: not judged
        (TODO_BRIEF, "list_items('x.json')", "MyStoreError"),  # not a builtin: not judged
        (CART_BRIEF + " is_over() -> bool.", "cart.is_over()", "KeyError"),  # said nothing
    ],
)
def test_a_stated_or_unjudgeable_exception_stands(brief, call, exception):
    assert unstated_raise(_spec(brief), _call(call), exception) is None


def test_raises_without_a_name_allows_any_exception():
    spec = FileSpec.model_validate(
        {
            "path": "p.py",
            "responsibility": "r",
            "interface": [
                {"signature": "def parse(s: str) -> int", "docstring": "Raises on bad input"}
            ],
        }
    )
    assert unstated_raise(spec, _call("parse('x')"), "ValueError") is None


def test_the_tester_s_unstated_exception_case_is_left_out_with_the_reason():
    spec = _spec(TODO_BRIEF)
    cases = TestCases(
        cases=[
            CallCase(behaviour="missing", call="list_items('none.json')", expected="[]"),
            CallCase(
                behaviour="missing raises",
                call="list_items('missing_file.json')",
                expected="raises FileNotFoundError",
            ),
        ]
    )
    suite = case_tests(cases, spec)
    assert suite.content is not None and "list_items('none.json') == []" in suite.content
    assert "FileNotFoundError" not in suite.content
    assert any("states no exception for list_items" in d for d in suite.dropped)


def test_the_pm_s_unstated_exception_example_is_left_out():
    spec = _spec("stats.py: mean(xs: list[float]) -> float (0.0 for an empty list)")
    source = example_tests(
        _prd([("mean([])", "raises ZeroDivisionError"), ("mean([1, 2])", "1.5")]), spec
    )
    assert source is not None and "mean([1, 2]) == pytest.approx(1.5)" in source
    assert "ZeroDivisionError" not in source


# the reference solution the todo brief's acceptance tests are checked against
TODO_RIGHT = (
    Path(__file__).parent / "fixtures" / "reference_solutions" / "todo" / "todo.py"
).read_text()


def _pytest(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_calls_on_one_file_are_a_story_each_test_replays_up_to_its_step(tmp_path):
    """The tester's todo cases (session 11), written in order on one file."""
    milk = {"id": 1, "text": "Buy milk", "done": False}
    book = {"id": 2, "text": "Read a book", "done": False}
    cases = TestCases(
        cases=[
            CallCase(behaviour="add", call="add('tasks.json', 'Buy milk')", expected="1"),
            CallCase(behaviour="again", call="add('tasks.json', 'Buy milk')", expected="1"),
            CallCase(behaviour="second", call="add('tasks.json', 'Read a book')", expected="2"),
            CallCase(behaviour="list", call="list_items('tasks.json')", expected=str([milk, book])),
            CallCase(behaviour="done", call="complete('tasks.json', 1)", expected="True"),
            CallCase(behaviour="unknown", call="complete('tasks.json', 3)", expected="False"),
            CallCase(behaviour="other file", call="list_items('none.json')", expected="[]"),
        ]
    )
    suite = case_tests(cases, _spec(TODO_BRIEF))
    assert suite.content is not None
    assert any("repeats an earlier case" in d for d in suite.dropped)  # the "again" case
    (tmp_path / "todo.py").write_text(TODO_RIGHT)
    (tmp_path / "test_todo.py").write_text(suite.content)
    run = _pytest(tmp_path)
    assert run.returncode == 0, run.stdout
    assert "6 passed" in run.stdout
    # a todo that forgets what it stored fails the later steps
    (tmp_path / "todo.py").write_text(
        TODO_RIGHT.replace("_save(path, items)\n    return new_id", "return new_id")
    )
    again = _pytest(tmp_path)
    assert "3 failed" in again.stdout, again.stdout


def test_a_story_case_expecting_an_item_no_step_added_is_left_out():
    """Session 12's todo tester: 'Read a book' listed after a story that added only milk."""
    milk = {"id": 1, "text": "Buy milk", "done": False}
    book = {"id": 2, "text": "Read a book", "done": False}
    shown = {"id": 1, "text": "[x] Buy milk", "done": True}  # derived from an argument
    cases = TestCases(
        cases=[
            CallCase(behaviour="add", call="add('tasks.json', 'Buy milk')", expected="1"),
            CallCase(behaviour="list", call="list_items('tasks.json')", expected=str([milk])),
            CallCase(
                behaviour="made up", call="list_items('tasks.json')", expected=str([milk, book])
            ),
            CallCase(behaviour="derived", call="list_items('tasks.json')", expected=str([shown])),
            CallCase(behaviour="second", call="add('tasks.json', 'Read a book')", expected="2"),
            CallCase(behaviour="both", call="list_items('tasks.json')", expected=str([milk, book])),
        ]
    )
    suite = case_tests(cases, _spec(TODO_BRIEF))
    assert suite.content is not None
    invented = [d for d in suite.dropped if "no earlier step on tasks.json put in" in d]
    assert len(invented) == 1 and "'Read a book'" in invented[0]
    assert suite.content.count("def test_") == 5  # the made-up listing only
    # a listing after the step that added the book is kept, and the story replays it
    assert (
        "add('tasks.json', 'Read a book')\n    assert list_items('tasks.json') ==" in suite.content
    )


def test_a_story_step_with_a_wrong_expected_value_is_replayed_not_asserted(tmp_path):
    """Session 12's todo tester expected add() to return the list, then listed the book."""
    milk = {"id": 1, "text": "Buy milk", "done": True}
    book = {"id": 2, "text": "Read a book", "done": False}
    cases = TestCases(
        cases=[
            CallCase(behaviour="add", call="add('tasks.json', 'Buy milk')", expected="1"),
            CallCase(behaviour="done", call="complete('tasks.json', 1)", expected="True"),
            CallCase(
                behaviour="add 2", call="add('tasks.json', 'Read a book')", expected=str([book])
            ),
            CallCase(behaviour="both", call="list_items('tasks.json')", expected=str([milk, book])),
        ]
    )
    suite = case_tests(cases, _spec(TODO_BRIEF))
    assert suite.content is not None and suite.content.count("def test_") == 3
    assert any("does not fit -> int; kept as a step" in d for d in suite.dropped)
    (tmp_path / "todo.py").write_text(TODO_RIGHT)
    (tmp_path / "test_todo.py").write_text(suite.content)
    run = _pytest(tmp_path)
    assert run.returncode == 0 and "3 passed" in run.stdout, run.stdout


NOTES_BRIEF = (
    "notes.py: add_note(path: str, title: str) -> list[str] (the titles after adding); "
    "count(path: str) -> int (number of notes); add_expense(path: str, name: str, "
    "amount: float) -> int; rows(path: str) -> list[list[str]] (the CSV rows as text); "
    "remove_note(path: str, title: str) -> int (KeyError for an unknown title); "
    "get_note(path: str, note_id: int) -> dict (raises KeyError if there is none)."
)


def test_story_rules_keep_derived_values_and_never_replay_an_error_case():
    cases = TestCases(
        cases=[
            # invents 'Shopping' and 'Work': not asserted, but the note was added
            CallCase(
                behaviour="a",
                call="add_note('n.json', 'Ideas')",
                expected="['Shopping', 'Ideas', 'Work']",
            ),
            CallCase(behaviour="b", call="count('n.json')", expected="1"),
            CallCase(behaviour="c", call="add_expense('n.csv', 'Coffee', 3.5)", expected="1"),
            # derived from the arguments: lower-cased, a number as text
            CallCase(behaviour="d", call="rows('n.csv')", expected="[['coffee', '3.5']]"),
            # an error case with a made-up value: neither a test nor a step
            CallCase(behaviour="e", call="remove_note('n.json', 'Nope')", expected="['not found']"),
            # invents a note, and may raise: neither a test nor a step
            CallCase(
                behaviour="g",
                call="get_note('n.json', 2)",
                expected="{'id': 2, 'text': 'Call mom'}",
            ),
            CallCase(behaviour="f", call="count('n.json')", expected="7"),
        ]
    )
    suite = case_tests(cases, _spec(NOTES_BRIEF))
    assert suite.content is not None
    assert "add_note('n.json', 'Ideas')\n    assert count('n.json') == 1" in suite.content
    assert "assert rows('n.csv') == [['coffee', '3.5']]" in suite.content
    assert "remove_note" not in suite.content and "get_note" not in suite.content
    # no kept case calls add_note, but the replayed step does
    assert "from notes import add_expense, add_note, count, rows" in suite.content
    assert any("'Shopping'" in d and "kept as a step" in d for d in suite.dropped)


@pytest.mark.parametrize(
    ("docstring", "exception"),
    [
        ("Withdraw; an exception is raised if it exceeds the balance.", "ValueError"),
        ("Mark done. Raises TaskNotFoundError for an unknown id.", "Exception"),
        ("Raises InsufficientFundsError when the balance is short.", "ValueError"),
    ],
)
def test_unnamed_raising_words_and_custom_exceptions_allow_the_case(docstring, exception):
    spec = FileSpec.model_validate(
        {
            "path": "p.py",
            "responsibility": "r",
            "interface": [{"signature": "def withdraw(x: float) -> float", "docstring": docstring}],
        }
    )
    assert unstated_raise(spec, _call("withdraw(5)"), exception) is None


def test_a_method_s_description_runs_on_and_the_class_prose_counts():
    brief = (
        "inventory.py: class Inventory with add(sku: str, qty: int) -> None (adds stock),\n"
        "remove(sku: str) -> None (removes the item; an unknown sku\nraises KeyError), "
        "size() -> int."
    )
    spec = _spec(brief)
    assert unstated_raise(spec, _call("inv.remove('x')"), "KeyError") is None
    prose = FileSpec.model_validate(
        {
            "path": "p.py",
            "responsibility": "r",
            "interface": [
                {
                    "signature": "class Stock",
                    "docstring": "Every method raises KeyError for an unknown sku.\n"
                    "Methods:\n  remove(sku: str) -> None: removes the item",
                }
            ],
        }
    )
    assert unstated_raise(prose, _call("s.remove('x')"), "KeyError") is None
    assert unstated_raise(prose, _call("s.remove('x')"), "ValueError") is not None
