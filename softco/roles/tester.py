"""The tester: one pytest file per module, written from its interface and acceptance examples.

The prompt carries only what the module promises (stubs + docstrings) and the
stories it serves, plus the exact import line, because small models otherwise
re-implement the code under test, invent fixtures, or test a CLI's wording
instead of its designed exit code. ``quality.gates.check_tests`` catches what
slips through.
"""

from __future__ import annotations

from softco.artifacts import PRD, CodeFile, Design, FileSpec
from softco.quality.reshape import with_pytest_import
from softco.roles.base import RoleContext, ask
from softco.roles.briefing import format_spec, import_line, stories_for, test_path_for, trim
from softco.roles.coder import FEEDBACK_CHARS, is_cli
from softco.roles.schemas import CodeOnly

ROLE = "tester"


def write_tests(
    ctx: RoleContext,
    spec: FileSpec,
    design: Design,
    prd: PRD,
    feedback: str = "",
    temperature: float | None = None,
    seed: int | None = None,
) -> CodeFile:
    """Write ``tests/test_<module>.py`` for ``spec`` (``feedback`` repairs a rejected file)."""
    path = test_path_for(spec, design)
    reply = ask(
        ctx,
        role=ROLE,
        template="tester.write",
        schema=CodeOnly,
        task_summary=f"pytest tests for {spec.path}: {spec.responsibility}",
        temperature=temperature,
        seed=seed,
        describe=lambda c: f"wrote {path} ({c.content.count('def test_')} tests for {spec.path})",
        test_path=path,
        path=spec.path,
        interface=format_spec(spec),
        stories=stories_for(prd, spec),
        import_line=import_line(spec),
        cli=is_cli(spec),
        feedback=trim(feedback.strip(), FEEDBACK_CHARS),
    )
    return CodeFile(path=path, content=with_pytest_import(reply.content))
