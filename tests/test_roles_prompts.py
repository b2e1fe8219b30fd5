"""Every prompt template renders with realistic variables, and only with all of them."""

from __future__ import annotations

import importlib.resources

import jinja2
import pytest

from softco.roles import render

USER_TEMPLATES: dict[str, dict] = {
    "pm.prd": {"brief": "a word counter CLI"},
    "pm.answer": {"prd": "Title: T", "objections": "O1 [major] on US1: vague", "ids": "O1"},
    "pm.revise": {"prd": "Title: T", "objections": "O1 ...", "answers": "O1 (no change): fine"},
    "pm.backlog": {"brief": "a todo app"},
    "pm.retro": {
        "sprint": 1,
        "accepted": "S1",
        "returned": "none",
        "notes": "demo went well",
        "tests": "3 passed",
    },
    "critic.critique": {"persona": "QA", "document": "Title: T", "ids": "US1, US2"},
    "judge.rule": {
        "document": "Title: T",
        "objections": "O1 ...",
        "answers": "O1: ok",
        "ids": "O1",
    },
    "architect.design": {
        "prd": "Title: T",
        "existing": "# calc/ops.py",
        "package": "calc",
        "min_files": 2,
        "max_files": 6,
        "cli": True,
        "problems": ["import cycle: a.py -> b.py -> a.py"],
    },
    "coder.write": {
        "path": "calc/ops.py",
        "responsibility": "arithmetic",
        "interface": "def add(a: int, b: int) -> int:",
        "stories": "US1 Add: ...",
        "deps": "# import with: from calc.util import clamp",
        "libraries": "Use the Python standard library only.",
        "cli": True,
        "has_class": False,
        "feedback": "NameError: x",
        "previous": "def add(a, b): return x",
        "rules": ["add: Every parameter matters: the result must depend on b."],
    },
    "coder.function": {
        "path": "calc/ops.py",
        "name": "add",
        "responsibility": "arithmetic",
        "stub": "def add(a: int, b: int) -> int:",
        "stories": "US1 Add: ...",
        "deps": "",
        "others": "def sub(a: int, b: int) -> int",
        "libraries": "Use the Python standard library only.",
        "hint": "Every parameter matters: the result must depend on b.",
    },
    "coder.method": {
        "path": "cart.py",
        "responsibility": "a shopping cart",
        "class_name": "Cart",
        "class_source": "class Cart:\n    def __init__(self):\n        self.items = {}",
        "class_doc": "Methods:\n  total() -> float: rounded to 2 decimals",
        "signature": "def total(self) -> float",
        "name": "total",
        "libraries": "Use the Python standard library only.",
        "hint": "",
    },
    "tester.write": {
        "test_path": "tests/test_ops.py",
        "path": "calc/ops.py",
        "interface": "def add(a: int, b: int) -> int:",
        "stories": "US1 Add",
        "import_line": "from calc.ops import add",
        "cli": False,
        "feedback": "",
    },
    "tester.cases": {
        "path": "calc/cli.py",
        "interface": "def main(argv: list[str] | None = None) -> int:",
        "stories": "US1 Add",
        "names": "add",
        "cli": True,
        "feedback": "tests/test_cli.py::test_cli_adds failed",
    },
    "reviewer.review": {"design": "# calc/ops.py", "files": [("calc/ops.py", "  1 x = 1")]},
}


def all_templates() -> set[str]:
    folder = importlib.resources.files("softco.roles") / "prompts"
    return {p.name.removesuffix(".md.j2") for p in folder.iterdir() if p.name.endswith(".md.j2")}


def test_every_template_is_covered_here():
    families = {name.split(".")[0] for name in USER_TEMPLATES}
    expected = set(USER_TEMPLATES) | {f"{f}.system" for f in families}
    assert all_templates() == expected


@pytest.mark.parametrize("family", sorted({n.split(".")[0] for n in USER_TEMPLATES}))
def test_system_prompts_render_without_variables(family):
    text = render(f"{family}.system")
    # code comes back as a fenced block (no JSON escaping), documents as JSON; the tester
    # is asked for both (cases as JSON, code as a fallback), so its task prompt says which
    wanted = {"coder": "```python", "tester": "test engineer"}.get(family, "JSON")
    assert wanted in text and "{{" not in text


def test_the_testers_code_prompt_asks_for_a_fenced_block():
    assert "```python" in render("tester.write", **USER_TEMPLATES["tester.write"])


@pytest.mark.parametrize("name", sorted(USER_TEMPLATES))
def test_user_prompts_render_with_all_variables(name):
    variables = USER_TEMPLATES[name]
    text = render(name, **variables)
    assert "{{" not in text and "{%" not in text
    for value in variables.values():
        if isinstance(value, str) and value:
            assert value in text


@pytest.mark.parametrize("name", sorted(USER_TEMPLATES))
def test_a_missing_variable_raises(name):
    variables = dict(USER_TEMPLATES[name])
    first = next(iter(variables))
    del variables[first]
    with pytest.raises(jinja2.UndefinedError):
        render(name, **variables)


def test_unknown_template_is_a_clear_error():
    with pytest.raises(FileNotFoundError, match="no prompt template"):
        render("nobody.system")
