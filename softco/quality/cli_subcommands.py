"""Reads of a subcommand's own argument where another subcommand may be running.

``add_parser("done").add_argument("item_id")`` sets ``args.item_id`` only when
the command is ``done``. A 1.5B coder's dispatch often reads it anyway, e.g.
todo's ``args.func(args.file, args.text if args.command == "add" else
args.item_id)``: right for ``add`` and ``done``, an ``AttributeError`` for
``list``. ``unknown_namespace_problems`` cannot see it (``item_id`` *is*
defined, by one subparser), and the tester's function-level cases never run
``main`` with ``list``, so the bug reaches the user. This module follows the
branches of ``main`` that test the command (``==``, ``!=``, ``in``, ``not in``,
``match``, early ``return``) and reports each read that some possible command
leaves undefined: a gate finding the coder's rewrite of ``main`` must clear.
Where the fix is certain, ``cli_dispatch`` makes it without a model call.

Where a branch tests the namespace some other way (``args.func is add``) the
possible commands are unknown and nothing under it is reported: a finding
must be certain.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from softco.quality.cli_argparse import argument_dest, guarded_names, namespace_uses

Commands = frozenset[str] | None  # None: the branch tests the namespace in a way not followed


@dataclass(frozen=True)
class Subcommands:
    namespace: str
    dest: str | None  # add_subparsers(dest=...): the attribute naming the command
    commands: frozenset[str]
    defines: dict[str, frozenset[str]]  # attribute -> the commands whose parser sets it
    dispatch: frozenset[str]  # set_defaults(func=...) names: testing them names a command
    handlers: dict[str, dict[str, str]]  # set_defaults name -> {command: function it names}


def subcommands_of(content: str) -> tuple[ast.FunctionDef, Subcommands] | None:
    namespace = namespace_uses(content)
    if namespace is None:
        return None
    fn, ns, _, _ = namespace
    groups: dict[str, str | None] = {}  # name bound to add_subparsers(...) -> its dest
    parsers: dict[str, str] = {}  # name bound to add_parser("cmd") -> "cmd"
    for node in ast.walk(fn):
        if not (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)
        ):
            continue
        call, name = node.value, node.targets[0].id
        if call.func.attr == "add_subparsers":  # type: ignore[union-attr]
            dest = next((k.value for k in call.keywords if k.arg == "dest"), None)
            groups[name] = str(dest.value) if isinstance(dest, ast.Constant) else None
        elif call.func.attr == "add_parser":  # type: ignore[union-attr]
            first = call.args[0] if call.args else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                return None
            if name in parsers or any(k.arg == "aliases" for k in call.keywords):
                return None  # a name reused for two parsers, or commands with other names
            parsers[name] = first.value
    made = sum(
        1
        for n in ast.walk(fn)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "add_parser"
    )
    if len(groups) != 1 or not parsers or made != len(parsers):
        return None  # a parser not bound to its own name: its arguments are not known
    defines: dict[str, set[str]] = {}
    main_level: set[str] = set()
    dispatch: set[str] = set()
    handlers: dict[str, dict[str, str]] = {}
    for node in ast.walk(fn):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        command = parsers.get(owner.id) if isinstance(owner, ast.Name) else None
        if node.func.attr == "add_argument":
            dest = argument_dest(node)
            if dest is None:
                return None
            names = {dest}
        elif node.func.attr == "set_defaults":
            names = {k.arg for k in node.keywords if k.arg}
            if command is not None:
                dispatch |= names
                for k in node.keywords:
                    if k.arg and isinstance(k.value, ast.Name):
                        handlers.setdefault(k.arg, {})[command] = k.value.id
        else:
            continue
        if command is None:
            main_level |= names
        else:
            for name in names:
                defines.setdefault(name, set()).add(command)
    commands = frozenset(parsers.values())
    (dest,) = groups.values()
    partial = {
        name: frozenset(cmds)
        for name, cmds in defines.items()
        if name not in main_level and frozenset(cmds) != commands
    }
    return fn, Subcommands(ns, dest, commands, partial, frozenset(dispatch), handlers)


def _names_namespace(node: ast.AST, ns: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == ns for n in ast.walk(node))


def _constants(node: ast.AST, membership: bool = False) -> frozenset[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        # ``args.command in "list ls"`` tests substrings, not names
        return None if membership else frozenset({node.value})
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        found = [e.value for e in node.elts if isinstance(e, ast.Constant)]
        if len(found) == len(node.elts) and all(isinstance(v, str) for v in found):
            return frozenset(found)
    return None


def command_split(test: ast.expr, sub: Subcommands) -> tuple[Commands, Commands] | None:
    """The commands possible when ``test`` holds and when it fails.

    None: ``test`` does not involve the namespace, so it narrows nothing.
    """
    if not _names_namespace(test, sub.namespace):
        return None
    unknown: tuple[Commands, Commands] = (None, None)
    if (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Name)
        and test.func.id == "hasattr"
        and len(test.args) == 2
        and isinstance(test.args[0], ast.Name)
        and test.args[0].id == sub.namespace
        and isinstance(test.args[1], ast.Constant)
    ):
        by = sub.defines.get(str(test.args[1].value))
        return None if by is None else (by, sub.commands - by)
    reads = [
        n
        for n in ast.walk(test)
        if isinstance(n, ast.Attribute)
        and isinstance(n.value, ast.Name)
        and n.value.id == sub.namespace
    ]
    names = sum(1 for n in ast.walk(test) if isinstance(n, ast.Name) and n.id == sub.namespace)
    bare = names > len(reads)  # ``vars(args)``, ``"text" in args``: not followed
    read = {n.attr for n in reads}
    if not bare and not read & (sub.dispatch | {sub.dest}):
        return None  # ``if args.verbose:``: says nothing about which command runs
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = command_split(test.operand, sub)
        return None if inner is None else (inner[1], inner[0])
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        holds: Commands = sub.commands
        for value in test.values:
            part = command_split(value, sub)
            if part is not None:
                holds = None if holds is None or part[0] is None else holds & part[0]
        return (holds, None if holds is None else sub.commands)
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return unknown
    left, op, right = test.left, test.ops[0], test.comparators[0]

    def is_command(node: ast.AST) -> bool:
        return (
            sub.dest is not None
            and isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == sub.namespace
            and node.attr == sub.dest
        )

    if is_command(right) and isinstance(op, ast.Eq | ast.NotEq):
        left, right = right, left
    if not is_command(left):
        return unknown
    named = _constants(right, membership=isinstance(op, ast.In | ast.NotIn))
    if named is None:
        return unknown
    if isinstance(op, ast.Eq | ast.In | ast.Is):
        return (sub.commands & named, sub.commands - named)
    if isinstance(op, ast.NotEq | ast.NotIn | ast.IsNot):
        return (sub.commands - named, sub.commands & named)
    return unknown


def _narrow(possible: Commands, by: Commands) -> Commands:
    return None if possible is None or by is None else possible & by


def _reads_in_expr(node: ast.AST, possible: Commands, sub: Subcommands) -> Iterator[tuple]:
    """``(attribute node, commands possible there)`` for each read of the namespace."""
    if isinstance(node, ast.Lambda | ast.FunctionDef | ast.ClassDef):
        return  # runs later, under conditions this walk cannot see
    if isinstance(node, ast.IfExp):
        yield from _reads_in_expr(node.test, possible, sub)
        split = command_split(node.test, sub)
        holds, fails = split if split is not None else (possible, possible)
        yield from _reads_in_expr(node.body, _narrow(possible, holds), sub)
        yield from _reads_in_expr(node.orelse, _narrow(possible, fails), sub)
        return
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        here = possible
        for value in node.values:
            yield from _reads_in_expr(value, here, sub)
            split = command_split(value, sub)
            if split is not None:
                here = _narrow(here, split[0])
        return
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == sub.namespace
        and isinstance(node.ctx, ast.Load)
    ):
        yield node, possible
    for child in ast.iter_child_nodes(node):
        yield from _reads_in_expr(child, possible, sub)


_EXITS = {"sys.exit", "exit", "quit", "parser.exit", "parser.error"}
Read = tuple[ast.Attribute, Commands]


def _union(a: Commands, b: Commands) -> Commands:
    return None if a is None or b is None else a | b


def _catches_attribute_errors(stmt: ast.Try) -> bool:
    """``try: args.item_id`` / ``except AttributeError:``: a read the code guards itself."""
    for handler in stmt.handlers:
        caught = ast.unparse(handler.type) if handler.type is not None else "BaseException"
        if any(name in caught for name in ("AttributeError", "Exception")):
            return True
    return False


def _walk(
    body: list[ast.stmt], possible: Commands, sub: Subcommands, found: list[Read]
) -> tuple[bool, Commands]:
    """Collect the namespace reads of ``body`` into ``found``, with the commands possible at each.

    Returns whether the block can fall through to what follows it, and the
    commands that can still be running when it does: after
    ``if args.command == "list": return ...`` only the others are.
    """
    for stmt in body:
        falls, possible = _walk_statement(stmt, possible, sub, found)
        if not falls:
            return False, possible
    return True, possible


def _walk_statement(
    stmt: ast.stmt, possible: Commands, sub: Subcommands, found: list[Read]
) -> tuple[bool, Commands]:
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return True, possible  # runs later, under conditions this walk cannot see
    if isinstance(stmt, ast.Return | ast.Raise):
        found.extend(_reads_in_expr(stmt, possible, sub))
        return False, possible
    if isinstance(stmt, ast.Continue | ast.Break):
        return False, possible
    if (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and ast.unparse(stmt.value.func) in _EXITS
    ):
        found.extend(_reads_in_expr(stmt, possible, sub))
        return False, possible
    if isinstance(stmt, ast.If):
        found.extend(_reads_in_expr(stmt.test, possible, sub))
        split = command_split(stmt.test, sub)
        holds, fails = split if split is not None else (possible, possible)
        body_falls, body_after = _walk(stmt.body, _narrow(possible, holds), sub, found)
        else_falls, else_after = _walk(stmt.orelse, _narrow(possible, fails), sub, found)
        afters = [a for falls, a in ((body_falls, body_after), (else_falls, else_after)) if falls]
        if not afters:
            return False, possible
        return True, afters[0] if len(afters) == 1 else _union(*afters)
    if isinstance(stmt, ast.Match):
        return _walk_match(stmt, possible, sub, found)
    if isinstance(stmt, ast.Try):
        guarded: list[Read] = []
        body_falls, _ = _walk([*stmt.body, *stmt.orelse], possible, sub, guarded)
        if not _catches_attribute_errors(stmt):
            found.extend(guarded)
        handled = [_walk(h.body, possible, sub, found)[0] for h in stmt.handlers]
        _walk(stmt.finalbody, possible, sub, found)
        return body_falls or any(handled), possible
    if isinstance(stmt, ast.With | ast.AsyncWith):
        for item in stmt.items:
            found.extend(_reads_in_expr(item, possible, sub))
        return _walk(stmt.body, possible, sub, found)
    if isinstance(stmt, ast.For | ast.AsyncFor | ast.While):
        for child in ast.iter_child_nodes(stmt):
            if not isinstance(child, ast.stmt):
                found.extend(_reads_in_expr(child, possible, sub))
        _walk(stmt.body, possible, sub, found)
        _walk(stmt.orelse, possible, sub, found)
        return True, possible
    found.extend(_reads_in_expr(stmt, possible, sub))
    return True, possible


def _walk_match(
    stmt: ast.Match, possible: Commands, sub: Subcommands, found: list[Read]
) -> tuple[bool, Commands]:
    found.extend(_reads_in_expr(stmt.subject, possible, sub))
    subject = ast.unparse(stmt.subject)
    on_command = sub.dest is not None and subject == f"{sub.namespace}.{sub.dest}"
    left = possible
    afters: list[Commands] = []
    exhaustive = False
    for case in stmt.cases:
        named: frozenset[str] | None = None
        if on_command and case.guard is None:
            pattern = case.pattern
            values = pattern.patterns if isinstance(pattern, ast.MatchOr) else [pattern]
            literal = [
                v.value.value
                for v in values
                if isinstance(v, ast.MatchValue)
                and isinstance(v.value, ast.Constant)
                and isinstance(v.value.value, str)
            ]
            if len(literal) == len(values):
                named = frozenset(literal)
        wildcard = isinstance(case.pattern, ast.MatchAs) and case.pattern.pattern is None
        here = left if named is None else _narrow(left, named)
        if named is None and not wildcard:
            here = None  # a class or capture pattern: not followed
        falls, after = _walk(case.body, here, sub, found)
        if falls:
            afters.append(after)
        if named is not None:
            left = _narrow(left, sub.commands - named)
        if wildcard and case.guard is None:
            exhaustive = True
    if not exhaustive:
        afters.append(left)  # no case matched
    if not afters:
        return False, possible
    merged = afters[0]
    for after in afters[1:]:
        merged = _union(merged, after)
    return True, merged


def unsafe_reads(fn: ast.FunctionDef, sub: Subcommands) -> list[tuple[ast.Attribute, list[str]]]:
    """Each read of a subcommand's own attribute, with the other commands possible there."""
    guarded = guarded_names(fn) | {
        n.attr
        for n in ast.walk(fn)
        if isinstance(n, ast.Attribute)
        and isinstance(n.value, ast.Name)
        and n.value.id == sub.namespace
        and not isinstance(n.ctx, ast.Load)
    }  # ``args.item_id = None`` first: the code defines it itself
    reads: list[Read] = []
    _walk(fn.body, sub.commands, sub, reads)
    found = []
    for node, possible in reads:
        defined_by = sub.defines.get(node.attr)
        if defined_by is None or possible is None or node.attr in guarded:
            continue
        missing = sorted(possible - defined_by)
        if missing:
            found.append((node, missing))
    return found


def subcommand_scope_problems(content: str) -> list[str]:
    """``main`` reads an attribute only some subcommands define where another may be running."""
    found = subcommands_of(content)
    if found is None:
        return []
    fn, sub = found
    problems: dict[str, str] = {}
    for node, missing in unsafe_reads(fn, sub):
        problems.setdefault(
            node.attr,
            f"line {node.lineno}: main reads {sub.namespace}.{node.attr}, which only the "
            f"{', '.join(sorted(sub.defines[node.attr]))} subcommand defines, where the command "
            f"can also be {', '.join(missing)}: that command fails with AttributeError",
        )
    return list(problems.values())
