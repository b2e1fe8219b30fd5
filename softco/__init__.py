"""softco: a software company made of LLM agents.

    from softco import Company, Settings

    result = Company(Settings.load()).run("a word-count CLI", mode="waterfall")
    print(result.stop_reason, result.report.tests_passed, result.workspace)

Public, stable names: ``Company``, ``RunResult``, ``Settings``, ``resume``,
``ScriptedLLM``, ``ScriptedTransport``, ``CassetteTransport``, ``StopReason``,
``ApprovalDecision``, ``ApprovalRequest``.
"""

from __future__ import annotations

import softco.config  # noqa: F401  (sets the offline environment before anything else)
from softco.approvals import ApprovalDecision, ApprovalRequest
from softco.config import Settings
from softco.errors import StopReason

__version__ = "0.1.0"

_LAZY = {
    "Company": "softco.company",
    "RunResult": "softco.company",
    "resume": "softco.company",
    "ScriptedLLM": "softco.llm",
    "ScriptedTransport": "softco.llm",
    "CassetteTransport": "softco.llm",
}


def __getattr__(name: str):
    """Heavy modules (langgraph, litellm) load on first use, so `softco --help` is fast."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'softco' has no attribute {name!r}")


__all__ = [
    "ApprovalDecision",
    "ApprovalRequest",
    "CassetteTransport",
    "Company",
    "RunResult",
    "ScriptedLLM",
    "ScriptedTransport",
    "Settings",
    "StopReason",
    "resume",
]
