"""Static gates: one test per defect they must catch, and clean code passes."""

from __future__ import annotations

import textwrap

import pytest

from softco.artifacts import Design, FileSpec
from softco.quality import check_module, check_tests, placeholder_ratio, signature_warnings

DESIGN = Design.model_validate(
    {
        "summary": "core counts words; cli wraps it.",
        "files": [
            {"path": "textstats/__init__.py", "responsibility": "package"},
            {
                "path": "textstats/core.py",
                "responsibility": "count words",
                "interface": [
                    {"signature": "def word_count(text: str) -> int"},
                    {"signature": "class Counter"},
                ],
            },
            {
                "path": "textstats/cli.py",
                "responsibility": "command line",
                "kind": "cli",
                "interface": [{"signature": "def main(argv: list[str] | None = None) -> int"}],
                "depends_on": ["textstats/core.py"],
            },
        ],
    }
)
CORE = DESIGN.file("textstats/core.py")
CLI = DESIGN.file("textstats/cli.py")

CLEAN_CORE = '''\
"""Word counting."""
import re

WORD = re.compile(r"\\w+")


def word_count(text: str) -> int:
    """Count words."""
    return len(WORD.findall(text))


class Counter:
    pass
'''
CLEAN_CLI = """\
import argparse
import sys

from textstats.core import word_count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("text")
    args = parser.parse_args(argv)
    print(word_count(args.text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
"""
CLEAN_TESTS = """\
import pytest

from textstats.cli import main
from textstats.core import word_count


def test_counts_words():
    assert word_count("a b") == 2


@pytest.mark.parametrize("text, expected", [("", 0), ("one", 1)])
def test_edges(text, expected):
    assert word_count(text) == expected


def test_cli_exit_code(capsys, tmp_path):
    assert main(["a b"]) == 0
    assert capsys.readouterr().out.strip() == "2"


def test_rejects_none():
    with pytest.raises(TypeError):
        word_count(None)
"""


def one_file(interface: str) -> tuple[FileSpec, Design]:
    """The spec of the single file a brief's interface states, and its design."""
    from softco.artifacts.stated import stated_interface

    ((path, fns),) = stated_interface(interface).items()
    spec = FileSpec(path=path, responsibility=path, interface=fns)
    return spec, Design.model_validate({"summary": "s", "files": [spec.model_dump()]})


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def module_findings(spec, body: str) -> str:
    return "\n".join(check_module(spec, dedent(body), DESIGN))


def test_clean_code_and_tests_pass():
    assert check_module(CORE, CLEAN_CORE, DESIGN) == []
    assert check_module(CLI, CLEAN_CLI, DESIGN) == []
    assert check_tests("tests/test_core.py", CLEAN_TESTS, DESIGN) == []


def test_syntax_error_has_its_line():
    assert check_module(CORE, "def word_count(text):\n    return (\n", DESIGN)[0].startswith(
        "line "
    )
    assert "syntax error" in check_tests("tests/test_x.py", "def test_a(:\n", DESIGN)[0]


def test_undefined_name():
    found = module_findings(CORE, CLEAN_CORE.replace("len(WORD", "len(WORDS"))
    assert "line 9: undefined name 'WORDS'" in found


def test_unused_import_is_fine():
    assert check_module(CORE, "import os\n" + CLEAN_CORE, DESIGN) == []


def test_import_of_module_outside_design():
    found = module_findings(CLI, CLEAN_CLI.replace("textstats.core", "textstats.utils"))
    assert "imports 'textstats.utils', which is not a module of the design" in found


def test_import_of_name_the_interface_does_not_export():
    found = module_findings(CLI, CLEAN_CLI.replace("import word_count", "import count_words"))
    assert "'count_words' is not in the interface of textstats.core" in found


def test_relative_import_is_resolved():
    code = CLEAN_CLI.replace("from textstats.core import", "from .core import")
    assert check_module(CLI, code, DESIGN) == []
    assert "not in the interface" in module_findings(
        CLI, code.replace("import word_count", "import x")
    )


def test_unavailable_third_party_package():
    assert "imports 'requests', which is not available" in module_findings(
        CORE, "import requests\n" + CLEAN_CORE
    )


def test_missing_interface_function():
    found = module_findings(CORE, CLEAN_CORE.replace("def word_count", "def count"))
    assert "missing function 'word_count'" in found


def test_different_parameter_names():
    found = module_findings(CORE, CLEAN_CORE.replace("word_count(text: str)", "word_count(s: str)"))
    assert "word_count(s) does not match the interface `def word_count(text: str) -> int`" in found


def test_return_annotation_difference_is_only_a_warning():
    code = CLEAN_CORE.replace("-> int:", "-> float:")
    assert check_module(CORE, code, DESIGN) == []
    assert signature_warnings(CORE, code) == ["line 7: word_count returns float; design says int"]


@pytest.mark.parametrize(
    "body", ["pass", "...", "raise NotImplementedError", 'raise NotImplementedError("later")']
)
def test_placeholder_bodies(body):
    code = CLEAN_CORE.replace("return len(WORD.findall(text))", body)
    assert "line 7: word_count has a placeholder body" in module_findings(CORE, code)


def test_todo_comment():
    code = CLEAN_CORE.replace("    return len", "    # TODO handle unicode\n    return len")
    assert "line 9: leftover TODO comment" in module_findings(CORE, code)


def test_code_at_import_time():
    assert "`print(word_count('x'))` runs at import time" in module_findings(
        CORE, CLEAN_CORE + "print(word_count('x'))\n"
    )


def test_cli_ignoring_argv():
    found = module_findings(CLI, CLEAN_CLI.replace("parse_args(argv)", "parse_args()"))
    assert "line 10: main ignores argv: call parser.parse_args(argv)" in found


def test_tests_redefining_a_fixture():
    code = CLEAN_TESTS + "\n\n@pytest.fixture\ndef capsys():\n    return None\n"
    found = "\n".join(check_tests("tests/test_core.py", code, DESIGN))
    assert (
        "redefines the pytest fixture 'capsys': delete it and take it as a test argument" in found
    )


def test_tests_redefining_the_code_under_test():
    code = CLEAN_TESTS + "\n\ndef word_count(text):\n    return 2\n"
    found = "\n".join(check_tests("tests/test_core.py", code, DESIGN))
    assert "redefines 'word_count' from textstats.core" in found
    assert "from textstats.core import word_count" in found


def test_tests_importing_outside_the_design():
    code = CLEAN_TESTS.replace("from textstats.cli import main", "from textstats.app import main")
    found = "\n".join(check_tests("tests/test_core.py", code, DESIGN))
    assert "imports 'textstats.app', which is not a module of the design" in found


def test_tests_with_undefined_name():
    code = CLEAN_TESTS + "\n\ndef test_more():\n    assert count_words('a') == 1\n"
    assert "undefined name 'count_words'" in "\n".join(check_tests("tests/t.py", code, DESIGN))


def test_test_without_assert():
    code = CLEAN_TESTS + "\n\ndef test_nothing():\n    word_count('a')\n"
    found = check_tests("tests/test_core.py", code, DESIGN)
    assert any("test_nothing has no assert" in f for f in found)


def test_test_argument_that_is_no_fixture():
    code = CLEAN_TESTS + "\n\ndef test_add(a, b):\n    assert word_count(a) == b\n"
    found = "\n".join(check_tests("tests/test_core.py", code, DESIGN))
    assert "test_add takes 'a', which is not a pytest fixture" in found
    assert check_tests("tests/test_core.py", code, DESIGN, known_fixtures=["a", "b"]) == []


def test_file_without_tests():
    found = check_tests("tests/test_core.py", "from textstats.core import word_count\n", DESIGN)
    assert found == ["the file defines no test functions: write functions named test_<behaviour>"]


def test_placeholder_ratio():
    stub = "def a():\n    pass\n\ndef b():\n    '''doc'''\n"
    files = {"x.py": CLEAN_CORE, "y.py": stub, "bad.py": "def (:", "README.md": "def a(): pass"}
    assert placeholder_ratio(files) == pytest.approx(2 / 3)
    assert placeholder_ratio({}) == 0.0


def test_a_module_importing_from_itself_is_refused():
    from softco.artifacts import Design
    from softco.quality.gates import check_module

    design = Design.model_validate(
        {
            "summary": "s",
            "files": [
                {
                    "path": "ts/core.py",
                    "responsibility": "r",
                    "interface": [{"signature": "def word_count(text)"}],
                }
            ],
        }
    )
    problems = check_module(design.files[0], "from ts.core import word_count\n", design)
    assert any("imports from itself" in p for p in problems)


def test_functions_wrapped_in_a_stateless_class_are_lifted_to_module_level():
    from softco.quality.reshape import lift_methods

    spec = FileSpec.model_validate(
        {
            "path": "roman.py",
            "responsibility": "r",
            "interface": [
                {"signature": "def to_roman(n: int) -> str"},
                {"signature": "def from_roman(s: str) -> int"},
            ],
        }
    )
    wrapped = (
        "class Roman:\n"
        '    """Converter."""\n'
        "    VALUES = [(10, 'X'), (5, 'V'), (1, 'I')]\n\n"
        "    def to_roman(self, n: int) -> str:\n"
        "        out = ''\n"
        "        for v, s in self.VALUES:\n"
        "            while n >= v:\n"
        "                out, n = out + s, n - v\n"
        "        return out\n\n"
        "    @staticmethod\n"
        "    def from_roman(s: str) -> int:\n"
        "        return len(s)\n"
    )
    namespace: dict = {}
    exec(lift_methods(spec, wrapped), namespace)
    assert namespace["to_roman"](16) == "XVI" and namespace["from_roman"]("III") == 3
    assert "Roman" not in namespace

    stateful = (
        "class Box:\n    def __init__(self):\n        self.n = 1\n\n"
        "    def to_roman(self, n):\n        return str(self.n)\n"
    )
    assert lift_methods(spec, stateful) == stateful  # it needs its instance: left to the coder


def test_a_class_used_elsewhere_is_not_lifted_and_units_land_after_the_preamble():
    from softco.quality.reshape import add_function, lift_methods

    spec = FileSpec.model_validate(
        {"path": "r.py", "responsibility": "r", "interface": [{"signature": "def to_roman(n)"}]}
    )
    used = "class Conv:\n    def to_roman(self, n):\n        return 'I'\n\n\nX = Conv()\n"
    assert lift_methods(spec, used) == used
    content = (
        '"""Doc."""\nfrom __future__ import annotations\n\nimport os\n\n\n'
        "def a():\n    return os.sep\n"
    )
    unit = "import re\n\nTABLE = {1: 'I'}\n\n\ndef to_roman(n):\n    return TABLE[n]\n"
    out = add_function(content, unit, "to_roman")
    compile(out, "r.py", "exec")
    assert out.index("from __future__") < out.index("import re") < out.index("def a")
    namespace: dict = {}
    exec(out, namespace)
    assert namespace["to_roman"](1) == "I"


def test_a_method_the_brief_lists_must_be_in_its_class():
    spec, design = one_file(
        "cart.py: class Cart with add(item: str, price: float, qty: int = 1) (adds), "
        "count() -> int (total quantity), total() -> float (rounded)."
    )
    code = (
        "class Cart:\n    def __init__(self):\n        self.items = {}\n\n"
        "    def add(self, item: str, price: float, quantity: int = 1):\n"
        "        self.items[item] = (price, quantity)\n\n"
        "    def count(self) -> int:\n        return sum(q for _, q in self.items.values())\n"
    )
    found = "\n".join(check_module(spec, code, design))
    assert "missing method 'total' in class 'Cart': define `def total(self) -> float`" in found
    assert "Cart.add(self, item, price, quantity) does not match" in found
    assert "'count'" not in found
    total = "\n    def total(self) -> float:\n        return 0.0\n"
    fixed = code.replace("quantity", "qty") + total
    assert check_module(spec, fixed, design) == []


def test_a_missing_method_is_written_alone_and_spliced_into_its_class(monkeypatch):
    from softco.artifacts import CodeFile
    from softco.workflows import build

    spec, design = one_file("cart.py: class Cart with add(item: str) (adds), total() -> int.")
    code = (
        "class Cart:\n    def __init__(self):\n        self.items = []\n\n"
        "    def add(self, item: str):\n        self.items.append(item)\n\n\nX = 1\n"
    )
    problems = check_module(spec, code, design)
    answers = iter(
        [
            "def total(self) -> int\n    return 0",
            "import math\n\n\ndef total(self) -> int:\n    return math.prod([len(self.items)])\n",
        ]
    )
    asked = []

    def write_method(ctx, spec, cls, signature, source, design):
        asked.append((cls, signature, source))
        return CodeFile(path=spec.path, content=next(answers))

    monkeypatch.setattr(build.coder, "write_method", write_method)
    said = []
    rt = type("Rt", (), {"say": lambda self, role, text, phase: said.append(text)})()
    once = build._write_missing_methods(rt, None, spec, design, code, problems)
    assert once == code  # the first answer does not parse: the file stays as it was
    assert asked[0][:2] == ("Cart", "def total(self) -> int") and "self.items = []" in asked[0][2]
    fixed = build._write_missing_methods(rt, None, spec, design, code, problems)
    assert check_module(spec, fixed, design) == []
    assert fixed.startswith("import math\n") and fixed.rstrip().endswith("X = 1")
    namespace: dict = {}
    exec(fixed, namespace)
    cart = namespace["Cart"]()
    cart.add("a")
    assert cart.total() == 1 and said == ["cart.py: wrote Cart.total() on its own and added it"]


def test_an_interface_function_ignoring_a_parameter_goes_back_to_its_author():
    spec = FileSpec(
        path="unitconv.py",
        responsibility="convert",
        interface=[{"signature": "def convert(value: float, src: str, dst: str) -> float"}],
    )
    design = Design.model_validate({"summary": "s", "files": [spec.model_dump()]})
    ignores = (
        "def convert(value: float, src: str, dst: str) -> float:\n"
        "    return value * {'km': 1000.0, 'm': 1.0}[src]\n"
    )
    found = check_module(spec, ignores, design)
    assert found == [
        "line 1: convert never uses its parameter 'dst': the result must depend on it "
        "(`def convert(value: float, src: str, dst: str) -> float`)"
    ]
    uses = ignores.replace("[src]\n", "[src] / {'km': 1000.0, 'm': 1.0}[dst]\n")
    assert check_module(spec, uses, design) == []


def test_static_inherited_and_self_listed_methods_are_recognised():
    spec, design = one_file(
        "temp.py: class Temp with from_string(self, text: str), kelvin() -> float."
    )
    code = (
        "class Base:\n    def kelvin(self) -> float:\n        return 0.0\n\n\n"
        "class Temp(Base):\n    @staticmethod\n    def from_string(text: str):\n"
        "        return Temp() if text else None\n"
    )
    assert check_module(spec, code, design) == []
    elsewhere = code.replace("class Base:", "class Other:")
    base_from_elsewhere = "from collections import OrderedDict as Base\n" + elsewhere
    assert check_module(spec, base_from_elsewhere, design) == []


CART_ADD = "cart.py: class Cart with add(item: str, price: float) (adds), total() -> float."
DROPS_PRICE = (  # checks price, then keeps only a count: a command that drops a parameter
    "class Cart:\n    def __init__(self):\n        self.items = {}\n\n"
    "    def total(self):\n        return float(len(self.items))\n\n"
    "    def add(self, item: str, price: float):\n"
    "        if price < 0:\n            raise ValueError(f'bad price {price}')\n"
    "        self.items[item] = 1\n"
)


def test_a_method_that_only_validates_a_parameter_goes_back_to_its_author():
    spec, design = one_file(CART_ADD)
    assert check_module(spec, DROPS_PRICE, design) == [
        "line 8: Cart.add only checks its parameter 'price': a method that returns nothing "
        "must use price to change the object (store it, for example beside the other "
        "arguments it stores), where the other methods read it "
        "(`def add(self, item: str, price: float)`)"
    ]
    keeps_price = DROPS_PRICE.replace("= 1\n", "= price\n")
    assert check_module(spec, keeps_price, design) == []


def test_a_standard_star_import_is_written_out_so_undefined_names_show():
    from softco.quality.analysis import explicit_star_imports

    spec = FileSpec(
        path="unitconv.py",
        responsibility="convert",
        interface=[{"signature": "def main(argv: list[str] | None = None) -> int"}],
    )
    design = Design.model_validate({"summary": "s", "files": [spec.model_dump()]})
    code = (
        "from typing import *\n\n\n"
        "def main(argv: Optional[List[str]] = None) -> int:\n"
        "    return len(factors) + len(argv or [])\n"
    )
    assert check_module(spec, code, design) == []  # the star import hid `factors`
    written = explicit_star_imports(code)
    assert written.startswith("from typing import List, Optional\n")
    assert check_module(spec, written, design) == [
        "line 5: undefined name 'factors': import or define it"
    ]
    assert explicit_star_imports(written) == written
    other = "from mypkg import *\n\nx = y\n"
    assert explicit_star_imports(other) == other  # not a module known to be safe to import


def test_a_rewrite_that_trades_a_finding_for_a_name_error_is_not_better():
    from types import SimpleNamespace

    from softco.quality.gates import new_breakage
    from softco.workflows.gating import gated

    before = [
        "line 3: convert() never uses its parameter 'dst'",
        "line 9: main() never uses its parameter 'argv'",
    ]
    moved_table = ["line 20: undefined name 'FACTORS': import or define it"]
    assert new_breakage(before, moved_table) == moved_table
    # the same undefined name at another line is not new: the rewrite only moved it
    assert (
        new_breakage(
            ["line 4: undefined name 'X': import or define it"],
            ["line 9: undefined name 'X': import or define it"],
        )
        == []
    )
    assert new_breakage(before, before[:1]) == []
    quoted = "line 5: `print('Feature not available')` runs at import time: move it"
    unexported = "line 1: 'helper' is not in the interface of core: import only what it offers"
    assert new_breakage([], [quoted, unexported]) == [unexported]

    said = []
    rt = SimpleNamespace(
        settings=SimpleNamespace(workflow=SimpleNamespace(static_gates=True)),
        say=lambda *args: said.append(args),
    )
    findings = {"old": before, "new": moved_table}
    kept = gated(rt, "coder", "unitconv.py", "old", findings.get, lambda f, text: "new")
    assert kept == "old" and said  # fewer findings, but one of them stops the module running


def test_a_pathlib_method_on_a_str_parameter_breaks_the_module_unless_the_code_checks_its_type():
    from softco.quality.gates import new_breakage

    spec, design = one_file("todo.py: list_items(path: str) -> list[dict] (the items).")
    wrong = (
        "import json\n\n\ndef list_items(path: str) -> list[dict]:\n"
        "    if not path.exists():\n        return []\n"
        "    with open(path) as f:\n        return json.load(f)\n"
    )
    found = check_module(spec, wrong, design)
    assert found == [
        "line 5: list_items reads path.exists, but path is a str (the signature says so) and "
        "a str has no attribute 'exists': the call fails with AttributeError"
    ]
    assert new_breakage([], found) == found  # a rewrite bringing it in is refused
    converted = wrong.replace("    if not path", "    path = Path(path)\n    if not path")
    assert check_module(spec, "from pathlib import Path\n" + converted, design) == []
    checked = wrong.replace("if not path.exists()", "if isinstance(path, str) or not path.exists()")
    assert check_module(spec, checked, design) == []
    fine = wrong.replace("path.exists()", "path.endswith('.json')")
    assert check_module(spec, fine, design) == []


def test_pathlib_calls_on_a_str_parameter_are_made_on_a_path_and_the_functions_then_work(
    tmp_path,
):
    """todo's re-run: the re-ask kept ``path.exists()`` in all three functions."""
    from softco.quality.repairs import tidy
    from softco.quality.str_paths import as_paths

    spec, design = one_file("todo.py: list_items(path: str) -> list[dict] (the items).")
    wrong = (
        '"""To-do items."""\nimport json\n\n\ndef list_items(path: str) -> list[dict]:\n'
        "    if not path.exists():\n        return []\n"
        "    return json.loads(path.read_text())  # the items\n\n\n"
        "def label(path: str) -> str:\n    return path.upper() + path.name\n"
    )
    fixed = tidy(spec, wrong, design)
    assert "if not pathlib.Path(path).exists():" in fixed
    assert "json.loads(pathlib.Path(path).read_text())  # the items" in fixed
    assert fixed.splitlines()[1:3] == ["import json", "import pathlib"]
    # not a file-system method: a str's .name is some other mistake, left to the gate
    assert "path.upper() + path.name" in fixed
    namespace: dict[str, object] = {}
    exec(compile(fixed, "todo.py", "exec"), namespace)
    store = tmp_path / "todo.json"
    assert namespace["list_items"](str(store)) == []
    store.write_text('[{"id": 1}]')
    assert namespace["list_items"](str(store)) == [{"id": 1}]
    assert [p for p in check_module(spec, fixed, design) if "exists" in p] == []
    rebound = wrong.replace("    if not path", "    path = pathlib.Path(path)\n    if not path")
    assert as_paths(rebound) == rebound  # the function made it a Path itself
    assert as_paths("def f(:\n") == "def f(:\n"
