"""Rewrite one function or method the gate says ignores part of the interface.

Five gate findings say a unit cannot be right whatever the tests say:
``convert never uses its parameter 'dst'``, ``Cart.apply_discount returns
a value but changes nothing on the object``, ``Cart.apply_discount
assigns self.total, which replaces the method total()``, ``main reads
args.args, which the parser never defines`` (todo's re-ask kept it twice)
and ``main reads args.item_id, which only the done subcommand defines,
where the command can also be list``.
The whole-file re-ask (``gating.gated``) rarely clears them: shown its own file, a 1.5B model
returns it unchanged (unitconv's re-ask and both repair rounds did, byte for
byte). So the flagged unit is written again on its own, without the old
text, with the finding as one more rule, sampled up to ``unit_samples``
times at a temperature above 0; the first rewrite that clears its finding,
leaves fewer findings and breaks nothing new (``gates.new_breakage``) is
kept. The prompt holds no old text, so the same unit asked again draws new
seeds (``Runtime.seeds``): csvsummary's ``summarize`` was asked four times in
one run and got the same three samples each time. Clearing the finding does
not prove the unit right — it removes one
way of being certainly wrong, and the tests and repair rounds judge the rest.
"""

from __future__ import annotations

import re
from typing import Any

from softco.artifacts import PRD, Design, FileSpec
from softco.artifacts.stated import class_methods, signature_name
from softco.config import WorkflowSettings
from softco.errors import ArtifactInvalid
from softco.quality import gates
from softco.quality.edits import without_method
from softco.quality.prompt_rules import function_rules
from softco.quality.reshape import add_function, add_method, class_source
from softco.roles import coder
from softco.workflows.runtime import Runtime

_UNUSED = re.compile(r"(\w+(?:\.\w+)?) (?:never uses|only checks) its parameter '(\w+)'")
_STATELESS = re.compile(r"(\w+)\.(\w+) returns a value but changes nothing on the object")
_SHADOWS = re.compile(r"(\w+)\.(\w+) assigns \w+\.(\w+), which replaces the method")
_UNPARSED = re.compile(r"(main) reads (\w+)\.(\w+), which the parser never defines")
_SCOPED = re.compile(
    r"(main) reads (\w+)\.(\w+), which only the ([\w, -]+?) subcommand defines, "
    r"where the command can also be ([\w, -]+?):"
)
TEMPERATURE = 0.7


def flagged_units(problems: list[str]) -> dict[str, str]:
    """``{unit: hint}`` for each function (``name``) or method (``Cls.name``) a finding flags."""
    ignored: dict[str, list[str]] = {}
    commands: set[str] = set()  # units that use a parameter by storing it (module_lint)
    hints: dict[str, list[str]] = {}
    for problem in problems:
        if m := _UNUSED.search(problem):
            ignored.setdefault(m.group(1), []).append(m.group(2))
            if "to change the object" in problem:
                commands.add(m.group(1))
        elif m := _STATELESS.search(problem):
            hints.setdefault(f"{m.group(1)}.{m.group(2)}", []).append(
                f"{m.group(2)} returns nothing: it changes the object's attributes, which the "
                "other methods read, instead of returning a result."
            )
        elif m := _SHADOWS.search(problem):
            hints.setdefault(f"{m.group(1)}.{m.group(2)}", []).append(
                f"Never assign self.{m.group(3)}: {m.group(3)}() is a method of the class; "
                "store values under another attribute name."
            )
        elif m := _UNPARSED.search(problem):
            hints.setdefault(m.group(1), []).append(
                f"Read only the attributes of {m.group(2)} that its own parser defines with "
                f"add_argument (a previous version read {m.group(2)}.{m.group(3)}, which none "
                "defined, and failed with AttributeError)."
            )
        elif m := _SCOPED.search(problem):
            ns, attr, owners, others = m.group(2), m.group(3), m.group(4), m.group(5)
            hints.setdefault(m.group(1), []).append(
                f"Read {ns}.{attr} only in the branch that handles the {owners} command: "
                f"the parser of {others} does not define {attr}, so a previous version failed "
                f"with AttributeError for {others}. Handle each command in its own if/elif "
                "branch."
            )
    for unit, params in ignored.items():
        named = ", ".join(dict.fromkeys(params))
        hints.setdefault(unit, []).insert(
            0,
            f"Every parameter matters: use {named} to change the object (store it), where the "
            "other methods read it (a previous version dropped it)."
            if unit in commands
            else f"Every parameter matters: the result must depend on {named} "
            "(a previous version ignored it).",
        )
    return {unit: " ".join(dict.fromkeys(said)) for unit, said in hints.items()}


def rewrite_flagged_units(
    rt: Runtime, ctx: Any, spec: FileSpec, design: Design, prd: PRD, content: str
) -> str:
    """``content`` with each flagged unit replaced by its first acceptable rewrite."""
    samples = rt.settings.workflow.unit_samples
    problems = gates.check_module(spec, content, design)
    for unit, hint in flagged_units(problems).items():
        for seed in rt.seeds(f"{spec.path}:{unit}", samples):
            merged = sample_unit(ctx, spec, design, prd, content, unit, hint, seed)
            if merged is None:
                continue
            found = gates.check_module(spec, merged, design)
            if (
                unit not in flagged_units(found)
                and len(found) < len(problems)
                and not gates.new_breakage(problems, found)
            ):
                content, problems = merged, found
                rt.say("coder", f"{spec.path}: wrote {unit}() again on its own: {hint}", "code")
                break
    return content


def sample_unit(
    ctx: Any,
    spec: FileSpec,
    design: Design,
    prd: PRD,
    content: str,
    unit: str,
    hint: str,
    seed: int,
) -> str | None:
    """One rewrite of ``unit`` (``name`` or ``Class.name``) spliced into ``content``.

    None if the unit is not one the brief states or the answer is unusable.
    Also the sampler of ``unit_repair``'s candidates (with a hint only for a flagged unit).
    """
    try:
        if "." not in unit:
            if not any(fn.name == unit for fn in spec.interface):
                return None
            # the interface's rules for this function, as in the whole file (tests that
            # pass no context get the defaults)
            wf = ctx.settings.workflow if ctx is not None else WorkflowSettings()
            hint = " ".join(filter(None, [hint, *function_rules(spec, unit, wf)]))
            code = coder.write_function(
                ctx, spec, unit, design, prd, temperature=TEMPERATURE, seed=seed, hint=hint
            ).content
            return add_function(content, code, unit)
        cls, name = unit.split(".", 1)
        stated = next((fn for fn in spec.interface if fn.name == cls), None)
        signature = next(
            (s for s in (class_methods(stated) if stated else []) if signature_name(s) == name),
            None,
        )
        rest = without_method(content, cls, name)
        if signature is None or rest is None:
            return None
        code = coder.write_method(
            ctx,
            spec,
            cls,
            signature,
            class_source(rest, cls),
            design,
            temperature=TEMPERATURE,
            seed=seed,
            hint=hint,
        ).content
        return add_method(rest, cls, code, name)
    except ArtifactInvalid:
        return None
