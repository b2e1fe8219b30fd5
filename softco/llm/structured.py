"""Structured output: schema for the backend, parsing and the bounded re-ask message.

On constrained backends the JSON is guaranteed; validators may still reject
a value (an empty acceptance list, a dependency on an unknown file), and the
validation error goes back to the model as a short, specific message.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from pydantic import BaseModel, ValidationError

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


@functools.lru_cache(maxsize=256)
def _json_schema_cached(schema: type[BaseModel]) -> str:
    return json.dumps(_build_json_schema(schema))


def json_schema_for(schema: type[BaseModel]) -> dict[str, Any]:
    """The schema sent to the backend (cached per class: it never changes at runtime)."""
    return json.loads(_json_schema_cached(schema))


def _build_json_schema(schema: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with ``$ref``s inlined (grammar compilers like flat schemas)."""
    raw = schema.model_json_schema()
    defs = raw.pop("$defs", {})

    def inline(node: Any, depth: int = 0) -> Any:
        if depth > 20:
            return node
        if isinstance(node, dict):
            if "$ref" in node and len(node) <= 2:
                target = defs.get(node["$ref"].split("/")[-1], {})
                merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
                return inline(merged, depth + 1)
            # drop "title" annotations (strings), never a property that happens to be
            # called "title" (a dict under "properties")
            return {
                k: inline(v, depth + 1)
                for k, v in node.items()
                if not (k == "title" and isinstance(v, str))
            }
        if isinstance(node, list):
            return [inline(v, depth + 1) for v in node]
        return node

    return inline(raw)


def extract_json(text: str) -> Any:
    """Parse JSON from a reply that may wrap it in prose or a Markdown fence."""
    stripped = text.strip()
    try:
        return json.loads(stripped)
    except ValueError:
        pass
    for candidate in _FENCE.findall(stripped):
        try:
            return json.loads(candidate.strip())
        except ValueError:
            continue
    start, end = stripped.find("{"), stripped.rfind("}")
    if 0 <= start < end:
        return json.loads(stripped[start : end + 1])
    raise ValueError("the reply contains no JSON object")


def parse_reply(text: str, schema: type[BaseModel]) -> tuple[BaseModel | None, list[str]]:
    """Return ``(object, [])`` or ``(None, errors)`` with errors phrased for the model."""
    try:
        data = extract_json(text)
    except ValueError as exc:
        return None, [f"your reply was not valid JSON: {exc}"]
    try:
        return schema.model_validate(data), []
    except ValidationError as exc:
        errors = []
        for err in exc.errors()[:8]:
            loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
            msg = err["msg"].removeprefix("Value error, ")
            errors.append(f"{loc}: {msg}")
        return None, errors


def parse_plain(text: str, schema: type[BaseModel]) -> tuple[BaseModel | None, list[str]]:
    """Like :func:`parse_reply` for a schema read from plain text (``schema.from_text``)."""
    try:
        return schema.from_text(text), []  # type: ignore[attr-defined]
    except ValidationError as exc:
        return None, [e["msg"].removeprefix("Value error, ") for e in exc.errors()[:8]]
    except ValueError as exc:
        return None, [str(exc)]


def reask_message(errors: list[str], plain: bool = False) -> str:
    if plain:
        return (
            "Your reply could not be used:\n"
            + "\n".join(f"- {e}" for e in errors)
            + "\nReply with the complete file in one ```python block."
        )
    return (
        "Your JSON did not pass validation:\n"
        + "\n".join(f"- {e}" for e in errors)
        + "\nReturn the corrected JSON object only, with every problem fixed."
    )


def schema_hint(schema: type[BaseModel]) -> str:
    """For backends without constrained decoding: tell the model the exact shape."""
    return (
        "Reply with one JSON object only (no prose, no Markdown fence) matching this JSON "
        "schema:\n" + json.dumps(json_schema_for(schema), separators=(",", ":"))
    )


def salvage_json(text: str, schema: type[BaseModel], tries: int = 64) -> BaseModel | None:
    """The complete part of a JSON reply cut off at ``max_tokens``, if it still validates.

    Why: a small model that loops on a list (twelve test cases, five more stories)
    hits the token cap after writing everything useful; asking afresh costs a whole
    second call and often loops again. The reply is cut back to the end of its last
    complete list item or object member, the open brackets are closed, and the
    schema decides — a cut that leaves a required field out validates to nothing.
    """
    start = text.find("{")
    if start < 0:
        return None
    body = text[start:]
    for end, stack in reversed(_cut_points(body)[-tries:]):
        closed = body[:end].rstrip().rstrip(",") + "".join(
            "]" if c == "[" else "}" for c in reversed(stack)
        )
        try:
            return schema.model_validate(json.loads(closed))
        except (ValueError, ValidationError, RecursionError):
            continue
    return None


def _cut_points(body: str) -> list[tuple[int, str]]:
    """Where prefixes of ``body`` end after a complete member of the top object or a
    complete item of one of its lists, with the brackets still open there.

    Only those two depths: a cut deeper down would keep a value that was itself
    cut short (``"expected": ["a", "b"`` of a three-item answer) as if it were
    whole. A reply whose object closed was not cut off: nothing to salvage.
    """
    points: list[tuple[int, str]] = []
    stack: list[str] = []
    in_string = escaped = False
    for i, ch in enumerate(body):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in "[{":
            stack.append(ch)
        elif ch in "]}":
            if not stack:
                break
            stack.pop()
            if not stack:
                return []  # the whole object closed: nothing was cut
            if "".join(stack) in _SHALLOW:
                points.append((i + 1, "".join(stack)))
        elif ch == "," and "".join(stack) in _SHALLOW:
            points.append((i, "".join(stack)))
    return points


_SHALLOW = frozenset({"{", "{["})  # a member of the top object, an item of its list
