"""The requirement debate: critics object, the PM answers, a judge rules.

Every turn is structured so the workflow routes on fields, never on words in
free text: a ruling is one of three verdicts per objection, and the judge's
``consensus`` is a bool that cannot contradict its own rulings.

LLM-facing: :class:`Critique` (a critic's output), :class:`Rebuttal` (the
PM's answers) and :class:`DebateVerdict` (the judge's). :class:`DebateRound`
and :class:`DebateTranscript` are assembled by the workflow and saved.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

Verdict = Literal["resolved", "must_fix", "waived"]


class Objection(BaseModel):
    """One concrete problem a critic sees in the PRD."""

    id: str = Field("", description="Short id such as 'O1'.")
    persona: str = Field("", description="Which critic raises it, e.g. 'qa_skeptic'.")
    target: str = Field(description="What it is about: a story id like 'US2', or 'PRD'.")
    text: str = Field(description="The problem and why it matters, in one or two sentences.")
    severity: Literal["blocker", "major", "minor"] = Field(
        "major", description="blocker, major or minor."
    )

    @field_validator("severity", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value


class Critique(BaseModel):
    """A critic's turn: a short overall view, then its objections."""

    summary: str = Field(description="One sentence: the critic's overall view of the PRD.")
    objections: list[Objection] = Field(
        default_factory=list, description="Concrete objections; empty if the PRD is fine."
    )

    def numbered(self, persona: str, start: int = 1) -> list[Objection]:
        """The objections with ids ``O<start>...`` and ``persona`` filled in.

        Ids are assigned by the workflow so that two critics never both say "O1".
        """
        return [
            o.model_copy(update={"id": f"O{n}", "persona": o.persona or persona})
            for n, o in enumerate(self.objections, start)
        ]


class Answer(BaseModel):
    """The PM's reply to one objection."""

    objection_id: str = Field(description="Id of the objection answered, e.g. 'O1'.")
    text: str = Field(description="The reply: what changes in the PRD, or why nothing should.")
    revised: bool = Field(False, description="True if the PRD was changed to address it.")


class Rebuttal(BaseModel):
    """The PM's turn: every objection answered."""

    answers: list[Answer] = Field(description="One answer per objection.")


class Ruling(BaseModel):
    """The judge's decision on one objection."""

    objection_id: str = Field(description="Id of the objection ruled on, e.g. 'O1'.")
    verdict: Verdict = Field(
        description="resolved (answered well), must_fix (PRD must change), waived (not worth it)."
    )
    reason: str = Field("", description="One sentence explaining the verdict.")

    @field_validator("verdict", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip().lower().replace("-", "_").replace(" ", "_")
        return value


class DebateVerdict(BaseModel):
    """The judge's turn: a summary, one ruling per objection, and consensus."""

    summary: str = Field(description="One or two sentences on where the debate stands.")
    rulings: list[Ruling] = Field(default_factory=list, description="One ruling per objection.")
    consensus: bool = Field(description="True when nothing is left to fix in the PRD.")

    @model_validator(mode="after")
    def _consistent(self) -> DebateVerdict:
        """A ``must_fix`` ruling means there is open work, whatever ``consensus`` says."""
        if self.must_fix:
            self.consensus = False
        return self

    @property
    def must_fix(self) -> list[str]:
        """Ids of objections the PM still has to address."""
        return [r.objection_id for r in self.rulings if r.verdict == "must_fix"]


class DebateRound(BaseModel):
    """One round: all critics' objections, the PM's answers, the judge's verdict."""

    number: int = Field(ge=1, description="1 for the first round.")
    objections: list[Objection] = Field(default_factory=list)
    answers: list[Answer] = Field(default_factory=list)
    verdict: DebateVerdict | None = None

    def unruled(self) -> list[str]:
        """Objection ids the judge did not rule on (the workflow treats them as must_fix,
        or as waived when the judge ruled on others and declared consensus)."""
        ruled = {r.objection_id for r in self.verdict.rulings} if self.verdict else set()
        return [o.id for o in self.objections if o.id not in ruled]


class DebateTranscript(BaseModel):
    """Every round of the debate, saved as an artifact and summarised in the report."""

    rounds: list[DebateRound] = Field(default_factory=list)

    @property
    def consensus(self) -> bool:
        """Whether the last round ended with consensus (no rounds: trivially yes)."""
        last = self.rounds[-1].verdict if self.rounds else None
        return last.consensus if last else not self.rounds

    def summary(self) -> str:
        """One line for the run report, e.g. '2 rounds, 3 objections (2 resolved, 1 waived)'."""
        if not self.rounds:
            return "no debate"
        objections = sum(len(r.objections) for r in self.rounds)
        counts: Counter[str] = Counter(
            ruling.verdict for r in self.rounds if r.verdict for ruling in r.verdict.rulings
        )
        parts = ", ".join(f"{n} {v.replace('_', ' ')}" for v, n in sorted(counts.items()))
        rounds = f"{len(self.rounds)} round{'s' if len(self.rounds) != 1 else ''}"
        text = f"{rounds}, {objections} objection{'s' if objections != 1 else ''}"
        text += f" ({parts})" if parts else ""
        return text + ("; consensus" if self.consensus else "; no consensus")
