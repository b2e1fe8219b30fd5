"""Expected values written as arithmetic are computed by a trusted interpreter."""

from __future__ import annotations

import pytest

from softco.artifacts import PRD
from softco.demo_script import PRD as DEMO_PRD
from softco.quality.oracle import computed, with_computed_examples


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2 * (3 + 4) / 5", "2.8"),
        ("3 * 1000 / 1609.344", "1.8641135767"),
        ("round(10 / 3, 2)", "3.33"),
        ("sorted([3, 1, 2])", "[1, 2, 3]"),
        ("(1 + 1, 'a' * 3)", "(2, 'aaa')"),
        ("{'x': 2 ** 3}", "{'x': 8}"),
    ],
)
def test_arithmetic_is_computed(text, value):
    assert computed(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "5",  # a literal: nothing to compute
        "-3",
        "'IV'",
        "IV",  # not Python
        "ValueError",
        "word_count('a b')",  # the code under test is not the oracle
        "__import__('os').system('true')",
        "(1).__class__",
        "9 ** 9 ** 9",
        "'a' * 10 ** 8",
        "1 / 0",
    ],
)
def test_anything_else_keeps_its_text(text):
    assert computed(text) is None


def test_a_prd_gets_its_computed_values_and_the_count():
    data = PRD.model_validate(DEMO_PRD).model_dump(mode="json")
    data["user_stories"][0]["acceptance"][0]["examples"] = [
        {"call": "word_count('a b c d')", "expected": "2 + 2"},
        {"call": "word_count('')", "expected": "0"},
    ]
    prd, changed = with_computed_examples(PRD.model_validate(data))
    examples = prd.user_stories[0].acceptance[0].examples
    assert changed == 1 and [e.expected for e in examples] == ["4", "0"]


@pytest.mark.parametrize(
    "text",
    [
        "(10**64)**64 * (10**64)**4",
        "-" * 3000 + "1",
        "'%0999999999d' % 1",
        "((((9**64)**64)**64)**64)**64",
        "sum([[1]*9999]*9999, [])",
        "2024-10-15",
        "555-1234",
        "(-8)**0.5",
    ],
)
def test_hostile_or_misleading_text_is_not_computed_and_never_crashes(text):
    assert computed(text) is None
