"""Agile artifacts: the backlog, sprints, sprint reviews and retrospectives.

The PM writes the :class:`Backlog` (``features`` first, so a small model plans
before it expands); :func:`plan_sprint` picks stories by priority within
capacity without an LLM, so sprint scope is predictable and testable.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from softco.artifacts._common import duplicates

StoryStatus = Literal["todo", "in_sprint", "done"]


class Story(BaseModel):
    """One backlog item, sized in story points."""

    id: str = Field("", description="Short id such as 'S1'.")
    title: str = Field(description="A few words naming the story.")
    description: str = Field(description="'As a <user>, I want <goal>, so that <reason>.'")
    priority: int = Field(1, ge=1, description="1 is most important.")
    points: int = Field(1, ge=1, le=13, description="Effort from 1 (tiny) to 13 (large).")
    acceptance: list[str] = Field(
        default_factory=list, description="At least one testable acceptance criterion."
    )
    status: StoryStatus = Field("todo", description="Always 'todo' in a new backlog.")

    @field_validator("acceptance", mode="before")
    @classmethod
    def _texts(cls, value: Any) -> Any:
        """Accept criteria written as ``{"text": ...}`` objects as well as strings."""
        if isinstance(value, list):
            return [v.get("text", "") if isinstance(v, dict) else v for v in value]
        return value

    @model_validator(mode="after")
    def _has_criteria(self) -> Story:
        self.acceptance = [a.strip() for a in self.acceptance if a.strip()]
        if not self.acceptance:
            raise ValueError(
                f"story {self.id or self.title!r} has no acceptance criteria: "
                "give at least one testable criterion"
            )
        return self


class Backlog(BaseModel):
    """The prioritised list of stories the sprints work through."""

    features: list[str] = Field(description="Short list of features, planned before the stories.")
    stories: list[Story] = Field(description="One or more stories per feature.")

    @model_validator(mode="after")
    def _ids(self) -> Backlog:
        if not self.stories:
            raise ValueError("the backlog has no stories: write at least one story per feature")
        for n, story in enumerate(self.stories, 1):
            story.id = story.id.strip() or f"S{n}"
        dupes = duplicates(s.id for s in self.stories)
        if dupes:
            raise ValueError(f"story id(s) {dupes} are used twice: give every story its own id")
        return self

    def story(self, story_id: str) -> Story:
        """The story with ``story_id``; ``KeyError`` if absent."""
        for story in self.stories:
            if story.id == story_id:
                return story
        raise KeyError(f"no story {story_id!r} in the backlog")

    def todo(self) -> list[Story]:
        """Stories not done or planned, most important first (ties: backlog order)."""
        todo = [s for s in self.stories if s.status == "todo"]
        return sorted(todo, key=lambda s: s.priority)

    @property
    def done(self) -> bool:
        return all(s.status == "done" for s in self.stories)


class Sprint(BaseModel):
    """What one sprint sets out to deliver."""

    number: int = Field(ge=1, description="1 for the first sprint.")
    goal: str = Field(description="One sentence: what the sprint delivers.")
    story_ids: list[str] = Field(description="Ids of the backlog stories in this sprint.")


class SprintReview(BaseModel):
    """Which stories a sprint delivered (their acceptance tests pass) and which go back."""

    sprint: int = Field(ge=1, description="Number of the sprint reviewed.")
    accepted: list[str] = Field(default_factory=list, description="Ids of accepted stories.")
    returned: list[str] = Field(default_factory=list, description="Ids sent back to the backlog.")
    notes: str = Field("", description="What the team learned from the demo.")


class Retrospective(BaseModel):
    """The team's reflection after a sprint; ``lessons`` are written to memory."""

    went_well: list[str] = Field(default_factory=list, description="What worked.")
    to_improve: list[str] = Field(default_factory=list, description="What to do differently.")
    lessons: list[str] = Field(
        default_factory=list, description="Short reusable lessons for future projects."
    )


def plan_sprint(backlog: Backlog, number: int, capacity: int, goal: str = "") -> Sprint:
    """Pick todo stories by priority while their points fit ``capacity``.

    A story larger than the whole capacity is still taken when nothing else
    was, so a sprint is never empty while work remains. Picked stories are
    marked ``in_sprint`` on the backlog.
    """
    picked: list[Story] = []
    left = capacity
    for story in backlog.todo():
        if story.points <= left or (not picked and story.points > capacity):
            picked.append(story)
            left -= story.points
        if left <= 0:
            break
    for story in picked:
        story.status = "in_sprint"
    default_goal = "deliver " + ", ".join(s.title for s in picked) if picked else "no work left"
    return Sprint(number=number, goal=goal or default_goal, story_ids=[s.id for s in picked])
