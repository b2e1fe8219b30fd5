"""One settings model for everything softco does.

Sources, later wins: defaults < YAML file (``softco.yaml`` or ``--config``) <
``SOFTCO_`` environment variables (nested with ``__``, e.g.
``SOFTCO_LLM__MODEL=gpt-4o-mini``) < explicit overrides (CLI flags, SDK
arguments). Every field is documented because ``softco doctor`` and the README
point users here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from softco.errors import ConfigError

# Set before any third-party import that could phone home (litellm's cost map,
# onnxruntime and chromadb telemetry, huggingface hub lookups).
OFFLINE_ENV = {
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "ORT_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "HF_HUB_OFFLINE": "1",
}
for _k, _v in OFFLINE_ENV.items():
    os.environ.setdefault(_k, _v)

DEFAULT_MODEL = "local/qwen2.5-coder-1.5b"
ROLE_NAMES = ("pm", "critic", "judge", "architect", "coder", "tester", "reviewer")


class _Section(BaseModel):
    """A settings section: unknown keys are errors, so a typo never disables a cap."""

    model_config = ConfigDict(extra="forbid", validate_default=True)


class RoleSettings(_Section):
    """Per-role overrides; ``None`` means "use the llm section's value"."""

    model: str | None = None
    temperature: float | None = Field(None, ge=0.0, le=2.0)
    max_tokens: int | None = Field(None, gt=0)
    memory_tokens: int | None = Field(None, ge=0, description="Token budget for retrieved memory.")


# Short artifacts get short caps, so a small model that starts looping stops sooner.
DEFAULT_ROLES: dict[str, RoleSettings] = {
    "pm": RoleSettings(max_tokens=1536),  # a PRD with examples is the longest artifact
    "critic": RoleSettings(max_tokens=400),
    "judge": RoleSettings(max_tokens=400),
    "tester": RoleSettings(max_tokens=1100),  # up to 12 cases and 4 CLI scenarios
    "reviewer": RoleSettings(max_tokens=600),
}


class LLMSettings(_Section):
    model: str = Field(DEFAULT_MODEL, description="Any LiteLLM model string, or local/<name>.")
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(1024, gt=0, description="Cap on completion tokens per call.")
    api_base: str | None = Field(None, description="OpenAI-compatible base URL (vLLM, Ollama).")
    timeout_s: float = Field(
        180.0, gt=0, description="Per-call timeout for providers (the embedded model has none)."
    )
    max_retries: int = Field(3, ge=0, le=10, description="Retries for 429/5xx/timeouts only.")
    structured_retries: int = Field(2, ge=0, le=5, description="Re-asks on invalid output.")
    cache: bool = Field(True, description="On-disk response cache keyed by the full request.")
    cache_dir: Path | None = Field(None, description="Defaults to <home>/cache/responses.")
    roles: dict[str, RoleSettings] = Field(
        default_factory=dict, description="Per-role overrides, merged over DEFAULT_ROLES."
    )

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: dict[str, RoleSettings]) -> dict[str, RoleSettings]:
        unknown = sorted(set(value) - set(ROLE_NAMES))
        if unknown:
            raise ValueError(f"unknown role(s) {unknown}; known roles: {list(ROLE_NAMES)}")
        merged = dict(DEFAULT_ROLES)
        for role, given in value.items():
            base = DEFAULT_ROLES.get(role, RoleSettings())
            merged[role] = base.model_copy(update=given.model_dump(exclude_none=True))
        return merged

    def for_role(self, role: str) -> tuple[str, float, int]:
        """(model, temperature, max_tokens) for a role after its overrides."""
        r = self.roles.get(role, RoleSettings())
        return (
            r.model or self.model,
            self.temperature if r.temperature is None else r.temperature,
            r.max_tokens or self.max_tokens,
        )


class LocalModelSettings(_Section):
    model_path: Path | None = Field(None, description="Any GGUF file; overrides the shipped model.")
    n_ctx: int = Field(8192, ge=512, description="Context window of the embedded model.")
    n_threads: int | None = Field(None, ge=1, description="Defaults to the number of cores.")
    seed: int = 42
    repeat_penalty: float = Field(
        1.05,
        ge=1.0,
        le=1.5,
        description="Qwen's recommended 1.05: stops a small model looping on one line.",
    )


class BudgetSettings(_Section):
    max_usd: float | None = Field(None, ge=0, description="Dollar cap for the run.")
    max_tokens: int | None = Field(None, ge=0, description="Token cap (prompt + completion).")


class WorkflowSettings(_Section):
    mode: Literal["waterfall", "agile"] = "waterfall"
    debate_rounds: int = Field(1, ge=0, le=5, description="Critic/answer/judge rounds.")
    critics: list[str] = Field(default_factory=lambda: ["user_advocate", "qa_skeptic"])
    design_repairs: int = Field(2, ge=0, le=5, description="Architect re-asks on a bad graph.")
    test_rounds: int = Field(2, ge=0, le=5, description="Fix rounds after failing tests.")
    review_rounds: int = Field(1, ge=0, le=3, description="Fix rounds after blocking findings.")
    review_green_fixes: bool = Field(
        False,
        description="Rewrite code for blocking review findings even when every test passes "
        "(kept if it still passes them all). Off by default: of 28 review rewrites in the "
        "public-brief rows of sessions 5-9, the one on a green suite that changed an "
        "acceptance score lowered it (roman 7/7 -> 5/7), 26 changed none and one raised it "
        "on a red suite; the findings are still reported.",
    )
    best_of: int = Field(
        3,
        ge=1,
        le=8,
        description="Candidates sampled per failing module and repair round, picked by "
        "agreement with the tests (1: plain repair, kept only if the pass count rises).",
    )
    concurrency: int = Field(4, ge=1, le=32, description="Files written at once per generation.")
    max_sprints: int = Field(3, ge=1, le=20)
    sprint_capacity: int = Field(5, ge=1, description="Story points per sprint.")
    max_files: int = Field(12, ge=1, le=200, description="Largest design accepted.")
    approve: list[Literal["prd", "design", "sprint"]] = Field(default_factory=list)
    static_gates: bool = Field(True, description="Lint generated code/tests before running.")
    repair_units: int = Field(
        0,
        ge=0,
        le=8,
        description="Fresh samples, per repair round, of each of the (at most two) functions "
        "or methods the failing tests point at, each tried as a candidate with only that unit "
        "replaced (0: off, the default: on the public briefs it fitted wrong tests as often "
        "as it fixed code; 6 is what was measured).",
    )
    requirement_units: int = Field(
        6,
        ge=0,
        le=8,
        description="Fresh samples, per repair round and review fix, of each of the (at most "
        "two) functions or methods that failing tests written from the PM's examples or the "
        "interface's clauses point at; every sample is run, and kept as a candidate only if it "
        "passes more of those tests than the current code (0: off; ignored while repair_units "
        "is on).",
    )
    regression_tests: int = Field(
        12,
        ge=0,
        le=30,
        description="At most this many regression tests per module, added before delivery "
        "when the suite is green: calls built from the tests' and the module's own values, "
        "each expecting what the delivered code does, chosen because it notices a mutant "
        "of the code that the other tests miss (no model call; 0: off).",
    )
    unit_samples: int = Field(
        3,
        ge=0,
        le=8,
        description="Rewrites sampled for a function or method the gate says ignores a "
        "parameter, returns instead of changing its object, or assigns over a method, or for "
        "a main reading an argument its parser never defines (0: off).",
    )
    compute_examples: bool = Field(
        True,
        description="Evaluate expected values the PM writes as arithmetic (3 * 0.3048) "
        "instead of trusting the model's mental arithmetic.",
    )
    example_tests: bool = Field(
        True,
        description="Turn the PRD's call -> expected examples into a test file per module "
        "directly (no model), beside the tester's file.",
    )
    test_cases: bool = Field(
        True,
        description="Ask the tester for calls and expected values (checked against the "
        "signatures) and write the pytest file from them, instead of asking for test code.",
    )
    pin_interface: bool = Field(
        True,
        description="When the brief states files and signatures (path.py: f(x: int) -> str), "
        "build the design from them verbatim instead of asking the architect.",
    )
    agreed_values: bool = Field(
        True,
        description="A case test every sampled implementation fails, while all of them "
        "return the same value for its call, is kept expecting that value (with a comment "
        "naming the tester's) instead of being removed. Only when at least three of those "
        "implementations differ in the code the test reaches: copies of one function are one "
        "opinion, too little to rewrite a test's expected value.",
    )
    recheck_rewrites: bool = Field(
        True,
        description="When the tester's rewrite of a failing test file is kept, run it under "
        "the earlier whole-file implementations repair sampled (the latest 8) and treat the "
        "tests they all fail like any test every sample fails: pinned to their agreed value "
        "or removed. "
        "Without it, a wrong test of the last round's rewrite reaches the delivered suite.",
    )
    finding_rules: bool = Field(
        True,
        description="A repair round's fresh whole-file samples, which are not shown the current "
        'file, get what the static gate finds in it as rules naming the unit ("Cart.add: use '
        'price to change the object (store it)"). Without them every fresh sample can repeat '
        "the flaw the gate already named (cart, session 13: add() kept only quantities).",
    )
    state_layout: bool = Field(
        True,
        description="A class method named for storing (add, set, register …) that returns nothing "
        "and takes a str key plus two or more "
        "values (Cart.add(item, price, qty)) gets a rule in every whole-file coder prompt: "
        'store one record per key with a field per value ("self.items[item] = {"price": '
        'price, "qty": qty}"). Without it a small coder stores one value per key and drops '
        "the rest, and no later rewrite of one method can change the layout the others read.",
    )
    unit_table: bool = Field(
        True,
        description="A function converting a value between two str units whose contract lists "
        "3+ units of one dimension (mm, cm, m, km, in, ft, mi) gets a rule in its coder prompts: "
        "one table of exact sizes in a base unit and value * SIZE[src] / SIZE[dst]. Without it "
        "the 1.5B coder wrote a branch per pair of units, a dozen of them wrong.",
    )
    line_format: bool = Field(
        True,
        description="A function taking a line of a format the brief quotes ('YYYY-MM-DD "
        "HH:MM:SS LEVEL message') gets a rule in every whole-file coder prompt: the split "
        "to copy (date, time, level, message = line.split(maxsplit=3)), the hour of HH:MM:SS "
        "and a strptime check. Without it every 1.5B sample split logstats' lines wrongly.",
    )
    shared_miss_guard: bool = Field(
        True,
        description="When at least three sampled implementations all answer None or an "
        "empty value to an example the PM stated with a value, they share a bug (a parser "
        "that rejects every line), so that repair round removes and pins no test: their "
        "agreement is no evidence. Without it, the PM's right examples are removed as wrong "
        "and the tester's tests pinned to the shared empty answer (logstats, session 12: a "
        "green suite on wrong code). Only an example expecting something counts (not None, "
        "{}, 0), and only with agreed_values on, which probes the answers.",
    )
    distinct_drops: bool = Field(
        False,
        description="Count implementations alike in the code a test reaches as one opinion "
        "before removing the test as wrong, too (as pins always do). Off by default: it keeps "
        "a right test that every sample of one buggy function fails, but also a wrong test a "
        "consistent coder's right function fails, and the delivered suite then ends red "
        "(session 8: wordfreq 9/9 -> 7/9).",
    )
    trace_failures: bool = Field(
        False,
        description="Tell a repair what the code did on each failing test: the return "
        "statement that gave the value, the locals there and the exceptions swallowed on the "
        "way (traced in the sandbox), before pytest's messages. Off by default: the embedded "
        "1.5B model shown its old file echoes it whatever the feedback says (logstats, "
        "session 9: 0 of 8 repairs right with the trace, 0 of 8 without).",
    )


class MemorySettings(_Section):
    enabled: bool = True
    server_url: str | None = Field(None, description="Chroma server URL; embedded if unset.")
    k: int = Field(5, ge=1, le=50)
    default_tokens: int = Field(400, ge=0, description="Retrieved-context budget per prompt.")
    company: bool = Field(True, description="Use the cross-project lessons collection.")


class SandboxSettings(_Section):
    timeout_s: float = Field(60.0, gt=0)
    cpu_s: int = Field(60, gt=0)
    memory_mb: int = Field(1024, ge=64)
    file_size_mb: int = Field(50, ge=1)
    max_procs: int = Field(64, ge=8)
    output_kb: int = Field(64, ge=4)
    network: bool = Field(False, description="Allow generated code to use the network.")


class Settings(BaseSettings):
    """Everything configurable. Load with :meth:`Settings.load`."""

    model_config = SettingsConfigDict(
        env_prefix="SOFTCO_", env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    home: Path = Field(
        Path.home() / ".softco",
        description="Company-level data: model cache, response cache, cross-project memory.",
    )
    runs_dir: Path = Field(Path("runs"), description="Where run directories are created.")
    llm: LLMSettings = Field(default_factory=LLMSettings)
    local: LocalModelSettings = Field(default_factory=LocalModelSettings)
    budget: BudgetSettings = Field(default_factory=BudgetSettings)
    workflow: WorkflowSettings = Field(default_factory=WorkflowSettings)
    memory: MemorySettings = Field(default_factory=MemorySettings)
    sandbox: SandboxSettings = Field(default_factory=SandboxSettings)

    @classmethod
    def load(cls, path: Path | str | None = None, **overrides: Any) -> Settings:
        """Defaults < YAML < env < ``overrides`` (nested dicts merge section by section)."""
        data: dict[str, Any] = {}
        if path is None and Path("softco.yaml").exists():
            path = Path("softco.yaml")
        if path is not None:
            data = _read_yaml(Path(path))
        env = cls._env_values()
        merged = _deep_merge(_deep_merge(data, env), overrides)
        try:
            return cls.model_validate(merged)
        except ValidationError as exc:
            raise ConfigError(_explain(exc)) from None

    @classmethod
    def _env_values(cls) -> dict[str, Any]:
        try:
            return cls().model_dump(exclude_unset=True)
        except ValidationError as exc:
            raise ConfigError(_explain(exc, source="environment (SOFTCO_*)")) from None


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ConfigError(f"config file {path} does not exist")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must hold a mapping of sections")
    return data


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        elif value is not None or key not in out:
            out[key] = value
    return out


def _explain(exc: ValidationError, source: str = "settings") -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(root)"
        parts.append(f"{loc}: {err['msg']}")
    return f"invalid {source}: " + "; ".join(parts)
