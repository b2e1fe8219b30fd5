"""Module-specific checks: interface conformance, placeholders, import-time code, argv.

The interface is the contract dependents and tests were written against, so a
missing function or different parameter names fail the gate. A different
return annotation does not: it breaks no call and no import, and small models
often write ``list`` for ``list[str]``; it is reported by
:func:`signature_warnings` for the run report only.
"""

from __future__ import annotations

import ast

from softco.artifacts import FileSpec, FunctionSpec
from softco.artifacts.stated import class_methods, signature_name
from softco.quality.edits import parents_of
from softco.quality.placeholders import FunctionNode, is_placeholder, marker_comments
from softco.quality.reshape import is_static

_ALLOWED_TOP = (
    ast.Import,
    ast.ImportFrom,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Assign,
    ast.AnnAssign,
    ast.AugAssign,
    ast.If,
    ast.Try,
)
_ARGV_NAMES = {"argv", "args", "arguments"}
# parameters a calling convention imposes (signal handlers, callbacks), not the brief
_MAY_GO_UNUSED = {"self", "cls", "signum", "frame"}


def _spec_node(fn: FunctionSpec) -> ast.stmt:
    return ast.parse(fn.signature + ":\n    ...").body[0]


def params(node: ast.stmt) -> list[str]:
    """Parameter names in order, with ``*``/``**`` marking varargs (empty for classes)."""
    if not isinstance(node, FunctionNode):
        return []
    a = node.args
    names = [p.arg for p in [*a.posonlyargs, *a.args]]
    names += [f"*{a.vararg.arg}"] if a.vararg else []
    names += [p.arg for p in a.kwonlyargs]
    names += [f"**{a.kwarg.arg}"] if a.kwarg else []
    return names


def _top_level(tree: ast.Module) -> dict[str, ast.stmt]:
    defs: dict[str, ast.stmt] = {}
    for node in tree.body:
        if isinstance(node, FunctionNode | ast.ClassDef):
            defs[node.name] = node
    return defs


def _kind(node: ast.stmt) -> str:
    return "class" if isinstance(node, ast.ClassDef) else "function"


def interface_problems(spec: FileSpec, tree: ast.Module) -> list[str]:
    """Every interface entry defined at top level, of the same kind, with the same parameters."""
    defs = _top_level(tree)
    problems = []
    for fn in spec.interface:
        wanted = _spec_node(fn)
        node = defs.get(fn.name)
        if node is None:
            problems.append(
                f"missing {_kind(wanted)} {fn.name!r}: define `{fn.signature}` at top level"
            )
        elif _kind(node) != _kind(wanted):
            problems.append(
                f"line {node.lineno}: {fn.name!r} is a {_kind(node)} but the design says "
                f"`{fn.signature}`"
            )
        elif params(node) != params(wanted):
            got = ", ".join(params(node))
            problems.append(
                f"line {node.lineno}: {fn.name}({got}) does not match the interface "
                f"`{fn.signature}`: use exactly these parameter names"
            )
        elif isinstance(node, ast.ClassDef):
            problems += _method_problems(fn, node, tree)
    return problems


def _class_methods(node: ast.ClassDef, tree: ast.Module) -> dict[str, ast.stmt] | None:
    """Methods of ``node`` and of its bases defined in the same module (None: base unknown)."""
    classes = {c.name: c for c in tree.body if isinstance(c, ast.ClassDef)}
    methods: dict[str, ast.stmt] = {}
    todo, seen = [node], set()
    while todo:
        cls = todo.pop()
        if cls.name in seen:
            continue
        seen.add(cls.name)
        for m in cls.body:
            if isinstance(m, FunctionNode):
                methods.setdefault(m.name, m)
        for base in cls.bases:
            name = ast.unparse(base)
            if name == "object":
                continue
            if name not in classes:
                return None  # inherits from elsewhere: what it offers is not known here
            todo.append(classes[name])
    return methods


def _method_problems(fn: FunctionSpec, node: ast.ClassDef, tree: ast.Module) -> list[str]:
    """The methods a class spec lists, each defined in the class with its parameters."""
    methods = _class_methods(node, tree)
    if methods is None:
        return []
    problems = []
    for signature in class_methods(fn):
        wanted = ast.parse(signature + ":\n    ...").body[0]
        assert isinstance(wanted, ast.FunctionDef)
        have = methods.get(wanted.name)
        if have is None:
            problems.append(
                f"missing method {wanted.name!r} in class {fn.name!r}: define "
                f"`{signature}` inside the class"
            )
        elif (params(have) if is_static(have) else params(have)[1:]) != params(wanted)[1:]:
            got = ", ".join(params(have))
            problems.append(
                f"line {have.lineno}: {fn.name}.{wanted.name}({got}) does not match the "
                f"interface `{signature}`: use exactly these parameter names"
            )
    return problems


def unused_parameter_problems(spec: FileSpec, tree: ast.Module) -> list[str]:
    """An interface function or listed method that never reads a parameter ignores the caller.

    ``convert(value, src, dst)`` that never reads ``dst`` returns metres for
    every target unit: the signature conforms, every call runs, and every
    answer but one is wrong; ``Cart.add(item, price, qty)`` that never reads
    ``price`` cannot total. Said back to the author like any gate finding.
    ``self``/``cls``, ``_``-names and ``*args``/``**kwargs`` are exempt.
    """
    defs = _top_level(tree)
    # (shown name, signature, node, the signatures of its class's stated methods)
    checked: list[tuple[str, str, ast.stmt, list[str]]] = []
    for fn in spec.interface:
        node = defs.get(fn.name)
        if isinstance(node, FunctionNode):
            checked.append((fn.name, fn.signature, node, []))
        elif isinstance(node, ast.ClassDef):
            own = {m.name: m for m in node.body if isinstance(m, FunctionNode)}
            methods = class_methods(fn)
            for signature in methods:
                name = signature_name(signature)
                if name in own:
                    checked.append((f"{fn.name}.{name}", signature, own[name], methods))
    problems = []
    for shown, signature, node, methods in checked:
        if not isinstance(node, FunctionNode) or is_placeholder(node):
            continue
        used, checks = _parameter_uses(node)
        for arg in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
            if arg.arg in _MAY_GO_UNUSED or arg.arg.startswith("_") or arg.arg in used:
                continue
            what = "only checks" if arg.arg in checks else "never uses"
            problems.append(
                f"line {node.lineno}: {shown} {what} its parameter {arg.arg!r}: "
                f"{_must_use(signature, arg.arg, methods)} (`{signature}`)"
            )
    return problems


def _must_use(signature: str, param: str, methods: list[str]) -> str:
    """What using ``param`` means for this unit: a command keeps it for the other methods.

    ``Cart.add(item, price, qty)`` returns nothing, so "the result must depend
    on price" told a 1.5B coder nothing it could act on (cart, session 13: six
    rewrites of ``add`` kept only quantities); a method that returns nothing
    uses a parameter by storing it on the object. A method the brief gives no
    return type counts as one only where it gives its siblings one (``methods``,
    the class's stated method signatures; empty for a function).
    """
    returns = _returns(signature)
    typed = any(_returns(m).startswith("->") for m in methods)
    if methods and (returns == "-> None" or (returns == "" and typed)):
        return (
            f"a method that returns nothing must use {param} to change the object (store it, "
            "for example beside the other arguments it stores), where the other methods read it"
        )
    return "the result must depend on it"


def _returns(signature: str) -> str:
    """``-> float`` of ``def total(self) -> float``; "" where the signature states none."""
    return signature.rsplit(")", 1)[-1].strip() if ")" in signature else ""


def _parameter_uses(fn: FunctionNode) -> tuple[set[str], set[str]]:
    """Names read for real, and names read only to validate (an ``if`` that raises, a ``raise``).

    ``if price < 0: raise ValueError`` and nothing else: the price is checked
    and then thrown away.
    """
    parents = parents_of(fn)
    used: set[str] = set()
    checks: set[str] = set()
    for name in ast.walk(fn):
        if not isinstance(name, ast.Name):
            continue
        node: ast.AST = name
        validation = False
        while node in parents and node is not fn:
            parent = parents[node]
            if isinstance(parent, ast.Raise) or (
                isinstance(parent, ast.If)
                and node is parent.test
                and not parent.orelse
                and all(isinstance(b, ast.Raise) for b in parent.body)
            ):
                validation = True
                break
            node = parent
        (checks if validation else used).add(name.id)
    return used, checks


def signature_warnings(spec: FileSpec, content: str) -> list[str]:
    """Return-annotation differences: reported, never a gate failure (see module docstring)."""
    try:
        defs = _top_level(ast.parse(content))
    except (SyntaxError, ValueError):
        return []
    warnings = []
    for fn in spec.interface:
        node, wanted = defs.get(fn.name), _spec_node(fn)
        if not isinstance(node, FunctionNode) or not isinstance(wanted, FunctionNode):
            continue
        got = ast.unparse(node.returns) if node.returns else ""
        want = ast.unparse(wanted.returns) if wanted.returns else ""
        if want and got != want:
            warnings.append(
                f"line {node.lineno}: {fn.name} returns {got or 'unannotated'}; design says {want}"
            )
    return warnings


def placeholder_problems(tree: ast.Module, content: str) -> list[str]:
    found = [
        (n.lineno, f"line {n.lineno}: {n.name} has a placeholder body: implement it fully")
        for n in ast.walk(tree)
        if isinstance(n, FunctionNode) and is_placeholder(n)
    ]
    found += [
        (line, f"line {line}: leftover {marker} comment: finish the code and remove the comment")
        for line, marker in marker_comments(content)
    ]
    return [text for _, text in sorted(found)]


def import_time_problems(tree: ast.Module) -> list[str]:
    """Statements that would run when tests import the module (prints, loops, main())."""
    problems = []
    for node in tree.body:
        constant = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if constant or isinstance(node, _ALLOWED_TOP):
            continue
        code = ast.unparse(node).splitlines()[0][:60]
        problems.append(
            f"line {node.lineno}: `{code}` runs at import time: move it into a function "
            'or under `if __name__ == "__main__":`'
        )
    return problems


def argv_problems(tree: ast.Module) -> list[str]:
    """A function taking ``argv`` must parse it, not the process's command line.

    Reading ``sys.argv`` as a fallback for ``argv is None`` is fine, so only
    an argument-less ``parse_args()`` is reported.
    """
    problems = []
    for fn in ast.walk(tree):
        if not isinstance(fn, FunctionNode) or not _ARGV_NAMES & set(params(fn)):
            continue
        for node in ast.walk(fn):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"parse_args", "parse_known_args"}
                and not node.args
                and not node.keywords
            ):
                problems.append(
                    f"line {node.lineno}: {fn.name} ignores argv: call "
                    f"parser.{node.func.attr}(argv) instead of {node.func.attr}()"
                )
    return problems
