"""End-to-end runs on the scripted demo model: both modes, limits, resume and gates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from softco import ApprovalDecision, Company, Settings, StopReason, resume
from softco.demo_script import BRIEF, DESIGN, demo_transport
from softco.events import read_events, run_is_live
from softco.llm import ScriptedTransport


def settings(**over) -> Settings:
    base = {"memory": {"enabled": False}, "workflow": {"concurrency": 2}}
    for key, value in over.items():
        base[key] = {**base.get(key, {}), **value}
    return Settings.load(**base)


def test_waterfall_builds_a_repo_whose_tests_pass(tmp_path):
    result = Company(settings(), transport=demo_transport()).run(BRIEF, run_dir=tmp_path / "r")
    assert result.stop_reason == StopReason.DONE and result.ok
    assert result.report.tests_total == 8 and result.report.tests_passed == 8  # 7 + 1 regression
    ws = result.workspace
    assert (ws / "textstats" / "core.py").exists() and (ws / "README.md").exists()
    assert "python -m textstats.cli" in (ws / "README.md").read_text()
    kinds = [e.type for e in read_events(result.run_dir)]
    assert kinds[0] == "run_started" and kinds[-1] == "run_finished"
    design = next(e for e in read_events(result.run_dir) if e.type == "design_ready")
    assert design.generations[-1] == ["textstats/cli.py"]  # cli after what it imports
    assert (result.run_dir / "report.md").read_text().count("8/8 passed") == 1
    assert "consensus" in result.report.debate


def test_files_of_a_generation_are_written_before_their_dependents(tmp_path):
    result = Company(settings(), transport=demo_transport()).run(BRIEF, run_dir=tmp_path / "r")
    order = [
        e.path
        for e in read_events(result.run_dir)
        if e.type == "file_status" and e.status == "written"
    ]
    assert order.index("textstats/core.py") < order.index("textstats/cli.py")


def test_agile_runs_sprints_until_the_backlog_is_done(tmp_path):
    s = settings(workflow={"sprint_capacity": 2, "max_sprints": 4})
    result = Company(s, transport=demo_transport()).run(BRIEF, "agile", run_dir=tmp_path / "r")
    assert result.stop_reason == StopReason.DONE, result.error
    assert [r.sprint for r in result.report.sprints] == [1, 2]
    accepted = [i for r in result.report.sprints for i in r.accepted]
    assert sorted(accepted) == ["S1", "S2"]
    boards = [e for e in read_events(result.run_dir) if e.type == "backlog_updated"]
    assert all(s["status"] == "done" for s in boards[-1].stories)


def test_debate_is_bounded_when_the_judge_never_agrees(tmp_path):
    transport = demo_transport()
    never = {
        "summary": "Still open.",
        "consensus": False,
        "rulings": [{"objection_id": "O1", "verdict": "must_fix", "reason": "no"}],
    }
    inner = transport.default

    def stubborn(request):
        return never if request.role == "judge" else inner(request)

    transport.default = stubborn
    s = settings(workflow={"debate_rounds": 2})
    result = Company(s, transport=transport).run(BRIEF, run_dir=tmp_path / "r")
    judge_calls = [r for r in transport.requests if r.role == "judge"]
    assert len(judge_calls) == 2
    assert "no consensus" in result.report.debate


@pytest.mark.parametrize("consensus, revisions", [(True, 0), (False, 1)])
def test_an_objection_the_judge_leaves_unruled_is_revised_for_only_without_consensus(
    tmp_path, consensus, revisions
):
    """A 1.5B judge rules on some objections only; its declared consensus is respected."""
    transport = demo_transport()
    partial = {
        "summary": "Fine.",
        "consensus": consensus,
        "rulings": [{"objection_id": "O1", "verdict": "resolved", "reason": "answered"}],
    }
    inner = transport.default
    transport.default = lambda r: partial if r.role == "judge" else inner(r)
    result = Company(settings(), transport=transport).run(BRIEF, run_dir=tmp_path / "r")
    prds = [r for r in transport.requests if r.role == "pm" and r.schema_name == "PRD"]
    assert result.ok and len(prds) == 1 + revisions
    said = [e.text for e in read_events(result.run_dir) if e.type == "agent_message"]
    assert any(("waived" if consensus else "treated as must-fix") in t for t in said)


def test_a_model_that_always_writes_broken_code_stops_in_bounded_time(tmp_path):
    transport = demo_transport()
    inner = transport.default

    def broken(request):
        if request.role == "coder":
            return {"content": "def nothing(:\n"}
        return inner(request)

    transport.default = broken
    s = settings(workflow={"test_rounds": 2, "review_rounds": 1})
    result = Company(s, transport=transport).run(BRIEF, run_dir=tmp_path / "r")
    assert result.stop_reason == StopReason.DONE
    assert not result.ok and result.report.tests_passed == 0
    assert len(transport.requests) < 60


def test_token_budget_stops_cleanly_and_resume_finishes(tmp_path):
    run_dir = tmp_path / "r"
    result = Company(settings(budget={"max_tokens": 3000}), transport=demo_transport()).run(
        BRIEF, run_dir=run_dir
    )
    assert result.stop_reason == StopReason.BUDGET
    assert (run_dir / "report.md").exists() and "budget" in (run_dir / "report.md").read_text()
    assert [e.type for e in read_events(run_dir)][-1] == "run_finished"
    resumed = resume(run_dir, transport=demo_transport(), budget={"max_tokens": None})
    assert resumed.stop_reason == StopReason.DONE and resumed.ok


def test_prd_gate_reject_then_approve(tmp_path):
    decisions = iter(
        [
            ApprovalDecision(decision="reject", comment="add a --top option"),
            ApprovalDecision(decision="approve"),
        ]
    )
    seen = []

    def approver(request):
        seen.append(request)
        return next(decisions)

    s = settings(workflow={"approve": ["prd"]})
    result = Company(s, transport=demo_transport(), approver=approver).run(
        BRIEF, run_dir=tmp_path / "r"
    )
    assert [r.gate for r in seen] == ["prd", "prd"] and seen[0].artifact["title"] == "textstats"
    assert result.ok
    resolved = [e.decision for e in read_events(result.run_dir) if e.type == "approval_resolved"]
    assert resolved == ["reject", "approve"]


def test_design_gate_edit_replaces_the_artifact(tmp_path):
    edited = {**DESIGN, "summary": "Edited by a human."}

    def approver(request):
        return ApprovalDecision(decision="edit", edited=edited)

    s = settings(workflow={"approve": ["design"]})
    result = Company(s, transport=demo_transport(), approver=approver).run(
        BRIEF, run_dir=tmp_path / "r"
    )
    assert result.ok
    assert "Edited by a human." in (result.run_dir / "artifacts" / "design.json").read_text()


def test_bad_briefs_are_refused_before_anything_runs(tmp_path):
    from softco.errors import BriefInvalid

    company = Company(settings(), transport=ScriptedTransport())
    with pytest.raises(BriefInvalid, match="empty"):
        company.run("   ", run_dir=tmp_path / "a")
    with pytest.raises(BriefInvalid, match="shorten"):
        company.run("x" * 20_001, run_dir=tmp_path / "b")
    assert not (tmp_path / "a").exists()


CHILD = textwrap.dedent("""
    import sys
    from softco import Company, Settings
    from softco.demo_script import BRIEF, demo_transport
    s = Settings.load(memory={"enabled": False})
    Company(s, transport=demo_transport(delay_s=0.4)).run(BRIEF, run_dir=sys.argv[1])
""")


def test_sigkill_mid_run_then_resume_loses_and_duplicates_nothing(tmp_path):
    run_dir = tmp_path / "r"
    env = {**os.environ, "SOFTCO_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(run_dir)], env=env)
    deadline = time.time() + 60
    while time.time() < deadline:
        log = run_dir / "events.jsonl"
        if log.exists() and '"phase":"code"' in log.read_text():
            break
        time.sleep(0.1)
    assert run_is_live(run_dir) is True  # the child holds the run while it runs
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (run_dir / "report.md").exists()  # it really died mid-run
    assert run_is_live(run_dir) is False  # the kernel dropped the lock with the process
    result = resume(run_dir, transport=demo_transport())
    assert result.stop_reason == StopReason.DONE and result.ok
    assert result.report.tests_passed == 8  # 7 and 1 regression test
    events = list(read_events(run_dir))
    assert [e.type for e in events].count("run_finished") == 1
    seqs = [e.seq for e in events]
    assert seqs == sorted(set(seqs))  # one continuous log, no duplicated lines
    prds = [e for e in events if e.type == "artifact_saved" and e.kind == "prd"]
    assert len(prds) == 1  # the PRD was not redone after the resume


def test_a_follower_tells_a_killed_run_from_a_quiet_one(tmp_path, monkeypatch):
    import threading

    from softco.errors import RunBusy
    from softco.events import EventLog, RunStarted, follow_events, holding_run
    from softco.events import log as event_log

    monkeypatch.setattr(event_log, "DEAD_CHECK_S", 0.05)
    run_dir = tmp_path / "r"
    EventLog(run_dir, "x").emit(RunStarted(brief="b", mode="waterfall", model="m"))
    with holding_run(run_dir):
        # a second process resuming the same run is refused
        with pytest.raises(RunBusy, match="another softco process"), holding_run(run_dir):
            pass
        quiet: list[str] = []
        stop = threading.Event()
        threading.Timer(0.6, stop.set).start()
        seen = list(follow_events(run_dir, stop.is_set, poll_s=0.02, problems=quiet))
        assert [e.type for e in seen] == ["run_started"] and quiet == []  # still waiting
    started = time.monotonic()
    seen = list(follow_events(run_dir, poll_s=0.02))
    assert time.monotonic() - started < 5  # it did not wait forever
    assert [e.type for e in seen] == ["run_started", "notice"]
    assert "ended without finishing" in seen[-1].message and "softco resume" in seen[-1].message
    assert seen[-1].ts == seen[0].ts  # dated when the run went silent (the TUI's clock)


def test_memory_feeds_prompts_and_lessons_carry_across_projects(tmp_path):
    s = Settings.load(home=tmp_path / "home", workflow={"sprint_capacity": 5, "max_sprints": 1})
    first = Company(s, transport=demo_transport()).run(BRIEF, "agile", run_dir=tmp_path / "a")
    assert first.stop_reason == StopReason.DONE, first.error
    assert "ready" in first.report.memory_status
    transport = demo_transport()
    second = Company(s, transport=transport).run(BRIEF, "agile", run_dir=tmp_path / "b")
    retrieved = [
        e for e in read_events(second.run_dir) if e.type == "memory" and e.action == "retrieved"
    ]
    assert retrieved, "no role got memory context"
    assert any("lesson" in src for e in retrieved for src in e.sources)
    prompts = [m["content"] for r in transport.requests for m in r.messages]
    assert any("Counter.most_common gives a stable order" in p for p in prompts)


def test_a_design_that_never_becomes_acyclic_stops_with_a_clear_error(tmp_path):
    cyclic = {
        "summary": "a and b import each other",
        "files": [
            {
                "path": "a.py",
                "responsibility": "A",
                "depends_on": ["b.py"],
                "interface": [{"signature": "def fa() -> int"}],
            },
            {
                "path": "b.py",
                "responsibility": "B",
                "depends_on": ["a.py"],
                "interface": [{"signature": "def fb() -> int"}],
            },
        ],
    }
    transport = demo_transport()
    inner = transport.default
    transport.default = lambda r: cyclic if r.role == "architect" else inner(r)
    s = settings(workflow={"design_repairs": 2})
    result = Company(s, transport=transport).run(BRIEF, run_dir=tmp_path / "r")
    assert result.stop_reason == StopReason.ERROR
    assert "DesignInvalid" in result.error and "repairs" in result.error
    architect_calls = [r for r in transport.requests if r.role == "architect"]
    assert len(architect_calls) == 3  # first try + 2 repairs, each told the cycle
    assert "a.py" in architect_calls[-1].messages[-1]["content"]
    assert (result.run_dir / "report.md").exists()


def test_valid_but_empty_artifacts_are_refused_not_built_on(tmp_path):
    transport = demo_transport()
    inner = transport.default
    empty_prd = {"title": "x", "summary": "", "features": [], "user_stories": []}
    transport.default = lambda r: empty_prd if r.schema_name == "PRD" else inner(r)
    result = Company(settings(), transport=transport).run(BRIEF, run_dir=tmp_path / "r")
    assert result.stop_reason == StopReason.ERROR
    assert "no user stories" in result.error
    assert len([r for r in transport.requests if r.schema_name == "PRD"]) == 3


def test_ctrl_c_mid_run_is_interrupted_and_resumable(tmp_path):
    transport = demo_transport()
    inner = transport.default

    def interrupt_once(request):
        if request.role == "tester" and not getattr(interrupt_once, "done", False):
            interrupt_once.done = True
            raise KeyboardInterrupt
        return inner(request)

    transport.default = interrupt_once
    run_dir = tmp_path / "r"
    result = Company(settings(), transport=transport).run(BRIEF, run_dir=run_dir)
    assert result.stop_reason == StopReason.INTERRUPTED
    again = resume(run_dir, transport=demo_transport())
    assert again.ok and again.report.tests_passed == 8


def test_incremental_mode_reads_an_existing_repo_into_the_design(tmp_path):
    from softco.demo_script import CODE

    repo = tmp_path / "existing"
    for path, text in CODE.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
    transport = demo_transport()
    result = Company(settings(), transport=transport).run(
        "add a --top option to the textstats CLI", run_dir=tmp_path / "r", repo=repo
    )
    assert result.ok, result.error
    architect = next(r for r in transport.requests if r.role == "architect")
    prompt = architect.messages[-1]["content"]
    assert "textstats/core.py" in prompt and "word_count" in prompt  # existing nodes shown


def test_resuming_a_finished_run_changes_nothing(tmp_path):
    first = Company(settings(), transport=demo_transport()).run(BRIEF, run_dir=tmp_path / "r")
    before = (tmp_path / "r" / "events.jsonl").read_text()
    again = resume(tmp_path / "r", transport=ScriptedTransport())  # no model call allowed
    assert again.ok and again.report.run_id == first.report.run_id
    assert (tmp_path / "r" / "events.jsonl").read_text() == before


def test_a_run_that_died_before_its_first_checkpoint_resumes_from_the_start(tmp_path):
    first = Company(settings(), transport=demo_transport()).run(BRIEF, run_dir=tmp_path / "r")
    (first.run_dir / "checkpoints.sqlite").unlink()
    (first.run_dir / "artifacts" / "run_report.json").unlink()
    again = resume(first.run_dir, transport=demo_transport())
    assert again.ok


def test_gates_that_do_not_exist_in_a_mode_are_refused(tmp_path):
    from softco.errors import ConfigError

    s = settings(workflow={"approve": ["sprint"]})
    with pytest.raises(ConfigError, match="do not exist in waterfall"):
        Company(s, transport=demo_transport()).run(BRIEF, run_dir=tmp_path / "r")


def test_following_a_resumed_run_reads_to_its_last_finish(tmp_path):
    run_dir = tmp_path / "r"
    Company(settings(budget={"max_tokens": 3000}), transport=demo_transport()).run(
        BRIEF, run_dir=run_dir
    )
    resume(run_dir, transport=demo_transport(), budget={"max_tokens": None})
    followed = list(Company.events(run_dir, follow=True))
    finishes = [e for e in followed if e.type == "run_finished"]
    assert [f.stop_reason for f in finishes] == ["budget", "done"]


def test_parallel_calls_cannot_overshoot_the_token_budget_together(tmp_path):
    s = settings(budget={"max_tokens": 4000}, workflow={"concurrency": 4})
    result = Company(s, transport=demo_transport(delay_s=0.2)).run(BRIEF, run_dir=tmp_path / "r")
    assert result.stop_reason == StopReason.BUDGET
    assert result.report.total.total_tokens <= 4000


def test_a_resumed_runs_report_counts_every_segment_but_not_the_downtime(tmp_path):
    from softco.events import EventLog, Notice, RunFinished, RunStarted
    from softco.workflows.report import active_time

    log = EventLog(tmp_path, "x")
    log.emit(RunStarted(brief="b", mode="waterfall", model="m", ts=100.0))
    log.emit(Notice(level="info", message="working", ts=160.0))  # then killed: no finish
    log.emit(RunStarted(brief="b", mode="waterfall", model="m", resumed=True, ts=1000.0))
    assert active_time(tmp_path, started=1000.0, now=1030.0) == (100.0, 90.0)
    log.emit(RunFinished(stop_reason="budget", report_path="report.md", ts=1030.0))
    log.emit(RunStarted(brief="b", mode="waterfall", model="m", resumed=True, ts=2000.0))
    assert active_time(tmp_path, started=2000.0, now=2005.0) == (100.0, 95.0)
    assert active_time(tmp_path / "none", started=5.0, now=7.0) == (5.0, 2.0)


def test_review_findings_on_a_green_suite_are_reported_not_rewritten():
    from softco.workflows.routing import after_review

    blocking = {"findings": [{"severity": "major", "message": "vague"}]}
    green = {"cases": [{"name": "t::a", "outcome": "passed"}]}
    red = {"cases": [{"name": "t::a", "outcome": "failed"}]}
    state = {"review": blocking, "test_report": green, "review_round": 0}
    assert after_review(state, 1, green_fixes=False) == "deliver"
    assert after_review(state, 1, green_fixes=True) == "fix_review"
    assert after_review({**state, "test_report": red}, 1, green_fixes=False) == "fix_review"
    assert after_review({**state, "test_report": red, "review_round": 1}, 1) == "deliver"
    assert after_review({**state, "test_report": {"cases": []}}, 1, False) == "fix_review"
    timed_out = {**green, "timed_out": True}
    assert after_review({**state, "test_report": timed_out}, 1, False) == "fix_review"
    skipped = {"cases": [*green["cases"], {"name": "t::b", "outcome": "skipped"}]}
    assert after_review({**state, "test_report": skipped}, 1, False) == "deliver"


def test_a_blocking_review_on_a_green_demo_build_keeps_the_tested_code(tmp_path):
    transport = demo_transport()
    inner = transport.default
    fixes = []

    def answer(request):
        if request.role == "reviewer":
            return {
                "summary": "Defects found.",
                "findings": [
                    {
                        "file": "textstats/core.py",
                        "line": 1,
                        "severity": "major",
                        "message": "Does not meet the design.",
                        "suggested_fix": "Rewrite it.",
                    }
                ],
            }
        if request.role == "coder" and "Reviewer findings" in request.messages[-1]["content"]:
            fixes.append(request)
        return inner(request)

    transport.default = answer
    result = Company(settings(), transport=transport).run(BRIEF, run_dir=tmp_path / "r")
    assert result.stop_reason == StopReason.DONE
    assert result.report.tests_passed == result.report.tests_total and fixes == []
    assert "Does not meet the design." in (result.run_dir / "artifacts/review.json").read_text()
    transport = demo_transport()
    inner = transport.default
    transport.default = answer
    on = settings(workflow={"review_green_fixes": True})
    Company(on, transport=transport).run(BRIEF, run_dir=tmp_path / "on")
    assert len(fixes) == 1
