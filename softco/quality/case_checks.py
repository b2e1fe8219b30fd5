"""Checks of one tester case against the interface: binding, types, expected values.

Split from ``case_tests`` (which decides what to keep and writes the file).
``fits``/``conform`` compare a literal with an annotation (JSON lists become
tuples, string keys int keys), ``check_call`` binds a call to its stated
signature, ``expected_value`` reads what the model wrote as the result,
``required_options`` reads the brief's CLI usage line and ``main_call`` turns a
``main([...])`` call case into a CLI step. All take untrusted model output and
answer rather than raise on odd input.
"""

from __future__ import annotations

import ast
import builtins
import re
from typing import Any

from softco.artifacts import FileSpec, module_name
from softco.artifacts.cases import CallCase, CliCase, CliStep, TestCases
from softco.quality.oracle import computed

_RAISES = re.compile(
    r"^\s*(?:(?:raises?\s+|pytest\.raises\()([A-Z]\w*)|([A-Z]\w*(?:Error|Exception)))"
    r"\)?\s*(?:[:(].*)?$",
    re.S,
)


def stated_signatures(spec: FileSpec) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    found = {}
    for fn in spec.interface:
        try:
            node = ast.parse(fn.signature + ":\n    ...").body[0]
        except SyntaxError:
            continue
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found[fn.name] = node
    return found


def fits(value: Any, annotation: ast.expr | None) -> bool:
    """Whether a literal ``value`` can be what ``annotation`` describes (unknown: yes)."""
    if annotation is None:
        return True
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return fits(value, annotation.left) or fits(value, annotation.right)
    if isinstance(annotation, ast.Constant) and annotation.value is None:
        return value is None
    base = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    name = base.id if isinstance(base, ast.Name) else ""
    name = {"List": "list", "Dict": "dict", "Tuple": "tuple", "Set": "set"}.get(name, name)
    if name == "Optional":
        return value is None or fits(value, getattr(annotation, "slice", None))
    checks: dict[str, Any] = {
        "str": lambda v: isinstance(v, str),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "bool": lambda v: isinstance(v, bool),
        "list": lambda v: isinstance(v, list),
        "dict": lambda v: isinstance(v, dict),
        "tuple": lambda v: isinstance(v, tuple | list),
        "set": lambda v: isinstance(v, set | frozenset | list),
        "None": lambda v: v is None,
    }
    check = checks.get(name)
    return True if check is None else bool(check(value))


def conform(value: Any, annotation: ast.expr | None) -> Any:
    """Shape a JSON value like the annotation: lists to tuples, string keys to int keys.

    JSON has no tuples and only string keys, so ``[["a", 2]]`` written for a
    ``list[tuple[str, int]]`` (or ``{"1": 2}`` for a ``dict[int, int]``) would
    fail against correct code. A union tries each side until one fits.
    """
    if annotation is None:
        return value
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        for side in (annotation.left, annotation.right):
            shaped = conform(value, side)
            if fits(shaped, side):
                return shaped
        return value
    if not isinstance(annotation, ast.Subscript | ast.Name):
        return value
    base = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    name = base.id.lower() if isinstance(base, ast.Name) else ""
    inner = annotation.slice if isinstance(annotation, ast.Subscript) else None
    if name == "optional" and inner is not None:
        return value if value is None else conform(value, inner)
    if name == "tuple" and isinstance(value, list):
        value = tuple(value)
    if name == "list" and isinstance(value, tuple):
        value = list(value)  # ``'a', 'b'`` written for a list reads as a tuple
    if name == "list" and isinstance(value, list) and inner is not None:
        return [conform(v, inner) for v in value]
    if name == "dict" and isinstance(value, dict) and isinstance(inner, ast.Tuple):
        key_type = ast.unparse(inner.elts[0]) if inner.elts else ""
        shaped = {}
        for k, v in value.items():
            if key_type == "int" and isinstance(k, str) and k.lstrip("-").isdecimal():
                k = int(k)
            shaped[k] = conform(v, inner.elts[-1])
        return shaped
    if (
        name == "tuple"
        and isinstance(value, tuple)
        and isinstance(inner, ast.Tuple)
        and len(inner.elts) == len(value)
    ):
        return tuple(conform(v, a) for v, a in zip(value, inner.elts, strict=True))
    return value


def literal_value(node: ast.expr) -> tuple[bool, Any]:
    try:
        return True, ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError):
        return False, None


def path_valued(node: ast.expr, paths: set[str]) -> bool:
    """An expression that is a ``pathlib.Path`` (``tmp_path / 'x'`` or a name bound to one)."""
    if isinstance(node, ast.Name):
        return node.id in paths or node.id == "tmp_path"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return path_valued(node.left, paths)
    return False


def check_call(
    call: ast.Call, fn: ast.FunctionDef | ast.AsyncFunctionDef, paths: set[str]
) -> str | None:
    """Bind ``call``'s arguments to ``fn``'s parameters; fix Path-for-str; say what is wrong."""
    a = fn.args
    positional = [*a.posonlyargs, *a.args]
    if positional and positional[0].arg in ("self", "cls"):
        positional = positional[1:]
    if len(call.args) > len(positional) and a.vararg is None:
        return f"{fn.name} takes {len(positional)} positional arguments, not {len(call.args)}"
    names = {p.arg: p for p in [*positional, *a.kwonlyargs]}
    bound: dict[str, ast.expr] = {p.arg: v for p, v in zip(positional, call.args, strict=False)}
    for kw in call.keywords:
        if kw.arg is None:
            continue
        if kw.arg not in names and a.kwarg is None:
            return f"{fn.name} has no parameter {kw.arg!r}"
        bound[kw.arg] = kw.value
    n_defaults = len(a.defaults)
    required = [p.arg for p in positional[: len(positional) - n_defaults]]
    required += [p.arg for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=True) if d is None]
    missing = [r for r in required if r not in bound]
    if missing and not any(isinstance(x, ast.Starred) for x in call.args):
        return f"{fn.name} needs {', '.join(missing)}"
    for pname, value in bound.items():
        param = names.get(pname)
        annotation = param.annotation if param is not None else None
        if annotation is None:
            continue
        if path_valued(value, paths) and wants_str(annotation):
            wrapped = ast.Call(func=ast.Name("str", ast.Load()), args=[value], keywords=[])
            replace_argument(call, value, wrapped)
            continue
        ok, literal = literal_value(value)
        if ok and not fits(literal, annotation):
            return f"{fn.name}({pname}: {ast.unparse(annotation)}) given {ast.unparse(value)}"
    return None


def wants_str(annotation: ast.expr) -> bool:
    """Whether ``str`` itself is one of the annotation's alternatives (not ``list[str]``)."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return wants_str(annotation.left) or wants_str(annotation.right)
    if isinstance(annotation, ast.Subscript) and ast.unparse(annotation.value) == "Optional":
        return wants_str(annotation.slice)
    return isinstance(annotation, ast.Name) and annotation.id == "str"


def replace_argument(call: ast.Call, old: ast.expr, new: ast.expr) -> None:
    call.args = [new if arg is old else arg for arg in call.args]
    for kw in call.keywords:
        if kw.value is old:
            kw.value = new


_TYPE_WORDS = {"str", "string", "strings", "int", "integer", "float", "list", "dict", "bool"}


def expected_value(
    expected: Any, offered: set[str], returns: ast.expr | None
) -> tuple[str, Any] | None:
    """("raises", name) or ("value", python value), else None (prose, names, code).

    A JSON value is taken as it is; a string is Python source first (a literal,
    arithmetic, ``raises X``), else — where the function returns ``str`` — the
    text itself (but never a type name like ``"strings"``).
    """
    if not isinstance(expected, str):
        return ("value", expected)
    raised = _RAISES.match(expected)
    if raised:
        name = raised.group(1) or raised.group(2)
        builtin = isinstance(getattr(builtins, name, None), type) and issubclass(
            getattr(builtins, name), BaseException
        )
        return ("raises", name) if builtin or name in offered else None
    as_text = (
        returns is not None and wants_str(returns) and expected.strip().lower() not in _TYPE_WORDS
    )
    source = computed(expected) or expected.strip()
    try:
        ok, value = literal_value(ast.parse(source, mode="eval").body)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        ok, value = False, None
    if ok and (not as_text or fits(value, returns)):
        return ("value", value)
    return ("value", expected) if as_text else None


def called_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name):
            return func.id
        if isinstance(func, ast.Attribute):
            return func.attr
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def parse_call(call: str) -> ast.Expression:
    """Parse the call; an apostrophe inside a quoted word (``'It's'``) is escaped first."""
    try:
        return ast.parse(call.strip(), mode="eval")
    except SyntaxError:
        return ast.parse(re.sub(r"(?<=[A-Za-z])'(?=[a-z])", r"\\'", call.strip()), mode="eval")


_BACKQUOTED = re.compile(r"`([^`]+)`")
_OPTION = re.compile(r"(?<![\w-])(--[A-Za-z][\w-]*)")


def usage_lines(spec: FileSpec) -> list[str]:
    """The backquoted command lines of ``main``'s stated contract (the brief's usage)."""
    main = next((f for f in spec.interface if f.name == "main"), None)
    return _BACKQUOTED.findall(main.docstring if main else "")


def without_optional(usage: str) -> str:
    """``usage`` with its ``[...]`` parts blanked: what every such command line has."""
    return re.sub(r"\[[^\[\]]*\]", " ", usage)


def required_options(spec: FileSpec) -> tuple[set[str], str]:
    """Options the brief's usage line for ``main`` shows outside ``[...]``, and that line.

    ``main(argv) with `--file PATH add TEXT | list | done ID``` makes
    ``--file`` part of every command line: a scenario that leaves it out and
    expects success tests a command the brief never offered.
    """
    for usage in usage_lines(spec):
        if "--" in usage:
            return set(_OPTION.findall(without_optional(usage))), usage
    return set(), ""


def main_call(case: CallCase) -> CliCase | None:
    """``main(['x.txt'])`` expected ``1`` in "cases": the same check as a CLI step."""
    try:
        node = ast.parse(case.call.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "main"
        and len(node.args) == 1
        and not case.setup
    ):
        return None
    ok, argv = literal_value(node.args[0])
    code = case.expected
    if isinstance(code, str) and code.strip().lstrip("-").isdecimal():
        code = int(code.strip())
    if not ok or not isinstance(argv, list) or not isinstance(code, int) or isinstance(code, bool):
        return None
    if len(argv) > 8:
        return None
    step = CliStep(argv=[str(a) for a in argv], exit_code=code)
    # no files: built here, not by the model (whose scenarios must name at least one)
    return CliCase.model_construct(behaviour=case.behaviour or "main", files=[], steps=[step])


def main_calls(cases: TestCases) -> list[CliCase]:
    return [c for c in (main_call(case) for case in cases.cases) if c is not None]


def unqualified(case: CallCase, spec: FileSpec) -> CallCase:
    """``case`` with ``unitconv.convert(...)`` written ``convert(...)`` (this module's names).

    A small tester often calls the module it tests by its module name; the
    test file imports the names, so every such case was dropped as "uses
    undefined unitconv" — 12 of unitconv's 17 cases in one run. Only the
    module's own dotted name (or its last part) right before a name it offers
    is cut out of the text, and not where the case binds that name itself
    (``core = Counter()``, ``for cart in ...``, a comprehension's variable);
    everything else, indentation included, stays as written. A setup or call
    that does not parse (or parses too deep) is left to the checks as it is.
    """
    full = module_name(spec.path)
    modules = {full, full.rsplit(".", 1)[-1]}
    offered = {fn.name for fn in spec.interface}
    setup = "\n".join(case.setup)
    if not any(f"{m}." in text for m in modules for text in (setup, case.call)):
        return case
    try:
        trees = [ast.parse(setup), ast.parse(case.call.strip())]
        bound = {
            n.id if isinstance(n, ast.Name) else n.arg
            for tree in trees
            for n in ast.walk(tree)
            if (isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load))
            or isinstance(n, ast.arg)
        }
        cut = modules - bound
        new_setup = _cut_prefixes(setup, trees[0], cut, offered)
        call = _cut_prefixes(case.call.strip(), trees[1], cut, offered)
    except Exception:  # deep nesting (RecursionError), odd text: leave it to the checks
        return case
    if call == case.call.strip() and new_setup == setup:
        return case
    lines = new_setup.split("\n") if case.setup else []
    return case.model_copy(update={"call": call, "setup": lines})


def _cut_prefixes(text: str, tree: ast.AST, modules: set[str], offered: set[str]) -> str:
    """``text`` without the ``module.`` before each offered name (by ``ast`` byte offsets)."""
    lines = [line.encode() for line in text.split("\n")]
    spans = sorted(
        {
            (n.value.lineno, n.value.col_offset, n.value.end_col_offset or 0)
            for n in ast.walk(tree)
            if isinstance(n, ast.Attribute)
            and n.attr in offered
            and n.value.lineno == n.value.end_lineno
            and ast.unparse(n.value) in modules
        },
        reverse=True,
    )
    for line, start, end in spans:
        raw = lines[line - 1]
        if raw[end : end + 1] == b".":  # ``unitconv . convert`` is left alone
            lines[line - 1] = raw[:start] + raw[end + 1 :]
    return "\n".join(raw.decode() for raw in lines)
