"""What a program returns for a test's call, so sampled programs can outvote a wrong expectation.

A test written from the tester's case is ``assert (top_n({'a': 2, 'b': 2}, 1))
== [('b', 2)]``. When three or more independently sampled implementations all
fail it (``agreement.suspect_tests``), the expected value is the likelier
culprit; until now such a test was removed, and with it the only check of
that call. If every sampled program *returns the same value* for the call,
that agreement is the better oracle (CodeT's dual execution agreement, applied
to the value): the test is kept with the agreed value and a comment saying
what the tester had expected. A probe script evaluates the calls of a
case-written test file under one program; ``pin_expected`` rewrites the assert.
"""

from __future__ import annotations

import ast
import json
import textwrap

from softco.quality.case_checks import literal_value
from softco.quality.reshape import source_lines, with_pytest_import

PROBE_MARK = "SOFTCO-PROBE "
PIN_NOTE = "independently sampled implementations agree"
MAX_REPR = 2000  # a longer value is no readable expectation (and would bloat the state)
# helpers of every probe script: one text per value, and a strict equality
CANON_LINES = (
    "def _same(a, b):",
    "    # equal and of the same types all the way down: a repr that merely looks",
    "    # like a literal (a class printing '(1, 2)') is no value a test can expect",
    "    if type(a) is not type(b):",
    "        return False",
    "    if isinstance(a, (list, tuple)):",
    "        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))",
    "    if isinstance(a, dict):",
    "        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)",
    "    return a == b",
    "",
    "",
    "def _canon(v):",
    "    # one text per value: dict items and set members sorted, so programs (and",
    "    # processes, whose string hashing differs) that build equal values agree",
    "    if isinstance(v, dict):",
    "        items = sorted(_canon(k) + ': ' + _canon(x) for k, x in v.items())",
    "        return '{' + ', '.join(items) + '}'",
    "    if type(v) is set and v:",
    "        return '{' + ', '.join(sorted(_canon(x) for x in v)) + '}'",
    "    if isinstance(v, list):",
    "        return '[' + ', '.join(_canon(x) for x in v) + ']'",
    "    if isinstance(v, tuple):",
    "        return '(' + ', '.join(_canon(x) for x in v) + (',)' if len(v) == 1 else ')')",
    "    return repr(v)",
    "",
    "",
)


def _approx(node: ast.expr) -> ast.expr | None:
    """The argument of ``pytest.approx(x)`` / ``approx(x)``, else None."""
    if isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords:
        f = node.func
        name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
        if name == "approx":
            return node.args[0]
    return None


def probe_targets(test_source: str) -> dict[str, tuple[list[str], str]]:
    """``{test: (setup, call)}`` for fixture-free tests ending in ``assert call == literal``."""
    try:
        tree = ast.parse(test_source)
    except SyntaxError:
        return {}
    found: dict[str, tuple[list[str], str]] = {}
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef) or not fn.name.startswith("test"):
            continue
        if fn.args.args or fn.args.kwonlyargs or fn.decorator_list or not fn.body:
            continue  # fixtures or parametrization: not a plain call
        *setup, last = fn.body
        if not (
            isinstance(last, ast.Assert)
            and isinstance(last.test, ast.Compare)
            and len(last.test.ops) == 1
            and isinstance(last.test.ops[0], ast.Eq | ast.Is)
        ):
            continue
        expected = last.test.comparators[0]
        inner = _approx(expected)
        if not (literal_value(expected)[0] or (inner and literal_value(inner)[0])):
            continue
        if not all(isinstance(s, ast.Assign | ast.Expr) for s in setup):
            continue
        if last.lineno == fn.lineno or (setup and setup[-1].end_lineno == last.lineno):
            continue  # shares its line (``x = 2; assert ...``): cannot be rewritten alone
        if PIN_NOTE in (ast.get_source_segment(test_source, fn) or ""):
            continue  # pinned once already: if it fails again, the pin was wrong
        found[fn.name] = ([ast.unparse(s) for s in setup], ast.unparse(last.test.left))
    return found


def probe_script(test_source: str, names: set[str]) -> str | None:
    """A script printing ``repr`` of each named test's call (literal values only)."""
    targets = {n: t for n, t in probe_targets(test_source).items() if n in names}
    if not targets:
        return None
    tree = ast.parse(test_source)
    lines = [ast.unparse(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    lines += ["", "_PROBES = {}"]
    for i, (name, (setup, call)) in enumerate(sorted(targets.items())):
        lines += ["", f"def _probe_{i}():"]
        lines += [textwrap.indent(s, "    ") for s in setup] + [f"    return ({call})"]
        lines += [f"_PROBES[{name!r}] = _probe_{i}"]
    lines += [
        "",
        "import ast as _ast",
        "import json as _json",
        "",
        "",
        *CANON_LINES,
        "_out = {}",
        "for _name, _fn in _PROBES.items():",
        "    try:",
        "        _got = _fn()",
        "        _value = _canon(_got)",
        f"        if len(_value) > {MAX_REPR} or not _same(_ast.literal_eval(_value), _got):",
        "            continue",
        "    except BaseException:",
        "        continue",
        "    _out[_name] = _value",
        f"print({PROBE_MARK!r} + _json.dumps(_out))",
    ]
    return "\n".join(lines) + "\n"


def parse_probe(stdout: str) -> dict[str, str]:
    """The ``{test: repr}`` line a probe script printed ({} if none)."""
    for line in reversed(stdout.splitlines()):
        if line.startswith(PROBE_MARK):
            try:
                data = json.loads(line[len(PROBE_MARK) :])
            except ValueError:
                return {}
            return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    return {}


def pin_expected(test_source: str, name: str, value: str, agreed: int) -> str | None:
    """``test_source`` with test ``name`` expecting ``value`` (a repr); None if not a target.

    A float is compared with ``pytest.approx``; ``None``/``True``/``False``
    with ``is``. A comment above the assert keeps what the tester had said.
    """
    if name not in probe_targets(test_source):
        return None
    tree = ast.parse(test_source)
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    last = fn.body[-1]
    assert isinstance(last, ast.Assert) and isinstance(last.test, ast.Compare)
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    call = ast.unparse(last.test.left)
    said = ast.unparse(last.test.comparators[0])
    if parsed is None or isinstance(parsed, bool):
        check = f"assert ({call}) is {value}"
    elif isinstance(parsed, float):
        check = f"assert ({call}) == pytest.approx({value})"
    else:
        check = f"assert ({call}) == {value}"
    lines = source_lines(test_source)
    indent = " " * last.col_offset
    note = f"# {agreed} {PIN_NOTE}; the tester expected {said}"
    lines[last.lineno - 1 : last.end_lineno] = [
        f"{indent}{note[:200]}",
        f"{indent}{check}",
    ]
    result = "\n".join(lines) + "\n"
    if "pytest.approx" in check:
        result = with_pytest_import(result)
    try:
        ast.parse(result)
    except SyntaxError:
        return None
    return result
