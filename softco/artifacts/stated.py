"""The interface a brief states itself, read without a model.

A brief that says ``roman.py: to_roman(n: int) -> str (1..3999, ValueError
otherwise)`` has already fixed the design: the module path, the names, the
parameters. Asking a 1.5B architect to restate it only risks changing it (a
``roman/core.py`` package where ``roman.py`` was asked for breaks every caller),
so the workflow builds the design from this parse instead (see
``workflows.design_check.pin_design``).

The grammar is the informal one people write: ``path.py:`` opens a file;
``name(params) -> type`` is a function, an immediate ``( ... )`` after it is its
docstring, as is prose up to the next signature; ``class Name(ctor params)
with m1(...), m2(...)`` is a class whose methods run to the next ``;``.
Anything that does not parse as Python is left out rather than guessed.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass, field

from softco.artifacts.design import FunctionSpec
from softco.artifacts.paths import normalise_path, path_problem

_PATH = re.compile(r"(?<![\w/.-])((?:[A-Za-z_]\w*/)*[A-Za-z_]\w*\.py)\s*:(?!:)")
_NAME = re.compile(r"(?<![\w.`-])(class\s+)?([A-Za-z_]\w*)\(")
_CLASS_NO_ARGS = re.compile(r"(?<![\w.`-])class\s+([A-Z]\w*)\b(?!\()")
_TYPE_ATOM = re.compile(r"\s*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_SKIP = set(dir(builtins)) | {"python"}


@dataclass
class _Sig:
    name: str
    params: str
    returns: str
    start: int
    end: int
    is_class: bool = False
    doc: str = ""
    methods: list[_Sig] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)


def _balanced(text: str, i: int, open_: str = "(", close: str = ")") -> int:
    """Index just past the bracket that closes the one at ``text[i]`` (-1 if unclosed)."""
    depth = 0
    for j in range(i, len(text)):
        if text[j] == open_:
            depth += 1
        elif text[j] == close:
            depth -= 1
            if depth == 0:
                return j + 1
    return -1


def _type_end(text: str, i: int) -> int:
    """End of a type expression at ``i``: ``dict[str, int]``, ``str | None``."""
    end = i
    while True:
        m = _TYPE_ATOM.match(text, end)
        if not m:
            return end
        end = m.end()
        if end < len(text) and text[end] == "[":
            closed = _balanced(text, end, "[", "]")
            if closed < 0:
                return m.start()
            end = closed
        bar = re.match(r"\s*\|", text[end:])
        if not bar:
            return end
        end += bar.end()


def _valid(name: str, params: str, returns: str, method: bool) -> bool:
    head = f"def {name}({'self, ' if method and params else 'self' if method else ''}{params})"
    try:
        ast.parse(head + (f" -> {returns}" if returns else "") + ": ...")
    except SyntaxError:
        return False
    return True


def _scan(segment: str) -> list[_Sig]:
    """Signatures in one file's text, in order; a class collects its methods."""
    found: list[_Sig] = []
    i = 0
    cls: _Sig | None = None
    while True:
        m = _NAME.search(segment, i)
        bare = _CLASS_NO_ARGS.search(segment, i)
        if bare and (not m or bare.start() < m.start()):
            cls = _Sig(bare.group(1), "", "", bare.start(), bare.end(), is_class=True)
            found.append(cls)
            i = bare.end()
            continue
        if not m:
            break
        if cls is not None and ";" in segment[cls.end : m.start()]:
            cls = None  # a ';' at top level ends the class's method list
        name, open_at = m.group(2), m.end() - 1
        close = _balanced(segment, open_at)
        if close < 0:
            i = m.end()
            continue
        params = segment[open_at + 1 : close - 1].strip()
        returns, end = "", close
        arrow = re.match(r"\s*->", segment[close:])
        if arrow:
            t_start = close + arrow.end()
            t_end = _type_end(segment, t_start)
            returns, end = segment[t_start:t_end].strip(), t_end
        if m.group(1):  # class Name(ctor params)
            cls = _Sig(name, params, "", m.start(), end, is_class=True)
            found.append(cls)
            i = end
            continue
        builtin_call = name in _SKIP and not returns  # "using input()": prose, not a spec
        if builtin_call or not _valid(name, params, returns, cls is not None):
            i = m.end()
            continue
        sig = _Sig(name, params, returns, m.start(), end)
        doc_paren = re.match(r"\s*\(", segment[end:])
        if doc_paren:  # "f(x) -> int (what it returns)": the parenthesis is its docstring
            d_open = end + doc_paren.end() - 1
            d_close = _balanced(segment, d_open)
            if d_close > 0:
                sig.doc = segment[d_open + 1 : d_close - 1].strip()
                sig.end = end = d_close
        if cls is not None:
            cls.methods.append(sig)
            cls.end = end
        else:
            found.append(sig)
        i = end
    _attach_prose(segment, found)
    return found


_ATTRIBUTES = re.compile(r"^(?:attributes?\s+)?[A-Za-z_]\w*\s*:\s*[A-Za-z]")


def _attach_prose(segment: str, sigs: list[_Sig]) -> None:
    """Prose between a signature and the next one belongs to the first (its docstring).

    Inside a class, prose shaped like ``tries: int and won: bool`` describes the
    class's attributes, not the method before it.
    """
    flat: list[tuple[_Sig, _Sig | None]] = []
    for s in sigs:
        flat.append((s, None))
        flat.extend((m, s) for m in s.methods)
    flat.sort(key=lambda pair: pair[0].start)
    for k, (s, owner) in enumerate(flat):
        nxt = flat[k + 1][0].start if k + 1 < len(flat) else len(segment)
        prose = segment[s.end : nxt].strip(" \t\n,;.").strip()
        prose = re.sub(r"^(with|and)\b\s*", "", prose).strip()
        if not prose or (s.is_class and s.methods):
            continue
        if owner is not None and _ATTRIBUTES.match(prose):
            owner.attributes.append(re.sub(r"^attributes?\s+", "", prose))
            continue
        s.doc = f"{s.doc}; {prose}".strip("; ") if s.doc else prose


def _spec(sig: _Sig) -> FunctionSpec:
    if not sig.is_class:
        ret = f" -> {sig.returns}" if sig.returns else ""
        doc = sig.doc[:1].upper() + sig.doc[1:] if sig.doc else ""
        return FunctionSpec(signature=f"def {sig.name}({sig.params}){ret}", docstring=doc)
    lines = []
    if sig.params:
        lines.append(f"Constructor: {sig.name}({sig.params}).")
    if sig.doc:
        lines.append(sig.doc[:1].upper() + sig.doc[1:])
    if sig.methods:
        lines.append("Methods:")
        for meth in sig.methods:
            ret = f" -> {meth.returns}" if meth.returns else ""
            doc = f": {meth.doc}" if meth.doc else ""
            lines.append(f"  {meth.name}({meth.params}){ret}{doc}")
    if sig.attributes:
        lines.append("Attributes: " + "; ".join(sig.attributes))
    return FunctionSpec(signature=f"class {sig.name}", docstring="\n".join(lines))


def stated_interface(brief: str) -> dict[str, list[FunctionSpec]]:
    """``{path: [FunctionSpec, ...]}`` for each ``path.py:`` the brief spells out.

    Empty when the brief names no file, or when no named file has a signature
    that parses (then the architect designs as usual).
    """
    marks = [m for m in _PATH.finditer(brief) if not path_problem(normalise_path(m.group(1)))]
    stated: dict[str, list[FunctionSpec]] = {}
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(brief)
        specs = [_spec(s) for s in _scan(brief[m.end() : end])]
        path = normalise_path(m.group(1))
        if specs:
            names = {fn.name for fn in stated.get(path, [])}
            stated.setdefault(path, []).extend(fn for fn in specs if fn.name not in names)
    return stated


_METHOD_LINE = re.compile(r"^\s+([A-Za-z_]\w*)\(")


def signature_name(signature: str) -> str:
    """``total`` for ``def total(self) -> float`` (a :func:`class_methods` entry)."""
    return signature.split("(", 1)[0].removeprefix("def ").strip()


def class_methods(spec: FunctionSpec) -> list[str]:
    """``def name(self, ...) -> type`` for each method a class spec's docstring lists.

    Reads back the ``Methods:`` block :func:`_spec` writes (one
    ``  name(params) -> type: doc`` line each), so the gate can check the
    methods a brief fixed, not only the class name. Lines that do not parse
    as Python are left out.
    """
    if not spec.signature.startswith("class ") or "Methods:" not in spec.docstring:
        return []
    block = spec.docstring.split("Methods:", 1)[1]
    found = []
    for line in block.splitlines():
        m = _METHOD_LINE.match(line)
        if m is None:
            if line.strip() and not line[:1].isspace():
                break  # the next section ("Attributes: ...")
            continue
        close = _balanced(line, m.end() - 1)
        if close < 0:
            continue
        params = re.sub(r"^self\s*(,\s*|$)", "", line[m.end() : close - 1].strip())
        rest = line[close:]
        returns = ""
        if rest.lstrip().startswith("->"):
            start = close + rest.index("->") + 2
            returns = line[start : _type_end(line, start)].strip()
        if not _valid(m.group(1), params, returns, method=True):
            continue
        own = f"self, {params}" if params else "self"
        found.append(f"def {m.group(1)}({own})" + (f" -> {returns}" if returns else ""))
    return found
