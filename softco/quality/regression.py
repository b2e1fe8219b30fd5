"""Regression tests chosen by the mutants they notice.

A probe script (``probe_runner``) runs every ``probes.Probe`` of a module in
a fresh working directory and prints what each returned, raised or printed.
Run under the delivered code and under each of its mutants
(``quality.mutants``), it says which probes tell the two apart;
``choose`` keeps the fewest, shortest probes that notice the most mutants the
suite misses, and ``render_tests`` writes them as pytest tests expecting what
the delivered code does. Such a test records behaviour, not a requirement: it
guards the delivered code against a change nobody meant (the requirements
are the other tests' business, and the hidden acceptance tests' in
``softco eval``).
"""

from __future__ import annotations

import ast
import builtins
import json
import re

from softco.quality.case_probe import CANON_LINES, MAX_REPR
from softco.quality.probes import Probe

PROBE_SECONDS = 2  # a call slower than this is no unit test
RUNNER_SECONDS = 40  # all probes of one run: a mutant that hangs them leaves the rest unknown
MAX_PRINTED = 500  # longer output is no readable expectation
RUNNER = "softco_regression_probe.py"
OUTCOMES = "softco_regression_outcomes.json"


def probe_runner(module: str, probes: list[Probe], lenient: bool = False, seed: int = 1) -> str:
    """A script writing ``{index: outcome}`` for each probe to ``OUTCOMES`` as JSON.

    An outcome is ``["ok", canonical repr, stdout]``, ``["raises", name,
    module, qualified name]`` or ``["skip", why]`` (setup failed, too slow, no
    literal value). The script runs itself again under ``PYTHONHASHSEED=seed``:
    runs under two seeds tell a value that follows set order from one a test
    can expect.
    The module is reloaded per probe, in a fresh temporary directory, so no
    state leaks from one probe into the next. A file, not stdout, carries the
    outcomes: the sandbox caps a process's output. ``lenient`` runs only the
    setups, skipping a statement that raises, and reports ``["ran", "0,2"]``
    (the statements that ran): a random sequence of moves keeps its legal
    ones (``kept_setup``) instead of being lost to its first illegal one.
    """
    data = json.dumps([[list(p.setup), p.call] for p in probes])
    lines = [
        "import os as _os",
        "import sys as _sys",
        "",
        f"if _os.environ.get('PYTHONHASHSEED') != '{seed}':",
        f"    _os.environ['PYTHONHASHSEED'] = '{seed}'",
        "    _os.execv(_sys.executable, [_sys.executable, *_sys.argv])",
        "",
        "import ast as _ast",
        "import contextlib as _ctx",
        "import importlib as _imp",
        "import io as _io",
        "import json as _json",
        "import signal as _signal",
        "import tempfile as _tempfile",
        "import time as _time",
        "",
        "",
        "class _Slow(BaseException):",
        "    pass",
        "",
        "",
        "def _alarm(*_):",
        "    raise _Slow()",
        "",
        "",
        *CANON_LINES,
        f"_dest = _os.path.abspath({OUTCOMES!r})",
        f"_mod = _imp.import_module({module!r})",
        "_signal.signal(_signal.SIGALRM, _alarm)",
        f"_PROBES = _json.loads({data!r})",
        f"_LENIENT = {lenient!r}",
        f"_END = _time.monotonic() + {RUNNER_SECONDS}",
        "_out = {}",
        "for _i, (_setup, _call) in enumerate(_PROBES):",
        "    if _time.monotonic() > _END:",
        "        break  # the probes not run are unknown, not different",
        "    _os.chdir(_tempfile.mkdtemp())",
        f"    _signal.alarm({PROBE_SECONDS})",
        "    try:",
        "        _mod = _imp.reload(_mod)",
        "        _ns = {k: getattr(_mod, k) for k in dir(_mod) if not k.startswith('__')}",
        "        _ran = []",
        "        with _ctx.redirect_stdout(_io.StringIO()):",
        "            for _j, _s in enumerate(_setup):",
        "                try:",
        "                    exec(_s, _ns)",
        "                    _ran.append(_j)",
        "                except (Exception, SystemExit):",
        "                    if not _LENIENT:",
        "                        raise",
        "    except BaseException as _e:",
        "        _signal.alarm(0)",
        "        _out[_i] = ['skip', 'setup ' + type(_e).__name__]",
        "        continue",
        "    if _LENIENT:",
        "        _signal.alarm(0)",
        "        _out[_i] = ['ran', ','.join(map(str, _ran))]",
        "        continue",
        "    _buf = _io.StringIO()",
        "    try:",
        "        with _ctx.redirect_stdout(_buf):",
        "            _got = eval(_call, _ns)",
        "        _signal.alarm(0)",
        "    except _Slow:",
        "        _out[_i] = ['skip', 'too slow']",
        "        continue",
        "    except (Exception, SystemExit) as _e:",
        "        _signal.alarm(0)",
        "        _t = type(_e)",
        "        _out[_i] = ['raises', _t.__name__, _t.__module__, _t.__qualname__]",
        "        continue",
        "    except BaseException as _e:",
        "        _signal.alarm(0)",
        "        _out[_i] = ['skip', type(_e).__name__]",
        "        continue",
        "    _printed = _buf.getvalue()",
        "    try:  # a value no literal states (an object, nan) is nothing a test can expect",
        "        _value = _canon(_got)",
        f"        _ok = len(_value) <= {MAX_REPR} and _same(_ast.literal_eval(_value), _got)",
        "    except BaseException:",
        "        _ok = False",
        f"    if not _ok or len(_printed) > {MAX_PRINTED}:",
        "        _out[_i] = ['skip', 'no literal value']",
        "    else:",
        "        _out[_i] = ['ok', _value, _printed]",
        "with open(_dest, 'w', encoding='utf-8') as _f:",
        "    _json.dump(_out, _f)",
    ]
    return "\n".join(lines) + "\n"


def kept_setup(probe: Probe, outcome: tuple[str, ...] | None) -> Probe | None:
    """``probe`` with only the setup statements a lenient run says ran; None if unknown."""
    if not outcome or outcome[0] != "ran":
        return None
    ran = {int(x) for x in outcome[1].split(",") if x}
    return Probe(tuple(s for j, s in enumerate(probe.setup) if j in ran), probe.call)


def parse_outcomes(text: str) -> dict[int, tuple[str, ...]]:
    """The ``{index: outcome}`` a probe runner wrote ({} if unreadable)."""
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {int(k): tuple(str(x) for x in v) for k, v in data.items() if isinstance(v, list)}


def pinnable(
    outcome: tuple[str, ...] | None, module: str, defined: set[str], raised: set[str]
) -> bool:
    """An outcome a test can expect: a literal value, or an exception it can name.

    An exception the module raises itself or its interface names (``raised``;
    ``SystemExit`` always, argparse's way out): a ``TypeError`` escaping from a
    bug is a crash, not behaviour to guard. A builtin, or one the module
    defines at top level (``defined``).
    """
    if not outcome:
        return False
    if outcome[0] == "ok":
        return True
    named = raised - {"NameError"} | {"SystemExit"}  # a NameError: the probe lost a definition
    if outcome[0] == "raises" and len(outcome) >= 3 and outcome[1] in named:
        name, where = outcome[1], outcome[2]
        if where == "builtins":
            return isinstance(getattr(builtins, name, None), type)
        qualified = outcome[3] if len(outcome) > 3 else name
        return where == module and name in defined and qualified == name
    return False


def choose(
    original: dict[int, tuple[str, ...]],
    mutants: list[dict[int, tuple[str, ...]] | None],
    targets: set[int],
    probes: list[Probe],
    module: str,
    defined: set[str],
    raised: set[str],
    limit: int,
) -> list[tuple[int, set[int]]]:
    """``(probe, mutants it notices)`` for at most ``limit`` probes, greedily.

    ``mutants[m]`` holds mutant ``m``'s outcomes (None: the runner did not
    finish under it; a probe without an outcome there is unknown, not a
    difference). Only ``targets`` count (the
    mutants the suite misses), and only probes whose delivered outcome a test
    can expect; each pick notices the most targets not yet noticed, ties going
    to the shorter probe.
    """
    notices: dict[int, set[int]] = {}
    for i, outcome in original.items():
        if not pinnable(outcome, module, defined, raised):
            continue
        # a probe compares the value or the exception; what a test cannot see is no kill
        printed = outcome[0] == "ok" and len(outcome) > 2 and bool(outcome[2])
        seen = {
            m
            for m in targets
            if (theirs := (mutants[m] or {}).get(i)) is not None
            and _visible(theirs, printed) != _visible(outcome, printed)
        }
        if seen:
            notices[i] = seen
    chosen: list[tuple[int, set[int]]] = []
    left = set(targets)
    while notices and left and len(chosen) < limit:
        best = max(
            notices,
            key=lambda i: (len(notices[i] & left), -len(probes[i].setup), -len(probes[i].text), -i),
        )
        gained = notices.pop(best) & left
        if not gained:
            break
        chosen.append((best, gained))
        left -= gained
    return chosen


def _visible(outcome: tuple[str, ...] | None, printed: bool) -> tuple[str, ...] | None:
    """What a test of this outcome checks: the value (and the output when the
    delivered code printed any, which the test then expects), or the exception."""
    if outcome is None:
        return None
    return outcome[:3] if outcome[0] == "ok" and printed else outcome[:2]


def _expectation(value: str) -> str:
    parsed = ast.literal_eval(value)
    if parsed is None or isinstance(parsed, bool):
        return f" is {value}"
    flat = parsed.values() if isinstance(parsed, dict) else parsed
    if isinstance(parsed, float) or (
        isinstance(parsed, list | tuple | dict)
        and any(isinstance(x, float) for x in flat)
        and all(isinstance(x, int | float) and not isinstance(x, bool) for x in flat)
    ):
        return f" == pytest.approx({value})"
    return f" == {value}"


def _name_of(call: str) -> str:
    head = call.split("(", 1)[0]
    return re.sub(r"\W", "_", head.rsplit(".", 1)[-1])


def render_tests(
    module: str,
    picks: list[tuple[Probe, tuple[str, ...], str]],
    defined: set[str],
) -> str:
    """A pytest file expecting each ``(probe, delivered outcome, mutant it notices)``.

    Imports only what the module defines at top level (``defined``): a
    builtin called in a probe (``set()``) is no name to import.
    """
    used: set[str] = set()
    bodies: list[str] = []
    counts: dict[str, int] = {}
    for probe, outcome, noticed in picks:
        for stmt in (*probe.setup, probe.call):
            for node in ast.walk(ast.parse(stmt)):
                if isinstance(node, ast.Name) and node.id in defined:
                    used.add(node.id)
        name = _name_of(probe.call)
        counts[name] = counts.get(name, 0) + 1
        printed = outcome[0] == "ok" and len(outcome) > 2 and outcome[2]
        fixtures = "tmp_path, monkeypatch" + (", capsys" if printed else "")
        lines = [
            f"def test_{name}_keeps_its_behaviour_{counts[name]}({fixtures}):",
            f'    """Notices a change the other tests miss ({noticed})."""',
            "    monkeypatch.chdir(tmp_path)",
            *[f"    {s}" for s in probe.setup],
        ]
        if outcome[0] == "raises":
            if outcome[2] == module and outcome[1] in defined:
                used.add(outcome[1])
            lines += [f"    with pytest.raises({outcome[1]}):", f"        {probe.call}"]
        else:
            if printed:
                lines.append("    capsys.readouterr()")
            lines.append(f"    assert {probe.call}{_expectation(outcome[1])}")
            if printed:
                lines.append(f"    assert capsys.readouterr().out == {outcome[2]!r}")
        bodies.append("\n".join(lines))
    header = [
        f'"""Regression tests for {module}.py, written by softco.',
        "",
        "Each expects what the delivered code does for one call, chosen because it",
        "notices a change to the code that the other tests miss. They guard behaviour;",
        'the requirements are checked by the other tests."""',
        "",
        "import pytest",
        "",
        f"from {module} import {', '.join(sorted(used))}",
    ]
    return "\n".join(header) + "\n\n\n" + "\n\n\n".join(bodies) + "\n"
