"""The architect's Design: files, their public interfaces and their dependencies.

What the validators check and what ``depgraph.validate_design`` checks:

* Validators (run while parsing the model's JSON, so their messages go straight
  back to the architect in the re-ask) reject what makes a Design meaningless
  on its own: unsafe or non-importable paths, duplicate paths, a depends_on
  naming a file that is not in the design, self-dependency, no files,
  signatures that are not Python.
* ``depgraph.validate_design`` re-runs those checks (a Design built with
  ``model_construct`` or edited by hand is still caught) and adds the checks on
  the whole graph or on settings: cycles, more files than ``max_files``, two
  files that import as the same module. A cyclic Design can therefore still be
  constructed, saved, drawn and reported on, which is what the architect's
  repair loop and the TUI need.

Validators are tolerant of harmless variations from small models: paths are
stripped and ``./`` removed, depends_on entries given as module names
(``calc.ops``) or unique file names (``ops.py``) are resolved to paths,
duplicates are dropped and standard-library names (``os``) and ``pytest`` are
ignored.
"""

from __future__ import annotations

import ast
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator

from softco.artifacts.paths import STDLIB_NAMES, module_name, normalise_path, path_problem

EXISTING_REPO = "existing_repo"
"""Validation-context flag for ``design_from_repo``: the files already exist, so a
top-level module that shadows the stdlib is accepted (validate_design still flags it)."""


class FunctionSpec(BaseModel):
    """One public function or class of a file, as its dependents will see it."""

    name: str = Field("", description="Function or class name, e.g. add.")
    signature: str = Field(
        description="Python signature, e.g. 'def add(a: float, b: float) -> float' or 'class Bag'."
    )
    docstring: str = Field("", description="One or two sentences: what it does and returns.")

    @field_validator("signature")
    @classmethod
    def _python_signature(cls, value: str) -> str:
        sig = value.strip().rstrip(":").strip()
        if not sig.startswith(("def ", "async def ", "class ")):
            sig = f"class {sig}" if sig[:1].isupper() and "(" not in sig else f"def {sig}"
        body = "\n    ..."
        try:
            tree = ast.parse(sig + ":" + body)
        except SyntaxError as exc:
            raise ValueError(
                f"signature {value!r} is not valid Python ({exc.msg}): write it like "
                "'def add(a: float, b: float) -> float' or 'class Stack'"
            ) from None
        if len(tree.body) != 1:
            raise ValueError(f"signature {value!r} must describe exactly one function or class")
        return sig

    @model_validator(mode="after")
    def _name_from_signature(self) -> FunctionSpec:
        """The signature is authoritative; the name is derived so they never disagree."""
        node = ast.parse(self.signature + ":\n    ...").body[0]
        self.name = getattr(node, "name", self.name)
        return self

    @field_validator("docstring")
    @classmethod
    def _strip_doc(cls, value: str) -> str:
        return value.strip()


class FileSpec(BaseModel):
    """One file of the project: why it exists, what it offers, what it needs."""

    path: str = Field(description="Relative POSIX path ending in .py, e.g. 'calc/ops.py'.")
    responsibility: str = Field(description="One sentence: what this file is responsible for.")
    kind: Literal["module", "cli", "test"] = Field(
        "module", description="module (library code), cli (command-line entry) or test."
    )
    interface: list[FunctionSpec] = Field(
        default_factory=list, description="Public functions and classes other files may use."
    )
    depends_on: list[str] = Field(
        default_factory=list, description="Paths of other files in this design that it imports."
    )

    @field_validator("path")
    @classmethod
    def _safe_path(cls, value: str, info: ValidationInfo) -> str:
        path = normalise_path(value)
        existing = bool((info.context or {}).get(EXISTING_REPO))
        problem = path_problem(path, allow_shadowing=existing)
        if problem:
            raise ValueError(problem)
        return path

    @field_validator("depends_on")
    @classmethod
    def _clean_deps(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(d for d in (normalise_path(v) for v in value) if d))

    @field_validator("responsibility")
    @classmethod
    def _strip_responsibility(cls, value: str) -> str:
        return value.strip()

    @property
    def module(self) -> str:
        """Import name, e.g. ``calc.ops``."""
        return module_name(self.path)


class Design(BaseModel):
    """The whole project layout the coders build, generation by generation."""

    summary: str = Field(description="Two or three sentences: how the files work together.")
    files: list[FileSpec] = Field(description="Every source file to write (tests come later).")
    entry_point: str = Field(
        "", description="Path of the file users run (e.g. 'calc/cli.py'), or '' for a library."
    )
    dependencies: list[str] = Field(
        default_factory=list, description="Third-party pip packages needed; usually empty."
    )

    @field_validator("dependencies")
    @classmethod
    def _clean_packages(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(v.strip() for v in value if v.strip()))

    @model_validator(mode="before")
    @classmethod
    def _merge_duplicates(cls, data: object) -> object:
        """Merge entries that name the same path (small models often repeat a file).

        Re-asking rarely helps — at temperature 0 the model repeats itself — and
        the intent is unambiguous: one file with the union of both interfaces.
        """
        if not isinstance(data, dict) or not isinstance(data.get("files"), list):
            return data
        merged: dict[str, dict] = {}
        order: list[object] = []
        for entry in data["files"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
                order.append(entry)
                continue
            key = normalise_path(entry["path"])
            if key not in merged:
                merged[key] = {**entry}
                order.append(merged[key])
                continue
            into = merged[key]
            names = {
                str(f.get("signature", ""))
                for f in into.get("interface") or []
                if isinstance(f, dict)
            }
            extra = [
                f
                for f in entry.get("interface") or []
                if not (isinstance(f, dict) and str(f.get("signature", "")) in names)
            ]
            into["interface"] = [*(into.get("interface") or []), *extra]
            deps = [*(into.get("depends_on") or []), *(entry.get("depends_on") or [])]
            into["depends_on"] = list(dict.fromkeys(deps))
        return {**data, "files": order}

    @model_validator(mode="after")
    def _references(self) -> Design:
        resolve_references(self)
        problems = reference_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def paths(self) -> list[str]:
        """File paths in design order."""
        return [f.path for f in self.files]

    def file(self, path: str) -> FileSpec:
        """The FileSpec at ``path`` (``./`` tolerated); ``KeyError`` if absent."""
        wanted = normalise_path(path)
        for spec in self.files:
            if spec.path == wanted:
                return spec
        raise KeyError(f"{path!r} is not a file of this design")


_ALWAYS_THERE = STDLIB_NAMES | {"pytest"}
"""Imports a model may list in depends_on that need no file: stdlib, and pytest for tests."""


def _resolve(dep: str, paths: set[str], by_module: dict[str, str]) -> str | None:
    """Map one depends_on entry to a design path; ``None`` drops a stdlib name."""
    if dep in paths:
        return dep
    stem = dep[:-3] if dep.endswith(".py") else dep
    for candidate in (stem.replace("/", "."), stem):
        if candidate in by_module:
            return by_module[candidate]
    if not dep.endswith(".py") and "/" not in dep and dep.split(".")[0] in _ALWAYS_THERE:
        return None
    tail = stem.replace(".", "/").rsplit("/", 1)[-1]
    matches = [p for p in paths if p.rsplit("/", 1)[-1] == f"{tail}.py"]
    return matches[0] if len(matches) == 1 else dep


def resolve_references(design: Design) -> None:
    """Rewrite depends_on / entry_point entries given as module or bare file names."""
    paths = {f.path for f in design.files}
    by_module = {f.module: f.path for f in design.files}
    for spec in design.files:
        resolved = (_resolve(d, paths, by_module) for d in spec.depends_on)
        spec.depends_on = list(dict.fromkeys(d for d in resolved if d is not None))
    if design.entry_point:
        entry = normalise_path(design.entry_point)
        # 'pkg.cli:main' and 'pkg.cli.main' name a function in pkg/cli.py
        for candidate in (entry, entry.split(":", 1)[0], entry.rsplit(".", 1)[0]):
            found = _resolve(candidate, paths, by_module)
            if found in paths:
                entry = found
                break
        design.entry_point = entry


def reference_problems(design: Design) -> list[str]:
    """Problems a Design has on its own (no graph, no settings), worded for the architect."""
    if not design.files:
        return ["the design has no files: list at least one .py file with its interface"]
    problems: list[str] = []
    paths = [f.path for f in design.files]
    known = set(paths)
    seen: set[str] = set()
    for path in paths:
        if path in seen:
            problems.append(f"file {path!r} is listed twice: merge the two entries into one")
        seen.add(path)
    for spec in design.files:
        for dep in spec.depends_on:
            if dep == spec.path:
                problems.append(f"{spec.path} lists itself in depends_on: remove it")
            elif dep not in known:
                problems.append(
                    f"{spec.path} depends on {dep!r}, which is not a file of this design: "
                    "add that file, or remove it (third-party packages go in 'dependencies')"
                )
    if design.entry_point and design.entry_point not in known:
        problems.append(
            f"entry_point {design.entry_point!r} is not a file of this design: "
            "use one of the listed paths or ''"
        )
    return problems
