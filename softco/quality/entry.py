"""How a module ends as a program: a library's script block, ``main``'s exit code.

Three mechanical repairs certain from the design (run by ``repairs.tidy``):

- :func:`drop_library_script`: a module whose interface offers no ``main``
  (the design runs the program through another module) loses the
  ``if __name__ == "__main__":`` block a small model adds "for testing". It is
  a second, hand-rolled CLI nobody runs: the gates cannot hold it to the
  interface, and no test reaches it — three of wordfreq's ten mutants sat in
  the one its ``core.py`` carried, so the mutation score measured dead code.
- :func:`return_exit_code`: ``main`` whose interface says ``-> int`` but whose
  body can end without a ``return`` gets ``return 0`` at its end: it printed
  its answer and returned None, which ``main([...]) == 0`` fails.
- :func:`print_results`: ``return list_items(path)`` in such a ``main``
  prints the result and returns 0 instead of handing data to the shell as
  an exit code.
"""

from __future__ import annotations

import ast
import re

from softco.artifacts import Design, FileSpec
from softco.quality.case_checks import stated_signatures
from softco.quality.edits import own_nodes, parsed_main, without_lines
from softco.quality.reshape import source_lines


def _is_script_block(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    names = {ast.unparse(node.test.left), *(ast.unparse(c) for c in node.test.comparators)}
    return names == {"__name__", "'__main__'"} and isinstance(node.test.ops[0], ast.Eq)


def drop_library_script(spec: FileSpec, content: str, design: Design) -> str:
    """``content`` without its ``__main__`` block when the program runs from another module.

    Only where another module of the design is the way in (it offers ``main``,
    is a CLI or is the entry point) and this one offers no ``main``, is not the
    entry point nor a ``__main__.py``, and states an interface (one written
    later may be the program itself). A block with an ``else:`` stays.
    """
    if spec.kind == "cli" or any(fn.name == "main" for fn in spec.interface):
        return content
    if not spec.interface or spec.path.endswith("__main__.py") or spec.path == design.entry_point:
        return content
    elsewhere = [
        other
        for other in design.files
        if other.path != spec.path
        and (other.kind == "cli" or any(fn.name == "main" for fn in other.interface))
    ]
    if not elsewhere and design.entry_point in (None, "", spec.path):
        return content
    try:
        tree = ast.parse(content)
    except (SyntaxError, ValueError):
        return content
    blocks = [
        n for n in tree.body if _is_script_block(n) and not n.orelse and n.end_lineno is not None
    ]
    if not blocks:
        return content
    return without_lines(content, [(n.lineno, n.end_lineno or n.lineno) for n in blocks])


def _always_ends(body: list[ast.stmt]) -> bool:
    """Whether running ``body`` cannot fall off its end (returns, raises or exits)."""
    if not body:
        return False
    last = body[-1]
    if isinstance(last, ast.Raise):
        return True
    if isinstance(last, ast.Return):
        return last.value is not None  # a bare return hands back None
    if isinstance(last, ast.Expr) and isinstance(last.value, ast.Call):
        return ast.unparse(last.value.func) in {"sys.exit", "exit", "quit", "os._exit"}
    if isinstance(last, ast.If):
        return _always_ends(last.body) and _always_ends(last.orelse)
    if isinstance(last, ast.With):
        return _always_ends(last.body)
    if isinstance(last, ast.Try):
        ends = _always_ends(last.orelse or last.body)
        return ends and all(_always_ends(h.body) for h in last.handlers)
    if isinstance(last, ast.Match):
        wildcard = last.cases and isinstance(last.cases[-1].pattern, ast.MatchAs)
        return bool(wildcard) and all(_always_ends(c.body) for c in last.cases)
    if isinstance(last, ast.While):
        return ast.unparse(last.test) in ("True", "1") and not any(
            isinstance(n, ast.Break) for n in ast.walk(last)
        )
    return False


def return_exit_code(spec: FileSpec, content: str) -> str:
    """``main`` that can end without returning gets ``return 0`` where it says ``-> int``."""
    stated = stated_signatures(spec).get("main")
    if stated is None or stated.returns is None or ast.unparse(stated.returns) != "int":
        return content
    found = parsed_main(content)
    if found is None:
        return content
    fn = found[1]
    if _always_ends(fn.body) or fn.end_lineno is None:
        return content
    if any(isinstance(n, ast.Yield | ast.YieldFrom) for n in ast.walk(fn)):
        return content
    lines = source_lines(content, keepends=True)
    first = lines[fn.body[0].lineno - 1]
    indent = first[: len(first) - len(first.lstrip())]
    if fn.body[0].lineno == fn.lineno or fn.body[0].col_offset != len(indent.encode()):
        return content  # ``def main(): ...`` on one line: left as written
    last = fn.body[-1]
    if isinstance(last, ast.Return) and last.value is None and last.lineno == last.end_lineno:
        row = lines[last.lineno - 1]  # a closing bare ``return``: the exit code it meant
        at = len(
            row[: last.col_offset].encode("utf-8", "surrogateescape").decode("utf-8", "ignore")
        )
        lines[last.lineno - 1] = row[:at] + "return 0" + row[at + len("return") :]
        return "".join(lines)
    end = fn.end_lineno
    if not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    lines.insert(end, f"{indent}return 0\n")
    return "".join(lines)


_COMMAND_LINE = {"argv", "args", "arguments", "namespace", "ns", "parsed", "options", "opts"}
_EXIT_WORDS = re.compile(r"exit|status|return code|success|fail|error code", re.I)


def _exit_code_like(fn: ast.FunctionDef | ast.AsyncFunctionDef, doc: str) -> bool:
    """``run(argv) -> int``, or a contract speaking of success or exit: a code, not data."""
    params = {a.arg for a in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]}
    return bool(params & _COMMAND_LINE) or bool(_EXIT_WORDS.search(doc))


def print_results(spec: FileSpec, content: str) -> str:
    """``return add(...)`` in a ``main -> int`` prints the result and returns 0.

    ``main``'s return value is the process's exit code: returning
    ``list_items(path)`` (a list) or ``add(path, text)`` (the new id) makes
    every successful command look like a failure to the shell and to a test
    expecting 0, and prints nothing. Applied to a ``return`` of another stated
    function of the module with a stated result, unless that function takes
    the command line (``run(argv) -> int``) or its contract speaks of an exit
    code, success or failure (then returning it is meant).
    """
    signatures = stated_signatures(spec)
    stated = signatures.get("main")
    if stated is None or stated.returns is None or ast.unparse(stated.returns) != "int":
        return content
    docs = {f.name: f.docstring or "" for f in spec.interface}
    data = {
        name
        for name, fn in signatures.items()
        if name != "main"
        and fn.returns is not None
        and ast.unparse(fn.returns) != "None"
        and not _exit_code_like(fn, docs.get(name, ""))
    }
    found = parsed_main(content)
    if found is None or not data:
        return content
    lines = source_lines(content, keepends=True)
    targets = [
        node
        for node in own_nodes(found[1])
        if isinstance(node, ast.Return)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id in data
        and node.lineno == node.end_lineno
    ]
    for node in sorted(targets, key=lambda n: n.lineno, reverse=True):
        row = lines[node.lineno - 1]
        indent = row[: len(row) - len(row.lstrip())]
        if len(indent.encode()) != node.col_offset:
            continue  # ``if x: return f()`` on one line: left as written
        call = ast.unparse(node.value)  # type: ignore[arg-type]
        lines[node.lineno - 1 : node.lineno] = [
            f"{indent}print({call})\n",
            f"{indent}return 0\n",
        ]
    return "".join(lines)
