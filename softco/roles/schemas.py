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


class CallCase(BaseModel):
    """One check of a library function or class: optional setup, one call, its exact result."""

    behaviour: str = Field(description="What it checks, in a few words, e.g. 'empty text'.")
    setup: list[str] = Field(
        default_factory=list,
        max_length=4,
        description="Python statements run first, e.g. creating an object (may be empty).",
    )
    call: str = Field(description="One Python expression using the module's names.")
    expected: str | int | float | bool | list | dict | None = Field(
        description="The exact value the call returns, or 'raises ValueError'."
    )
    """Any JSON value: forced to open a string, the 1.5B model meaning ``2`` wrote
    ``"strings"`` for every case. A string is read as Python source first
    (``"[('a', 2)]"``, ``"2 * 3"``), else as the text itself where a ``str`` is returned."""


class CliFile(BaseModel):
    """A file the command line reads, created in the test's working directory."""

    name: str = Field(description="A plain file name, e.g. 'input.txt'.")
    content: str = Field(description="The file's text.")


class CliStep(BaseModel):
    """One invocation of ``main(argv)``: what it returns and what it prints."""

    argv: list[str] = Field(max_length=8, description="The arguments, without the program name.")
    exit_code: int = Field(description="What main returns: 0 on success.")
    output: list[str] = Field(
        default_factory=list, max_length=6, description="Lines it prints on success."
    )


class CliCase(BaseModel):
    """A command-line scenario: files to start from and one or more invocations."""

    behaviour: str = Field(description="What it checks, in a few words.")
    files: list[CliFile] = Field(min_length=1, max_length=2)
    """At least one: left free, the 1.5B model never wrote the file its command reads."""
    steps: list[CliStep] = Field(min_length=1, max_length=4)


class TestCases(BaseModel):
    """The tester's checks as data; ``quality.case_tests`` writes the pytest file.

    A small model writing pytest code invents fixtures, redefines the code
    under test, repeats one test a dozen times and passes a ``Path`` where the
    interface says ``str``; asked for calls and expected values only, the file
    around them is written (and linted against the signatures) without it.
    """

    __test__: ClassVar[bool] = False

    cases: list[CallCase] = Field(max_length=8)

    @field_validator("cases", mode="before")
    @classmethod
    def _at_most_eight(cls, value: object) -> object:
        # the grammar stops a local model at 8; a provider without one is cut, not re-asked
        return value[:8] if isinstance(value, list) else value


class CliTestCases(TestCases):
    """``TestCases`` plus command-line scenarios, for a module with ``main(argv)``."""

    cli: list[CliCase] = Field(min_length=1, max_length=4)

    @field_validator("cli", mode="before")
    @classmethod
    def _at_most_four(cls, value: object) -> object:
        return value[:4] if isinstance(value, list) else value
