"""Nodes shared by both workflows: design and synthesis (tests: ``testing.py``, review:
``review.py``).

Synthesis follows the dependency graph: one node run per topological
generation, the files of a generation written concurrently (bounded by
``workflow.concurrency``; the embedded model serialises itself). Each file
passes the static gates before anything runs; a failed gate goes straight
back to its author with the exact finding.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from softco.artifacts import PRD, Design, FileSpec, depgraph
from softco.errors import ArtifactInvalid, DesignInvalid
from softco.events import DesignReady, FileStatus
from softco.quality import gates
from softco.quality.prompt_rules import interface_rules
from softco.quality.repairs import tidy
from softco.quality.reshape import add_function, add_method, class_source
from softco.roles import architect, coder
from softco.workflows.design_check import (
    complete_design,
    design_gaps,
    fallback_design,
    stated_design,
)
from softco.workflows.gating import gated, parses
from softco.workflows.runtime import Runtime
from softco.workflows.state import RunState
from softco.workflows.unit_rewrite import rewrite_flagged_units


def prd_of(state: RunState) -> PRD:
    return PRD.model_validate(state["prd"])


def design_of(state: RunState) -> Design:
    return Design.model_validate(state["design"])


def testable(design: Design) -> list[FileSpec]:
    """Files worth a test file of their own: modules with a public interface."""
    return [f for f in design.files if f.interface and not f.path.endswith("__init__.py")]


def design_node(rt: Runtime):
    def node(state: RunState) -> dict[str, Any]:
        problems = state.get("design_problems") or []
        existing = (
            Design.model_validate(state["design"]) if state.get("design") and not problems else None
        )
        pinned = _pinned_design(rt, state)
        if pinned is not None:
            return {"design": pinned.model_dump(mode="json"), "design_problems": []} | (
                plan_generations(rt, pinned, None)
            )
        with rt.phase("design", state.get("sprint")):
            design = architect.design(
                rt.ctx("design", state.get("sprint")),
                prd_of(state),
                problems=problems or None,
                existing=existing,
                max_files=rt.settings.workflow.max_files,
            )
            design = complete_design(design, prd_of(state))
            found = depgraph.validate_design(design, max_files=rt.settings.workflow.max_files)
        attempts = state.get("design_attempts", 0) + 1
        gaps = [] if found else design_gaps(design, prd_of(state), state.get("brief", ""), existing)
        if gaps and attempts <= rt.settings.workflow.design_repairs:
            found = gaps  # weaknesses get a bounded chance too
        elif gaps and existing is None:
            plain = fallback_design(prd_of(state), state.get("brief", ""))
            if plain is not None and not design_gaps(plain, prd_of(state), state.get("brief", "")):
                rt.say(
                    "architect",
                    "design still had gaps: using the plain design the brief "
                    "implies (" + ", ".join(plain.paths) + ")",
                    "design",
                )
                design = plain
        rt.save(
            "design",
            design,
            f"{len(design.files)} files" + (f", {len(found)} problems" if found else ""),
        )
        update: dict[str, Any] = {
            "design": design.model_dump(mode="json"),
            "design_problems": found,
            "design_attempts": attempts,
        }
        if found:
            rt.say("architect", "design has problems: " + "; ".join(found[:3]), "design")
            return update
        before = Design.model_validate(state["design"]) if state.get("design") else None
        update.update(plan_generations(rt, design, before))
        return update

    return node


def _pinned_design(rt: Runtime, state: RunState) -> Design | None:
    """The brief's own interface as the design, on a first design only (no LLM call)."""
    if not rt.settings.workflow.pin_interface or state.get("design"):
        return None
    pinned = stated_design(state.get("brief", ""))
    if pinned is None or depgraph.validate_design(pinned, max_files=rt.settings.workflow.max_files):
        return None
    with rt.phase("design", state.get("sprint")):
        rt.say(
            "architect",
            "the brief states its files and signatures: building them as written ("
            + ", ".join(pinned.paths)
            + ")",
            "design",
        )
        rt.save("design", pinned, f"{len(pinned.files)} files, as the brief states them")
    return pinned


def plan_generations(rt: Runtime, design: Design, before: Design | None) -> dict[str, Any]:
    """Generations to (re)build: everything new, or only changed files and their dependents."""
    changed = _changed_files(before, design, rt)
    rebuild = depgraph.impacted(design, changed) if before else set(design.paths)
    gens = [[p for p in g if p in rebuild] for g in depgraph.generations(design)]
    gens = [g for g in gens if g]
    rt.events.emit(
        DesignReady(
            generations=depgraph.generations(design),
            edges=depgraph.edges(design),
            critical_path=depgraph.critical_path_length(design),
        )
    )
    for i, gen in enumerate(gens):
        for path in gen:
            rt.events.emit(FileStatus(path=path, status="pending", generation=i))
    return {"generations": gens, "gen_index": 0, "to_build": sorted(rebuild), "design_attempts": 0}


def _changed_files(before: Design | None, after: Design, rt: Runtime) -> set[str]:
    """New files, files whose interface changed, and files not yet on disk."""
    if before is None:
        return set(after.paths)
    old = {f.path: f for f in before.files}
    changed = set()
    for spec in after.files:
        prev = old.get(spec.path)
        same = prev is not None and [i.signature for i in prev.interface] == [
            i.signature for i in spec.interface
        ]
        if not same or not rt.workspace.exists(spec.path):
            changed.add(spec.path)
    return changed


def fail_design_node(rt: Runtime):
    def node(state: RunState) -> dict[str, Any]:
        problems = state.get("design_problems") or []
        raise DesignInvalid(
            f"the design still has problems after {rt.settings.workflow.design_repairs} repairs",
            problems,
        )

    return node


def write_module(
    rt: Runtime,
    spec: FileSpec,
    design: Design,
    prd: PRD,
    gen: int | None,
    sprint: int | None,
    feedback: str = "",
    previous: str = "",
    temperature: float | None = None,
    seed: int | None = None,
    rules: list[str] | None = None,
) -> str:
    """One coder call plus its static gate (one bounded re-ask with the exact findings).

    ``rules`` go into the coder's rule list (``coder.write_file``).
    """
    rt.events.emit(FileStatus(path=spec.path, status="writing", generation=gen))
    if spec.path.endswith("__init__.py") and not spec.interface and not feedback:
        # a package marker is mechanical: a model asked for it invents imports of
        # modules that do not exist, and one bad import breaks every test
        content = f'"""{spec.responsibility.strip() or "Package marker."}"""\n'
        rt.workspace.write(spec.path, content)
        rt.events.emit(FileStatus(path=spec.path, status="written", generation=gen))
        return content
    ctx = rt.ctx("code", sprint)
    layout = interface_rules(spec, rt.settings.workflow)
    rules = [*layout, *(rules or [])]
    code = coder.write_file(
        ctx,
        spec,
        design,
        prd,
        feedback=feedback,
        previous=previous,
        temperature=temperature,
        seed=seed,
        rules=rules,
    )

    # mechanical repairs certain from the design (quality.repairs.tidy), without a re-ask
    def reshape(spec: FileSpec, text: str) -> str:
        return tidy(spec, text, design) if rt.settings.workflow.static_gates else text

    content = gated(
        rt,
        "coder",
        spec.path,
        reshape(spec, code.content),
        lambda text: gates.check_module(spec, text, design),
        lambda findings, text: reshape(
            spec,
            coder.write_file(
                ctx,
                spec,
                design,
                prd,
                feedback=findings,
                previous=text,
                # at temperature 0 the re-ask returns the same file: sample a little
                temperature=max(temperature or 0.0, 0.3),
                seed=(seed or 0) + 17,
                rules=layout,  # the findings themselves are the feedback
            ).content,
        ),
    )
    if rt.settings.workflow.static_gates:
        # tidy again: a file that did not parse before had none of the repairs
        content = _write_missing_functions(rt, ctx, spec, design, prd, content)
        if rt.settings.workflow.unit_samples:
            content = rewrite_flagged_units(rt, ctx, spec, design, prd, content)
        content = reshape(spec, content)
    rt.workspace.write(spec.path, content)
    rt.events.emit(FileStatus(path=spec.path, status="written", generation=gen))
    rt.remember_files({spec.path: content}, phase="code")
    return content


def _write_missing_functions(
    rt: Runtime, ctx: Any, spec: FileSpec, design: Design, prd: PRD, content: str
) -> str:
    """Functions the file still lacks after its gate re-ask, written one at a time.

    A smaller unit is what a small model gets right: asked for the whole file
    again it repeats its class; asked for ``def to_roman(n: int) -> str`` alone
    it writes that function. Each is kept only if the gate finds fewer problems.
    """
    original = content
    wanted = [fn.name for fn in spec.interface if fn.signature.startswith("def ")]
    problems = gates.check_module(spec, content, design)
    missing = [n for n in wanted if any(f"missing function {n!r}" in p for p in problems)]
    if not parses(content) and wanted and len(wanted) == len(spec.interface):
        content, missing = "", wanted  # the file does not compile: rebuild it unit by unit
    for name in missing:
        try:
            unit = coder.write_function(ctx, spec, name, design, prd).content
        except ArtifactInvalid:
            continue  # this unit stays missing; the gate's finding goes to repair
        merged = add_function(content, unit, name)
        if merged is None:
            continue
        found = gates.check_module(spec, merged, design)
        if not content or (len(found) < len(problems) and not gates.new_breakage(problems, found)):
            content, problems = merged, found
            rt.say("coder", f"{spec.path}: wrote {name}() on its own and added it", "code")
    if not content:  # no unit came back usable either: keep what the file was
        return original
    return _write_missing_methods(rt, ctx, spec, design, content, problems)


_MISSING_METHOD = re.compile(r"missing method '(\w+)' in class '(\w+)': define `([^`]+)`")


def _write_missing_methods(
    rt: Runtime, ctx: Any, spec: FileSpec, design: Design, content: str, problems: list[str]
) -> str:
    """Methods a class still lacks, each written with the class in view and spliced in.

    Kept only when the gate then finds fewer problems (the same rule as for
    functions above).
    """
    for problem in problems:
        m = _MISSING_METHOD.search(problem)
        if m is None:
            continue
        name, cls, signature = m.groups()
        source = class_source(content, cls)
        if not source:
            continue
        try:
            unit = coder.write_method(ctx, spec, cls, signature, source, design).content
        except ArtifactInvalid:
            continue
        merged = add_method(content, cls, unit, name)
        if merged is None:
            continue
        found = gates.check_module(spec, merged, design)
        if len(found) < len(problems) and not gates.new_breakage(problems, found):
            content, problems = merged, found
            rt.say("coder", f"{spec.path}: wrote {cls}.{name}() on its own and added it", "code")
    return content


def code_node(rt: Runtime):
    def node(state: RunState) -> dict[str, Any]:
        design, prd = design_of(state), prd_of(state)
        index = state.get("gen_index", 0)
        if index >= len(state.get("generations") or []):
            return {}  # nothing changed in this design increment: go straight to tests
        generation = state["generations"][index]
        sprint = state.get("sprint")
        with rt.phase("code", sprint):
            workers = max(1, min(rt.settings.workflow.concurrency, len(generation)))
            pool = ThreadPoolExecutor(max_workers=workers)
            try:
                futures = [
                    pool.submit(write_module, rt, design.file(p), design, prd, index, sprint)
                    for p in generation
                ]
                for f in futures:
                    f.result()
            except BaseException:
                # a budget stop or Ctrl-C must not wait for every queued coder
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            pool.shutdown(wait=True)
            rt.workspace.commit(
                f"code: generation {index + 1} ({', '.join(generation)})",
                role="coder",
                phase="code",
            )
        return {"gen_index": index + 1, "file_status": dict.fromkeys(generation, "written")}

    return node
