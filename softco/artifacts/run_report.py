"""The run report: what a run cost, what it built, and why it stopped.

Written at the end of every run (also after a crash or a budget stop), as
JSON for tools and as Markdown for people. Every number a user asks about
after a run is here: tokens and dollars per role and per phase, test results,
files, the debate outcome, sprints and errors.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from softco.artifacts.agile import SprintReview
from softco.errors import StopReason


class Usage(BaseModel):
    """Model usage summed over calls (one role, one phase, or the whole run)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    calls: int = 0
    seconds: float = 0.0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cost_usd=self.cost_usd + other.cost_usd,
            calls=self.calls + other.calls,
            seconds=self.seconds + other.seconds,
        )


class RunReport(BaseModel):
    """Everything a user wants to know about one run, in one document."""

    run_id: str
    brief: str
    mode: str = "waterfall"
    model: str = ""
    stop_reason: StopReason = StopReason.DONE
    started: datetime | None = None
    finished: datetime | None = None
    duration_s: float = 0.0
    by_role: dict[str, Usage] = Field(default_factory=dict)
    by_phase: dict[str, Usage] = Field(default_factory=dict)
    tests_passed: int = 0
    tests_failed: int = 0
    tests_total: int = 0
    tests_dropped: list[str] = Field(
        default_factory=list,
        description="Generated tests removed as wrong: every sampled program failed them.",
    )
    files: list[str] = Field(default_factory=list)
    debate: str = Field("", description="One-line debate outcome (DebateTranscript.summary()).")
    sprints: list[SprintReview] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    memory_status: str = ""

    @property
    def total(self) -> Usage:
        """Usage of the whole run (summed over roles, which cover every call)."""
        return sum(self.by_role.values(), Usage())

    def to_markdown(self) -> str:
        """A human-readable report, the ``report.md`` of a run directory."""
        total = self.total
        lines = [
            f"# softco run {self.run_id}",
            "",
            f"**Brief:** {self.brief}",
            "",
            f"- Mode: {self.mode}" + (f" · model `{self.model}`" if self.model else ""),
            f"- Stopped: **{self.stop_reason.value}** after {_duration(self.duration_s)}",
        ]
        if self.started:
            end = f" → {self.finished:%Y-%m-%d %H:%M:%S}" if self.finished else ""
            lines.append(f"- Time: {self.started:%Y-%m-%d %H:%M:%S}{end}")
        lines.append(
            f"- Usage: {total.total_tokens:,} tokens, ${total.cost_usd:.4f}, {total.calls} calls"
        )
        lines += ["", "## Tests", "", self._tests_line()]
        if self.tests_dropped:
            lines += [
                "",
                "Removed as wrong (every sampled implementation failed them): "
                + ", ".join(f"`{t}`" for t in self.tests_dropped),
            ]
        for title, table in (("Usage by role", self.by_role), ("Usage by phase", self.by_phase)):
            if table:
                lines += ["", f"## {title}", "", *_usage_table(table)]
        if self.files:
            lines += ["", "## Files", "", *(f"- `{f}`" for f in self.files)]
        if self.debate:
            lines += ["", "## Requirement debate", "", self.debate]
        if self.sprints:
            lines += ["", "## Sprints", "", "| sprint | accepted | returned | notes |"]
            lines.append("|---:|---|---|---|")
            for s in self.sprints:
                accepted, returned = ", ".join(s.accepted) or "-", ", ".join(s.returned) or "-"
                lines.append(f"| {s.sprint} | {accepted} | {returned} | {_cell(s.notes)} |")
        if self.memory_status:
            lines += ["", "## Memory", "", self.memory_status]
        if self.errors:
            lines += ["", "## Errors", "", *(f"- {e}" for e in self.errors)]
        return "\n".join(lines) + "\n"

    def _tests_line(self) -> str:
        if not self.tests_total:
            return "No tests were run."
        line = f"{self.tests_passed}/{self.tests_total} passed"
        other = self.tests_total - self.tests_passed - self.tests_failed
        extra = [f"{self.tests_failed} failed"] if self.tests_failed else []
        extra += [f"{other} errored or skipped"] if other else []
        return line + (f" ({', '.join(extra)})" if extra else "")


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h {minutes:02d}m {secs:02d}s"
    return f"{minutes}m {secs:02d}s" if minutes else f"{seconds:.1f}s"


def _cell(text: str) -> str:
    """Table-safe text: one line, no column breaks."""
    return " ".join(text.split()).replace("|", "\\|") or "-"


def _usage_table(table: dict[str, Usage]) -> list[str]:
    rows = [
        "| name | calls | prompt tok | completion tok | cost $ | seconds |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, u in sorted(table.items()):
        rows.append(
            f"| {_cell(name)} | {u.calls} | {u.prompt_tokens:,} | {u.completion_tokens:,} "
            f"| {u.cost_usd:.4f} | {u.seconds:.1f} |"
        )
    return rows
