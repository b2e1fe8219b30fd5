"""A class's test cases as a small tester writes them: a script, one statement per case.

Cases are independent checks (``setup`` then one ``call`` and its result), but
a 1.5B tester writes a class's cases as a session: ``game = GuessGame(50)`` as
one case, ``game.guess(25)`` as the next, ``cart.add('tea', 0.5)`` (nothing to
check: it returns None) before ``cart.total()``; or it calls the method on the
class (``Cart.add(...)``) or on an object it never made. Left as they are,
every case of a class-based brief is dropped as "uses undefined game".

:func:`script_setup` reads the answer in order and gives each case the
statements that made the objects it uses, in the order they ran:

- an assignment case is recorded (with its own setup), not kept: it checks
  nothing; one the tester expected to raise becomes a raises check of its
  right-hand side;
- a method call expected to return None whose arguments fit the method the
  brief states is a command: kept as a case, and replayed before the later
  cases using that object (not twice where a case repeats it in its setup);
- a call the interface says must raise for its arguments ("ValueError for a
  negative price or qty < 1", ``clauses``) is checked as raising that, whatever
  the tester expected, and never replayed;
- a call expected to return a value is a query: not replayed, so each check of
  ``game.guess(n)`` starts from the same game (a stateful query such as a
  stack's ``pop()`` is read the same way: a check after it that depends on it
  fails on right code and is left to the agreement check);
- ``Cart.add(...)`` on a class goes to the case's or the script's latest object
  of that class; a method called on a name never made that names a class
  (``board`` → ``Board``, ``game`` → ``GuessGame``) gets a new object, and so
  does a class method call with no object yet, only where the stated class is
  built without arguments (:func:`bare_classes`).

:func:`method_returns` gives a method call the return type the brief states,
so its expected value is read and checked like a function's.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from softco.artifacts import FileSpec, FunctionSpec
from softco.artifacts.cases import CallCase
from softco.artifacts.stated import class_methods
from softco.quality.case_checks import called_name, check_call
from softco.quality.clauses import clause_raises

_BUILTIN_NAMES = frozenset(dir(builtins)) | {"tmp_path"}
_RAISES = re.compile(r"^\s*(?:raises?\b|pytest\.raises|[A-Z]\w*(?:Error|Exception)\b)")


@dataclass(frozen=True)
class _Step:
    """One case of the tester's script: its lines, what they make or change, what they read."""

    lines: tuple[str, ...]
    makes: frozenset[str]
    uses: frozenset[str]
    resets: bool  # an assignment: what came before it for these names no longer matters


@dataclass
class _Script:
    """What the cases so far have run, and which class each object was made from."""

    classes: dict[str, FunctionSpec]  # every class the module states
    bare: dict[str, str]  # those built without arguments: name -> "Name()"
    offered: set[str]
    spec: FileSpec | None = None
    steps: list[_Step] = field(default_factory=list)
    objects: dict[str, str] = field(default_factory=dict)  # variable -> class name

    def made(self) -> set[str]:
        return {name for step in self.steps for name in step.makes}

    def make(self, var: str, cls: str) -> None:
        self.steps.append(
            _Step((f"{var} = {self.bare[cls]}",), frozenset({var}), frozenset(), True)
        )
        self.objects[var] = cls


def constructor_params(fn: FunctionSpec) -> str | None:
    """A stated class's constructor parameters: "" for none, None when they cannot be read.

    ``stated._spec`` writes them as ``Constructor: Name(params).`` (possibly
    over several lines); a brief may also list ``__init__(...)`` among the
    methods.
    """
    doc = fn.docstring
    m = re.search(r"Constructor:\s*\w+\(", doc) or re.search(r"^\s+__init__\(", doc, re.M)
    if m is None:
        return ""
    depth, i = 1, m.end()
    while i < len(doc) and depth:
        depth += {"(": 1, ")": -1}.get(doc[i], 0)
        i += 1
    if depth:
        return None
    return re.sub(r"^self\s*(,\s*|$)", "", " ".join(doc[m.end() : i - 1].split()))


def bare_classes(spec: FileSpec) -> dict[str, str]:
    """``{class name: "Name()"}`` for each stated class built without arguments."""
    found = {}
    for fn in spec.interface:
        if not fn.signature.startswith("class ") or "Methods:" not in fn.docstring:
            continue  # not a class the brief spelled out: its constructor is unknown
        params = constructor_params(fn)
        if params is None:
            continue
        if params:
            try:
                args = ast.parse(f"def f({params}): ...").body[0].args  # type: ignore[attr-defined]
            except (SyntaxError, ValueError, RecursionError, MemoryError):  # brief text
                continue
            required = len(args.posonlyargs) + len(args.args) - len(args.defaults)
            if required > 0 or any(d is None for d in args.kw_defaults):
                continue
        found[fn.name] = f"{fn.name}()"
    return found


def method_returns(call: ast.expr, setup: ast.Module, spec: FileSpec) -> ast.expr | None:
    """The stated return type of ``obj.method(...)`` when the setup made ``obj = Cls(...)``.

    The tester's ``expected: lower`` for ``game.guess(25)`` is then the text
    ``'lower'``, because the brief says ``guess(n: int) -> str``.
    """
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
    ):
        return None
    made = _made_by(setup)
    cls = next((fn for fn in spec.interface if fn.name == made.get(call.func.value.id)), None)
    if cls is None:
        return None
    for signature in class_methods(cls):
        node = ast.parse(signature + ": ...").body[0]
        if isinstance(node, ast.FunctionDef) and node.name == call.func.attr:
            return node.returns
    return None


def script_setup(cases: list[CallCase], spec: FileSpec) -> tuple[list[CallCase], list[str]]:
    """The cases with the statements that made their objects; notes for the cases that went."""
    script = _Script(
        classes={fn.name: fn for fn in spec.interface if fn.signature.startswith("class ")},
        bare=bare_classes(spec),
        offered={fn.name for fn in spec.interface},
        spec=spec,
    )
    kept: list[CallCase] = []
    notes: list[str] = []
    for case in cases:
        try:
            scripted, note = _script_case(case, script)
        except Exception:  # model output: the case goes on as written, to the checks
            scripted, note = case, ""
        if note:
            notes.append(note)
        if scripted is not None:
            kept.append(scripted)
    return kept, notes


def _script_case(case: CallCase, script: _Script) -> tuple[CallCase | None, str]:
    tree = ast.parse(case.call.strip())
    own = [line.rstrip() for line in case.setup if line.strip()]
    setup = ast.parse("\n".join(own))
    assigned = _stores(setup)
    stmt = tree.body[0] if len(tree.body) == 1 else None
    if isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets):
        targets = frozenset(t.id for t in stmt.targets)  # type: ignore[attr-defined]
        if _raises(case.expected):  # game = GuessGame(0) -> raises ValueError
            return case.model_copy(update={"call": ast.unparse(stmt.value)}), ""
        if targets & script.offered:
            return case, ""  # would shadow the module's own name: left to the checks
        uses = (_loads(setup) | _loads(stmt.value)) - assigned
        lines = (*_replay(script.steps, uses), *own, ast.unparse(stmt))
        script.steps.append(_Step(lines, targets | assigned, frozenset(), True))
        made = called_name(stmt.value) if isinstance(stmt.value, ast.Call) else ""
        for target in targets:
            script.objects.pop(target, None)
            if made in script.classes:
                script.objects[target] = made
        return None, f"{case.call[:60]!r}: makes an object: set up in the cases that use it"
    if not isinstance(stmt, ast.Expr):
        return case, ""
    call = _on_object(stmt.value, script, setup)
    for name in sorted(_receivers(setup, call) - assigned - script.offered - script.made()):
        owner = [
            c
            for c in script.bare
            if c.lower() == name.lower() or (len(name) >= 3 and c.lower().endswith(name.lower()))
        ]
        if len(owner) == 1:  # board.play(0, 0) with no board: Board()
            script.make(name, owner[0])
    used = (_loads(setup) | _loads(call)) - assigned
    replayed = [line for line in _replay(script.steps, used) if line not in own]
    source = ast.unparse(call)
    if replayed or source != case.call.strip():
        case = case.model_copy(update={"setup": [*replayed, *own], "call": source})
    note = ""
    checkable = script.spec is not None and isinstance(call, ast.Call)
    raised = clause_raises(script.spec, call, True) if checkable else None  # type: ignore[arg-type]
    if raised is not None and not _raises(case.expected):
        # cart.add('orange', 3.5, 0) where the brief says "ValueError for ... qty < 1": a
        # check that it raises, never a step replayed before the later cases
        note = f"{source[:60]!r}: the interface says {raised[0]!r}: checked as raising {raised[1]}"
        return case.model_copy(update={"expected": f"raises {raised[1]}"}), note
    if not (_is_none(case.expected) or _raises(case.expected)) and _stated_command(
        call, script, assigned
    ):
        note = (
            f"{source[:60]!r}: expected {str(case.expected)[:30]!r} of a method the brief "
            "gives no return value: checked as a command"
        )
        case = case.model_copy(update={"expected": None})
    if _is_none(case.expected) and _command_fits(call, script, assigned):
        # a command (returns None): the objects after it are the changed ones
        receiver = call.func.value.id  # type: ignore[attr-defined]
        lines = (*replayed, *own, source)
        script.steps.append(_Step(lines, frozenset({receiver}) | assigned, frozenset(), True))
    return case, note


def _stated_methods(
    call: ast.expr, script: _Script, assigned: set[str]
) -> tuple[ast.FunctionDef | None, list[ast.FunctionDef]]:
    """The stated method a call on a script object names (None if none), and all its class's."""
    if not _method_call(call):
        return None, []
    receiver = call.func.value.id  # type: ignore[attr-defined]
    cls = script.classes.get(script.objects.get(receiver, ""))
    if cls is None or receiver in assigned:
        return None, []
    methods = [ast.parse(signature + ": ...").body[0] for signature in class_methods(cls)]
    stated = [m for m in methods if isinstance(m, ast.FunctionDef)]
    named = next((m for m in stated if m.name == call.func.attr), None)  # type: ignore[attr-defined]
    return named, stated


def _command_fits(call: ast.expr, script: _Script, assigned: set[str]) -> bool:
    """A method call on a script object whose arguments fit the method the brief states."""
    method, _ = _stated_methods(call, script, assigned)
    return method is not None and check_call(call, method, set()) is None  # type: ignore[arg-type]


def _stated_command(call: ast.expr, script: _Script, assigned: set[str]) -> bool:
    """A fitting call of a method the brief gives no return value, where it gives others one.

    ``add(item: str, price: float, qty: int = 1)`` beside ``total() -> float``
    changes the cart and returns nothing; the tester's ``cart.add('apple', 0.5)``
    expecting ``0.5`` (cart, session 9: all six of its cases began so) is a
    command to replay, not a value to check.
    """
    method, stated = _stated_methods(call, script, assigned)
    if method is None or method.returns is not None:
        return False
    if not any(m.returns is not None for m in stated):
        return False  # the brief states no return types at all: nothing to read from it
    return check_call(call, method, set()) is None  # type: ignore[arg-type]


def _on_object(call: ast.expr, script: _Script, setup: ast.Module) -> ast.expr:
    """``Cart.add('tea', 0.5)`` on the class → on the case's or the script's latest Cart.

    The case's own setup wins (``cart = Cart(); cart.add(...)`` then
    ``Cart.total()``); else the script's latest object of that class; else a
    new one, where the class is built without arguments. ``Cart.add(cart, ...)``
    (the object passed by hand) is left as written.
    """
    if not (_method_call(call) and call.func.value.id in script.classes):  # type: ignore[attr-defined]
        return call
    cls = call.func.value.id  # type: ignore[attr-defined]
    assigned = _stores(setup)
    mine = _made_by(setup)
    objects = {**script.objects, **mine}
    first = call.args[0] if call.args else None  # type: ignore[attr-defined]
    if cls in assigned or (isinstance(first, ast.Name) and objects.get(first.id) == cls):
        return call
    var = next((v for v, c in reversed(mine.items()) if c == cls), "") or next(
        (v for v, c in reversed(script.objects.items()) if c == cls and v not in assigned), ""
    )
    if not var:
        if cls not in script.bare:
            return call
        var = cls.lower() if cls.lower() not in script.offered | assigned else "obj"
        script.make(var, cls)
    new = ast.parse(ast.unparse(call), mode="eval").body
    new.func.value = ast.Name(id=var, ctx=ast.Load())  # type: ignore[attr-defined]
    return new


def _receivers(setup: ast.Module, call: ast.expr) -> set[str]:
    """Names whose methods are called: ``board`` in ``board.play(0, 0)``."""
    return {
        node.func.value.id  # type: ignore[attr-defined]
        for tree in (setup, call)
        for node in ast.walk(tree)
        if _method_call(node)
    }


def _replay(steps: list[_Step], wanted: set[str]) -> list[str]:
    """The lines that made ``wanted`` (each step carries what it needed), in script order."""
    need: set[str] = set(wanted)
    picked: list[tuple[str, ...]] = []
    for step in reversed(steps):
        if step.makes & need:
            picked.append(step.lines)
            need -= step.makes  # each step's lines already hold what came before it
    merged: list[str] = []
    for lines in reversed(picked):  # a line shared with an earlier step (its object) once
        have, seen = Counter(merged), Counter[str]()
        for line in lines:
            seen[line] += 1
            if seen[line] > have[line]:
                merged.append(line)
    return merged


def _made_by(setup: ast.Module) -> dict[str, str]:
    """``{variable: called name}`` for each ``var = Name(...)`` statement of a setup."""
    return {
        stmt.targets[0].id: called_name(stmt.value)
        for stmt in setup.body
        if isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
        and isinstance(stmt.value, ast.Call)
    }


def _method_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
    )


def _loads(node: ast.AST) -> frozenset[str]:
    return frozenset(
        n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    )


def _stores(node: ast.AST) -> set[str]:
    return {
        n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }


def _raises(expected: Any) -> bool:
    return isinstance(expected, str) and bool(_RAISES.match(expected))


def _is_none(expected: Any) -> bool:
    return expected is None or (isinstance(expected, str) and expected.strip() == "None")
