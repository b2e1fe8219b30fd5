"""Clauses that bound a numeric argument: "ValueError for a negative price or qty < 1".

Briefs state their argument checks in a few fixed phrasings: cart's
``add(item, price, qty=1)`` "ValueError for a negative price or qty < 1",
``apply_discount(percent)`` "0..100, ValueError otherwise", roman's
``to_roman(n)`` "for 1..3999 (ValueError otherwise)". A small model's tester
still writes ``cart.add('orange', 3.5, 0)`` expecting ``3.5``, and the
script of a class's cases then replays that call before every later check,
so each of them fails on code written to the interface (cart, session 13:
three of six tests). These rules tell which literal arguments the interface
says must raise, so such a case becomes a ``pytest.raises`` check and is
never replayed (``case_script``), and an expected value for it is wrong.

Read only where certain: a condition names a parameter of the call and
compares it with a number ("a negative qty", "qty < 1", "n above 3999"); a
range ("1..3999", "between 0 and 100") binds the call's one numeric
argument. Pieces of the condition that say something else ("an unknown
unit") answer nothing, and a non-number argument answers nothing.
"""

from __future__ import annotations

import builtins
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Args = dict[str, Any]


@dataclass(frozen=True)
class Clause:
    """One property the interface states of a call: of its result, or that it raises."""

    text: str
    holds: Callable[[Args, Any], bool | None]  # None: says nothing about this pair
    # the clause as a Python condition on ``result`` for these arguments, given the
    # stated return annotation; None where it cannot be written
    assertion: Callable[[Args, str], str | None] = lambda args, returns: None
    # the builtin exception the clause says these arguments raise; None: it says nothing
    raises: Callable[[Args], str | None] = lambda args: None
    # whether ``raises`` reads the arguments alone: a bound on a number holds whatever
    # an object or a file holds; "KeyError for an unknown title" depends on what was added
    arguments_only: bool = False


_NUMBER = r"-?\d+(?:\.\d+)?"
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "below": operator.lt,
    "under": operator.lt,
    "less than": operator.lt,
    "above": operator.gt,
    "over": operator.gt,
    "greater than": operator.gt,
    "more than": operator.gt,
}
_PIECE = re.compile(
    rf"^(?:an? )?(?:(?P<neg>negative|non-positive) (?P<p1>\w+)|"
    rf"(?P<p3>\w+) is (?P<neg2>negative|non-positive)|"
    rf"(?P<p2>\w+) ?(?:is )?(?P<op><=|>=|<|>|below|under|less than|above|over|greater than|"
    rf"more than) ?(?P<n>{_NUMBER}))$",
    re.I,
)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _builtin_error(name: str) -> bool:
    found = getattr(builtins, name, None)
    return isinstance(found, type) and issubclass(found, BaseException)


def _piece_raises(piece: str, args: Args) -> bool | None:
    """Whether one " or "-separated condition holds for ``args``; None when it says nothing."""
    m = _PIECE.match(piece.strip().rstrip("."))
    if m is None:
        return None
    value = args.get(m.group("p1") or m.group("p2") or m.group("p3"))
    if not _number(value):
        return None
    negative = m.group("neg") or m.group("neg2")
    if negative:
        return value < 0 if negative.lower() == "negative" else value <= 0
    return _COMPARE[m.group("op").lower()](value, float(m.group("n")))


def _for_condition(m: re.Match[str]) -> Clause:
    """``ValueError for a negative price or qty < 1``: raises when any piece holds."""
    error, condition = m.group(1), m.group(2)
    pieces = re.split(r",? or |, ", condition)

    def raises(args: Args) -> str | None:
        if not _builtin_error(error):
            return None
        return error if any(_piece_raises(p, args) for p in pieces) else None

    def holds(args: Args, result: Any) -> bool | None:
        return False if raises(args) else None  # a value from a call that must raise

    return Clause(m.group(0), holds, raises=raises, arguments_only=True)


def _in_range(m: re.Match[str]) -> Clause:
    """``percent 0..100, ValueError otherwise``: the bounded argument outside the range raises.

    The argument is the parameter named just before the range; with no word
    there (the range opens the clause: "0..100, ValueError otherwise", "for
    1..3999 (...)") it is the call's one numeric argument. A range after any
    other word ("returns the new average 0..100", "a name of 1..20 chars")
    bounds something else and answers nothing.
    """
    low, high = float(m.group("lo") or m.group("lo2")), float(m.group("hi") or m.group("hi2"))
    error, param = m.group("err"), m.group("param")

    def raises(args: Args) -> str | None:
        if not _builtin_error(error):
            return None
        if param is not None:
            numbers = [args[param]] if _number(args.get(param)) else []
        else:
            numbers = [v for v in args.values() if _number(v)]
        if len(numbers) != 1:
            return None
        return error if not low <= numbers[0] <= high else None

    def holds(args: Args, result: Any) -> bool | None:
        return False if raises(args) else None

    return Clause(m.group(0), holds, raises=raises, arguments_only=True)


_LOW = rf"(?<![\w.])(?P<lo>{_NUMBER})"  # "-50..50": the sign belongs to the bound
_OPENS = r"(?:^|(?<=[(,;:.\n])|\bfor)\s*"  # the range opens the clause (or sentence)
_VERB = r"(?:(?:is|must be|should be) )?"  # "percent must be in 0..100"
BOUND_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Clause]]] = [
    (
        re.compile(r"\b([A-Z]\w*Error) (?:for|if|when|on) ((?:an? )?[\w ,<>=.-]+?)(?=[;)]|\.\s|$)"),
        _for_condition,
    ),
    (
        re.compile(
            rf"(?:{_OPENS}|\b(?P<param>[a-z_]\w*) {_VERB}(?:in |from |of )?)(?:{_LOW} ?\.\. ?"
            rf"(?P<hi>{_NUMBER})|between (?P<lo2>{_NUMBER}) and (?P<hi2>{_NUMBER}))"
            rf"[\s,()]*(?:inclusive[\s,()]*)?(?P<err>[A-Z]\w*Error) otherwise\b"
        ),
        _in_range,
    ),
]
