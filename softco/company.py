"""The SDK: ``Company`` runs a brief through a workflow; ``resume`` continues a saved run.

A run directory holds everything: ``run.json`` (brief, mode, settings),
``events.jsonl``, ``ledger.jsonl``, ``checkpoints.sqlite`` (a LangGraph
checkpoint after every node), ``artifacts/``, ``workspace/`` (the generated
repo with its git history) and ``report.md`` / ``report.json``. The report and
the closing event are written in ``finally:`` — a run that fails, is killed
by a budget or interrupted still leaves an inspectable, resumable directory.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command
from pydantic import BaseModel

from softco.approvals import ApprovalRequest, Approver, auto_approve
from softco.artifacts import Brief, RunReport, depgraph
from softco.config import Settings
from softco.errors import BudgetExceeded, ConfigError, RunNotFound, SoftcoError, StopReason
from softco.events import (
    ApprovalRequested,
    EventLog,
    Notice,
    RunFinished,
    RunStarted,
    follow_events,
    holding_run,
    read_events,
)
from softco.llm import Gateway, Transport, UsageLedger
from softco.workflows.report import build_report
from softco.workflows.runtime import Runtime
from softco.workspace import Workspace

RUN_META = "run.json"
RECURSION_LIMIT = 500  # every loop is bounded by settings; this only guards a routing bug


class RunResult(BaseModel):
    run_id: str
    run_dir: Path
    workspace: Path
    stop_reason: StopReason
    report: RunReport
    error: str | None = None
    exit_code: int = 0
    """What the CLI exits with: 0 done, 1 error, 2 bad input, 3 model error, 4 budget,
    5 rejected at a gate, 130 interrupted."""

    @property
    def ok(self) -> bool:
        """Finished, and every delivered test ran and passed."""
        r = self.report
        return (
            self.stop_reason == StopReason.DONE
            and r.tests_total > 0
            and (r.tests_passed == r.tests_total)
        )


class Company:
    """A software company: give it a brief, get a tested repository.

    ``transport`` replaces the model (``ScriptedTransport``/``CassetteTransport``
    in tests and demos); ``approver`` answers approval gates (default: approve).
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        transport: Transport | None = None,
        approver: Approver | None = None,
        listeners: list[Callable[[Any], None]] | None = None,
    ):
        self.settings = settings or Settings.load()
        self.transport = transport
        self.approver = approver or auto_approve
        self.listeners = list(listeners or [])

    def run(
        self,
        brief: str,
        mode: str | None = None,
        *,
        run_dir: Path | None = None,
        repo: Path | None = None,
    ) -> RunResult:
        """Build ``brief`` (waterfall or agile); returns when the run stops for any reason."""
        Brief.parse(brief)
        mode = mode or self.settings.workflow.mode
        if mode not in ("waterfall", "agile"):
            raise ConfigError(f"unknown mode {mode!r}: use 'waterfall' or 'agile'")
        _check_gates(mode, self.settings.workflow.approve)
        if repo is not None and not Path(repo).is_dir():
            raise ConfigError(f"--repo {repo} is not a directory")
        run_id = time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
        run_dir = Path(run_dir) if run_dir else self.settings.runs_dir / run_id
        if (run_dir / RUN_META).exists():
            raise ConfigError(f"{run_dir} already holds a run: resume it or pick another --out")
        # Fail fast on a missing key or model before anything is written.
        Gateway(self.settings, transport=self.transport, cache=None).check_ready(
            roles=("pm", "critic", "judge", "architect", "coder", "tester", "reviewer")
        )
        run_dir.mkdir(parents=True, exist_ok=True)
        meta = {
            "run_id": run_id,
            "brief": brief,
            "mode": mode,
            "settings": json.loads(self.settings.model_dump_json()),
        }
        (run_dir / RUN_META).write_text(json.dumps(meta, indent=2), encoding="utf-8")
        initial: dict[str, Any] = {"brief": brief, "mode": mode}
        if repo is not None:
            initial.update(_seed_from_repo(Path(repo), run_dir / "workspace"))
        return self._execute(run_dir, run_id, brief, mode, initial, resumed=False)

    async def arun(self, brief: str, mode: str | None = None, **kwargs: Any) -> RunResult:
        """The async variant: the run executes in a worker thread."""
        return await asyncio.to_thread(self.run, brief, mode, **kwargs)

    @staticmethod
    def events(run_dir: Path, follow: bool = False) -> Iterator[Any]:
        """Typed events of a run: replayed from disk, or followed live until it finishes."""
        run_dir = Path(run_dir)
        if follow:
            return follow_events(run_dir)
        return read_events(run_dir)

    def _execute(
        self,
        run_dir: Path,
        run_id: str,
        brief: str,
        mode: str,
        initial: dict[str, Any] | None,
        resumed: bool,
    ) -> RunResult:
        """Run (or resume) holding the run's lock: followers can tell a crash from a pause."""
        with holding_run(run_dir):
            return self._execute_held(run_dir, run_id, brief, mode, initial, resumed)

    def _execute_held(
        self,
        run_dir: Path,
        run_id: str,
        brief: str,
        mode: str,
        initial: dict[str, Any] | None,
        resumed: bool,
    ) -> RunResult:
        settings = self.settings
        events = EventLog(run_dir, run_id)
        for listener in self.listeners:
            events.subscribe(listener)
        # first, so a segment of the run starts before anything it logs (report.active_time)
        events.emit(
            RunStarted(
                brief=brief,
                mode=mode,
                model=settings.llm.model,
                budget_usd=settings.budget.max_usd,
                budget_tokens=settings.budget.max_tokens,
                resumed=resumed,
            )
        )
        ledger = UsageLedger(settings.budget, run_dir / "ledger.jsonl")
        llm = Gateway(settings, transport=self.transport, ledger=ledger, events=events)
        workspace = Workspace(run_dir / "workspace", settings.sandbox)
        recall = _open_recall(settings, run_dir, run_id, events)
        rt = Runtime(
            settings=settings,
            llm=llm,
            events=events,
            workspace=workspace,
            run_dir=run_dir,
            run_id=run_id,
            recall=recall,
            approver=self.approver,
        )
        stop, error, state, code = StopReason.DONE, None, {}, 0
        conn = sqlite3.connect(run_dir / "checkpoints.sqlite", check_same_thread=False)
        try:
            llm.check_ready(roles=("pm", "architect", "coder", "tester"))
            graph = _build(mode, rt).compile(checkpointer=SqliteSaver(conn))
            state = _drive(graph, rt, initial)
            stop = StopReason(state.get("stop_reason") or "done")
        except BudgetExceeded as exc:
            stop, error, code = StopReason.BUDGET, str(exc), exc.exit_code
        except KeyboardInterrupt:
            stop, error = StopReason.INTERRUPTED, "interrupted by the user (resume to continue)"
            code = 130
        except SoftcoError as exc:
            stop, error, code = StopReason.ERROR, f"{type(exc).__name__}: {exc}", exc.exit_code
        except Exception as exc:  # a bug: still deliver the report, then surface it
            stop, error = StopReason.ERROR, f"internal error {type(exc).__name__}: {exc}"
            code = 1
        finally:
            if not state:
                state = _last_state(graph_state_conn=conn, run_id=run_id)
            conn.close()
            if error:
                events.emit(Notice(level="error", message=error))
            report = build_report(rt, state, mode, brief, stop, error, ledger)
            events.emit(
                RunFinished(
                    stop_reason=stop.value,
                    report_path="report.md",
                    total_tokens=ledger.totals().total_tokens,
                    total_cost_usd=round(ledger.totals().cost_usd, 6),
                    duration_s=report.duration_s,
                    tests_passed=report.tests_passed,
                    tests_total=report.tests_total,
                    error=error,
                )
            )
        return RunResult(
            run_id=run_id,
            run_dir=run_dir,
            workspace=run_dir / "workspace",
            stop_reason=stop,
            report=report,
            error=error,
            exit_code=code or (5 if stop == StopReason.REJECTED else 0),
        )


GATES_BY_MODE = {"waterfall": ("prd", "design"), "agile": ("sprint", "design")}


def _check_gates(mode: str, gates: list[str]) -> None:
    allowed = GATES_BY_MODE.get(mode, ())
    unknown = [g for g in gates if g not in allowed]
    if unknown:
        raise ConfigError(
            f"approval gate(s) {unknown} do not exist in {mode} mode; use {list(allowed)}"
        )


def _build(mode: str, rt: Runtime):
    from softco.workflows.agile import build_agile
    from softco.workflows.waterfall import build_waterfall

    return build_agile(rt) if mode == "agile" else build_waterfall(rt)


def _config(run_id: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": run_id}, "recursion_limit": RECURSION_LIMIT}


def _drive(graph: Any, rt: Runtime, initial: dict[str, Any] | None) -> dict[str, Any]:
    """Run to the end, answering approval interrupts through the run's approver."""
    config = _config(rt.run_id)
    payload: Any = initial
    while True:
        state = graph.invoke(payload, config)
        interrupts = state.get("__interrupt__") if isinstance(state, dict) else None
        if not interrupts:
            return dict(state)
        request = ApprovalRequest.model_validate(interrupts[0].value)
        rt.events.emit(
            ApprovalRequested(
                gate=request.gate,
                request_id=request.request_id,
                artifact_kind=request.artifact_kind,
                artifact=request.artifact,
            )
        )
        decision = rt.approve(request)
        payload = Command(resume=decision.model_dump(mode="json"))


def _checkpoint(conn: sqlite3.Connection, run_id: str) -> Any:
    """The newest checkpoint tuple of a run, or ``None`` (none yet, or unreadable)."""
    try:
        return SqliteSaver(conn).get_tuple({"configurable": {"thread_id": run_id}})
    except Exception:
        return None


def _stored_checkpoint(run_dir: Path, run_id: str) -> Any:
    """:func:`_checkpoint` for a run directory that may have no database at all."""
    db = run_dir / "checkpoints.sqlite"
    if not db.exists():
        return None
    conn = sqlite3.connect(db)
    try:
        return _checkpoint(conn, run_id)
    finally:
        conn.close()


def _last_state(graph_state_conn: sqlite3.Connection, run_id: str) -> dict[str, Any]:
    """The newest checkpointed state, for a report after a crash mid-graph."""
    tup = _checkpoint(graph_state_conn, run_id)
    return dict(tup.checkpoint.get("channel_values", {})) if tup else {}


def _seed_from_repo(repo: Path, workspace_dir: Path) -> dict[str, Any]:
    """Incremental mode: copy an existing repo in; its files become design nodes."""
    if not repo.is_dir():
        raise ConfigError(f"--repo {repo} is not a directory")
    shutil.copytree(
        repo,
        workspace_dir,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns(".git", "__pycache__", ".venv", "*.pyc"),
    )
    design = depgraph.design_from_repo(workspace_dir)
    return {"design": design.model_dump(mode="json")}


def _open_recall(settings: Settings, run_dir: Path, run_id: str, events: EventLog) -> Any:
    if not settings.memory.enabled:
        return None
    try:
        from softco.memory import open_recall

        return open_recall(settings, run_dir, run_id)
    except Exception as exc:  # memory must never stop a run
        events.emit(
            Notice(
                level="warning", message=f"memory unavailable ({exc}); continuing without retrieval"
            )
        )
        return None


def resume(
    run_dir: Path,
    settings: Settings | None = None,
    *,
    transport: Transport | None = None,
    approver: Approver | None = None,
    listeners: list[Callable[[Any], None]] | None = None,
    **overrides: Any,
) -> RunResult:
    """Continue a crashed, interrupted or budget-stopped run from its last checkpoint."""
    run_dir = Path(run_dir)
    meta_path = run_dir / RUN_META
    if not meta_path.exists():
        raise RunNotFound(f"{run_dir} is not a softco run directory (no {RUN_META})")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if settings is None:
        saved = meta.get("settings", {})
        for key, value in overrides.items():
            saved[key] = {**saved.get(key, {}), **value} if isinstance(value, dict) else value
        settings = Settings.model_validate(saved)
    company = Company(settings, transport=transport, approver=approver, listeners=listeners)
    checkpoint = _stored_checkpoint(run_dir, meta["run_id"])
    finished = _finished_result(run_dir, meta, checkpoint)
    if finished is not None:
        return finished
    # no checkpoint: the run died before its first node finished, so start it over
    initial = None if checkpoint is not None else {"brief": meta["brief"], "mode": meta["mode"]}
    return company._execute(
        run_dir, meta["run_id"], meta["brief"], meta["mode"], initial, resumed=True
    )


def _finished_result(run_dir: Path, meta: dict[str, Any], tup: Any) -> RunResult | None:
    """A run whose graph already reached its end: resuming it changes nothing."""
    report_path = run_dir / "artifacts" / "run_report.json"
    if not report_path.exists():
        return None
    if tup is None or tup.pending_writes or not tup.checkpoint.get("channel_values"):
        return None
    values = tup.checkpoint["channel_values"]
    report = RunReport.model_validate_json(report_path.read_text(encoding="utf-8"))
    if "__interrupt__" in values or report.stop_reason != StopReason.DONE:
        return None
    if not values.get("stop_reason"):
        return None
    return RunResult(
        run_id=meta["run_id"],
        run_dir=run_dir,
        workspace=run_dir / "workspace",
        stop_reason=report.stop_reason,
        report=report,
        error=None,
    )
