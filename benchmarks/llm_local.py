"""Embedded model figures: load time, prefill and generation speed, schema-valid rate,
and the prefill saved by llama.cpp's prompt cache.

Run: ``python benchmarks/llm_local.py [--tier qwen2.5-coder-1.5b] [--calls 20] [--quick]``.
Prints a markdown table and writes ``benchmarks/results/llm_local.json``.
Slow on a small CPU: run it on a quiet machine (``--quick`` only checks it works).

Why each figure:

* load time — paid once per process by ``softco run``; it sets how long the
  TUI shows "loading model".
* prefill / generation tokens per second — a coder call is roughly
  ``prompt / prefill + reply / generation`` seconds, so these two numbers
  predict a run's duration from its token counts in the ledger.
* schema-valid rate — structured calls go through the real gateway
  (``LiteLLMTransport`` → local provider, response cache off), where the
  engine turns the JSON schema into a grammar; the rate on the first try and
  after the gateway's bounded re-asks shows whether that promise holds.
* prompt-cache saving — every role family has a byte-identical system prompt
  so consecutive calls reuse the KV cache; two calls sharing a ~1k-token
  system prompt show the prefill it saves (``timings.prompt_ms`` and
  ``cache_n`` of the second call vs a cold call).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import machine, table, write_results
from pydantic import BaseModel, Field

from softco.config import Settings
from softco.errors import ArtifactInvalid
from softco.llm import Gateway, system_user
from softco.llm.engine import Engine, get_engine
from softco.llm.models import LOCAL_MODELS, ensure_model

TIERS = ("qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b")
TOPICS = [
    "a stack of integers",
    "parsing ISO dates",
    "a to-do list stored in JSON",
    "word frequency counting",
    "temperature unit conversion",
    "a bank account with deposits",
    "validating e-mail addresses",
    "reading a CSV of expenses",
    "a least-recently-used cache",
    "roman numeral conversion",
    "a matrix of floats",
    "slugifying titles",
    "an inventory of products",
    "a retrying HTTP client interface",
    "binary search on sorted lists",
    "a command-line timer",
    "merging two sorted files",
    "a tic-tac-toe board",
    "hashing passwords with salt",
    "a simple event bus",
]


class FunctionLite(BaseModel):
    """One public function, as the architect describes it."""

    signature: str = Field(description="Python signature, e.g. 'def push(x: int) -> None'.")
    docstring: str = Field(description="One sentence: what it does.")


class FileSpecLite(BaseModel):
    """A FileSpec-sized structured answer: the shape the architect produces per file."""

    path: str = Field(description="Relative path ending in .py.")
    responsibility: str = Field(description="One sentence.")
    interface: list[FunctionLite] = Field(description="Two or three public functions.")


def timings(result: dict[str, Any]) -> dict[str, float]:
    """llama.cpp's own timings of one call (prompt = prefill, predicted = generation)."""
    t = result.get("timings") or {}
    return {
        k: float(t.get(k, 0) or 0)
        for k in ("prompt_n", "prompt_ms", "predicted_n", "predicted_ms", "cache_n")
    }


def speed(engine: Engine, gen_tokens: int) -> dict[str, float]:
    """Prefill and generation tokens/s on one cold call (a fresh prompt, nothing cached)."""
    stories = " ".join(
        f"Story {i}: as user {i} I want feature {i * 7} so that I save time." for i in range(25)
    )
    request = {
        "messages": [
            {"role": "system", "content": f"You are a careful Python coder. {time.time()}"},
            {
                "role": "user",
                "content": stories + "\nWrite a Python module implementing "
                "the first three stories, with docstrings.",
            },
        ],
        "max_tokens": gen_tokens,
        "temperature": 0.0,
        "seed": 1,
    }
    t = timings(engine.chat(request))
    return {
        "prefill_tokens": t["prompt_n"],
        "prefill_tok_per_s": round(t["prompt_n"] / t["prompt_ms"] * 1000, 1)
        if t["prompt_ms"]
        else 0,
        "gen_tokens": t["predicted_n"],
        "gen_tok_per_s": round(t["predicted_n"] / t["predicted_ms"] * 1000, 1)
        if t["predicted_ms"]
        else 0,
    }


def shared_prefix_system(target_tokens: int = 1000) -> str:
    """A ~``target_tokens`` system prompt, like a role's fixed rules (≈4 chars/token)."""
    rules, i = [], 0
    while sum(len(r) for r in rules) < target_tokens * 4:
        i += 1
        rules.append(
            f"Rule {i}: keep function {i} small, typed and documented; "
            f"never print from library code; return values, raise ValueError on bad input."
        )
    return "You are the coder of a software company.\n" + "\n".join(rules)


def prompt_cache(engine: Engine) -> dict[str, float]:
    """Prefill time of a call sharing a ~1k-token prefix with the previous one, vs cold."""
    system = shared_prefix_system()

    def call(sys_text: str, user: str) -> dict[str, float]:
        return timings(
            engine.chat(
                {
                    "messages": [
                        {"role": "system", "content": sys_text},
                        {"role": "user", "content": user},
                    ],
                    "max_tokens": 1,
                    "temperature": 0.0,
                    "seed": 1,
                }
            )
        )

    call("Unrelated warm-up prompt that evicts the slot's cached prefix.", "Say ok.")
    cold = call(system, "Write the file calc/ops.py: arithmetic helpers.")
    warm = call(system, "Write the file calc/cli.py: the command-line entry point.")
    saved = cold["prompt_ms"] - warm["prompt_ms"]
    return {
        "prefix_tokens_cold": cold["prompt_n"] + cold["cache_n"],
        "cold_prompt_ms": round(cold["prompt_ms"], 1),
        "warm_prompt_ms": round(warm["prompt_ms"], 1),
        "warm_cache_n": warm["cache_n"],
        "warm_prompt_n": warm["prompt_n"],
        "prefill_saved_ms": round(saved, 1),
        "prefill_saved_pct": round(100 * saved / cold["prompt_ms"], 1) if cold["prompt_ms"] else 0,
    }


def structured(tier: str, calls: int) -> dict[str, float]:
    """Schema-valid rate of ``calls`` structured calls through the real gateway, no cache."""
    settings = Settings.load(
        llm={"model": f"local/{tier}", "cache": False, "max_tokens": 384}, memory={"enabled": False}
    )
    gateway = Gateway(settings, cache=None)
    first_try = valid = 0
    latencies, completion = [], []
    for i in range(calls):
        topic = TOPICS[i % len(TOPICS)]
        messages = system_user(
            "You are the architect of a small Python project. Answer with JSON only.",
            f"Describe one Python file for {topic}: its path, its responsibility and "
            f"two or three public functions with signatures and docstrings.",
        )
        try:
            reply = gateway.complete(messages, FileSpecLite, role="architect", phase="bench")
        except ArtifactInvalid:
            continue
        valid += 1
        first_try += reply.attempts == 1
        latencies.append(reply.latency_s)
        completion.append(reply.usage.completion_tokens)
    return {
        "calls": calls,
        "valid_first_try_rate": round(first_try / calls, 3),
        "valid_after_reasks_rate": round(valid / calls, 3),
        "latency_s_mean": round(statistics.mean(latencies), 2) if latencies else 0,
        "completion_tokens_mean": round(statistics.mean(completion), 1) if completion else 0,
    }


def bench_tier(tier: str, calls: int, gen_tokens: int) -> dict[str, Any]:
    settings = Settings.load()
    start = time.perf_counter()
    path = ensure_model(tier, settings.home / "models")
    assemble_s = time.perf_counter() - start
    start = time.perf_counter()
    engine = get_engine(path, n_ctx=settings.local.n_ctx, n_threads=settings.local.n_threads)
    load_s = time.perf_counter() - start
    out: dict[str, Any] = {
        "model_file_mb": round(path.stat().st_size / 2**20),
        "ensure_model_s": round(assemble_s, 2),
        "load_s": round(load_s, 2),
    }
    print(f"  {tier}: speed...", file=sys.stderr, flush=True)
    out.update(speed(engine, gen_tokens))
    print(f"  {tier}: prompt cache...", file=sys.stderr, flush=True)
    out["prompt_cache"] = prompt_cache(engine)
    print(f"  {tier}: {calls} structured calls...", file=sys.stderr, flush=True)
    out["structured"] = structured(tier, calls)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tier",
        choices=sorted(LOCAL_MODELS),
        action="append",
        help="model tier (repeatable; default: both)",
    )
    parser.add_argument("--calls", type=int, default=20, help="structured calls per tier")
    parser.add_argument("--gen-tokens", type=int, default=128, help="tokens for the speed call")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="3 structured calls and a 48-token speed call: checks the script works",
    )
    args = parser.parse_args()
    tiers = args.tier or list(TIERS)
    calls, gen_tokens = (3, 48) if args.quick else (args.calls, args.gen_tokens)
    results: dict[str, Any] = {**machine(), "quick": args.quick, "tiers": {}}
    rows: list[tuple[str, Any]] = []
    for tier in tiers:
        print(f"{tier}...", file=sys.stderr, flush=True)
        r = results["tiers"][tier] = bench_tier(tier, calls, gen_tokens)
        pc, st = r["prompt_cache"], r["structured"]
        rows += [
            (f"{tier}: load, s (first ensure_model, s)", f"{r['load_s']} ({r['ensure_model_s']})"),
            (
                f"{tier}: prefill tok/s ({r['prefill_tokens']:.0f}-token prompt)",
                r["prefill_tok_per_s"],
            ),
            (f"{tier}: generation tok/s ({r['gen_tokens']:.0f} tokens)", r["gen_tok_per_s"]),
            (
                f"{tier}: schema-valid, first try / after re-asks ({st['calls']} calls)",
                f"{st['valid_first_try_rate']:.0%} / {st['valid_after_reasks_rate']:.0%}",
            ),
            (f"{tier}: structured call latency, s (mean)", st["latency_s_mean"]),
            (
                f"{tier}: ~1k-token prefix prefill cold / cached, ms",
                f"{pc['cold_prompt_ms']} / {pc['warm_prompt_ms']} "
                f"(saved {pc['prefill_saved_pct']}%, cache_n={pc['warm_cache_n']:.0f})",
            ),
        ]
    path = write_results("llm_local", results)
    print(table(rows))
    print(f"\nwritten to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
