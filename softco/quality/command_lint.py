"""A method the interface gives no return value must change the object, not return a result.

``Cart.apply_discount(percent)`` is listed without ``-> type``: it is a
command, and ``total()`` afterwards must see the discount. A small model
often writes it as a query instead — it computes the discounted total,
returns it and stores nothing — so every later ``total()`` is wrong while
every call runs. The signature conforms, the tester's cases (written from
the same misreading) may even pass; only reading the body tells. Said back to
the author like any gate finding, and the workflow rewrites that method on
its own (``workflows.unit_rewrite``).

The check is conservative, because a false finding has right code rewritten:
it applies only where the brief states a return type for some other method
of the class and to methods named by a command verb (``apply_``, ``add``,
``set_``); and a method that stores into any attribute or item (``self.x``,
``task.done``, ``items[k]``), calls a method other than a known read-only
one, or calls anything but a known pure builtin (``print``, ``open``,
``json.dump`` count as effects) is left alone.

:func:`shadowed_method_problems` is the other half: ``self.total = ...`` in a
class whose method is ``total`` (a property with a setter excepted).
"""

from __future__ import annotations

import ast
import re

from softco.artifacts import FileSpec
from softco.artifacts.stated import class_methods, signature_name
from softco.quality.edits import own_nodes
from softco.quality.placeholders import FunctionNode, is_placeholder

# builtins that compute without touching anything outside their arguments
PURE_BUILTINS = frozenset(
    {
        *("abs", "all", "any", "bool", "dict", "divmod", "enumerate", "filter", "float"),
        *("format", "frozenset", "int", "isinstance", "len", "list", "map", "max", "min"),
        *("pow", "range", "repr", "reversed", "round", "set", "sorted", "str", "sum"),
        *("tuple", "zip"),
    }
)
# methods of values (str, dict, list, set) that only read
READ_ONLY_METHODS = frozenset(
    {
        *("copy", "count", "endswith", "find", "format", "get", "index", "isalnum"),
        *("isalpha", "isdigit", "items", "join", "keys", "lower", "lstrip", "replace"),
        *("rstrip", "split", "splitlines", "startswith", "strip", "title", "upper", "values"),
    }
)


# verbs that name a command: only these are read as commands when the listing has no
# arrow; a noun (``balance()``, ``perimeter()``) may well be a query the brief left bare
_COMMAND_NAME = re.compile(
    r"^(?:apply|set|add|remove|update|reset|clear|push|insert|delete|put|increment"
    r"|decrement|move|play|record|register|enqueue|mark|toggle|deposit|change|assign"
    r"|store|save|append|extend|discard|rename|advance|enable|disable)(?:_|$)"
)
_SAYS_RETURN = re.compile(r"\breturns?\b(?!\s+(?:nothing|none)\b)", re.I)


def stateless_command_problems(spec: FileSpec, tree: ast.Module) -> list[str]:
    """Listed methods without a stated return type that return a value and change nothing.

    Only in a class whose listing states a return type for some other method
    (``count() -> int``, ``total() -> float``): there the brief marks results,
    so a method without one may be a command; and only for a method named by a
    command verb (``apply_discount``, ``add``, ``set_x``) whose line does not
    say it returns something. ``balance()`` or ``perimeter()`` without an
    arrow may be a query the brief left bare, and is left alone.
    """
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    problems = []
    for fn in spec.interface:
        node = classes.get(fn.name)
        if node is None:
            continue
        own = {m.name: m for m in node.body if isinstance(m, FunctionNode)}
        listed = class_methods(fn)
        if not any(states_a_return(signature) for signature in listed):
            continue  # the brief states no result anywhere: a missing arrow says nothing
        for signature in listed:
            name = signature_name(signature)
            method = own.get(name)
            if (
                method is None
                or name.startswith("__")
                or not _COMMAND_NAME.match(name)
                or _SAYS_RETURN.search(_method_doc(fn.docstring, name))
                or states_a_return(signature)
                or method.decorator_list
                or is_placeholder(method)
            ):
                continue
            if _returns_value(method) and not _has_effect(method):
                problems.append(
                    f"line {method.lineno}: {fn.name}.{name} returns a value but changes "
                    f"nothing on the object: the interface gives `{signature}` no return "
                    "value, so it must change the object's attributes (what the other "
                    "methods read) instead of returning a result"
                )
    return problems


def shadowed_method_problems(tree: ast.Module) -> list[str]:
    """Assignments to ``self.total`` in a class whose method is ``total``.

    Told to store the discount instead of returning it, a small model wrote
    ``self.total = round(...)``: the next ``cart.total()`` calls a float.
    """
    problems = []
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        defs = [m for m in cls.body if isinstance(m, FunctionNode)]
        # a property with a setter is meant to be assigned through; one without is not
        setters = {
            d.value.id
            for m in defs
            for d in m.decorator_list
            if isinstance(d, ast.Attribute)
            and d.attr in {"setter", "deleter"}
            and isinstance(d.value, ast.Name)
        }
        methods = {m.name for m in defs} - setters
        for method in (m for m in cls.body if isinstance(m, FunctionNode)):
            args = method.args.posonlyargs + method.args.args
            if not args or method.decorator_list:
                continue
            self_name = args[0].arg
            for node in own_nodes(method):
                for target in _assigned(node):
                    if (
                        isinstance(target, ast.Attribute)
                        and isinstance(target.value, ast.Name)
                        and target.value.id == self_name
                        and target.attr in methods
                    ):
                        problems.append(
                            f"line {target.lineno}: {cls.name}.{method.name} assigns "
                            f"{self_name}.{target.attr}, which replaces the method "
                            f"{target.attr}() on the object: store the value under another "
                            "attribute name"
                        )
    return problems


def _method_doc(class_doc: str, name: str) -> str:
    """The text after ``name(...)`` on its line of a class spec's ``Methods:`` block."""
    for line in class_doc.splitlines():
        if line.strip().startswith(f"{name}("):
            return line.split(")", 1)[-1]
    return ""


def states_a_return(signature: str) -> bool:
    """``-> T`` for any T but None (a stated ``-> None`` is a command like no arrow)."""
    try:
        node = ast.parse(signature.strip().rstrip(":") + ": ...").body[0]
    except SyntaxError:
        return True  # unreadable: assume it may return something
    if not isinstance(node, FunctionNode):
        return True
    returns = node.returns
    return returns is not None and not (isinstance(returns, ast.Constant) and returns.value is None)


def _assigned(node: ast.AST) -> list[ast.expr]:
    """The targets ``node`` assigns to (``=``, ``+=``, an annotated assignment), else []."""
    if isinstance(node, ast.Assign):
        return node.targets
    if isinstance(node, ast.AugAssign | ast.AnnAssign):
        return [node.target]
    return []


def _returns_value(fn: FunctionNode) -> bool:
    return any(
        isinstance(n, ast.Return)
        and n.value is not None
        and not (isinstance(n.value, ast.Constant) and n.value.value is None)
        for n in own_nodes(fn)
    )


def _has_effect(fn: FunctionNode) -> bool:
    """Whether ``fn`` may change its object or the world (see the module docstring).

    Any store into an attribute or an item counts, whatever object it goes
    to, and so does any call not known to be read-only: a false "changes
    nothing" would have right code rewritten.
    """
    nodes = own_nodes(fn)
    raised = {id(n.exc) for n in nodes if isinstance(n, ast.Raise) and n.exc is not None}
    for node in nodes:
        if isinstance(node, ast.Global | ast.Nonlocal | ast.Yield | ast.YieldFrom):
            return True
        targets = node.targets if isinstance(node, ast.Delete) else _assigned(node)
        # task.done = True through a loop variable, items[k] = v through an alias,
        # REGISTRY[k] = v: any store into an object may be the effect, not only self's
        if any(
            isinstance(t, ast.Attribute | ast.Subscript)
            for target in targets
            for t in ast.walk(target)
        ):
            return True
        if isinstance(node, ast.Call) and id(node) not in raised:  # raise ValueError(...)
            func = node.func
            if isinstance(func, ast.Name) and func.id not in PURE_BUILTINS:
                return True
            if isinstance(func, ast.Attribute) and func.attr not in READ_ONLY_METHODS:
                return True
            if not isinstance(func, ast.Name | ast.Attribute):
                return True
    return False


_BUILTIN_TYPES: dict[str, type] = {
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "list": list,
    "dict": dict,
    "tuple": tuple,
    "set": set,
}


def typed_parameter_misuses(
    tree: ast.Module,
) -> list[tuple[FunctionNode, ast.Attribute, type]]:
    """``(function, attribute node, type)`` where a parameter's stated builtin type lacks it.

    Left alone where the function rebinds the parameter or tests its type
    (``isinstance(path, Path)``); each (parameter, attribute) pair once per function.
    """
    found = []
    for fn in (n for n in ast.walk(tree) if isinstance(n, FunctionNode)):
        params = {
            a.arg: _BUILTIN_TYPES[a.annotation.id]
            for a in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
            if isinstance(a.annotation, ast.Name) and a.annotation.id in _BUILTIN_TYPES
        }
        nodes = own_nodes(fn)
        for node in nodes:
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                params.pop(node.id, None)  # rebound: its type is no longer the stated one
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"isinstance", "hasattr", "getattr", "type"}
            ):
                for arg in node.args[:1]:
                    if isinstance(arg, ast.Name):
                        params.pop(arg.id, None)
        for node in nodes:
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in params
                and not hasattr(params[node.value.id], node.attr)
            ):
                found.append((fn, node, params[node.value.id]))
    return found


def typed_parameter_problems(tree: ast.Module) -> list[str]:
    """``path.exists()`` where the signature says ``path: str``: an AttributeError on every call.

    A small model that half-remembers ``pathlib`` writes ``path.exists()`` on
    the ``str`` the interface promises; no name is undefined, so nothing else
    sees it, and a repair that trades ``args.args`` for it looks better.
    ``quality.str_paths.as_paths`` repairs the file-system ones in ``tidy``,
    before the gate reads the file.
    """
    problems = []
    seen: set[tuple[int, str, str]] = set()
    for fn, node, kind in typed_parameter_misuses(tree):
        name = node.value.id  # type: ignore[attr-defined]
        if (id(fn), name, node.attr) in seen:
            continue
        seen.add((id(fn), name, node.attr))
        problems.append(
            f"line {node.lineno}: {fn.name} reads {name}.{node.attr}, but "
            f"{name} is a {kind.__name__} (the signature says so) and a {kind.__name__} has "
            f"no attribute {node.attr!r}: the call fails with AttributeError"
        )
    return problems
