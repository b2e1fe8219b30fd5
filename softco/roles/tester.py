"""The tester: one pytest file per module, written from its interface and acceptance examples.

The prompt carries only what the module promises (stubs + docstrings) and the
stories it serves, plus the exact import line, because small models otherwise
re-implement the code under test, invent fixtures, or test a CLI's wording
instead of its designed exit code. ``quality.gates.check_tests`` catches what
slips through.
"""

from __future__ import annotations

import ast

from softco.artifacts import PRD, CodeFile, Design, FileSpec
from softco.artifacts.cases import capped_cases
from softco.artifacts.stated import class_methods, signature_name
from softco.errors import ArtifactInvalid
from softco.events import AgentMessage
from softco.quality.case_script import bare_classes, constructor_params
from softco.quality.case_tests import PER_NAME, CaseSuite, case_tests
from softco.quality.cli_cases import takes_argv
from softco.quality.reshape import with_pytest_import
from softco.roles.base import RoleContext, ask, one_line
from softco.roles.briefing import format_spec, import_line, stories_for, test_path_for, trim
from softco.roles.coder import FEEDBACK_CHARS, is_cli
from softco.roles.schemas import CliTestCases, CodeOnly, TestCases

ROLE = "tester"
DROPPED_CHARS = 2000
"""Room for every left-out case's reason (a dozen at most in practice) on one chat line."""


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


def write_cases(
    ctx: RoleContext,
    spec: FileSpec,
    prd: PRD,
    feedback: str = "",
    temperature: float | None = None,
    seed: int | None = None,
) -> CaseSuite:
    """Ask for ``spec``'s checks as data and write them as a pytest file (``case_tests``).

    The result's ``content`` is None when no case survived the checks.
    """
    cli = takes_argv(spec)
    # main is not asked for beside other functions (command lines are CLI cases, an
    # interactive main() cannot be a case): guess's tester wrote 12 cases of main()
    # and none of its class, so every case was left out and the fallback test code
    # failed; a module offering only a main without argv is still asked about it
    offered = [fn.name for fn in spec.interface if fn.name != "main"]
    if not offered and not cli:
        offered = [fn.name for fn in spec.interface]

    def cases_for(names: list[str], with_cli: bool) -> TestCases:
        # the quota per function is PER_NAME (case_tests): asked for top_n alone, the
        # tester wrote 12 cases, 7 of them for count_words again (wordfreq, session 15);
        # the grammar now stops it where the quota would drop the rest (a class's methods
        # share its one name, so a class keeps the whole allowance)
        classes = any(class_methods(fn) for fn in spec.interface if fn.name in names)
        return ask(
            ctx,
            role=ROLE,
            template="tester.cases",
            schema=capped_cases(
                CliTestCases if with_cli else TestCases, 0 if classes else len(names) * PER_NAME
            ),
            task_summary=f"test cases for {spec.path}: {spec.responsibility}",
            temperature=temperature,
            seed=seed,
            describe=lambda c: (
                f"{len(c.cases)} cases"
                + (f" and {len(getattr(c, 'cli', []))} command lines" if with_cli else "")
                + f" for {spec.path}"
                + (f" ({', '.join(names)})" if names != offered else "")
            ),
            path=spec.path,
            # asked again for some names only, the model sees only those (else it
            # writes more cases for the first function)
            interface=format_spec(
                spec.model_copy(
                    update={
                        "interface": [
                            f
                            for f in spec.interface
                            if f.name in names or (with_cli and f.name == "main")
                        ]
                    }
                )
            ),
            stories=stories_for(prd, spec, fallback=False),
            names=callable_names(spec, names),
            cli=with_cli,
            feedback=trim(feedback.strip(), FEEDBACK_CHARS),
        )

    cases = cases_for(offered, cli)
    missing = [n for n in offered if n not in case_tests(cases, spec).covered]
    if missing and (len(missing) < len(offered) or cli):
        # a small model writes every case for the first function: ask once for the rest
        try:
            more = cases_for(missing, False)
            merged = [*cases.cases, *more.cases]
            cases = type(cases).model_construct(**{**dict(cases), "cases": merged})
        except ArtifactInvalid:  # the first answer's cases still stand
            pass
    suite = case_tests(cases, spec)
    if suite.dropped:
        text = f"{spec.path}: left out {len(suite.dropped)} case(s): " + "; ".join(suite.dropped)
        # every reason, not the first few: the event log is where a run is diagnosed
        ctx.emit(AgentMessage(role=ROLE, phase=ctx.phase, text=one_line(text, DROPPED_CHARS)))
    return suite


def callable_names(spec: FileSpec, names: list[str]) -> str:
    """What the cases may call, a class said as the methods of an object made in setup.

    Told ``"cases" call only GuessGame``, the 1.5B tester wrote twelve
    constructors (``game = GuessGame(50, 3)``) and no method call, and cart's
    wrote ``add(2, 3)`` as if ``add`` were a function (session 14): every
    case was left out. Naming the methods, and where the object comes from,
    says what a call of a class looks like.
    """
    said = []
    bare = bare_classes(spec)
    for name in names:
        fn = next((f for f in spec.interface if f.name == name), None)
        methods = [m for m in (class_methods(fn) if fn else []) if not _private(m)]
        if fn is None or not methods:
            said.append(name)
            continue
        var = name[:1].lower()
        made = bare.get(name) or f"{name}({_placeholders(constructor_params(fn) or '')})"
        first = methods[0]
        call = f"{var}.{signature_name(first)}({_placeholders(first.split('(', 1)[1])})"
        listed = ", ".join(signature_name(m) for m in methods)
        said.append(
            f'the methods {listed} of a {name} made in "setup" (e.g. "setup": '
            f'["{var} = {made}"], "call": "{call}")'
        )
    return ("; " if any(" made in " in s for s in said) else ", ").join(said)


def _private(signature: str) -> bool:
    return signature_name(signature).startswith("_")


def _placeholders(params: str) -> str:
    """``<item>, <price>`` for ``self, item: str, price: float, qty: int = 1)``: required ones."""
    head = params.split(")", 1)[0] if params.count(")") else params
    try:
        args = ast.parse(f"def f({head}): ...").body[0].args  # type: ignore[attr-defined]
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # brief text
        return "<its arguments>"
    positional = [a.arg for a in args.posonlyargs + args.args if a.arg != "self"]
    required = positional[: len(positional) - len(args.defaults)] if args.defaults else positional
    return ", ".join(f"<{a}>" for a in required)


def write_suite(
    ctx: RoleContext,
    spec: FileSpec,
    design: Design,
    prd: PRD,
    feedback: str = "",
    temperature: float | None = None,
    seed: int | None = None,
    cases: bool = True,
) -> CodeFile:
    """The test file for ``spec``: from checked cases, or written as code when none survive.

    ``cases=False`` (``workflow.test_cases`` off) asks for the code directly.
    """
    if cases:
        try:
            suite = write_cases(ctx, spec, prd, feedback, temperature, seed)
        except ArtifactInvalid:
            suite = CaseSuite(content=None)
        if suite.content is not None:
            return CodeFile(path=test_path_for(spec, design), content=suite.content)
    return write_tests(ctx, spec, design, prd, feedback, temperature, seed)
