"""How often does the model write a right file or function at all? (issue #8's ceiling)

Selection techniques — best-of-N, agreement between programs and tests,
splicing functions across candidates — can only pick among what the model
writes. This script measures that ceiling with a perfect judge: for each
brief of a finished eval run (``softco eval`` / ``benchmarks/ablation.py``
output) it samples the coder's real prompt N times, puts each sample into a
copy of the delivered workspace and runs the brief's hidden acceptance tests
on it. A unit counts as "right" when every acceptance test that names it
passes with the rest of the delivered repo as it is — so a function whose tests
go through another, wrong function of the repo (logstats' ``count_levels``
through ``parse_line``) cannot count: read function rows with that in mind.

    python benchmarks/sampling_bound.py RUNS_DIR [--only textkit,logstats]
        [--samples 6] [--temperature 0.8] [--unit file|function]

``RUNS_DIR`` holds one folder per brief (``.../full/runs/waterfall``); the
first sample of each unit is at temperature 0, the rest at ``--temperature``
with a new seed each. The PRD stories the coder saw in the run are used, so
the prompt is the pipeline's own. Results go to
``benchmarks/results/sampling_bound_<unit>.json``. Minutes per brief on 2 cores.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

for _key, _value in {
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "ORT_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "HF_HUB_OFFLINE": "1",
}.items():
    os.environ.setdefault(_key, _value)

from bench_common import machine, write_results  # noqa: E402

from softco.artifacts import PRD, Design, FileSpec  # noqa: E402
from softco.config import Settings  # noqa: E402
from softco.llm.engine import get_engine  # noqa: E402
from softco.llm.local_provider import configure_local, resolve_model_path  # noqa: E402
from softco.quality.reshape import add_function  # noqa: E402
from softco.roles.base import render  # noqa: E402
from softco.roles.coder import file_prompt_vars, function_prompt_vars  # noqa: E402
from softco.roles.schemas import CodeOnly  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TASKS = ROOT / "tasks" / "public_briefs.jsonl"


def file_prompt(spec: FileSpec, design: Design, prd: PRD) -> str:
    return render("coder.write", **file_prompt_vars(spec, design, prd))


def function_prompt(spec: FileSpec, name: str, design: Design, prd: PRD) -> str:
    return render("coder.function", **function_prompt_vars(spec, name, design, prd))


def tests_using(acceptance: str, names: set[str]) -> list[str]:
    """The acceptance tests whose body names one of ``names``."""
    tree = ast.parse(acceptance)
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and node.name.startswith("test")
        and names
        & (
            {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
            | {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
        )
    ]


def passes(workspace: Path, path: str, content: str, acceptance: str, tests: list[str]) -> bool:
    """Whether ``tests`` all pass with ``content`` at ``path`` in a copy of ``workspace``."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "w"
        shutil.copytree(workspace, copy, ignore=shutil.ignore_patterns(".git", "tests"))
        (copy / path).write_text(content, encoding="utf-8")
        (copy / "test_acceptance.py").write_text(acceptance, encoding="utf-8")
        select = [f"test_acceptance.py::{name}" for name in tests] or ["test_acceptance.py"]
        try:
            run = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    *select,
                ],
                cwd=copy,
                capture_output=True,
                text=True,
                timeout=30,  # a sampled loop that never ends is a wrong sample
            )
        except subprocess.TimeoutExpired:
            return False
        return run.returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("runs", type=Path, help="folder with one finished run per brief")
    parser.add_argument("--only", default="", help="comma-separated brief names")
    parser.add_argument("--samples", type=int, default=6)
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--unit", choices=["file", "function"], default="file")
    parser.add_argument("--max-tokens", type=int, default=0, help="default: the coder's cap")
    args = parser.parse_args(argv)

    briefs = {json.loads(line)["name"]: json.loads(line) for line in TASKS.open()}
    only = [n for n in args.only.split(",") if n] or sorted(briefs)
    settings = Settings.load()
    model_name, _, max_tokens = settings.llm.for_role("coder")
    if not model_name.startswith("local/"):
        parser.error(f"the coder's model is {model_name}: this measures the embedded model")
    configure_local(settings.local, settings.home)
    engine = get_engine(resolve_model_path(model_name.removeprefix("local/")), settings.local.n_ctx)
    system = render("coder.system")
    rows: list[dict[str, Any]] = []
    for name in only:
        run = args.runs / name
        if not (run / "artifacts" / "design.json").exists() or name not in briefs:
            print(f"{name}: no finished run in {args.runs}", file=sys.stderr)
            continue
        design = Design.model_validate_json((run / "artifacts/design.json").read_text())
        prd = PRD.model_validate_json((run / "artifacts/prd.json").read_text())
        acceptance = briefs[name]["acceptance_tests"]
        for spec in design.files:
            if not (run / "workspace" / spec.path).exists():
                print(f"{name}: {spec.path} was not delivered", file=sys.stderr)
                continue
            delivered = (run / "workspace" / spec.path).read_text(encoding="utf-8")
            if args.unit == "file":
                units = [
                    (spec.path, {fn.name for fn in spec.interface}, file_prompt(spec, design, prd))
                ]
            else:
                units = [
                    (fn.name, {fn.name}, function_prompt(spec, fn.name, design, prd))
                    for fn in spec.interface
                    if fn.signature.startswith("def ")
                ]
            for unit, names, prompt in units:
                tests = tests_using(acceptance, names)
                if not tests:
                    continue
                right, seconds = 0, 0.0
                for n in range(args.samples):
                    start = time.perf_counter()
                    reply = engine.chat(
                        {
                            "messages": [
                                {"role": "system", "content": system},
                                {"role": "user", "content": prompt},
                            ],
                            "temperature": args.temperature if n else 0.0,
                            "seed": settings.local.seed + n,
                            "max_tokens": args.max_tokens or max_tokens,
                            "repeat_penalty": settings.local.repeat_penalty,
                        }
                    )
                    seconds += time.perf_counter() - start
                    try:  # the pipeline's own reading of a reply
                        code = CodeOnly.from_text(reply["choices"][0]["message"]["content"]).content
                    except ValueError:
                        code = ""
                    if args.unit == "function":
                        code = add_function(delivered, code, unit) or ""  # replaces it
                    right += bool(code) and passes(
                        run / "workspace", spec.path, code, acceptance, tests
                    )
                rows.append(
                    {
                        "brief": name,
                        "unit": unit,
                        "tests": tests,
                        "right": right,
                        "samples": args.samples,
                        "seconds": round(seconds, 1),
                    }
                )
                print(f"| {name} | {unit} | {right}/{args.samples} | {len(tests)} |", flush=True)
    path = write_results(
        f"sampling_bound_{args.unit}",
        {
            **machine(),
            "unit": args.unit,
            "temperature": args.temperature,
            "runs": str(args.runs),
            "rows": rows,
        },
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
