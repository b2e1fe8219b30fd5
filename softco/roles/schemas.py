"""Output schemas that exist only for roles (not saved artifacts).

``CodeOnly`` is what coders and the tester are asked for instead of
``CodeFile``: the path is already decided by the design, so asking a small
model for it only invites a wrong or unsafe path and costs tokens. The role
turns the reply into a ``CodeFile`` with the designed path. A reply that
still carries a ``path`` key validates too (extra keys are ignored), so
scripts and cassettes written with ``CodeFile`` replies keep working.
"""

from __future__ import annotations

import ast
import json
import re
from typing import ClassVar

from pydantic import BaseModel, Field, field_validator

from softco.artifacts import strip_fence

# the tester's case schemas live in artifacts (quality.case_tests renders them too)
from softco.artifacts.cases import (
    CallCase,
    CliCase,
    CliFile,
    CliStep,
    CliTestCases,
    TestCases,
)


def rejoin_broken_strings(code: str, max_fixes: int = 20) -> str:
    """Undo a small model's JSON slip: ``"\\n"`` meant inside a string literal.

    Writing Python inside a JSON string, a model often emits ``\\n`` where the
    Python source needed the two characters backslash-n, so ``'10\\n'`` arrives
    as a string literal broken across two lines. Each such break is joined
    back with an escaped newline until the code parses (or nothing changes).
    """
    for _ in range(max_fixes):
        try:
            ast.parse(code)
            return code
        except SyntaxError as exc:
            if "unterminated string literal" not in str(exc.msg) or not exc.lineno:
                return code
            lines = code.split("\n")
            i = exc.lineno - 1
            if i + 1 >= len(lines):
                return code
            lines[i : i + 2] = [lines[i] + "\\n" + lines[i + 1]]
            code = "\n".join(lines)
    return code


_BARE_DEF = re.compile(r"^(\s*(?:async\s+)?def\s+\w+)\s*:", re.M)


class CodeOnly(BaseModel):
    """One file's complete text."""

    content: str = Field(description="The complete file content: Python source only.")

    @field_validator("content")
    @classmethod
    def _code(cls, value: str) -> str:
        text = strip_fence(value).strip("\n")
        if not text.strip():
            raise ValueError("the file is empty: write the complete file content")
        # "def test_adds:" (no parentheses) is a frequent small-model slip
        text = _BARE_DEF.sub(r"\1():", text)
        return rejoin_broken_strings(text) + "\n"

    plain_text: ClassVar[bool] = True
    """Asked for as a fenced code block, not JSON: a small model writing code inside a
    JSON string ends the string at its first unescaped double quote (the grammar
    then closes the object), so tests came back cut after ``assert f(``."""

    @classmethod
    def from_text(cls, raw: str) -> CodeOnly:
        """The file from a reply: a ```python block, a JSON ``{"content": ...}``, or bare code.

        Raises ``ValueError`` with a message for the model when there is none.
        """
        stripped = raw.strip()
        if stripped.startswith("{"):
            try:
                data = json.loads(stripped)
            except ValueError:
                data = None
            if isinstance(data, dict) and isinstance(data.get("content"), str):
                return cls(content=data["content"])
        blocks = _BLOCK.findall(raw)
        if blocks:
            return cls(content=max(blocks, key=len))
        opened = _OPEN_BLOCK.search(raw)
        if opened and _looks_like_code(raw[opened.end() :]):  # closing fence missing
            return cls(content=raw[opened.end() :])
        if opened:  # cut off mid-code: the caller salvages what parses
            raise ValueError("your reply was cut off before the end of the file")
        if _looks_like_code(stripped):
            return cls(content=stripped)
        raise ValueError(
            "your reply had no code: reply with the complete file in one ```python block"
        )

    @classmethod
    def salvage(cls, raw: str) -> CodeOnly | None:
        """Recover a reply cut off at ``max_tokens`` (a small model looping on tests).

        The code is cut back to the last point where it still parses, so the
        complete functions written before the loop are kept instead of
        throwing the whole reply away.
        """
        match = re.match(r'\s*\{\s*"content"\s*:\s*"', raw)
        if match:  # a JSON reply (a cassette, a JSON-only provider): decode what there is
            body = raw[match.end() :]
            text = ""
            for end in range(len(body), 0, -1):
                try:
                    text = json.loads('"' + body[:end].rstrip("\\") + '"')
                    break
                except ValueError:
                    continue
        else:
            opened = _OPEN_BLOCK.search(raw)
            text = raw[opened.end() :] if opened else raw
            text = text.split("```", 1)[0]
        original = text.splitlines()
        lines = list(original)
        while lines:
            candidate = "\n".join(lines).rstrip() + "\n"
            try:
                tree = ast.parse(candidate)
            except SyntaxError:
                lines.pop()
                continue
            if tree.body and any(
                isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                for n in tree.body
            ):
                # if the cut fell inside the last function, drop that function
                last = tree.body[-1]
                rest = original[len(lines) :]
                cut_inside = bool(rest) and rest[0][:1] in (" ", "\t")
                if cut_inside and isinstance(last, ast.FunctionDef):
                    candidate = "\n".join(lines[: last.lineno - 1]).rstrip() + "\n"
                    if "def " not in candidate:
                        return None
                return cls(content=candidate)
            return None
        return None


_BLOCK = re.compile(r"```[ \t]*(?:python|py)?[ \t]*\n(.*?)\n?```", re.S)
_OPEN_BLOCK = re.compile(r"```[ \t]*(?:python|py)?[ \t]*\n")


def _looks_like_code(text: str) -> bool:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return False
    return any(not isinstance(n, ast.Expr) for n in tree.body)


__all__ = [
    "CallCase",
    "CliCase",
    "CliFile",
    "CliStep",
    "CliTestCases",
    "CodeOnly",
    "TestCases",
    "rejoin_broken_strings",
]
