"""The single-shot baseline: the same model, asked once for the whole program.

It answers "what does the company add over one good prompt?". The program
comes back as one structured reply (``Program``), is written into a fresh
workspace through the same safe writes the coders use, and is scored exactly
like a pipeline run.
"""

from __future__ import annotations

import time
from pathlib import Path

from pydantic import BaseModel, Field

from softco.config import Settings
from softco.errors import SoftcoError, UnsafePath
from softco.llm import Gateway, ScriptedTransport, Transport, UsageLedger, system_user
from softco.workspace import Workspace

SYSTEM = (
    "You are an expert Python engineer. Write the complete program for the request in one "
    "answer: every module fully implemented (no placeholders), standard library only, plus "
    "pytest tests in tests/test_*.py that check the behaviour. Use exactly the module paths "
    "and signatures the request names. Set entry_point to the file that runs the program "
    "(for example pkg/cli.py), or leave it empty for a library."
)
MIN_TOKENS = 4096
"""A whole program does not fit the per-role default completion cap."""


class CodeFile(BaseModel):
    path: str = Field(description="Relative path, e.g. 'pkg/core.py' or 'tests/test_core.py'.")
    content: str = Field(description="The complete file.")


class Program(BaseModel):
    """The whole program in one reply."""

    files: list[CodeFile]
    entry_point: str | None = Field(None, description="File that runs the program, if any.")


class BaselineOutcome(BaseModel):
    entry_point: str | None = None
    tokens: int = 0
    cost_usd: float = 0.0
    wall_s: float = 0.0
    skipped: list[str] = Field(default_factory=list, description="Unsafe paths not written.")
    error: str | None = None


def single_shot(
    brief: str, settings: Settings, workspace_dir: Path, transport: Transport | None = None
) -> BaselineOutcome:
    """Ask once, write what came back; a model failure is an outcome, not an exception."""
    start = time.perf_counter()
    ledger = UsageLedger(settings.budget, Path(workspace_dir).parent / "ledger.jsonl")
    gateway = Gateway(settings, transport=transport, ledger=ledger)
    workspace = Workspace(Path(workspace_dir), settings.sandbox)
    outcome = BaselineOutcome()
    try:
        gateway.check_ready(roles=("coder",))
        max_tokens = max(MIN_TOKENS, settings.llm.for_role("coder")[2])
        reply = gateway.complete(
            system_user(SYSTEM, brief),
            Program,
            role="coder",
            phase="single-shot",
            max_tokens=max_tokens,
        )
        program: Program = reply.parsed  # type: ignore[assignment]
        for file in program.files:
            try:
                workspace.write(file.path, file.content)
            except UnsafePath:
                outcome.skipped.append(file.path)
        workspace.commit("single-shot program", role="coder", phase="single-shot")
        outcome.entry_point = program.entry_point or None
    except SoftcoError as exc:
        outcome.error = f"{type(exc).__name__}: {exc}"
    totals = ledger.totals()
    outcome.tokens, outcome.cost_usd = totals.total_tokens, round(totals.cost_usd, 6)
    outcome.wall_s = round(time.perf_counter() - start, 3)
    return outcome


def scripted_program() -> Program:
    """The demo brief's program as one reply, built from the shipped scripted model."""
    from softco.demo_script import CODE, DESIGN, TESTS

    files = [CodeFile(path=p, content=c) for p, c in CODE.items()]
    files += [
        CodeFile(path=f"tests/test_{Path(module).stem}.py", content=source)
        for module, source in TESTS.items()
    ]
    return Program(files=files, entry_point=DESIGN["entry_point"])


def scripted_transport() -> ScriptedTransport:
    """Answers every single-shot request with :func:`scripted_program`."""
    return ScriptedTransport(default=scripted_program())
