"""The LLM gateway: the only package that imports litellm or the embedded engine.

Public names: ``LLM`` (the Protocol roles depend on), ``Reply``, ``Gateway``
(the real implementation), ``ScriptedLLM`` / ``ScriptedTransport`` /
``CassetteTransport`` (deterministic stand-ins), ``UsageLedger``.
"""

from softco.llm.base import LLM, Message, Reply, Usage, system_user
from softco.llm.gateway import Gateway
from softco.llm.ledger import CallRecord, UsageLedger, UsageTotals
from softco.llm.scripted import CassetteTransport, ScriptedLLM, ScriptedTransport, ScriptExhausted
from softco.llm.transport import CompletionRequest, LiteLLMTransport, RawCompletion, Transport

__all__ = [
    "LLM",
    "CallRecord",
    "CassetteTransport",
    "CompletionRequest",
    "Gateway",
    "LiteLLMTransport",
    "Message",
    "RawCompletion",
    "Reply",
    "ScriptExhausted",
    "ScriptedLLM",
    "ScriptedTransport",
    "Transport",
    "Usage",
    "UsageLedger",
    "UsageTotals",
    "system_user",
]
