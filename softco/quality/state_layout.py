"""Say how a class keeps a record per key before the coder picks a layout.

Why: ``Cart.add(item: str, price: float, qty: int = 1)`` returns nothing, so
everything it is given must be stored for ``total()`` to read. A 1.5B coder
writes ``self.items[item] = qty`` — a dict from key to one value — and drops
the price; the static gate names the dropped parameter, but by then every
other method reads the one-value layout, so no rewrite of ``add`` alone can
fix it and fresh whole-file samples keep the same layout (cart, sessions
10–13). Stating the layout in the first prompt costs a line: a command
method taking a key and two or more values stores one record per key, with a
field per value. Small models copy a concrete line, so the rule carries one.

Only commands (no stated return value, where a sibling states one, or
``-> None``) named for storing (``add``, ``set``, ``register`` …) whose first
parameter is a ``str`` key and which take at least two more named values; one
value per key is the layout a model already writes, and ``transfer(src, dst,
amount)`` keeps no record per ``src``.
"""

from __future__ import annotations

import ast

from softco.artifacts.design import FileSpec
from softco.artifacts.stated import class_methods

MIN_VALUES = 2  # a key and one value is a plain dict: the model writes that unprompted
# verbs that put something under its key; ``transfer(src, dst, amount)`` also takes a str
# first, but keeps no record per ``src``
STORING = ("add", "set", "put", "insert", "register", "record", "store", "update", "upsert")
STORING += ("create", "enroll", "save", "track", "append")


def layout_rules(spec: FileSpec) -> list[str]:
    """One rule per class method that takes a key and values it must keep."""
    rules = []
    for fn in spec.interface:
        methods = class_methods(fn)
        typed = any(_returns(m) for m in methods)
        for signature in methods:
            node = _parse(signature)
            if node is None or not _is_command(node, typed):
                continue
            if not node.name.lower().lstrip("_").startswith(STORING):
                continue
            args = node.args.args[1:]  # without self
            if len(args) < 1 + MIN_VALUES or not _is_str(args[0].annotation):
                continue
            key, values = args[0].arg, [a.arg for a in args[1:]]
            record = ", ".join(f'"{v}": {v}' for v in values)
            rules.append(
                f"{fn.name}.{node.name} keeps every argument for the other methods: store one "
                f"record per {key} with a field for each of {', '.join(values)}, e.g. "
                f"`self.{_plural(key)}[{key}] = {{{record}}}`, and read those fields "
                "in the other methods."
            )
    return rules


def _parse(signature: str) -> ast.FunctionDef | None:
    try:
        node = ast.parse(signature + ":\n    ...").body[0]
    except SyntaxError:
        return None
    return node if isinstance(node, ast.FunctionDef) else None


def _returns(signature: str) -> bool:
    """True where a method signature states a return value other than None."""
    node = _parse(signature)
    return node is not None and node.returns is not None and not _is_none(node.returns)


def _is_command(node: ast.FunctionDef, siblings_typed: bool) -> bool:
    """Returns nothing: ``-> None``, or no return stated where siblings state theirs."""
    if node.returns is not None:
        return _is_none(node.returns)
    return siblings_typed


def _is_none(annotation: ast.expr) -> bool:
    return isinstance(annotation, ast.Constant) and annotation.value is None


def _is_str(annotation: ast.expr | None) -> bool:
    return isinstance(annotation, ast.Name) and annotation.id == "str"


def _plural(name: str) -> str:
    """``items`` for ``item``: the attribute the records live under."""
    if name.endswith("s"):
        return f"{name}_records"
    if name.endswith("y") and name[-2:-1] not in "aeiou":
        return name[:-1] + "ies"
    return name + "s"
