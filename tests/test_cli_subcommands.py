"""A subcommand's own argument read where another subcommand may be running.

The first sample is todo's ``main`` as the 1.5B coder delivered it in three
recorded runs: ``add`` and ``done`` work, ``list`` fails with AttributeError,
and no function-level test notices.
"""

from __future__ import annotations

import pytest

from softco.artifacts import Design, FileSpec, FunctionSpec
from softco.quality.cli_argv import wire_main
from softco.quality.cli_dispatch import specialise_dispatch
from softco.quality.cli_subcommands import subcommand_scope_problems
from softco.quality.gates import check_module
from softco.workflows.unit_rewrite import flagged_units

HEAD = """\
import argparse


def add(path, text):
    return 1


def list_items(path):
    return []


def complete(path, item_id):
    return True


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", required=True)
    subparsers = parser.add_subparsers(dest="command")
    add_parser = subparsers.add_parser("add")
    add_parser.add_argument("text")
    add_parser.set_defaults(func=add)
    list_parser = subparsers.add_parser("list")
    list_parser.set_defaults(func=list_items)
    done_parser = subparsers.add_parser("done")
    done_parser.add_argument("item_id", type=int)
    done_parser.set_defaults(func=complete)
    args = parser.parse_args(argv)
"""

DELIVERED = (
    HEAD
    + """\
    result = args.func(args.file, args.text if args.command == "add" else args.item_id)
    print(result)
    return 0
"""
)

BRANCHES = (
    HEAD
    + """\
    if args.command == "add":
        print(add(args.file, args.text))
    elif args.command == "done":
        print(complete(args.file, args.item_id))
    else:
        print(list_items(args.file))
    return 0
"""
)


def _run(content: str, argv: list[str]) -> None:
    scope: dict = {}
    exec(compile(content, "todo.py", "exec"), scope)
    scope["main"](argv)


def test_the_delivered_dispatch_is_found_and_really_fails_for_list(tmp_path):
    assert subcommand_scope_problems(DELIVERED) == [
        "line 29: main reads args.item_id, which only the done subcommand defines, where "
        "the command can also be list: that command fails with AttributeError"
    ]
    _run(DELIVERED, ["--file", str(tmp_path / "t.json"), "add", "milk"])
    with pytest.raises(AttributeError, match="item_id"):
        _run(DELIVERED, ["--file", str(tmp_path / "t.json"), "list"])


@pytest.mark.parametrize(
    "tail",
    [
        BRANCHES[len(HEAD) :],
        # an early return narrows what follows
        """\
    if args.command == "list":
        print(list_items(args.file))
        return 0
    if args.command != "done":
        print(add(args.file, args.text))
        return 0
    print(complete(args.file, args.item_id))
    return 0
""",
        # the chained conditional expression of sessions 3 to 5
        """\
    result = args.func(args.file, args.text) if args.command == "add" else \\
        args.func(args.file, args.item_id) if args.command in ("done",) else \\
        args.func(args.file)
    print(result)
    return 0
""",
        """\
    match args.command:
        case "add":
            print(add(args.file, args.text))
        case "done" | "finish":
            print(complete(args.file, args.item_id))
        case _:
            print(list_items(args.file))
    return 0
""",
        # every branch of an elif chain returns: only add is left after it
        """\
    if args.command == "list":
        return print(list_items(args.file)) or 0
    elif args.command == "done":
        return print(complete(args.file, args.item_id)) or 0
    print(add(args.file, args.text))
    return 0
""",
        # a nested if/else that always returns ends its branch too
        """\
    if args.command != "add":
        if args.command == "done":
            print(complete(args.file, args.item_id))
        else:
            print(list_items(args.file))
        return 0
    print(add(args.file, args.text))
    return 0
""",
        # the code guards the read itself
        """\
    try:
        print(complete(args.file, args.item_id))
    except AttributeError:
        print(list_items(args.file))
    return 0
""",
        # guarded by the code itself, or by a test this check does not follow
        """\
    print(hasattr(args, "item_id") and args.item_id)
    if args.func is complete:
        print(args.item_id)
    return 0
""",
    ],
)
def test_reads_inside_their_own_command_s_branch_are_not_findings(tail, tmp_path):
    content = HEAD + tail
    assert subcommand_scope_problems(content) == []
    for argv in (["add", "milk"], ["list"], ["done", "1"]):
        _run(content, ["--file", str(tmp_path / "t.json"), *argv])


def test_a_read_after_the_branch_that_owns_it_is_a_finding():
    content = (
        HEAD
        + """\
    if args.command == "add":
        print(add(args.file, args.text))
    print("added", args.text)
    return 0
"""
    )
    assert subcommand_scope_problems(content) == [
        "line 31: main reads args.text, which only the add subcommand defines, where the "
        "command can also be done, list: that command fails with AttributeError"
    ]


def test_the_finding_reaches_the_gate_and_asks_for_main_again():
    spec = FileSpec(
        path="todo.py",
        responsibility="to-do list",
        interface=[
            FunctionSpec(name="add", signature="def add(path, text)"),
            FunctionSpec(name="list_items", signature="def list_items(path)"),
            FunctionSpec(name="complete", signature="def complete(path, item_id)"),
            FunctionSpec(name="main", signature="def main(argv=None)"),
        ],
    )
    problems = check_module(spec, DELIVERED, Design(summary="todo", files=[spec]))
    assert any("only the done subcommand defines" in p for p in problems)
    hint = flagged_units(problems)["main"]
    assert "args.item_id only in the branch that handles the done command" in hint
    assert not any(
        "subcommand" in p
        for p in check_module(spec, BRANCHES, Design(summary="todo", files=[spec]))
    )


def test_the_delivered_dispatch_is_written_out_per_command_and_every_command_runs(tmp_path, capsys):
    spec = FileSpec(path="todo.py", responsibility="to-do list", interface=[])
    fixed = wire_main(spec, "import sys\n" + DELIVERED)
    assert "result = list_items(args.file)\n" in fixed
    assert "result = complete(args.file, args.item_id)\n" in fixed
    assert subcommand_scope_problems(fixed) == []
    path = str(tmp_path / "t.json")
    for argv in (["add", "milk"], ["list"], ["done", "1"]):
        _run(fixed, ["--file", path, *argv])
    assert capsys.readouterr().out.split() == ["1", "[]", "True"]
    scope: dict = {}
    exec(compile(fixed, "todo.py", "exec"), scope)
    assert scope["main"](["--file", path]) == 2  # no command: usage, not AttributeError


def test_a_dispatch_it_cannot_write_out_with_certainty_is_left_alone():
    # list_items takes *rest: which arguments it wants is not certain
    varargs = DELIVERED.replace("def list_items(path):", "def list_items(path, *rest):")
    assert specialise_dispatch(varargs) == varargs
    # the right shape is left as it is
    assert specialise_dispatch(BRANCHES) == BRANCHES


RETURNS_DATA = (
    HEAD.replace("def add(path, text):", "def add(path: str, text: str) -> int:").replace(
        "def list_items(path):", "def list_items(path: str) -> list[dict]:"
    )
    + """\
    if args.command == "add":
        return add(args.file, args.text)
    elif args.command == "list":
        return list_items(args.file)
    return 0
"""
)


def _todo_spec(exit_code_doc: str = "") -> FileSpec:
    return FileSpec(
        path="todo.py",
        responsibility="to-do list",
        interface=[
            FunctionSpec(
                name="add",
                signature="def add(path: str, text: str) -> int",
                docstring=exit_code_doc or "returns the new id",
            ),
            FunctionSpec(name="list_items", signature="def list_items(path: str) -> list[dict]"),
            FunctionSpec(name="main", signature="def main(argv: list[str] | None = None) -> int"),
        ],
    )


def test_main_returning_a_result_prints_it_and_exits_0(tmp_path, capsys):
    from softco.quality.entry import print_results

    path = str(tmp_path / "t.json")
    scope: dict = {}
    exec(compile(RETURNS_DATA, "todo.py", "exec"), scope)
    assert scope["main"](["--file", path, "list"]) == []  # an exit code that is a list
    fixed = print_results(_todo_spec(), RETURNS_DATA)
    exec(compile(fixed, "todo.py", "exec"), scope)
    assert scope["main"](["--file", path, "add", "milk"]) == 0
    assert scope["main"](["--file", path, "list"]) == 0
    assert capsys.readouterr().out.split() == ["1", "[]"]
    # a function whose contract is an exit code is returned as one
    said = _todo_spec("returns the exit code of the command")
    assert "return add(args.file, args.text)" in print_results(said, RETURNS_DATA)
    # ``run(argv) -> int`` is the usual main/run split: its int is the exit code
    run = _todo_spec().model_copy(deep=True)
    run.interface[0].signature = "def add(argv: list[str], text: str) -> int"
    assert "return add(args.file, args.text)" in print_results(run, RETURNS_DATA)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # one name reused for two parsers: which arguments belong to which is not followed
        (
            'done_parser = subparsers.add_parser("done")',
            'add_parser = subparsers.add_parser("done")',
        ),
        # an alias: args.command may be "finish" where the code says "done"
        ('subparsers.add_parser("done")', 'subparsers.add_parser("done", aliases=["finish"])'),
    ],
)
def test_parsers_it_cannot_follow_are_left_alone(old, new):
    content = DELIVERED.replace(old, new).replace(
        "done_parser.", "add_parser." if "add_parser =" in new else "done_parser."
    )
    assert old not in content
    assert subcommand_scope_problems(content) == []
    assert specialise_dispatch(content) == content


@pytest.mark.parametrize(
    "dispatch",
    [
        # a second statement on the same line would be lost
        "    result = args.func(args.file, args.text if args.command == 'add' else args.item_id)"
        "; print(result)\n",
        # so would the condition of a one-line if
        "    if args.file: result = args.func(args.file, args.text if args.command == 'add' "
        "else args.item_id)\n    print(result)\n",
    ],
)
def test_a_dispatch_sharing_its_line_is_not_rewritten(dispatch):
    content = HEAD + dispatch + "    return 0\n"
    assert subcommand_scope_problems(content) != []
    assert specialise_dispatch(content) == content


# session 8's todo: the parser built only when argv is given, and nargs="+" after the command
GUARDED = """\
import argparse
import sys


def add(path: str, text: str) -> int:
    return 1


def list_items(path: str) -> list[dict]:
    return []


def main(argv: list[str] | None = None) -> int:
    \"\"\"`--file PATH add TEXT | list | done ID`\"\"\"

    if argv is not None:
        parser = argparse.ArgumentParser(description='to-do list')
        parser.add_argument('--file', required=True)
        parser.add_argument('command', choices=['add', 'list', 'done'])
        parser.add_argument('args', nargs='+')
        args = parser.parse_args(argv)

    if args.command == 'add':
        return add(args.file, ' '.join(args.args))
    elif args.command == 'list':
        return list_items(args.file)
    return 1
"""


def test_a_parser_built_only_for_a_given_argv_runs_as_a_script_and_list_parses(
    tmp_path, monkeypatch, capsys
):
    spec = _todo_spec().model_copy(deep=True)
    spec.interface[2].docstring = "`--file PATH add TEXT | list | done ID`"
    path = str(tmp_path / "t.json")
    scope: dict = {}
    exec(compile(GUARDED, "todo.py", "exec"), scope)
    with pytest.raises(SystemExit):
        scope["main"](["--file", path, "list"])  # argparse: args required
    monkeypatch.setattr("sys.argv", ["todo.py", "--file", path, "add", "milk"])
    with pytest.raises(NameError):
        scope["main"]()  # as a script: args never set
    fixed = wire_main(spec, GUARDED)
    from softco.quality.entry import print_results

    fixed = print_results(spec, fixed)
    exec(compile(fixed, "todo.py", "exec"), scope)
    assert scope["main"]() == 0
    assert scope["main"](["--file", path, "list"]) == 0
    assert capsys.readouterr().out.split() == ["1", "[]"]
    assert "nargs='*'" in fixed
    assert "    if argv is None:\n        argv = sys.argv[1:]\n    if argv is not None:" in fixed


def test_nargs_stays_where_every_command_of_the_usage_takes_words():
    from softco.quality.cli_dispatch import bare_commands, optional_rest

    spec = _todo_spec().model_copy(deep=True)
    spec.interface[2].docstring = "`--file PATH add TEXT | done ID`"
    assert bare_commands(spec) == set()
    assert optional_rest(spec, GUARDED) == GUARDED
    spec.interface[2].docstring = "with `--file PATH add TEXT | list | done ID`"
    assert bare_commands(spec) == {"list"}
    spec.interface[2].docstring = "`add TEXT | list-all | list [--done] | done ID`"
    assert bare_commands(spec) == {"list"}  # list-all is a command of its own


def test_a_main_refusing_a_missing_argv_reads_the_command_line_instead(monkeypatch, capsys):
    from softco.quality.cli_argv import unguard_parser

    refusing = (
        "import argparse\nimport sys\n\n\n"
        "def main(argv: list[str] | None = None) -> int:\n"
        "    if argv is None:\n"
        "        return 1\n"
        "    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('name')\n"
        "    print(parser.parse_args(argv).name)\n"
        "    return 0\n"
    )
    monkeypatch.setattr("sys.argv", ["hello.py", "ann"])
    scope: dict = {}
    exec(compile(refusing, "hello.py", "exec"), scope)
    assert scope["main"]() == 1  # the script's own call
    exec(compile(unguard_parser(refusing), "hello.py", "exec"), scope)
    assert scope["main"]() == 0 and capsys.readouterr().out == "ann\n"


def test_a_guarded_block_that_returns_keeps_what_follows_it():
    from softco.quality.cli_argv import unguard_parser

    helps = (
        "import argparse\nimport sys\n\n\n"
        "def main(argv=None):\n"
        "    parser = argparse.ArgumentParser()\n"
        "    parser.add_argument('name')\n"
        "    if argv:\n"
        "        print(parser.parse_args(argv).name)\n"
        "        return 0\n"
        "    parser.print_help()\n"
        "    return 1\n"
    )
    scope: dict = {}
    exec(compile(unguard_parser(helps), "hello.py", "exec"), scope)
    assert scope["main"]([]) == 1  # no arguments: help and 1, as written
    # a first parameter that is not an argv is not touched
    path = helps.replace("argv", "path")
    assert unguard_parser(path) == path
