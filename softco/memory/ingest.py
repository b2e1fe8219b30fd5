"""Turning what the company produces into :class:`MemoryItem` chunks.

Chunks follow the units people retrieve: one function or class per item for
code, one story/objection/finding per item for documents. The embedder reads
only the first 256 tokens (~1,000 characters) of a text, so anything longer is
split; a chunk beyond that window would be stored but never found.

Generic on purpose (any pydantic model or dict), so new artifact types need no
code here.
"""

from __future__ import annotations

import ast
import logging
from collections.abc import Iterable
from typing import Any

import yaml
from pydantic import BaseModel

from softco.memory.models import MemoryItem

log = logging.getLogger(__name__)

#: Longest text stored as one item; about the embedder's 256-token window.
MAX_CHARS = 1200
#: Most parts kept from one oversized item. A 1 MB artifact is not useful
#: context for a prompt, and embedding all of it would stall a run.
MAX_PARTS = 24
_CODE_FIELDS = ("content", "code", "source")
_NAME_FIELDS = ("id", "name", "title")
_FILE_FIELDS = ("path", "file")


def chunk_text(text: str, max_chars: int = MAX_CHARS) -> list[tuple[int, str]]:
    """Split text into ``(first_line, chunk)`` pieces at line boundaries.

    Lines longer than ``max_chars`` (minified files, base64) are cut hard; a
    chunk may exceed ``max_chars`` by its final newline.
    """
    chunks: list[tuple[int, str]] = []
    buf: list[str] = []
    size, start = 0, 1
    for lineno, line in enumerate(text.splitlines(keepends=True), 1):
        core = line.rstrip("\r\n")
        pieces = [core[i : i + max_chars] for i in range(0, len(core), max_chars)] or [""]
        pieces[-1] += line[len(core) :]
        for piece in pieces:
            if buf and size + len(piece) > max_chars:
                chunks.append((start, "".join(buf)))
                buf, size = [], 0
            if not buf:
                start = lineno
            buf.append(piece)
            size += len(piece)
    if buf and "".join(buf).strip():
        chunks.append((start, "".join(buf)))
    return chunks


def split_long(
    item: MemoryItem, max_chars: int = MAX_CHARS, max_parts: int = MAX_PARTS
) -> list[MemoryItem]:
    """``[item]`` if it fits, else its first ``max_parts`` line-chunks as parts."""
    if len(item.text) <= max_chars:
        return [item]
    chunks = chunk_text(item.text, max_chars)
    if len(chunks) > max_parts:
        log.info("memory: kept %d of %d chunks of %s", max_parts, len(chunks), item.key)
    base = item.key
    parts = []
    for n, (line, text) in enumerate(chunks[:max_parts]):
        extra = {**item.extra, "part": n, "line": int(item.extra.get("line", 1)) + line - 1}
        parts.append(item.model_copy(update={"id": f"{base}#{n}", "text": text, "extra": extra}))
    return parts


def code_items(path: str, source: str, **meta: Any) -> list[MemoryItem]:
    """One item per top-level function/class, plus a header (docstring, imports).

    Code that does not parse (a coder's broken draft) falls back to line chunks
    so it is still searchable.
    """
    base = {"kind": "code", **meta, "file": path}
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return [
            MemoryItem(text=text, extra={"line": line}, **base) for line, text in chunk_text(source)
        ]
    lines = source.splitlines(keepends=True)
    items: list[MemoryItem] = []
    header: list[str] = []
    for node in tree.body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        end = node.end_lineno or node.lineno
        text = "".join(lines[start - 1 : end])
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            items.append(MemoryItem(text=text, symbol=node.name, extra={"line": start}, **base))
        elif text.strip():
            header.append(text if len(text) < 400 else text[:400] + "...\n")
    if header:
        head = "".join(header).strip() + "\n"
        items.insert(0, MemoryItem(text=head, symbol="<module>", extra={"line": 1}, **base))
    return items


def _render(value: Any) -> str:
    """Readable text for embedding: YAML reads closer to prose than JSON does."""
    try:
        return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=100).strip()
    except yaml.YAMLError:
        return str(value)


def _identity(element: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for key in _FILE_FIELDS:
        if isinstance(element.get(key), str) and element[key]:
            meta["file"] = element[key]
            break
    for key in _NAME_FIELDS:
        if isinstance(element.get(key), str | int) and str(element[key]).strip():
            meta["symbol"] = str(element[key])[:80]
            break
    return meta


def artifact_items(
    artifact: BaseModel | dict[str, Any], kind: str, **meta: Any
) -> list[MemoryItem]:
    """Items for any artifact: one per element of its lists of objects.

    A PRD gives one item per user story, a design one per file, a critique one
    per objection; the remaining fields (title, goals...) form one summary
    item. Elements holding Python source (``path`` + ``content``) are chunked
    by symbol. Anything without such lists is stored as its text, chunked.
    """
    data = artifact.model_dump(mode="json") if isinstance(artifact, BaseModel) else artifact
    if not isinstance(data, dict):
        return [MemoryItem(text=_render(data), kind=kind, **meta)]
    if _is_code(data):
        return _element_items(data, "", kind, meta)
    items: list[MemoryItem] = []
    rest: dict[str, Any] = {}
    for field, value in data.items():
        elements = value if isinstance(value, list) else None
        if not elements or not all(isinstance(e, dict) for e in elements):
            if value not in (None, "", [], {}):
                rest[field] = value
            continue
        for element in elements:
            items.extend(_element_items(element, field, kind, meta))
    if rest:
        summary = MemoryItem(text=_render(rest), kind=kind, extra={"field": "summary"}, **meta)
        items.insert(0, summary)
    return items


def _is_code(element: dict[str, Any]) -> bool:
    """A ``path``/``file`` ending in .py next to a ``content``/``code``/``source`` string."""
    path = _identity(element).get("file", "")
    has_code = any(isinstance(element.get(k), str) for k in _CODE_FIELDS)
    return has_code and isinstance(path, str) and path.endswith(".py")


def _element_items(
    element: dict[str, Any], field: str, kind: str, meta: dict[str, Any]
) -> list[MemoryItem]:
    ident = {**_identity(element), **{k: v for k, v in meta.items() if k in ("file", "symbol")}}
    if _is_code(element):
        code = next(element[k] for k in _CODE_FIELDS if isinstance(element.get(k), str))
        return code_items(ident["file"], code, **{k: v for k, v in meta.items() if k != "file"})
    others = {k: v for k, v in meta.items() if k not in ("file", "symbol")}
    return [MemoryItem(text=_render(element), kind=kind, extra={"field": field}, **ident, **others)]


def lesson_items(
    lessons: Iterable[str], outcome: str | None = None, **meta: Any
) -> list[MemoryItem]:
    """Lessons for the company store; ``outcome`` ("passed"/"failed") steers re-ranking."""
    return [
        MemoryItem(text=text.strip(), kind="lesson", outcome=outcome, **meta)
        for text in lessons
        if text and text.strip()
    ]
