"""Evaluation: build a set of briefs, score every repo, compare configurations.

    softco eval tasks/public_briefs.jsonl --mode waterfall,agile --baseline single-shot \\
        --jobs 2 --out evals/public

A task file (``.jsonl`` or ``.csv``) holds one brief per row: ``name``,
``description``, optional ``category``, ``interface`` (promised module paths and
signatures, appended to the brief) and ``acceptance_tests`` (pytest source the
company never sees). Bad files are refused before any run, with line numbers;
over-long descriptions are refused, never truncated.

Every task runs under every configuration (``--mode`` list, plus
``--baseline single-shot``: the same model asked once for the whole program)
and is scored on its delivered repo alone: ChatDev's completeness, executability
and consistency and their product, ``quality``; generated and acceptance tests
passed; a mutation kill rate (do the tests notice broken code?); size, tokens,
cost and time. Rows go to ``OUT/results.jsonl`` as each job ends; re-running the
command skips scored jobs and retries errors. ``OUT/summary.md``,
``quality.png`` and ``tests.png`` compare the configurations. Jobs run in a
local process pool (``--jobs``), or on Ray with ``--backend ray``.
``--scripted`` runs the shipped demo model (no LLM) to exercise the harness.

From Python: ``load_tasks``, ``run_batch``, ``score_repo``, ``write_report``.
"""

from __future__ import annotations

import importlib

_LAZY = {
    "EvalOptions": "runner",
    "EvalResult": "runner",
    "evaluate_job": "runner",
    "read_results": "runner",
    "run_batch": "runner",
    "Scores": "score",
    "score_repo": "score",
    "EvalTask": "tasks",
    "TaskFileError": "tasks",
    "load_tasks": "tasks",
    "summary_markdown": "report",
    "write_report": "report",
}


def __getattr__(name: str):
    """Lazy, so mounting ``softco eval`` keeps ``softco --help`` fast."""
    if name in _LAZY:
        return getattr(importlib.import_module(f"softco.eval.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'softco.eval' has no attribute {name!r}")


__all__ = sorted(_LAZY)
