"""Memory that can fail without failing the run, and the factories that open it.

Retrieval improves prompts; it is never required. A corrupted store, a full
disk or a dead Chroma server therefore switches memory off for the rest of
the run, once, with a status line saying why, instead of raising into a
workflow node.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from softco.config import Settings
from softco.memory.models import Hit, Memory, MemoryItem, NullMemory, Where

log = logging.getLogger("softco.memory")

RUN_COLLECTION = "run"
COMPANY_COLLECTION = "lessons"
T = TypeVar("T")


class ResilientMemory:
    """Wraps a backend; the first exception disables it and sets ``status``.

    ``on_unavailable(reason)`` is called once at that moment, so a workflow can
    emit a ``MemoryActivity(action="unavailable")`` event.
    """

    def __init__(
        self,
        opener: Callable[[], Memory],
        name: str = "memory",
        on_unavailable: Callable[[str], None] | None = None,
    ) -> None:
        self.name = name
        self.on_unavailable = on_unavailable
        self.status = f"{name}: ready"
        self.available = False
        self._reported = False
        self._lock = threading.Lock()
        self._backend: Memory = NullMemory()
        try:
            self._backend = opener()
            self.available = True
        except Exception as exc:
            self._disable(exc)

    @classmethod
    def disabled(cls, name: str, why: str) -> ResilientMemory:
        """A memory switched off on purpose (settings): no warning, just a status."""
        mem = cls(NullMemory, name)
        mem.available = False
        mem.status = f"{name}: {why}"
        return mem

    @property
    def backend(self) -> Memory:
        """The wrapped store (a ``NullMemory`` once disabled)."""
        return self._backend

    def _disable(self, exc: BaseException) -> None:
        with self._lock:
            self.available = False
            self._backend = NullMemory()
            if self._reported:
                return
            self._reported = True
            text = str(exc).strip()
            reason = text.splitlines()[0][:300] if text else type(exc).__name__
            self.status = f"{self.name}: memory unavailable: {reason}; continuing without retrieval"
        log.warning("%s", self.status)
        if self.on_unavailable is not None:
            try:
                self.on_unavailable(self.status)
            except Exception:  # a broken listener must not undo the point of this class
                log.debug("on_unavailable callback failed", exc_info=True)

    def _guard(self, call: Callable[[Memory], T], fallback: T) -> T:
        backend = self._backend
        if not self.available:
            return fallback
        try:
            return call(backend)
        except Exception as exc:
            self._disable(exc)
            return fallback

    def add(self, items: list[MemoryItem]) -> int:
        return self._guard(lambda m: m.add(items), 0)

    def search(self, query: str, k: int = 5, where: Where | None = None) -> list[Hit]:
        return self._guard(lambda m: m.search(query, k, where), [])

    def forget(self, where: Where | None = None, ids: list[str] | None = None) -> int:
        return self._guard(lambda m: m.forget(where, ids), 0)

    def count(self) -> int:
        return self._guard(lambda m: m.count(), 0)


def _chroma_opener(collection: str, path: Path, settings: Settings) -> Callable[[], Memory]:
    def open_() -> Memory:
        from softco.memory.chroma import ChromaMemory  # chromadb only when memory is used

        return ChromaMemory.open(collection, path=path, server_url=settings.memory.server_url)

    return open_


def _collection_name(prefix: str, raw: str) -> str:
    """A valid chroma collection name (3-512 of [a-zA-Z0-9._-], alnum at both ends)."""
    body = re.sub(r"[^a-zA-Z0-9._-]+", "-", raw).strip("-._") or "default"
    return f"{prefix}-{body}"[:200].rstrip("-._")


def open_run_memory(
    run_dir: Path, settings: Settings, on_unavailable: Callable[[str], None] | None = None
) -> ResilientMemory:
    """This run's store: ``<run_dir>/memory``, collection "run" (or the server's)."""
    if not settings.memory.enabled:
        return ResilientMemory.disabled("run memory", "memory disabled by settings")
    # Embedded, each run has its own directory; on a shared server the run's
    # collection carries the run directory's name so runs do not mix.
    collection = RUN_COLLECTION
    if settings.memory.server_url:
        collection = _collection_name(RUN_COLLECTION, Path(run_dir).resolve().name)
    opener = _chroma_opener(collection, Path(run_dir) / "memory", settings)
    return ResilientMemory(opener, "run memory", on_unavailable)


def open_company_memory(
    settings: Settings, on_unavailable: Callable[[str], None] | None = None
) -> ResilientMemory:
    """Lessons shared by every project: ``<home>/memory``, collection "lessons"."""
    if not (settings.memory.enabled and settings.memory.company):
        return ResilientMemory.disabled("company memory", "company memory disabled by settings")
    opener = _chroma_opener(COMPANY_COLLECTION, Path(settings.home) / "memory", settings)
    return ResilientMemory(opener, "company memory", on_unavailable)


def describe(memory: Any) -> str:
    """A one-line status for any memory (used by ``softco doctor`` and reports)."""
    return str(getattr(memory, "status", type(memory).__name__))
