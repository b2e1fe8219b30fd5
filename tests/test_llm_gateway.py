"""The gateway's promises: bounded re-asks, budget caps, retries, ledger, cache, cassettes."""

from __future__ import annotations

import hashlib
import sys
import types

import pytest
from pydantic import BaseModel, field_validator

from softco.config import Settings
from softco.errors import (
    ArtifactInvalid,
    BudgetExceeded,
    ModelIntegrityError,
    ModelNotFound,
    ProviderAuthError,
    ProviderUnavailable,
)
from softco.events import EventLog, read_events
from softco.llm import (
    CassetteTransport,
    Gateway,
    ScriptedLLM,
    ScriptedTransport,
    ScriptExhausted,
    system_user,
)
from softco.llm.cache import ResponseCache
from softco.llm.transport import TransientError, map_litellm_error


class Person(BaseModel):
    name: str
    age: int

    @field_validator("age")
    @classmethod
    def _positive(cls, v: int) -> int:
        if v < 0:
            raise ValueError("age must be >= 0")
        return v


MSG = system_user("You are terse.", "Give me a person.")


def test_valid_reply_is_parsed_first_time():
    llm = ScriptedLLM([{"name": "Ada", "age": 36}])
    reply = llm.complete(MSG, Person, role="pm", phase="requirements")
    assert reply.parsed == Person(name="Ada", age=36)
    assert reply.attempts == 1


def test_invalid_reply_is_reasked_with_the_validation_error():
    llm = ScriptedLLM(['```json\n{"name": "A", "age": -1}\n```', {"name": "A", "age": 1}])
    reply = llm.complete(MSG, Person, role="pm")
    assert reply.parsed.age == 1 and reply.attempts == 2
    reask = llm.transport.requests[1].messages[-1]["content"]
    assert "age must be >= 0" in reask


def test_garbage_forever_stops_after_bounded_tries():
    transport = ScriptedTransport(default="I am not JSON at all")
    llm = Gateway(Settings.load(llm={"structured_retries": 2}), transport=transport)
    with pytest.raises(ArtifactInvalid) as info:
        llm.complete(MSG, Person, role="architect")
    assert len(transport.requests) == 3  # 1 + 2 re-asks, never a storm
    assert "architect" in str(info.value) and info.value.raw == "I am not JSON at all"


def test_token_budget_stops_before_the_call_that_would_exceed_it():
    transport = ScriptedTransport(default={"name": "A", "age": 1})
    llm = Gateway(Settings.load(budget={"max_tokens": 1500}), transport=transport)
    calls = 0
    with pytest.raises(BudgetExceeded) as info:
        for _ in range(1000):
            llm.complete(MSG, Person, role="pm", max_tokens=100)
            calls += 1
    assert 10 < calls < 1000  # it ran, then stopped on its own
    # the worst case of the refused call would not have fitted, and nothing overshot
    assert 1500 - 120 < llm.ledger.totals().total_tokens <= 1500
    assert "budget" in str(info.value)


def test_zero_dollar_budget_refuses_any_call():
    transport = ScriptedTransport(default="x")
    llm = Gateway(Settings.load(budget={"max_usd": 0}), transport=transport)
    with pytest.raises(BudgetExceeded):
        llm.complete(MSG)
    assert transport.requests == []


def test_ledger_totals_by_role_and_phase_and_events(tmp_path):
    log = EventLog(tmp_path, "r1")
    llm = ScriptedLLM(["a", "b", "c"], events=log)
    llm.complete(MSG, role="pm", phase="requirements")
    llm.complete(MSG, role="coder", phase="code")
    llm.complete(MSG, role="coder", phase="code")
    by_role = llm.ledger.by("role")
    assert by_role["coder"].calls == 2 and by_role["pm"].calls == 1
    assert llm.ledger.by("phase")["code"].calls == 2
    calls = [e for e in read_events(tmp_path) if e.type == "llm_call"]
    assert len(calls) == 3 and calls[-1].total_tokens == llm.ledger.totals().total_tokens


def test_ledger_survives_a_restart(tmp_path):
    from softco.llm import UsageLedger

    path = tmp_path / "ledger.jsonl"
    llm = ScriptedLLM(["a"], ledger=UsageLedger(path=path))
    llm.complete(MSG, role="pm")
    with path.open("a") as fh:
        fh.write('{"role": "pm", "prompt_tok')  # torn line from a kill
    again = UsageLedger(path=path)
    assert again.totals().calls == 1


class _Flaky:
    def __init__(self, failures: int, error: Exception):
        self.failures, self.error, self.calls = failures, error, 0

    def constrains(self, model):
        return True

    def send(self, request):
        from softco.llm import RawCompletion

        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return RawCompletion(text="ok")


def test_transient_errors_are_retried(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    flaky = _Flaky(2, TransientError("429"))
    llm = Gateway(Settings.load(llm={"max_retries": 3}), transport=flaky)
    assert llm.complete(MSG).text == "ok" and flaky.calls == 3


def test_transient_errors_give_up_with_a_clear_error(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    flaky = _Flaky(99, TransientError("503"))
    llm = Gateway(Settings.load(llm={"max_retries": 2}), transport=flaky)
    with pytest.raises(ProviderUnavailable, match="gave up after 3 tries"):
        llm.complete(MSG)


def test_auth_errors_are_never_retried():
    flaky = _Flaky(99, ProviderAuthError("bad key"))
    llm = Gateway(Settings.load(llm={"max_retries": 5}), transport=flaky)
    with pytest.raises(ProviderAuthError):
        llm.complete(MSG)
    assert flaky.calls == 1


def test_litellm_errors_are_mapped_to_typed_errors():
    import litellm

    auth = litellm.AuthenticationError("no key", llm_provider="openai", model="gpt-4o")
    assert isinstance(map_litellm_error(auth, "gpt-4o"), ProviderAuthError)
    rate = litellm.RateLimitError("slow down", llm_provider="openai", model="gpt-4o")
    assert isinstance(map_litellm_error(rate, "gpt-4o"), TransientError)
    unknown = litellm.BadRequestError("LLM Provider NOT provided", model="x", llm_provider="")
    err = map_litellm_error(unknown, "nonsense-model")
    assert isinstance(err, ModelNotFound) and "local/qwen2.5-coder-1.5b" in str(err)


def test_real_llm_calls_fail_loudly_in_tests():
    from softco.llm import LiteLLMTransport

    llm = Gateway(
        Settings.load(llm={"model": "openai/gpt-4o-mini", "max_retries": 0}),
        transport=LiteLLMTransport(),
        cache=None,
    )
    with pytest.raises(Exception, match="real LLM call"):
        llm.complete(MSG)


def test_response_cache_round_trip(tmp_path):
    cache = ResponseCache(tmp_path)
    transport = ScriptedTransport(["first"])
    llm = Gateway(Settings.load(), transport=transport, cache=cache)
    assert llm.complete(MSG, role="pm").text == "first"
    again = llm.complete(MSG, role="pm")
    assert again.text == "first" and again.cached and len(transport.requests) == 1


def test_cassette_record_then_replay_without_a_model(tmp_path):
    path = tmp_path / "c.jsonl"
    inner = ScriptedTransport([{"name": "Rec", "age": 5}])
    Gateway(Settings.load(), transport=CassetteTransport(path, "record", inner)).complete(
        MSG, Person, role="pm"
    )
    replay = Gateway(Settings.load(), transport=CassetteTransport(path, "replay"))
    changed = system_user("You are terse.", "Give me a person, please.")  # drifted prompt
    assert replay.complete(changed, Person, role="pm").parsed.name == "Rec"


def test_scripted_model_running_out_is_loud():
    with pytest.raises(ScriptExhausted, match="no reply left for role 'coder'"):
        ScriptedLLM([]).complete(MSG, role="coder")


def test_per_role_models_and_overrides():
    settings = Settings.load(
        llm={"roles": {"coder": {"model": "local/qwen2.5-coder-0.5b", "max_tokens": 300}}}
    )
    transport = ScriptedTransport(default="x")
    llm = Gateway(settings, transport=transport)
    llm.complete(MSG, role="coder")
    llm.complete(MSG, role="pm")
    assert transport.requests[0].model == "local/qwen2.5-coder-0.5b"
    assert transport.requests[0].max_tokens == 300
    assert transport.requests[1].model == "local/qwen2.5-coder-1.5b"


def _fake_parts(monkeypatch, tmp_path, payloads):
    for i, data in enumerate(payloads, 1):
        pkg = tmp_path / f"fakepart{i}" / "data"
        pkg.mkdir(parents=True)
        (pkg.parent / "__init__.py").write_text("")
        (pkg / f"part{i:02d}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(tmp_path))
    for i in range(1, len(payloads) + 1):
        sys.modules.pop(f"fakepart{i}", None)


def test_model_assembly_verifies_the_hash(monkeypatch, tmp_path):
    from softco.llm import models

    good = [b"GGUF" + b"a" * 10, b"b" * 10]
    digest = hashlib.sha256(b"".join(good)).hexdigest()
    _fake_parts(monkeypatch, tmp_path / "src", good)
    fake = models.LocalModel("fake", "fake", "fakepart", 2, digest, 24)
    monkeypatch.setitem(models.LOCAL_MODELS, "fake", fake)
    path = models.ensure_model("fake", tmp_path / "cache")
    assert path.read_bytes() == b"".join(good)


def test_corrupted_model_part_is_refused(monkeypatch, tmp_path):
    from softco.llm import models

    _fake_parts(monkeypatch, tmp_path / "src", [b"GGUF" + b"a" * 10, b"CORRUPT!!!"])
    fake = models.LocalModel("fake", "fake", "fakepart", 2, "0" * 64, 24)
    monkeypatch.setitem(models.LOCAL_MODELS, "fake", fake)
    with pytest.raises(ModelIntegrityError, match="corrupted"):
        models.ensure_model("fake", tmp_path / "cache")
    assert not (tmp_path / "cache" / "fake.gguf").exists()  # nothing half-written


def test_missing_model_part_names_the_fix(monkeypatch, tmp_path):
    from softco.llm import models

    fake = models.LocalModel("fake", "fake", "nosuchpart_", 2, "0" * 64, 24)
    monkeypatch.setitem(models.LOCAL_MODELS, "fake", fake)
    with pytest.raises(ModelNotFound, match=r"pip install"):
        models.ensure_model("fake", tmp_path)
    with pytest.raises(ModelNotFound, match="unknown local model"):
        models.ensure_model("gpt-17", tmp_path)


def test_settings_errors_are_one_line(tmp_path):
    from softco.errors import ConfigError

    bad = tmp_path / "softco.yaml"
    bad.write_text("llm:\n  temperature: hot\n")
    with pytest.raises(ConfigError, match=r"llm\.temperature"):
        Settings.load(bad)
    with pytest.raises(ConfigError, match="unknown role"):
        Settings.load(llm={"roles": {"janitor": {}}})
    _ = types  # keep import for fake modules


def test_schema_for_constrained_decoding_keeps_properties_named_title():
    from softco.artifacts import PRD
    from softco.llm.structured import json_schema_for

    schema = json_schema_for(PRD)
    assert "title" in schema["properties"] and "title" in schema["required"]
    story = schema["properties"]["user_stories"]["items"]
    assert "title" in story["properties"] and "$ref" not in str(schema)


def test_a_typo_in_a_settings_section_is_an_error_not_a_silent_default():
    from softco.errors import ConfigError

    with pytest.raises(ConfigError, match=r"budget\.max_token"):
        Settings.load(budget={"max_token": 10})


def test_a_torn_last_line_does_not_swallow_the_next_event(tmp_path):
    from softco.events import EventLog, Notice

    log = EventLog(tmp_path, "r")
    log.emit(Notice(message="one"))
    with (tmp_path / "events.jsonl").open("a") as fh:
        fh.write('{"type": "notice", "mess')  # killed mid-write
    EventLog(tmp_path, "r").emit(Notice(message="two"))
    messages = [e.message for e in read_events(tmp_path) if e.type == "notice"]
    assert messages == ["one", "two"]


def test_unreachable_api_base_fails_in_seconds(monkeypatch):
    import socket
    import time

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    settings = Settings.load(
        llm={"model": "openai/gpt-4o-mini", "api_base": f"http://127.0.0.1:{port}/v1"}
    )
    from softco.llm import LiteLLMTransport

    start = time.monotonic()
    with pytest.raises(ProviderUnavailable, match="unreachable"):
        Gateway(settings, transport=LiteLLMTransport(), cache=None).check_ready()
    assert time.monotonic() - start < 5


def test_recording_a_real_model_registers_the_local_provider(tmp_path):
    import litellm

    from softco.llm import LiteLLMTransport

    Gateway(
        Settings.load(home=tmp_path),
        transport=CassetteTransport(tmp_path / "c.jsonl", "record", LiteLLMTransport()),
    )
    assert any(p.get("provider") == "local" for p in litellm.custom_provider_map)


class _Replies:
    """A constrained transport answering with ``replies`` in order (the last one repeats)."""

    def __init__(self, *replies):
        self.replies = list(replies)
        self.requests = []

    def constrains(self, model: str) -> bool:
        return True

    def send(self, request):
        self.requests.append(request)
        return self.replies[min(len(self.requests), len(self.replies)) - 1]


def test_a_cut_off_reply_is_asked_again_afresh_with_a_little_more_room():
    from softco.llm.transport import RawCompletion

    transport = _Replies(
        RawCompletion(text='{"name": "Ada", "ag', finish_reason="length"),
        RawCompletion(text='{"name": "Ada", "age": 36}'),
    )
    llm = Gateway(Settings.load(), transport=transport)
    reply = llm.complete(MSG, Person, role="pm", max_tokens=100)
    assert reply.parsed.age == 36 and reply.attempts == 2
    second = transport.requests[1]
    assert second.max_tokens == 150
    assert len(second.messages) == len(transport.requests[0].messages)  # no cut-off echo
    assert "cut off" in second.messages[-1]["content"]


def test_prompt_cache_hits_reach_the_event_log(monkeypatch, tmp_path):
    """A user comparing prompts sees how much prefill the provider's prompt cache saved."""
    import litellm
    from litellm.types.utils import ModelResponse

    from softco.llm import LiteLLMTransport

    def answer(**kwargs):
        return ModelResponse(
            model="openai/gpt-4o-mini",
            choices=[{"index": 0, "message": {"role": "assistant", "content": "hi"}}],
            usage={
                "prompt_tokens": 900,
                "completion_tokens": 2,
                "total_tokens": 902,
                "prompt_tokens_details": {"cached_tokens": 896},
            },
        )

    monkeypatch.setattr(litellm, "completion", answer)
    log = EventLog(tmp_path, "r")
    llm = Gateway(
        Settings.load(llm={"model": "openai/gpt-4o-mini", "max_retries": 0}),
        transport=LiteLLMTransport(),
        events=log,
        cache=None,
    )
    assert llm.complete(MSG).text == "hi"
    calls = [e for e in read_events(tmp_path) if e.type == "llm_call"]
    assert [(c.prompt_tokens, c.cached_prompt_tokens) for c in calls] == [(900, 896)]


class Team(BaseModel):
    name: str
    people: list[Person]
    notes: list[str] = []


def test_a_reply_cut_off_in_a_list_keeps_its_complete_items_without_a_second_call():
    """A small model looping on a list hits the cap after the useful part: keep it."""
    from softco.llm.transport import RawCompletion

    transport = _Replies(
        RawCompletion(
            text='{"name": "core", "people": [{"name": "Ada", "age": 36}, '
            '{"name": "Alan", "age": 41}, {"name": "Gra',
            finish_reason="length",
        )
    )
    reply = Gateway(Settings.load(), transport=transport).complete(MSG, Team, max_tokens=50)
    assert [p.name for p in reply.parsed.people] == ["Ada", "Alan"]
    assert len(transport.requests) == 1


def test_salvage_never_invents_a_required_field_or_half_a_string():
    from softco.llm.structured import salvage_json

    # cut inside the only required list's first item: nothing complete to keep
    assert salvage_json('{"name": "core", "people": [{"name": "Ada", "a', Team) is None
    # a comma inside a string is not a cut point
    kept = salvage_json(
        '{"name": "a, b", "people": [{"name": "x, y", "age": 1}], "notes": ["p, q", "r', Team
    )
    assert kept is not None and kept.name == "a, b" and kept.notes == ["p, q"]
    assert kept.people[0].name == "x, y"


def test_salvage_keeps_no_value_that_was_itself_cut_short():
    """A three-item answer cut after two is not a two-item answer."""
    from softco.artifacts.cases import CallCase
    from softco.llm.structured import salvage_json

    class Cases(BaseModel):
        cases: list[CallCase]

    cut = (
        '{"cases": [{"behaviour": "a", "call": "f(1)", "expected": 1}, '
        '{"behaviour": "b", "call": "split(\'a b c\')", "expected": ["a", "b", "c'
    )
    kept = salvage_json(cut, Cases)
    assert kept is not None and [c.call for c in kept.cases] == ["f(1)"]
    # a reply that closed but does not validate is no cut-off reply: nothing is trimmed
    whole = '{"name": "t", "people": [{"name": "Ada", "age": 1}, {"name": "B", "age": "x"}]}'
    assert salvage_json(whole, Team) is None
