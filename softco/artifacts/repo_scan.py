"""Read an existing repository back into a Design (incremental mode).

Agile sprints and ``softco run --repo`` extend code that already exists, so the
architect must see it the way it sees its own designs: files, public
signatures with docstrings, and which local modules each file imports. Only
``ast`` is used; nothing from the repository is imported or executed.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

from softco.artifacts.design import EXISTING_REPO, Design, FunctionSpec
from softco.artifacts.paths import STDLIB_NAMES, module_name, path_problem
from softco.errors import DesignInvalid

SKIP_DIRS = frozenset({"venv", "env", "build", "dist", "node_modules", "site-packages"})
"""Directories that hold installed or generated code, not the project's own."""


def _python_files(root: Path) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")) and d not in SKIP_DIRS)
        rel = Path(folder).relative_to(root)
        for name in files:
            path = (rel / name).as_posix()
            if name.endswith(".py") and path_problem(path, allow_shadowing=True) is None:
                found.append(path)
    return sorted(found)


def _signature(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> str:
    if isinstance(node, ast.ClassDef):
        bases = [ast.unparse(b) for b in node.bases]
        bases += [ast.unparse(k) for k in node.keywords]
        return f"class {node.name}({', '.join(bases)})" if bases else f"class {node.name}"
    prefix = "async def" if isinstance(node, ast.AsyncFunctionDef) else "def"
    returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
    return f"{prefix} {node.name}({ast.unparse(node.args)}){returns}"


def _interface(tree: ast.Module) -> list[FunctionSpec]:
    specs = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name.startswith("_"):
                continue
            doc = (ast.get_docstring(node) or "").split("\n\n")[0]
            specs.append(FunctionSpec(signature=_signature(node), docstring=doc))
    return specs


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, package: list[str]) -> list[tuple[str, list[str]]]:
    """(absolute module, imported names) pairs, skipping ``if TYPE_CHECKING:`` blocks."""
    found: list[tuple[str, list[str]]] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module or "").split(".")]).strip(".")
            found.append((module, [alias.name for alias in node.names]))
        stack.extend(ast.iter_child_nodes(node))
    return found


def _local(module: str, index: dict[str, str]) -> str | None:
    """The path of the longest prefix of ``module`` that is a project file."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        path = index.get(".".join(parts[:end]))
        if path:
            return path
    return None


def _kind(path: str, tree: ast.Module | None) -> str:
    name = path.rsplit("/", 1)[-1]
    in_tests = "tests" in path.split("/")[:-1]
    if in_tests or name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
        return "test"
    if name == "__main__.py" or (tree is not None and _has_main_guard(tree)):
        return "cli"
    return "module"


def _has_main_guard(tree: ast.Module) -> bool:
    return any(isinstance(n, ast.If) and "__main__" in ast.unparse(n.test) for n in tree.body)


def design_from_repo(root: Path) -> Design:
    """A Design describing the Python files already under ``root``.

    Hidden folders, ``__pycache__``, virtualenvs/build folders and files whose
    names are not importable are skipped. A file that does not parse is kept
    with no interface and its syntax error as its responsibility, so the
    architect sees it needs fixing. Third-party imports become ``dependencies``
    (as import names). Import cycles are kept: ``validate_design`` reports them.
    """
    root = Path(root)
    paths = _python_files(root) if root.is_dir() else []
    if not paths:
        raise DesignInvalid(f"no importable Python files under {root}", [])
    index = {module_name(p): p for p in paths}
    index |= {m.removeprefix("src."): p for m, p in list(index.items()) if m.startswith("src.")}
    tops = {m.split(".")[0] for m in index}
    files: list[dict[str, object]] = []
    third_party: set[str] = set()
    for path in paths:
        source = (root / path).read_text(encoding="utf-8", errors="replace")
        try:
            tree = ast.parse(source, filename=path)
        except SyntaxError as exc:
            broken = f"does not parse: {exc.msg} (line {exc.lineno})"
            files.append({"path": path, "responsibility": broken, "kind": _kind(path, None)})
            continue
        module = module_name(path)
        package = module.split(".") if path.endswith("__init__.py") else module.split(".")[:-1]
        deps: list[str] = []
        for imported, names in _imports(tree, package):
            submodules = [index.get(f"{imported}.{n}") for n in names]
            targets = [s for s in submodules if s]
            if not targets or len(targets) < len(names):
                local = _local(imported, index)
                targets += [local] if local else []
            deps += targets
            top = imported.split(".")[0]
            if not targets and top and top not in tops and top not in STDLIB_NAMES:
                third_party.add(top)
        doc = (ast.get_docstring(tree) or "").strip().split("\n")[0]
        kind = _kind(path, tree)
        files.append(
            {
                "path": path,
                "responsibility": doc or f"existing module {module}",
                "kind": kind,
                "interface": [] if kind == "test" else _interface(tree),
                "depends_on": [d for d in dict.fromkeys(deps) if d != path],
            }
        )
    cli = [str(f["path"]) for f in files if f["kind"] == "cli"]
    entry = next((p for p in cli if p.endswith("__main__.py")), cli[0] if cli else "")
    data = {
        "summary": f"existing project {root.resolve().name} with {len(files)} Python files",
        "files": files,
        "entry_point": entry,
        "dependencies": sorted(third_party),
    }
    return Design.model_validate(data, context={EXISTING_REPO: True})
