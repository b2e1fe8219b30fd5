"""Agile: backlog → debate → sprints (plan → design → build → test → review → retro).

Each sprint plans stories by priority within capacity, extends the design
incrementally (only new/changed files and their dependents are regenerated),
runs the full suite as the regression gate, accepts the stories whose modules'
tests pass, returns the rest to the backlog and records the retrospective's
lessons. It stops when the backlog is done or at ``max_sprints``.
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph

from softco.artifacts import (
    PRD,
    Backlog,
    Brief,
    Design,
    SprintReview,
    TestReport,
    UserStory,
    plan_sprint,
)
from softco.events import BacklogUpdated
from softco.roles import pm
from softco.workflows import routing
from softco.workflows.build import testable
from softco.workflows.debate import build_debate
from softco.workflows.deliver import deliver_node
from softco.workflows.gates import after_gate, gate_node
from softco.workflows.runtime import Runtime
from softco.workflows.state import RunState
from softco.workflows.waterfall import add_build_loop


def _board(backlog: Backlog, in_sprint: set[str]) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "title": s.title,
            "points": s.points,
            "priority": s.priority,
            "status": "in_sprint" if s.id in in_sprint and s.status != "done" else s.status,
        }
        for s in backlog.stories
    ]


def sprint_prd(backlog: Backlog, story_ids: list[str], number: int) -> PRD:
    """The slice of the backlog a sprint builds, in the shape the architect and coders read."""
    stories = [s for s in backlog.stories if s.id in story_ids]
    return PRD(
        title=f"Sprint {number}",
        summary="; ".join(backlog.features)[:400] or "Sprint scope",
        features=[s.title for s in stories],
        user_stories=[
            UserStory(
                id=s.id,
                title=s.title,
                story=s.description,
                acceptance=s.acceptance or [f"{s.title} works as described"],
            )
            for s in stories
        ],
    )


def backlog_node(rt: Runtime):
    def node(state: RunState) -> dict[str, Any]:
        with rt.phase("backlog"):
            backlog = pm.write_backlog(rt.ctx("backlog"), Brief.parse(state["brief"]))
        rt.save("backlog", backlog, f"{len(backlog.stories)} stories")
        rt.events.emit(BacklogUpdated(stories=_board(backlog, set())))
        return {"backlog": backlog.model_dump(mode="json"), "sprint": 0}

    return node


def plan_node(rt: Runtime):
    def node(state: RunState) -> dict[str, Any]:
        backlog = Backlog.model_validate(state["backlog"])
        number = state.get("sprint", 0) + 1
        with rt.phase("planning", number):
            sprint = plan_sprint(backlog, number, rt.settings.workflow.sprint_capacity)
        rt.save(
            "sprint",
            sprint,
            f"sprint {number}: {', '.join(sprint.story_ids)}",
            name=f"sprint_{number}",
        )
        rt.events.emit(
            BacklogUpdated(stories=_board(backlog, set(sprint.story_ids)), sprint=number)
        )
        rt.say("pm", f"sprint {number} takes {', '.join(sprint.story_ids)}", "planning")
        prd = sprint_prd(backlog, sprint.story_ids, number)
        return {
            "sprint": number,
            "sprint_story_ids": sprint.story_ids,
            "prd": prd.model_dump(mode="json"),
            "review_round": 0,
            "test_round": 0,
            "design_problems": [],
            "design_attempts": 0,
        }

    return node


def _story_modules(story_text: str, design: Design, built: list[str]) -> list[str]:
    """Modules a story touches: those it names (by module or function), else all built ones."""
    text = story_text.lower()
    named = [
        f.path
        for f in design.files
        if f.module.split(".")[-1] in text or any(i.name.lower() in text for i in f.interface)
    ]
    return named or built


def sprint_review_node(rt: Runtime):
    def node(state: RunState) -> dict[str, Any]:
        number = state["sprint"]
        backlog = Backlog.model_validate(state["backlog"])
        design = Design.model_validate(state["design"])
        report = TestReport.model_validate(state.get("test_report") or {})
        status = state.get("file_status") or {}
        tested = {f.path for f in testable(design)}
        built = [p for p in state.get("to_build", []) if p in tested]
        accepted, returned = [], []
        with rt.phase("sprint_review", number):
            for story in backlog.stories:
                if story.id not in state.get("sprint_story_ids", []):
                    continue
                text = " ".join([story.title, story.description, *story.acceptance])
                modules = [m for m in _story_modules(text, design, built) if m in tested]
                green = report.total > 0 and all(status.get(m) == "passing" for m in modules)
                (accepted if green else returned).append(story.id)
                story.status = "done" if green else "todo"
        review = SprintReview(
            sprint=number,
            accepted=accepted,
            returned=returned,
            notes=f"suite: {report.passed}/{report.total} passed",
        )
        rt.save(
            "sprint_review",
            review,
            f"accepted {accepted}, returned {returned}",
            name=f"sprint_review_{number}",
        )
        rt.events.emit(BacklogUpdated(stories=_board(backlog, set()), sprint=number))
        return {
            "backlog": backlog.model_dump(mode="json"),
            "sprint_reviews": [review.model_dump(mode="json")],
        }

    return node


def retro_node(rt: Runtime):
    def node(state: RunState) -> dict[str, Any]:
        number = state["sprint"]
        review = SprintReview.model_validate(state["sprint_reviews"][-1])
        report = TestReport.model_validate(state.get("test_report") or {})
        summary = f"{report.passed}/{report.total} tests passed" + (
            "\n" + report.failure_text(800) if not report.ok else ""
        )
        with rt.phase("retro", number):
            retro = pm.retrospective(rt.ctx("retro", number), review, summary)
        rt.save(
            "retrospective", retro, "; ".join(retro.lessons[:2]), name=f"retrospective_{number}"
        )
        return {"lessons": retro.lessons}

    return node


def build_agile(rt: Runtime) -> StateGraph:
    wf = rt.settings.workflow
    graph = StateGraph(RunState)
    graph.add_node("backlog_write", backlog_node(rt))
    graph.add_node("debate", build_debate(rt).compile())
    graph.add_node("plan", plan_node(rt))
    graph.add_node("gate_sprint", gate_node(rt, "sprint"))
    graph.add_node("sprint_review", sprint_review_node(rt))
    graph.add_node("retro", retro_node(rt))
    graph.add_node("deliver", deliver_node(rt))
    add_build_loop(graph, rt, after_review_done="sprint_review")
    graph.add_edge(START, "backlog_write")
    graph.add_edge("backlog_write", "debate" if wf.debate_rounds else "plan")
    graph.add_edge("debate", "plan")
    graph.add_edge("plan", "gate_sprint")
    graph.add_conditional_edges(
        "gate_sprint",
        lambda s: after_gate(s, "sprint", "design", "gate_sprint"),
        {"design": "design", "gate_sprint": "gate_sprint", "deliver": "deliver"},
    )
    graph.add_edge("sprint_review", "retro")
    graph.add_conditional_edges(
        "retro",
        lambda s: routing.after_sprint(s, wf.max_sprints),
        {"plan": "plan", "deliver": "deliver"},
    )
    graph.add_edge("deliver", END)
    return graph
