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

Only phrasings whose meaning is not in doubt are read: "result at most N
characters" (N a number or a parameter; the subject must be the result),
"lower case" (not beside "upper" or "first"), "no leading/trailing '-'",
"rounded to N decimals", "words never split" (not beside a suffix or "...")
and "greedy" (for lines wrapped to a ``width`` parameter), and
"KeyError for an unknown column" (an exception for an unknown parameter,
where its value appears in no other argument). A clause that does not apply
to the value's type answers nothing. ``clause_checks`` writes the same
clauses as conditions for ``example_tests``' ``test_<fn>_as_stated_N``, and
``clause_raises`` as a ``pytest.raises`` check. Bounds on numeric arguments
("ValueError for a negative price or qty < 1", "0..100, ValueError
otherwise") come from ``clause_bounds``. Methods a class's ``Methods:``
lines state are read from their own line, so ``cart.add(...)`` is judged
like a function.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Callable, Iterator
from typing import Any

from softco.artifacts import FileSpec
from softco.artifacts.stated import class_methods, signature_name
from softco.quality.clause_bounds import BOUND_RULES, Args, Clause
from softco.quality.stated_raises import described


def _bound(args: Args, word: str) -> int | None:
    if word.isdigit():
        return int(word)
    value = args.get(word)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _is(returns: str, *names: str) -> bool:
    return any(returns == n or returns.startswith(f"{n}[") for n in names)


def _at_most(m: re.Match[str]) -> Clause:
    word = m.group(1)

    def holds(args: Args, result: Any) -> bool | None:
        limit = _bound(args, word)
        if limit is None or not isinstance(result, str):
            return None
        return len(result) <= limit

    def assertion(args: Args, returns: str) -> str | None:
        limit = _bound(args, word)
        if limit is None or limit < 1 or returns != "str":
            return None  # a width of 0 or less may be an error the contract allows
        return f"len(result) <= {limit}"

    return Clause(m.group(0), holds, assertion)


def _lower(m: re.Match[str]) -> Clause:
    def holds(args: Args, result: Any) -> bool | None:
        return result == result.lower() if isinstance(result, str) else None

    def assertion(args: Args, returns: str) -> str | None:
        return "result == result.lower()" if returns == "str" else None

    return Clause(m.group(0), holds, assertion)


def _no_edge(m: re.Match[str]) -> Clause:
    char = m.group(1)

    def holds(args: Args, result: Any) -> bool | None:
        if not isinstance(result, str) or not result:
            return None
        return not result.startswith(char) and not result.endswith(char)

    def assertion(args: Args, returns: str) -> str | None:
        if returns != "str":
            return None
        return f"not result.startswith({char!r}) and not result.endswith({char!r})"

    return Clause(m.group(0), holds, assertion)


def _rounded(m: re.Match[str]) -> Clause:
    places = int(m.group(1))

    def holds(args: Args, result: Any) -> bool | None:
        if isinstance(result, bool) or not isinstance(result, int | float):
            return None
        return round(result, places) == result

    def assertion(args: Args, returns: str) -> str | None:
        return f"round(result, {places}) == result" if returns == "float" else None

    return Clause(m.group(0), holds, assertion)


def _one_text(args: Args) -> str | None:
    texts = [v for v in args.values() if isinstance(v, str)]
    return texts[0] if len(texts) == 1 else None


def _words_whole(m: re.Match[str]) -> Clause:
    def holds(args: Args, result: Any) -> bool | None:
        text = _one_text(args)
        lines = [result] if isinstance(result, str) else result
        if text is None or not isinstance(lines, list | tuple):
            return None
        if not all(isinstance(x, str) for x in lines):
            return None
        words = set(text.split())
        return all(w in words for line in lines for w in line.split())

    def assertion(args: Args, returns: str) -> str | None:
        text = _one_text(args)
        if text is None or not (returns == "str" or _is(returns, "list")):
            return None
        words = sorted(set(text.split()))
        lines = "[result]" if returns == "str" else "result"
        return f"all(w in {words!r} for line in {lines} for w in line.split())"

    return Clause(m.group(0), holds, assertion)


def _width(args: Args) -> int | None:
    widths = [v for k, v in args.items() if "width" in k and isinstance(v, int)]
    return widths[0] if len(widths) == 1 else None


def _greedy(m: re.Match[str]) -> Clause:
    """Greedy wrapping to a ``width`` parameter: no line could have taken the next line's
    first word, and no line is over the width unless it is one long word."""

    def holds(args: Args, result: Any) -> bool | None:
        width = _width(args)
        if width is None or _one_text(args) is None or not isinstance(result, list | tuple):
            return None
        if not all(isinstance(x, str) and x.split() for x in result):
            return None
        lines = list(result)
        if any(len(line) > width and len(line.split()) > 1 for line in lines):
            return False
        return all(
            len(lines[i]) + 1 + len(lines[i + 1].split()[0]) > width for i in range(len(lines) - 1)
        )

    def assertion(args: Args, returns: str) -> str | None:
        width = _width(args)
        if width is None or _one_text(args) is None or not _is(returns, "list"):
            return None
        return (
            f"all(len(a) + 1 + len(b.split()[0]) > {width} for a, b in zip(result, result[1:])) "
            f"and all(len(line) <= {width} or len(line.split()) == 1 for line in result)"
        )

    return Clause(m.group(0), holds, assertion)


def _contains(container: Any, value: str) -> bool:
    if isinstance(container, str):
        return value in container
    if isinstance(container, dict):
        return value in container or any(isinstance(k, str) and value in k for k in container)
    return any(x == value or (isinstance(x, str) and value in x) for x in container)


def _unknown(m: re.Match[str]) -> Clause:
    """ "KeyError for an unknown column": a ``column`` named nowhere in the other arguments.

    csvsummary's PM and tester both wrote ``summarize('1,2,3,4,5', 'number')``
    expecting a summary: a CSV whose text never names the column has no such
    column, so the interface says ``KeyError``. Only a value found in no other
    argument (no substring of a text, no key, no element) counts as unknown,
    and only where there is another argument to look in.
    """
    error, param = m.group(1), m.group(2)

    def absent(args: Args) -> bool | None:
        value = args.get(param)
        others = [
            v
            for k, v in args.items()
            if k != param and isinstance(v, str | list | tuple | set | frozenset | dict)
        ]
        if not isinstance(value, str) or not value.strip() or not others:
            return None
        return not any(_contains(o, value) for o in others)

    def holds(args: Args, result: Any) -> bool | None:
        return False if absent(args) else None

    def raises(args: Args) -> str | None:
        known = isinstance(getattr(builtins, error, None), type)
        return error if known and absent(args) else None

    return Clause(m.group(0), holds, raises=raises)


_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Clause]]] = [
    (
        # the subject must be the result: "each line is at most width characters" is not
        re.compile(
            r"\b(?:result|returns?|output)(?: is| has)? (?:at most|no more than|not longer than|"
            r"no longer than) (\w+) (?:characters|chars)\b",
            re.I,
        ),
        _at_most,
    ),
    (re.compile(r"\blower[- ]?case(?:d)?\b(?! letters? or)", re.I), _lower),
    (re.compile(r"\bno leading(?: or |/| and | nor )trailing '(.)'", re.I), _no_edge),
    (re.compile(r"\brounded to (\d) decimals?\b", re.I), _rounded),
    (re.compile(r"\bwords (?:are )?never split\b", re.I), _words_whole),
    (re.compile(r"\bgreedy\b", re.I), _greedy),
    (
        re.compile(
            r"\b([A-Z]\w*Error) (?:for|on|if given) (?:an? |the )?(?:unknown|missing|absent|"
            r"nonexistent|non-existent) (\w+)"
        ),
        _unknown,
    ),
    *BOUND_RULES,  # "ValueError for a negative price or qty < 1", "0..100, ValueError otherwise"
]


# a docstring with these words says more than the rule can read: the rule stays silent
_UNLESS: dict[Callable[[re.Match[str]], Clause], re.Pattern[str]] = {
    _lower: re.compile(r"upper|first|title|capital", re.I),  # "first letter upper, rest lower"
    _words_whole: re.compile(r"\.\.\.|suffix|ellips", re.I),  # "Hello..." is not a word
}


def stated_clauses(docstring: str) -> list[Clause]:
    """The checkable clauses of one function's stated contract."""
    text = docstring or ""
    return [
        make(m)
        for pattern, make in _RULES
        if not (make in _UNLESS and _UNLESS[make].search(text))
        for m in pattern.finditer(text)
    ]


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


def _stated_target(spec: FileSpec, call: ast.Call) -> tuple[str, str] | None:
    """``(signature, description)`` of the function or method ``call`` names, if stated.

    A method (``cart.add(...)``) is found by its name among the stated
    classes' ``Methods:`` lines, where exactly one class states it.
    """
    if isinstance(call.func, ast.Name):
        name = call.func.id
        functions = (f for f in spec.interface if f.signature.startswith("def "))
        stated = next((f for f in functions if f.name == name), None)
        return None if stated is None else (stated.signature, stated.docstring)
    if not isinstance(call.func, ast.Attribute):
        return None
    name = call.func.attr
    signatures = [
        s
        for cls in spec.interface
        if cls.signature.startswith("class ")
        for s in class_methods(cls)
        if signature_name(s) == name
    ]
    text = described(spec, call, prose=False)  # the class's prose speaks of no one method
    return (signatures[0], text) if len(signatures) == 1 and text else None


def _stated_call(spec: FileSpec, call: ast.Call) -> tuple[list[Clause], Args, str] | None:
    """The callee's clauses, the call's literal arguments and the stated return type."""
    target = _stated_target(spec, call)
    if target is None or not target[1]:
        return None
    signature, docstring = target
    clauses = stated_clauses(docstring)
    if not clauses:
        return None
    try:
        fn = ast.parse(signature + ":\n    ...").body[0]
    except SyntaxError:
        return None
    if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    args = _arguments(call, fn)
    if args is None:
        return None
    return clauses, args, ast.unparse(fn.returns) if fn.returns is not None else ""


def _answers(clauses: list[Clause], ask: Callable[[Clause], Any]) -> Iterator[tuple[Clause, Any]]:
    """Each clause with its answer to ``ask``; None where asking raised.

    A clause reasons over model-chosen values (an argument of an unexpected
    type, a huge number): an exception there is no answer, never a crash.
    """
    for clause in clauses:
        try:
            answer = ask(clause)
        except Exception:
            answer = None
        yield clause, answer


def clause_violation(spec: FileSpec, call: ast.Call, result: Any) -> str | None:
    """Which stated clause ``result``, expected of ``call``, breaks; None when none does."""
    stated = _stated_call(spec, call)
    if stated is None:
        return None
    clauses, args, _ = stated
    for clause, ok in _answers(clauses, lambda c: c.holds(args, result)):
        if ok is False:
            return f"expected {result!r} breaks the interface's '{clause.text}'"
    return None


def clause_raises(
    spec: FileSpec, call: ast.Call, arguments_only: bool = False
) -> tuple[str, str] | None:
    """``(clause, exception)`` when a stated clause says ``call`` must raise; else None.

    ``arguments_only`` reads only the clauses that judge by the arguments alone
    (``Clause.arguments_only``): a case test may then expect the exception
    even where earlier calls changed an object or a file.
    """
    stated = _stated_call(spec, call)
    if stated is None:
        return None
    clauses, args, _ = stated
    if arguments_only:
        clauses = [c for c in clauses if c.arguments_only]
    for clause, error in _answers(clauses, lambda c: c.raises(args)):
        if error:
            return clause.text, error
    return None


def clause_checks(spec: FileSpec, call: ast.Call) -> list[tuple[str, str]]:
    """``(clause, condition on result)`` for each stated clause writable for ``call``.

    A test ``result = call`` then ``assert condition`` checks what the
    interface says of this input whatever value the PM expected — the input of
    a dropped wrong example is still a good input.
    """
    stated = _stated_call(spec, call)
    if stated is None:
        return []
    clauses, args, returns = stated
    return [
        (clause.text, condition)
        for clause, condition in _answers(clauses, lambda c: c.assertion(args, returns))
        if condition is not None
    ]
