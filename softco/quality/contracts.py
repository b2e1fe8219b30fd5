"""The error a function's interface promises, kept without a model call.

A brief that says ``from_roman(s) -> int (ValueError for invalid numerals)``
fixes the exception a caller will catch. A 1.5B coder writes the table lookup
``values[ch]`` and lets its ``KeyError`` escape on ``"ABC"``: the caller's
``except ValueError`` misses it. Which exception is promised is certain from
the interface, and a failed lookup on the caller's input is the textbook case
of the invalid input the promise is about, so the lookup errors are translated
at the function's edge. Likewise a function promising ``None for a
malformed line`` answers the ``IndexError``/``ValueError`` of taking such a
line apart with ``return None`` (``malformed_none``).
"""

from __future__ import annotations

import ast
import builtins
import re

from softco.artifacts import Design, FileSpec
from softco.quality.edits import Edit, apply_edits, ended, indent_step, span
from softco.quality.reshape import has_multiline_strings, source_lines

_LOOKUP = {"KeyError", "IndexError", "LookupError"}
_ERROR = re.compile(r"\b([A-Z]\w*Error)\b")


def promised_error(docstring: str) -> str | None:
    """The one builtin exception a docstring names, unless it names a lookup error."""
    named = {m for m in _ERROR.findall(docstring) if isinstance(getattr(builtins, m, None), type)}
    if len(named) != 1 or named & _LOOKUP:
        return None
    return named.pop()


def _catches(fn: ast.FunctionDef, names: set[str]) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Try):
            for handler in node.handlers:
                caught = "" if handler.type is None else ast.unparse(handler.type)
                if handler.type is None or any(name in caught for name in (*names, "Exception")):
                    return True
    return False


def _wrappable(fn: ast.FunctionDef, caught: set[str]) -> bool:
    """A body that can be indented safely and can raise a lookup error."""
    looks_up = any(
        isinstance(n, ast.Subscript) and isinstance(n.ctx, ast.Load) for n in ast.walk(fn)
    )
    generator = any(isinstance(n, ast.Yield | ast.YieldFrom) for n in ast.walk(fn))
    return looks_up and not generator and not has_multiline_strings(fn) and not _catches(fn, caught)


def _docstring_node(fn: ast.FunctionDef) -> ast.AST | None:
    first = fn.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return first.value if isinstance(first.value.value, str) else None
    return None


def _wrap(content: str, handlers: dict[str, tuple[str, str]], caught: set[str]) -> str:
    """Each top-level function in ``handlers`` with its body (after its docstring) in
    ``try:``, ending in ``except <handlers[name][0]>`` with the statement ``[1]``.

    Left alone: functions already catching one of ``caught`` (or everything),
    generators, bodies holding multi-line strings (their text would change
    when indented), a body on the ``def`` line.
    """
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    lines = source_lines(content, keepends=True)
    targets = [
        n
        for n in tree.body
        if isinstance(n, ast.FunctionDef) and n.name in handlers and _wrappable(n, caught)
    ]
    for fn in sorted(targets, key=lambda n: n.lineno, reverse=True):
        body = fn.body[1:] if _docstring_node(fn) is not None else fn.body
        if not body:
            continue
        start, end = body[0].lineno, fn.end_lineno or body[-1].lineno
        first = lines[start - 1]
        indent = first[: len(first) - len(first.lstrip())]
        if body[0].col_offset != len(indent.encode()) or start <= fn.lineno:
            continue  # body on the def line: left as written
        (errors, action), step = handlers[fn.name], indent_step(indent)
        lines[start - 1 : end] = [
            f"{indent}try:\n",
            *(step + ended(line) if line.strip() else line for line in lines[start - 1 : end]),
            f"{indent}except {errors}{' as exc' if 'exc' in action else ''}:\n",
            f"{indent}{step}{action}\n",
        ]
    return "".join(lines)


def documented_errors(spec: FileSpec, content: str) -> str:
    """Wrap each interface function promising one exception so lookups raise it.

    ``except (KeyError, IndexError) as exc: raise ValueError(...) from exc``
    around the body (after its docstring). Left alone: functions that already
    handle lookup errors, and interfaces naming a lookup error or several
    exceptions (and what ``_wrap`` leaves).
    """
    promises = {
        f.name: ("(KeyError, IndexError)", f'raise {err}(f"invalid input: {{exc}}") from exc')
        for f in spec.interface
        if f.signature.startswith("def ") and (err := promised_error(f.docstring))
    }
    return _wrap(content, promises, _LOOKUP) if promises else content


_MALFORMED = re.compile(
    r"\bNone (?:for|on|if|when) (?:given )?(?:an? |the )?(?:malformed|invalid|bad|"
    r"unparsable|unparseable|broken)\b",
    re.I,
)


def malformed_none(spec: FileSpec, content: str) -> str:
    """A function promising ``None for a malformed line`` returns None where parsing fails.

    logstats, session 10: ``parse_line('2023-10-05 14:30:00')`` (no level)
    raised ``IndexError`` at ``parts[2]`` where the interface says ``-> dict |
    None (...; None for a malformed line)``. An ``IndexError`` or ``ValueError``
    while taking the caller's text apart is the malformed input the promise is
    about, so the body answers it with ``return None``. Only where the stated
    return type admits None and the function does not handle those already.
    """
    wanted = {
        f.name: ("(IndexError, ValueError)", "return None")
        for f in spec.interface
        if f.signature.startswith("def ")
        and _MALFORMED.search(f.docstring or "")
        and re.search(r"->.*\b(?:None|Optional)\b", f.signature)
    }
    return _wrap(content, wanted, {"IndexError", "ValueError"}) if wanted else content


def promised_catches(content: str, design: Design) -> str:
    """A handler catching a lookup error around a call promising another error catches both.

    unitconv, session 15: ``main`` wrapped ``convert(...)`` in ``try: ...
    except KeyError:`` while ``convert``'s interface says "ValueError for an
    unknown unit" — so ``main(["1", "m", "cubit"])`` died with a traceback
    instead of printing an error and returning 2. The error the callee
    promises is the one its caller means to handle, so it joins the handler:
    ``except (KeyError, ValueError):``. Left alone where some handler of that
    ``try`` already catches it (or ``Exception``), or where more than one
    handler catches lookup errors.
    """
    promises = {
        fn.name: err
        for f in design.files
        for fn in f.interface
        if fn.signature.startswith("def ") and (err := promised_error(fn.docstring))
    }
    if not promises:
        return content
    try:
        tree = ast.parse(content)
    except (SyntaxError, ValueError, RecursionError):
        return content
    edits: list[Edit] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        called = {
            n.func.id if isinstance(n.func, ast.Name) else n.func.attr
            for stmt in node.body
            for n in ast.walk(stmt)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name | ast.Attribute)
        }
        wanted = sorted({promises[name] for name in called if name in promises})
        caught = [_caught_names(h) for h in node.handlers]
        handled = set().union(*caught) if caught else set()
        missing = [e for e in wanted if e not in handled]
        if not missing or handled & {"Exception", "BaseException", ""}:
            continue
        lookups = [h for h, names in zip(node.handlers, caught, strict=True) if names <= _LOOKUP]
        if len(lookups) != 1 or lookups[0].type is None:
            continue
        kind = lookups[0].type
        if kind.lineno != kind.end_lineno:
            continue
        names = sorted(_caught_names(lookups[0])) + missing
        edits.append(span(kind, f"({', '.join(names)})"))
    return apply_edits(content, edits) if edits else content


def _caught_names(handler: ast.ExceptHandler) -> set[str]:
    """``{"KeyError"}`` for ``except KeyError``; ``{""}`` for a bare ``except:``."""
    if handler.type is None:
        return {""}
    elts = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return {ast.unparse(e).rsplit(".", 1)[-1] for e in elts}
