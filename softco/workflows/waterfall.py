"""The waterfall: requirements → debate → design → code → test → review → deliver.

Built by a function, never at import, so tests compile a fresh graph with an
in-memory checkpointer and may call single nodes.
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph

from softco.artifacts import Brief
from softco.roles import pm
from softco.workflows import routing
from softco.workflows.build import code_node, design_node, fail_design_node
from softco.workflows.debate import build_debate
from softco.workflows.deliver import deliver_node
from softco.workflows.gates import after_gate, gate_node
from softco.workflows.repair import fix_node
from softco.workflows.review import fix_review_node, review_node
from softco.workflows.runtime import Runtime
from softco.workflows.state import RunState
from softco.workflows.testing import run_tests_node, write_tests_node


def requirements_node(rt: Runtime):
    def node(state: RunState) -> dict[str, Any]:
        with rt.phase("requirements"):
            prd = pm.write_prd(rt.ctx("requirements"), Brief.parse(state["brief"]))
        rt.save("prd", prd, f"{len(prd.user_stories)} user stories")
        return {"prd": prd.model_dump(mode="json")}

    return node


def add_build_loop(graph: StateGraph, rt: Runtime, after_review_done: str) -> None:
    """design → gate → code* → tests → (fix → tests)* → review → (fix_review → review)*."""
    wf = rt.settings.workflow
    graph.add_node("design", design_node(rt))
    graph.add_node("fail_design", fail_design_node(rt))
    graph.add_node("gate_design", gate_node(rt, "design"))
    graph.add_node("code", code_node(rt))
    graph.add_node("write_tests", write_tests_node(rt))
    graph.add_node("run_tests", run_tests_node(rt))
    graph.add_node("fix", fix_node(rt))
    graph.add_node("review", review_node(rt))
    graph.add_node("fix_review", fix_review_node(rt))
    graph.add_conditional_edges(
        "design",
        lambda s: routing.after_design(s, wf.design_repairs),
        {"design": "design", "code": "gate_design", "fail": "fail_design"},
    )
    graph.add_edge("fail_design", END)
    graph.add_conditional_edges(
        "gate_design",
        lambda s: after_gate(s, "design", "code", "design"),
        {"code": "code", "design": "design", "deliver": "deliver"},
    )
    graph.add_conditional_edges(
        "code", routing.after_code, {"code": "code", "write_tests": "write_tests"}
    )
    graph.add_edge("write_tests", "run_tests")
    graph.add_conditional_edges(
        "run_tests",
        lambda s: routing.after_tests(s, wf.test_rounds),
        {"fix": "fix", "review": "review"},
    )
    graph.add_edge("fix", "run_tests")
    graph.add_conditional_edges(
        "review",
        lambda s: routing.after_review(s, wf.review_rounds, wf.review_green_fixes),
        {"fix_review": "fix_review", "deliver": after_review_done},
    )
    graph.add_edge("fix_review", "review")


def build_waterfall(rt: Runtime) -> StateGraph:
    graph = StateGraph(RunState)
    graph.add_node("requirements", requirements_node(rt))
    graph.add_node("gate_prd", gate_node(rt, "prd"))
    graph.add_node("debate", build_debate(rt).compile())
    graph.add_node("deliver", deliver_node(rt))
    add_build_loop(graph, rt, after_review_done="deliver")
    graph.add_edge(START, "requirements")
    graph.add_conditional_edges(
        "gate_prd",
        lambda s: after_gate(s, "prd", "next", "gate_prd"),
        {
            "next": "debate" if rt.settings.workflow.debate_rounds else "design",
            "gate_prd": "gate_prd",
            "deliver": "deliver",
        },
    )
    graph.add_edge("requirements", "gate_prd")
    graph.add_edge("debate", "design")
    graph.add_edge("deliver", END)
    return graph
