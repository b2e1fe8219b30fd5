"""The interface's own words as an oracle for expected values.

A brief's interface line often states a property of the result in plain
words: textkit's ``truncate(text, width, suffix='...') -> str (result at
most width characters)``. The PM and the tester, both the same 1.5B model,
still wrote ``truncate('Hello World!', 10) == 'Hello Worl...'`` (13
characters), and the coder, fitted to that, delivered it. These clauses do
not depend on the model's reading: ``stated_clauses`` turns the few phrasings
that are certain into checks of a (call, result) pair, and
``clause_violation`` says which clause an expected value breaks, so the case
is dropped before it becomes a test.

Only phrasings whose meaning is not in doubt are read: "at most N
characters" (N a number or a parameter), "lower case", "no leading/trailing
'-'", "rounded to N decimals", "words never split" and "greedy" (for lines wrapped
to a ``width`` parameter). A
clause that does not apply to the value's type answers nothing.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from softco.artifacts import FileSpec

Args = dict[str, Any]


@dataclass(frozen=True)
class Clause:
    """One property of the result, as the interface states it."""

    text: str
    holds: Callable[[Args, Any], bool | None]  # None: says nothing about this pair


def _bound(args: Args, word: str) -> int | None:
    if word.isdigit():
        return int(word)
    value = args.get(word)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _at_most(word: str) -> Callable[[Args, Any], bool | None]:
    def holds(args: Args, result: Any) -> bool | None:
        limit = _bound(args, word)
        if limit is None or not isinstance(result, str):
            return None
        return len(result) <= limit

    return holds


def _lower(args: Args, result: Any) -> bool | None:
    return result == result.lower() if isinstance(result, str) else None


def _no_edge(char: str) -> Callable[[Args, Any], bool | None]:
    def holds(args: Args, result: Any) -> bool | None:
        if not isinstance(result, str) or not result:
            return None
        return not result.startswith(char) and not result.endswith(char)

    return holds


def _rounded(places: int) -> Callable[[Args, Any], bool | None]:
    def holds(args: Args, result: Any) -> bool | None:
        if isinstance(result, bool) or not isinstance(result, int | float):
            return None
        return round(result, places) == result

    return holds


def _words_whole(args: Args, result: Any) -> bool | None:
    texts = [v for v in args.values() if isinstance(v, str)]
    if len(texts) != 1:
        return None
    lines = [result] if isinstance(result, str) else result
    if not isinstance(lines, list | tuple) or not all(isinstance(x, str) for x in lines):
        return None
    words = set(texts[0].split())
    return all(w in words for line in lines for w in line.split())


def _greedy_lines(args: Args, result: Any) -> bool | None:
    """Greedy wrapping: no line could have taken the next line's first word."""
    widths = [v for k, v in args.items() if "width" in k and isinstance(v, int)]
    texts = [v for v in args.values() if isinstance(v, str)]
    if len(widths) != 1 or len(texts) != 1 or not isinstance(result, list | tuple):
        return None
    if not all(isinstance(x, str) and x.split() for x in result):
        return None
    (width,) = widths
    lines = list(result)
    if any(len(line) > width and len(line.split()) > 1 for line in lines):
        return False  # a line over the width that could have been broken
    return all(
        len(lines[i]) + 1 + len(lines[i + 1].split()[0]) > width for i in range(len(lines) - 1)
    )


_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Callable[[Args, Any], Any]]]] = [
    (
        re.compile(
            r"\b(?:at most|no more than|not longer than|no longer than|up to) (\w+) "
            r"(?:characters|chars)\b",
            re.I,
        ),
        lambda m: _at_most(m.group(1)),
    ),
    (re.compile(r"\blower[- ]?case(?:d)?\b(?! letters? or)", re.I), lambda m: _lower),
    (
        re.compile(r"\bno leading(?: or |/| and | nor )trailing '(.)'", re.I),
        lambda m: _no_edge(m.group(1)),
    ),
    (re.compile(r"\brounded to (\d) decimals?\b", re.I), lambda m: _rounded(int(m.group(1)))),
    (re.compile(r"\bwords (?:are )?never split\b", re.I), lambda m: _words_whole),
    (re.compile(r"\bgreedy\b", re.I), lambda m: _greedy_lines),
]


def stated_clauses(docstring: str) -> list[Clause]:
    """The checkable clauses of one function's stated contract."""
    found = []
    for pattern, make in _RULES:
        for m in pattern.finditer(docstring or ""):
            found.append(Clause(text=m.group(0), holds=make(m)))
    return found


def _arguments(call: ast.Call, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> Args | None:
    """The call's literal arguments by parameter name, defaults filled in; None if not literal."""
    params = [*fn.args.posonlyargs, *fn.args.args]
    if params and params[0].arg in ("self", "cls"):
        params = params[1:]
    try:
        defaults = [ast.literal_eval(d) for d in fn.args.defaults]
        bound: Args = dict(
            zip([p.arg for p in params[len(params) - len(defaults) :]], defaults, strict=True)
        )
        for param, arg in zip(params, call.args, strict=False):
            bound[param.arg] = ast.literal_eval(arg)
        for kw in call.keywords:
            if kw.arg is not None:
                bound[kw.arg] = ast.literal_eval(kw.value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    return bound


def clause_violation(spec: FileSpec, call: ast.Call, result: Any) -> str | None:
    """Which stated clause ``result``, expected of ``call``, breaks; None when none does."""
    if not isinstance(call.func, ast.Name):
        return None
    stated = next(
        (f for f in spec.interface if f.name == call.func.id and f.signature.startswith("def ")),
        None,
    )
    if stated is None or not stated.docstring:
        return None
    clauses = stated_clauses(stated.docstring)
    if not clauses:
        return None
    try:
        fn = ast.parse(stated.signature + ":\n    ...").body[0]
    except SyntaxError:
        return None
    if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    args = _arguments(call, fn)
    if args is None:
        return None
    for clause in clauses:
        try:
            ok = clause.holds(args, result)
        except Exception:  # a property over model-chosen values: no answer, not a crash
            ok = None
        if ok is False:
            return f"expected {result!r} breaks the interface's '{clause.text}'"
    return None
