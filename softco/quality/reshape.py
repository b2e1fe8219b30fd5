"""Mechanical repairs of a module's shape, done without the model.

A small model asked for ``def to_roman(n)`` and ``def from_roman(s)`` often
writes a ``class RomanConverter`` holding them as methods, and a re-ask
returns the same class. When a wanted top-level function exists only as a
method that never touches instance state, the fix is mechanical: move the
method out of the class, drop ``self``, and turn ``self.helper(...)`` calls
into ``helper(...)``. Nothing is moved when the method reads attributes of
``self`` — then the class is a real design choice and the gate's finding
goes back to the coder.
"""

from __future__ import annotations

import ast
import re
import textwrap

from softco.artifacts import FileSpec


def source_lines(text: str, keepends: bool = False) -> list[str]:
    """Lines as ``ast`` numbers them: split on ``\\n``, ``\\r\\n`` and ``\\r`` only.

    ``str.splitlines`` also splits on form feeds, ``\\x85`` and ``\\u2028``,
    which may sit inside a string literal; line numbers from the AST would
    then point at the wrong line.
    """
    parts = re.split(r"(?<=\r\n)|(?<=\n)|(?<=\r)(?!\n)", text)
    if parts and parts[-1] == "":
        parts.pop()
    return parts if keepends else [p.rstrip("\r\n") for p in parts]


def is_static(method: ast.stmt) -> bool:
    """A ``@staticmethod`` (its first parameter is no ``self``)."""
    decorators = getattr(method, "decorator_list", [])
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in decorators)


def _self_free(method: ast.FunctionDef, members: set[str]) -> bool:
    """True when ``self`` is only used to reach other members of the class.

    Members are its methods and its class-level constants; an attribute set
    on the instance (``self.items = []``) makes the method need its instance.
    """
    if is_static(method):
        return True
    args = method.args.args
    if not args or args[0].arg != "self":
        return False
    reached = {
        id(node.value)
        for node in ast.walk(method)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
        and node.attr in members
        and isinstance(node.ctx, ast.Load)
    }
    return all(
        id(node) in reached
        for node in ast.walk(method)
        if isinstance(node, ast.Name) and node.id == "self"
    ) and not any(isinstance(n, ast.Nonlocal | ast.Global) for n in ast.walk(method))


def _constants(cls: ast.ClassDef) -> list[ast.stmt]:
    return [
        s
        for s in cls.body
        if isinstance(s, ast.Assign) and all(isinstance(t, ast.Name) for t in s.targets)
    ]


def lift_methods(spec: FileSpec, content: str) -> str:
    """Move wanted functions that the model wrapped in a class up to module level.

    Returns ``content`` unchanged when nothing is missing, the file does not
    parse, or a method needs its instance.
    """
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return content
    top = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    wanted = {
        fn.name for fn in spec.interface if fn.signature.startswith("def ") and fn.name not in top
    }
    if not wanted:
        return content
    lines = source_lines(content)
    moved: list[tuple[int, int, str]] = []
    emptied: list[ast.ClassDef] = []
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        methods = {m.name: m for m in cls.body if isinstance(m, ast.FunctionDef)}
        if not any(name in wanted for name in methods):
            continue
        inside = {id(n) for n in ast.walk(cls)}
        if any(
            isinstance(n, ast.Name) and n.id == cls.name and id(n) not in inside
            for n in ast.walk(tree)
        ):
            continue  # other code uses the class: it stays a class
        consts = _constants(cls)
        members = set(methods) | {t.id for c in consts for t in c.targets}  # type: ignore[attr-defined]
        others = [m for m in methods.values() if m.name != "__init__"]
        if "__init__" in methods or not all(_self_free(m, members) for m in others):
            continue
        for node in [*consts, *others]:
            decorators = getattr(node, "decorator_list", [])
            start = min(d.lineno for d in [node, *decorators])
            block = textwrap.dedent("\n".join(lines[start - 1 : node.end_lineno]))
            block = re.sub(r"^@staticmethod\s*\n", "", block)
            if isinstance(node, ast.FunctionDef) and not is_static(node):
                block = re.sub(r"\(\s*self\s*,\s*", "(", block, count=1)
                block = re.sub(r"\(\s*self\s*\)", "()", block, count=1)
            block = re.sub(r"\bself\.(\w+)\b", r"\1", block)
            block = re.sub(rf"\b{cls.name}\.(\w+)\b", r"\1", block)
            moved.append((start, node.end_lineno or node.lineno, block))
        rest = [
            x
            for x in cls.body
            if x not in consts
            and x not in others
            and not (isinstance(x, ast.Expr) and isinstance(x.value, ast.Constant))
            and not isinstance(x, ast.Pass)
        ]
        if not rest:
            emptied.append(cls)
    if not moved:
        return content
    drop = {i for a, b, _ in moved for i in range(a, b + 1)}
    for cls in emptied:  # a class left with nothing but a docstring goes too
        drop.update(range(cls.lineno, (cls.end_lineno or cls.lineno) + 1))
    body = "\n".join(t for i, t in enumerate(lines, 1) if i not in drop).rstrip()
    result = (body + "\n\n\n" if body else "") + "\n\n\n".join(b for _, _, b in moved) + "\n"
    try:
        ast.parse(result)
    except SyntaxError:
        return content
    return result


def _function_spans(tree: ast.Module) -> dict[str, tuple[int, int]]:
    spans = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min(d.lineno for d in [node, *node.decorator_list])
            spans[node.name] = (first, node.end_lineno or node.lineno)
    return spans


def splice_functions(base: str, donors: dict[str, str]) -> str | None:
    """``base`` with each top-level function named in ``donors`` taken from that donor's text.

    Used to combine candidates function by function: one sample may get
    ``to_roman`` right and another ``from_roman``. None when a text does not
    parse or a function is missing from either side.
    """
    try:
        base_spans = _function_spans(ast.parse(base))
    except SyntaxError:
        return None
    lines = source_lines(base)
    replacements = []
    for name, donor in donors.items():
        try:
            donor_spans = _function_spans(ast.parse(donor))
        except SyntaxError:
            return None
        if name not in base_spans or name not in donor_spans:
            return None
        a, b = donor_spans[name]
        replacements.append((base_spans[name], source_lines(donor)[a - 1 : b]))
    for (start, end), new in sorted(replacements, key=lambda r: r[0][0], reverse=True):
        lines[start - 1 : end] = new
    result = "\n".join(lines) + "\n"
    try:
        ast.parse(result)
    except SyntaxError:
        return None
    return result


def functions_exercised(test_source: str, names: set[str]) -> dict[str, set[str]]:
    """``{test function: interface names it references}`` for one test file."""
    try:
        tree = ast.parse(test_source)
    except SyntaxError:
        return {}
    found = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in names}
            found[node.name] = used
    return found


def add_function(content: str, unit: str, name: str) -> str | None:
    """``content`` with function ``name`` taken from ``unit`` (a one-function answer).

    The unit's imports go after the file's docstring, ``__future__`` imports
    and own imports (those not already there), its module-level constants
    come along when the file lacks them, its function replaces a same-named
    top-level one or is appended, and any helper function it defined comes
    too. None when the unit has no top-level ``name`` or the result does not
    compile.
    """
    try:
        unit_tree = ast.parse(unit)
        tree = ast.parse(content)
    except SyntaxError:
        return None
    unit_lines = source_lines(unit)
    spans = _function_spans(unit_tree)
    if name not in spans:
        return None
    present = set(source_lines(content))
    defined = {
        t.id
        for n in tree.body
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    head: list[str] = []
    for n in unit_tree.body:
        segment = ast.get_source_segment(unit, n) or ""
        if (isinstance(n, ast.Import | ast.ImportFrom) and segment not in present) or (
            isinstance(n, ast.Assign)
            and all(isinstance(t, ast.Name) and t.id not in defined for t in n.targets)
        ):
            head.append(segment)
    existing = _function_spans(tree)
    result = content
    blocks = []
    for fname, (a, b) in spans.items():
        block = "\n".join(unit_lines[a - 1 : b])
        if fname == name and fname in existing:
            result = splice_functions(result, {fname: block}) or result
        elif fname not in existing:
            blocks.append(block)
    lines = source_lines(result.rstrip()) if result.strip() else []
    at = after_preamble(ast.parse(result)) if lines else 0
    lines[at:at] = head
    out = "\n".join(lines)
    if blocks:
        out += "\n\n\n" + "\n\n\n".join(blocks)
    out = out.strip("\n") + "\n"
    try:
        compile(out, "<unit>", "exec")
    except (SyntaxError, ValueError):
        return None
    return out


def class_source(content: str, class_name: str) -> str:
    """The text of top-level class ``class_name`` ("" when absent or unparsable)."""
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return ""
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return ast.get_source_segment(content, node) or ""
    return ""


def has_multiline_strings(fn: ast.FunctionDef) -> bool:
    """A string other than the docstring spans lines (re-indenting would change its text)."""
    doc = fn.body[0] if fn.body and isinstance(fn.body[0], ast.Expr) else None
    return any(
        isinstance(n, ast.Constant | ast.JoinedStr)
        and (n.end_lineno or n.lineno) > n.lineno
        and (doc is None or n is not doc.value)
        for n in ast.walk(fn)
    )


def add_method(content: str, class_name: str, unit: str, name: str) -> str | None:
    """``content`` with method ``name`` from ``unit`` appended to class ``class_name``.

    The unit is the method as a top-level ``def`` (or inside a ``class`` of
    the same name); its imports go to the top as with :func:`add_function`.
    None when the class or the method is not there, the class already has it,
    or the result does not compile.
    """
    try:
        tree = ast.parse(content)
        unit_tree = ast.parse(textwrap.dedent(unit))
    except SyntaxError:
        return None
    unit = textwrap.dedent(unit)
    cls = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name), None)
    if cls is None or any(isinstance(m, ast.FunctionDef) and m.name == name for m in cls.body):
        return None
    candidates = [n for n in unit_tree.body if isinstance(n, ast.FunctionDef)]
    candidates += [
        m
        for c in unit_tree.body
        if isinstance(c, ast.ClassDef)
        for m in c.body
        if isinstance(m, ast.FunctionDef)
    ]
    method = next((m for m in candidates if m.name == name), None)
    if method is None or has_multiline_strings(method):
        return None  # re-indenting would change the text of a multi-line string
    start = min([method.lineno, *(d.lineno for d in method.decorator_list)])
    block = textwrap.dedent("\n".join(source_lines(unit)[start - 1 : method.end_lineno]))
    indent = " " * cls.body[0].col_offset
    lines = source_lines(content)
    end = cls.end_lineno or len(lines)
    added = ["", *(indent + line if line.strip() else "" for line in block.splitlines())]
    imports = [
        ast.get_source_segment(unit, n) or ""
        for n in unit_tree.body
        if isinstance(n, ast.Import | ast.ImportFrom)
    ]
    imports = [i for i in imports if i and i not in lines]
    result_lines = lines[:end] + added + lines[end:]
    if imports:
        at = after_preamble(tree)
        result_lines = result_lines[:at] + imports + result_lines[at:]
    result = "\n".join(result_lines) + "\n"
    try:
        compile(result, "<method>", "exec")
    except (SyntaxError, ValueError):
        return None
    return result


def after_preamble(tree: ast.Module) -> int:
    """Line index after the docstring, ``__future__`` imports and the other leading imports."""
    at = 0
    for n in tree.body:
        docstring = isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)
        if docstring or isinstance(n, ast.Import | ast.ImportFrom):
            at = n.end_lineno or n.lineno
        else:
            break
    return at


def with_pytest_import(content: str) -> str:
    """Add ``import pytest`` to a test file that uses ``pytest.`` without importing it."""
    if "pytest." not in content or re.search(r"^\s*(import pytest|from pytest )", content, re.M):
        return content
    try:
        tree = ast.parse(content)
    except SyntaxError:
        return "import pytest\n" + content
    at = max(
        [
            n.end_lineno or n.lineno
            for n in tree.body
            if isinstance(n, ast.ImportFrom) and n.module == "__future__"
        ]
        + [0]
    )
    lines = source_lines(content, keepends=True)
    return "".join([*lines[:at], "import pytest\n", *lines[at:]])
