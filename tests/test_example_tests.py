"""Tests generated from the PRD's call -> expected examples (no model)."""

from __future__ import annotations

from softco.artifacts import PRD, FileSpec
from softco.quality import check_tests
from softco.quality.example_tests import example_tests

SPEC = FileSpec.model_validate(
    {
        "path": "roman.py",
        "responsibility": "r",
        "interface": [
            {"signature": "def to_roman(n: int) -> str"},
            {"signature": "def from_roman(s: str) -> int"},
        ],
    }
)


def _prd(examples: list[tuple[str, str]]) -> PRD:
    return PRD.model_validate(
        {
            "title": "roman",
            "summary": "s",
            "features": ["f"],
            "user_stories": [
                {
                    "title": "t",
                    "story": "s",
                    "acceptance": [
                        {"text": "c", "examples": [{"call": c, "expected": e} for c, e in examples]}
                    ],
                }
            ],
        }
    )


def test_literal_and_raising_examples_become_asserts(tmp_path):
    source = example_tests(
        _prd(
            [
                ("to_roman(4)", "'IV'"),
                ("to_roman(0)", "raises ValueError"),
                ("from_roman('X')", "10"),
                ("to_roman(4)", "'IV'"),  # a repeated example is one test
                ("from_roman('X') / 4", "2.5"),  # not a call of the module: skipped
                ("to_roman(n)", "'I'"),  # an undefined name: skipped
                ("from_roman('IV')", "four"),  # prose: skipped
                ("to_roman(5)", "raises RomanError"),  # not a builtin exception: skipped
                ("from_roman('data.txt')", "0"),  # a file: left to the tester
            ]
        ),
        SPEC,
    )
    assert source.count("def test_") == 3
    assert "from roman import from_roman, to_roman" in source
    assert "assert to_roman(4) == 'IV'" in source
    assert "with pytest.raises(ValueError):\n        to_roman(0)" in source
    (tmp_path / "roman.py").write_text(
        "def to_roman(n):\n    if n < 1:\n        raise ValueError(n)\n"
        "    return {4: 'IV'}[n]\n\n\ndef from_roman(s):\n    return 10\n"
    )
    (tmp_path / "test_examples.py").write_text(source)
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert "3 passed" in run.stdout, run.stdout


def test_floats_compare_approximately_and_the_file_passes_the_test_gate():
    from softco.artifacts import Design

    source = example_tests(_prd([("from_roman('V')", "5.0")]), SPEC)
    assert "assert from_roman('V') == pytest.approx(5.0)" in source
    design = Design.model_validate({"summary": "s", "files": [SPEC.model_dump()]})
    assert check_tests("tests/test_roman_examples.py", source, design) == []


def test_no_usable_example_means_no_file():
    assert example_tests(_prd([("main(['x'])", "0"), ("to_roman(1)", "one")]), SPEC) is None


def test_every_function_a_call_uses_is_imported():
    source = example_tests(_prd([("from_roman(to_roman(4))", "4")]), SPEC)
    assert "from roman import from_roman, to_roman" in source
