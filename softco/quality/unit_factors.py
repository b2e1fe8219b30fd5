"""Conversion factors the code states approximately, made exact; rounding where none was asked.

A 1.5B coder knows that a mile is "1609.34" metres and a foot "3.28084" per
metre; the definitions are exact (1609.344, 1 / 0.3048) and a converter
checked to a millionth (``pytest.approx``) fails on the last digit. The
issue's remedy for values a small model gets wrong in its head is a small
trusted table, not a bigger model: ``exact_factors`` replaces a float
literal within 0.1 % of a ratio between two units of one dimension (length,
mass, volume) by the exact ratio, when the module names units of that
dimension and the literal carries at least four significant digits (so it is
meant as that factor, not as a coincidence like ``1.6``).

``unstated_rounding`` removes ``round(x, n)`` from a function's return where
its own contract says nothing of rounding and another function's does:
unitconv's ``convert`` returned ``round(value, 2)`` because ``main`` "prints
the result with 2 decimals", and ``convert(1, "mi", "km")`` became 1.61.
"""

from __future__ import annotations

import ast
import re
from itertools import product

from softco.artifacts import FileSpec
from softco.quality.edits import apply_edits, own_nodes
from softco.quality.reshape import source_lines

# exact definitions: the international yard and pound (1959), US liquid measures
DIMENSIONS: dict[str, dict[str, float]] = {
    "length (m)": {
        "mm": 0.001,
        "cm": 0.01,
        "m": 1.0,
        "km": 1000.0,
        "in": 0.0254,
        "ft": 0.3048,
        "yd": 0.9144,
        "mi": 1609.344,
        "nmi": 1852.0,
    },
    "mass (kg)": {
        "mg": 1e-6,
        "g": 0.001,
        "kg": 1.0,
        "t": 1000.0,
        "oz": 0.028349523125,
        "lb": 0.45359237,
        "st": 6.35029318,
    },
    "volume (l)": {
        "ml": 0.001,
        "l": 1.0,
        "tsp": 0.00492892159375,
        "tbsp": 0.01478676478125,
        "floz": 0.0295735295625,
        "cup": 0.2365882365,
        "pt": 0.473176473,
        "qt": 0.946352946,
        "gal": 3.785411784,
    },
}
_ALIASES = {
    "millimeter": "mm",
    "millimetre": "mm",
    "centimeter": "cm",
    "centimetre": "cm",
    "meter": "m",
    "metre": "m",
    "kilometer": "km",
    "kilometre": "km",
    "inch": "in",
    "inches": "in",
    "foot": "ft",
    "feet": "ft",
    "yard": "yd",
    "mile": "mi",
    "gram": "g",
    "kilogram": "kg",
    "milligram": "mg",
    "tonne": "t",
    "ounce": "oz",
    "pound": "lb",
    "lbs": "lb",
    "stone": "st",
    "liter": "l",
    "litre": "l",
    "milliliter": "ml",
    "millilitre": "ml",
    "gallon": "gal",
    "quart": "qt",
    "pint": "pt",
}
_TOLERANCE = 1e-3
_ROUNDING_WORDS = re.compile(r"round|decimal|digit|precision|places", re.IGNORECASE)


def unit_name(word: str) -> str | None:
    """``mi`` for ``mile``/``miles``; the word itself, lower-cased, for anything else."""
    w = word.strip().lower()
    if w in _ALIASES:
        return _ALIASES[w]
    if w.endswith("s") and w[:-1] in _ALIASES:
        return _ALIASES[w[:-1]]
    return w


def _significant_digits(literal: str) -> int:
    digits = literal.lower().split("e")[0].replace(".", "").replace("-", "").lstrip("0")
    return len(digits.rstrip("0")) if "." not in literal else len(digits)


def _exact(value: float, units: dict[str, float]) -> float | None:
    """The one exact ratio of two units within tolerance of ``value``; None if none or several."""
    found = {
        units[a] / units[b]
        for a, b in product(units, repeat=2)
        if a != b and abs(value - units[a] / units[b]) <= _TOLERANCE * (units[a] / units[b])
    }
    return found.pop() if len(found) == 1 else None


def exact_factors(content: str) -> str:
    """Float literals that approximate a unit ratio of a dimension the module names, made exact."""
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    words = {
        unit_name(n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and len(n.value) < 20
    }
    dimensions = [units for units in DIMENSIONS.values() if len(words & set(units)) >= 2]
    if not dimensions:
        return content
    lines = source_lines(content, keepends=True)
    edits = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and type(node.value) is float and node.value > 0):
            continue
        if node.end_lineno != node.lineno or node.end_col_offset is None:
            continue
        row = lines[node.lineno - 1].encode("utf-8", "surrogateescape")
        raw = row[node.col_offset : node.end_col_offset].decode("utf-8", "replace")
        if _significant_digits(raw) < 4:
            continue
        exact = {e for units in dimensions if (e := _exact(node.value, units)) is not None}
        if len(exact) != 1:
            continue
        (value,) = exact
        text = repr(float(f"{value:.12g}"))
        if float(text) != node.value:
            edits.append((node.lineno, node.col_offset, node.end_col_offset, text))
    return apply_edits(content, edits) if edits else content


def unstated_rounding(spec: FileSpec, content: str) -> str:
    """``return round(x, n)`` becomes ``return x`` in a function whose contract states no rounding.

    Only where another function of the file states it (``main`` "prints the
    result with 2 decimals"): the rounding was put in the wrong place.
    """
    stated = {fn.name: fn.docstring for fn in spec.interface if fn.signature.startswith("def ")}
    rounding = {name for name, doc in stated.items() if _ROUNDING_WORDS.search(doc or "")}
    if not rounding:
        return content
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    edits = []
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef) or fn.name not in stated or fn.name in rounding:
            continue
        for node in ast.walk(fn):
            call = node.value if isinstance(node, ast.Return) else None
            if not (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id == "round"
                and len(call.args) == 2
                and not call.keywords
                and call.lineno == call.end_lineno
            ):
                continue
            inner = ast.get_source_segment(content, call.args[0])
            if inner is None:
                continue
            edits.append((call.lineno, call.col_offset, call.end_col_offset or 0, inner))
    return apply_edits(content, edits) if edits else content


_PRINTS_RESULT = re.compile(
    r"\bprints? the (?:\w+ )?(?:result|value)s? (?:with|to|rounded to) (\d+) decimals?\b",
    re.IGNORECASE,
)
# the contract asks for more than the number: the print is left as written
_DECORATED = re.compile(
    r"\b(?:units?|labels?|followed by|suffix|prefix|format(?:ted)? as|per line|one line)\b"
    r"|[\"'`]",
    re.IGNORECASE,
)
_NOT_THE_RESULT = re.compile(r"error|usage|invalid|unknown", re.IGNORECASE)


def _number_print(node: ast.AST, spec_text: str) -> ast.FormattedValue | None:
    """The one ``{x:.Nf}`` of a one-line ``print(f"...")`` with more in it, else None."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "print"
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.JoinedStr)
        and node.lineno == node.end_lineno
    ):
        return None
    parts = node.args[0].values
    said = "".join(str(p.value) for p in parts if isinstance(p, ast.Constant))
    numbers = [
        v
        for v in parts
        if isinstance(v, ast.FormattedValue)
        and isinstance(v.format_spec, ast.JoinedStr)
        and [getattr(c, "value", None) for c in v.format_spec.values] == [spec_text]
    ]
    if len(numbers) != 1 or len(parts) == 1 or _NOT_THE_RESULT.search(said):
        return None
    return numbers[0]


def printed_as_stated(spec: FileSpec, content: str) -> str:
    """``print(f"{result:.2f} {args.dst}")`` becomes ``print(f"{result:.2f}")`` as promised.

    Only in a function whose contract reads "prints the result with N
    decimals" and asks for nothing more (no unit, label or quoted format), and
    only where exactly one print in it holds exactly one value formatted
    ``.Nf`` with that N beside other text (not an error or usage line): the
    rest is decoration the contract does not ask for, and a caller reading
    the number back (a script, a test) breaks on it. unitconv's ``main``
    printed ``1.00 ft`` in every row from session 6 to 8.
    """
    stated = {
        fn.name: m.group(1)
        for fn in spec.interface
        if fn.signature.startswith("def ")
        for m in [_PRINTS_RESULT.search(fn.docstring or "")]
        if m and not _DECORATED.search(fn.docstring or "")
    }
    if not stated:
        return content
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    edits = []
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef) or fn.name not in stated:
            continue
        spec_text = f".{stated[fn.name]}f"
        # one such print is the result; two could be the input and the output
        found = [(n, v) for n in own_nodes(fn) if (v := _number_print(n, spec_text)) is not None]
        if len(found) != 1:
            continue
        node, number = found[0]
        inner = ast.get_source_segment(content, number.value)
        if inner is None or "\n" in inner or "{" in inner:
            continue
        arg = node.args[0]  # type: ignore[attr-defined]
        quote = "'" if '"' in inner else '"'
        text = f"f{quote}{{{inner}:{spec_text}}}{quote}"
        edits.append((arg.lineno, arg.col_offset, arg.end_col_offset or 0, text))
    return apply_edits(content, edits) if edits else content
