"""The coder: writes one file from its spec, seeing only what that file needs.

Context is deliberately narrow (see DESIGN.md, "Synthesis in dependency
order"): the file's responsibility and interface stubs, the stories that
mention it, and the *interfaces* of its direct dependencies with the exact
import line — never other files' bodies. Repair calls add the failing
output or gate findings and the previous text.
"""

from __future__ import annotations

from softco.artifacts import PRD, CodeFile, Design, FileSpec
from softco.artifacts.depgraph import interface_context
from softco.artifacts.stated import signature_name
from softco.roles.base import RoleContext, ask
from softco.roles.briefing import format_spec, stories_for, trim
from softco.roles.schemas import CodeOnly

ROLE = "coder"
FEEDBACK_CHARS = 1800
PREVIOUS_CHARS = 3000


def is_cli(spec: FileSpec) -> bool:
    """CLI files get the argv/exit-code rules; ``main`` in the interface counts too."""
    return spec.kind == "cli" or any(fn.name == "main" for fn in spec.interface)


def libraries(design: Design) -> str:
    if design.dependencies:
        return "Use the standard library and only these packages: " + ", ".join(design.dependencies)
    return "Use the Python standard library only."


def write_file(
    ctx: RoleContext,
    spec: FileSpec,
    design: Design,
    prd: PRD,
    feedback: str = "",
    previous: str = "",
    temperature: float | None = None,
    seed: int | None = None,
    rules: list[str] | None = None,
) -> CodeFile:
    """Write (or, with ``feedback``, repair) ``spec.path``; the path is always the designed one.

    ``rules`` are more lines for the prompt's rule list: what a gate found in
    an earlier version, said as a rule, for a fresh sample that is not shown
    that version (``repair.try_fix``).
    """
    repair = bool(feedback.strip())
    reply = ask(
        ctx,
        role=ROLE,
        template="coder.write",
        schema=CodeOnly,
        task_summary=f"{'fix' if repair else 'write'} {spec.path}: {spec.responsibility}",
        temperature=temperature,
        seed=seed,
        describe=lambda c: (
            f"{'fixed' if repair else 'wrote'} {spec.path} ({len(c.content.splitlines())} lines)"
        ),
        **file_prompt_vars(spec, design, prd, feedback, previous, rules),
    )
    return CodeFile(path=spec.path, content=reply.content)


def file_prompt_vars(
    spec: FileSpec,
    design: Design,
    prd: PRD,
    feedback: str = "",
    previous: str = "",
    rules: list[str] | None = None,
) -> dict[str, object]:
    """What ``coder.write`` is rendered with (also read by ``benchmarks/sampling_bound.py``)."""
    return {
        "path": spec.path,
        "responsibility": spec.responsibility,
        "interface": format_spec(spec),
        "stories": stories_for(prd, spec),
        "deps": interface_context(design, spec.path),
        "libraries": libraries(design),
        "cli": is_cli(spec),
        "has_class": any(fn.signature.startswith("class ") for fn in spec.interface),
        "feedback": trim(feedback.strip(), FEEDBACK_CHARS),
        "previous": trim(previous.strip(), PREVIOUS_CHARS) or "(none)",
        "rules": list(rules or []),
    }


def write_function(
    ctx: RoleContext,
    spec: FileSpec,
    name: str,
    design: Design,
    prd: PRD,
    temperature: float | None = None,
    seed: int | None = None,
    hint: str = "",
) -> CodeFile:
    """Write one function of ``spec`` on its own (a smaller unit for a small model).

    Used when a whole-file answer keeps missing a function (a 1.5B model
    often wraps module functions in a class of its own): with the signature
    fixed and nothing else to write, the answer is that function. The
    workflow splices it into the file (``quality.reshape.add_function``).
    ``hint`` is one more rule, when a gate finding says what the last
    version got wrong; the last version itself is not shown, since a small
    model shown its own code returns it unchanged.
    """
    reply = ask(
        ctx,
        role=ROLE,
        template="coder.function",
        schema=CodeOnly,
        task_summary=f"write {name} in {spec.path}",
        temperature=temperature,
        seed=seed,
        describe=lambda c: f"wrote {name}() for {spec.path} ({len(c.content.splitlines())} lines)",
        **function_prompt_vars(spec, name, design, prd, hint),
    )
    return CodeFile(path=spec.path, content=reply.content)


def function_prompt_vars(
    spec: FileSpec, name: str, design: Design, prd: PRD, hint: str = ""
) -> dict[str, object]:
    """What ``coder.function`` is rendered with (also read by ``benchmarks/sampling_bound.py``)."""
    fn = next(f for f in spec.interface if f.name == name)
    one = spec.model_copy(update={"interface": [fn]})
    others = [f for f in spec.interface if f.name != name and f.signature.startswith("def ")]
    return {
        "path": spec.path,
        "name": name,
        "responsibility": spec.responsibility,
        "stub": format_spec(one),
        "stories": stories_for(prd, one),
        "deps": interface_context(design, spec.path),
        "others": "\n".join(f.signature for f in others),
        "libraries": libraries(design),
        "hint": hint,
    }


def write_method(
    ctx: RoleContext,
    spec: FileSpec,
    class_name: str,
    signature: str,
    class_source: str,
    design: Design,
    temperature: float | None = None,
    seed: int | None = None,
    hint: str = "",
) -> CodeFile:
    """Write one missing method of a class, seeing the class as written so far.

    The whole-file re-ask tends to return the same class again; asked for
    ``def total(self) -> float`` next to the class's ``__init__``, a small
    model writes a body over the attributes it finds. The workflow splices
    the answer into the class (``quality.reshape.add_method``). With a
    ``hint`` the method is being rewritten: ``class_source`` is the class
    without it, and the hint says what the last version got wrong.
    """
    name = signature_name(signature)
    cls = next((f for f in spec.interface if f.name == class_name), None)
    reply = ask(
        ctx,
        role=ROLE,
        template="coder.method",
        schema=CodeOnly,
        task_summary=f"write {class_name}.{name} in {spec.path}",
        temperature=temperature,
        seed=seed,
        describe=lambda c: f"wrote {class_name}.{name}() for {spec.path}",
        path=spec.path,
        responsibility=spec.responsibility,
        class_name=class_name,
        class_source=trim(class_source.strip(), PREVIOUS_CHARS),
        class_doc=cls.docstring if cls else "",
        signature=signature,
        name=name,
        libraries=libraries(design),
        hint=hint,
    )
    return CodeFile(path=spec.path, content=reply.content)
