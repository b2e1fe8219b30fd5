"""Synthesis wall time on a 16-file, depth-4 design against a slow (2 s/call) provider.

Run: ``python benchmarks/synthesis.py [--delay 2.0] [--width 4] [--depth 4]
[--concurrency 4 1]``. Prints a markdown table and writes
``benchmarks/results/synthesis.json``.

Why: with a real provider a coder call costs seconds, so synthesis time is set
by how many calls run one after another. Writing a generation's files
concurrently should bring it near the critical-path bound (depth × delay)
instead of the sequential cost (files × delay). Only the code node runs here
(called once per generation, as the graph does), with the real gateway, static
gates, workspace writes and git commits, so the gap to the bound is exactly
the framework's. The scripted coder answers with code that passes the gates,
so no re-ask inflates the count; the call count is checked and reported.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import bench_settings, machine, table, write_results

from softco.artifacts import Design, FileSpec, depgraph
from softco.events import EventLog
from softco.llm import CompletionRequest, Gateway, ScriptedTransport
from softco.quality import gates
from softco.workflows.build import code_node
from softco.workflows.runtime import Runtime
from softco.workspace import Workspace

PACKAGE = "synth"
PATH_IN_PROMPT = re.compile(r"Write the file (\S+?):")


def layered_design(width: int, depth: int, fan_in: int = 2) -> Design:
    """``depth`` generations of ``width`` files; each file uses ``fan_in`` of the previous."""
    files = []
    for g in range(depth):
        for i in range(width):
            deps = [f"{PACKAGE}/g{g - 1}_f{(i + k) % width}.py" for k in range(fan_in)] if g else []
            files.append(
                {
                    "path": f"{PACKAGE}/g{g}_f{i}.py",
                    "responsibility": f"Layer {g} step {i}: combines the results of layer {g - 1}.",
                    "interface": [
                        {
                            "signature": f"def step_g{g}_f{i}(x: int) -> int",
                            "docstring": f"Layer {g} value of x.",
                        }
                    ],
                    "depends_on": sorted(set(deps)),
                }
            )
    return Design.model_validate({"summary": "A layered pipeline.", "files": files})


PRD_DATA = {
    "title": "synth",
    "summary": "A layered pipeline of small functions.",
    "features": ["pipeline"],
    "user_stories": [
        {
            "id": "US1",
            "title": "Pipeline",
            "story": "As a user I want values.",
            "acceptance": [{"text": "step functions return ints"}],
        }
    ],
}


def module_code(spec: FileSpec, design: Design) -> str:
    """Gate-clean code for ``spec``: imports its dependencies' functions and calls them."""
    imported = []
    lines = [f'"""{spec.responsibility}"""', ""]
    for dep in spec.depends_on:
        names = [fn.name for fn in design.file(dep).interface]
        lines.append(f"from {depgraph.module_name(dep)} import {', '.join(names)}")
        imported += names
    lines.append("")
    for fn in spec.interface:
        calls = " + ".join(f"{name}(x)" for name in imported) or "x"
        lines += ["", f"{fn.signature}:", f'    """{fn.docstring}"""', f"    return {calls} + 1"]
    return "\n".join(lines) + "\n"


def coder_reply(design: Design):
    """The scripted coder: finds the file named in the prompt, answers its code."""

    def reply(request: CompletionRequest) -> dict[str, str]:
        found = PATH_IN_PROMPT.search(request.messages[-1]["content"])
        if found is None:
            raise KeyError("no 'Write the file <path>:' line in the coder prompt")
        return {"content": module_code(design.file(found.group(1)), design)}

    return reply


def synthesise(
    root: Path,
    design: Design,
    concurrency: int,
    delay_s: float,
    transport: ScriptedTransport | None = None,
) -> dict[str, Any]:
    """Run the code node once per generation, as the graph would; time the whole.

    Pass ``transport`` to read its ``requests`` afterwards (prompt_tokens.py does).
    """
    settings = bench_settings(
        root,
        workflow={"concurrency": concurrency, "static_gates": True, "max_files": len(design.files)},
    )
    transport = transport or ScriptedTransport(default=coder_reply(design), delay_s=delay_s)
    events = EventLog(root / "run", "synth")
    rt = Runtime(
        settings=settings,
        llm=Gateway(settings, transport=transport, events=events),
        events=events,
        workspace=Workspace(root / "ws", settings.sandbox),
        run_dir=root / "run",
        run_id="synth",
    )
    generations = depgraph.generations(design)
    state: dict[str, Any] = {
        "design": design.model_dump(mode="json"),
        "prd": PRD_DATA,
        "generations": generations,
        "gen_index": 0,
    }
    node = code_node(rt)
    per_gen = []
    start = time.perf_counter()
    for _ in generations:
        t0 = time.perf_counter()
        state.update(node(state))
        per_gen.append(round(time.perf_counter() - t0, 3))
    wall = time.perf_counter() - start
    failing = [
        s.path for s in design.files if gates.check_module(s, rt.workspace.read(s.path), design)
    ]
    return {
        "concurrency": concurrency,
        "wall_s": round(wall, 3),
        "per_generation_s": per_gen,
        "llm_calls": len(transport.requests),
        "gate_failures": failing,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=2.0, help="seconds per model call")
    parser.add_argument("--width", type=int, default=4, help="files per generation")
    parser.add_argument("--depth", type=int, default=4, help="generations")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[4, 1])
    args = parser.parse_args()
    design = layered_design(args.width, args.depth)
    files = len(design.files)
    assert len(depgraph.generations(design)) == args.depth
    bound, sequential = args.depth * args.delay, files * args.delay
    results: dict[str, Any] = {
        **machine(),
        "files": files,
        "depth": args.depth,
        "delay_s": args.delay,
        "critical_path_bound_s": bound,
        "sequential_s": sequential,
        "runs": [],
    }
    rows: list[tuple[str, Any]] = [
        ("design", f"{files} files, {args.depth} generations, {args.delay} s per call"),
        ("critical-path bound / sequential, s", f"{bound} / {sequential}"),
    ]
    for conc in args.concurrency:
        print(f"concurrency={conc}...", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="softco-synth-") as tmp:
            run = synthesise(Path(tmp), design, conc, args.delay)
        run["wall_over_bound"] = round(run["wall_s"] / bound, 3)
        run["wall_over_sequential"] = round(run["wall_s"] / sequential, 3)
        run["overhead_over_ideal_s"] = round(
            run["wall_s"] - args.delay * sum(-(-args.width // conc) for _ in range(args.depth)), 3
        )
        results["runs"].append(run)
        rows += [
            (f"c={conc}: wall, s", run["wall_s"]),
            (f"c={conc}: wall / critical-path bound", run["wall_over_bound"]),
            (f"c={conc}: wall / sequential", run["wall_over_sequential"]),
            (f"c={conc}: s above its ideal (waves × delay)", run["overhead_over_ideal_s"]),
            (
                f"c={conc}: LLM calls (files: {files}) / gate failures",
                f"{run['llm_calls']} / {len(run['gate_failures'])}",
            ),
        ]
    walls = {r["concurrency"]: r["wall_s"] for r in results["runs"]}
    if len(walls) > 1:
        fast, slow = max(walls), min(walls)
        results["speedup"] = round(walls[slow] / walls[fast], 2)
        rows.append((f"speedup c={fast} over c={slow}", results["speedup"]))
    path = write_results("synthesis", results)
    print(table(rows))
    print(f"\nwritten to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
