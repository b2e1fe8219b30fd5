"""Test-wide guards: no test may reach a network LLM.

``litellm.completion`` is replaced by a function that fails loudly unless the
test is marked ``model`` (opt-in tests against the embedded model), and even
then only ``local/...`` models are let through.
"""

from __future__ import annotations

import os

for _k, _v in {
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "ORT_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "HF_HUB_OFFLINE": "1",
}.items():
    os.environ.setdefault(_k, _v)

import pytest  # noqa: E402


class RealLLMCallError(RuntimeError):
    """Raised when a test tries to call a real (network) model."""


@pytest.fixture(autouse=True)
def _no_network_llm(request, monkeypatch, tmp_path):
    import litellm

    real = litellm.completion
    allow_local = request.node.get_closest_marker("model") is not None

    def guarded(*args, **kwargs):
        model = kwargs.get("model") or (args[0] if args else "")
        if allow_local and str(model).startswith("local/"):
            return real(*args, **kwargs)
        raise RealLLMCallError(
            f"test tried a real LLM call to {model!r}: use ScriptedLLM or a cassette"
        )

    async def aguarded(*args, **kwargs):
        raise RealLLMCallError("test tried a real async LLM call: use ScriptedLLM")

    monkeypatch.setattr(litellm, "completion", guarded)
    monkeypatch.setattr(litellm, "acompletion", aguarded)
    # Keep tests away from the user's real ~/.softco (caches, company memory).
    if not allow_local:
        monkeypatch.setenv("SOFTCO_HOME", str(tmp_path / "softco-home"))
    yield
