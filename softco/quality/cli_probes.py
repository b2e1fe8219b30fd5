"""Command lines to try on a delivered ``main(argv)``, read off its argparse parser.

Half of the mutants a green suite missed on the public briefs were in
``main`` (todo: 6 of 8 survivors): the tester's command lines are few, and a
parse error drops them. The parser the code builds says which command lines
are well formed: its options, its positionals with their ``choices`` and
``type``, and its subcommands (``add_parser('add')`` and the arguments added
to what it returns). ``argv_lists`` builds random well-formed lists from that,
with values from the tests' literals, so ``regression`` can find the ones
telling ``main`` from its mutants.
"""

from __future__ import annotations

import ast
import random
from dataclasses import dataclass, field

STORE_FLAGS = {"store_true", "store_false", "count", "help", "version"}


@dataclass
class Argument:
    flags: list[str]
    choices: list[str] = field(default_factory=list)
    kind: str = "str"  # the ``type=`` given: int, float or str
    nargs: str = ""
    flag_only: bool = False
    required: bool = False

    @property
    def positional(self) -> bool:
        return not self.flags[0].startswith("-")


@dataclass
class Parser:
    arguments: list[Argument] = field(default_factory=list)
    commands: dict[str, list[Argument]] = field(default_factory=dict)


def _argument(call: ast.Call) -> Argument | None:
    flags = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if not flags or len(flags) != len(call.args):
        return None
    kw = {k.arg: k.value for k in call.keywords if k.arg}
    arg = Argument(flags)
    if isinstance(kw.get("choices"), ast.List | ast.Tuple | ast.Set):
        arg.choices = [
            str(e.value)
            for e in kw["choices"].elts
            if isinstance(e, ast.Constant)  # type: ignore[attr-defined]
        ]
    if isinstance(kw.get("type"), ast.Name):
        arg.kind = kw["type"].id  # type: ignore[attr-defined]
    if isinstance(kw.get("nargs"), ast.Constant):
        arg.nargs = str(kw["nargs"].value)  # type: ignore[attr-defined]
    action = kw.get("action")
    arg.flag_only = isinstance(action, ast.Constant) and action.value in STORE_FLAGS
    required = kw.get("required")
    arg.required = isinstance(required, ast.Constant) and required.value is True
    return arg


def _command_of(node: ast.expr, owner: dict[str, str]) -> str | None:
    """The subcommand an expression's parser belongs to: ``sub.add_parser('add')``, a
    variable holding one, or a group (``add_argument_group``) of either."""
    if isinstance(node, ast.Name):
        return owner.get(node.id)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "add_parser" and node.args and isinstance(node.args[0], ast.Constant):
            return str(node.args[0].value)
        if node.func.attr in ("add_argument_group", "add_mutually_exclusive_group"):
            return _command_of(node.func.value, owner)
    return None


def parser_of(source: str) -> Parser | None:
    """The parser ``main`` builds, or None when ``main`` takes no ``argv`` or builds none."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    main = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main"), None)
    if main is None or not main.args.args:
        return None
    parser = Parser()
    owner: dict[str, str] = {}  # variable -> the subcommand it adds arguments to, now
    seen_any = False
    # in source order, so a variable reused for the next subcommand (`p = sub.add_parser(
    # 'done')` after `p = sub.add_parser('add')`) gives each its own arguments
    nodes = sorted(
        (n for n in ast.walk(main) if isinstance(n, ast.Assign | ast.Call)),
        key=lambda n: (n.lineno, n.col_offset, isinstance(n, ast.Call)),
    )
    for node in nodes:
        if isinstance(node, ast.Assign):
            if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                var = node.targets[0].id
                owner.pop(var, None)
                command = _command_of(node.value, owner)
                if command is not None:
                    owner[var] = command
            continue
        if not isinstance(node.func, ast.Attribute):
            continue
        if node.func.attr == "add_parser" and node.args and isinstance(node.args[0], ast.Constant):
            parser.commands.setdefault(str(node.args[0].value), [])
            seen_any = True
        elif node.func.attr == "add_argument":
            arg = _argument(node)
            if arg is None or "-h" in arg.flags or "--help" in arg.flags:
                continue
            seen_any = True
            command = _command_of(node.func.value, owner)
            if command is not None:
                parser.commands.setdefault(command, []).append(arg)
            else:
                parser.arguments.append(arg)
    return parser if seen_any else None


def _values(arg: Argument, words: list[str], rng: random.Random) -> list[str]:
    if arg.choices:
        return [rng.choice(arg.choices)]
    if arg.kind == "int":
        pool = ["0", "1", "2", "3", "-1"]
    elif arg.kind == "float":
        pool = ["0", "1", "2.5", "10", "-1"]
    else:
        pool = words
    count = {"*": rng.randint(0, 2), "+": rng.randint(1, 2), "?": rng.randint(0, 1)}.get(
        arg.nargs, 1
    )
    if arg.nargs.isdigit():
        count = int(arg.nargs)
    return [rng.choice(pool) for _ in range(count)]


def _line(args: list[Argument], words: list[str], path: str, rng: random.Random) -> list[str]:
    out: list[str] = []
    for arg in args:
        if arg.positional:
            continue
        if not arg.required and rng.random() < 0.5:
            continue
        out.append(arg.flags[-1] if arg.flags[-1].startswith("--") else arg.flags[0])
        if not arg.flag_only:
            pathlike = any(h in f.lower() for f in arg.flags for h in ("file", "path", "db"))
            out += [path] if pathlike else _values(arg, words, rng)
    for arg in args:
        if arg.positional:
            pathlike = any(h in arg.flags[0].lower() for h in ("file", "path", "db"))
            out += [path] if pathlike and not arg.choices else _values(arg, words, rng)
    return out


def argv_lists(
    parser: Parser, words: list[str], path: str, count: int, seed: int = 0
) -> list[list[str]]:
    """Up to ``count`` distinct, mostly well-formed argument lists for ``parser``."""
    rng = random.Random(seed)
    pool = words or ["a", "1"]
    found: dict[str, list[str]] = {}
    for _ in range(count * 4):
        line = _line(parser.arguments, pool, path, rng)
        if parser.commands:
            command = rng.choice(sorted(parser.commands))
            line += [command, *_line(parser.commands[command], pool, path, rng)]
        found.setdefault(repr(line), line)
        if len(found) >= count:
            break
    # and three a parser may refuse: its error path is code too
    wrong = [[], ["--no-such-option"], *[line[:-1] for line in list(found.values())[:1]]]
    return list(found.values()) + [w for w in wrong if repr(w) not in found]
