"""The usage ledger and the budget cap.

Every call is recorded (role, phase, model, tokens, cost, latency). The cap is
checked *before* a call, against the worst case (prompt estimate + the call's
``max_tokens``), so a run can never overshoot its budget by a whole call — the
GPT-Pilot "$30 in an hour" failure. The ledger is appended to
``RUN_DIR/ledger.jsonl`` so a resumed run keeps counting from where it was.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel, Field

from softco.config import BudgetSettings
from softco.errors import BudgetExceeded


class CallRecord(BaseModel):
    role: str = ""
    phase: str = ""
    model: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0
    cached: bool = False
    ts: float = Field(default_factory=time.time)


class UsageTotals(BaseModel):
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def add(self, rec: CallRecord) -> None:
        self.calls += 1
        self.prompt_tokens += rec.prompt_tokens
        self.completion_tokens += rec.completion_tokens
        self.cost_usd += rec.cost_usd
        self.latency_s += rec.latency_s


class UsageLedger:
    """Thread-safe record of every call with totals by role and phase."""

    def __init__(self, budget: BudgetSettings | None = None, path: Path | None = None):
        self.budget = budget or BudgetSettings()
        self.path = Path(path) if path else None
        self.records: list[CallRecord] = []
        self._lock = threading.Lock()
        self._totals = UsageTotals()
        self._held_tokens = 0
        self._held_usd = 0.0
        if self.path and self.path.exists():
            from softco.events import heal_tail

            heal_tail(self.path)
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    rec = CallRecord.model_validate_json(line)
                except ValueError:
                    continue  # a torn last line after a kill: that call is lost, not the run
                self.records.append(rec)
                self._totals.add(rec)

    def reserve(self, prompt_tokens: int, max_tokens: int, cost_usd: float = 0.0) -> tuple:
        """Check the caps and hold this call's worst case until :meth:`release`.

        Concurrent coders each reserve before calling, so parallel calls cannot
        all pass the check against the same totals and overshoot together.
        """
        with self._lock:
            self._check(prompt_tokens + self._held_tokens, max_tokens, cost_usd + self._held_usd)
            self._held_tokens += prompt_tokens + max_tokens
            self._held_usd += cost_usd
        return (prompt_tokens + max_tokens, cost_usd)

    def release(self, reservation: tuple) -> None:
        with self._lock:
            self._held_tokens -= reservation[0]
            self._held_usd -= reservation[1]

    def check(self, prompt_tokens: int, max_tokens: int, cost_usd: float = 0.0) -> None:
        """Raise ``BudgetExceeded`` if this call could push the run past a cap."""
        with self._lock:
            self._check(prompt_tokens + self._held_tokens, max_tokens, cost_usd + self._held_usd)

    def _check(self, prompt_tokens: int, max_tokens: int, cost_usd: float) -> None:
        total = self._totals
        cap_tokens, cap_usd = self.budget.max_tokens, self.budget.max_usd
        if cap_tokens is not None and total.total_tokens + prompt_tokens + max_tokens > cap_tokens:
            raise BudgetExceeded(
                f"token budget reached: {total.total_tokens:,} used, next call may need up to "
                f"{prompt_tokens + max_tokens:,}, cap {cap_tokens:,} (raise --budget-tokens)",
                spent_usd=total.cost_usd,
                spent_tokens=total.total_tokens,
            )
        if cap_usd is not None and total.cost_usd + cost_usd > cap_usd:
            raise BudgetExceeded(
                f"dollar budget reached: ${total.cost_usd:.4f} spent, next call may cost up to "
                f"${cost_usd:.4f}, cap ${cap_usd:.4f} (raise --budget-usd)",
                spent_usd=total.cost_usd,
                spent_tokens=total.total_tokens,
            )
        if cap_usd == 0:
            raise BudgetExceeded("dollar budget is 0: nothing can be spent (raise --budget-usd)")

    def record(self, rec: CallRecord) -> UsageTotals:
        with self._lock:
            self.records.append(rec)
            self._totals.add(rec)
            if self.path:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(rec.model_dump_json() + "\n")
        return self.totals()

    def totals(self) -> UsageTotals:
        """Running totals (kept incrementally: this is called twice per LLM call)."""
        with self._lock:
            return self._totals.model_copy()

    def by(self, key: str) -> dict[str, UsageTotals]:
        """Totals grouped by ``"role"``, ``"phase"`` or ``"model"``."""
        groups: dict[str, UsageTotals] = defaultdict(UsageTotals)
        for rec in list(self.records):
            groups[getattr(rec, key) or "-"].add(rec)
        return dict(groups)
