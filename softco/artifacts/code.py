"""Files the coders and the tester produce.

Small models often wrap code in Markdown fences even inside a JSON string;
the fence is stripped here so the file on disk is plain Python. Paths must be
safe (relative, inside the project, not hidden) before they ever reach the
workspace, which checks again.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field, field_validator, model_validator

from softco.artifacts._common import duplicates
from softco.artifacts.paths import normalise_path, safe_relative_problem

_FENCE = re.compile(r"^\s*```[A-Za-z0-9_+-]*[ \t]*\n(.*?)\n?```\s*$", re.DOTALL)


def strip_fence(text: str) -> str:
    """Remove one Markdown code fence around the whole text, if there is one."""
    match = _FENCE.match(text)
    return match.group(1) if match else text


class CodeFile(BaseModel):
    """One file's full text, written to the workspace as is."""

    path: str = Field(description="Relative path, e.g. 'calc/ops.py'.")
    content: str = Field(description="The complete file content.")

    @field_validator("path")
    @classmethod
    def _safe(cls, value: str) -> str:
        path = normalise_path(value)
        problem = safe_relative_problem(path)
        if problem:
            raise ValueError(problem)
        return path

    @field_validator("content")
    @classmethod
    def _plain(cls, value: str) -> str:
        text = strip_fence(value)
        return text if text.endswith("\n") or not text else text + "\n"


class TestSuite(BaseModel):
    """The tester's output: pytest files that check the acceptance criteria."""

    __test__ = False  # not a pytest class, despite the name

    plan: str = Field("", description="One or two sentences: what the tests cover.")
    files: list[CodeFile] = Field(description="Test files named tests/test_<something>.py.")

    @model_validator(mode="after")
    def _collectable(self) -> TestSuite:
        if not self.files:
            raise ValueError("the test suite has no files: write at least one tests/test_*.py")
        problems = []
        for f in self.files:
            name = f.path.rsplit("/", 1)[-1]
            if not name.endswith(".py") or not (name.startswith("test_") or name == "conftest.py"):
                problems.append(
                    f"test file {f.path!r} would not be collected by pytest: "
                    "name it test_<something>.py"
                )
        problems += [f"test file {p!r} is listed twice" for p in duplicates(self.paths)]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def paths(self) -> list[str]:
        return [f.path for f in self.files]
