"""A unit the gate says ignores the interface is written again on its own until it does not."""

from __future__ import annotations

import pytest

from softco.artifacts import CodeFile, Design, FileSpec
from softco.config import Settings
from softco.quality import check_module
from softco.quality.edits import without_method
from softco.workflows import unit_rewrite
from softco.workflows.design_check import stated_design
from softco.workflows.runtime import Runtime

CART = (
    "cart.py: class Cart with add(item: str, price: float) (adds), "
    "apply_discount(percent: float) (0..100), total() -> float (rounded)."
)
QUERY_DISCOUNT = (
    "class Cart:\n"
    "    def __init__(self):\n        self.items = {}\n        self.discount = 0.0\n\n"
    "    def add(self, item: str, price: float):\n        self.items[item] = price\n\n"
    "    def apply_discount(self, percent: float):\n"
    "        if percent < 0:\n            raise ValueError(percent)\n"
    "        return round(sum(self.items.values()) * (1 - percent / 100), 2)\n\n"
    "    def total(self) -> float:\n"
    "        return round(sum(self.items.values()) * (1 - self.discount / 100), 2)\n"
)
STORING_DISCOUNT = "def apply_discount(self, percent: float):\n    self.discount = percent\n"


def cart_design() -> tuple[FileSpec, Design]:
    design = stated_design(CART)
    assert design is not None
    return design.files[0], design


class FakeRuntime:
    def __init__(self, unit_samples: int = 3) -> None:
        self.settings = Settings.model_validate({"workflow": {"unit_samples": unit_samples}})
        self.said: list[str] = []
        self.draws: dict[str, int] = {}

    seeds = Runtime.seeds

    def say(self, role: str, text: str, phase: str) -> None:
        self.said.append(text)


def test_a_command_that_returns_its_result_and_changes_nothing_is_a_finding():
    spec, design = cart_design()
    found = check_module(spec, QUERY_DISCOUNT, design)
    assert found == [
        "line 9: Cart.apply_discount returns a value but changes nothing on the object: the "
        "interface gives `def apply_discount(self, percent: float)` no return value, so it "
        "must change the object's attributes (what the other methods read) instead of "
        "returning a result"
    ]


@pytest.mark.parametrize(
    "body",
    [
        "self.discount = percent\n        return self.discount",  # stores, then answers
        "self.history.append(percent)\n        return len(self.history)",  # mutates an attribute
        "self._save(percent)\n        return percent",  # another method may store it
        "print(percent)\n        return percent",  # output is an effect
        "return None",  # returns nothing
    ],
)
def test_a_command_with_any_effect_or_no_result_is_left_alone(body):
    spec, design = cart_design()
    code = QUERY_DISCOUNT.replace(
        "        if percent < 0:\n            raise ValueError(percent)\n"
        "        return round(sum(self.items.values()) * (1 - percent / 100), 2)",
        f"        {body}",
    )
    assert not any("changes nothing" in f for f in check_module(spec, code, design))


def test_a_method_the_interface_gives_a_return_type_may_be_a_pure_query():
    design = stated_design(
        "cart.py: class Cart with add(item: str, price: float) (adds), "
        "discounted(percent: float) -> float (the total after the discount)."
    )
    assert design is not None
    code = QUERY_DISCOUNT.replace("apply_discount", "discounted").replace(
        "def discounted(self, percent: float):", "def discounted(self, percent: float) -> float:"
    )
    assert check_module(design.files[0], code, design) == []


def test_without_method_drops_one_method_and_refuses_what_it_cannot_find():
    rest = without_method(QUERY_DISCOUNT, "Cart", "apply_discount")
    assert rest is not None and "apply_discount" not in rest and "def total" in rest
    assert without_method(QUERY_DISCOUNT, "Cart", "missing") is None
    assert without_method(QUERY_DISCOUNT, "Basket", "add") is None
    assert without_method("class A:\n    def f(self):\n        return 1\n", "A", "f") is None


def test_a_flagged_method_is_rewritten_alone_until_a_sample_clears_its_finding(monkeypatch):
    spec, design = cart_design()
    answers = iter(
        [
            # the first sample repeats the mistake; the second stores the discount
            "def apply_discount(self, percent: float):\n    return percent * 2\n",
            STORING_DISCOUNT,
        ]
    )
    asked = []

    def write_method(ctx, spec, cls, signature, source, design, temperature, seed, hint):
        asked.append((source, temperature, seed, hint))
        return CodeFile(path=spec.path, content=next(answers))

    monkeypatch.setattr(unit_rewrite.coder, "write_method", write_method)
    rt = FakeRuntime()
    fixed = unit_rewrite.rewrite_flagged_units(rt, None, spec, design, None, QUERY_DISCOUNT)
    assert check_module(spec, fixed, design) == []
    namespace: dict = {}
    exec(fixed, namespace)
    cart = namespace["Cart"]()
    cart.add("book", 20.0)
    cart.apply_discount(15)
    assert cart.total() == 17.0
    # the old body is not shown (a small model returns it unchanged); samples differ
    assert len(asked) == 2 and all("apply_discount" not in source for source, *_ in asked)
    assert asked[0][2] != asked[1][2] and asked[0][1] > 0
    assert "changes the object's attributes" in asked[0][3]
    assert rt.said == [f"cart.py: wrote Cart.apply_discount() again on its own: {asked[0][3]}"]


def test_a_function_ignoring_a_parameter_is_rewritten_and_a_breaking_rewrite_refused(
    monkeypatch,
):
    design = stated_design(
        "unitconv.py: convert(value: float, src: str, dst: str) -> float (for m and km)."
    )
    assert design is not None
    spec = design.files[0]
    ignores = (
        "FACTORS = {'m': 1.0, 'km': 1000.0}\n\n\n"
        "def convert(value: float, src: str, dst: str) -> float:\n"
        "    # TODO: the target unit\n"
        "    return value * FACTORS[src]\n"
    )
    # two findings; the first sample has one, but it is a NameError the file did not have
    assert len(check_module(spec, ignores, design)) == 2
    answers = iter(
        [
            # uses dst, but through a name nothing defines: breaks the module
            "def convert(value: float, src: str, dst: str) -> float:\n"
            "    return value * TABLE[src] / TABLE[dst]\n",
            "def convert(value: float, src: str, dst: str) -> float:\n"
            "    return value * FACTORS[src] / FACTORS[dst]\n",
        ]
    )
    hints = []

    def write_function(ctx, spec, name, design, prd, temperature, seed, hint):
        hints.append(hint)
        return CodeFile(path=spec.path, content=next(answers))

    monkeypatch.setattr(unit_rewrite.coder, "write_function", write_function)
    fixed = unit_rewrite.rewrite_flagged_units(FakeRuntime(), None, spec, design, None, ignores)
    namespace: dict = {}
    exec(fixed, namespace)
    assert namespace["convert"](2, "km", "m") == 2000.0
    assert hints[0] == (
        "Every parameter matters: the result must depend on dst (a previous version ignored it)."
    )


def test_no_sample_clears_the_finding_the_unit_stays_and_zero_samples_ask_nothing(monkeypatch):
    spec, design = cart_design()
    calls = []

    def write_method(ctx, spec, cls, signature, source, design, temperature, seed, hint):
        calls.append(seed)
        return CodeFile(path=spec.path, content="def apply_discount(self, percent):\n    return 1")

    monkeypatch.setattr(unit_rewrite.coder, "write_method", write_method)
    same = unit_rewrite.rewrite_flagged_units(
        FakeRuntime(2), None, spec, design, None, QUERY_DISCOUNT
    )
    assert same == QUERY_DISCOUNT and len(calls) == 2
    # asked again in the same run (the next gate pass), it draws new samples
    rt = FakeRuntime(2)
    for _ in range(2):
        unit_rewrite.rewrite_flagged_units(rt, None, spec, design, None, QUERY_DISCOUNT)
    assert calls[2:] == [101, 102, 103, 104]
    calls.clear()
    unit_rewrite.rewrite_flagged_units(FakeRuntime(0), None, spec, design, None, QUERY_DISCOUNT)
    assert calls == []


def test_storing_a_value_over_a_method_breaks_the_module_and_is_refused(monkeypatch):
    spec, design = cart_design()
    shadows = STORING_DISCOUNT.replace("self.discount = percent", "self.total = percent")
    rest = without_method(QUERY_DISCOUNT, "Cart", "apply_discount")
    assert rest is not None
    from softco.quality.reshape import add_method

    broken = add_method(rest, "Cart", shadows, "apply_discount")
    found = check_module(spec, broken, design)
    assert (
        "line 14: Cart.apply_discount assigns self.total, which replaces the method total() "
        "on the object: store the value under another attribute name" in found
    )
    assert unit_rewrite.flagged_units(found)["Cart.apply_discount"].startswith(
        "Never assign self.total: total() is a method of the class"
    )
    answers = iter([shadows, STORING_DISCOUNT])

    def write_method(ctx, spec, cls, signature, source, design, temperature, seed, hint):
        return CodeFile(path=spec.path, content=next(answers))

    monkeypatch.setattr(unit_rewrite.coder, "write_method", write_method)
    fixed = unit_rewrite.rewrite_flagged_units(
        FakeRuntime(), None, spec, design, None, QUERY_DISCOUNT
    )
    assert "self.discount = percent" in fixed and "self.total =" not in fixed


@pytest.mark.parametrize(
    "listing, body",
    [
        # the brief states no return type anywhere: a missing arrow says nothing
        ("push(item: int), apply_top() (the top item)", "return self.items[-1]"),
        # a noun may be a query the brief left bare; a line saying what it returns
        ("push(item: int), size() -> int, balance()", "return self.items[-1]"),
        (
            "push(item: int), size() -> int, set_top() (returns the top item)",
            "return self.items[-1]",
        ),
        # stores through a loop variable: an effect on the object's parts
        (
            "push(item: int), size() -> int, mark_all()",
            "n = 0\n        for t in self.items:\n            t.done = True\n"
            "            n += 1\n        return n",
        ),
    ],
)
def test_queries_and_commands_with_effects_are_not_flagged(listing, body):
    design = stated_design(f"stack.py: class Stack with {listing}.")
    assert design is not None
    method = listing.rsplit(", ", 1)[-1].split("(", 1)[0]
    code = (
        "class Stack:\n    def __init__(self):\n        self.items = []\n\n"
        "    def push(self, item: int):\n        self.items.append(item)\n\n"
        "    def size(self) -> int:\n        return len(self.items)\n\n"
        f"    def {method}(self):\n        {body}\n"
    )
    assert check_module(design.files[0], code, design) == []


def test_a_property_setter_is_assigned_through_not_shadowed():
    design = stated_design("temp.py: class Temp with set_celsius(c: float), f() -> float.")
    assert design is not None
    code = (
        "class Temp:\n    def __init__(self):\n        self.celsius = 0.0\n\n"
        "    @property\n    def celsius(self):\n        return self._c\n\n"
        "    @celsius.setter\n    def celsius(self, value):\n        self._c = value\n\n"
        "    def set_celsius(self, c: float):\n        self.celsius = c\n\n"
        "    def f(self) -> float:\n        return self.celsius * 9 / 5 + 32\n"
    )
    assert check_module(design.files[0], code, design) == []


def test_a_line_saying_it_returns_nothing_does_not_hide_the_finding():
    design = stated_design(CART.replace("(0..100)", "(0..100; returns nothing)"))
    assert design is not None
    found = check_module(design.files[0], QUERY_DISCOUNT, design)
    assert any("Cart.apply_discount returns a value but changes nothing" in f for f in found)


def test_assigning_a_read_only_property_is_a_finding():
    spec, design = cart_design()
    code = QUERY_DISCOUNT.replace(
        "    def total(self) -> float:", "    @property\n    def total(self) -> float:"
    ).replace(
        "        return round(sum(self.items.values()) * (1 - percent / 100), 2)",
        "        self.total = round(sum(self.items.values()) * (1 - percent / 100), 2)",
    )
    found = check_module(spec, code, design)
    assert any("assigns self.total, which replaces the method total()" in f for f in found)


def test_a_main_reading_an_argument_its_parser_never_defines_is_written_again(monkeypatch):
    design = stated_design(
        "todo.py: add(path: str, text: str) -> int (new id); "
        "main(argv: list[str] | None = None) -> int with `--file PATH add TEXT`."
    )
    assert design is not None
    spec = design.files[0]
    head = (
        "import argparse\n\n\ndef add(path: str, text: str) -> int:\n"
        "    with open(path, 'a') as f:\n        f.write(text)\n    return 1\n\n\n"
    )
    main = (
        "def main(argv: list[str] | None = None) -> int:\n"
        "    parser = argparse.ArgumentParser()\n    parser.add_argument('--file')\n"
        "    parser.add_argument('text')\n    args = parser.parse_args(argv)\n"
        "    add(args.file, *args.args)\n    return 0\n"
    )
    found = check_module(spec, head + main, design)
    hint = unit_rewrite.flagged_units(found)["main"]
    assert "a previous version read args.args" in hint
    asked = []

    def write_function(ctx, spec, name, design, prd, temperature, seed, hint):
        asked.append((name, hint))
        return CodeFile(path=spec.path, content=main.replace("*args.args", "args.text"))

    monkeypatch.setattr(unit_rewrite.coder, "write_function", write_function)
    fixed = unit_rewrite.rewrite_flagged_units(FakeRuntime(), None, spec, design, None, head + main)
    assert "add(args.file, args.text)" in fixed and asked == [("main", hint)]


def test_a_command_that_drops_a_parameter_is_told_to_store_it():
    from tests.test_gates import CART_ADD, DROPS_PRICE, one_file

    spec, design = one_file(CART_ADD)
    hints = unit_rewrite.flagged_units(check_module(spec, DROPS_PRICE, design))
    assert hints == {
        "Cart.add": "Every parameter matters: use price to change the object (store it), "
        "where the other methods read it (a previous version dropped it)."
    }
