"""The architect: PRD → Design (files, interfaces, depends_on), with a bounded repair loop.

The workflow validates the Design with ``depgraph.validate_design`` and, on
problems, calls :func:`design` again with ``problems`` and the previous
design; in agile mode ``existing`` is the current design, which must be kept
and only extended. Test files are dropped from the result because the tester
writes them, one per module.
"""

from __future__ import annotations

import keyword
import re

from softco.artifacts import PRD, Design
from softco.artifacts.paths import STDLIB_NAMES
from softco.roles.base import RoleContext, ask
from softco.roles.briefing import format_design, format_prd

ROLE = "architect"
_CLI_WORDS = re.compile(r"\b(cli|command[- ]line|command|terminal|argv|argparse)\b", re.I)


_FILLER_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "python",
        "library",
        "lib",
        "prd",
        "app",
        "application",
        "tool",
        "tools",
        "cli",
        "module",
        "package",
        "project",
        "simple",
        "small",
        "basic",
    }
)


def package_name(prd: PRD) -> str:
    """A safe package directory named after the product, e.g. 'Text Stats!' -> 'text_stats'."""
    words = re.findall(r"[a-z0-9]+", prd.title.lower())
    # "textstats library PRD" names the package textstats, not textstats_library_prd
    words = [w for w in words if w not in _FILLER_WORDS][:3] or words[:3]
    name = "_".join(words)[:24].strip("_") or "app"
    if name[0].isdigit():
        name = f"app_{name}"
    if name in STDLIB_NAMES or keyword.iskeyword(name) or name in {"test", "tests"}:
        name = f"{name}_app"
    return name


def wants_cli(prd: PRD) -> bool:
    """Whether the requirements ask for a command-line tool (then cli.py/main(argv) is required)."""
    text = " ".join([prd.title, prd.summary, *prd.features, *prd.constraints])
    text += " ".join(s.story + " ".join(c.text for c in s.acceptance) for s in prd.user_stories)
    return bool(_CLI_WORDS.search(text))


def design(
    ctx: RoleContext,
    prd: PRD,
    problems: list[str] | None = None,
    existing: Design | None = None,
    max_files: int = 6,
) -> Design:
    """Design 2–``max_files`` files; ``problems`` repairs, ``existing`` extends a design."""
    result = ask(
        ctx,
        role=ROLE,
        template="architect.design",
        schema=Design,
        task_summary=f"design the files for '{prd.title}'",
        describe=lambda d: f"design: {len(d.files)} files ({', '.join(d.paths)})",
        prd=format_prd(prd),
        existing=format_design(existing) if existing else "",
        package=package_name(prd),
        min_files=min(2, max_files),
        max_files=max_files,
        cli=wants_cli(prd),
        problems=list(problems or []),
    )
    result = _without_tests(result)
    return _keep_existing(result, existing) if existing else result


def _without_tests(design: Design) -> Design:
    """Drop test files the model listed anyway; dependents never import tests."""
    keep = [
        f
        for f in design.files
        if f.kind != "test" and not f.path.rsplit("/", 1)[-1].startswith("test_")
    ]
    if len(keep) == len(design.files) or not keep:
        return design
    kept = {f.path for f in keep}
    files = [
        f.model_copy(update={"depends_on": [d for d in f.depends_on if d in kept]}) for f in keep
    ]
    entry = design.entry_point if design.entry_point in kept else ""
    return Design(
        summary=design.summary, files=files, entry_point=entry, dependencies=design.dependencies
    )


def _keep_existing(design: Design, existing: Design) -> Design:
    """Put back existing files and functions the model dropped: extending must not delete."""
    by_path = {f.path: f for f in design.files}
    files = []
    for old in existing.files:
        new = by_path.pop(old.path, None)
        if new is None:
            files.append(old)
            continue
        names = {fn.name for fn in new.interface}
        missing = [fn for fn in old.interface if fn.name not in names]
        deps = list(dict.fromkeys([*old.depends_on, *new.depends_on]))
        update = {"interface": missing + new.interface, "depends_on": deps}
        files.append(new.model_copy(update=update))
    files += by_path.values()
    return Design(
        summary=design.summary,
        files=files,
        entry_point=design.entry_point or existing.entry_point,
        dependencies=list(dict.fromkeys([*existing.dependencies, *design.dependencies])),
    )
