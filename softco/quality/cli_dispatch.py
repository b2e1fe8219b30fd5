"""Rewrites of an argparse ``main`` whose commands the code handles unsafely.

``cli_subcommands`` finds the reads; this module changes the code where the
change is certain: a ``set_defaults(func=...)`` dispatch written out per
command (``specialise_dispatch``) and ``nargs="+"`` after a command choice
where the brief shows a command without arguments (``optional_rest``). Both
take model output and return it unchanged when in doubt; ``cli_argv.wire_main``
runs them.
"""

from __future__ import annotations

import ast
import copy
import re

from softco.artifacts import FileSpec
from softco.quality.case_checks import usage_lines, without_optional
from softco.quality.cli_subcommands import (
    Subcommands,
    command_split,
    subcommand_scope_problems,
    subcommands_of,
    unsafe_reads,
)
from softco.quality.edits import apply_edits, own_nodes, parsed_main, span
from softco.quality.reshape import source_lines


class _Unfit(Exception):
    """The dispatch cannot be written per command with certainty."""


def _arity(tree: ast.Module, name: str) -> tuple[int, int]:
    """``(required, most)`` positional arguments of the module's function ``name``."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            a = node.args
            if a.vararg or (a.kwonlyargs and any(d is None for d in a.kw_defaults)):
                raise _Unfit(name)
            most = len(a.posonlyargs) + len(a.args)
            return most - len(a.defaults), most
    raise _Unfit(name)


class _PerCommand(ast.NodeTransformer):
    """One statement as it runs for ``command``: its conditions on the command decided,
    ``args.func(...)`` calling the function that command set, with the arguments it takes."""

    def __init__(self, sub: Subcommands, command: str, tree: ast.Module) -> None:
        self.sub, self.command, self.tree = sub, command, tree

    def visit_IfExp(self, node: ast.IfExp) -> ast.AST:
        split = command_split(node.test, self.sub)
        if split is not None and split[0] is not None and split[1] is not None:
            if self.command in split[0]:
                return self.visit(node.body)
            if self.command in split[1]:
                return self.visit(node.orelse)
        return self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        func = node.func
        if not (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == self.sub.namespace
            and func.attr in self.sub.handlers
        ):
            return node
        target = self.sub.handlers[func.attr].get(self.command)
        if target is None or node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise _Unfit(func.attr)
        required, most = _arity(self.tree, target)
        if len(node.args) < required:
            raise _Unfit(target)
        return ast.Call(
            func=ast.Name(id=target, ctx=ast.Load()), args=node.args[:most], keywords=[]
        )


def _dispatch_of(node: ast.AST, sub: Subcommands) -> str | None:
    """The ``set_defaults`` name ``node`` calls (``args.func(...)``) when every command set it."""
    for n in ast.walk(node):
        if (
            isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and isinstance(n.func.value, ast.Name)
            and n.func.value.id == sub.namespace
            and n.func.attr in sub.handlers
            and set(sub.handlers[n.func.attr]) == sub.commands
        ):
            return n.func.attr
    return None


def _whole_lines(stmt: ast.stmt, lines: list[str]) -> bool:
    """``stmt`` alone on its lines: only indentation before it, nothing but a comment after."""
    end = stmt.end_lineno or stmt.lineno
    if end > len(lines) or stmt.end_col_offset is None:
        return False
    first = lines[stmt.lineno - 1].encode()
    if first[: stmt.col_offset].strip() or not first[stmt.col_offset :].strip():
        return False
    rest = lines[end - 1].encode()[stmt.end_col_offset :].strip()
    return not rest or rest.startswith(b"#")


def specialise_dispatch(content: str) -> str:
    """``args.func(args.file, args.text if args.command == "add" else args.item_id)``
    becomes one call per command, each with only the arguments its function takes.

    Applied to a statement of ``main`` that calls the function every subparser
    set with ``set_defaults`` and reads an attribute some command leaves
    undefined; each branch decides the conditions on the command, calls the
    named function and drops arguments past its parameters. Kept only when no
    such read is left; a missing command gets a usage message and exit code 2
    instead of an AttributeError.
    """
    found = subcommands_of(content)
    if found is None or found[1].dest is None:
        return content
    fn, sub = found
    unsafe = unsafe_reads(fn, sub)
    if not unsafe:
        return content
    tree = ast.parse(content)
    lines = source_lines(content, keepends=True)
    statements = [
        stmt
        for stmt in own_nodes(fn)
        if isinstance(stmt, ast.Assign | ast.AnnAssign | ast.Expr | ast.Return)
        and _dispatch_of(stmt, sub) is not None
        and any(stmt.lineno <= n.lineno <= (stmt.end_lineno or stmt.lineno) for n, _ in unsafe)
        and _whole_lines(stmt, lines)
    ]
    for stmt in sorted(statements, key=lambda s: s.lineno, reverse=True):
        first = lines[stmt.lineno - 1]
        indent = first[: len(first) - len(first.lstrip())]
        step = "\t" if "\t" in indent else "    "
        commands = list(sub.handlers[_dispatch_of(stmt, sub) or ""])
        branches = []
        try:
            for i, command in enumerate(commands):
                body = _PerCommand(sub, command, tree).visit(copy.deepcopy(stmt))
                keyword = "if" if i == 0 else "elif"
                branches.append(f"{indent}{keyword} {sub.namespace}.{sub.dest} == {command!r}:\n")
                branches.append(f"{indent}{step}{ast.unparse(body)}\n")
        except _Unfit:
            return content
        branches.append(f"{indent}else:\n")
        branches.append(
            f"{indent}{step}print('choose a command: {', '.join(commands)}', file=sys.stderr)\n"
        )
        branches.append(f"{indent}{step}return 2\n")
        lines[stmt.lineno - 1 : stmt.end_lineno] = branches
    fixed = "".join(lines)
    try:
        ast.parse(fixed)
    except SyntaxError:
        return content
    return fixed if not subcommand_scope_problems(fixed) else content


def bare_commands(spec: FileSpec) -> set[str]:
    """Commands the brief's usage line for ``main`` shows without arguments.

    ```--file PATH add TEXT | list | done ID``` gives ``{"list"}``: options
    (``--file PATH``) are dropped, and an alternative left with one lower-case
    word is a command that takes nothing.
    """
    found: set[str] = set()
    for usage in (u for u in usage_lines(spec) if "|" in u):
        for alternative in usage.split("|"):
            plain = without_optional(alternative)
            words = re.sub(r"(?<![\w-])--?[\w-]+(?: [A-Z][A-Z_]*)?", " ", plain).split()
            if len(words) == 1 and words[0].isidentifier() and words[0].islower():
                found.add(words[0])
    return found


def optional_rest(spec: FileSpec, content: str) -> str:
    """``add_argument("args", nargs="+")`` after a command choice becomes ``nargs="*"``
    where the brief shows a command with no arguments.

    ``choices=["add", "list", "done"]`` then ``nargs="+"`` makes ``todo list``
    a usage error (exit 2): argparse wants at least one more word. With ``*``
    the command the brief offers bare parses, and the others still read theirs.
    """
    bare = bare_commands(spec)
    found = parsed_main(content) if bare else None
    if found is None:
        return content
    calls = sorted(
        (
            n
            for n in own_nodes(found[1])
            if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr == "add_argument"
            and n.args
            and isinstance(n.args[0], ast.Constant)
            and isinstance(n.args[0].value, str)
            and not n.args[0].value.startswith("-")
        ),
        key=lambda n: (n.lineno, n.col_offset),
    )
    edits = []
    offers_bare = False
    for call in calls:
        options = {k.arg: k.value for k in call.keywords}
        choices = options.get("choices")
        if isinstance(choices, ast.List | ast.Tuple | ast.Set):
            named = {e.value for e in choices.elts if isinstance(e, ast.Constant)}
            offers_bare = offers_bare or bool(named & bare)
            continue
        nargs = options.get("nargs")
        if offers_bare and isinstance(nargs, ast.Constant) and nargs.value == "+":
            edits.append(span(nargs, repr("*")))
    return apply_edits(content, edits) if edits else content
