"""Artifacts: the documents the roles hand each other, and what a run saves.

Each model is both the schema a role's structured output must match (see
:func:`schema_for`) and the file saved under ``RUN_DIR/artifacts/`` (see
:func:`save_artifact`). Validators reject structural mistakes with messages
written to be sent back to the role in a re-ask; ``depgraph`` holds the checks
on the design's whole dependency graph.
"""

from __future__ import annotations

from pydantic import BaseModel

from softco.artifacts.agile import (
    Backlog,
    Retrospective,
    Sprint,
    SprintReview,
    Story,
    StoryStatus,
    plan_sprint,
)
from softco.artifacts.code import CodeFile, TestSuite, strip_fence
from softco.artifacts.debate import (
    Answer,
    Critique,
    DebateRound,
    DebateTranscript,
    DebateVerdict,
    Objection,
    Rebuttal,
    Ruling,
    Verdict,
)
from softco.artifacts.design import Design, FileSpec, FunctionSpec
from softco.artifacts.paths import module_name, normalise_path
from softco.artifacts.reports import (
    BLOCKING_SEVERITIES,
    Finding,
    ReviewReport,
    Severity,
    TestCase,
    TestReport,
)
from softco.artifacts.requirements import (
    MAX_BRIEF_CHARS,
    PRD,
    AcceptanceCriterion,
    Brief,
    Example,
    UserStory,
)
from softco.artifacts.run_report import RunReport, Usage
from softco.artifacts.schema import schema_for
from softco.artifacts.store import (
    ARTIFACT_KINDS,
    ARTIFACTS_DIR,
    artifact_path,
    load_artifact,
    save_artifact,
)

LLM_FACING: tuple[type[BaseModel], ...] = (
    PRD,
    Critique,
    Rebuttal,
    DebateVerdict,
    Design,
    CodeFile,
    TestSuite,
    ReviewReport,
    Backlog,
    Sprint,
    SprintReview,
    Retrospective,
)
"""Models a role produces as structured output (their schemas go to the LLM)."""

__all__ = [
    "ARTIFACTS_DIR",
    "ARTIFACT_KINDS",
    "BLOCKING_SEVERITIES",
    "LLM_FACING",
    "MAX_BRIEF_CHARS",
    "PRD",
    "AcceptanceCriterion",
    "Answer",
    "Backlog",
    "Brief",
    "CodeFile",
    "Critique",
    "DebateRound",
    "DebateTranscript",
    "DebateVerdict",
    "Design",
    "Example",
    "FileSpec",
    "Finding",
    "FunctionSpec",
    "Objection",
    "Rebuttal",
    "Retrospective",
    "ReviewReport",
    "Ruling",
    "RunReport",
    "Severity",
    "Sprint",
    "SprintReview",
    "Story",
    "StoryStatus",
    "TestCase",
    "TestReport",
    "TestSuite",
    "Usage",
    "UserStory",
    "Verdict",
    "artifact_path",
    "load_artifact",
    "module_name",
    "normalise_path",
    "plan_sprint",
    "save_artifact",
    "schema_for",
    "strip_fence",
]
