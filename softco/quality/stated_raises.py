"""Which exceptions the interface states a call may raise.

A small model's tester likes to add a ``pytest.raises`` case the interface
never asked for: todo's ``list_items(missing_path)`` expecting
``FileNotFoundError`` where the brief says "empty list if the file does not
exist", ``complete(path, 99)`` expecting ``KeyError`` where it says "False
for an unknown id". Code written to the interface fails such a test, and the
repair loop then bends the code towards it and away from what was asked
(session 10: todo's suite red by one such test). ``unstated_raise`` says when
an expected exception is named nowhere in the called function's or method's
own description, so the case is left out before it becomes a test.

A description that says "raises" without naming an exception allows any; an
exception related by inheritance to a named one (``LookupError`` for a stated
``KeyError``) is allowed too. A call whose description cannot be found (an
unknown method, a design with no such name) is not judged, and neither is one
whose description is empty: an interface that says nothing of a function has
said nothing to contradict.
"""

from __future__ import annotations

import ast
import builtins
import re

from softco.artifacts import FileSpec, FunctionSpec
from softco.artifacts.stated import _METHOD_LINE, _balanced  # the Methods: block's own reader

_NAMED = re.compile(r"\b([A-Z]\w*(?:Error|Exception|Exit|Interrupt))\b")
_ANY = re.compile(r"\b(?:rais(?:e|es|ed|ing)|throw(?:s|n|ing)?)\b", re.I)


def _method_text(cls: FunctionSpec, method: str, prose: bool = True) -> str | None:
    """What a class spec says of ``method``: its ``Methods:`` line's doc and the class's prose.

    The doc may run onto following lines (the brief's own line breaks) until
    the next method or ``Attributes:``; prose before ``Methods:`` ("every
    method raises KeyError for an unknown sku") speaks of all methods, and is
    left out with ``prose=False``.
    """
    if "Methods:" not in cls.docstring:
        return None
    before, block = cls.docstring.split("Methods:", 1)
    lines = block.splitlines()
    for k, line in enumerate(lines):
        m = _METHOD_LINE.match(line)
        if not (m and m.group(1) == method):
            continue
        close = _balanced(line, m.end() - 1)
        rest = line[close:] if close >= 0 else ""
        doc = [rest.split(":", 1)[1].strip() if ":" in rest else ""]
        for more in lines[k + 1 :]:
            if _METHOD_LINE.match(more) or more.startswith("Attributes:"):
                break
            doc.append(more.strip())
        said = " ".join(d for d in doc if d)
        return f"{before.strip() if prose else ''} {said}".strip() if said else ""
    return None


def described(spec: FileSpec, call: ast.Call, prose: bool = True) -> str | None:
    """What the interface says of ``call``'s callee; None when no description is found.

    ``prose=False`` reads a method's own line only, not its class's prose.
    """
    if isinstance(call.func, ast.Name):
        stated = next((f for f in spec.interface if f.name == call.func.id), None)
        return None if stated is None else stated.docstring
    if isinstance(call.func, ast.Attribute):
        lines = [
            text
            for cls in spec.interface
            if cls.signature.startswith("class ")
            for text in [_method_text(cls, call.func.attr, prose)]
            if text is not None
        ]
        return lines[0] if len(lines) == 1 else None
    return None


def _related(expected: type, named: set[str]) -> bool:
    for name in named:
        stated = getattr(builtins, name, None)
        if not isinstance(stated, type):
            continue
        if issubclass(stated, expected) or issubclass(expected, stated):
            return True
    return False


def unstated_raise(spec: FileSpec, call: ast.Call, exception: str) -> str | None:
    """Why expecting ``exception`` of ``call`` contradicts the interface; None when it may be right.

    Only builtin exceptions are judged (a custom one is the design's business),
    and only against a description the interface actually gives.
    """
    expected = getattr(builtins, exception, None)
    if not (isinstance(expected, type) and issubclass(expected, BaseException)):
        return None
    text = described(spec, call)
    if not text:
        return None  # the interface says nothing of this call: nothing to contradict
    named = set(_NAMED.findall(text))
    if exception in named or _related(expected, named):
        return None
    if named and (
        expected in (Exception, BaseException)
        or any(not isinstance(getattr(builtins, n, None), type) for n in named)
    ):
        return None  # a custom exception may subclass what the test expects
    if not named and _ANY.search(text):
        return None  # "raises if ..." without a name: any exception may be meant
    callee = ast.unparse(call.func)
    said = f"states only {', '.join(sorted(named))}" if named else "states no exception"
    return f"expects {exception}, but the interface {said} for {callee}"
