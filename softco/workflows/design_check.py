"""Checks and deterministic completion of an architect's design.

Two kinds of problems. *Structural* ones (cycles, unknown dependencies,
unsafe paths — ``depgraph.validate_design``) make a design unbuildable and
must be repaired. *Gaps* (a module with an empty interface, a function the
brief names that no file offers, a CLI with no ``main``) make it weak: the
architect gets a bounded chance to fill them, then the run goes on with the
best design, and interfaces still missing are read back from the code the
coders wrote so the tester has something exact to test.

Mechanical parts are fixed here rather than re-asked: a small model that
names its CLI file ``cli.py`` but forgets ``kind`` or ``entry_point`` gets
them filled in, and an empty ``depends_on`` of a CLI gets the modules it
wraps.
"""

from __future__ import annotations

import re
from pathlib import Path

from softco.artifacts import PRD, Design, FileSpec, FunctionSpec, depgraph
from softco.artifacts.stated import stated_interface
from softco.roles.architect import package_name, wants_cli

_CALL = re.compile(r"\b([a-z_][a-z0-9_]*)\(([^()]*)\)")
_NOT_FUNCTIONS = {"print", "len", "open", "main", "input", "range", "str", "int", "e", "g"}
MAIN_SIGNATURE = "def main(argv: list[str] | None = None) -> int"


def named_calls(text: str) -> dict[str, str]:
    """``{name: parameters}`` for each call a brief spells out, first spelling wins."""
    calls: dict[str, str] = {}
    for m in _CALL.finditer(text):
        name, params = m.group(1), m.group(2).strip()
        if name not in _NOT_FUNCTIONS and len(name) > 2 and name not in calls:
            calls[name] = params
    return calls


def named_functions(text: str) -> list[str]:
    """Function names a brief or story spells as calls, e.g. ``word_count(text)``."""
    names = [m.group(1) for m in _CALL.finditer(text)]
    return [n for n in dict.fromkeys(names) if n not in _NOT_FUNCTIONS and len(n) > 2]


def _is_package_marker(path: str) -> bool:
    return path.endswith("__init__.py")


def complete_design(design: Design, prd: PRD) -> Design:
    """Fill the mechanical parts a small model often forgets (no LLM call)."""
    files = [f.model_copy(deep=True) for f in design.files]
    entry = design.entry_point
    if wants_cli(prd):
        cli = next((f for f in files if f.kind == "cli"), None) or next(
            (f for f in files if f.path.rsplit("/", 1)[-1] in ("cli.py", "main.py")), None
        )
        if cli is not None:
            cli.kind = "cli"
            if not any(fn.name == "main" for fn in cli.interface):
                cli.interface.append(
                    FunctionSpec(
                        signature=MAIN_SIGNATURE,
                        docstring="Parse argv, run the command, print the result; 0 on success.",
                    )
                )
            if not cli.depends_on:
                cli.depends_on = [
                    f.path
                    for f in files
                    if f is not cli and not _is_package_marker(f.path) and f.kind != "cli"
                ]
            entry = entry or cli.path
    return Design(
        summary=design.summary, files=files, entry_point=entry, dependencies=design.dependencies
    )


def design_gaps(design: Design, prd: PRD, brief: str, existing: Design | None = None) -> list[str]:
    """Weaknesses worth one more try from the architect, worded as instructions."""
    old = {f.path for f in existing.files} if existing else set()
    gaps = [
        f"{f.path} has an empty interface: list the functions it defines with full signatures, "
        f"e.g. 'def word_count(text: str) -> int'"
        for f in design.files
        if not f.interface and not _is_package_marker(f.path) and f.path not in old
    ]
    offered = {fn.name for f in design.files for fn in f.interface}
    wanted = named_functions(" ".join([brief, *(s.story for s in prd.user_stories)]))
    gaps += [
        f"the requirements name {name}(...) but no file's interface defines it: add it to the "
        "module responsible for it"
        for name in wanted
        if name not in offered
    ]
    if wants_cli(prd) and not any(f.kind == "cli" for f in design.files):
        gaps.append(f"add a cli.py of kind 'cli' with '{MAIN_SIGNATURE}' and set entry_point")
    return gaps


def fill_interfaces_from_code(design: Design, root: Path) -> Design:
    """Give modules with an empty interface the public functions their code defines."""
    if all(f.interface or _is_package_marker(f.path) for f in design.files):
        return design
    scanned = {f.path: f for f in depgraph.design_from_repo(root).files}
    files = []
    for spec in design.files:
        found = scanned.get(spec.path)
        if not spec.interface and found is not None and found.interface:
            public = [fn for fn in found.interface if not fn.name.startswith("_")]
            spec = spec.model_copy(update={"interface": public})
        files.append(spec)
    return Design(
        summary=design.summary,
        files=files,
        entry_point=design.entry_point,
        dependencies=design.dependencies,
    )


def fallback_design(prd: PRD, brief: str) -> Design | None:
    """A plain design built from the functions the brief names (no LLM).

    Used when the architect still leaves gaps after its repairs: one core
    module offering every named function, plus ``cli.py`` when a CLI is
    wanted. ``None`` when the brief names no function to build around.
    """
    calls = named_calls(brief)
    params_ok = {
        n: p
        for n, p in calls.items()
        if all(part.strip().isidentifier() for part in p.split(",") if part.strip())
    }
    if not params_ok:
        return None
    package = package_name(prd)
    features = " ".join([*prd.features, *(s.story for s in prd.user_stories)])

    def doc(name: str) -> str:
        for sentence in re.split(r"(?<=[.;])\s+", features):
            if name in sentence:
                return sentence.strip()[:200]
        return f"{name.replace('_', ' ').capitalize()}."

    core = FileSpec(
        path=f"{package}/core.py",
        responsibility="The library functions the requirements name.",
        interface=[
            FunctionSpec(signature=f"def {n}({p})", docstring=doc(n)) for n, p in params_ok.items()
        ],
    )
    files = [FileSpec(path=f"{package}/__init__.py", responsibility="Package marker."), core]
    entry = ""
    if wants_cli(prd):
        files.append(
            FileSpec(
                path=f"{package}/cli.py",
                kind="cli",
                responsibility="Command-line interface.",
                interface=[
                    FunctionSpec(
                        signature=MAIN_SIGNATURE,
                        docstring="Parse argv, run the command, print; 0 on success.",
                    )
                ],
                depends_on=[core.path],
            )
        )
        entry = f"{package}/cli.py"
    return Design(
        summary=f"{package}.core offers the functions; cli.py wraps them.",
        files=files,
        entry_point=entry,
    )


def stated_design(brief: str) -> Design | None:
    """The design a brief fixes itself (``path.py: name(params) -> type ...``), or None.

    Files and signatures are the brief's, verbatim; a file offering ``main``
    is the CLI and depends on the other stated modules of its package, and
    each package directory gets its ``__init__.py`` marker. Nothing is
    invented beyond that: a brief that names files has said what it wants.
    """
    stated = stated_interface(brief)
    if not stated:
        return None
    files: list[FileSpec] = []
    for pkg in dict.fromkeys(p.rsplit("/", 1)[0] for p in stated if "/" in p):
        marker = f"{pkg}/__init__.py"
        if marker not in stated:
            files.append(FileSpec(path=marker, responsibility="Package marker."))
    entry = ""
    for path, interface in stated.items():
        names = [fn.name for fn in interface]
        cli = "main" in names
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        deps = []
        if cli and names == ["main"]:  # a pure CLI wraps the library modules beside it
            deps = [
                p
                for p, fns in stated.items()
                if p != path
                and (p.rsplit("/", 1)[0] if "/" in p else "") == folder
                and not any(f.name == "main" for f in fns)
            ]
        files.append(
            FileSpec(
                path=path,
                kind="cli" if cli else "module",
                responsibility=_responsibility(brief, names, cli),
                interface=interface,
                depends_on=deps,
            )
        )
        if cli and not entry:
            entry = path
    return Design(
        summary="The files and signatures the brief states, built as written.",
        files=files,
        entry_point=entry,
    )


def _responsibility(brief: str, names: list[str], cli: bool) -> str:
    first = brief.strip().split("\n", 1)[0].strip()
    offers = ", ".join(n for n in names if n != "main")
    if cli and not offers:
        return f"The command-line interface. {first}"[:300]
    return (f"Offers {offers}" + (" and the command line" if cli else "") + f". {first}")[:300]
