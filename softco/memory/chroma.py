"""The chromadb implementation of :class:`~softco.memory.models.Memory`.

One class for both deployments: an embedded ``PersistentClient`` on a
directory (the default, nothing to run) or an ``HttpClient`` on a shared Chroma
server. Only the client differs, so a test against the embedded store
exercises the server path too. Importing ``softco`` has already set
``ANONYMIZED_TELEMETRY=False`` (``softco.config``); the client settings say so too.
"""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import chromadb
from chromadb.config import Settings as ChromaSettings

from softco.errors import MemoryUnavailable
from softco.memory.embedder import MiniLMEmbeddingFunction
from softco.memory.ingest import split_long
from softco.memory.models import Hit, MemoryItem, Where

log = logging.getLogger(__name__)

#: How long to wait for a Chroma server to accept a connection before giving up.
CONNECT_TIMEOUT_S = 3.0


def _chroma_settings() -> ChromaSettings:
    # Identical settings on every call: chromadb refuses a second client on the
    # same path with different settings.
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def open_client(path: Path | None = None, server_url: str | None = None) -> Any:
    """An embedded client on ``path``, or an HTTP client when ``server_url`` is set.

    Raises :class:`MemoryUnavailable` with the reason, within seconds, when the
    directory is unusable or the server does not answer.
    """
    if server_url:
        return _http_client(server_url)
    if path is None:
        raise MemoryUnavailable("no memory directory and no server URL configured")
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
    except Exception as exc:
        raise MemoryUnavailable(f"cannot open memory store at {path}: {_why(exc)}") from exc


def _http_client(server_url: str) -> Any:
    parts = urlsplit(server_url if "://" in server_url else f"http://{server_url}")
    ssl = parts.scheme == "https"
    host = parts.hostname or "localhost"
    port = parts.port or (443 if ssl else 8000)
    # chromadb's HTTP session has no timeout; probe first so a dead server costs
    # seconds, not a hung run.
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise MemoryUnavailable(f"chroma server {server_url} unreachable: {_why(exc)}") from exc
    try:
        return chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=_chroma_settings())
    except Exception as exc:
        raise MemoryUnavailable(f"chroma server {server_url} refused us: {_why(exc)}") from exc


def _why(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


def normalize_where(where: Where | None) -> Where | None:
    """Turn ``{"kind": "code", "file": "a.py"}`` into chroma's ``$and`` form.

    Chroma accepts one key per filter dict; callers should not have to know.
    """
    if not where:
        return None
    if len(where) == 1 or any(key.startswith("$") for key in where):
        return where
    return {"$and": [{key: value} for key, value in where.items()]}


class ChromaMemory:
    """A chroma collection behind the ``Memory`` Protocol."""

    def __init__(self, client: Any, collection: str) -> None:
        self.client = client
        self.name = collection
        try:
            self.collection = client.get_or_create_collection(
                collection,
                embedding_function=MiniLMEmbeddingFunction(),
                configuration={"hnsw": {"space": "cosine"}},
            )
        except Exception as exc:
            raise MemoryUnavailable(f"cannot open collection {collection!r}: {_why(exc)}") from exc

    @classmethod
    def open(
        cls, collection: str, path: Path | None = None, server_url: str | None = None
    ) -> ChromaMemory:
        """Open (creating if needed) a collection on a directory or a server."""
        return cls(open_client(path, server_url), collection)

    def add(self, items: list[MemoryItem]) -> int:
        parts: dict[str, MemoryItem] = {}
        for item in items:
            for part in split_long(item):
                parts[part.key] = part
        if not parts:
            return 0
        ids = list(parts)
        stored = self.collection.get(ids=ids, include=["documents"])
        unchanged = {
            i
            for i, doc in zip(stored["ids"], stored["documents"] or [], strict=False)
            if doc == parts[i].text
        }
        todo = [parts[i] for i in ids if i not in unchanged]
        step = max(1, min(512, self.client.get_max_batch_size()))
        for start in range(0, len(todo), step):
            batch = todo[start : start + step]
            self.collection.upsert(
                ids=[p.key for p in batch],
                documents=[p.text for p in batch],
                metadatas=[p.metadata() or {"kind": p.kind} for p in batch],
            )
        return len(todo)

    def search(self, query: str, k: int = 5, where: Where | None = None) -> list[Hit]:
        total = self.collection.count()
        if total == 0 or k <= 0:
            return []
        result = self.collection.query(
            query_texts=[query or " "],
            n_results=min(k, total),
            where=normalize_where(where),
            include=["documents", "metadatas", "distances"],
        )
        hits = []
        docs = (result.get("documents") or [[]])[0]
        metas = (result.get("metadatas") or [[]])[0]
        dists = (result.get("distances") or [[]])[0]
        for id_, doc, meta, dist in zip(result["ids"][0], docs, metas, dists, strict=False):
            hits.append(
                Hit(
                    id=id_,
                    text=doc or "",
                    metadata=dict(meta or {}),
                    distance=float(dist),
                    score=1.0 - float(dist),
                )
            )
        return hits

    def forget(self, where: Where | None = None, ids: list[str] | None = None) -> int:
        found = self.collection.get(ids=ids, where=normalize_where(where), include=[])["ids"]
        step = max(1, min(5000, self.client.get_max_batch_size()))
        for start in range(0, len(found), step):
            self.collection.delete(ids=found[start : start + step])
        return len(found)

    def count(self) -> int:
        return int(self.collection.count())

    def items(
        self, limit: int | None = None, where: Where | None = None, offset: int = 0
    ) -> list[MemoryItem]:
        """Stored items in store order (for ``softco memory ls``)."""
        got = self.collection.get(
            where=normalize_where(where),
            limit=limit,
            offset=offset or None,
            include=["documents", "metadatas"],
        )
        return [
            MemoryItem.from_metadata(i, doc or "", dict(meta or {}))
            for i, doc, meta in zip(
                got["ids"], got["documents"] or [], got["metadatas"] or [], strict=False
            )
        ]
