"""The product manager: brief → PRD or backlog, the PM's side of the debate, retrospectives.

Prompts push a small model toward a small, testable scope: features are
planned before stories (the PRD lists ``features`` first), every story names
its module and functions, and every criterion carries call → expected
examples the tester can turn into asserts.
"""

from __future__ import annotations

from softco.artifacts import PRD, Backlog, Brief, Objection, Rebuttal, Retrospective, SprintReview
from softco.events import AgentMessage
from softco.quality.oracle import with_computed_examples
from softco.roles.base import RoleContext, ask
from softco.roles.briefing import format_document, format_objections, format_prd, trim

ROLE = "pm"


def write_prd(ctx: RoleContext, brief: Brief) -> PRD:
    """Turn the brief into a PRD of 1–4 stories with example-based acceptance criteria."""
    prd = ask(
        ctx,
        role=ROLE,
        template="pm.prd",
        schema=PRD,
        task_summary=f"requirements for: {brief.text}",
        describe=lambda p: f"PRD '{p.title}': {len(p.user_stories)} stories",
        brief=brief.text,
    )
    return _computed(ctx, prd)


def answer(ctx: RoleContext, prd: PRD | Backlog, objections: list[Objection]) -> Rebuttal:
    """Answer every objection, saying whether the PRD (or backlog) will change for it."""
    return ask(
        ctx,
        role=ROLE,
        template="pm.answer",
        schema=Rebuttal,
        task_summary="answer objections to the "
        + (f"PRD '{prd.title}'" if isinstance(prd, PRD) else "backlog"),
        describe=lambda r: (
            f"answered {len(r.answers)} objection(s), "
            f"{sum(a.revised for a in r.answers)} leading to changes"
        ),
        prd=format_document(prd),
        objections=format_objections(objections),
        ids=", ".join(o.id for o in objections),
    )


def revise(ctx: RoleContext, prd: PRD, objections: list[Objection], rebuttal: Rebuttal) -> PRD:
    """Rewrite the PRD with the changes promised in ``rebuttal``."""
    answers = "\n".join(
        f"{a.objection_id} ({'will change' if a.revised else 'no change'}): {a.text}"
        for a in rebuttal.answers
    )
    revised = ask(
        ctx,
        role=ROLE,
        template="pm.revise",
        schema=PRD,
        task_summary=f"revise the PRD '{prd.title}'",
        describe=lambda p: f"revised PRD '{p.title}': {len(p.user_stories)} stories",
        prd=format_prd(prd),
        objections=format_objections(objections),
        answers=answers,
    )
    kept = _keep_stories(revised, prd)
    if len(kept.user_stories) > len(revised.user_stories):
        restored = len(kept.user_stories) - len(revised.user_stories)
        ctx.emit(
            AgentMessage(
                role=ROLE,
                phase=ctx.phase,
                text=f"kept {restored} story(ies) the revision dropped (scope is not cut silently)",
            )
        )
    return _computed(ctx, kept)


def _keep_stories(revised: PRD, before: PRD) -> PRD:
    """Put back stories the revision dropped: answering objections must not cut scope.

    A 1.5B model asked to rewrite a two-story PRD often returns only the story
    the objections were about; the other one (and its examples) would vanish
    from every later prompt.
    """
    ids = {s.id for s in revised.user_stories}
    titles = {s.title.strip().lower() for s in revised.user_stories}
    lost = [
        s for s in before.user_stories if s.id not in ids and s.title.strip().lower() not in titles
    ]
    if not lost:
        return revised
    return revised.model_copy(update={"user_stories": [*revised.user_stories, *lost]})


def _computed(ctx: RoleContext, prd: PRD) -> PRD:
    """Replace expected values written as arithmetic by their computed value (the oracle)."""
    if not ctx.settings.workflow.compute_examples:
        return prd
    prd, changed = with_computed_examples(prd)
    if changed:
        ctx.emit(
            AgentMessage(
                role=ROLE,
                phase=ctx.phase,
                text=f"computed {changed} expected value(s) from the arithmetic written for them",
            )
        )
    return prd


def write_backlog(ctx: RoleContext, brief: Brief) -> Backlog:
    """Turn the brief into a prioritised, pointed backlog for agile mode."""
    return ask(
        ctx,
        role=ROLE,
        template="pm.backlog",
        schema=Backlog,
        task_summary=f"backlog for: {brief.text}",
        describe=lambda b: (
            f"backlog: {len(b.stories)} stories, {sum(s.points for s in b.stories)} points"
        ),
        brief=brief.text,
    )


def retrospective(ctx: RoleContext, review: SprintReview, test_summary: str) -> Retrospective:
    """Reflect on a sprint; the ``lessons`` are what the workflow writes to memory."""
    return ask(
        ctx,
        role=ROLE,
        template="pm.retro",
        schema=Retrospective,
        task_summary=f"retrospective of sprint {review.sprint}",
        describe=lambda r: f"retrospective: {len(r.lessons)} lesson(s)",
        sprint=review.sprint,
        accepted=", ".join(review.accepted) or "none",
        returned=", ".join(review.returned) or "none",
        notes=review.notes,
        tests=trim(test_summary or "no tests ran", 1200),
    )
