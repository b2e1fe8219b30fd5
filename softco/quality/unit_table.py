"""Say how to convert between the units a brief lists: one table of sizes in a base unit.

Why: unitconv's coder (session 15, without the debate's revised PRD) wrote
``convert`` as a branch per pair of units — 42 branches for seven units, a
dozen of them wrong (``mi`` to ``km`` as ``value * 1609344 / 5280``, ``in``
to ``ft`` as ``value``) — and its own tests agreed with the branches they
sampled. The issue names the failure: a naive algorithm for the core. The
textbook shape is one table of each unit's size in a base unit and one line,
``value * SIZE[src] / SIZE[dst]``; and the sizes are definitions, which
softco carries exactly (``unit_factors``) rather than leave to a small
model's memory. So a function converting between two ``str`` units, whose
contract lists three or more units of one dimension (``mm, cm, m, km, in, ft,
mi``), gets the table and the line as a rule in its coder prompt.
"""

from __future__ import annotations

import ast
import re

from softco.artifacts import FileSpec
from softco.quality.unit_factors import DIMENSIONS, unit_name

_LIST = re.compile(r"[\w.]+(?:\s*,\s*[\w.]+)+(?:\s*,?\s*(?:and|or)\s+[\w.]+)?")
MIN_UNITS = 3


def listed_units(text: str) -> tuple[str, dict[str, float]] | None:
    """The base unit and ``{unit: size}`` of the first list of 3+ units of one dimension."""
    for m in _LIST.finditer(text):
        words = [w for w in re.split(r"\s*,\s*|\s+(?:and|or)\s+", m.group(0)) if w]
        units = [unit_name(w) for w in words]
        for sizes in DIMENSIONS.values():
            if len(units) >= MIN_UNITS and all(u in sizes for u in units):
                base = next(u for u, size in sizes.items() if size == 1.0)
                return base, {w: sizes[u] for w, u in zip(words, units, strict=True)}
    return None


def table_rules(spec: FileSpec) -> list[str]:
    """One rule per interface function converting a value between two listed units."""
    rules = []
    for fn in spec.interface:
        if not fn.signature.startswith("def "):
            continue
        try:
            node = ast.parse(fn.signature + ": ...").body[0]
        except (SyntaxError, ValueError, RecursionError):
            continue
        if not isinstance(node, ast.FunctionDef):
            continue
        units = [
            a.arg
            for a in node.args.args
            if a.annotation is not None and ast.unparse(a.annotation) == "str"
        ]
        found = listed_units(fn.docstring)
        if len(units) != 2 or found is None:
            continue
        base, sizes = found
        table = ", ".join(f"{unit!r}: {size!r}" for unit, size in sizes.items())
        src, dst = units
        rules.append(
            f"{fn.name}: convert through one base unit ({base}) with one table of each unit's "
            f"size in it, exactly `SIZE = {{{table}}}`, and one line, "
            f"`value * SIZE[{src}] / SIZE[{dst}]`; a unit not in SIZE is unknown. Never write "
            "a branch per pair of units."
        )
    return rules
