"""Critics: personas that attack a PRD or backlog with at most three concrete objections.

All personas share one system prompt (the persona goes in the user message)
so the prompt cache serves every critic. Objection ids are left to the
workflow (:meth:`Critique.numbered`) so two critics never both say "O1".
"""

from __future__ import annotations

from softco.artifacts import PRD, Backlog, Critique
from softco.roles.base import RoleContext, ask
from softco.roles.briefing import format_document, story_ids

MAX_OBJECTIONS = 3

PERSONAS: dict[str, str] = {
    "user_advocate": (
        "You speak for the people who will use this tool. Look for stories whose behaviour a user "
        "cannot predict: missing inputs or outputs, unclear error behaviour, an interface a user "
        "would find awkward, or a core need of the brief that no story covers."
    ),
    "qa_skeptic": (
        "You are the QA engineer who must test this. Look for acceptance criteria that cannot be "
        "turned into an assert: vague words, no concrete example, wrong or inconsistent expected "
        "values, missing edge cases such as empty input or invalid values."
    ),
    "security_reviewer": (
        "You review for safety. Look for unvalidated input, file paths that could escape a "
        "directory, use of eval or shell commands, and error cases that would crash or leak data."
    ),
}


def critique(ctx: RoleContext, document: PRD | Backlog, persona: str) -> Critique:
    """One persona's objections (at most three, each targeting a story id or 'PRD')."""
    if persona not in PERSONAS:
        raise ValueError(f"unknown critic persona {persona!r}; known personas: {sorted(PERSONAS)}")
    result = ask(
        ctx,
        role=f"critic:{persona}",
        template="critic.critique",
        schema=Critique,
        task_summary=f"{persona} critique of the requirements",
        describe=lambda c: f"{min(len(c.objections), MAX_OBJECTIONS)} objection(s): {c.summary}",
        persona=PERSONAS[persona],
        document=format_document(document),
        ids=", ".join(story_ids(document)),
    )
    result.objections = [
        o.model_copy(update={"persona": o.persona or persona})
        for o in result.objections[:MAX_OBJECTIONS]
    ]
    return result
