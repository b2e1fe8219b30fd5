"""A method that reads ``self.x`` which only some other method sets fails on a new object.

Why: cart's coder (session 14) computed the discounted total inside
``apply_discount`` and stored it; ``total()`` returned the stored value. Every
cart on which ``apply_discount`` was never called raised ``AttributeError``
from ``total()`` — two of its four acceptance tests — and neither the repair
rounds nor the review fixed it, because no finding said so. The static gate
now does, with the way out for the two shapes seen:

- a method that only returns the stored value (``return self._total``) is a
  query whose result another method computed ahead of time: compute it in the
  query, from the stored state, each time it is called;
- any other read (``self.attempts += 1`` with ``attempts`` never set in
  ``__init__``) needs a starting value in ``__init__``.

The check is conservative, since a false finding has right code rewritten:
only classes without base classes or decorators (a base's ``__init__`` or a
dataclass may set the attribute), no ``setattr``/``getattr``/``hasattr`` or
``__dict__`` anywhere in the class, no ``except AttributeError`` in the
reading method, dunder readers left out (``__exit__`` reads what
``__enter__`` set by protocol), and attributes set by ``__init__`` itself or a
method it calls (``self.reset()``) count as always there.
"""

from __future__ import annotations

import ast

from softco.artifacts import FileSpec
from softco.artifacts.stated import class_methods, signature_name
from softco.quality.edits import own_nodes
from softco.quality.placeholders import FunctionNode

_DYNAMIC = frozenset({"setattr", "getattr", "hasattr", "delattr", "vars"})
# ``object.__setattr__(self, ...)``, ``@x.setter``: assignments that run other code
_DYNAMIC_ATTRS = frozenset({"__dict__", "__slots__", "__setattr__", "setter"})


def unset_attribute_problems(tree: ast.Module, spec: FileSpec | None = None) -> list[str]:
    """One finding per method and attribute it reads before anything certain sets it.

    With ``spec``, only the methods its interface states are judged: those
    are the ones a user calls on a new object; a method the brief never
    mentions may well run only after a ``start()``.
    """
    stated = (
        {fn.name: {signature_name(m) for m in class_methods(fn)} for fn in spec.interface}
        if spec is not None
        else None
    )
    problems: list[str] = []
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    # a class another one extends is a base whose subclasses may set what it reads
    bases = {b.id for c in classes for b in c.bases if isinstance(b, ast.Name)}
    for cls in classes:
        if cls.name in bases or _dynamic(cls):
            continue
        methods = {m.name: m for m in cls.body if isinstance(m, FunctionNode)}
        if "__init__" not in methods:
            continue  # no constructor at all: the object starts empty by design
        class_names = set(methods) | _class_level_names(cls)
        always, from_init = _set_by(["__init__"], methods, cls.name)
        setters: dict[str, list[str]] = {}
        for name, method in methods.items():
            for attr in _stores(method):
                setters.setdefault(attr, []).append(name)
        for name, method in methods.items():
            # private helpers run after whatever sets things up; dunders by protocol
            if name.startswith("_") or name in from_init or _catches_attribute_error(method):
                continue
            if stated is not None and name not in stated.get(cls.name, set()):
                continue
            reported: set[str] = set()
            for attr, line in _reads_before_set(method, methods, cls.name):
                if attr in always or attr in class_names or attr in reported:
                    continue
                if attr.startswith("__"):
                    continue
                reported.add(attr)
                problems.append(_finding(cls.name, method, attr, line, setters.get(attr, [])))
    return problems


def _finding(cls: str, method: FunctionNode, attr: str, line: int, setters: list[str]) -> str:
    others = [s for s in dict.fromkeys(setters) if s != method.name]
    who = f", which only {', '.join(others)} sets," if others else " before anything sets it"
    said = (
        f"line {line}: {cls}.{method.name} reads self.{attr}{who} so "
        f"{method.name}() on a new {cls} raises AttributeError: "
    )
    if _only_returns(method, attr) and others:
        return said + (
            f"compute the result in {method.name} itself from the stored state each time it "
            f"is called, and let {', '.join(others)} store only what that computation needs"
        )
    return said + f"give self.{attr} a starting value in __init__"


def _dynamic(cls: ast.ClassDef) -> bool:
    """Bases, decorators or attribute access by name: what the class holds is not all here."""
    if cls.decorator_list or cls.keywords:
        return True
    if any(not (isinstance(b, ast.Name) and b.id == "object") for b in cls.bases):
        return True
    for node in ast.walk(cls):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _DYNAMIC | {"property", "super"}
        ):
            return True
        if isinstance(node, ast.Attribute) and node.attr in _DYNAMIC_ATTRS:
            return True
        if isinstance(node, FunctionNode) and node.name in {"__getattr__", "__getattribute__"}:
            return True
    return False


def _class_level_names(cls: ast.ClassDef) -> set[str]:
    names: set[str] = set()
    for node in cls.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def _self_name(method: FunctionNode) -> str | None:
    args = method.args.posonlyargs + method.args.args
    if not args or any(
        isinstance(d, ast.Name) and d.id in {"staticmethod", "classmethod"}
        for d in method.decorator_list
    ):
        return None
    return args[0].arg


def _self_attrs(method: FunctionNode) -> list[ast.Attribute]:
    me = _self_name(method)
    return [
        n
        for n in own_nodes(method)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == me
    ]


def _stores(method: FunctionNode) -> set[str]:
    return {a.attr for a in _self_attrs(method) if isinstance(a.ctx, ast.Store)}


def _set_by(
    names: list[str], methods: dict[str, FunctionNode], cls: str
) -> tuple[set[str], set[str]]:
    """Attributes ``names`` set, directly or through the methods they call, and those methods."""
    done: set[str] = set()
    todo = list(names)
    attrs: set[str] = set()
    while todo:
        name = todo.pop()
        if name in done or name not in methods:
            continue
        done.add(name)
        method = methods[name]
        attrs |= _stores(method)
        todo += _called(method, cls)
    return attrs, done


def _called(node: ast.AST | FunctionNode, cls: str, me: str | None = None) -> list[str]:
    """Methods called as ``self.m()`` or ``Cls.m(self)`` in ``node``."""
    if isinstance(node, FunctionNode):
        me = _self_name(node)
        nodes: list[ast.AST] = own_nodes(node)
    else:
        nodes = list(ast.walk(node))
    return [
        n.func.attr
        for n in nodes
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and isinstance(n.func.value, ast.Name)
        and n.func.value.id in {me, cls}
    ]


def _reads_before_set(
    method: FunctionNode, methods: dict[str, FunctionNode], cls: str
) -> list[tuple[str, int]]:
    """``(attr, line)`` of each read of ``self.attr`` no earlier statement of the method set.

    ``self.n += 1`` reads before it stores; ``self.x = 1`` on line 3 covers a
    read on line 4 whatever branch it was in (the conservative reading), and
    so does ``self._make_prefix()`` on line 3 if that method sets ``x``.
    """
    set_at: dict[str, int] = {}
    augmented: set[int] = set()
    me = _self_name(method)
    statements = [n for n in own_nodes(method) if isinstance(n, ast.stmt)]
    for stmt in statements:
        end = stmt.end_lineno or stmt.lineno
        if not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            direct = [c for c in _called(_shallow(stmt), cls, me) if c != method.name]
            for attr in _set_by(direct, methods, cls)[0]:
                set_at[attr] = min(set_at.get(attr, end), end)
        targets = (
            stmt.targets
            if isinstance(stmt, ast.Assign)
            else [stmt.target]
            if isinstance(stmt, ast.AnnAssign | ast.For)
            else []
        )
        if isinstance(stmt, ast.AugAssign):
            augmented.add(id(stmt.target))
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                    set_at[node.attr] = min(set_at.get(node.attr, end), end)
    called = {
        id(n.func) for n in own_nodes(method) if isinstance(n, ast.Call)
    }  # ``self.get_event()`` is a method some mixin provides, not a value to start
    reads = []
    for attr in _self_attrs(method):
        if id(attr) in called:
            continue
        if isinstance(attr.ctx, ast.Load) or id(attr) in augmented:
            if attr.attr in set_at and attr.lineno > set_at[attr.attr]:
                continue
            reads.append((attr.attr, attr.lineno))
    return sorted(reads, key=lambda r: r[1])


def _shallow(stmt: ast.stmt) -> ast.AST:
    """The part of ``stmt`` that runs before its nested statements (an ``if``'s test)."""
    if isinstance(stmt, ast.If | ast.While):
        return stmt.test
    if isinstance(stmt, ast.For | ast.AsyncFor):
        return stmt.iter
    if isinstance(stmt, ast.With | ast.AsyncWith):
        return ast.Tuple(elts=[i.context_expr for i in stmt.items], ctx=ast.Load())
    if isinstance(stmt, ast.Try):
        return ast.Pass()
    return stmt


def _catches_attribute_error(method: FunctionNode) -> bool:
    return any(
        isinstance(n, ast.ExceptHandler)
        and (n.type is None or "AttributeError" in ast.unparse(n.type))
        for n in own_nodes(method)
    )


def _only_returns(method: FunctionNode, attr: str) -> bool:
    """``return self.attr`` (perhaps rounded) is all the method does."""
    body = [s for s in method.body if not isinstance(s, ast.Expr)]
    if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
        return False
    names = {
        n.attr
        for n in ast.walk(body[0].value)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
    }
    return names == {attr}
