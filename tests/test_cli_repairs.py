"""Mechanical repairs of how ``main(argv)`` reads its arguments, and of promised errors.

Each sample is the shape a 1.5B coder wrote in a recorded run; the test runs
the repaired code the way a user (or an acceptance test) would.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from softco.artifacts import Design, FileSpec, FunctionSpec
from softco.quality.cli_argparse import (
    pass_argv,
    rename_parsed_attributes,
    return_parse_errors,
    unknown_namespace_problems,
)
from softco.quality.cli_argv import guard_argv, program_name_shift, wire_main
from softco.quality.contracts import documented_errors, malformed_none, promised_error

PROGRAM_NAME_CLI = '''\
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Prints words and chars of FILE."""
    if argv is None:
        argv = sys.argv
    if len(argv) != 2:
        print("usage: cli FILE", file=sys.stderr)
        return 1
    path = Path(argv[1])
    if not path.exists():
        return 1
    text = path.read_text()
    print(f"words: {len(text.split())}")
    if len(argv) > 2 and argv[2] == "--top":
        print(argv[3:])
    return 0
'''


def _load(source: str) -> dict:
    namespace: dict = {}
    exec(compile(source, "cli.py", "exec"), namespace)
    return namespace


def test_a_main_reading_argv_1_after_sys_argv_works_through_the_interface_and_the_shell(
    tmp_path, capsys
):
    (tmp_path / "t.txt").write_text("a b c")
    assert _load(PROGRAM_NAME_CLI)["main"]([str(tmp_path / "t.txt")]) == 1  # the bug
    fixed = program_name_shift(PROGRAM_NAME_CLI)
    assert "argv = sys.argv[1:]" in fixed and "Path(argv[0])" in fixed
    assert "len(argv) != 1" in fixed and 'argv[1] == "--top"' in fixed
    assert _load(fixed)["main"]([str(tmp_path / "t.txt")]) == 0
    assert capsys.readouterr().out == "words: 3\n"
    script = tmp_path / "cli.py"
    script.write_text(wire_main(CLI_SPEC, fixed))
    ran = subprocess.run(
        [sys.executable, str(script), "t.txt"], cwd=tmp_path, capture_output=True, text=True
    )
    assert (ran.returncode, ran.stdout) == (0, "words: 3\n")
    assert program_name_shift(fixed) == fixed  # argv[0] is now read: nothing left to shift


@pytest.mark.parametrize(
    "body",
    [
        "    name = argv[0]\n    return len(argv[1])\n",  # reads argv[0]: its own convention
        "    args = parser.parse_args(argv)\n    return 0\n",  # argparse: already right
        "    return run(argv)\n",  # handed on: cannot tell
        "    for a in argv:\n        print(a)\n    return argv[1]\n",  # iterated
        "    argv = load(argv)\n    return argv[1]\n",  # computed from elsewhere
    ],
)
def test_main_code_whose_convention_is_unclear_is_left_alone(body):
    source = f"import sys\n\n\ndef main(argv=None):\n{body}"
    assert program_name_shift(source) == source


def test_the_script_guard_passes_no_program_name():
    source = "import sys\n\n\ndef main(argv=None):\n    return 0\n\n\nsys.exit(main(sys.argv))\n"
    assert guard_argv(source).endswith("sys.exit(main(sys.argv[1:]))\n")
    no_param = source.replace("main(argv=None)", "main()")
    assert guard_argv(no_param) == no_param


ARGPARSE_CLI = """\
import argparse


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", required=True)
    commands = parser.add_subparsers(dest="command")
    add = commands.add_parser("add")
    add.add_argument("text")
    args = parser.parse_args()
    if args.command == "add":
        print(args.path, args.text)
    return 0
"""


def test_argparse_main_reads_its_argv_returns_its_exit_code_and_names_the_right_option(
    capsys,
):
    fixed = rename_parsed_attributes(return_parse_errors(pass_argv(ARGPARSE_CLI)))
    main = _load(fixed)["main"]
    assert main(["--file", "todo.json", "add", "milk"]) == 0
    assert capsys.readouterr().out == "todo.json milk\n"
    assert main(["nonsense"]) == 2  # argparse's usage error, returned rather than raised
    assert main(["--help"]) == 0
    assert "except SystemExit as exc" in fixed
    assert return_parse_errors(fixed) == fixed  # already wrapped: not wrapped twice


def test_an_attribute_that_could_mean_two_options_is_not_renamed():
    two = ARGPARSE_CLI.replace(
        'add.add_argument("text")', 'add.add_argument("text")\n    add.add_argument("--tag")'
    )
    assert rename_parsed_attributes(two) == two
    extra = ARGPARSE_CLI.replace("args.path, args.text", "args.path, args.other")
    assert rename_parsed_attributes(extra) == extra


def test_an_attribute_no_option_defines_is_a_finding_unless_the_code_guards_it():
    two = ARGPARSE_CLI.replace(
        'add.add_argument("text")', 'add.add_argument("text")\n    add.add_argument("--tag")'
    )
    assert unknown_namespace_problems(two) == [
        "line 13: main reads args.path, which the parser never defines (it defines command, "
        "file, tag, text): the call fails with AttributeError"
    ]
    # once renamed (exactly one option unread), nothing is left to find
    assert unknown_namespace_problems(rename_parsed_attributes(ARGPARSE_CLI)) == []
    guarded = two.replace("print(args.path,", "print(hasattr(args, 'path') and args.path,")
    assert unknown_namespace_problems(guarded) == []


CLI_SPEC = FileSpec(
    path="cli.py",
    responsibility="CLI",
    interface=[FunctionSpec(signature="def main(argv: list[str] | None = None) -> int")],
)
ROMAN_SPEC = FileSpec(
    path="roman.py",
    responsibility="Roman numerals",
    interface=[
        FunctionSpec(
            signature="def from_roman(s: str) -> int", docstring="ValueError for invalid numerals"
        ),
        FunctionSpec(
            signature="def lookup(s: str) -> int", docstring="KeyError for an unknown key"
        ),
    ],
)
FROM_ROMAN = '''\
def from_roman(s: str) -> int:
    """ValueError for invalid numerals"""
    if not s:
        raise ValueError("empty")
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for i, ch in enumerate(s):
        if i + 1 < len(s) and values[ch] < values[s[i + 1]]:
            total -= values[ch]
        else:
            total += values[ch]
    return total


def lookup(s: str) -> int:
    return {"a": 1}[s]'''


def test_a_lookup_error_on_bad_input_becomes_the_exception_the_interface_promises():
    fixed = documented_errors(ROMAN_SPEC, FROM_ROMAN)
    ns = _load(fixed)
    assert ns["from_roman"]("XIV") == 14
    with pytest.raises(ValueError, match="invalid input"):
        ns["from_roman"]("ABC")
    with pytest.raises(ValueError, match="empty"):
        ns["from_roman"]("")
    with pytest.raises(KeyError):
        ns["lookup"]("b")  # its interface promises the KeyError itself
    assert documented_errors(ROMAN_SPEC, fixed) == fixed


def test_promised_errors_are_read_only_when_unambiguous():
    assert promised_error("1..3999 (ValueError otherwise)") == "ValueError"
    assert promised_error("TypeError or ValueError") is None
    assert promised_error("raises NotARealError") is None
    assert promised_error("plain text") is None


def test_a_hand_rolled_main_answers_help_with_its_docstring(capsys):
    fixed = wire_main(CLI_SPEC, PROGRAM_NAME_CLI)
    main = _load(fixed)["main"]
    assert main(["--help"]) == 0 and main(["-h"]) == 0
    assert "Prints words and chars of FILE." in capsys.readouterr().out
    assert main(["a", "b"]) == 1  # other arguments go on as before
    assert wire_main(CLI_SPEC, fixed) == fixed
    with_argparse = ARGPARSE_CLI.replace(
        "def main(argv=None):", 'def main(argv=None):\n    """Doc."""'
    )
    assert "in ([" not in wire_main(CLI_SPEC, with_argparse)  # argparse has its own --help


def test_a_file_name_handed_to_a_function_wanting_text_is_read_first(tmp_path, capsys):
    from softco.artifacts import Design
    from softco.quality.cli_files import read_file_arguments
    from softco.quality.repairs import tidy

    design = Design.model_validate(
        {
            "summary": "s",
            "files": [
                {
                    "path": "wf/core.py",
                    "responsibility": "count",
                    "interface": [{"signature": "def count_words(text: str) -> int"}],
                },
                {
                    "path": "wf/cli.py",
                    "responsibility": "cli",
                    "interface": [{"signature": "def main(argv: list[str] | None = None) -> int"}],
                    "depends_on": ["wf/core.py"],
                },
            ],
        }
    )
    cli = design.file("wf/cli.py")
    source = (
        "import argparse\n\n\ndef count_words(text):\n    return len(text.split())\n\n\n"
        "def main(argv=None):\n    parser = argparse.ArgumentParser()\n"
        '    parser.add_argument("FILE")\n    args = parser.parse_args(argv)\n'
        "    try:\n        print(count_words(args.FILE))\n    except FileNotFoundError:\n"
        "        return 1\n    return 0\n"
    )
    fixed = read_file_arguments(cli, source, design)
    assert 'count_words(pathlib.Path(args.FILE).read_text(encoding="utf-8"))' in fixed
    main = _load("import pathlib\n" + fixed)["main"]
    (tmp_path / "t.txt").write_text("one two three four")
    assert main([str(tmp_path / "t.txt")]) == 0 and capsys.readouterr().out == "4\n"
    assert main([str(tmp_path / "missing.txt")]) == 1
    assert "import pathlib" in tidy(cli, source, design)  # the import comes with the repair
    reads = source.replace("count_words(args.FILE)", "count_words(open(args.FILE).read())")
    assert read_file_arguments(cli, reads, design) == reads  # main reads the file itself


def test_odd_but_working_main_code_stays_working(tmp_path):
    """Inputs from a review: each worked before its repair and must work after it."""
    default = (
        "import sys\n\n\ndef main(argv=sys.argv):\n    if len(argv) != 2:\n        return 2\n"
        "    print(argv[1])\n    return 0\n\n\nif __name__ == '__main__':\n"
        "    raise SystemExit(main())\n"
    )
    script = tmp_path / "d.py"
    script.write_text(wire_main(CLI_SPEC, default))
    ran = subprocess.run([sys.executable, str(script), "x"], capture_output=True, text=True)
    assert (ran.returncode, ran.stdout) == (0, "x\n")
    copied = "import sys\n\n\ndef main(argv=None):\n    argv = sys.argv[:]\n    return argv[1]\n"
    assert program_name_shift(copied) == copied
    nested = (
        "import argparse\n\n\ndef main(argv=None):\n    p = argparse.ArgumentParser()\n"
        '    p.add_argument("n", type=int)\n\n    def parse():\n'
        "        ns = p.parse_args(argv)\n        return ns\n\n    return parse().n\n"
    )
    assert return_parse_errors(nested) == nested  # a return there would land in parse()
    helper = (
        "def main(argv=None):\n    p = build_parser()\n    p.add_argument('--verbose')\n"
        "    args = p.parse_args(argv)\n    return args.file\n"
    )
    assert rename_parsed_attributes(helper) == helper  # build_parser's options are unknown
    tabs = "def main(argv=None):\n\targs = p.parse_args(argv)\n\treturn 0\n"
    compile(return_parse_errors(tabs), "t.py", "exec")


def test_a_script_guard_that_drops_mains_exit_code_keeps_it(tmp_path):
    source = ARGPARSE_CLI + '\n\nif __name__ == "__main__":\n    main()\n'
    script = tmp_path / "c.py"
    script.write_text(wire_main(CLI_SPEC, source))
    ran = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert ran.returncode == 2 and "required" in ran.stderr  # was 0: the code was dropped
    assert "raise SystemExit(main())" in script.read_text()


def test_tab_indented_functions_get_the_promised_error_and_still_compile():
    source = "def from_roman(s):\n\tvalues = {'I': 1}\n\treturn values[s]"
    fixed = documented_errors(ROMAN_SPEC, source)
    with pytest.raises(ValueError):
        _load(fixed)["from_roman"]("Q")


def test_only_names_that_end_as_file_names_are_read_as_files():
    from softco.quality.cli_files import _is_file_argument

    def node(text):
        return ast.parse(text, mode="eval").body

    assert _is_file_argument(node("args.FILE")) and _is_file_argument(node("input_path"))
    assert not _is_file_argument(node("file_text")) and not _is_file_argument(node("argv[0]"))


LIBRARY_WITH_SCRIPT = """\
import re


def count_words(text: str) -> dict[str, int]:
    words = re.findall(r"\\w+", text.lower())
    return {w: words.count(w) for w in set(words)}


if __name__ == "__main__":
    import sys
    if len(sys.argv) != 4:
        print("Usage: python -m wordfreq.cli FILE --top N")
        sys.exit(1)
    print(count_words(open(sys.argv[1]).read()))
"""
FALLS_OFF_CLI = """\
import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        with open(argv[0]) as f:
            print(len(f.read().split()))
    except FileNotFoundError:
        print("missing", file=sys.stderr)
        return 1
"""


def test_a_library_module_loses_its_own_script_block_and_a_cli_keeps_its():
    from softco.quality.entry import drop_library_script

    core = FileSpec(
        path="wordfreq/core.py",
        responsibility="counting",
        interface=[
            FunctionSpec(name="count_words", signature="def count_words(text: str) -> dict")
        ],
    )
    cli = core.model_copy(update={"path": "wordfreq/cli.py", "kind": "cli"})
    design = Design(summary="s", files=[core, cli], entry_point="wordfreq/cli.py")
    out = drop_library_script(core, LIBRARY_WITH_SCRIPT, design)
    assert "__main__" not in out and "sys.argv" not in out
    assert out.rstrip().endswith("return {w: words.count(w) for w in set(words)}")
    assert drop_library_script(cli, LIBRARY_WITH_SCRIPT, design) == LIBRARY_WITH_SCRIPT
    # the program's only way in, or a block with an else: kept
    alone = Design(summary="s", files=[core], entry_point="")
    assert drop_library_script(core, LIBRARY_WITH_SCRIPT, alone) == LIBRARY_WITH_SCRIPT
    run_here = design.model_copy(update={"entry_point": "wordfreq/core.py"})
    assert drop_library_script(core, LIBRARY_WITH_SCRIPT, run_here) == LIBRARY_WITH_SCRIPT
    with_else = LIBRARY_WITH_SCRIPT + "else:\n    CACHE = {}\n"
    assert drop_library_script(core, with_else, design) == with_else


def test_a_main_that_can_end_without_returning_returns_0_where_it_promises_an_int(tmp_path):
    from softco.quality.entry import return_exit_code

    spec = FileSpec(
        path="count.py",
        responsibility="cli",
        kind="cli",
        interface=[
            FunctionSpec(name="main", signature="def main(argv: list[str] | None = None) -> int")
        ],
    )
    fixed = return_exit_code(spec, FALLS_OFF_CLI)
    assert fixed.rstrip().endswith("        return 1\n    return 0")
    assert return_exit_code(spec, fixed) == fixed  # it now always ends
    (tmp_path / "count.py").write_text(fixed)
    (tmp_path / "t.txt").write_text("a b c")
    check = "from count import main; assert main(['t.txt']) == 0 and main(['nope.txt']) == 1"
    run = subprocess.run(
        [sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    untyped = spec.model_copy(
        update={"interface": [FunctionSpec(name="main", signature="def main(argv=None)")]}
    )
    assert return_exit_code(untyped, FALLS_OFF_CLI) == FALLS_OFF_CLI  # no int promised
    bare = "def main(argv=None):\n    print(argv)\n    return\n"
    assert return_exit_code(spec, bare) == "def main(argv=None):\n    print(argv)\n    return 0\n"
    one_line_body = "def main(\n    argv=None,\n) -> int: print(1)\n"
    assert return_exit_code(spec, one_line_body) == one_line_body


LOG_SPEC = FileSpec(
    path="logstats.py",
    responsibility="log parsing",
    interface=[
        FunctionSpec(
            signature="def parse_line(line: str) -> dict | None",
            docstring="keys 'date', 'hour' (int), 'level', 'message'; None for a malformed line",
        ),
        FunctionSpec(
            signature="def count_levels(lines: list[str]) -> dict[str, int]",
            docstring="None for a malformed line is skipped",  # no None in its return type
        ),
    ],
)
PARSE_LINE = """\
import re


def parse_line(line: str) -> dict | None:
    if not re.match(r"\\d{4}-\\d{2}-\\d{2} \\d{2}:", line):
        return None
    parts = line.split()
    return {"date": parts[0], "hour": int(parts[1][:2]), "level": parts[2]}


def count_levels(lines):
    return {"n": len(lines[0])}
"""


def test_a_parse_promising_none_for_a_malformed_line_returns_it_where_parsing_fails():
    # logstats, session 10: no level after the time raised IndexError at parts[2]
    fixed = malformed_none(LOG_SPEC, PARSE_LINE)
    ns = _load(fixed)
    assert ns["parse_line"]("2023-10-05 14:30:00") is None
    assert ns["parse_line"]("2023-10-05 14:30:00 INFO up") == {
        "date": "2023-10-05",
        "hour": 14,
        "level": "INFO",
    }
    with pytest.raises(IndexError):
        ns["count_levels"]([])  # its return type admits no None: left alone
    assert "as exc" not in fixed  # nothing unused for the gate to flag
    assert malformed_none(LOG_SPEC, fixed) == fixed
