"""Ablation of the small-model techniques on the public briefs (issue #8's table).

Each row is one configuration of ``workflow`` switches; each row runs
``softco eval`` on the same task file (hidden acceptance tests, mutation
check) with the embedded model at temperature 0, one brief at a time, and the
table compares rows per brief and in total. Rows run one after another — on
two cores two model runs at once only measure contention — and each keeps its
own output folder, so an interrupted ablation resumes where it stopped (eval
runs are resumable) and finished rows are only re-read.

    python benchmarks/ablation.py [--rows full,baseline] [--only roman,todo] [--mutants 10]

A row's figures: briefs whose acceptance tests all pass, acceptance tests
passed, delivered suites that are green (own tests), entry points that run,
mutation kill rate (killed / total over repos with mutants), median and
total wall time, tokens. Expect about 5–8 minutes per brief on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from bench_common import RESULTS_DIR, machine, write_results

ROOT = Path(__file__).resolve().parent.parent
TASKS = ROOT / "tasks" / "public_briefs.jsonl"

ROWS: dict[str, dict[str, Any]] = {
    "full": {},
    "no-pin": {"pin_interface": False},
    "no-oracle": {"compute_examples": False},
    "no-gates": {"static_gates": False},
    "no-cases": {"test_cases": False},
    "no-agreement": {"best_of": 1},
    "no-agreed-values": {"agreed_values": False},
    "no-recheck": {"recheck_rewrites": False},
    "no-miss-guard": {"shared_miss_guard": False},
    "no-finding-rules": {"finding_rules": False},
    "no-state-layout": {"state_layout": False},
    "no-line-format": {"line_format": False},
    "no-unit-table": {"unit_table": False},
    "no-repair": {"test_rounds": 0},
    "no-debate": {"debate_rounds": 0},
    "no-unit-rewrite": {"unit_samples": 0},
    "unit-repair": {"repair_units": 6},
    "baseline": {
        "pin_interface": False,
        "compute_examples": False,
        "static_gates": False,
        "test_cases": False,
        "best_of": 1,
        "agreed_values": False,
        "unit_samples": 0,
        "repair_units": 0,
        "recheck_rewrites": False,
        "shared_miss_guard": False,
        "finding_rules": False,
        "state_layout": False,
        "line_format": False,
        "unit_table": False,
    },
}


def run_row(name: str, tasks: Path, out: Path, mutants: int) -> list[dict[str, Any]]:
    """Run (or resume) one row with ``softco eval`` and return its result lines."""
    config = {"workflow": ROWS[name], "llm": {"cache": False}}
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        yaml.safe_dump(config, f)
    cmd = [
        sys.executable,
        "-m",
        "softco.cli",
        "eval",
        str(tasks),
        "--jobs",
        "1",
        "--mutants",
        str(mutants),
        "--out",
        str(out),
        "--config",
        f.name,
    ]
    print(f"## row {name}: {' '.join(cmd[2:])}", flush=True)
    subprocess.run(cmd, check=False, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    os.unlink(f.name)
    return read_rows(out)


def read_rows(out: Path) -> list[dict[str, Any]]:
    path = out / "results.jsonl"
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    latest = {r["task"]: r for r in rows if r.get("config") == "waterfall"}
    return list(latest.values())


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    scored = [r for r in rows if r.get("status") == "scored"]
    full = [
        r
        for r in scored
        if r.get("acceptance_total") and r["acceptance_passed"] == r["acceptance_total"]
    ]
    green = [r for r in scored if r.get("tests_total") and r["tests_passed"] == r["tests_total"]]
    killed = sum(r.get("mutants_killed") or 0 for r in scored)
    mutants = sum(r.get("mutants_total") or 0 for r in scored)
    walls = [r["wall_s"] for r in scored if r.get("wall_s")]
    return {
        "briefs": len(rows),
        "all_acceptance_pass": len(full),
        "acceptance": f"{sum(r.get('acceptance_passed') or 0 for r in scored)}/"
        f"{sum(r.get('acceptance_total') or 0 for r in scored)}",
        "own_suite_green": len(green),
        "entry_ok": sum(1 for r in scored if r.get("entrypoint_ok")),
        "mutation_kill": f"{killed}/{mutants}" + (f" ({killed / mutants:.0%})" if mutants else ""),
        "median_min": round(statistics.median(walls) / 60, 1) if walls else None,
        "total_min": round(sum(walls) / 60, 1),
        "tokens": sum(r.get("tokens") or 0 for r in scored),
    }


def per_brief(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| brief | acceptance | own tests | entry point | mutants killed | min | tokens |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in sorted(rows, key=lambda r: r["task"]):
        entry = {True: "runs", False: "fails", None: "-"}[r.get("entrypoint_ok")]
        mut = f"{r['mutants_killed']}/{r['mutants_total']}" if r.get("mutants_total") else "-"
        lines.append(
            f"| {r['task']} | {r.get('acceptance_passed', 0)}/{r.get('acceptance_total', 0)} "
            f"| {r.get('tests_passed', 0)}/{r.get('tests_total', 0)} | {entry} | {mut} "
            f"| {(r.get('wall_s') or 0) / 60:.1f} | {r.get('tokens', 0)} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="full,baseline", help=f"of: {', '.join(ROWS)}")
    parser.add_argument("--tasks", type=Path, default=TASKS)
    parser.add_argument("--only", default="", help="comma-separated brief names")
    parser.add_argument("--mutants", type=int, default=10)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "ablation")
    args = parser.parse_args()
    tasks = args.tasks
    wanted: set[str] = set()
    if args.only:
        wanted = set(args.only.split(","))
        lines = [ln for ln in tasks.read_text().splitlines() if json.loads(ln)["name"] in wanted]
        tasks = args.out / "tasks-subset.jsonl"
        tasks.parent.mkdir(parents=True, exist_ok=True)
        tasks.write_text("\n".join(lines) + "\n")
    summary: dict[str, Any] = {**machine(), "tasks": str(tasks), "rows": {}}
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    for name in args.rows.split(","):
        rows = run_row(name, tasks, args.out / name, args.mutants)
        label = name if not args.only else f"{name} ({', '.join(sorted(wanted))})"
        summary["rows"][label] = {"summary": summarise(rows), "commit": commit, "briefs": rows}
        print("\n".join(per_brief(rows)), flush=True)
    head = "| row | " + " | ".join(next(iter(summary["rows"].values()))["summary"]) + " |"
    print("\n" + head + "\n|" + "---|" * (head.count("|") - 1))
    for name, row in summary["rows"].items():
        print(f"| {name} | " + " | ".join(str(v) for v in row["summary"].values()) + " |")
    # rows measured earlier (other rows, other subsets) are kept beside the new ones
    previous = RESULTS_DIR / "ablation.json"
    if previous.exists():
        earlier = json.loads(previous.read_text()).get("rows", {})
        summary["rows"] = {
            **{k: v for k, v in earlier.items() if k not in summary["rows"]},
            **summary["rows"],
        }
    write_results("ablation", summary)


if __name__ == "__main__":
    main()
