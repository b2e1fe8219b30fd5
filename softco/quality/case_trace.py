"""What the code did on a failing test: execution feedback a small model can act on.

A pytest failure says ``assert None == {'date': ...}``; it does not say *why*
``parse_line`` returned None. Shown only that, a 1.5B model rewrites the same
wrong idea (logstats: ``int('14:30:00')`` on the whole time field, in seven of
eight samples). Runtime facts name the wrong line (LDB, "debugging with
runtime execution information"): which ``return`` gave the value and what
the locals held there, and which exceptions the code raised and swallowed on
the way. A trace script runs each failing fixture-free test under
``sys.settrace``, watching only frames of the module under repair; its
``SOFTCO-TRACE`` line is read by ``parse_trace`` and told in words by
``describe_trace``.
"""

from __future__ import annotations

import ast
import json

from softco.artifacts.reports import case_file
from softco.quality.reshape import source_lines

TRACE_MARK = "SOFTCO-TRACE "
MAX_TOP_CALLS = 3  # calls into the module per test that are told (the last ones)
MAX_TEXT = 900  # of the feedback: the pytest messages that follow need room too

_SCRIPT = """\
import importlib as _importlib
import json as _json
import os as _os
import pathlib as _pathlib
import sys as _sys
import tempfile as _tempfile

_TARGET = _os.path.abspath({target!r})
_TESTS = {tests!r}


def _short(value, limit=70, show=repr):
    try:
        text = show(value)
    except Exception:
        text = '<unprintable>'
    return text if len(text) <= limit else text[: limit - 3] + '...'


def _mine(frame):
    return frame is not None and _os.path.abspath(frame.f_code.co_filename) == _TARGET


def _run(fn, kwargs):
    calls = []

    def tracer(frame, event, arg):
        if event != 'call' or not _mine(frame) or frame.f_code.co_name.startswith('<'):
            return None
        top = not _mine(frame.f_back)
        code = frame.f_code
        names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
        args = [[n, _short(frame.f_locals.get(n))] for n in names if n not in ('self', 'cls')]
        if top:
            calls.append({{'func': code.co_name, 'args': args, 'raised': [], 'inner': []}})
            del calls[:-{keep}]  # a test looping over calls: the last ones are told
        if not calls:
            return None
        rec = calls[-1]
        state = {{'raising': False}}

        def local(frame, event, arg):
            if event == 'exception':
                state['raising'] = True
                item = [code.co_name, frame.f_lineno, arg[0].__name__, _short(arg[1], 100, str)]
                if item not in rec['raised'] and len(rec['raised']) < 3:
                    rec['raised'].append(item)
            elif event == 'line':
                state['raising'] = False
            elif event == 'return':
                if top:
                    rec['line'] = frame.f_lineno
                    rec['escaped'] = state['raising']
                    rec['value'] = _short(arg)
                    rec['locals'] = [
                        [k, _short(v)]
                        for k, v in frame.f_locals.items()
                        if k not in names and k not in ('self', 'cls') and not k.startswith('_')
                        and not callable(v) and not isinstance(v, type(_sys))
                    ][:6]
                elif len(rec['inner']) < 2 and not state['raising']:
                    rec['inner'].append([code.co_name, args, _short(arg)])
            return local

        return local

    _sys.settrace(tracer)
    try:
        fn(**kwargs)
        outcome = 'passed'
    except BaseException as exc:
        outcome = type(exc).__name__
    finally:
        _sys.settrace(None)
    return {{'outcome': outcome, 'calls': calls}}


for _case, _module, _name in _TESTS:
    try:
        _fn = getattr(_importlib.import_module(_module), _name)
        _params = _fn.__code__.co_varnames[: _fn.__code__.co_argcount]
        if set(_params) - {{'tmp_path'}}:
            continue
        _kwargs = {{'tmp_path': _pathlib.Path(_tempfile.mkdtemp())}} if _params else {{}}
        _traced = _run(_fn, _kwargs)
    except BaseException:
        continue
    # one line per test: a long or hanging test loses only its own trace
    print({mark!r} + _json.dumps({{_case: _traced}}), flush=True)
"""


def trace_script(module_path: str, cases: list[str]) -> str | None:
    """A script tracing calls into ``module_path`` during each named module-level test.

    ``cases`` are pytest ids (``tests.test_x::test_y``); a parametrized case
    is skipped, a method of a test class is not found as a module attribute
    and skipped, and so is a test asking for a fixture other than
    ``tmp_path`` (the script calls the function itself). Only the last
    ``MAX_TOP_CALLS`` calls into the module per test are kept.
    """
    tests = [
        (case, case_file(case), case.split("::")[1])
        for case in cases
        if case.count("::") == 1 and "[" not in case
    ]
    if not tests:
        return None
    return _SCRIPT.format(
        target=module_path.lstrip("/"), tests=tests, mark=TRACE_MARK, keep=MAX_TOP_CALLS
    )


def parse_trace(stdout: str) -> dict[str, dict]:
    """The ``{case: {outcome, calls}}`` a trace script printed, one line per test ({} if none)."""
    found: dict[str, dict] = {}
    for line in stdout.splitlines():
        if line.startswith(TRACE_MARK):
            try:
                data = json.loads(line[len(TRACE_MARK) :])
            except ValueError:
                continue  # cut by the sandbox's output limit: that test is untold
            if isinstance(data, dict):
                found.update({k: v for k, v in data.items() if isinstance(v, dict)})
    return found


def _line(lines: list[str], number: object) -> str:
    if isinstance(number, int) and 0 < number <= len(lines):
        return f"line {number} `{lines[number - 1].strip()[:90]}`"
    return f"line {number}"


def _call(func: str, args: list) -> str:
    return f"{func}({', '.join(f'{n}={v}' for n, v in args)})"


def _guards(source: str) -> dict[int, str]:
    """``{line: test}``: the ``if`` condition each line of an ``if`` body sits under (innermost)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    found: dict[int, tuple[int, str]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.If) or not node.body:
            continue
        test = ast.unparse(node.test)[:90]
        for line in range(node.body[0].lineno, (node.body[-1].end_lineno or 0) + 1):
            if line not in found or found[line][0] < node.lineno:
                found[line] = (node.lineno, test)
    return {line: test for line, (_, test) in found.items()}


def describe_call(rec: dict, lines: list[str], guards: dict[int, str] | None = None) -> list[str]:
    """One top-level call told in a few lines: its result, where it came from, what it swallowed."""
    said = [f"{_call(rec.get('func', '?'), rec.get('args') or [])}"]
    if "line" not in rec:
        return said
    if rec.get("escaped"):
        said[0] += f" raised out of {_line(lines, rec['line'])}"
        raised = rec.get("raised") or []
        if raised:
            said[0] += f": {raised[-1][2]}: {raised[-1][3]}"
    else:
        said[0] += f" returned {rec.get('value')} from {_line(lines, rec['line'])}"
        guard = (guards or {}).get(rec["line"]) if isinstance(rec["line"], int) else None
        if guard:
            said[0] += f", because `{guard}` was true"
        held = ", ".join(f"{k}={v}" for k, v in rec.get("locals") or [])
        if held:
            said.append(f"  its local variables there: {held}")
        for func, line, kind, message in rec.get("raised") or []:
            said.append(f"  on the way, {_line(lines, line)} in {func}() raised {kind}: {message}")
    for func, args, value in rec.get("inner") or []:
        said.append(f"  it called {_call(func, args)}, which returned {value}")
    return said


def describe_trace(traces: dict[str, dict], module_source: str) -> str:
    """The traces of failing tests as feedback text (at most ``MAX_TEXT`` characters)."""
    lines, guards = source_lines(module_source), _guards(module_source)
    parts: list[str] = []
    for case, trace in sorted(traces.items()):
        calls = [c for c in trace.get("calls") or [] if isinstance(c, dict)]
        if trace.get("outcome") == "passed" or not calls:
            continue
        told = [
            line for rec in calls[-MAX_TOP_CALLS:] for line in describe_call(rec, lines, guards)
        ]
        parts.append(f"{case.rsplit('::', 1)[-1]}:\n" + "\n".join(f"  {t}" for t in told))
    text = ""
    for part in sorted(parts, key=len):  # short first: a leaf function's own test tells most
        if len(text) + len(part) + 1 <= MAX_TEXT:
            text += part + "\n"
    return text.strip()
