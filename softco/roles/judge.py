"""The judge: one structured ruling per objection, so the debate routes on fields.

Rulings on ids that were never raised are dropped (and no longer block
consensus); when the model rules twice on one id the stricter ruling wins; ids
left unruled are the workflow's business (must_fix, unless the judge ruled on
others and declared consensus: then waived), so the judge never needs to be
re-asked for completeness.
"""

from __future__ import annotations

from softco.artifacts import PRD, Backlog, DebateVerdict, Objection, Rebuttal, Ruling
from softco.roles.base import RoleContext, ask
from softco.roles.briefing import format_document, format_objections

ROLE = "judge"
_STRICTNESS = {"waived": 0, "resolved": 1, "must_fix": 2}


def rule(
    ctx: RoleContext, document: PRD | Backlog, objections: list[Objection], rebuttal: Rebuttal
) -> DebateVerdict:
    """Rule resolved / must_fix / waived on each objection after the author's answers."""
    answers = "\n".join(f"{a.objection_id}: {a.text}" for a in rebuttal.answers) or "(none)"
    verdict = ask(
        ctx,
        role=ROLE,
        template="judge.rule",
        schema=DebateVerdict,
        task_summary="rule on the requirement objections",
        describe=lambda v: (
            f"{'consensus' if v.consensus else 'no consensus'}; "
            f"must fix: {', '.join(v.must_fix) or 'nothing'}"
        ),
        document=format_document(document),
        objections=format_objections(objections),
        answers=answers,
        ids=", ".join(o.id for o in objections),
    )
    raised = {o.id for o in objections}
    kept: dict[str, Ruling] = {}
    for ruling in verdict.rulings:
        old = kept.get(ruling.objection_id)
        if ruling.objection_id in raised and (
            old is None or _STRICTNESS[ruling.verdict] > _STRICTNESS[old.verdict]
        ):
            kept[ruling.objection_id] = ruling
    rulings = [kept[o.id] for o in objections if o.id in kept]
    said_no = not verdict.consensus and not verdict.must_fix
    consensus = not said_no and all(r.verdict != "must_fix" for r in rulings)
    return DebateVerdict(summary=verdict.summary, rulings=rulings, consensus=consensus)
