"""How a generated ``main(argv)`` reads its arguments, repaired without a model.

The interface a brief states is ``main(argv: list[str] | None = None) -> int``:
``argv`` holds the arguments *without* the program name, as ``argparse`` and
every test call ``main(["data.txt"])`` assume. A 1.5B coder often writes the
other convention — ``argv = sys.argv`` and then ``argv[1]`` — which works from
the shell and fails every call through the interface. Repair samples share the
habit, so agreement between them cannot catch it; it is certain from the code
alone, so it is fixed here. Each function takes module text and returns it
fixed or unchanged, and never raises on model output. ``wire_main`` runs
these, the argparse repairs of ``cli_argparse`` and the dispatch rewrites of
``cli_dispatch`` on every module.
"""

from __future__ import annotations

import ast
import re

from softco.artifacts import FileSpec
from softco.quality.cli_argparse import (
    ARGV_NAMES,
    pass_argv,
    rename_parsed_attributes,
    return_parse_errors,
)
from softco.quality.cli_dispatch import optional_rest, specialise_dispatch
from softco.quality.edits import (
    Edit,
    apply_edits,
    indent_step,
    main_function,
    parents_of,
    parsed_main,
    span,
)
from softco.quality.reshape import source_lines


def _int(node: ast.AST | None) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    return None


def _is_sys_argv(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "argv"
        and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
    )


def _len_compare_edits(call: ast.Call, parent: ast.AST | None) -> list[Edit] | None:
    """``len(argv) != 2`` → ``!= 1``; None when the comparison is not that simple."""
    if not isinstance(parent, ast.Compare) or len(parent.comparators) != 1:
        return None
    other = parent.comparators[0] if parent.left is call else parent.left
    value = _int(other)
    if value is None or value < 1:
        return None
    return [span(other, str(value - 1))]


def _use_edits(
    name: ast.Name, parents: dict[ast.AST, ast.AST]
) -> tuple[list[Edit], list[int]] | None:
    """Edits for one read of ``argv`` and the indexes it reads; None when unclear."""
    parent = parents.get(name)
    if isinstance(parent, ast.Subscript) and parent.value is name:
        index = _int(parent.slice)
        if index is not None:
            return ([span(parent.slice, str(index - 1))] if index >= 1 else []), [index]
        if isinstance(parent.slice, ast.UnaryOp):
            return [], []  # argv[-1]: the same element either way
        sl = parent.slice
        if isinstance(sl, ast.Slice) and sl.upper is None and sl.step is None:
            start = _int(sl.lower)
            if start is not None and sl.lower is not None:
                return [span(sl.lower, str(start - 1))] if start >= 1 else [], [start]
        return None
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name):
        if parent.func.id == "len" and parent.args == [name]:
            edits = _len_compare_edits(parent, parents.get(parent))
            return None if edits is None else (edits, [])
        return None
    if isinstance(parent, ast.Compare) and ast.unparse(parent) in {
        f"{name.id} is None",
        f"{name.id} is not None",
    }:
        return [], []
    if isinstance(parent, ast.BoolOp) or (
        isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not)
    ):
        return [], []
    if isinstance(parent, ast.If | ast.IfExp) and parent.test is name:
        return [], []
    return None


def _assign_edits(node: ast.Assign | ast.AnnAssign) -> list[Edit] | None:
    """``argv = sys.argv`` (alone, or in ``x or sys.argv``) reads ``sys.argv[1:]``."""
    edits: list[Edit] = []
    value = node.value
    if value is None:
        return None
    parents = parents_of(value)
    for sub in ast.walk(value):
        if _is_sys_argv(sub):
            parent = parents.get(sub)
            if isinstance(parent, ast.Subscript):
                if not _drops_program_name(parent):
                    return None  # sys.argv[:] or sys.argv[2:]: not a form to reason about
                continue  # already sys.argv[1:]
            edits.append(span(sub, "sys.argv[1:]"))
        elif isinstance(sub, ast.Call):
            return None  # argv = something computed: not a plain copy of the arguments
    return edits


def _drops_program_name(node: ast.Subscript) -> bool:
    sl = node.slice
    return (
        isinstance(sl, ast.Slice) and _int(sl.lower) == 1 and sl.upper is None and sl.step is None
    )


def _default_edits(fn: ast.FunctionDef) -> list[Edit] | None:
    """``def main(argv=sys.argv)`` reads ``sys.argv[1:]`` too; None for other defaults."""
    edits = []
    for default in [*fn.args.defaults, *(d for d in fn.args.kw_defaults if d is not None)]:
        if _is_sys_argv(default):
            edits.append(span(default, "sys.argv[1:]"))
        elif any(_is_sys_argv(n) for n in ast.walk(default)):
            return None
    return edits


def program_name_shift(content: str) -> str:
    """Move ``main`` from "``argv[0]`` is the program" to the interface's convention.

    Applied only when every use of the parameter is understood (indexing with
    a constant, ``len(argv)`` compared with a constant, ``is None``, truth
    tests, assignments from ``sys.argv``) and the code never reads ``argv[0]``
    but does read ``argv[1]`` or ``argv[1:]`` — it then treats ``argv[0]`` as
    the program name. Indexes and length limits drop by one and ``sys.argv``
    becomes ``sys.argv[1:]``, so ``main(["f.txt"])`` and ``python -m pkg.cli
    f.txt`` both work.
    """
    found = parsed_main(content)
    if found is None or not found[1].args.args:
        return content
    fn = found[1]
    param = fn.args.args[0].arg
    parents = parents_of(fn)
    defaults = _default_edits(fn)
    if defaults is None:
        return content
    edits: list[Edit] = list(defaults)
    indexes: list[int] = []
    for node in ast.walk(fn):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == param for t in targets):
                assigned = _assign_edits(node)
                if assigned is None:
                    return content
                edits += assigned
        if not isinstance(node, ast.Name) or node.id != param or isinstance(node.ctx, ast.Store):
            continue
        use = _use_edits(node, parents)
        if use is None:
            return content
        edits += use[0]
        indexes += use[1]
    if not indexes or 0 in indexes or min(indexes) != 1:
        return content
    return apply_edits(content, edits)


def guard_argv(content: str) -> str:
    """``main(sys.argv)`` outside ``main`` becomes ``main(sys.argv[1:])``.

    The interface's ``argv`` holds no program name; passing the whole
    ``sys.argv`` makes the script read its own path as the first argument.
    """
    found = parsed_main(content)
    if found is None or not found[1].args.args:
        return content
    tree, fn = found
    inside = set(ast.walk(fn))
    edits = [
        span(node.args[0], "sys.argv[1:]")
        for node in ast.walk(tree)
        if node not in inside
        and isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "main"
        and len(node.args) == 1
        and _is_sys_argv(node.args[0])
    ]
    return apply_edits(content, edits) if edits else content


def unguard_parser(content: str) -> str:
    """``main`` run as a script (argv None) reads ``sys.argv[1:]`` where it would fail.

    A 1.5B coder builds and runs the parser only ``if argv is not None:``, so
    the script (``main()``) reaches ``args.command`` with ``args`` never set: a
    NameError on every command line; or it refuses outright with ``if argv is
    None: return 1``. Both get ``argv = sys.argv[1:]`` for a missing argv (the
    refusal is replaced by it; the guarded block gets it just before), which
    keeps every other path as written. Only for a first parameter named like
    an argv (``cli_argparse.ARGV_NAMES``) that ``main`` does not assign before;
    ``import sys`` comes from ``repairs.import_missing``, the last step of ``tidy``.
    """
    found = parsed_main(content)
    if found is None or not found[1].args.args:
        return content
    fn = found[1]
    param = fn.args.args[0].arg
    if param not in ARGV_NAMES:
        return content
    lines = source_lines(content, keepends=True)
    for stmt in fn.body:
        if any(
            isinstance(n, ast.Name) and n.id == param and not isinstance(n.ctx, ast.Load)
            for n in ast.walk(stmt)
        ):
            return content  # argv is set in main itself: the code handles None
        if not (isinstance(stmt, ast.If) and not stmt.orelse and stmt.body):
            continue
        test = ast.unparse(stmt.test)
        refusal = stmt.body[0]
        if (
            test == f"{param} is None"
            and len(stmt.body) == 1
            and isinstance(refusal, ast.Return)
            and isinstance(refusal.value, ast.Constant)
            and refusal.lineno == refusal.end_lineno
            and refusal.lineno != stmt.lineno
        ):
            # ``if argv is None: return 1``: the script's own call always fails
            row = lines[refusal.lineno - 1]
            indent = row[: len(row) - len(row.lstrip())]
            lines[refusal.lineno - 1] = f"{indent}{param} = sys.argv[1:]\n"
            return "".join(lines)
        if test not in (f"{param} is not None", param):
            continue
        if not any(
            isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr in ("parse_args", "parse_known_args")
            for n in ast.walk(stmt)
        ):
            continue
        head = lines[stmt.lineno - 1]
        indent = head[: len(head) - len(head.lstrip())]
        if len(indent.encode()) != stmt.col_offset:
            return content
        step = indent_step(indent)
        lines[stmt.lineno - 1 : stmt.lineno - 1] = [
            f"{indent}if {param} is None:\n",
            f"{indent}{step}{param} = sys.argv[1:]\n",
        ]
        return "".join(lines)
    return content


def guard_exit_code(content: str) -> str:
    """``if __name__ == "__main__": main()`` becomes ``raise SystemExit(main())``.

    ``main`` returns its exit code; called as a bare statement, the script
    exits 0 whatever it returned (a missing file "succeeds" in a shell
    script). A ``main`` that returns nothing still exits 0.
    """
    found = parsed_main(content)
    if found is None:
        return content
    tree = found[0]
    edits = []
    for guard in tree.body:
        if not (isinstance(guard, ast.If) and "__name__" in ast.unparse(guard.test)):
            continue
        for stmt in guard.body:
            call = stmt.value if isinstance(stmt, ast.Expr) else None
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id == "main"
                and stmt.lineno == stmt.end_lineno
            ):
                edits.append(span(stmt, f"raise SystemExit({ast.unparse(call)})"))
    return apply_edits(content, edits) if edits else content


def argv_default(content: str) -> str:
    """In ``main``, ``if argv is None: argv = []`` becomes ``argv = sys.argv[1:]``.

    With ``[]`` the installed command ignores its real arguments (``--help``
    fails with a usage error); ``None`` means "the process's arguments" for
    the ``main(argv=None)`` the interface asks for. ``import sys`` is added by
    ``repairs.import_missing`` after the file's preamble.
    """
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    fn = main_function(tree)
    targets: list[int] = []
    for node in fn.body if fn is not None else []:
        if (
            isinstance(node, ast.If)
            and ast.unparse(node.test) == "argv is None"
            and len(node.body) == 1
            and isinstance(node.body[0], ast.Assign)
            and ast.unparse(node.body[0]) == "argv = []"
        ):
            targets.append(node.body[0].lineno)
    if not targets:
        return content
    lines = source_lines(content, keepends=True)
    for ln in targets:
        lines[ln - 1] = re.sub(r"argv\s*=\s*\[\s*\]", "argv = sys.argv[1:]", lines[ln - 1], count=1)
    return "".join(lines)


def main_guard(spec: FileSpec, content: str) -> str:
    """Append ``if __name__ == "__main__": raise SystemExit(main())`` where it is missing.

    A module whose interface offers ``main`` is run as ``python -m pkg.cli``;
    without the guard that command does nothing and exits 0 (a demo run's CLI
    "passed" its ``--help`` smoke run while printing nothing).
    """
    if not any(fn.name == "main" for fn in spec.interface):
        return content
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    # an ``async def main`` would need ``asyncio.run``: left to its author
    defines_main = main_function(tree) is not None
    guarded = any(isinstance(n, ast.If) and "__name__" in ast.unparse(n.test) for n in tree.body)
    if not defines_main or guarded:
        return content
    return content.rstrip() + '\n\n\nif __name__ == "__main__":\n    raise SystemExit(main())\n'


def _argv_none_block(fn: ast.FunctionDef, param: str) -> ast.If | None:
    """The top-level ``if argv is None: argv = ...`` statement of ``main``."""
    for stmt in fn.body:
        if isinstance(stmt, ast.If) and ast.unparse(stmt.test) == f"{param} is None":
            return stmt
    return None


def help_flag(content: str) -> str:
    """A hand-rolled ``main(argv)`` answers ``-h``/``--help`` with its docstring, exit 0.

    Without argparse, ``--help`` is taken for a file name and the command
    fails with "file does not exist" — the first thing a newcomer types.
    Added right after ``if argv is None: argv = sys.argv[1:]`` (the only place
    where ``argv`` is known to be a list), and only where neither argparse,
    click nor a ``--help`` of its own is in the module.
    """
    if re.search(r"argparse|ArgumentParser|click|typer|--help|getopt", content):
        return content
    found = parsed_main(content)
    if found is None or not found[1].args.args or ast.get_docstring(found[1]) is None:
        return content
    fn = found[1]
    block = _argv_none_block(fn, fn.args.args[0].arg)
    if block is None or block.end_lineno is None:
        return content
    param = fn.args.args[0].arg
    lines = source_lines(content, keepends=True)
    first = lines[block.lineno - 1]
    indent = first[: len(first) - len(first.lstrip())]
    if block.col_offset != len(indent.encode()) or block.lineno == (block.body[0].lineno):
        return content  # ``if argv is None: argv = ...`` on one line: left as written
    lines[block.end_lineno : block.end_lineno] = [
        f'{indent}if list({param}[:1]) in (["-h"], ["--help"]):\n',
        f'{indent}    print((main.__doc__ or "").strip())\n',
        f"{indent}    return 0\n",
    ]
    return "".join(lines)


def wire_main(spec: FileSpec, content: str) -> str:
    """All of the above, in order: what ``main`` reads, and how the script calls it
    (``cli_dispatch.specialise_dispatch``: a dispatch that reads another
    command's argument is written out per command)."""
    text = help_flag(program_name_shift(argv_default(unguard_parser(content))))
    text = specialise_dispatch(rename_parsed_attributes(return_parse_errors(pass_argv(text))))
    return main_guard(spec, guard_exit_code(guard_argv(optional_rest(spec, text))))
