"""Output schemas that exist only for roles (not saved artifacts).

``CodeOnly`` is what coders and the tester are asked for instead of
``CodeFile``: the path is already decided by the design, so asking a small
model for it only invites a wrong or unsafe path and costs tokens. The role
turns the reply into a ``CodeFile`` with the designed path. A reply that
still carries a ``path`` key validates too (extra keys are ignored), so
scripts and cassettes written with ``CodeFile`` replies keep working.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from softco.artifacts import strip_fence


class CodeOnly(BaseModel):
    """One file's complete text."""

    content: str = Field(description="The complete file content: Python source only.")

    @field_validator("content")
    @classmethod
    def _code(cls, value: str) -> str:
        text = strip_fence(value).strip("\n")
        if not text.strip():
            raise ValueError("the file is empty: write the complete file content")
        return text + "\n"
