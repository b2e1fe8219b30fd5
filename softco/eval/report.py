"""The batch summary: a markdown table per configuration and per task, and bar charts.

Averages are taken over scored rows only, and the error count sits beside them,
so a configuration that crashed on half the tasks cannot look good by
averaging its easy half.
"""

from __future__ import annotations

from pathlib import Path
from statistics import mean

SUMMARY_FILE = "summary.md"
QUALITY_PLOT = "quality.png"
TESTS_PLOT = "tests.png"


def _avg(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(mean(present), 4) if present else None


def _ratio(rows: list[dict], passed: str, total: str) -> tuple[int, int]:
    return (sum(r.get(passed) or 0 for r in rows), sum(r.get(total) or 0 for r in rows))


def aggregate(rows: list[dict]) -> dict[str, dict]:
    """Per configuration: means of the metrics and sums of the counts."""
    out: dict[str, dict] = {}
    for config in sorted({r["config"] for r in rows}):
        mine = [r for r in rows if r["config"] == config]
        ok = [r for r in mine if r["status"] == "scored"]
        tp, tt = _ratio(ok, "tests_passed", "tests_total")
        ap, at = _ratio(ok, "acceptance_passed", "acceptance_total")
        mk, mt = _ratio(ok, "mutants_killed", "mutants_total")
        out[config] = {
            "tasks": len(mine),
            "errors": len(mine) - len(ok),
            **{
                k: _avg([r.get(k) for r in ok])
                for k in ("quality", "completeness", "executability", "consistency")
            },
            "tests": (tp, tt),
            "acceptance": (ap, at),
            "mutants": (mk, mt),
            "tokens": sum(r.get("tokens") or 0 for r in ok),
            "cost_usd": round(sum(r.get("cost_usd") or 0.0 for r in ok), 4),
            "wall_s": round(sum(r.get("wall_s") or 0.0 for r in ok), 1),
        }
    return out


def _fmt(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, tuple):
        passed, total = value
        return f"{passed}/{total}" if total else "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _table(header: list[str], lines: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_fmt(v) for v in line) + " |" for line in lines]
    return out


def summary_markdown(rows: list[dict]) -> str:
    """The ``summary.md`` text."""
    agg = aggregate(rows)
    lines = [
        "# softco evaluation",
        "",
        "quality = completeness × executability × consistency (ChatDev). "
        "Mutants: share of code mutants the repo's own tests kill.",
        "",
    ]
    lines += _table(
        [
            "config",
            "tasks",
            "errors",
            "quality",
            "completeness",
            "executability",
            "consistency",
            "tests",
            "acceptance",
            "mutants killed",
            "tokens",
            "cost $",
            "wall s",
        ],
        [
            [
                c,
                a["tasks"],
                a["errors"],
                a["quality"],
                a["completeness"],
                a["executability"],
                a["consistency"],
                a["tests"],
                a["acceptance"],
                a["mutants"],
                a["tokens"],
                a["cost_usd"],
                a["wall_s"],
            ]
            for c, a in agg.items()
        ],
    )
    lines += ["", "## Per task", ""]
    lines += _table(
        [
            "task",
            "config",
            "status",
            "stop",
            "quality",
            "tests",
            "acceptance",
            "mutants",
            "files",
            "lines",
            "tokens",
            "wall s",
        ],
        [
            [
                r["task"],
                r["config"],
                r["status"],
                r.get("stop_reason"),
                r.get("quality"),
                (r.get("tests_passed") or 0, r.get("tests_total") or 0),
                (r.get("acceptance_passed") or 0, r.get("acceptance_total") or 0),
                (r.get("mutants_killed") or 0, r.get("mutants_total") or 0),
                r.get("files"),
                r.get("lines"),
                r.get("tokens"),
                r.get("wall_s"),
            ]
            for r in sorted(rows, key=lambda r: (r["task"], r["config"]))
        ],
    )
    errors = [r for r in rows if r.get("error")]
    if errors:
        lines += ["", "## Errors", ""]
        lines += [
            f"- **{r['task']}** ({r['config']}): {r['error'].splitlines()[0][:300]}" for r in errors
        ]
    return "\n".join(lines) + "\n"


def _bars(path: Path, title: str, series: dict[str, list[float]], configs: list[str]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(max(6.0, 1.6 * len(configs) * len(series) / 2), 4))
    width = 0.8 / max(1, len(series))
    for i, (label, values) in enumerate(series.items()):
        xs = [x + i * width for x in range(len(configs))]
        ax.bar(xs, values, width=width, label=label)
    ax.set_xticks([x + width * (len(series) - 1) / 2 for x in range(len(configs))], configs)
    ax.set_ylim(0, 1.05)
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=len(series), fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def write_report(rows: list[dict], out_dir: Path) -> list[Path]:
    """Write ``summary.md`` and the comparison plots; return their paths."""
    out_dir = Path(out_dir)
    summary = out_dir / SUMMARY_FILE
    summary.write_text(summary_markdown(rows), encoding="utf-8")
    agg = aggregate(rows)
    configs = list(agg)
    if not configs:
        return [summary]

    def share(pair: tuple[int, int]) -> float:
        return pair[0] / pair[1] if pair[1] else 0.0

    metric_names = ("quality", "completeness", "executability", "consistency")
    _bars(
        out_dir / QUALITY_PLOT,
        "ChatDev metrics (mean per configuration)",
        {m: [agg[c][m] or 0.0 for c in configs] for m in metric_names},
        configs,
    )
    _bars(
        out_dir / TESTS_PLOT,
        "Tests passed (share per configuration)",
        {k: [share(agg[c][k]) for c in configs] for k in ("tests", "acceptance", "mutants")},
        configs,
    )
    return [summary, out_dir / QUALITY_PLOT, out_dir / TESTS_PLOT]
