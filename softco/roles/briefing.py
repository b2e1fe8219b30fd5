"""Compact text views of artifacts for prompts.

A 1.5B model reads ~25 tokens/s on two cores, so every prompt is built from
these terse views instead of dumped JSON: a story is two or three lines, a
file's interface is Python stubs, and long text is cut with a visible marker.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from softco.artifacts import PRD, Backlog, Design, FileSpec, Objection, UserStory
from softco.artifacts.paths import module_name


def trim(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters, keeping the head, with a marker."""
    if len(text) <= limit:
        return text
    return text[:limit].rstrip() + f"\n... [{len(text) - limit} characters cut]"


def format_story(story: UserStory) -> str:
    title = story.title.removeprefix(story.id).strip(" :-") if story.id else story.title
    lines = [f"{story.id} {title}: {story.story}"]
    for crit in story.acceptance:
        lines.append(f"  - {crit.text}")
        lines += [f"    example: {ex.call} -> {ex.expected}" for ex in crit.examples]
    return "\n".join(lines)


def format_prd(prd: PRD) -> str:
    """The PRD as critics, the judge and the architect read it."""
    parts = [f"Title: {prd.title}", f"Summary: {prd.summary}"]
    if prd.constraints:
        parts.append("Constraints: " + "; ".join(prd.constraints))
    if prd.non_goals:
        parts.append("Non-goals: " + "; ".join(prd.non_goals))
    parts.append("Stories:")
    parts += [format_story(s) for s in prd.user_stories]
    return "\n".join(parts)


def format_backlog(backlog: Backlog) -> str:
    lines = []
    for s in backlog.stories:
        lines.append(f"{s.id} (priority {s.priority}, {s.points} pts) {s.title}: {s.description}")
        lines += [f"  - {a}" for a in s.acceptance]
    return "\n".join(lines)


def format_document(document: PRD | Backlog) -> str:
    return format_prd(document) if isinstance(document, PRD) else format_backlog(document)


def story_ids(document: PRD | Backlog) -> list[str]:
    stories = document.user_stories if isinstance(document, PRD) else document.stories
    return [s.id for s in stories]


def format_objections(objections: list[Objection]) -> str:
    return "\n".join(f"{o.id} [{o.severity}] on {o.target}: {o.text}" for o in objections)


def format_spec(spec: FileSpec) -> str:
    """A file's interface as Python stubs with docstrings: what the coder must implement."""
    stubs = []
    for fn in spec.interface:
        doc = f'\n    """{fn.docstring}"""' if fn.docstring else ""
        stubs.append(f"{fn.signature}:{doc}")
    return "\n".join(stubs) or "(no public functions: keep the file minimal)"


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z_][a-z0-9_]{2,}", text.lower()))


def stories_for(prd: PRD, spec: FileSpec, limit: int = 1500, fallback: bool = True) -> str:
    """The stories a file serves: those naming its module or functions, else all (trimmed).

    ``fallback=False`` returns "" instead of all stories: a library module's test
    cases drawn from CLI stories call ``main``, which the module does not offer.
    """
    names = {fn.name.lower() for fn in spec.interface}
    names.add(PurePosixPath(spec.path).stem.lower())  # not the package: every story names it
    names = {n for n in names if len(n) > 2 and n != "__init__"}
    picked = [s for s in prd.user_stories if names & _words(format_story(s))]
    if not picked and not fallback:
        return ""
    return trim("\n".join(format_story(s) for s in picked or prd.user_stories), limit)


def format_design(design: Design, limit: int = 2500) -> str:
    """Every file with its dependencies and stubs (for the architect's repair and the reviewer)."""
    blocks = []
    for spec in design.files:
        deps = ", ".join(spec.depends_on) or "nothing"
        blocks.append(f"# {spec.path} ({spec.kind}; uses {deps}): {spec.responsibility}")
        blocks.append(format_spec(spec))
    return trim("\n".join(blocks), limit)


def import_line(spec: FileSpec) -> str:
    """The exact import a test (or a dependent) should use for ``spec``'s interface."""
    names = ", ".join(fn.name for fn in spec.interface)
    module = module_name(spec.path)
    return f"from {module} import {names}" if names else f"import {module}"


def test_path_for(spec: FileSpec, design: Design) -> str:
    """``tests/test_<stem>.py``; the dotted module is used when two files share a stem."""
    pure = PurePosixPath(spec.path)
    stem = pure.parent.name if pure.stem == "__init__" and pure.parent.name else pure.stem
    stems = [PurePosixPath(f.path).stem for f in design.files]
    if stems.count(pure.stem) > 1:
        stem = module_name(spec.path).replace(".", "_")
    return f"tests/test_{stem}.py"


test_path_for.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
