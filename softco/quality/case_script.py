"""A class's test cases as a small tester writes them: a script, one statement per case.

Cases are independent checks (``setup`` then one ``call`` and its result), but
a 1.5B tester writes a class's cases as a session: ``game = GuessGame(50)`` as
one case, ``game.guess(25)`` as the next, ``cart.add('tea', 0.5)`` (nothing to
check: it returns None) before ``cart.total()``; or it calls the method on the
class (``Cart.add(...)``) or on an object it never made. Left as they are,
every case of a class-based brief is dropped as "uses undefined game".

:func:`script_setup` reads the answer in order and gives each case the
statements that made the objects it uses, in the order they ran:

- an assignment case is recorded, not kept (it checks nothing); one the tester
  expected to raise becomes a raises check of its right-hand side;
- a method call expected to return None is a command: kept as a case, and
  replayed before the later cases using that object;
- a call expected to return a value is a query: not replayed, so each check of
  ``game.guess(n)`` starts from the same game;
- ``Cart.add(...)`` on a class, and a name never made that names a class
  (``board`` → ``Board``, ``game`` → ``GuessGame``), get an object only where
  the stated class is built without arguments (:func:`bare_classes`).

:func:`method_returns` gives a method call the return type the brief states,
so its expected value is read and checked like a function's.
"""

from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass
from typing import Any

from softco.artifacts import FileSpec, FunctionSpec
from softco.artifacts.cases import CallCase
from softco.artifacts.stated import class_methods
from softco.quality.case_checks import called_name

_BUILTIN_NAMES = frozenset(dir(builtins)) | {"tmp_path"}
_RAISES = re.compile(r"^\s*(?:raises?\b|pytest\.raises|[A-Z]\w*(?:Error|Exception)\b)")


@dataclass(frozen=True)
class _Step:
    """One statement of the tester's script: what it makes or changes, what it reads."""

    source: str
    makes: frozenset[str]
    uses: frozenset[str]
    resets: bool  # an assignment: what came before it for these names no longer matters
    cls: str = ""  # the class whose object it makes, for ``Cls.method(...)`` calls


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
            except SyntaxError:
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
    made = {
        stmt.targets[0].id: called_name(stmt.value)
        for stmt in setup.body
        if isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
        and isinstance(stmt.value, ast.Call)
    }
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
    classes = bare_classes(spec)
    offered = {fn.name for fn in spec.interface}
    steps: list[_Step] = []
    kept: list[CallCase] = []
    notes: list[str] = []
    for case in cases:
        try:
            scripted, note = _script_case(case, steps, classes, offered)
        except Exception:  # model output: the case goes on as written, to the checks
            scripted, note = case, ""
        if note:
            notes.append(note)
        if scripted is not None:
            kept.append(scripted)
    return kept, notes


def _script_case(
    case: CallCase, steps: list[_Step], classes: dict[str, str], offered: set[str]
) -> tuple[CallCase | None, str]:
    tree = ast.parse(case.call.strip())
    setup = ast.parse("\n".join(line.rstrip() for line in case.setup if line.strip()))
    stmt = tree.body[0] if len(tree.body) == 1 else None
    if isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets):
        targets = frozenset(t.id for t in stmt.targets)  # type: ignore[attr-defined]
        if _raises(case.expected):  # game = GuessGame(0) -> raises ValueError
            return case.model_copy(update={"call": ast.unparse(stmt.value)}), ""
        if targets & offered:
            return case, ""  # would shadow the module's own name: left to the checks
        made = called_name(stmt.value) if isinstance(stmt.value, ast.Call) else ""
        steps.append(_Step(ast.unparse(stmt), targets, _loads(stmt.value), True, made))
        return None, f"{case.call[:60]!r}: makes an object: set up in the cases that use it"
    if not isinstance(stmt, ast.Expr):
        return case, ""
    call = stmt.value
    assigned = _stores(setup)
    call = _on_object(call, classes, setup, offered, steps)
    used = _loads(setup) | _loads(call)
    known = {name for step in steps for name in step.makes}
    for name in sorted(used - assigned - offered - _BUILTIN_NAMES - known):
        owner = [c for c in classes if len(name) >= 3 and c.lower().endswith(name.lower())]
        if len(owner) == 1:  # board.play(0, 0) with no board: Board()
            steps.append(
                _Step(
                    f"{name} = {classes[owner[0]]}", frozenset({name}), frozenset(), True, owner[0]
                )
            )
    replayed = _replay(steps, used - assigned)
    source = ast.unparse(call)
    if replayed or source != case.call.strip():
        case = case.model_copy(update={"setup": [*replayed, *case.setup], "call": source})
    receiver = call.func.value.id if _method_call(call) else ""  # type: ignore[attr-defined]
    made_before = {name for step in steps for name in step.makes}
    if receiver in made_before and receiver not in assigned and _is_none(case.expected):
        # a command (returns None): the objects after it are the changed ones
        steps.append(_Step(source, frozenset({receiver}), _loads(call), False))
    return case, ""


def _on_object(
    call: ast.expr,
    classes: dict[str, str],
    setup: ast.Module,
    offered: set[str],
    steps: list[_Step],
) -> ast.expr:
    """``Cart.add('tea', 0.5)`` on the class → on the case's or the script's latest Cart.

    The case's own setup wins (``cart = Cart(); cart.add(...)`` then ``Cart.total()``);
    else the script's latest object of that class, made if there is none.
    """
    if not (_method_call(call) and call.func.value.id in classes):  # type: ignore[attr-defined]
        return call
    cls = call.func.value.id  # type: ignore[attr-defined]
    assigned = _stores(setup)
    if cls in assigned or (call.args and isinstance(call.args[0], ast.Name)):  # type: ignore[attr-defined]
        return call  # rebound by the setup, or Cart.add(cart, ...): called as written
    own = [
        stmt.targets[0].id
        for stmt in setup.body
        if isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
        and isinstance(stmt.value, ast.Call)
        and called_name(stmt.value) == cls
    ]
    var = (
        own[-1]
        if own
        else next((s.source.split(" =", 1)[0] for s in reversed(steps) if s.cls == cls), "")
    )
    if not var:
        var = cls.lower() if cls.lower() not in offered | assigned else "obj"
        steps.append(_Step(f"{var} = {classes[cls]}", frozenset({var}), frozenset(), True, cls))
    new = ast.parse(ast.unparse(call), mode="eval").body
    new.func.value = ast.Name(id=var, ctx=ast.Load())  # type: ignore[attr-defined]
    return new


def _replay(steps: list[_Step], wanted: set[str]) -> list[str]:
    """The statements that made ``wanted``, with what they in turn read, in script order."""
    need, picked = set(wanted), []
    for step in reversed(steps):
        if step.makes & need:
            picked.append(step.source)
            if step.resets:
                need -= step.makes
            need |= step.uses
    return picked[::-1]


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
    return expected is None or (isinstance(expected, str) and expected.strip() in ("None", "null"))
