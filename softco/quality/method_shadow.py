"""``self.total = ...`` in a class with a method ``total()``: store it under ``_total_value``.

A 1.5B coder keeps a running figure under the name of the method that reports
it (cart, session 14: ``apply_discount`` ends ``self.total = round(...)`` and
``def total(self): return self.total``), so after the assignment ``c.total()``
calls a float: ``TypeError``, and before it returns the bound method. The
gate names the clash (``command_lint``), but the unit rewrites it asks for
change one method at a time while the clash spans several. The intent is
certain: the stored value is a value, the method is the method. Every
``self.<name>`` that is assigned, or read without being called, is renamed to
``self._<name>_value``; calls ``self.<name>()`` keep the method. Left alone
when the new name is already used in the class.
"""

from __future__ import annotations

import ast

from softco.quality.edits import Edit, edited, span
from softco.quality.placeholders import FunctionNode


def unshadow_methods(content: str) -> str:
    """``content`` with attributes stored over a method of their own class renamed."""
    return edited(
        content,
        lambda tree: [
            edit
            for cls in ast.walk(tree)
            if isinstance(cls, ast.ClassDef)
            for edit in _class_edits(cls)
        ],
    )


def _class_edits(cls: ast.ClassDef) -> list[Edit]:
    methods = {m.name for m in cls.body if isinstance(m, FunctionNode)}
    parents: dict[int, ast.AST] = {}
    uses: list[ast.Attribute] = []
    for node in ast.walk(cls):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
        ):
            uses.append(node)
    attrs = {u.attr for u in uses}
    stored = {
        u.attr
        for u in uses
        if isinstance(u.ctx, ast.Store) and u.attr in methods and f"_{u.attr}_value" not in attrs
    }
    edits: list[Edit] = []
    for use in uses:
        if use.attr not in stored or use.lineno != use.end_lineno:
            continue
        parent = parents.get(id(use))
        if isinstance(parent, ast.Call) and parent.func is use:
            continue  # self.total(): the method
        edits.append(span(use, f"self._{use.attr}_value"))
    return edits
