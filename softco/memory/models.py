"""What memory stores and returns, and the Protocol every store implements.

Kept free of chromadb so roles and workflows can type against ``Memory``
without paying for (or depending on) the vector database.
"""

from __future__ import annotations

import hashlib
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, Field, computed_field, field_validator, model_validator

MetaValue = str | int | float | bool
Where = dict[str, Any]

#: Metadata keys every item may carry; anything else goes in ``MemoryItem.extra``.
META_KEYS = ("run", "role", "phase", "sprint", "kind", "file", "symbol", "outcome")


def _clean(text: Any) -> str:
    """Valid UTF-8 text whatever came in (see ``embedder.clean_text`` for why)."""
    if isinstance(text, bytes | bytearray):
        return bytes(text).decode("utf-8", errors="replace")
    return str(text).encode("utf-8", errors="replace").decode("utf-8")


class MemoryItem(BaseModel):
    """One retrievable piece of text with where it came from.

    ``id`` defaults to a hash of the content and its identity (kind, file,
    symbol), so storing the same thing twice (a resumed run re-ingesting its
    design) overwrites rather than duplicates.
    """

    text: str
    id: str | None = None
    kind: str = Field("note", description="prd, story, objection, design, code, finding, lesson...")
    run: str | None = None
    role: str | None = None
    phase: str | None = None
    sprint: int | None = None
    file: str | None = None
    symbol: str | None = None
    outcome: str | None = Field(None, description='e.g. "passed" / "failed" for lessons.')
    extra: dict[str, MetaValue] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _unknown_to_extra(cls, data: Any) -> Any:
        """Unknown keyword metadata (``story="US1"``) lands in ``extra``, not the void."""
        if not isinstance(data, dict):
            return data
        known = set(cls.model_fields)
        unknown = {k: v for k, v in data.items() if k not in known}
        if not unknown:
            return data
        kept = {k: v for k, v in data.items() if k in known}
        extra = dict(kept.get("extra") or {})
        extra.update(unknown)
        return {**kept, "extra": extra}

    @field_validator("extra", mode="before")
    @classmethod
    def _scalars(cls, value: Any) -> Any:
        """Chroma stores only str/int/float/bool: drop ``None``, stringify the rest."""
        if not isinstance(value, dict):
            return value
        return {
            _clean(k): _clean(v) if not isinstance(v, int | float | bool) else v
            for k, v in value.items()
            if v is not None
        }

    @field_validator(
        "text", "kind", "run", "role", "phase", "file", "symbol", "outcome", mode="before"
    )
    @classmethod
    def _utf8(cls, value: Any) -> Any:
        return value if value is None or isinstance(value, int) else _clean(value)

    @property
    def key(self) -> str:
        """The explicit id, or a stable content hash."""
        if self.id:
            return self.id
        digest = hashlib.sha256()
        for part in (self.kind, self.file or "", self.symbol or "", self.text):
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
        return f"{self.kind}-{digest.hexdigest()[:24]}"

    def metadata(self) -> dict[str, MetaValue]:
        """Flat metadata for the store; ``None`` values are dropped (chroma rejects them)."""
        meta: dict[str, MetaValue] = {
            k: v for k, v in self.extra.items() if isinstance(v, MetaValue)
        }
        for key in META_KEYS:
            value = getattr(self, key)
            if value is not None:
                meta[key] = value
        return meta

    @classmethod
    def from_metadata(cls, id: str, text: str, meta: dict[str, Any]) -> MemoryItem:
        """Rebuild an item read back from a store."""
        known = {k: meta[k] for k in META_KEYS if k in meta}
        extra = {k: v for k, v in meta.items() if k not in META_KEYS}
        return cls(id=id, text=text, extra=extra, **known)


class Hit(BaseModel):
    """One search result. ``score`` is cosine similarity (higher is closer)."""

    id: str
    text: str
    metadata: dict[str, MetaValue] = Field(default_factory=dict)
    distance: float = 0.0
    score: float = 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def source(self) -> str:
        """A short tag a prompt can cite, e.g. ``[design:calc/ops.py]``."""
        kind = self.metadata.get("kind", "note")
        file, symbol = self.metadata.get("file"), self.metadata.get("symbol")
        if file and symbol:
            where = f"{file}::{symbol}"
        else:
            meta = self.metadata
            named = file or symbol or meta.get("field") or meta.get("role") or meta.get("run")
            where = str(named or self.id[:12])
        return f"[{kind}:{where}]"


@runtime_checkable
class Memory(Protocol):
    """A searchable store of :class:`MemoryItem`.

    ``where`` is a chroma-style metadata filter; a plain ``{"kind": "code",
    "file": "a.py"}`` means "all of these".
    """

    def add(self, items: list[MemoryItem]) -> int:
        """Store items (idempotent by id); returns how many were new or changed."""
        ...

    def search(self, query: str, k: int = 5, where: Where | None = None) -> list[Hit]:
        """The ``k`` nearest items, best first; ``[]`` when nothing is stored."""
        ...

    def forget(self, where: Where | None = None, ids: list[str] | None = None) -> int:
        """Delete matching items (everything when neither is given); returns how many."""
        ...

    def count(self) -> int:
        """How many items are stored."""
        ...


class NullMemory:
    """A memory that remembers nothing: memory disabled, or the store failed."""

    status = "memory disabled"

    def add(self, items: list[MemoryItem]) -> int:
        return 0

    def search(self, query: str, k: int = 5, where: Where | None = None) -> list[Hit]:
        return []

    def forget(self, where: Where | None = None, ids: list[str] | None = None) -> int:
        return 0

    def count(self) -> int:
        return 0
