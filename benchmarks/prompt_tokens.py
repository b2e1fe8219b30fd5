"""Prompt tokens per coder call vs a "whole repo in context" baseline, on the same run.

Run: ``python benchmarks/prompt_tokens.py [--width 4] [--depth 4]``. Prints a
markdown table and writes ``benchmarks/results/prompt_tokens.json``.

Why: DESIGN.md promises a coder sees its spec, its stories and its direct
dependencies' *interfaces* — never the whole repo — so a small local model's
context stays short and its prefill cheap. This measures the promise: for
every coder request of a run, its prompt size next to the same prompt plus the
full text of every other file of the final repo (what a coder that is handed
the whole repository would read). Tokens are estimated as characters / 4,
the same estimate the scripted transport puts in the ledger.

Two runs: the scripted textstats waterfall (``demo_transport``, 3 source
files) and the synthetic 16-file, depth-4 design of ``synthesis.py`` (code
node only), because the gap grows with the size of the repo.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import bench_settings, machine, write_results
from synthesis import PATH_IN_PROMPT, coder_reply, layered_design, synthesise

from softco import Company
from softco.demo_script import BRIEF, demo_transport
from softco.llm import CompletionRequest, ScriptedTransport

SKIP_PARTS = {".git", "__pycache__", ".pytest_cache"}


def tokens(chars: int) -> float:
    return chars / 4


def repo_files(root: Path) -> dict[str, str]:
    """Every text file of the final repo (what a whole-repo coder would be given)."""
    files = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not SKIP_PARTS & set(rel.parts):
            try:
                files[rel.as_posix()] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
    return files


def compare(requests: list[CompletionRequest], repo: dict[str, str]) -> dict[str, Any]:
    """Per coder call: its prompt, and its prompt plus every other repo file in full."""
    ours, baseline = [], []
    for request in requests:
        found = PATH_IN_PROMPT.search(request.messages[-1]["content"])
        own = found.group(1) if found else ""
        chars = sum(len(m["content"]) for m in request.messages)
        others = sum(len(text) for path, text in repo.items() if path != own)
        ours.append(tokens(chars))
        baseline.append(tokens(chars + others))
    return {
        "coder_calls": len(requests),
        "repo_files": len(repo),
        "repo_tokens": round(tokens(sum(len(t) for t in repo.values()))),
        "prompt_tokens_mean": round(statistics.mean(ours)),
        "prompt_tokens_max": round(max(ours)),
        "baseline_tokens_mean": round(statistics.mean(baseline)),
        "baseline_tokens_max": round(max(baseline)),
        "baseline_over_ours_mean": round(statistics.mean(baseline) / statistics.mean(ours), 2),
    }


def demo_run(root: Path) -> dict[str, Any]:
    transport = demo_transport()
    result = Company(bench_settings(root), transport=transport).run(BRIEF, run_dir=root / "demo")
    if not result.ok:
        raise SystemExit(f"scripted waterfall did not finish cleanly: {result.error}")
    coders = [r for r in transport.requests if r.role == "coder"]
    return compare(coders, repo_files(result.workspace))


def layered_run(root: Path, width: int, depth: int) -> dict[str, Any]:
    design = layered_design(width, depth)
    transport = ScriptedTransport(default=coder_reply(design))
    synthesise(root, design, concurrency=4, delay_s=0.0, transport=transport)
    return compare(transport.requests, repo_files(root / "ws"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=4, help="files per generation (synthetic)")
    parser.add_argument("--depth", type=int, default=4, help="generations (synthetic)")
    args = parser.parse_args()
    results: dict[str, Any] = machine()
    with tempfile.TemporaryDirectory(prefix="softco-prompt-") as tmp:
        print("scripted textstats waterfall...", file=sys.stderr)
        results["textstats_waterfall"] = demo_run(Path(tmp) / "a")
        print(f"synthetic {args.width * args.depth}-file design...", file=sys.stderr)
        results["layered_16"] = layered_run(Path(tmp) / "b", args.width, args.depth)
    path = write_results("prompt_tokens", results)
    head = (
        "| run | coder calls | repo files (tokens) | ours mean / max | "
        "whole-repo mean / max | ratio (mean) |\n|---|---|---|---|---|---|"
    )
    print(head)
    for name in ("textstats_waterfall", "layered_16"):
        r = results[name]
        print(
            f"| {name} | {r['coder_calls']} | {r['repo_files']} ({r['repo_tokens']}) | "
            f"{r['prompt_tokens_mean']} / {r['prompt_tokens_max']} | "
            f"{r['baseline_tokens_mean']} / {r['baseline_tokens_max']} | "
            f"{r['baseline_over_ours_mean']}× |"
        )
    print(f"\nwritten to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
