"""Scoring a repo: ChatDev metrics, entry points, acceptance tests and mutants."""

from __future__ import annotations

import ast

from softco.config import SandboxSettings
from softco.eval import metrics
from softco.eval.mutation import kill_rate, mutants
from softco.eval.score import entry_module, score_repo

ADD = "def add(a, b):\n    return a + b\n"
GOOD_TEST = "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"
EMPTY_TEST = "from calc import add\n\n\ndef test_add():\n    add(2, 3)\n"


def repo(tmp_path, files):
    root = tmp_path / "repo"
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


def test_completeness_counts_placeholder_functions():
    stubbed = {
        "m.py": "def a():\n    return 1\n\ndef b():\n    pass\n\n"
        "def c():\n    raise NotImplementedError\n\ndef d():\n    ...\n"
    }
    assert metrics.completeness(stubbed) == 0.25
    assert metrics.completeness({"m.py": ADD}) == 1.0
    assert metrics.completeness({}) == 0.0  # nothing delivered is not "complete"


def test_strip_comments_drops_comments_and_docstrings_only():
    source = '"""Module doc."""\n# a comment\ndef f(x):\n    """Doc."""\n    return x + 1  # why\n'
    stripped = metrics.strip_comments(source)
    assert "doc" not in stripped.lower() and "comment" not in stripped and "why" not in stripped
    assert ast.dump(ast.parse(stripped).body[0].body[0]) == ast.dump(
        ast.parse("return x + 1").body[0]
    )


def test_consistency_prefers_code_about_the_brief():
    about = {"wc.py": "def word_count(text):\n    return len(text.split())\n"}
    unrelated = {"geo.py": "def circle_area(radius):\n    return 3.14159 * radius ** 2\n"}
    brief = "count the words in a text"
    assert metrics.consistency(brief, about) > metrics.consistency(brief, unrelated)
    assert metrics.consistency(brief, {}) == 0.0


def test_quality_is_the_product():
    assert metrics.quality(1.0, 1.0, 0.5) == 0.5 and metrics.quality(1.0, 0.0, 0.9) == 0.0


def test_test_files_are_not_the_program(tmp_path):
    root = repo(
        tmp_path,
        {
            "calc.py": ADD,
            "tests/test_calc.py": GOOD_TEST,
            "test_top.py": GOOD_TEST,
            "pkg/conftest.py": "",
        },
    )
    assert list(metrics.source_files(root)) == ["calc.py"]


def test_mutants_cover_each_operator_and_respect_the_cap():
    source = "def f(a, b):\n    if a < b and a == 2:\n        return a + 1\n    return b - a\n"
    found = {m.description for m in mutants({"f.py": source}, cap=50)}
    assert {
        "< -> <=",
        "== -> !=",
        "+ -> -",
        "- -> +",
        "2 -> 3",
        "1 -> 2",
        "return x -> return None",
    } <= found
    capped = mutants({"f.py": source, "g.py": source}, cap=4)
    assert len(capped) == 4 and {m.path for m in capped} == {"f.py", "g.py"}
    assert all(ast.parse(m.source) for m in capped)


def test_tests_that_assert_nothing_kill_no_mutants(tmp_path):
    strong = repo(tmp_path / "s", {"calc.py": ADD, "tests/test_calc.py": GOOD_TEST})
    weak = repo(tmp_path / "w", {"calc.py": ADD, "tests/test_calc.py": EMPTY_TEST})
    sandbox = SandboxSettings()
    assert kill_rate(strong, {"calc.py": ADD}, sandbox).kill_rate == 1.0
    lazy = kill_rate(weak, {"calc.py": ADD}, sandbox)
    assert lazy.kill_rate == 0.0 and lazy.survivors
    assert (weak / "calc.py").read_text() == ADD  # mutants ran on a copy


def test_entry_module_runs_package_files_as_modules():
    assert entry_module("pkg/cli.py") == "pkg.cli"
    assert entry_module("pkg/__main__.py") == "pkg"
    assert entry_module("my-app/run.py") == "my-app/run.py"
    assert entry_module(None) is None


def test_score_repo_with_crashing_entry_point_and_hidden_tests(tmp_path):
    main = "import sys\n\n\ndef main():\n    raise RuntimeError('boom')\n\n\nmain()\n"
    root = repo(tmp_path, {"calc.py": ADD, "app.py": main, "tests/test_calc.py": GOOD_TEST})
    hidden = GOOD_TEST + "\n\ndef test_sub():\n    from calc import sub\n"
    scores = score_repo(
        root,
        "add two numbers",
        SandboxSettings(),
        entry_point="app.py",
        acceptance_tests=hidden,
        max_mutants=0,
    )
    assert (scores.tests_passed, scores.tests_total) == (1, 1)
    assert scores.entrypoint_ok is False and scores.executability == 0.0 and scores.quality == 0
    assert (scores.acceptance_passed, scores.acceptance_total) == (1, 2)
    assert not (root / "tests" / "acceptance").exists()


def test_interactive_program_that_runs_out_of_input_is_executable(tmp_path):
    game = "def main():\n    while True:\n        print(input('> '))\n\n\nmain()\n"
    root = repo(tmp_path, {"game.py": game, "tests/test_calc.py": GOOD_TEST, "calc.py": ADD})
    scores = score_repo(root, "echo game", SandboxSettings(), entry_point="game.py", max_mutants=0)
    assert scores.entrypoint_ok is True and scores.executability == 1.0
