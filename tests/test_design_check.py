"""Design completion and gap checks: pure functions, no LLM."""

from __future__ import annotations

from softco.artifacts import PRD, Design
from softco.demo_script import BRIEF
from softco.demo_script import PRD as DEMO_PRD
from softco.workflows.design_check import (
    complete_design,
    design_gaps,
    fill_interfaces_from_code,
    named_functions,
)


def _design(files, entry=""):
    return Design.model_validate({"summary": "s", "files": files, "entry_point": entry})


def test_named_functions_come_from_calls_in_the_brief():
    assert named_functions(BRIEF) == ["word_count", "top_words"]


def test_a_cli_file_gets_kind_main_entry_point_and_dependencies():
    prd = PRD.model_validate(DEMO_PRD)
    design = complete_design(
        _design(
            [
                {
                    "path": "ts/core.py",
                    "responsibility": "r",
                    "interface": [{"signature": "def word_count(text: str) -> int"}],
                },
                {"path": "ts/cli.py", "responsibility": "cli"},
            ]
        ),
        prd,
    )
    cli = design.file("ts/cli.py")
    assert cli.kind == "cli" and design.entry_point == "ts/cli.py"
    assert [fn.name for fn in cli.interface] == ["main"] and cli.depends_on == ["ts/core.py"]


def test_gaps_name_empty_interfaces_and_missing_functions():
    prd = PRD.model_validate(DEMO_PRD)
    design = _design(
        [
            {"path": "ts/__init__.py", "responsibility": "marker"},
            {
                "path": "ts/core.py",
                "responsibility": "r",
                "interface": [{"signature": "def word_count(text: str) -> int"}],
            },
            {"path": "ts/util.py", "responsibility": "helpers"},
        ]
    )
    gaps = design_gaps(design, prd, BRIEF)
    assert any("ts/util.py has an empty interface" in g for g in gaps)
    assert any("top_words(...)" in g for g in gaps)
    assert not any("__init__" in g for g in gaps)
    assert any("cli.py" in g for g in gaps)


def test_empty_interfaces_are_read_back_from_the_code(tmp_path):
    (tmp_path / "ts").mkdir()
    (tmp_path / "ts" / "core.py").write_text(
        "def word_count(text: str) -> int:\n    return len(text.split())\n\n"
        "def _private():\n    return 1\n"
    )
    design = _design([{"path": "ts/core.py", "responsibility": "r"}])
    filled = fill_interfaces_from_code(design, tmp_path)
    assert [fn.name for fn in filled.file("ts/core.py").interface] == ["word_count"]


def test_tests_a_gate_points_into_are_pruned_and_the_rest_kept():
    from softco.workflows.gating import prune_broken_tests

    content = (
        "from m import f\n\n\ndef test_ok():\n    assert f(1) == 1\n\n\n"
        "@pytest.mark.parametrize('x', [1])\ndef test_bad(x):\n    assert capsys\n"
    )
    pruned = prune_broken_tests(content, ["line 10: undefined name 'capsys'"])
    assert "test_ok" in pruned and "test_bad" not in pruned and "parametrize" not in pruned
    only_bad = "def test_bad():\n    assert capsys\n"
    assert prune_broken_tests(only_bad, ["line 2: undefined name 'capsys'"]) == only_bad


def test_copies_of_pytest_fixtures_are_removed_and_the_tests_use_the_real_ones():
    from softco.workflows.gating import prune_broken_tests

    content = (
        "import pytest\n\n\n@pytest.fixture\ndef tmp_path(tmpdir):\n    return tmpdir\n\n\n"
        "def test_writes(tmp_path):\n    assert tmp_path.exists()\n\n\n"
        "def test_bad():\n    assert nope\n"
    )
    findings = ["line 5: redefines the pytest fixture 'tmp_path'", "line 14: undefined name 'nope'"]
    pruned = prune_broken_tests(content, findings)
    assert "def tmp_path" not in pruned and "pytest.fixture" not in pruned
    assert "def test_writes(tmp_path)" in pruned and "test_bad" not in pruned


def test_fallback_design_is_built_from_the_functions_the_brief_names():
    from softco.workflows.design_check import fallback_design

    prd = PRD.model_validate(DEMO_PRD)
    plain = fallback_design(prd, BRIEF)
    assert plain is not None and plain.entry_point.endswith("cli.py")
    core = next(f for f in plain.files if f.path.endswith("core.py"))
    assert [fn.signature for fn in core.interface] == [
        "def word_count(text)",
        "def top_words(text, n)",
    ]
    assert design_gaps(plain, prd, BRIEF) == []


def test_a_suite_that_cannot_even_be_collected_scores_below_failing_tests():
    from softco.artifacts import TestCase, TestReport
    from softco.workflows.repair import _score

    broken_imports = TestReport(cases=[], output="ImportError: cannot import name")
    failing = TestReport(cases=[TestCase(name="t::a", outcome="failed")])
    assert _score(broken_imports) < _score(failing)
