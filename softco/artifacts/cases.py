"""The tester's checks as data: calls with exact results, command-line scenarios.

Not saved as run artifacts but shared by two rooms: the tester asks for them
(``roles.tester``) and ``quality.case_tests`` checks and renders them, so they
live here, below both.
"""

from __future__ import annotations

import ast
from functools import cache
from typing import ClassVar

from pydantic import BaseModel, Field, field_validator, model_validator

MAX_SETUP = 4  # statements before a case's call


MAX_CASES = 12
"""Cases in one tester answer: typical, edge and error cases for three or four functions."""


class CallCase(BaseModel):
    """One check of a library function or class: optional setup, one call, its exact result."""

    behaviour: str = Field(description="What it checks, in a few words, e.g. 'empty text'.")
    setup: list[str] = Field(
        default_factory=list,
        max_length=MAX_SETUP,
        description="Python statements run first, e.g. creating an object (may be empty).",
    )
    call: str = Field(description="One Python expression using the module's names.")
    expected: str | int | float | bool | list | dict | None = Field(
        description="The exact value the call returns, or 'raises ValueError'."
    )
    """Any JSON value: forced to open a string, the 1.5B model meaning ``2`` wrote
    ``"strings"`` for every case. A string is read as Python source first
    (``"[('a', 2)]"``, ``"2 * 3"``), else as the text itself where a ``str`` is returned."""

    @model_validator(mode="after")
    def _statements_before_the_call_are_setup(self) -> CallCase:
        """``game = GuessGame(50); game.guess(30)`` is setup plus one call.

        A small tester writes the object it needs into ``call`` (guess, session 13:
        four such cases, all left out as not parsing). When ``call`` is several
        statements ending in an expression, the statements before it join
        ``setup`` and the expression is the call.
        """
        text = self.call.strip()
        try:
            ast.parse(text, mode="eval")
            return self
        except SyntaxError:
            pass
        except (ValueError, RecursionError, MemoryError):
            return self  # too deep or odd: left to the checks, which say so
        try:
            body = ast.parse(text).body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return self  # left to the checks, which say it does not parse
        if len(body) < 2 or not isinstance(body[-1], ast.Expr):
            return self
        if len(self.setup) + len(body) - 1 > MAX_SETUP:
            return self  # more than a case's setup may hold: left to the checks
        before = [ast.get_source_segment(text, stmt) or ast.unparse(stmt) for stmt in body[:-1]]
        self.setup = [*self.setup, *before]
        self.call = ast.get_source_segment(text, body[-1]) or ast.unparse(body[-1])
        return self


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

    # typical, edge and error cases for three or four functions: more values pin more
    # behaviour (the mutation check), and the quota per function is kept by case_tests
    cases: list[CallCase] = Field(max_length=MAX_CASES)
    case_cap: ClassVar[int] = MAX_CASES

    @field_validator("cases", mode="before")
    @classmethod
    def _at_most_the_cap(cls, value: object) -> object:
        # the grammar stops a local model at the cap; a provider without one is cut, not
        # re-asked
        return value[: cls.case_cap] if isinstance(value, list) else value


@cache
def capped_cases(base: type[TestCases], limit: int) -> type[TestCases]:
    """``base`` allowing at most ``limit`` cases (``base`` itself for 0 or more than it allows).

    Generation is most of a local run's time (~10 tokens/s on 2 cores): cases
    past what ``case_tests`` keeps are tokens paid for nothing. Same name as
    ``base``, so the prompt, the events and the scripted replies see no change.
    """
    if limit <= 0 or limit >= base.case_cap:
        return base
    return type(
        base.__name__,
        (base,),
        {
            "__module__": base.__module__,
            "__annotations__": {"cases": list[CallCase], "case_cap": ClassVar[int]},
            "cases": Field(max_length=limit),
            "case_cap": limit,
        },
    )


class CliTestCases(TestCases):
    """``TestCases`` plus command-line scenarios, for a module with ``main(argv)``."""

    cli: list[CliCase] = Field(min_length=1, max_length=4)

    @field_validator("cli", mode="before")
    @classmethod
    def _at_most_four(cls, value: object) -> object:
        return value[:4] if isinstance(value, list) else value
