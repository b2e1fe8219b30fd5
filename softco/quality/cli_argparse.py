"""Repairs of an argparse-based ``main(argv)``, certain from the code alone.

A 1.5B coder's argparse wiring fails in three ways the interface makes
certain: ``parse_args()`` reads ``sys.argv`` instead of the ``argv`` it was
given, a usage error escapes as ``SystemExit`` where ``main`` should return
its exit code, and the code reads ``args.path`` where the parser defines only
``--file``. Each function takes module text and returns it fixed or
unchanged, and never raises on model output (``cli_argv.wire_main`` runs
them).
"""

from __future__ import annotations

import ast

from softco.quality.edits import (
    apply_edits,
    discards_main_result,
    ended,
    indent_step,
    own_nodes,
    parents_of,
    parsed_main,
)
from softco.quality.reshape import source_lines

ARGV_NAMES = {"argv", "args", "arguments", "argv_list", "arglist"}


def _handles_system_exit(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.Try) and any(
            h.type is None
            or "SystemExit" in ast.unparse(h.type)
            or "BaseException" in ast.unparse(h.type)
            for h in node.handlers
        ):
            return True
    return False


def _parse_args_statements(fn: ast.FunctionDef) -> list[ast.Assign]:
    """``x = <parser>.parse_args(...)`` statements of ``main`` itself, wrapped or not."""
    return [
        node
        for node in own_nodes(fn)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
        and node.value.func.attr in {"parse_args", "parse_known_args"}
    ]


def pass_argv(content: str) -> str:
    """``parser.parse_args()`` inside ``main(argv)`` becomes ``parse_args(argv)``.

    Without the argument argparse reads ``sys.argv``, so ``main(["f.txt"])``
    parses pytest's own command line instead of the arguments it was given.
    """
    found = parsed_main(content)
    if found is None or not found[1].args.args or found[1].args.args[0].arg not in ARGV_NAMES:
        return content
    fn = found[1]
    param = fn.args.args[0].arg
    edits = [
        (call.lineno, call.func.end_col_offset or 0, call.end_col_offset or 0, f"({param})")
        for stmt in _parse_args_statements(fn)
        for call in [stmt.value]
        if isinstance(call, ast.Call)
        and not call.args
        and not call.keywords
        and call.lineno == call.end_lineno
    ]
    return apply_edits(content, edits) if edits else content


def return_parse_errors(content: str) -> str:
    """``args = parser.parse_args(argv)`` in ``main`` returns argparse's exit code.

    argparse ends a bad command line with ``SystemExit(2)`` (and ``--help``
    with ``SystemExit(0)``); the interface's ``main(argv) -> int`` *returns*
    its exit code, so a caller asserting ``main(["bad"]) == 2`` otherwise sees
    an exception. The script's ``raise SystemExit(main())`` still exits 2.
    """
    found = parsed_main(content)
    if found is None or discards_main_result(found[0]):
        return content  # the script would exit 0 on a usage error: see cli_argv.guard_exit_code
    fn = found[1]
    parents = parents_of(fn)
    bare = [s for s in _parse_args_statements(fn) if not _handles_system_exit(s, parents)]
    lines = source_lines(content, keepends=True)
    for stmt in sorted(bare, key=lambda n: n.lineno, reverse=True):
        end = stmt.end_lineno or stmt.lineno
        first = lines[stmt.lineno - 1]
        indent = first[: len(first) - len(first.lstrip())]
        if stmt.col_offset != len(indent.encode()) or any(
            ";" in lines[i] for i in range(stmt.lineno - 1, end)
        ):
            continue  # shares its line with other code: left as written
        step = indent_step(indent)
        body = [
            step + ended(lines[i]) if lines[i].strip() else lines[i]
            for i in range(stmt.lineno - 1, end)
        ]
        wrapped = [
            f"{indent}try:\n",
            *body,
            f"{indent}except SystemExit as exc:\n",
            f"{indent}{step}return exc.code if isinstance(exc.code, int) else 1\n",
        ]
        lines[stmt.lineno - 1 : end] = wrapped
    return "".join(lines)


def argument_dest(call: ast.Call) -> str | None:
    """The attribute ``add_argument(...)`` sets on the namespace; None when it cannot be known."""
    kwargs = {k.arg: k.value for k in call.keywords}
    dest = kwargs.get("dest")
    if dest is not None:
        return str(dest.value) if isinstance(dest, ast.Constant) else None
    flags = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if len(flags) != len(call.args) or not flags:
        return None
    longs = [f for f in flags if f.startswith("--")]
    pick = longs[0] if longs else flags[0]
    return pick.lstrip("-").replace("-", "_")


def _dests(fn: ast.FunctionDef) -> set[str] | None:
    """The attribute names ``parse_args`` will set; None when they cannot be known."""
    dests: set[str] = set()
    for node in ast.walk(fn):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        kwargs = {k.arg: k.value for k in node.keywords}
        if None in kwargs:
            return None  # **options: unknown names
        if node.func.attr == "set_defaults":
            dests |= {k for k in kwargs if k}
        elif node.func.attr == "add_subparsers":
            if isinstance(kwargs.get("dest"), ast.Constant):
                dests.add(str(kwargs["dest"].value))  # type: ignore[union-attr]
        elif node.func.attr == "add_argument":
            dest = argument_dest(node)
            if dest is None:
                return None
            dests.add(dest)
    return dests


def _parser_built_here(fn: ast.FunctionDef) -> bool:
    """``main`` makes its parser itself (``ArgumentParser(...)``, no ``parents=``).

    A parser from a helper carries options ``main`` cannot see, so no read on
    its namespace can be called unknown.
    """
    made = [
        n
        for n in ast.walk(fn)
        if isinstance(n, ast.Call)
        and (
            (isinstance(n.func, ast.Attribute) and n.func.attr == "ArgumentParser")
            or (isinstance(n.func, ast.Name) and n.func.id == "ArgumentParser")
        )
    ]
    return bool(made) and not any(k.arg == "parents" for n in made for k in n.keywords)


def namespace_uses(
    content: str,
) -> tuple[ast.FunctionDef, str, set[str], list[ast.Attribute]] | None:
    """``main``, its parsed namespace's name, the attributes its parser sets, and every
    ``ns.x`` in ``main``; None unless exactly one ``parse_args`` result is named and
    ``main`` builds the parser itself (only then are its attributes known)."""
    found = parsed_main(content)
    if found is None:
        return None
    fn = found[1]
    names = {
        t.id for stmt in _parse_args_statements(fn) for t in stmt.targets if isinstance(t, ast.Name)
    }
    dests = _dests(fn)
    if len(names) != 1 or not dests or not _parser_built_here(fn):
        return None
    (ns,) = names
    uses = [
        n
        for n in ast.walk(fn)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == ns
    ]
    return fn, ns, dests, uses


def rename_parsed_attributes(content: str) -> str:
    """``args.path`` where the parser defines only ``--file`` reads ``args.file``.

    Applied when exactly one attribute read on the parsed namespace matches no
    argument and exactly one argument is never read: the read can only mean
    that argument (otherwise it is an ``AttributeError`` on every call).
    """
    namespace = namespace_uses(content)
    if namespace is None:
        return content
    _, _, dests, uses = namespace
    reads = [n for n in uses if isinstance(n.ctx, ast.Load)]
    unknown = {n.attr for n in reads} - dests - {n.attr for n in uses if n not in reads}
    unread = dests - {n.attr for n in reads}
    if len(unknown) != 1 or len(unread) != 1:
        return content
    (wrong,), (right,) = unknown, unread
    edits = [
        (
            n.end_lineno or n.lineno,
            (n.end_col_offset or 0) - len(wrong.encode()),
            n.end_col_offset or 0,
            right,
        )
        for n in reads
        if n.attr == wrong
    ]
    return apply_edits(content, edits)


def guarded_names(fn: ast.FunctionDef) -> set[str]:
    """Names ``hasattr(args, "x")`` / ``getattr(args, "x", ...)`` look up: reads the code guards."""
    return {
        a.value
        for n in ast.walk(fn)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Name)
        and n.func.id in {"hasattr", "getattr"}
        for a in n.args[1:2]
        if isinstance(a, ast.Constant) and isinstance(a.value, str)
    }


def unknown_namespace_problems(content: str) -> list[str]:
    """Reads of ``args.x`` that no argument of ``main``'s own parser defines.

    Where :func:`rename_parsed_attributes` cannot tell which argument was
    meant (todo's ``args.func(args.file, *args.args[1:])`` beside ``text``
    and ``item_id``), every such call is an ``AttributeError``: a gate finding
    for the author, which also refuses a rewrite that brings one in.
    """
    namespace = namespace_uses(content)
    if namespace is None:
        return []
    fn, ns, dests, uses = namespace
    stored = {n.attr for n in uses if not isinstance(n.ctx, ast.Load)} | guarded_names(fn)
    problems = []
    for attr in sorted({n.attr for n in uses if isinstance(n.ctx, ast.Load)} - dests - stored):
        if attr.startswith("_"):
            continue  # argparse's own Namespace internals, read on purpose
        line = min(n.lineno for n in uses if n.attr == attr)
        problems.append(
            f"line {line}: main reads {ns}.{attr}, which the parser never defines "
            f"(it defines {', '.join(sorted(dests))}): the call fails with AttributeError"
        )
    return problems
