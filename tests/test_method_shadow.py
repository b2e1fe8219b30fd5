"""A value stored under the name of its class's method no longer replaces the method."""

from __future__ import annotations

import pytest

from softco.quality.method_shadow import unshadow_methods
from softco.quality.repairs import tidy
from softco.workflows.design_check import stated_design

CART = (
    "cart.py: class Cart with add(item: str, price: float), apply_discount(percent: float), "
    "total() -> float."
)
SHADOWS = (
    "class Cart:\n"
    "    def __init__(self):\n        self.items = {}\n\n"
    "    def add(self, item: str, price: float):\n        self.items[item] = price\n\n"
    "    def apply_discount(self, percent: float):\n"
    "        self.total = round(sum(self.items.values()) * (1 - percent / 100), 2)\n\n"
    "    def total(self) -> float:\n        return self.total\n"
)


def make(source: str):
    namespace: dict = {}
    exec(compile(source, "cart.py", "exec"), namespace)
    cart = namespace["Cart"]()
    cart.add("book", 20.0)
    cart.apply_discount(15)
    return cart


def test_the_stored_value_gets_its_own_name_and_the_method_works():
    with pytest.raises(TypeError):
        make(SHADOWS).total()  # a float called
    design = stated_design(CART)
    assert design is not None
    fixed = tidy(design.files[0], SHADOWS, design)
    assert "self._total_value = round(" in fixed and "return self._total_value" in fixed
    assert make(fixed).total() == 17.0


def test_calls_of_the_method_and_classes_without_a_clash_are_left_alone():
    calls = SHADOWS.replace("return self.total\n", "return 1.0\n") + (
        "\n    def report(self) -> str:\n        return str(self.total())\n"
    )
    fixed = unshadow_methods(calls)
    assert "str(self.total())" in fixed and "self._total_value = round(" in fixed
    no_clash = SHADOWS.replace("self.total = ", "self.discounted = ").replace(
        "return self.total", "return self.discounted"
    )
    assert unshadow_methods(no_clash) == no_clash
    taken = SHADOWS.replace("self.items = {}", "self.items = {}\n        self._total_value = 0")
    assert unshadow_methods(taken) == taken
