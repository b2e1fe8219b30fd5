"""A brief that states its interface is built as written (no architect call)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from softco import Company, Settings, StopReason
from softco.artifacts.stated import stated_interface
from softco.demo_script import demo_transport
from softco.eval.tasks import load_tasks
from softco.events import read_events
from softco.workflows.design_check import stated_design

TASKS = load_tasks(Path(__file__).parent.parent / "tasks" / "public_briefs.jsonl")


def _imports(source: str) -> dict[str, set[str]]:
    wanted: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            wanted.setdefault(node.module, set()).update(a.name for a in node.names)
    return wanted


@pytest.mark.parametrize("task", TASKS, ids=[t.name for t in TASKS])
def test_every_name_an_acceptance_test_imports_is_in_the_stated_design(task):
    design = stated_design(task.brief())
    assert design is not None
    offered = {f.module: {fn.name for fn in f.interface} for f in design.files}
    for module, names in _imports(task.acceptance_tests).items():
        if module == "pytest":
            continue
        assert module in offered, f"{task.name}: no file for {module}"
        assert names <= offered[module], f"{task.name}: {names - offered[module]} missing"


def test_signatures_and_docstrings_are_the_briefs_words():
    stated = stated_interface(
        "A word counter.\n\nInterface:\nwc/core.py: count(text: str) -> dict[str, int] "
        "(lower-cased; punctuation ignored); top(counts: dict[str, int], n: int) -> "
        "list[tuple[str, int]]. wc/cli.py: main(argv: list[str] | None = None) -> int; "
        "prints one line per word using print()."
    )
    core = {fn.signature: fn.docstring for fn in stated["wc/core.py"]}
    assert core == {
        "def count(text: str) -> dict[str, int]": "Lower-cased; punctuation ignored",
        "def top(counts: dict[str, int], n: int) -> list[tuple[str, int]]": "",
    }
    [main] = stated["wc/cli.py"]  # print() in the prose is not a function of the file
    assert main.signature == "def main(argv: list[str] | None = None) -> int"


def test_a_class_keeps_its_constructor_methods_and_attributes():
    [cls, main] = stated_interface(
        "game.py: class Game(secret: int, tries: int = 3) with guess(n: int) -> str "
        "returning 'higher' or 'lower', is_over() -> bool, attributes won: bool; main() plays."
    )["game.py"]
    assert cls.signature == "class Game"
    assert "Constructor: Game(secret: int, tries: int = 3)." in cls.docstring
    assert "guess(n: int) -> str: returning 'higher' or 'lower'" in cls.docstring
    assert "Attributes: won: bool" in cls.docstring
    assert main.signature == "def main()"


def test_the_design_gets_package_markers_a_cli_and_its_dependencies():
    design = stated_design(
        "pkg/core.py: f(x: int) -> int. pkg/cli.py: main(argv: list[str] | None = None) -> int"
    )
    assert design.paths == ["pkg/__init__.py", "pkg/core.py", "pkg/cli.py"]
    cli = design.file("pkg/cli.py")
    assert cli.kind == "cli" and cli.depends_on == ["pkg/core.py"]
    assert design.entry_point == "pkg/cli.py"


@pytest.mark.parametrize(
    "brief",
    [
        "A library 'textstats' with word_count(text) and top_words(text, n).",
        "Rename setup.py: nothing else.",
        "calc.py: 2 + (3 * 4) is fourteen",
    ],
)
def test_briefs_that_state_no_signature_leave_the_design_to_the_architect(brief):
    assert stated_design(brief) is None


def test_a_stated_interface_is_built_without_asking_the_architect(tmp_path):
    brief = (
        "A Python library 'textstats' with a CLI that prints the word count of a text file.\n"
        "Interface:\ntextstats/core.py: word_count(text: str) -> int; "
        "top_words(text: str, n: int) -> list[tuple[str, int]]. "
        "textstats/cli.py: main(argv: list[str] | None = None) -> int"
    )
    settings = Settings.load(memory={"enabled": False})
    result = Company(settings, transport=demo_transport()).run(brief, run_dir=tmp_path / "r")
    # 7 and 2 regression tests (the missing-file test now expects only a non-zero code)
    assert result.stop_reason == StopReason.DONE and result.report.tests_passed == 9
    events = list(read_events(result.run_dir))
    assert not [e for e in events if e.type == "llm_call" and e.role == "architect"]
    assert any(e.type == "llm_call" and e.role == "coder" for e in events)
    design = next(e for e in events if e.type == "design_ready")
    assert design.generations == [
        ["textstats/__init__.py", "textstats/core.py"],
        ["textstats/cli.py"],
    ]


def test_prose_with_parentheses_is_not_an_interface():
    stated = stated_interface(
        "calc.py: add(a: int, b: int) -> int (sum); the command line (argparse) reads "
        "integers (n) and this class keeps nothing; max(values: list[int]) -> int (largest)."
    )
    assert [fn.name for fn in stated["calc.py"]] == ["add", "max"]
