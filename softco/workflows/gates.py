"""Approval gates (``--approve prd,design,sprint``) and the deliver node.

A gate pauses the graph with LangGraph's ``interrupt()``; the driver asks the
run's approver (terminal, SDK callback or the TUI's decision file) and resumes
with the decision. Approve continues; edit replaces the artifact with the
human's (validated) version; reject sends the comment back to the author, at
most ``MAX_REJECTIONS`` times before the run stops as rejected.
"""

from __future__ import annotations

from typing import Any

from langgraph.types import interrupt
from pydantic import ValidationError

from softco.approvals import ApprovalDecision
from softco.artifacts import PRD, Design, Objection, Rebuttal
from softco.events import ApprovalResolved
from softco.roles import pm
from softco.workflows.runtime import Runtime
from softco.workflows.state import RunState

MAX_REJECTIONS = 2
_KIND = {"prd": "prd", "design": "design", "sprint": "backlog"}


def gate_node(rt: Runtime, gate: str):
    kind = _KIND[gate]

    def node(state: RunState) -> dict[str, Any]:
        if gate not in rt.settings.workflow.approve:
            return {"gate_status": {gate: "approved"}}
        key = f"{gate}:{state.get('sprint') or 0}"  # rejections are counted per sprint
        rounds = (state.get("approval_rounds") or {}).get(key, 0)
        request_id = f"{gate}-{state.get('sprint') or 0}-{rounds + 1}"
        raw = interrupt(
            {
                "gate": gate,
                "request_id": request_id,
                "artifact_kind": kind,
                "artifact": state.get(kind) or {},
            }
        )
        decision = ApprovalDecision.model_validate(raw)
        rt.events.emit(
            ApprovalResolved(
                gate=gate,
                request_id=request_id,
                decision=decision.decision,
                comment=decision.comment,
            )
        )
        if decision.decision == "approve":
            return {"gate_status": {gate: "approved"}}
        if decision.decision == "edit" and decision.edited is not None:
            try:
                model = {"prd": PRD, "design": Design}.get(kind)
                edited = (
                    model.model_validate(decision.edited).model_dump(mode="json")
                    if model
                    else decision.edited
                )
            except ValidationError as exc:
                rt.say("human", f"edit rejected as invalid: {exc.errors()[0]['msg']}", gate)
                return {"approval_rounds": {key: rounds + 1}, "gate_status": {gate: "retry"}}
            update = {kind: edited, "gate_status": {gate: "approved"}}
            if model is not None:
                rt.save(kind, model.model_validate(edited), "edited by a human")
            if kind == "design":
                from softco.artifacts import depgraph
                from softco.workflows.build import plan_generations

                problems = depgraph.validate_design(Design.model_validate(edited))
                if problems:
                    rt.say("human", "edited design rejected: " + "; ".join(problems[:2]), gate)
                    return {
                        "approval_rounds": {key: rounds + 1},
                        "gate_status": {gate: "retry"},
                        "design_problems": problems,
                    }
                update.update(plan_generations(rt, Design.model_validate(edited), None))
            return update
        if rounds + 1 > MAX_REJECTIONS:
            return {"gate_status": {gate: "rejected"}, "stop_reason": "rejected"}
        update: dict[str, Any] = {
            "approval_rounds": {key: rounds + 1},
            "gate_status": {gate: "retry"},
        }
        comment = decision.comment or "the reviewer rejected this without a comment"
        if kind == "prd":
            objection = Objection(
                id="H1", persona="human", target="PRD", text=comment, severity="blocker"
            )
            revised = pm.revise(
                rt.ctx("requirements"),
                PRD.model_validate(state["prd"]),
                [objection],
                Rebuttal(answers=[]),
            )
            rt.save("prd", revised, "revised after human review")
            update["prd"] = revised.model_dump(mode="json")
        elif kind == "design":
            update["design_problems"] = [f"The human reviewer asked: {comment}"]
        return update

    return node


def after_gate(state: RunState, gate: str, next_node: str, retry_node: str) -> str:
    status = (state.get("gate_status") or {}).get(gate, "approved")
    if status == "rejected":
        return "deliver"
    if status == "retry":
        return retry_node
    return next_node
