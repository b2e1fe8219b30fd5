"""The requirement debate as a LangGraph subgraph.

Critic personas object, the PM answers and revises, the judge rules per
objection. The loop ends on the judge's structured ``consensus`` or after
``workflow.debate_rounds`` rounds — never on a keyword in free text.
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph

from softco.artifacts import (
    PRD,
    Backlog,
    DebateRound,
    DebateTranscript,
    DebateVerdict,
    Objection,
    Rebuttal,
    Ruling,
)
from softco.events import DebateTurn
from softco.roles import critic, judge, pm
from softco.workflows.routing import after_judge
from softco.workflows.runtime import Runtime
from softco.workflows.state import RunState


def _document(state: RunState) -> PRD | Backlog:
    if state.get("backlog"):
        return Backlog.model_validate(state["backlog"])
    return PRD.model_validate(state["prd"])


def build_debate(rt: Runtime) -> StateGraph:
    """critique → answer → judge → (revise → critique)* → end."""

    def critique(state: RunState) -> dict[str, Any]:
        rnd = state.get("debate_round", 0) + 1
        doc = _document(state)
        objections: list[Objection] = []
        with rt.phase("debate"):
            for persona in rt.settings.workflow.critics:
                result = critic.critique(rt.ctx("debate"), doc, persona)
                numbered = result.numbered(persona, start=len(objections) + 1)
                for o in numbered:
                    rt.events.emit(
                        DebateTurn(
                            round=rnd,
                            speaker=f"critic:{persona}",
                            kind="objection",
                            text=f"[{o.target}] {o.text}",
                            objection_id=o.id,
                        )
                    )
                objections.extend(numbered)
        return {
            "debate_round": rnd,
            "pending_objections": [o.model_dump(mode="json") for o in objections],
        }

    def answer(state: RunState) -> dict[str, Any]:
        objections = [Objection.model_validate(o) for o in state.get("pending_objections", [])]
        if not objections:
            return {"rebuttal": Rebuttal(answers=[]).model_dump(mode="json")}
        with rt.phase("debate"):
            rebuttal = pm.answer(rt.ctx("debate"), _document(state), objections)
            for a in rebuttal.answers:
                rt.events.emit(
                    DebateTurn(
                        round=state.get("debate_round", 1),
                        speaker="pm",
                        kind="answer",
                        text=a.text,
                        objection_id=a.objection_id,
                    )
                )
        return {"rebuttal": rebuttal.model_dump(mode="json")}

    def rule(state: RunState) -> dict[str, Any]:
        objections = [Objection.model_validate(o) for o in state.get("pending_objections", [])]
        rebuttal = Rebuttal.model_validate(state.get("rebuttal") or {"answers": []})
        rnd = state.get("debate_round", 1)
        if objections:
            with rt.phase("debate"):
                verdict = judge.rule(rt.ctx("debate"), _document(state), objections, rebuttal)
        else:
            verdict = DebateVerdict(summary="no objections were raised", consensus=True)
        debate_round = DebateRound(
            number=rnd, objections=objections, answers=rebuttal.answers, verdict=verdict
        )
        missing = debate_round.unruled()
        if missing and verdict.consensus and verdict.rulings:
            # the judge ruled, declared consensus and so named nothing to fix (the verdict
            # keeps consensus and must_fix consistent): what it left unruled it found not
            # worth a change. A revision here cost a 1.5B PM one to two
            # minutes and often lost stories (cart, session 13: five became one).
            verdict.rulings.extend(
                Ruling(objection_id=i, verdict="waived", reason="not ruled on; consensus")
                for i in missing
            )
            rt.say(
                "judge",
                f"no ruling on {', '.join(missing)}: waived, since the judge found consensus "
                "and named nothing to fix",
                "debate",
            )
        elif missing:  # an objection the judge ignored is still open work
            verdict.rulings.extend(
                Ruling(objection_id=i, verdict="must_fix", reason="not ruled on") for i in missing
            )
            verdict.consensus = False
            rt.say(
                "judge",
                f"no ruling on {', '.join(missing)}: treated as must-fix, so no consensus yet",
                "debate",
            )
        for r in verdict.rulings:
            rt.events.emit(
                DebateTurn(
                    round=rnd,
                    speaker="judge",
                    kind="verdict",
                    text=r.reason or r.verdict,
                    objection_id=r.objection_id,
                    verdict=r.verdict,
                )
            )
        rt.events.emit(DebateTurn(round=rnd, speaker="judge", kind="summary", text=verdict.summary))
        transcript = DebateTranscript.model_validate(state.get("debate") or {"rounds": []})
        transcript.rounds.append(debate_round)
        rt.save("debate", transcript, transcript.summary())
        return {
            "verdict": verdict.model_dump(mode="json"),
            "debate": transcript.model_dump(mode="json"),
        }

    def revise(state: RunState) -> dict[str, Any]:
        verdict = DebateVerdict.model_validate(state["verdict"])
        must = set(verdict.must_fix)
        objections = [
            Objection.model_validate(o)
            for o in state.get("pending_objections", [])
            if o.get("id") in must
        ]
        if not objections or state.get("backlog"):
            return {}
        rebuttal = Rebuttal.model_validate(state.get("rebuttal") or {"answers": []})
        with rt.phase("debate"):
            prd = pm.revise(
                rt.ctx("debate"), PRD.model_validate(state["prd"]), objections, rebuttal
            )
        rt.save("prd", prd, f"revised after round {state.get('debate_round', 1)}")
        return {"prd": prd.model_dump(mode="json")}

    graph = StateGraph(RunState)
    graph.add_node("critique", critique)
    graph.add_node("answer", answer)
    graph.add_node("judge", rule)
    graph.add_node("revise", revise)
    graph.add_edge(START, "critique")
    graph.add_edge("critique", "answer")
    graph.add_edge("answer", "judge")
    graph.add_conditional_edges(
        "judge",
        lambda s: after_judge(s, rt.settings.workflow.debate_rounds),
        {"revise": "revise", "done": END},
    )
    graph.add_conditional_edges(
        "revise",
        lambda s: (
            "critique" if s.get("debate_round", 0) < rt.settings.workflow.debate_rounds else "done"
        ),
        {"critique": "critique", "done": END},
    )
    return graph
