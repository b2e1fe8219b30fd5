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
from softco.quality.case_checks import wants_str
from softco.quality.command_lint import states_a_return

MIN_VALUES = 2  # a key and one value is a plain dict: the model writes that unprompted
# verbs that put something under its key; ``transfer(src, dst, amount)`` also takes a str
# first, but keeps no record per ``src``
STORING = frozenset(
    {"add", "set", "put", "insert", "register", "record", "store", "update", "upsert"}
    | {"create", "enroll", "save", "track", "append"}
)


def layout_rules(spec: FileSpec) -> list[str]:
    """One rule per class method that takes a key and values it must keep."""
    rules = []
    for fn in spec.interface:
        methods = class_methods(fn)
        typed = any(states_a_return(m) for m in methods)
        for signature in methods:
            node = _parse(signature)
            if node is None or states_a_return(signature):
                continue
            if node.returns is None and not typed:
                continue  # no sibling states a return either: nothing says it is a command
            if node.name.lower().lstrip("_").split("_", 1)[0] not in STORING:
                continue
            args = node.args.args[1:]  # without self
            key = args[0] if args else None
            if len(args) < 1 + MIN_VALUES or key is None or key.annotation is None:
                continue
            if not wants_str(key.annotation):
                continue
            values = [a.arg for a in args[1:]]
            record = ", ".join(f'"{v}": {v}' for v in values)
            rules.append(
                f"{fn.name}.{node.name} keeps every argument for the other methods: store one "
                f"record per {key.arg} with a field for each of {', '.join(values)}, e.g. "
                f"`self.{_plural(key.arg)}[{key.arg}] = {{{record}}}` (when the {key.arg} is "
                "already there, update its record as the interface says), and read those "
                "fields in the other methods."
            )
    return rules


def _parse(signature: str) -> ast.FunctionDef | None:
    try:
        node = ast.parse(signature + ":\n    ...").body[0]
    except SyntaxError:
        return None
    return node if isinstance(node, ast.FunctionDef) else None


def _plural(name: str) -> str:
    """``items`` for ``item``: the attribute the records live under."""
    if name.endswith("s"):
        return f"{name}_records"
    if name.endswith("y") and name[-2:-1] not in "aeiou":
        return name[:-1] + "ies"
    return name + "s"
