"""Waterfall build: one brief through requirements → debate → design → code → test → review.

Runs on the scripted model that ships with softco (deterministic, no LLM, a few
seconds), or on a real model with ``--live`` (the embedded model by default,
or any LiteLLM model string with ``--model``)::

    python examples/waterfall_build.py
    python examples/waterfall_build.py --live --model ollama/qwen2.5-coder:7b

Prints the stop reason, the tests, the files delivered and where the run lives.
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
    parser.add_argument("--out", type=Path, help="Run directory (default: a temporary one).")
    args = parser.parse_args()

    overrides = {"llm": {"model": args.model}} if args.live and args.model else {}
    if not args.live:  # the scripted demo needs no retrieval; keep it instant and side-effect free
        overrides["memory"] = {"enabled": False}
    company = Company(Settings.load(**overrides), transport=None if args.live else demo_transport())
    run_dir = args.out or Path(tempfile.mkdtemp(prefix="softco-waterfall-")) / "run"
    result = company.run(BRIEF, mode="waterfall", run_dir=run_dir)

    report = result.report
    print(f"stop reason: {result.stop_reason.value}")
    print(f"tests:       {report.tests_passed}/{report.tests_total} passed")
    print(f"files:       {', '.join(f for f in report.files if f.endswith('.py'))}")
    print(f"debate:      {report.debate}")
    print(f"tokens:      {report.total.total_tokens:,}  cost: ${report.total.cost_usd:.4f}")
    print(f"run dir:     {result.run_dir}  (softco replay {result.run_dir})")
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
