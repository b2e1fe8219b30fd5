"""The reviewer: structured findings on real defects, checked against the design.

Files are trimmed (per file and in total) so a review fits a small model's
context and prompt-processing budget; findings on files that are not part of
the review are dropped, since no coder owns them.
"""

from __future__ import annotations

from softco.artifacts import Design, ReviewReport
from softco.artifacts.paths import normalise_path
from softco.roles.base import RoleContext, ask
from softco.roles.briefing import format_design, trim

ROLE = "reviewer"
FILE_CHARS = 2500
TOTAL_CHARS = 7000


def _numbered(text: str) -> str:
    """Line numbers let the reviewer cite the line its finding is about."""
    return "\n".join(f"{n:>3} {line}" for n, line in enumerate(text.splitlines(), 1))


def review(ctx: RoleContext, design: Design, files: dict[str, str]) -> ReviewReport:
    """Review ``files`` (path → text) against ``design``; blockers only for what breaks."""
    budget = TOTAL_CHARS
    shown: list[tuple[str, str]] = []
    for path, text in files.items():
        if budget <= 0:
            break
        snippet = trim(_numbered(text), min(FILE_CHARS, budget))
        budget -= len(snippet)
        shown.append((path, snippet))
    report = ask(
        ctx,
        role=ROLE,
        template="reviewer.review",
        schema=ReviewReport,
        task_summary=f"review {len(files)} file(s)",
        describe=lambda r: (
            f"review: {len(r.findings)} finding(s), {len(r.blocking)} blocking. {r.summary}"
        ),
        design=format_design(design),
        files=shown,
    )
    known = {normalise_path(p) for p in files}
    report.findings = [f for f in report.findings if f.file in known]
    return report
