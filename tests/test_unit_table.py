"""A converter between listed units is told to use one table of exact sizes."""

from __future__ import annotations

import pytest

from softco.config import WorkflowSettings
from softco.quality.prompt_rules import function_rules, interface_rules
from softco.quality.unit_table import listed_units, table_rules
from softco.workflows.design_check import stated_design

UNITCONV = (
    "unitconv.py: convert(value: float, src: str, dst: str) -> float for the units mm, cm, m, "
    "km, in, ft, mi (ValueError for an unknown unit); main(argv: list[str] | None = None) -> int."
)


def spec_of(brief: str):
    design = stated_design(brief)
    assert design is not None
    return design.files[0]


def test_the_rule_carries_a_table_that_converts_right():
    (rule,) = table_rules(spec_of(UNITCONV))
    assert rule.startswith("convert: convert through one base unit (m)")
    scope: dict = {}
    exec(rule.split("`")[1], scope)  # SIZE = {...}
    line = rule.split("`")[3]
    for value, src, dst, expected in [(1, "mi", "km", 1.609344), (12, "in", "ft", 1.0)]:
        got = eval(line, {**scope, "value": value, "src": src, "dst": dst})
        assert got == pytest.approx(expected)


def test_only_lists_of_one_dimension_and_two_str_units_count():
    assert listed_units("units g, kg and lb") == ("kg", {"g": 0.001, "kg": 1.0, "lb": 0.45359237})
    assert listed_units("for apples, pears, plums") is None
    assert listed_units("mm, kg, l") is None  # three dimensions
    one_unit = "c.py: scale(value: float, unit: str) -> float for mm, cm, m."
    assert table_rules(spec_of(one_unit)) == []


def test_each_switch_and_the_function_filter():
    spec = spec_of(UNITCONV)
    assert len(interface_rules(spec, WorkflowSettings())) == 1
    assert interface_rules(spec, WorkflowSettings(unit_table=False)) == []
    assert function_rules(spec, "convert", WorkflowSettings()) == table_rules(spec)
    assert function_rules(spec, "main", WorkflowSettings()) == []
