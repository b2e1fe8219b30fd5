"""Calls to try on a delivered module: the raw material of its regression tests.

The tester of a 1.5B model writes few cases and often the same one twice
(todo, session 9: 15 of 15 extra cases repeated ``add('tasks.json', 'Buy
milk')``), so a green suite may notice few changes to the code: tictactoe's
and todo's killed 2 of 10 mutants. ``regression`` (the workflow) keeps the
calls below that tell the delivered code from its mutants. They are built
without a model, from what the tests and the module already hold: every
literal argument a test passes (by function and position), the module's own
constants, and a few values per annotated type. A function is called alone
with one argument varied at a time, after up to two other calls (state kept
in files, like todo's), and an object gets random sequences of its methods
(tictactoe needs five moves for a win). A path-like argument keeps the value
the tests gave it, so the calls of one probe share their file.
"""

from __future__ import annotations

import ast
import keyword
import random
from dataclasses import dataclass, field

from softco.quality.case_checks import literal_value
from softco.quality.cli_probes import argv_lists, parser_of

TYPE_VALUES: dict[str, list[object]] = {
    "int": [0, 1, 2, 3, -1, 10],
    "float": [0.0, 1.0, 2.5, -1.0, 100.0],
    "str": ["", "a", "abc", "Hello World", "x y z"],
    "bool": [True, False],
    "list": [[], [1, 2, 3], ["a", "b"]],
    "dict": [{}, {"a": 1}],
}
PATH_HINTS = ("path", "file", "filename", "db", "store")
FIXED_NAMES = {"pytest", "tmp_path", "monkeypatch", "capsys"}  # the test file's own names
MAX_POOL = 8


@dataclass(frozen=True)
class Probe:
    """Statements to run first, then one expression whose value is observed."""

    setup: tuple[str, ...]
    call: str

    @property
    def text(self) -> str:
        return "\n".join((*self.setup, self.call))


@dataclass
class Callable_:
    """A function, a method or a constructor the probes may call."""

    key: str  # "f", "Class.method" or "Class" (the constructor)
    params: list[tuple[str, str]] = field(default_factory=list)  # (name, annotation)
    command: bool = False  # returns nothing: called for what it changes


def _annotation(arg: ast.arg) -> str:
    if arg.annotation is None:
        return ""
    text = ast.unparse(arg.annotation)
    return text.split("[", 1)[0].split("|", 1)[0].strip()


def _params(fn: ast.FunctionDef, method: bool) -> list[tuple[str, str]]:
    args = fn.args.args[1:] if method else fn.args.args
    return [(a.arg, _annotation(a)) for a in args]


def callables_of(source: str) -> tuple[list[Callable_], dict[str, list[Callable_]]]:
    """Public top-level functions, and each public class's constructor and methods.

    Exceptions are no objects to probe, and ``main`` is left out: its
    argument list and printing are the command-line tests' business.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return [], {}
    functions: list[Callable_] = []
    classes: dict[str, list[Callable_]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            if node.name != "main" and not node.name.startswith("test"):
                functions.append(Callable_(node.name, _params(node, False)))
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            bases = {ast.unparse(b) for b in node.bases}
            if any("Exception" in b or "Error" in b for b in bases):
                continue
            members = [Callable_(node.name)]
            for item in node.body:
                if not isinstance(item, ast.FunctionDef):
                    continue
                if item.name == "__init__":
                    members[0].params = _params(item, True)
                elif not item.name.startswith("_") and not item.decorator_list:
                    returns = item.returns
                    command = returns is None or ast.unparse(returns) == "None"
                    method = Callable_(f"{node.name}.{item.name}", _params(item, True), command)
                    members.append(method)
            classes[node.name] = members
    return functions, classes


def test_literals(test_sources: list[str], keys: set[str]) -> dict[tuple[str, int], list[object]]:
    """Literal arguments the tests pass, by ``(callable key, position)``.

    A method is matched by its name alone (``board.play(0, 0)``: the tests'
    variable is no type), so every class with that method gets the values.
    """
    by_name: dict[str, list[str]] = {}
    for key in keys:
        by_name.setdefault(key.rsplit(".", 1)[-1], []).append(key)
    found: dict[tuple[str, int], list[object]] = {}
    for source in test_sources:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = (
                f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            )
            for key in by_name.get(name, []):
                for i, arg in enumerate(node.args):
                    ok, value = literal_value(arg)
                    if ok and repr(value) not in {repr(v) for v in found.get((key, i), [])}:
                        found.setdefault((key, i), []).append(value)
    return found


def module_constants(source: str) -> dict[str, list[object]]:
    """The module's own short constants by type name (docstrings left out)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    docs = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef)
        and n.body
        and isinstance(n.body[0], ast.Expr)
    }
    out: dict[str, list[object]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or id(node) in docs:
            continue
        value = node.value
        kind = type(value).__name__
        if kind not in ("int", "float", "str") or isinstance(value, bool):
            continue
        if isinstance(value, str) and (len(value) > 20 or "\n" in value):
            continue
        bucket = out.setdefault(kind, [])
        if value not in bucket and len(bucket) < MAX_POOL:
            bucket.append(value)
    return out


def _path_value(seen: dict[tuple[str, int], list[object]], callables: list[Callable_]) -> str:
    """The file the tests name for a path-like argument, shared by every call (or a default)."""
    for c in callables:
        for i, (name, _) in enumerate(c.params):
            given = seen.get((c.key, i), [])
            if given and isinstance(given[0], str) and any(h in name.lower() for h in PATH_HINTS):
                return given[0]
    return "data.json"


def _pool(
    key: str,
    index: int,
    param: tuple[str, str],
    seen: dict[tuple[str, int], list[object]],
    constants: dict[str, list[object]],
    path: str,
) -> list[object]:
    """Values to try at one argument slot: the tests' first, then constants, then defaults."""
    name, annotation = param
    if any(h in name.lower() for h in PATH_HINTS) and annotation in ("str", ""):
        return [path]  # a file the calls must share
    given = seen.get((key, index), [])
    kind = annotation or (type(given[0]).__name__ if given else "")
    pool = list(given)
    for value in constants.get(kind, []) + TYPE_VALUES.get(kind, []):
        if repr(value) not in {repr(v) for v in pool}:
            pool.append(value)
    if not kind and not pool:
        pool = [0, 1, "a"]
    return pool[: MAX_POOL + len(given)]


def _call(name: str, args: list[object]) -> str:
    return f"{name}({', '.join(repr(a) for a in args)})"


def _words(seen: dict[tuple[str, int], list[object]]) -> list[str]:
    """Words for command lines: the tests' short strings and numbers, as text."""
    words: list[str] = []
    for values in seen.values():
        for v in values:
            text = str(v)
            plain = isinstance(v, str | int | float) and not isinstance(v, bool)
            if plain and len(text) <= 20 and text not in words:
                words.append(text)
    return [*words[:MAX_POOL], "1", "2"]  # ids and counts the tests may not show


def probes_for(
    source: str, test_sources: list[str], limit: int = 600, seed: int = 0
) -> list[Probe]:
    """Up to ``limit`` distinct probes of the module's functions, objects and ``main``."""
    functions, classes = callables_of(source)
    members = [m for ms in classes.values() for m in ms]
    keys = {c.key for c in functions + members} | {"main"}
    seen = test_literals(test_sources, keys)
    constants = module_constants(source)
    path = _path_value(seen, functions + members)
    rng = random.Random(seed)
    taken = (
        {c.key for c in functions} | set(classes) | {"pytest", "tmp_path", "monkeypatch", "capsys"}
    )
    pools = {
        c.key: [_pool(c.key, i, p, seen, constants, path) for i, p in enumerate(c.params)]
        for c in functions + members
    }
    groups = 2 * bool(functions) + len(classes) + 1  # calls alone, sequences, classes, main
    share = max(limit // groups, 20)

    def base_args(c: Callable_) -> list[object]:
        return [pool[0] if pool else None for pool in pools[c.key]]

    def random_args(c: Callable_) -> list[object]:
        return [rng.choice(pool) if pool else None for pool in pools[c.key]]

    out: dict[str, Probe] = {}
    counts: dict[str, int] = {}

    def add(probe: Probe, group: str) -> None:
        """Each group (calls alone, each class, call sequences, ``main``) gets its share."""
        if counts.get(group, 0) < share and probe.text not in out:
            out[probe.text] = probe
            counts[group] = counts.get(group, 0) + 1

    for c in functions:  # one argument varied at a time, alone
        base = base_args(c)
        add(Probe((), _call(c.key, base)), "alone")
        for i, pool in enumerate(pools[c.key]):
            for value in pool:
                add(Probe((), _call(c.key, [*base[:i], value, *base[i + 1 :]])), "alone")
    for cls, ms in classes.items():
        ctor, methods = ms[0], ms[1:]
        if not methods:
            continue
        var = cls.lower()
        if var == cls or keyword.iskeyword(var) or var in taken:
            var += "_"  # `lambda = Lambda()` would not parse; a fixture's name would clash
        made = f"{var} = {_call(cls, base_args(ctor))}"

        def step(m: Callable_, args: list[object], var: str = var) -> str:
            return f"{var}.{_call(m.key.rsplit('.', 1)[-1], args)}"

        for m in methods:
            add(Probe((made,), step(m, base_args(m))), cls)
        movers = [m for m in methods if m.command] or methods
        for _ in range(share):  # illegal steps are dropped later (regression.kept_setup)
            steps = [step(m, random_args(m)) for m in rng.choices(movers, k=rng.randint(0, 40))]
            m = rng.choice(methods)
            add(Probe((made, *steps), step(m, random_args(m))), cls)
    if functions:  # state the calls may share (a file): up to two calls first
        for _ in range(share):
            steps = [
                _call(c.key, random_args(c)) for c in rng.choices(functions, k=rng.randint(1, 2))
            ]
            c = rng.choice(functions)
            add(Probe(tuple(steps), _call(c.key, random_args(c))), "sequences")
    parser = parser_of(source)
    if parser is not None:
        lines = [v for v in seen.get(("main", 0), []) if isinstance(v, list)]
        lines += argv_lists(parser, _words(seen), path, share // 2, seed)
        for line in lines:
            add(Probe((), _call("main", [line])), "main")
        for _ in range(share // 2):
            steps = tuple(_call("main", [rng.choice(lines)]) for _ in range(rng.randint(1, 2)))
            add(Probe(steps, _call("main", [rng.choice(lines)])), "main")
    return list(out.values())[:limit]
