"""Shared vector memory behind a small Protocol.

Only this package imports chromadb, and only when a store is actually opened:
importing ``softco.memory`` for the types, ``pack`` or the ingest helpers costs
nothing. Everything runs offline (see ``embedder``).
"""

from __future__ import annotations

from collections.abc import Sequence

from softco.memory.context import estimate_tokens, pack, select
from softco.memory.ingest import artifact_items, chunk_text, code_items, lesson_items
from softco.memory.models import Hit, Memory, MemoryItem, NullMemory, Where
from softco.memory.recall import Recall, open_recall
from softco.memory.resilient import (
    COMPANY_COLLECTION,
    RUN_COLLECTION,
    ResilientMemory,
    describe,
    open_company_memory,
    open_run_memory,
)


def embed(texts: Sequence[str]) -> list[list[float]]:
    """Offline 384-d unit vectors (all-MiniLM-L6-v2 int8), one per text."""
    from softco.memory.embedder import embed as _embed

    return _embed(texts)


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts with the memory's embedder."""
    from softco.memory.embedder import similarity as _similarity

    return _similarity(a, b)


__all__ = [
    "COMPANY_COLLECTION",
    "RUN_COLLECTION",
    "Hit",
    "Memory",
    "MemoryItem",
    "NullMemory",
    "Recall",
    "ResilientMemory",
    "Where",
    "artifact_items",
    "chunk_text",
    "code_items",
    "describe",
    "embed",
    "estimate_tokens",
    "lesson_items",
    "open_company_memory",
    "open_recall",
    "open_run_memory",
    "pack",
    "select",
    "similarity",
]
