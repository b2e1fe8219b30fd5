"""Expected values that are computed, not believed.

Small models get arithmetic wrong in their heads (``2 * (3 + 4) / 5 == 6.0``)
but write the arithmetic itself correctly. So the PM is asked to write an
expected value that needs arithmetic as the expression (``3 * 0.3048``), and
this module evaluates it — a tiny trusted interpreter over the expression's
AST: numbers, strings, tuples/lists/dicts, arithmetic operators and a few pure
builtins (``round``, ``abs``, ``min``, ``max``, ``sum``, ``len``, ``sorted``).
Anything else (names, attributes, calls to the code under test) is not
computed; the example keeps its text. No ``eval``: the input is model output.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable
from typing import Any

from softco.artifacts import PRD

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}
_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "round": round,
    "abs": abs,
    "min": min,
    "max": max,
    "sum": lambda items: sum(_numbers(items)),
    "len": len,
    "sorted": sorted,
}
_MAX_SIZE = 10_000
_MAX_BITS = 4_000


def _numbers(items: Any) -> list[int | float]:
    values = list(items)
    if not all(isinstance(v, int | float) for v in values):
        raise NotComputable("sum of non-numbers")
    return values


class NotComputable(Exception):
    """The expression is outside the trusted subset."""


def _eval(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float | str | bool):
        return node.value
    if isinstance(node, ast.Tuple | ast.List):
        items = [_eval(e) for e in node.elts]
        return tuple(items) if isinstance(node, ast.Tuple) else items
    if isinstance(node, ast.Dict) and all(k is not None for k in node.keys):
        return {_eval(k): _eval(v) for k, v in zip(node.keys, node.values, strict=True)}
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_eval(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _eval(node.left), _eval(node.right)
        _guard(node.op, left, right)
        return _BINARY[type(node.op)](left, right)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCTIONS
        and not node.keywords
    ):
        return _FUNCTIONS[node.func.id](*(_eval(a) for a in node.args))
    raise NotComputable(type(node).__name__)


def _size(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() // 8
    if isinstance(value, str | list | tuple | dict):
        return len(value)
    return 1


def _guard(op: ast.operator, left: Any, right: Any) -> None:
    """Refuse operations whose result would be huge or meaningless.

    Powers are bounded by the size of their result (``9 ** 9 ** 9``), repeats
    and concatenations by the length of theirs (``'a' * 10**9``), and ``%`` is
    arithmetic only (string formatting can build any size of text).
    """
    numbers = all(isinstance(v, int | float) for v in (left, right))
    if isinstance(op, ast.Mod) and not numbers:
        raise NotComputable("% on text")
    if isinstance(op, ast.Pow):
        if not numbers or abs(right) > 256:
            raise NotComputable("exponent too large")
        grows = isinstance(left, int) and isinstance(right, int) and right > 0
        if grows and max(abs(left), 2).bit_length() * right > _MAX_BITS:
            raise NotComputable("result too large")
    if isinstance(op, ast.Mult):
        sizes = [len(v) for v in (left, right) if isinstance(v, str | list | tuple)]
        counts = [v for v in (left, right) if isinstance(v, int)]
        if sizes and counts and sizes[0] * abs(counts[0]) > _MAX_SIZE:
            raise NotComputable("result too large")
        if numbers and _size(left) + _size(right) > _MAX_BITS // 8:
            raise NotComputable("result too large")
    if isinstance(op, ast.Add) and _size(left) + _size(right) > _MAX_SIZE:
        raise NotComputable("result too large")


_DATE_LIKE = re.compile(r"^\s*\d+\s*-\s*\d+(\s*-\s*\d+)*\s*$")


def computed(expected: str) -> str | None:
    """``repr`` of the value an arithmetic expected-value denotes, or None.

    None when the text is not an expression of the trusted subset, or is a
    plain literal already (nothing to compute), or divides by zero.
    """
    if len(expected) > 500 or _DATE_LIKE.match(expected):
        return None  # '2024-10-15' and '555-1234' are not subtractions
    try:
        tree = ast.parse(expected.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not any(isinstance(n, ast.BinOp | ast.UnaryOp | ast.Call) for n in ast.walk(tree)):
        return None
    if isinstance(tree.body, ast.UnaryOp) and isinstance(tree.body.operand, ast.Constant):
        return None  # -3 is a literal
    try:
        value = _eval(tree.body)
        if isinstance(value, complex):
            return None
        if isinstance(value, float):
            if not math.isfinite(value):
                return None
            value = round(value, 10)
        return repr(value)
    except Exception:  # model output: any failure means "not computable", never a crash
        return None


def with_computed_examples(prd: PRD) -> tuple[PRD, int]:
    """The PRD with every computable expected value replaced by its value, and the count."""
    changed = 0
    data = prd.model_dump(mode="json")
    for story in data["user_stories"]:
        for crit in story["acceptance"]:
            for example in crit["examples"]:
                value = computed(example["expected"])
                if value is not None and value != example["expected"].strip():
                    example["expected"] = value
                    changed += 1
    return (PRD.model_validate(data), changed) if changed else (prd, 0)
