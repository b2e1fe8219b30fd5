"""A tester's command-line case written as test lines (split from ``case_tests``).

A ``CliCase`` gives files to create and command lines with their exit code and
printed lines; ``cli_lines`` writes them as steps of one pytest function,
dropping a case that copies the prompt's placeholders, points outside the
test's directory, reads a file it never creates or leaves out an option the
brief's usage line always has. ``EXIT_CODE``/``EXIT_CODE_INT`` are the helper
the test file defines; ``takes_argv`` says whether ``main`` takes an argv at all.
A failing command line's exact code is checked only when the brief names it
(``stated_codes``); otherwise the test expects a non-zero code.
"""

from __future__ import annotations

import re

from softco.artifacts import FileSpec, module_name
from softco.artifacts.cases import CliCase
from softco.quality.case_checks import required_options, stated_signatures, usage_lines

_FILE_NAME = re.compile(r"^[\w][\w.-]*$")
FILE_ARG = re.compile(r"^[\w./-]*\w\.[A-Za-z]{1,4}$")


def _strip_program(argv: list[str], spec: FileSpec) -> list[str]:
    """``python -m pkg.cli FILE`` or ``cli.py FILE`` written as argv: main gets only FILE."""
    module = module_name(spec.path)
    stem = spec.path.rsplit("/", 1)[-1]
    argv = list(argv)
    if argv[:1] in (["python"], ["python3"]):
        argv = argv[1:]
        if argv[:2] == ["-m", module]:
            argv = argv[2:]
    if argv[:1] and argv[0] in {spec.path, stem, module}:
        argv = argv[1:]
    return argv


_PLACEHOLDER = re.compile(r"<[^<>]*>")
_MEANT_ABSENT = re.compile(
    r"missing|nonexist|non_exist|not[_-]?found|does[_-]?not[_-]?exist|no[_-]?such", re.I
)


def cli_lines(case: CliCase, spec: FileSpec) -> tuple[list[str] | None, str]:
    """The test lines for one command-line case, or None and why it is dropped."""
    texts = [f.name for f in case.files] + [a for st in case.steps for a in [*st.argv, *st.output]]
    if any(_PLACEHOLDER.search(t) for t in texts):
        return None, "copies the prompt's <placeholders>"
    lines = ["monkeypatch.chdir(tmp_path)"]
    for f in case.files:
        if not _FILE_NAME.fullmatch(f.name) or ".." in f.name:
            return None, f"file name {f.name!r} is not a plain name"
        if _MEANT_ABSENT.search(f.name):
            # the grammar asks for at least one file; "missing.txt" is meant not to exist
            continue
        lines.append(f"(tmp_path / {f.name!r}).write_text({f.content!r}, encoding='utf-8')")
    given = {f.name for f in case.files if not _MEANT_ABSENT.search(f.name)}
    stated = stated_codes(spec)  # the exit codes main's description names
    for n, step in enumerate(case.steps):
        argv = _strip_program(step.argv, spec)
        if any(a.startswith("/") or ".." in a.split("/") for a in argv):
            return None, "an argument points outside the test's directory"
        absent = [
            arg
            for i, arg in enumerate(argv)
            if FILE_ARG.fullmatch(arg) and arg not in given and (i == 0 or argv[i - 1][:1] != "-")
        ]
        if n == 0 and step.exit_code == 0 and absent:
            # an input file the case never created: the "success" it expects cannot happen
            return None, f"reads {absent[0]!r} but does not create it in files"
        required, usage = required_options(spec)
        left_out = [
            o for o in sorted(required) if not any(a == o or a.startswith(o + "=") for a in argv)
        ]
        if step.exit_code == 0 and left_out and not {"-h", "--help"} & set(argv):
            return None, f"leaves out {left_out[0]}, which the usage `{usage}` always has"
        misuse = not argv or bool(left_out) or _unknown_option(argv, spec)
        if step.exit_code != 0 and (
            step.exit_code not in stated or (misuse and step.exit_code != 2 and 2 not in stated)
        ):
            # which non-zero code a failure gives is the tester's guess unless the brief
            # says it (todo: `main(['tasks.json']) == 1` where argparse's usage error is 2);
            # a stated code is for the failure it names, not for a malformed command line
            lines.append(f"assert _exit_code(main, {argv!r}) != 0")
        else:
            lines.append(f"assert _exit_code(main, {argv!r}) == {step.exit_code}")
        wanted = [line.strip() for line in step.output if line.strip()]
        if step.exit_code == 0 and wanted:
            # error wording is rarely specified; output is checked on success only
            lines.append("out = capsys.readouterr().out")
            lines += [f"assert {line!r} in out" for line in wanted]
        else:
            lines.append("capsys.readouterr()")
    return lines, ""


# a return/exit word and what follows it up to the end of the sentence
_CODE_WORDS = re.compile(r"(?i)\b(?:exit|exits|returns?|status|code)\b([^.]{0,60})")


def _unknown_option(argv: list[str], spec: FileSpec) -> bool:
    """Whether ``argv`` has an option that no usage line of the brief shows (``--bogus``)."""
    shown = " ".join(usage_lines(spec))
    return any(
        a.startswith("-") and a not in ("-h", "--help") and a.split("=", 1)[0] not in shown
        for a in argv
        if len(a) > 1 and not a[1:].replace(".", "").isdigit()  # -3 is a number
    )


def stated_codes(spec: FileSpec) -> set[int]:
    """The numbers main's description (or the module's responsibility) names: codes it fixes.

    "returns 1 for a missing file" or "exit code 2 on a usage error" fixes that
    number; a number not after such a word ("ids start at 1") fixes nothing, and
    a failing command line is then only expected to fail.
    """
    words = " ".join(
        [spec.responsibility, *(fn.docstring for fn in spec.interface if fn.name == "main")]
    )
    return {
        int(n)
        for span in _CODE_WORDS.findall(words)
        for n in re.findall(r"(?<![\w.])\d{1,3}(?![\w]|\.\d)", span)
    }


EXIT_CODE = '''def _exit_code(main, argv):
    """main's exit code, also when argparse exits (usage error, --help)."""
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    return 0 if code is None else code
'''
# where the interface promises ``main(...) -> int``, a main that returns None fails
# ``== 0`` as the brief's own checks do (a ``return 0`` -> ``return None`` mutant survived)
EXIT_CODE_INT = '''def _exit_code(main, argv):
    """main's exit code (an int, as the interface says), also when argparse exits."""
    try:
        return main(argv)
    except SystemExit as exc:
        return 0 if exc.code is None else exc.code
'''


def takes_argv(spec: FileSpec) -> bool:
    """Whether ``spec`` offers ``main`` with an argv parameter (an interactive main does not)."""
    fn = stated_signatures(spec).get("main")
    if fn is None:
        return False
    return bool(fn.args.posonlyargs or fn.args.args) or fn.args.vararg is not None
