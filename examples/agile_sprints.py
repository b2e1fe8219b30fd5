"""Agile build: a prioritised backlog delivered over several sprints.

Sprint capacity is kept small so the two stories of the demo backlog land in
two separate sprints; each sprint plans, builds, runs the whole test suite as a
regression gate and holds a review that accepts stories whose tests pass.
Scripted by default (deterministic, no LLM); ``--live [--model M]`` for a real
model::

    python examples/agile_sprints.py
    python examples/agile_sprints.py --live --model gpt-4o-mini

Prints one line per sprint (stories accepted) and the final test result.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from softco import Company, Settings
from softco.demo_script import BRIEF, demo_transport


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--live", action="store_true", help="Use a real model, not the script.")
    parser.add_argument("--model", help="LiteLLM model string or local/<name> (with --live).")
    parser.add_argument("--sprints", type=int, default=4, help="Most sprints to run.")
    parser.add_argument("--out", type=Path, help="Run directory (default: a temporary one).")
    args = parser.parse_args()

    overrides: dict = {"workflow": {"sprint_capacity": 2, "max_sprints": args.sprints}}
    if args.live and args.model:
        overrides["llm"] = {"model": args.model}
    if not args.live:
        overrides["memory"] = {"enabled": False}
    company = Company(Settings.load(**overrides), transport=None if args.live else demo_transport())
    run_dir = args.out or Path(tempfile.mkdtemp(prefix="softco-agile-")) / "run"
    result = company.run(BRIEF, mode="agile", run_dir=run_dir)

    for sprint in result.report.sprints:
        accepted = ", ".join(sprint.accepted) or "none"
        print(f"sprint {sprint.sprint}: accepted {accepted}")
    report = result.report
    print(f"stop reason: {result.stop_reason.value} after {len(report.sprints)} sprint(s)")
    print(f"tests:       {report.tests_passed}/{report.tests_total} passed")
    print(f"run dir:     {result.run_dir}")
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
