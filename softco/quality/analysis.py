"""Parsing, pyflakes-level name checks and import resolution against a Design.

Shared by the module and test-file gates. Every message starts with
``line N:`` and says what to do, because it goes verbatim to the author.
"""

from __future__ import annotations

import ast

from pyflakes import checker, messages

from softco.artifacts import Design
from softco.artifacts.paths import STDLIB_NAMES, module_name
from softco.quality.reshape import source_lines

_UNDEFINED = (messages.UndefinedName, messages.UndefinedLocal, messages.UndefinedExport)


def parse(content: str, path: str) -> tuple[ast.Module | None, list[str]]:
    """The AST, or ``None`` and one syntax-error finding with its line."""
    try:
        return ast.parse(content, filename=path), []
    except SyntaxError as exc:
        where = f"line {exc.lineno}: " if exc.lineno else ""
        return None, [f"{where}syntax error: {exc.msg}: fix it so the file parses"]
    except ValueError as exc:  # e.g. null bytes
        return None, [f"the file cannot be parsed: {exc}"]


def undefined_names(tree: ast.Module, path: str) -> list[str]:
    """Names used but never defined or imported (unused imports are deliberately ignored)."""
    found = []
    for msg in checker.Checker(tree, filename=path).messages:
        if isinstance(msg, _UNDEFINED):
            name = msg.message_args[0]
            found.append(
                (msg.lineno, f"line {msg.lineno}: undefined name {name!r}: import or define it")
            )
    return [text for _, text in sorted(found)]


# standard-library modules whose names a star import may bring, safe to import here
_STAR_SAFE = frozenset(
    {"typing", "math", "collections", "itertools", "functools", "re", "json", "string",
     "datetime", "decimal", "fractions", "statistics", "random", "pathlib", "os", "sys",
     "dataclasses", "enum", "operator", "csv", "time", "textwrap"}
)  # fmt: skip


def explicit_star_imports(content: str) -> str:
    """``from typing import *`` becomes ``from typing import List, Optional`` (the names used).

    A star import hides every undefined name from the gate: pyflakes can only
    say a name *may* come from it. For the standard modules above the names
    are known, so the import is written out; a name the module does not have
    is then reported as undefined like any other. Other star imports stay.
    """
    import importlib

    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    stars = [
        n
        for n in tree.body
        if isinstance(n, ast.ImportFrom)
        and n.level == 0
        and n.module in _STAR_SAFE
        and [a.name for a in n.names] == ["*"]
        and n.lineno == n.end_lineno
    ]
    if not stars:
        return content
    used = {
        msg.message_args[0]
        for msg in checker.Checker(tree).messages
        if isinstance(msg, messages.ImportStarUsage)
    }
    lines = source_lines(content, keepends=True)
    for node in sorted(stars, key=lambda n: n.lineno, reverse=True):
        offered = set(dir(importlib.import_module(str(node.module))))
        names = sorted(n for n in used if n in offered and not n.startswith("_"))
        line = lines[node.lineno - 1]
        ending = line[len(line.rstrip("\r\n")) :] or "\n"
        indent = line[: len(line) - len(line.lstrip())]
        lines[node.lineno - 1] = (
            f"{indent}from {node.module} import {', '.join(names)}{ending}" if names else ""
        )
    return "".join(lines)


def missing_names(tree: ast.Module, path: str) -> set[str]:
    """Names used at some point but defined nowhere (``UndefinedName`` only)."""
    return {
        msg.message_args[0]
        for msg in checker.Checker(tree, filename=path).messages
        if isinstance(msg, messages.UndefinedName)
    }


def _package_of(path: str) -> list[str]:
    module = module_name(path)
    parts = module.split(".")
    return parts if path.endswith("__init__.py") else parts[:-1]


def _absolute(node: ast.ImportFrom, path: str) -> str:
    if not node.level:
        return node.module or ""
    base = _package_of(path)
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join([*base, node.module] if node.module else base)


def _allowed_third_party(design: Design, extra: frozenset[str]) -> set[str]:
    names = {d.split("[")[0].split("=")[0].split("<")[0].split(">")[0] for d in design.dependencies}
    return {n.strip().lower().replace("-", "_") for n in names} | set(extra)


def import_problems(
    tree: ast.Module, path: str, design: Design, extra_allowed: frozenset[str] = frozenset()
) -> list[str]:
    """Imports that cannot work in the generated project.

    A local import must name a module of the design and only names its
    interface exports (or its submodules); anything that is neither the
    standard library, a local module, ``design.dependencies`` nor
    ``extra_allowed`` (e.g. pytest for tests) is an unavailable package.
    """
    specs = {f.module: f for f in design.files}
    packages = {".".join(m.split(".")[:i]) for m in specs for i in range(1, m.count(".") + 1)}
    local_tops = {m.split(".")[0] for m in specs}
    third_party = _allowed_third_party(design, extra_allowed)
    known = ", ".join(sorted(specs))
    problems: list[str] = []

    def check_module(name: str, line: int) -> bool:
        top = name.split(".")[0]
        if top in local_tops:
            if name not in specs and name not in packages:
                problems.append(
                    f"line {line}: imports {name!r}, which is not a module of the design "
                    f"(modules: {known}): import from one of those"
                )
                return False
            return True
        if top not in STDLIB_NAMES and top.lower() not in third_party:
            allowed = "the standard library" + (
                f" and {', '.join(sorted(design.dependencies))}" if design.dependencies else ""
            )
            problems.append(
                f"line {line}: imports {top!r}, which is not available: use only {allowed}"
            )
        return False

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                check_module(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            full = _absolute(node, path)
            if not full or full == "__future__" or not check_module(full, node.lineno):
                continue
            spec = specs.get(full)
            exports = {fn.name for fn in spec.interface} if spec else set()
            for alias in node.names:
                if alias.name == "*" or alias.name in exports or f"{full}.{alias.name}" in specs:
                    continue
                offer = ", ".join(sorted(exports)) or "nothing"
                problems.append(
                    f"line {node.lineno}: {alias.name!r} is not in the interface of {full} "
                    f"(it offers: {offer}): import only those names"
                )
    return problems
