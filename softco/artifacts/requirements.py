"""The brief and the PM's product requirements document (PRD).

The PRD is the PM's structured output and the contract every later role
works from: each user story carries testable acceptance criteria, so the
tester can turn them into pytest cases and sprint review can accept a story
by its tests. ``features`` comes before ``user_stories`` so a small model
lists the plan first and then expands it.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from softco.artifacts._common import duplicates
from softco.errors import BriefInvalid

MAX_BRIEF_CHARS = 20_000


class Brief(BaseModel):
    """The one-line (or one-page) request a run starts from."""

    text: str = Field(description="What to build, in the user's words.")

    @field_validator("text")
    @classmethod
    def _usable(cls, value: str) -> str:
        text = value.strip()
        if not text:
            raise ValueError("the brief is empty: describe what to build, e.g. 'a todo-list CLI'")
        if len(text) > MAX_BRIEF_CHARS:
            raise ValueError(
                f"the brief is {len(text):,} characters; shorten it to at most "
                f"{MAX_BRIEF_CHARS:,} (put details in the requirements, not the brief)"
            )
        return text

    @classmethod
    def parse(cls, text: str) -> Brief:
        """Build a Brief or raise :class:`BriefInvalid` with the one-line reason."""
        try:
            return cls(text=text)
        except ValidationError as exc:
            raise BriefInvalid(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None


class Example(BaseModel):
    """A concrete call and its expected result: what the tester turns into an assert."""

    call: str = Field(description="Python expression or command, e.g. 'add(2, 3)'.")
    expected: str = Field(description="Expected result or behaviour, e.g. '5'.")


_SAID = re.compile(r"\s+(?:->|=>|returns|should return|gives)\s+")
_RAISES = re.compile(r"\s+(?:raises|should raise)\s+`?([A-Z]\w*)`?\s*$")
_PLAIN = {"True", "False", "None"}


def _a_call(text: str) -> bool:
    try:
        return isinstance(ast.parse(text, mode="eval").body, ast.Call)
    except SyntaxError:
        return False


def _a_value(text: str) -> bool:
    """A literal, or arithmetic on literals (``2 * 3.5 + 1``, which ``oracle`` computes)."""
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return False
    allowed = (
        ast.Expression,
        ast.Constant,
        ast.UnaryOp,
        ast.BinOp,
        ast.operator,
        ast.unaryop,
        ast.Load,
        ast.Tuple,
        ast.List,
        ast.Dict,
        ast.Set,
    )
    return all(
        isinstance(node, allowed) or (isinstance(node, ast.Name) and node.id in _PLAIN)
        for node in ast.walk(tree)
    )


def example_in_text(text: str) -> Example | None:
    """The example a criterion states as ``call == value``, ``-> value``, ``returns value``
    or ``raises E`` (a literal value: prose is no example); None otherwise."""
    text = text.strip().rstrip(".")
    bare = text.strip("`")
    try:
        node = ast.parse(bare, mode="eval").body
    except SyntaxError:
        node = None
    if (
        isinstance(node, ast.Compare)
        and len(node.ops) == 1
        and isinstance(node.ops[0], ast.Eq | ast.Is)
        and isinstance(node.left, ast.Call)
    ):
        call = ast.get_source_segment(bare, node.left)
        value = ast.get_source_segment(bare, node.comparators[0])
        if call and value and _a_value(value):
            return Example(call=call, expected=value)
        return None
    raised = _RAISES.search(text)
    if raised and _a_call(text[: raised.start()].strip("` ")):
        return Example(call=text[: raised.start()].strip("` "), expected=f"raises {raised[1]}")
    for said in _SAID.finditer(text):  # an arrow inside a quoted argument is not the one
        call, value = text[: said.start()].strip("` "), text[said.end() :].strip("` ")
        if _a_call(call):
            return Example(call=call, expected=value) if _a_value(value) else None
    return None


class AcceptanceCriterion(BaseModel):
    """One testable condition a story must meet to be accepted."""

    text: str = Field(description="One testable sentence, e.g. 'adding 2 and 3 returns 5'.")
    examples: list[Example] = Field(
        default_factory=list,
        description="Optional concrete examples of the criterion.",
        json_schema_extra={"maxItems": 2},
    )

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        """Small models often write criteria as plain strings; accept them."""
        return {"text": data} if isinstance(data, str) else data

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("an acceptance criterion is empty: write one testable sentence")
        return value.strip()

    @model_validator(mode="after")
    def _example_in_text(self) -> AcceptanceCriterion:
        """A criterion written as the example itself (``f(1) == 2``) gets it as its example.

        A 1.5B PM often leaves ``examples`` empty and writes the call and its
        value as the criterion (logstats: ``parse_line('2023-10-05 14:30:00
        INFO ...') == {...}`` six times); read that way, it feeds the computed
        oracle and the example tests like a structured one.
        """
        if not self.examples:
            found = example_in_text(self.text)
            if found is not None:
                self.examples = [found]
        return self


class UserStory(BaseModel):
    """Who wants what and why, with the criteria that prove it is done."""

    id: str = Field("", description="Short id such as 'US1'.")
    title: str = Field(description="A few words naming the story.")
    story: str = Field(description="'As a <user>, I want <goal>, so that <reason>.'")
    acceptance: list[AcceptanceCriterion] = Field(
        default_factory=list,
        description="At least one testable acceptance criterion.",
        json_schema_extra={"maxItems": 4},
    )

    @model_validator(mode="after")
    def _has_criteria(self) -> UserStory:
        if not self.acceptance:
            name = self.id or self.title
            raise ValueError(
                f"user story {name!r} has no acceptance criteria: give at least one testable "
                "criterion, e.g. 'adding 2 and 3 returns 5'"
            )
        return self


class PRD(BaseModel):
    """The product requirements document the PM writes and the critics attack."""

    title: str = Field(description="Short product name.")
    summary: str = Field(description="Two or three sentences: what it is and who it is for.")
    goals: list[str] = Field(
        default_factory=list,
        description="What success looks like.",
        json_schema_extra={"maxItems": 4},
    )
    features: list[str] = Field(
        description="Short list of features, planned before the stories.",
        json_schema_extra={"maxItems": 6},
    )
    user_stories: list[UserStory] = Field(
        description="One story per feature, with criteria.", json_schema_extra={"maxItems": 6}
    )
    non_goals: list[str] = Field(
        default_factory=list,
        description="What is out of scope.",
        json_schema_extra={"maxItems": 4},
    )
    constraints: list[str] = Field(
        default_factory=list,
        description="Technical limits, e.g. 'standard library only'.",
        json_schema_extra={"maxItems": 4},
    )

    @model_validator(mode="after")
    def _story_ids(self) -> PRD:
        if not self.user_stories:
            raise ValueError("the PRD has no user stories: write at least one story per feature")
        for n, story in enumerate(self.user_stories, 1):
            story.id = story.id.strip() or f"US{n}"
        dupes = duplicates(s.id for s in self.user_stories)
        if dupes:
            raise ValueError(f"story id(s) {dupes} are used twice: give every story its own id")
        return self

    def story(self, story_id: str) -> UserStory:
        """The story with ``story_id``; ``KeyError`` if absent."""
        for story in self.user_stories:
            if story.id == story_id:
                return story
        raise KeyError(f"no user story {story_id!r}")
