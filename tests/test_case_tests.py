"""The tester's cases become a pytest file only after they fit the interface."""

from __future__ import annotations

import subprocess
import sys

from softco.artifacts import Design, FileSpec, FunctionSpec
from softco.quality.case_tests import PER_NAME, case_tests, takes_argv
from softco.quality.cli_cases import stated_codes
from softco.quality.repairs import import_instead
from softco.roles.schemas import CliTestCases, TestCases

CORE = FileSpec(
    path="textstats/core.py",
    responsibility="counting",
    interface=[
        FunctionSpec(name="word_count", signature="def word_count(text: str) -> int"),
        FunctionSpec(
            name="top_words",
            signature="def top_words(text: str, n: int) -> list[tuple[str, int]]",
        ),
        FunctionSpec(name="save", signature="def save(path: str, text: str) -> None"),
    ],
)
CLI = FileSpec(
    path="textstats/cli.py",
    responsibility="command line",
    kind="cli",
    interface=[
        FunctionSpec(name="main", signature="def main(argv: list[str] | None = None) -> int")
    ],
    depends_on=["textstats/core.py"],
)
GOOD_CORE = """\
from collections import Counter


def word_count(text: str) -> int:
    return len(text.split())


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    counts = Counter(text.lower().split())
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def save(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)
"""
GOOD_CLI = """\
import sys

from textstats.core import word_count


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        text = open(argv[0]).read()
    except OSError:
        print("no such file", file=sys.stderr)
        return 1
    print(f"words: {word_count(text)}")
    return 0
"""


def cases(*items: dict) -> TestCases:
    return TestCases.model_validate({"cases": list(items)})


def case(call: str, expected: str, behaviour: str = "works", setup=()) -> dict:
    return {"behaviour": behaviour, "call": call, "expected": expected, "setup": list(setup)}


def run_pytest(tmp_path, files: dict[str, str]) -> subprocess.CompletedProcess:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "textstats" / "__init__.py").write_text("")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def scripted_tester(answers, default=None, events=None):
    """(the scripted model, a tester context) whose replies are ``answers`` in turn."""
    from softco.config import Settings
    from softco.llm import ScriptedLLM
    from softco.roles import RoleContext

    extra = {} if default is None else {"default": default}
    llm = ScriptedLLM(by_role={"tester": answers}, **extra)
    return llm, RoleContext(llm=llm, settings=Settings(), events=events, phase="test")


def demo_prd():
    from softco.artifacts import PRD
    from softco.demo_script import PRD as DEMO_PRD

    return PRD.model_validate(DEMO_PRD)


def test_cases_that_do_not_fit_the_signatures_are_left_out_and_said():
    suite = case_tests(
        cases(
            case("word_count('a b')", "2"),
            case("word_count(3)", "0"),  # int where the interface says str
            case("word_count('')", "'error'"),  # -> int, not a string
            case("word_count(text)", "2"),  # undefined name
            case("top_words('a b', 1, 2)", "[]"),  # too many arguments
            case("main(['x'])", "0"),  # not offered here
            case("word_count('a b')", "2"),  # a repeat
        ),
        CORE,
    )
    assert suite.kept == 1 and suite.content is not None
    assert "word_count('a b') == 2" in suite.content
    reasons = " ".join(suite.dropped)
    for words in ("given 3", "does not fit -> int", "undefined text", "positional", "repeats"):
        assert words in reasons
    assert len(suite.dropped) == 6


def test_written_tests_pass_on_right_code_and_fail_on_wrong(tmp_path):
    suite = case_tests(
        cases(
            case("word_count('a  b c')", "1 + 2", "three words"),  # arithmetic is computed
            case("top_words('b a b', 1)", "[['b', 2]]", "most common"),  # list -> tuple
            case("save(p, 'hi')", "None", "writes", setup=["p = tmp_path / 'out.txt'"]),
        ),
        CORE,
    )
    assert suite.kept == 3
    assert "save(str(p), 'hi') is None" in suite.content  # the Path is passed as str
    good = run_pytest(tmp_path / "good", {"textstats/core.py": GOOD_CORE, "tests/t.py": ""})
    assert good.returncode == 5  # nothing collected yet: the harness itself works
    files = {"textstats/core.py": GOOD_CORE, "tests/test_core.py": suite.content}
    assert run_pytest(tmp_path / "ok", files).returncode == 0
    wrong = GOOD_CORE.replace("return len(text.split())", "return len(text)")
    bad = run_pytest(tmp_path / "bad", {**files, "textstats/core.py": wrong})
    assert bad.returncode == 1 and "1 failed, 2 passed" in bad.stdout


def test_each_name_gets_at_most_five_cases():
    many = [case(f"word_count('{'a ' * i}')", str(i), f"n{i}") for i in range(1, 8)]
    suite = case_tests(cases(*many), CORE)
    assert suite.kept == 5 and suite.content.count("def test_") == 5
    assert suite.dropped == [
        f"\"word_count('{'a ' * i}')\": enough cases of word_count already" for i in (6, 7)
    ]


def test_cli_scenarios_run_main_in_a_temp_dir_and_check_success_output(tmp_path):
    assert takes_argv(CLI) and not takes_argv(
        FileSpec(
            path="game.py",
            responsibility="game",
            interface=[FunctionSpec(name="main", signature="def main() -> None")],
        )
    )
    scenarios = CliTestCases.model_validate(
        {
            "cases": [],
            "cli": [
                {
                    "behaviour": "counts words",
                    "files": [{"name": "t.txt", "content": "one two"}],
                    "steps": [
                        {
                            "argv": ["python", "-m", "textstats.cli", "t.txt"],
                            "exit_code": 0,
                            "output": ["words: 2"],
                        }
                    ],
                },
                {
                    "behaviour": "missing file",
                    "files": [{"name": "a.txt", "content": "x"}],
                    "steps": [{"argv": ["nope.txt"], "exit_code": 1, "output": ["Error: gone"]}],
                },
                {
                    "behaviour": "reads a file it never made",
                    "files": [{"name": "a.txt", "content": "x"}],
                    "steps": [{"argv": ["data.txt"], "exit_code": 0, "output": ["words: 2"]}],
                },
                {
                    "behaviour": "escapes",
                    "files": [{"name": "../x.txt", "content": ""}],
                    "steps": [{"argv": ["x.txt"], "exit_code": 0}],
                },
            ],
        }
    )
    suite = case_tests(scenarios, CLI)
    assert suite.kept == 2 and "does not create it" in suite.dropped[0]
    assert "not a plain name" in suite.dropped[1]
    assert "_exit_code(main, ['t.txt']) == 0" in suite.content  # no program name in argv
    assert "Error: gone" not in suite.content  # error wording is not asserted
    files = {
        "textstats/core.py": GOOD_CORE,
        "textstats/cli.py": GOOD_CLI,
        "tests/test_cli.py": suite.content,
    }
    assert run_pytest(tmp_path / "ok", files).returncode == 0
    broken = GOOD_CLI.replace("return 1", "return 0")
    assert run_pytest(tmp_path / "bad", {**files, "textstats/cli.py": broken}).returncode == 1
    # main promises -> int: one that prints its answer and returns None fails the check
    silent = GOOD_CLI.replace("    return 0\n", "")
    assert run_pytest(tmp_path / "none", {**files, "textstats/cli.py": silent}).returncode == 1


def test_only_unusable_cases_mean_no_file():
    suite = case_tests(cases(case("word_count(x)", "1"), case("import os", "1")), CORE)
    assert suite.content is None and len(suite.dropped) == 2


def test_more_cases_than_the_grammar_allows_are_cut_not_rejected():
    many = [case(f"word_count('{i}')", "1") for i in range(15)]
    assert len(cases(*many).cases) == 12


def test_a_copy_of_a_dependency_function_becomes_an_import():
    design = Design.model_validate(
        {"title": "t", "summary": "s", "files": [CORE.model_dump(), CLI.model_dump()]}
    )
    copied = GOOD_CLI.replace(
        "from textstats.core import word_count\n",
        "",
    ).replace("\n\ndef main", "\n\ndef word_count(text):\n    return 99\n\n\ndef main")
    fixed = import_instead(CLI, copied, design)
    assert "return 99" not in fixed and "from textstats.core import word_count" in fixed
    compile(fixed, "cli.py", "exec")
    # its own interface is never replaced
    assert import_instead(CORE, GOOD_CORE, design) == GOOD_CORE


def test_forgotten_imports_of_dependencies_and_stdlib_modules_are_added():
    from softco.quality.repairs import import_missing

    design = Design.model_validate(
        {"title": "t", "summary": "s", "files": [CORE.model_dump(), CLI.model_dump()]}
    )
    forgot = (
        '"""CLI."""\n\n\ndef main(argv=None) -> int:\n'
        "    parser = argparse.ArgumentParser()\n"
        "    print(word_count(parser.prog), copy)\n    return 0\n"
    )
    fixed = import_missing(CLI, forgot, design)
    assert "import argparse\nfrom textstats.core import word_count\n" in fixed
    assert "import copy" not in fixed  # a bare undefined name stays the gate's finding
    assert fixed.startswith('"""CLI."""')
    compile(fixed, "cli.py", "exec")


def test_a_variable_named_after_the_function_it_calls_is_renamed(tmp_path):
    from softco.quality.repairs import unshadow

    src = (
        "from textstats.core import top_words\n\n\n"
        "def main(text):\n"
        "    # the top words\n"
        "    top_words = top_words(text, 2)\n"
        "    for word, count in top_words:\n"
        "        print(word)\n"
        "    return len(top_words)\n\n\n"
        "def other(top_words):\n    return top_words\n"
    )
    fixed = unshadow(src)
    assert "top_words_result = top_words(text, 2)" in fixed
    assert "in top_words_result:" in fixed and "len(top_words_result)" in fixed
    assert "# the top words" in fixed and fixed.endswith(
        "def other(top_words):\n    return top_words\n"
    )
    namespace: dict = {}
    exec(
        fixed.replace("from textstats.core import top_words", "top_words = lambda t, n: [(t, n)]"),
        namespace,
    )
    assert namespace["main"]("x") == 1
    assert unshadow("def f():\n    x = g()\n") == "def f():\n    x = g()\n"


def test_the_tester_writes_code_when_none_of_its_cases_survive(tmp_path):
    from softco.events import EventLog, read_events
    from softco.roles import tester

    design = Design.model_validate(
        {"title": "t", "summary": "s", "files": [CORE.model_dump(), CLI.model_dump()]}
    )
    bad = {"cases": [case("word_count(text)", "2"), case("word_count(3)", "'strings'")]}
    code = (
        "```python\nfrom textstats.core import word_count\n\n\n"
        "def test_two():\n    assert word_count('a b') == 2\n```"
    )
    llm, ctx = scripted_tester([bad, code], events=EventLog(tmp_path / "run"))
    suite = tester.write_suite(ctx, CORE, design, demo_prd())
    assert suite.path == "tests/test_core.py" and "def test_two" in suite.content
    schemas = [r.schema_name for r in llm.transport.requests]
    assert schemas == ["TestCases", "CodeOnly"]
    said = [e.text for e in read_events(tmp_path / "run") if e.type == "agent_message"]
    assert any("left out 2 case(s)" in t and "undefined text" in t for t in said)
    # with the switch off, the cases are never asked for
    _, ctx2 = scripted_tester([code])
    assert "def test_two" in tester.write_suite(ctx2, CORE, design, demo_prd(), cases=False).content


def test_expected_values_may_be_json_values_or_plain_text_for_a_str_function():
    spec = FileSpec(
        path="greet.py",
        responsibility="greeting",
        interface=[
            FunctionSpec(name="greet", signature="def greet(name: str) -> str"),
            FunctionSpec(name="pairs", signature="def pairs(n: int) -> list[tuple[int, int]]"),
        ],
    )
    suite = case_tests(
        TestCases.model_validate(
            {
                "cases": [
                    case("greet('Ann')", "Hello, Ann!"),  # the text itself
                    case("greet('Bo')", "'Hi, Bo'"),  # Python source
                    case("greet('')", "strings"),  # a type name, not a value
                    {"behaviour": "two", "call": "pairs(1)", "expected": [[0, 1]]},  # JSON
                ]
            }
        ),
        spec,
    )
    assert "greet('Ann') == 'Hello, Ann!'" in suite.content
    assert "greet('Bo') == 'Hi, Bo'" in suite.content
    assert "pairs(1) == [(0, 1)]" in suite.content
    assert len(suite.dropped) == 1 and "strings" in suite.dropped[0]


def test_a_main_call_among_the_cases_becomes_a_command_line_check():
    suite = case_tests(
        CliTestCases.model_validate(
            {
                "cases": [
                    case("main(['missing.txt'])", "1", "missing file"),
                    case("main(['example.txt'])", "0", "reads a file it never made"),
                    case("main(['x.txt'])", "words: 2", "prose"),
                ],
                "cli": [
                    {
                        "behaviour": "sums a file",
                        "files": [{"name": "other.txt", "content": "1"}],
                        "steps": [{"argv": ["nums.txt"], "exit_code": 0, "output": ["total: 3"]}],
                    }
                ],
            }
        ),
        CLI,
    )
    assert suite.kept == 1 and "_exit_code(main, ['missing.txt']) != 0" in suite.content
    assert len(suite.dropped) == 3  # two never-created files, one prose result


def test_a_failing_command_lines_exit_code_is_checked_only_where_the_brief_names_it():
    cases = CliTestCases.model_validate(
        {
            "cases": [
                case("main(['missing.txt'])", "1", "missing file"),
                case("main([])", "1", "no arguments"),
            ],
            "cli": [
                {
                    "behaviour": "usage error",
                    "files": [{"name": "t.txt", "content": "a"}],
                    "steps": [{"argv": ["t.txt", "--bogus"], "exit_code": 2}],
                }
            ],
        }
    )
    # todo's tester: `main(['tasks.json']) == 1` where argparse's usage error exits 2
    assert "_exit_code(main, ['missing.txt']) != 0" in (case_tests(cases, CLI).content or "")
    main = FunctionSpec(
        signature="def main(argv: list[str] | None = None) -> int",
        docstring="Print the count; returns 1 for a missing file, 0 on success.",
    )
    stated = CLI.model_copy(update={"interface": [main]})
    written = case_tests(cases, stated).content or ""
    assert "_exit_code(main, ['missing.txt']) == 1" in written
    assert "_exit_code(main, ['t.txt', '--bogus']) != 0" in written  # 2 is named nowhere
    # a stated 1 is for the missing file, not for a command line argparse refuses (2)
    assert "_exit_code(main, []) != 0" in written
    assert stated_codes(stated) == {0, 1} and stated_codes(CLI) == set()


def test_an_empty_argv_default_becomes_the_process_arguments():
    from softco.quality.cli_argv import argv_default
    from softco.quality.repairs import tidy

    design = Design.model_validate(
        {"title": "t", "summary": "s", "files": [CORE.model_dump(), CLI.model_dump()]}
    )
    src = (
        '"""CLI."""\nfrom __future__ import annotations\n\nimport argparse\n\n\n'
        "def main(argv=None):\n    if argv is None:\n        argv = []\n    return len(argv)\n"
    )
    fixed = tidy(CLI, src, design)
    assert "argv = sys.argv[1:]" in fixed and "import argparse\nimport sys\n" in fixed
    compile(fixed, "cli.py", "exec")  # the import lands after the __future__ line
    assert argv_default(fixed) == fixed
    library = "def run(cmd, args=None):\n    if args is None:\n        args = []\n    return args\n"
    assert argv_default(library) == library


def test_a_module_importing_itself_loses_that_line():
    from softco.quality.repairs import drop_self_import

    src = (
        "from textstats.core import word_count, top_words\nimport re\n\n\ndef f():\n    return 1\n"
    )
    assert drop_self_import(CORE, src) == "import re\n\n\ndef f():\n    return 1\n"
    assert drop_self_import(CLI, src) == src  # importing core from the CLI is right


def test_odd_model_output_drops_the_case_instead_of_failing_the_file():
    spec = FileSpec(
        path="geo.py",
        responsibility="geometry",
        interface=[
            FunctionSpec(name="point", signature="def point(x: int) -> tuple[int, int] | None"),
            FunctionSpec(name="same", signature="def same(x: int) -> bool"),
        ],
    )
    suite = case_tests(
        cases(
            case("point(1)", [1, 2], "a point"),
            case("point(-1)", "None", "no point"),
            case("point(2)", "5", "not a tuple"),
            case("same(1) == True", "True", "chained"),
            case("point(3)", "1e400", "infinite"),
            case("len('abc')", "3", "no module name"),
            case("point(" + "1+" * 3000 + "1)", "1", "deep"),
            {
                "behaviour": "loop",
                "setup": ["t = 0", "for i in range(3):", "    t += i"],
                "call": "point(t)",
                "expected": "(3, 4)",
            },
        ),
        spec,
    )
    assert "assert point(1) == (1, 2)" in suite.content  # JSON list -> tuple through the union
    assert "assert point(-1) is None" in suite.content
    assert "assert (same(1) == True) is True" in suite.content
    assert "    for i in range(3):\n        t += i\n" in suite.content
    compile(suite.content, "test_geo.py", "exec")
    assert suite.kept == 4 and len(suite.dropped) == 4


def test_an_argparse_exit_is_read_as_the_exit_code(tmp_path):
    cli = """\
import argparse


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    args = parser.parse_args(argv)
    print(args.n * 2)
    return 0
"""
    scenarios = CliTestCases.model_validate(
        {
            "cases": [],
            "cli": [
                {
                    "behaviour": "help",
                    "files": [{"name": "a.txt", "content": "x"}],
                    "steps": [{"argv": ["--help"], "exit_code": 0}],
                },
                {
                    "behaviour": "usage",
                    "files": [{"name": "a.txt", "content": "x"}],
                    "steps": [{"argv": [], "exit_code": 2}],
                },
                {
                    "behaviour": "doubles",
                    "files": [{"name": "a.txt", "content": "x"}],
                    "steps": [{"argv": ["2"], "exit_code": 0, "output": ["4"]}],
                },
            ],
        }
    )
    suite = case_tests(scenarios, CLI)
    files = {
        "textstats/core.py": GOOD_CORE,
        "textstats/cli.py": cli,
        "tests/test_cli.py": suite.content,
    }
    result = run_pytest(tmp_path, files)
    assert result.returncode == 0 and "3 passed" in result.stdout


def test_a_loop_variable_that_is_called_is_not_renamed():
    from softco.quality.repairs import unshadow

    src = (
        "def step(x):\n    return x\n\n\n"
        "def run(steps, x):\n    for step in steps:\n        x = step(x)\n    return x\n"
    )
    assert unshadow(src) == src
    annotated = (
        "class Config:\n    pass\n\n\ndef load() -> Config:\n    c = Config()\n    return c\n"
    )
    assert unshadow(annotated) == annotated


def test_functions_the_first_answer_left_out_are_asked_for_once(tmp_path):
    from softco.roles import tester

    first = {"cases": [case("word_count('a b')", "2"), case("word_count('')", "0")]}
    second = {"cases": [case("top_words('b a b', 1)", [["b", 2]]), case("save('x', 'y')", "7")]}
    llm, ctx = scripted_tester([first, second])
    suite = tester.write_cases(ctx, CORE, demo_prd())
    asked = [r.messages[-1]["content"] for r in llm.transport.requests]
    assert len(asked) == 2 and '"cases" call only top_words, save.' in asked[1]
    assert "def word_count" in asked[0] and "def word_count" not in asked[1]
    assert suite.covered == {"word_count", "top_words"} and suite.kept == 3
    # the grammar stops each answer at what the quota per function keeps
    caps = [r.json_schema["properties"]["cases"]["maxItems"] for r in llm.transport.requests]
    assert caps == [12, 2 * PER_NAME]
    assert "top_words('b a b', 1) == [('b', 2)]" in suite.content


def test_a_scenario_copying_the_prompts_placeholders_is_left_out():
    copied = CliTestCases.model_validate(
        {
            "cases": [],
            "cli": [
                {
                    "behaviour": "<what the command does>",
                    "files": [{"name": "in.txt", "content": "a b"}],
                    "steps": [
                        {"argv": ["in.txt"], "exit_code": 0, "output": ["<a line it prints>"]}
                    ],
                }
            ],
        }
    )
    suite = case_tests(copied, CLI)
    assert suite.content is None and "placeholders" in suite.dropped[0]


def test_cases_naming_a_file_run_in_their_own_directory(tmp_path):
    todo = FileSpec(
        path="todo.py",
        responsibility="todo list",
        interface=[FunctionSpec(name="add", signature="def add(path: str, text: str) -> int")],
    )
    code = (
        "import json, os\n\n\ndef add(path: str, text: str) -> int:\n"
        "    items = json.load(open(path)) if os.path.exists(path) else []\n"
        "    items.append(text)\n    json.dump(items, open(path, 'w'))\n    return len(items)\n"
    )
    suite = case_tests(
        cases(case("add('tasks.json', 'milk')", "1", "first"), case("add('t.json', 'x')", "1")),
        todo,
    )
    assert suite.content.count("monkeypatch.chdir(tmp_path)") == 2
    files = {"todo.py": code, "tests/test_todo.py": suite.content, "textstats/x.py": ""}
    first = run_pytest(tmp_path, files)
    again = run_pytest(tmp_path, files)  # a second run finds no tasks.json left behind
    assert first.returncode == again.returncode == 0
    assert not (tmp_path / "tasks.json").exists()


def test_a_file_named_missing_is_not_created_and_main_runs_as_a_script(tmp_path):
    from softco.quality.cli_argv import main_guard

    missing = CliTestCases.model_validate(
        {
            "cases": [],
            "cli": [
                {
                    "behaviour": "missing file",
                    "files": [{"name": "missing.txt", "content": ""}],
                    "steps": [{"argv": ["missing.txt"], "exit_code": 1}],
                }
            ],
        }
    )
    suite = case_tests(missing, CLI)
    assert "missing.txt').write_text" not in suite.content
    files = {
        "textstats/core.py": GOOD_CORE,
        "textstats/cli.py": GOOD_CLI,
        "tests/test_cli.py": suite.content,
    }
    assert run_pytest(tmp_path, files).returncode == 0
    guarded = main_guard(CLI, GOOD_CLI)
    assert guarded.endswith('if __name__ == "__main__":\n    raise SystemExit(main())\n')
    assert main_guard(CLI, guarded) == guarded and main_guard(CORE, GOOD_CORE) == GOOD_CORE
    (tmp_path / "t.txt").write_text("a b c")
    ran = subprocess.run(
        [sys.executable, "-m", "textstats.cli", "t.txt"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(tmp_path)},
    )
    assert ran.returncode == 0 and ran.stdout == ""  # without the guard nothing runs
    (tmp_path / "textstats" / "cli.py").write_text(guarded)
    ran = subprocess.run(
        [sys.executable, "-m", "textstats.cli", "t.txt"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ran.returncode == 0 and "words: 3" in ran.stdout


def test_an_unusable_second_answer_keeps_the_first_answers_cases():
    from softco.roles import tester

    first = {"cases": [case("word_count('a b')", "2")]}
    llm, ctx = scripted_tester([first], default="not json at all")
    suite = tester.write_cases(ctx, CORE, demo_prd())
    assert suite.kept == 1 and "word_count('a b') == 2" in suite.content
    assert len(llm.transport.requests) == 4  # the first answer, then 1 + 2 re-asks that failed


def test_a_scenario_leaving_out_an_option_the_usage_always_has_is_dropped():
    from softco.artifacts.stated import stated_interface

    stated = stated_interface(
        "todo.py: add(path: str, text: str) -> int; "
        "main(argv: list[str] | None = None) -> int with `--file PATH add TEXT | list [--all]`."
    )
    spec = FileSpec(path="todo.py", responsibility="todo", interface=stated["todo.py"])

    def scenario(argv, code):
        return {
            "behaviour": "lists",
            "files": [{"name": "t.json", "content": "[]"}],
            "steps": [{"argv": argv, "exit_code": code}],
        }

    suite = case_tests(
        CliTestCases.model_validate(
            {
                "cases": [],
                "cli": [
                    scenario(["t.json", "list"], 0),  # no --file: not a command the brief offers
                    scenario(["--file", "t.json", "list"], 0),
                    scenario(["--file=t.json", "list", "--all"], 0),
                    scenario(["list"], 2),  # the usage error itself may be tested
                ],
            }
        ),
        spec,
    )
    assert suite.kept == 3
    assert suite.dropped == [
        "CLI 'lists': leaves out --file, which the usage `--file PATH add TEXT | list [--all]` "
        "always has"
    ]


def test_a_behaviour_copied_from_the_prompt_example_does_not_name_a_test():
    from softco.quality.case_tests import PROMPT_EXAMPLES
    from softco.roles.base import render

    prompt = render(
        "tester.cases",
        path="m.py",
        interface="def f() -> int:",
        names="f",
        stories="",
        cli=False,
        feedback="",
    )
    assert all(f'"behaviour": "{b}"' in prompt for b in PROMPT_EXAMPLES)  # kept in sync
    suite = case_tests(cases(case("word_count('a b')", "2", "adds two numbers")), CORE)
    assert "def test_word_count_case():" in suite.content


def test_an_interactive_main_is_never_asked_for_as_a_case(tmp_path):
    from softco.roles import tester

    game = FileSpec(
        path="guess.py",
        responsibility="a guessing game",
        interface=[
            FunctionSpec(
                name="GuessGame",
                signature="class GuessGame",
                docstring="Constructor: GuessGame(secret: int).\nMethods:\n  guess(n: int) -> str",
            ),
            FunctionSpec(name="main", signature="def main()", docstring="plays using input()"),
        ],
    )
    answer = {
        "cases": [
            case("g.guess(7)", "'correct'", setup=["g = GuessGame(7)"]),
            case("main()", "None"),
        ]
    }
    llm, ctx = scripted_tester([answer])
    suite = tester.write_cases(ctx, game, demo_prd())
    asked = [r.messages[-1]["content"] for r in llm.transport.requests]
    assert len(asked) == 1
    # a class is said as the methods of an object made in setup: told "call only
    # GuessGame", the 1.5B tester wrote twelve constructors and no method call
    assert (
        '"cases" call only the methods guess of a GuessGame made in "setup" (e.g. "setup": '
        '["g = GuessGame(<secret>)"], "call": "g.guess(<n>)").'
    ) in asked[0]
    assert "def main" not in asked[0].split("Requirements", 1)[0]
    assert suite.covered == {"GuessGame"} and suite.kept == 1
    # a module offering nothing but an interactive main is still asked about it
    alone = game.model_copy(update={"interface": [game.interface[1]]})
    llm, ctx = scripted_tester([{"cases": [case("main()", "None")]}])
    tester.write_cases(ctx, alone, demo_prd())
    assert '"cases" call only main.' in llm.transport.requests[0].messages[-1]["content"]
