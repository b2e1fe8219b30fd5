"""JSON schemas for structured output, shaped for grammar-constrained decoding.

``Model.model_json_schema()`` puts nested models in ``$defs`` and points at
them with ``$ref``. Not every backend resolves refs (and a 1.5B model reading
the schema in its prompt does better with the nested fields in place), so
:func:`schema_for` inlines them. It also closes every object
(``additionalProperties: false``) so the grammar cannot wander into invented
keys, and drops the auto-generated ``title`` keys, which only cost prompt
tokens. Descriptions are kept: small models read them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def schema_for(model: type[BaseModel]) -> dict[str, Any]:
    """A self-contained JSON schema for ``model``: no ``$ref``, no ``$defs``, no titles.

    Raises ``ValueError`` for recursive models, which cannot be inlined (and
    which artifacts avoid on purpose).
    """
    raw = model.model_json_schema()
    defs = raw.pop("$defs", {})
    result = _inline(raw, defs, ())
    assert isinstance(result, dict)
    return result


def _inline(node: Any, defs: dict[str, Any], stack: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_inline(item, defs, stack) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if name in stack:
            raise ValueError(f"cannot inline recursive schema {' -> '.join((*stack, name))}")
        target = _inline(defs[name], defs, (*stack, name))
        extra = {k: _inline(v, defs, stack) for k, v in node.items() if k != "$ref"}
        return {**target, **extra}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title" and isinstance(value, str):
            continue
        if key in ("properties", "$defs"):
            out[key] = {name: _inline(sub, defs, stack) for name, sub in value.items()}
        else:
            out[key] = _inline(value, defs, stack)
    if out.get("type") == "object" and "properties" in out:
        out.setdefault("additionalProperties", False)
    return out
