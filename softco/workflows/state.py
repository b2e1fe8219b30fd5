"""The graph state: what a checkpoint holds.

Artifacts are stored as plain dicts (``model_dump(mode="json")``) so a
checkpoint is readable JSON and survives a softco upgrade that adds fields;
nodes rebuild the pydantic models they need. File *contents* live in the
workspace (and its git history), not in the state — except the texts of the
programs repair sampled (``candidate_runs``), which a later rewrite of the
tests is run under again (``workflows/recheck.py``).
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict


def merge_dicts(left: dict[str, Any] | None, right: dict[str, Any] | None) -> dict[str, Any]:
    """Reducer: later writes win per key (coders of one generation report in parallel)."""
    return {**(left or {}), **(right or {})}


class RunState(TypedDict, total=False):
    brief: str
    mode: str
    # requirements and debate
    prd: dict[str, Any]
    backlog: dict[str, Any]
    debate: dict[str, Any]
    debate_round: int
    pending_objections: list[dict[str, Any]]
    rebuttal: dict[str, Any]
    verdict: dict[str, Any]
    approval_rounds: Annotated[dict[str, int], merge_dicts]
    gate_status: Annotated[dict[str, str], merge_dicts]
    # design and synthesis
    design: dict[str, Any]
    design_problems: list[str]
    design_attempts: int
    generations: list[list[str]]
    gen_index: int
    to_build: list[str]
    file_status: Annotated[dict[str, str], merge_dicts]
    test_owner: Annotated[dict[str, str], merge_dicts]
    # test and review loops
    test_report: dict[str, Any]
    test_round: int
    best_passed: int
    dropped_tests: Annotated[list[str], operator.add]
    candidate_runs: Annotated[dict[str, dict[str, list[list[str]]]], merge_dicts]
    """Per module, per distinct program (digest), oldest first: [tests passed, tests run,
    probed values, opinions, [program text] or []] (repair evidence, ``agreement.evidence``)."""
    review: dict[str, Any]
    review_round: int
    # agile
    sprint: int
    sprint_story_ids: list[str]
    sprint_reviews: Annotated[list[dict[str, Any]], operator.add]
    lessons: Annotated[list[str], operator.add]
    # outcome
    entrypoint_ok: bool | None
    stop_reason: str
    errors: Annotated[list[str], operator.add]
