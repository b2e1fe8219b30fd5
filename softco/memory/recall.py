"""A run's memory as the workflow and the roles see it.

Two stores: the run's own (artifacts and code of this project) and the
company's (lessons from every project before). ``remember`` writes, ``for_role``
reads; both are safe to call when memory is broken (``ResilientMemory``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from softco.config import Settings
from softco.memory.context import render, select
from softco.memory.ingest import artifact_items, code_items, lesson_items
from softco.memory.models import Hit, Memory, MemoryItem
from softco.memory.resilient import open_company_memory, open_run_memory

#: Artifact kinds whose ``lessons`` field also goes to the company store.
LESSON_FIELDS = ("lessons",)


class Recall:
    """What a role remembers: this run's memory plus the company's lessons.

    Lessons whose outcome was "passed" are boosted (and "failed" ones slightly
    demoted) so advice that worked before wins close calls. A lesson's outcome
    defaults to the latest test report this run remembered: "passed" when every
    test passed, else "failed".
    """

    def __init__(
        self,
        run: Memory,
        company: Memory | None = None,
        k: int = 5,
        run_id: str | None = None,
        passed_boost: float = 0.1,
        failed_penalty: float = 0.05,
    ) -> None:
        self.run = run
        self.company = company
        self.k = k
        self.run_id = run_id
        self.passed_boost = passed_boost
        self.failed_penalty = failed_penalty
        self.last_outcome: str | None = None

    @property
    def status(self) -> str:
        """One line per store, e.g. "run memory: ready; company memory: ready"."""
        stores = [self.run] + ([self.company] if self.company is not None else [])
        return "; ".join(str(getattr(m, "status", type(m).__name__)) for m in stores)

    # ---- reading ---------------------------------------------------------------------

    def lessons(self, query: str, k: int | None = None) -> list[Hit]:
        """Company lessons for ``query``, re-ranked by outcome."""
        if self.company is None:
            return []
        found = self.company.search(query, k or self.k, where={"kind": "lesson"})
        bonus = {"passed": self.passed_boost, "failed": -self.failed_penalty}
        return [
            h.model_copy(update={"score": h.score + bonus.get(str(h.metadata.get("outcome")), 0.0)})
            for h in found
        ]

    def for_role(
        self, role: str, task_text: str, token_budget: int, already: str = ""
    ) -> tuple[str, list[Hit]]:
        """Packed context for ``role`` working on ``task_text``, and the hits used.

        ``role`` is not a filter (a coder gains from the reviewer's findings);
        it is accepted so callers and events can say who asked.
        """
        if token_budget <= 0 or not task_text.strip():
            return "", []
        hits = self.run.search(task_text, self.k) + self.lessons(task_text)
        used = select(hits, token_budget, already)
        return "\n\n".join(render(h) for h in used), used

    # ---- writing ---------------------------------------------------------------------

    def remember(self, kind: str, obj: BaseModel | Mapping[str, Any], **meta: Any) -> int:
        """Store an artifact in the run memory; its lessons also go to the company.

        Returns how many items were new or changed.
        """
        data = obj.model_dump(mode="json") if isinstance(obj, BaseModel) else dict(obj)
        if kind == "test_report":
            self._note_outcome(obj, data)
            # Passing cases teach nothing and would crowd out the failures.
            cases = data.get("cases")
            if isinstance(cases, list):
                data["cases"] = [c for c in cases if _case_outcome(c) != "passed"]
        stored = self.run.add(artifact_items(data, kind, run=self.run_id, **meta))
        lessons = [t for f in LESSON_FIELDS for t in data.get(f) or [] if isinstance(t, str)]
        if lessons:
            keep = {k: v for k, v in meta.items() if k in ("role", "phase", "sprint")}
            self.remember_lessons(lessons, **keep)
        return stored

    def remember_files(self, files: Mapping[str, str], **meta: Any) -> int:
        """Store source files chunked by symbol (non-Python files by lines)."""
        items: list[MemoryItem] = []
        for path, text in files.items():
            items.extend(code_items(path, text, run=self.run_id, **meta))
        return self.run.add(items)

    def remember_lessons(
        self, lessons: Iterable[str], outcome: str | None = None, **meta: Any
    ) -> int:
        """Store lessons in the company memory (the run's when there is none).

        Not both: ``for_role`` searches both stores and would spend two of its
        ``k`` slots on one lesson.
        """
        items = lesson_items(lessons, outcome or self.last_outcome, run=self.run_id, **meta)
        return (self.company or self.run).add(items)

    def _note_outcome(self, obj: Any, data: Mapping[str, Any]) -> None:
        """Remember whether the latest test run was green, for lessons stored next."""
        counts = {n: _number(getattr(obj, n, None), data.get(n)) for n in ("failed", "errors")}
        total = _number(getattr(obj, "total", None), data.get("total"))
        cases = data.get("cases")
        if total is None and isinstance(cases, list):
            outcomes = [_case_outcome(c) for c in cases]
            total = len(outcomes)
            counts = {"failed": sum(o in ("failed", "error") for o in outcomes), "errors": 0}
        if total:
            bad = sum(v or 0 for v in counts.values())
            self.last_outcome = "passed" if bad == 0 else "failed"


def _number(*candidates: Any) -> int | None:
    for value in candidates:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return int(value)
    return None


def _case_outcome(case: Any) -> str:
    return str(case.get("outcome", "")) if isinstance(case, Mapping) else ""


def open_recall(
    settings: Settings,
    run_dir: Path,
    run_id: str | None = None,
    on_unavailable: Callable[[str], None] | None = None,
) -> Recall:
    """The run's ``Recall``: ``<run_dir>/memory`` plus ``<home>/memory`` lessons.

    Never raises for a broken store: each store degrades on its own and
    ``status`` says why.
    """
    run = open_run_memory(run_dir, settings, on_unavailable)
    company = open_company_memory(settings, on_unavailable) if settings.memory.company else None
    return Recall(run, company, k=settings.memory.k, run_id=run_id)
