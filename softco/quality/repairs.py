"""Repairs of a module's wiring, certain from the design alone: imports, names, ``main``.

Split from ``reshape`` (which reshapes functions: lifting, splicing, adding).
Each function here takes the module text and returns it fixed or unchanged,
never raises on model output, and needs no model call; ``tidy`` runs them all
on every generated module (``workflows.build``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from softco.artifacts import Design, FileSpec, module_name
from softco.artifacts.paths import STDLIB_NAMES
from softco.quality.analysis import explicit_star_imports, missing_names
from softco.quality.argless_main import argless_main
from softco.quality.cli_argv import wire_main
from softco.quality.cli_files import read_file_arguments
from softco.quality.contracts import documented_errors, malformed_none, promised_catches
from softco.quality.csv_columns import unknown_column_raises
from softco.quality.csv_rows import dict_rows
from softco.quality.edits import without_lines
from softco.quality.entry import drop_library_script, print_results, return_exit_code
from softco.quality.method_shadow import unshadow_methods
from softco.quality.reshape import after_preamble, lift_methods, source_lines
from softco.quality.str_paths import as_paths
from softco.quality.unit_factors import exact_factors, printed_as_stated, unstated_rounding


def _providers(spec: FileSpec, design: Design) -> dict[str, str]:
    """Name -> module, for every name the interfaces of ``spec``'s dependencies offer."""
    provider: dict[str, str] = {}
    for dep in design.files:
        if dep.path in spec.depends_on:
            for fn in dep.interface:
                provider.setdefault(fn.name, module_name(dep.path))
    return provider


def import_missing(spec: FileSpec, content: str, design: Design) -> str:
    """Add the imports a module forgot: a dependency's names, standard-library modules.

    ``word_count`` used in ``cli.py`` but imported nowhere, while the design
    says ``core.py`` (a dependency) offers it, or ``argparse.ArgumentParser``
    without ``import argparse``: the missing line is certain, so it is added
    instead of re-asking the model (whose re-ask often pastes a copy instead).
    """
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    missing = missing_names(tree, spec.path)
    if not missing:
        return content
    provider = _providers(spec, design)
    own = module_name(spec.path)
    # a module name only where it is used as one (argparse.X), not a forgotten variable
    bases = {
        n.value.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
    }
    lines: list[str] = [f"import {name}" for name in sorted(missing & STDLIB_NAMES & bases)]
    by_module: dict[str, list[str]] = {}
    for name in sorted(missing):
        if name in provider and provider[name] != own:
            by_module.setdefault(provider[name], []).append(name)
    lines += [f"from {mod} import {', '.join(names)}" for mod, names in by_module.items()]
    if not lines:
        return content
    at = after_preamble(tree)
    text = source_lines(content)
    return "\n".join([*text[:at], *lines, *text[at:]]).rstrip() + "\n"


def import_instead(spec: FileSpec, content: str, design: Design) -> str:
    """Replace a module's own copies of what its dependencies provide by an import.

    A small model writing ``cli.py`` re-implements ``word_count`` beside
    ``main`` instead of importing it from ``core.py``, so the two files drift
    apart and the CLI's copy goes untested. When a top-level function or
    class of ``content`` is not in ``spec``'s own interface but is in the
    interface of a file ``spec`` depends on, the copy is deleted and the name
    imported from that file — the design already said where it lives.
    """
    own = {fn.name for fn in spec.interface}
    provider = _providers(spec, design)
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    copies = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.name in provider
        and node.name not in own
    ]
    if not copies:
        return content
    spans = [
        (min(d.lineno for d in [node, *node.decorator_list]), node.end_lineno or node.lineno)
        for node in copies
    ]
    at = after_preamble(tree)  # every copy is a def or class, so it lies below this line
    by_module: dict[str, list[str]] = {}
    for node in copies:
        by_module.setdefault(provider[node.name], []).append(node.name)
    imports = [f"from {mod} import {', '.join(names)}" for mod, names in by_module.items()]
    lines = source_lines(content)
    with_imports = "\n".join([*lines[:at], *imports, *lines[at:]])
    return without_lines(with_imports, [(a + len(imports), b + len(imports)) for a, b in spans])


def _body_nodes(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    """Every node of the function's body (not its annotations, defaults or decorators)."""
    return [n for stmt in fn.body for n in ast.walk(stmt)]


def _shadow_edits(
    fn: ast.FunctionDef | ast.AsyncFunctionDef, module_names: set[str]
) -> list[tuple[int, int, str]]:
    """Positions to rename for each ``x = x(...)`` whose ``x`` is a module-level name.

    Only when the first binding of ``x`` in the body is that plain assignment
    (so ``for step in steps: x = step(x)`` — a loop variable called — is left alone).
    """
    nodes = _body_nodes(fn)
    params = {a.arg for a in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]}
    edits: list[tuple[int, int, str]] = []
    for name in module_names - params:
        stores = [
            n
            for n in nodes
            if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
        ]
        if not stores:
            continue
        first = min(stores, key=lambda n: (n.lineno, n.col_offset))
        owner = next(
            (a for a in nodes if isinstance(a, ast.Assign) and any(t is first for t in a.targets)),
            None,
        )
        calls_itself = owner is not None and any(
            isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == name
            for c in ast.walk(owner.value)
        )
        if not calls_itself:
            continue
        funcs = {
            id(c.func)
            for c in nodes
            if isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == name
        }
        edits += [
            (n.lineno, n.col_offset, name)
            for n in nodes
            if isinstance(n, ast.Name) and n.id == name and id(n) not in funcs
        ]
    return edits


def unshadow(content: str) -> str:
    """Rename a local variable that shadows the module-level function it is assigned from.

    ``top_words = top_words(text, n)`` inside ``main`` makes ``top_words`` local
    to the whole function, so the call raises ``UnboundLocalError`` — a small
    model's favourite variable name is the function's own. Every use of the
    name in that function except as the called function becomes
    ``<name>_result``; nothing else changes, comments and layout included.
    """
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    module_names = {
        n.name
        for n in tree.body
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    for node in tree.body:
        if isinstance(node, ast.ImportFrom | ast.Import):
            module_names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    edits: list[tuple[int, int, str]] = []  # (line, column, name): replace name there
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            edits += _shadow_edits(fn, module_names)
    if not edits:
        return content
    lines = source_lines(content, keepends=True)
    for line, col, name in sorted(set(edits), reverse=True):
        text = lines[line - 1]
        start = len(text.encode()[:col].decode(errors="ignore"))  # col_offset counts bytes
        lines[line - 1] = text[:start] + f"{name}_result" + text[start + len(name) :]
    return "".join(lines)


def drop_self_import(spec: FileSpec, content: str) -> str:
    """Delete top-level ``from <this module> import ...`` lines.

    A small model asked to repair ``core.py`` sometimes writes its CLI instead,
    starting with ``from textstats.core import ...``: the import can never
    work (the module imports itself half-initialised), and once it is gone the
    missing functions are written one at a time into the file.
    """
    own = module_name(spec.path)
    if spec.path.endswith("__init__.py"):
        return content  # a package re-exporting its submodules imports from itself rightly
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    shared = {  # lines holding more than one statement (import os; from own import x)
        ln
        for n in tree.body
        for ln in range(n.lineno, (n.end_lineno or n.lineno) + 1)
        if sum(m.lineno <= ln <= (m.end_lineno or m.lineno) for m in tree.body) > 1
    }
    spans = [
        (n.lineno, n.end_lineno or n.lineno)
        for n in tree.body
        if isinstance(n, ast.ImportFrom)
        and n.level == 0
        and n.module == own
        and not shared & set(range(n.lineno, (n.end_lineno or n.lineno) + 1))
    ]
    if not spans:
        return content
    return without_lines(content, spans)


def tidy(spec: FileSpec, content: str, design: Design) -> str:
    """Every mechanical repair above, in order, on one generated module.

    Each is certain from the design alone, so none costs a model call: a
    standard module's star import is written out, a self-import goes,
    stateless-class methods are lifted, a variable named after the function it
    calls is renamed, an attribute stored over a method of its class is renamed
    (``method_shadow``), a dependency's copied functions
    become imports, a ``main(argv)`` the interface states as ``main()`` reads
    ``sys.argv`` inside (``argless_main``), ``main`` reads its arguments as the interface says and
    runs as a script (``cli_argv.wire_main``) and returns its exit code
    (printing a result it returned as one), a
    library module's own script block goes (``entry``), a failed lookup raises the
    exception the interface promises, a parse promising None for a malformed
    line returns it and a caller's handler of a lookup error also catches the
    error its callee promises (``contracts``), a file name handed to a
    function wanting the text is read first (``cli_files``), a ``pathlib``
    call on a ``str`` parameter is made on ``pathlib.Path`` (``str_paths``), a
    ``csv.reader`` whose rows are read only by column name is a ``csv.DictReader``
    (``csv_rows``) and an unknown column raises the promised ``KeyError`` from
    its header (``csv_columns``),
    an approximate unit conversion factor is made exact, a rounding only
    another function's contract asks for is taken out and a number promised
    "with 2 decimals" is printed alone (``unit_factors``),
    and forgotten imports are added.
    """
    steps: list[Callable[[str], str]] = [
        explicit_star_imports,
        lambda t: drop_self_import(spec, t),
        lambda t: lift_methods(spec, t),
        unshadow,
        unshadow_methods,
        lambda t: import_instead(spec, t, design),
        lambda t: drop_library_script(spec, t, design),
        lambda t: argless_main(spec, t),
        lambda t: wire_main(spec, t),
        lambda t: print_results(spec, t),
        lambda t: return_exit_code(spec, t),
        lambda t: documented_errors(spec, t),
        lambda t: malformed_none(spec, t),
        lambda t: promised_catches(t, design),
        lambda t: read_file_arguments(spec, t, design),
        as_paths,
        dict_rows,
        lambda t: unknown_column_raises(spec, t),
        exact_factors,
        lambda t: unstated_rounding(spec, t),
        lambda t: printed_as_stated(spec, t),
        lambda t: import_missing(spec, t, design),
    ]
    text = content
    for step in steps:
        # a repair never makes a compiling module stop compiling (tabs, odd layouts)
        after = step(text)
        text = after if _compiles(after) or not _compiles(text) else text
    return text


def _compiles(text: str) -> bool:
    try:
        compile(text, "<module>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True
