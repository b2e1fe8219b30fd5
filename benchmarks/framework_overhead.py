"""Framework overhead per LLM call, measured with a zero-latency scripted model.

Run: ``python benchmarks/framework_overhead.py [--calls 2000] [--runs 3]``.
Prints a markdown table and writes ``benchmarks/results/framework_overhead.json``.

Why: with a real model a call costs seconds, so softco's own cost per call
(prompt rendering, schema validation, ledger, event log, LangGraph
checkpoints, git commits) only matters if it is a visible fraction of that.
A scripted transport answers instantly, so whatever time remains is ours.

(a) ``Gateway.complete`` alone with a small pydantic schema: validation,
    ledger record and an ``llm_call`` event to a real JSONL event log.
(b) A whole scripted waterfall run (``Company`` + ``demo_transport``, memory
    off): wall time minus the time spent in the sandbox (pytest and CLI smoke
    runs, timed by wrapping ``Workspace.run_tests``/``run_entrypoint``), divided
    by the number of LLM calls. The sandbox is excluded because it is the
    generated project's cost, not the framework's; it is reported separately.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import bench_settings, machine, table, write_results
from pydantic import BaseModel

from softco import Company
from softco.demo_script import BRIEF, demo_transport
from softco.events import EventLog
from softco.llm import Gateway, ScriptedTransport, UsageLedger, system_user
from softco.workspace import Workspace


class Ping(BaseModel):
    """A small structured answer, about the size of a verdict or a finding."""

    name: str
    count: int
    tags: list[str] = []


ANSWER = {"name": "ping", "count": 3, "tags": ["a", "b"]}


def gateway_calls(home: Path, calls: int) -> dict[str, float]:
    """µs per ``Gateway.complete`` call, next to the bare transport's own cost."""
    settings = bench_settings(home)
    transport = ScriptedTransport(default=ANSWER)
    events = EventLog(home / "gw-run", "bench")
    gateway = Gateway(
        settings,
        transport=transport,
        ledger=UsageLedger(settings.budget, home / "gw-run" / "ledger.jsonl"),
        events=events,
    )
    messages = system_user("You answer in JSON.", "Count the pings in: ping ping ping.")
    for _ in range(50):  # warm-up: imports, schema caches, first file open
        gateway.complete(messages, Ping, role="pm", phase="bench")
    chunk = max(1, calls // 10)
    chunks: list[float] = []
    start = time.perf_counter()
    for i in range(calls):
        if i % chunk == 0:
            chunks.append(time.perf_counter())
        reply = gateway.complete(messages, Ping, role="pm", phase="bench")
    total = time.perf_counter() - start
    chunks.append(time.perf_counter())
    assert reply.parsed == Ping(**ANSWER)
    quiet = Gateway(settings, transport=transport, ledger=UsageLedger(settings.budget))
    begin = time.perf_counter()
    for _ in range(calls):
        quiet.complete(messages, Ping, role="pm", phase="bench")
    no_events = time.perf_counter() - begin
    request = transport.requests[-1]
    start = time.perf_counter()
    for _ in range(calls):
        transport.send(request)
    bare = time.perf_counter() - start
    return {
        "calls": calls,
        "gateway_us_per_call": round(total / calls * 1e6, 1),
        "transport_only_us_per_call": round(bare / calls * 1e6, 1),
        "gateway_minus_transport_us": round((total - bare) / calls * 1e6, 1),
        "first_tenth_us_per_call": round((chunks[1] - chunks[0]) / chunk * 1e6, 1),
        "last_tenth_us_per_call": round((chunks[-1] - chunks[-2]) / chunk * 1e6, 1),
        "no_event_log_in_memory_ledger_us_per_call": round(no_events / calls * 1e6, 1),
    }


class MethodTimer:
    """Wraps ``Workspace`` methods for the duration of a ``with``, summing their wall time."""

    def __init__(self, *methods: str) -> None:
        self.methods = methods
        self.seconds = 0.0
        self.count = 0
        self._saved: dict[str, Callable[..., Any]] = {}

    def __enter__(self) -> MethodTimer:
        for name in self.methods:
            original = getattr(Workspace, name)
            self._saved[name] = original
            setattr(Workspace, name, self._timed(original))
        return self

    def __exit__(self, *exc: object) -> None:
        for name, original in self._saved.items():
            setattr(Workspace, name, original)

    def _timed(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
                self.count += 1

        return wrapper


def waterfall_once(home: Path, index: int) -> dict[str, float]:
    """One scripted waterfall run; returns wall, sandbox and call figures."""
    settings = bench_settings(home)
    transport = demo_transport()
    with MethodTimer("run_tests", "run_entrypoint") as sandbox, MethodTimer("commit") as git:
        start = time.perf_counter()
        result = Company(settings, transport=transport).run(BRIEF, run_dir=home / f"wf-{index}")
        wall = time.perf_counter() - start
    if not result.ok:
        raise SystemExit(f"scripted waterfall did not finish cleanly: {result.error}")
    calls = len(transport.requests)
    framework = wall - sandbox.seconds
    return {
        "wall_s": wall,
        "sandbox_s": sandbox.seconds,
        "sandbox_runs": sandbox.count,
        "llm_calls": calls,
        "framework_s": framework,
        "git_commit_s": git.seconds,
        "framework_ms_per_call": framework / calls * 1000,
    }


def waterfall(home: Path, runs: int) -> dict[str, Any]:
    """Median over ``runs`` measured runs, after one warm-up run (imports, git init)."""
    waterfall_once(home, 0)
    samples = [waterfall_once(home, i) for i in range(1, runs + 1)]

    def med(key: str) -> float:
        return statistics.median(s[key] for s in samples)

    return {
        "runs": runs,
        "llm_calls": samples[0]["llm_calls"],
        "sandbox_runs": samples[0]["sandbox_runs"],
        "wall_s_median": round(med("wall_s"), 3),
        "sandbox_s_median": round(med("sandbox_s"), 3),
        "framework_s_median": round(med("framework_s"), 3),
        "git_commit_s_median": round(med("git_commit_s"), 3),
        "framework_ms_per_call_median": round(med("framework_ms_per_call"), 2),
        "framework_ms_per_call_min": round(min(s["framework_ms_per_call"] for s in samples), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="gateway calls for (a)")
    parser.add_argument("--runs", type=int, default=3, help="measured waterfall runs for (b)")
    args = parser.parse_args()
    results: dict[str, Any] = machine()
    with tempfile.TemporaryDirectory(prefix="softco-overhead-") as tmp:
        print(f"(a) {args.calls} gateway calls...", file=sys.stderr)
        results["gateway"] = gateway_calls(Path(tmp), args.calls)
        print(f"(b) {args.runs} scripted waterfall runs (+1 warm-up)...", file=sys.stderr)
        results["waterfall"] = waterfall(Path(tmp), args.runs)
    path = write_results("framework_overhead", results)
    g, w = results["gateway"], results["waterfall"]
    print(
        table(
            [
                (
                    "(a) Gateway.complete, µs/call (schema + ledger + event log)",
                    g["gateway_us_per_call"],
                ),
                (
                    "(a) of which the scripted transport itself, µs/call",
                    g["transport_only_us_per_call"],
                ),
                (
                    "(a) first / last tenth of the calls, µs/call",
                    f"{g['first_tenth_us_per_call']} / {g['last_tenth_us_per_call']}",
                ),
                (
                    "(a) same, no event log and in-memory ledger, µs/call",
                    g["no_event_log_in_memory_ledger_us_per_call"],
                ),
                (
                    "(b) waterfall LLM calls / sandbox runs",
                    f"{w['llm_calls']} / {w['sandbox_runs']}",
                ),
                ("(b) waterfall wall time, s (median)", w["wall_s_median"]),
                ("(b) of which sandboxed test/CLI runs, s", w["sandbox_s_median"]),
                (
                    "(b) of the framework time, git commits (subprocess), s",
                    w["git_commit_s_median"],
                ),
                (
                    "(b) framework-only overhead, ms per LLM call (median)",
                    w["framework_ms_per_call_median"],
                ),
            ]
        )
    )
    print(f"\nwritten to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
