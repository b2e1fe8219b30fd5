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


PRINTING = """\
def main(argv=None):
    args = parse(argv)
    result = convert(args.value, args.src, args.dst)
    print(f"{result:.2f} {args.dst}")
    print(f"Converted: {result:.2f}")
    print(f"{args.value} {args.src} = {result:.2f} {args.dst}")
    print(f"{result:.3f} {args.dst}")
    print(f"{result:.2f}")
    print(f'{round(result, 2):.2f}!')
    return 0
"""


def test_a_number_promised_with_2_decimals_is_printed_alone():
    fixed = printed_as_stated(SPEC, PRINTING)
    assert fixed.splitlines()[3:9] == [
        '    print(f"{result:.2f}")',
        '    print(f"{result:.2f}")',
        '    print(f"{result:.2f}")',
        '    print(f"{result:.3f} {args.dst}")',  # not the promised format: left alone
        '    print(f"{result:.2f}")',
        '    print(f"{round(result, 2):.2f}")',
    ]
    # a contract that does not promise the printed number leaves every print alone
    silent = SPEC.model_copy(deep=True)
    silent.interface[1].docstring = "Prints the conversion and returns 0"
    assert printed_as_stated(silent, PRINTING) == PRINTING
