"""Approximate conversion factors made exact, and rounding only another function asks for.

The samples are unitconv's ``convert`` as the 1.5B coder delivered it in
recorded runs; each test calls the repaired code as the brief's acceptance
test does (``pytest.approx``: a millionth).
"""

from __future__ import annotations

import pytest

from softco.artifacts import FileSpec, FunctionSpec
from softco.quality.repairs import tidy
from softco.quality.unit_factors import exact_factors, printed_as_stated, unstated_rounding

DELIVERED = '''\
def convert(value: float, src: str, dst: str) -> float:
    """For the units mm, cm, m, km, in, ft, mi (ValueError for an unknown unit)"""
    unit_factors = {
        'mm': 0.001,
        'm': 1,
        'km': 1000,
        'in': 0.0254,
        'ft': 0.3048,
        'mi': 1609.34
    }
    if src not in unit_factors or dst not in unit_factors:
        raise ValueError(f"Unknown unit: {src}")
    converted_value = value * unit_factors[src] / unit_factors[dst]
    # Return the converted value rounded to two decimal places
    return round(converted_value, 2)


def main(argv: list[str] | None = None) -> int:
    """Prints the result with 2 decimals and returns 0, or prints an error and returns 2"""
    print(f"{convert(float(argv[0]), argv[1], argv[2]):.2f}")
    return 0
'''

SPEC = FileSpec(
    path="unitconv.py",
    responsibility="length unit converter",
    interface=[
        FunctionSpec(
            name="convert",
            signature="def convert(value: float, src: str, dst: str) -> float",
            docstring="For the units mm, cm, m, km, in, ft, mi (ValueError for an unknown unit)",
        ),
        FunctionSpec(
            name="main",
            signature="def main(argv: list[str] | None = None) -> int",
            docstring="Prints the result with 2 decimals and returns 0, or prints an error "
            "and returns 2",
        ),
    ],
)


def _convert(content: str):
    scope: dict = {}
    exec(compile(content, "unitconv.py", "exec"), scope)
    return scope["convert"]


def test_the_delivered_converter_is_exact_after_both_repairs():
    assert _convert(DELIVERED)(1, "mi", "km") == 1.61  # what the user got
    fixed = unstated_rounding(SPEC, exact_factors(DELIVERED))
    assert "'mi': 1609.344" in fixed and "return converted_value\n" in fixed
    assert _convert(fixed)(1, "mi", "km") == pytest.approx(1.609344)
    assert _convert(fixed)(12, "in", "ft") == pytest.approx(1.0)
    assert "{convert(float(argv[0]), argv[1], argv[2]):.2f}" in fixed  # main keeps its format


def test_inverse_factors_in_an_if_chain_are_made_exact_too():
    chain = (
        "def convert(value, src, dst):\n"
        "    if src == 'km' and dst == 'mi':\n"
        "        return value * 0.621371\n"
        "    if src == 'm' and dst == 'ft':\n"
        "        return value * 3.28084\n"
        "    return value\n"
    )
    fixed = _convert(exact_factors(chain))
    assert fixed(1.609344, "km", "mi") == pytest.approx(1.0)
    assert fixed(0.3048, "m", "ft") == pytest.approx(1.0)


@pytest.mark.parametrize(
    "content",
    [
        # no units of one dimension named: 3.28084 is just a number here
        "def f(x):\n    return x * 3.28084\n",
        # too few digits to be meant as the factor
        "def f(x, unit='mi'):\n    return x * 1.6 if unit in ('mi', 'km') else x\n",
        # already exact
        "UNITS = {'in': 0.0254, 'ft': 0.3048, 'mi': 1609.344}\n",
    ],
)
def test_numbers_that_are_not_an_approximate_factor_are_left_alone(content):
    assert exact_factors(content) == content


def test_rounding_the_contract_states_is_kept():
    stated = SPEC.model_copy(deep=True)
    stated.interface[0].docstring = "Converts; the result is rounded to 2 decimals"
    assert unstated_rounding(stated, DELIVERED) == DELIVERED
    # nobody states rounding: nothing says it is misplaced
    silent = SPEC.model_copy(deep=True)
    silent.interface[1].docstring = "Prints the result"
    assert unstated_rounding(silent, DELIVERED) == DELIVERED


def test_tidy_runs_both():
    from softco.artifacts import Design

    fixed = tidy(SPEC, DELIVERED, Design(summary="unitconv", files=[SPEC]))
    assert _convert(fixed)(1, "mi", "km") == pytest.approx(1.609344)


def _main(*prints: str) -> str:
    body = "".join(f"    {p}\n" for p in prints)
    return f"def main(argv=None):\n    result = convert(1, 'in', 'ft')\n{body}    return 0\n"


def test_a_number_promised_with_2_decimals_is_printed_alone():
    fixed = printed_as_stated(SPEC, _main('print(f"{result:.2f} {args.dst}")', "print(e)"))
    assert '    print(f"{result:.2f}")\n    print(e)\n' in fixed
    labelled = printed_as_stated(SPEC, _main("print(f'Converted: {round(result, 2):.2f}')"))
    assert '    print(f"{round(result, 2):.2f}")\n' in labelled
    quoted = printed_as_stated(SPEC, _main("print(f'{d[\"x\"]:.2f} ft')"))
    assert "    print(f'{d[\"x\"]:.2f}')\n" in quoted


@pytest.mark.parametrize(
    "prints",
    [
        # two such prints: one may be the input, the other the result
        ('print(f"Converting {value:.2f} {src}")', 'print(f"{result:.2f} {dst}")'),
        ('print(f"Error: bad value {result:.2f}")',),  # an error line, not the result
        ('print(f"{result:.3f} {dst}")',),  # not the promised format
        ('print(f"{result:.2f}")',),  # already the number alone
        ('print(f"{a:.2f} {b:.2f}")',),  # two numbers
    ],
)
def test_prints_that_are_not_the_decorated_result_are_left_alone(prints):
    content = _main(*prints)
    assert printed_as_stated(SPEC, content) == content


def test_a_contract_asking_for_more_than_the_number_keeps_the_print():
    content = _main('print(f"{result:.2f} {dst}")')
    for doc in (
        "Prints the result with 2 decimals followed by the unit",
        "Prints the values with 2 decimals, one line per item as 'name: value'",
        "Prints the conversion and returns 0",
    ):
        spec = SPEC.model_copy(deep=True)
        spec.interface[1].docstring = doc
        assert printed_as_stated(spec, content) == content
