"""The interface's own words as an oracle: expected values that break them never become tests.

The examples are textkit's, as the 1.5B PM and tester wrote them in a
recorded run (``truncate('Hello World!', 10) == 'Hello Worl...'``, 13
characters where the interface says "result at most width characters").
"""

from __future__ import annotations

import ast

import pytest

from softco.artifacts import FileSpec
from softco.artifacts.cases import CallCase, TestCases
from softco.quality.case_tests import case_tests
from softco.quality.clauses import clause_violation, stated_clauses
from softco.quality.example_tests import example_tests
from tests.test_example_tests import _prd

TEXTKIT = FileSpec.model_validate(
    {
        "path": "textkit.py",
        "responsibility": "text utilities",
        "interface": [
            {
                "signature": "def slugify(text: str) -> str",
                "docstring": "lower case, runs of other characters become one '-', "
                "no leading/trailing '-'",
            },
            {
                "signature": "def truncate(text: str, width: int, suffix: str = '...') -> str",
                "docstring": "result at most width characters",
            },
            {
                "signature": "def word_wrap(text: str, width: int) -> list[str]",
                "docstring": "greedy, words never split",
            },
            {
                "signature": "def mean(values: list[float]) -> float",
                "docstring": "rounded to 2 decimals",
            },
        ],
    }
)


def _violation(call: str, result):
    node = ast.parse(call, mode="eval").body
    assert isinstance(node, ast.Call)
    return clause_violation(TEXTKIT, node, result)


@pytest.mark.parametrize(
    ("call", "result", "broken"),
    [
        ("truncate('Hello World!', 10)", "Hello Worl...", "'result at most width characters'"),
        ("truncate('Hello World!', width=10, suffix='!')", "Hello Wor!!", "at most width"),
        ("slugify('Hello World')", "Hello-world", "lower case"),
        ("slugify('Hello World!')", "hello-world-", "no leading/trailing '-'"),
        ("word_wrap('the quick fox', 5)", ["the", "qui", "ck", "fox"], "words never split"),
        ("mean([1.0, 2.0, 2.0])", 1.6666666, "rounded to 2 decimals"),
        ("word_wrap('This is a test.', 20)", ["This is", "a test."], "greedy"),
        ("word_wrap('the quick brown fox', 9)", ["the quick brown", "fox"], "greedy"),
    ],
)
def test_a_value_breaking_a_stated_clause_is_named(call, result, broken):
    said = _violation(call, result)
    assert said is not None and broken in said


@pytest.mark.parametrize(
    ("call", "result"),
    [
        ("truncate('abcdefghijkl', 8)", "abcde..."),
        ("truncate('short', 10)", "short"),
        ("slugify('  Hello, World! 2024 ')", "hello-world-2024"),
        ("word_wrap('the quick brown fox jumps', 10)", ["the quick", "brown fox", "jumps"]),
        ("mean([1.0, 2.0])", 1.5),
        ("truncate(text, 8)", "far too long for eight"),  # not literal: no answer
        ("undefined('x')", "anything"),
    ],
)
def test_values_that_keep_the_clauses_or_cannot_be_judged_pass(call, result):
    assert _violation(call, result) is None


def test_only_certain_phrasings_are_read():
    assert [c.text for c in stated_clauses("Returns at most n characters; sorted by count")] == [
        "Returns at most n characters"
    ]
    assert stated_clauses("The number of words in text.") == []
    # about something other than the result, or beside words the rules cannot read
    for said in (
        "each line is at most width characters, lines joined by newlines",
        "pad with spaces up to width characters; longer text returned unchanged",
        "first letter upper case, the rest lower case",
        "shortened to width (words never split), ending with '...'",
    ):
        assert stated_clauses(said) == [], said


def test_the_pm_s_contradicting_examples_are_left_out_of_the_example_tests():
    prd = _prd(
        [
            ("truncate('Hello World!', 10)", "'Hello Worl...'"),
            ("truncate('This is a test.', 20)", "'This is a test.'"),
            ("word_wrap('This is a test.', 20)", "'This is', 'a test.'"),
            ("word_wrap('Hello World!', 10)", "'Hello', 'World!'"),
        ]
    )
    source = example_tests(prd, TEXTKIT)
    assert source is not None
    assert "Hello Worl..." not in source
    # written as a tuple by the PM, compared as the list the signature returns
    assert "assert word_wrap('Hello World!', 10) == ['Hello', 'World!']" in source
    assert "assert truncate('This is a test.', 20) == 'This is a test.'" in source
    # not greedy: 'This is a test.' fits in 20 (its input stays, as a test of the clauses)
    assert "assert word_wrap('This is a test.', 20) ==" not in source


def test_the_tester_s_contradicting_case_is_dropped_with_the_clause_as_reason():
    cases = TestCases(
        cases=[
            CallCase(
                behaviour="long", call="truncate('Hello World!', 10)", expected="Hello Worl..."
            ),
            CallCase(behaviour="fits", call="truncate('abcdefghijkl', 8)", expected="abcde..."),
        ]
    )
    suite = case_tests(cases, TEXTKIT)
    assert suite.content is not None and "abcde..." in suite.content
    assert "Hello Worl..." not in suite.content
    assert any(
        "breaks the interface's 'result at most width characters'" in d for d in suite.dropped
    )


DELIVERED = """\
import re


def slugify(text: str) -> str:
    return re.sub(r'[^a-z0-9]+', '-', text.lower()).strip('-')


def truncate(text: str, width: int, suffix: str = '...') -> str:
    return text[:width] + (suffix if len(text) > width else '')


def word_wrap(text: str, width: int) -> list[str]:
    return text.split(' ', width)
"""

RIGHT = DELIVERED.replace(
    "return text[:width] + (suffix if len(text) > width else '')",
    "return text if len(text) <= width else text[: width - len(suffix)] + suffix",
).replace(
    "return text.split(' ', width)",
    "lines = []\n"
    "    for word in text.split():\n"
    "        if lines and len(lines[-1]) + 1 + len(word) <= width:\n"
    "            lines[-1] += ' ' + word\n"
    "        else:\n"
    "            lines.append(word)\n"
    "    return lines",
)


def _failing(tests: str, module: str, name: str = "textkit") -> list[str]:
    scope: dict = {"pytest": pytest}
    exec(compile(module, f"{name}.py", "exec"), scope)
    exec(compile(tests.split(f"\nfrom {name} import", 1)[1].split("\n", 1)[1], "t", "exec"), scope)
    failing = []
    for test in [n for n in scope if n.startswith("test_")]:
        try:
            scope[test]()
        except (AssertionError, pytest.fail.Exception):
            failing.append(test)
    return sorted(failing)


def test_what_the_interface_states_becomes_tests_on_the_examples_inputs(tmp_path):
    from softco.artifacts import Design
    from softco.quality import check_tests

    prd = _prd(
        [
            ("truncate('Hello World!', 10)", "'Hello Worl...'"),  # wrong value, good input
            ("word_wrap('This is a test.', 20)", "'This', 'is', 'a', 'test.'"),
            ("slugify('Hello World!')", "'hello-world'"),
        ]
    )
    source = example_tests(prd, TEXTKIT)
    assert source is not None
    assert "result = truncate('Hello World!', 10)\n    assert len(result) <= 10" in source
    design = Design(summary="textkit", files=[TEXTKIT])
    assert check_tests("tests/test_textkit_examples.py", source, design) == []
    # the delivered code fits the PM's wrong truncate; the stated clauses catch both bugs
    assert _failing(source, DELIVERED) == [
        "test_truncate_as_stated_1",
        "test_word_wrap_as_stated_1",
    ]
    assert _failing(source, RIGHT) == []


def test_examples_that_raise_or_are_no_value_get_no_clause_test_and_break_nothing():
    prd = _prd(
        [
            ("truncate('hello', 0)", "raises ValueError"),
            ("truncate('hello', 3)", "..."),  # Ellipsis: not a value a test can state
            ("truncate('hello', 4)", "[1e999]"),
        ]
    )
    # the ValueError is one the interface never states (``stated_raises``): left out too
    assert example_tests(prd, TEXTKIT) is None


def test_tests_of_the_interface_s_words_are_never_suspects():
    from softco.quality.example_tests import states_the_interface

    assert states_the_interface("tests.test_textkit_examples::test_truncate_as_stated_1")
    assert states_the_interface("tests.test_textkit_examples::test_word_wrap_as_stated_12[x]")
    assert not states_the_interface("tests.test_textkit_examples::test_truncate_example_1")
    assert not states_the_interface("tests.test_textkit::test_as_stated_by_the_tester")
    # the same name in the tester's own (model-written) file is not softco's
    assert not states_the_interface("tests.test_textkit::test_truncate_as_stated_1")


CSV = FileSpec.model_validate(
    {
        "path": "csvsummary.py",
        "responsibility": "csv statistics",
        "interface": [
            {
                "signature": "def summarize(csv_text: str, column: str) -> dict",
                "docstring": "keys 'count', 'mean', 'min', 'max' (KeyError for an unknown "
                "column; all zero when no numeric values)",
            }
        ],
    }
)
HEADERLESS = """def summarize(csv_text, column):
    numbers = [float(c) for c in csv_text.replace('\\n', ',').split(',') if c.strip().isdigit()]
    n = len(numbers)
    return {'count': n, 'mean': sum(numbers) / n if n else 0,
            'min': min(numbers, default=0), 'max': max(numbers, default=0)}
"""
WITH_HEADER = """import csv
import io


def summarize(csv_text, column):
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    if rows and column not in rows[0] or not rows and column not in csv_text.split(','):
        raise KeyError(column)
    numbers = []
    for row in rows:
        try:
            numbers.append(float(row[column]))
        except ValueError:
            pass
    n = len(numbers)
    return {'count': n, 'mean': sum(numbers) / n if n else 0,
            'min': min(numbers, default=0), 'max': max(numbers, default=0)}
"""


def test_a_column_the_csv_never_names_is_unknown_and_must_raise_as_stated(tmp_path):
    # csvsummary, session 9: the PM and the tester both summarised a CSV with no header
    call = ast.parse("summarize('1,2,3,4,5', 'number')", mode="eval").body
    assert isinstance(call, ast.Call)
    summary = {"count": 5, "mean": 3.0, "min": 1, "max": 5}
    assert "KeyError for an unknown column" in (clause_violation(CSV, call, summary) or "")
    named = ast.parse("summarize('name,age\\nann,30', 'age')", mode="eval").body
    assert isinstance(named, ast.Call) and clause_violation(CSV, named, summary) is None
    prd = _prd(
        [
            ("summarize('1,2,3,4,5', 'number')", str(summary)),
            ("summarize('a,b\\n1,2', 'b')", "{'count': 1, 'mean': 2.0, 'min': 2.0, 'max': 2.0}"),
        ]
    )
    source = example_tests(prd, CSV)
    assert source is not None
    assert "with pytest.raises(KeyError):\n        summarize('1,2,3,4,5', 'number')" in source
    assert "summarize('1,2,3,4,5', 'number') ==" not in source
    assert _failing(source, HEADERLESS, "csvsummary") == [
        "test_summarize_as_stated_1",
        "test_summarize_example_1",
    ]
    assert _failing(source, WITH_HEADER, "csvsummary") == []
