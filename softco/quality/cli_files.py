"""A command line that hands a file *name* to a function wanting the file's *text*.

``wordfreq/cli.py`` read ``FILE`` with argparse and called
``count_words(args.FILE)`` — counting the words of the path. The interface
says ``count_words(text: str)``, the argument is the file argument, and
``main`` opens no file anywhere: the missing ``read_text`` is certain, so it
is added (and ``main``'s own ``except FileNotFoundError`` then works as the
brief asked). No model call; module text in, text out, never raises.
"""

from __future__ import annotations

import ast
import re

from softco.artifacts import Design, FileSpec
from softco.quality.edits import Edit, apply_edits, parsed_main, span

TEXT_PARAMS = {"text", "content", "contents", "source", "csv_text", "document", "body"}
# the name must *end* as a file name does: ``file_text`` already holds the text
_FILE_NAME = re.compile(r"(file|path|filename|fname)$", re.IGNORECASE)
_READERS = {"open", "read_text", "read", "readlines", "read_bytes", "load", "reader"}


def _text_positions(spec: FileSpec, design: Design) -> dict[str, set[int]]:
    """``{function: {positions of a `text: str` parameter}}`` over the file's dependencies."""
    found: dict[str, set[int]] = {}
    for dep in spec.depends_on:
        other = design.file(dep) if dep in {f.path for f in design.files} else None
        for fn in other.interface if other else []:
            if not fn.signature.startswith("def "):
                continue
            try:
                node = ast.parse(fn.signature + ":\n    ...").body[0]
            except SyntaxError:
                continue
            assert isinstance(node, ast.FunctionDef)
            for i, arg in enumerate(node.args.args):
                annotation = ast.unparse(arg.annotation) if arg.annotation else ""
                if arg.arg in TEXT_PARAMS and annotation == "str":
                    found.setdefault(fn.name, set()).add(i)
    return found


def _reads_files(fn: ast.FunctionDef) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            f = node.func
            name = (
                f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            )
            if name in _READERS:
                return True
    return False


def _is_file_argument(node: ast.AST) -> bool:
    """``args.file``, ``args.FILE``, ``file_path``, ``args.input_file``: named as a file."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return bool(_FILE_NAME.search(node.attr))
    if isinstance(node, ast.Name):
        return bool(_FILE_NAME.search(node.id))
    return False


def read_file_arguments(spec: FileSpec, content: str, design: Design) -> str:
    """In ``main``, ``f(args.file)`` where ``f`` takes ``text: str`` reads the file first.

    Only when ``main`` opens and reads nothing itself, the callee is a
    dependency's function whose parameter at that position is ``text: str``
    (or ``content``, ``source``, …), and the argument is a file argument. The
    call becomes ``f(pathlib.Path(args.file).read_text(encoding="utf-8"))``;
    ``repairs.import_missing`` adds ``import pathlib``.
    """
    wanted = _text_positions(spec, design)
    if not wanted:
        return content
    found = parsed_main(content)
    if found is None or _reads_files(found[1]):
        return content
    fn = found[1]
    edits: list[Edit] = []
    for node in ast.walk(fn):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
        for i in wanted.get(name, set()):
            if i < len(node.args) and _is_file_argument(node.args[i]):
                arg = node.args[i]
                if arg.lineno != arg.end_lineno:
                    continue
                text = f'pathlib.Path({ast.unparse(arg)}).read_text(encoding="utf-8")'
                edits.append(span(arg, text))
    return apply_edits(content, edits) if edits else content
