"""Roles against a scripted model: typed artifacts, prompt contents, memory, events."""

from __future__ import annotations

import pytest

from softco.artifacts import (
    PRD,
    Backlog,
    Brief,
    CodeFile,
    Critique,
    DebateVerdict,
    Design,
    Objection,
    Rebuttal,
    Retrospective,
    ReviewReport,
    SprintReview,
)
from softco.config import Settings
from softco.events import AgentMessage, EventLog, MemoryActivity, read_events
from softco.llm.scripted import ScriptedLLM
from softco.roles import RoleContext, architect, coder, critic, judge, pm, reviewer, tester

PRD_DATA = {
    "title": "Text Stats",
    "summary": "A command-line tool that counts words.",
    "features": ["count words", "command line"],
    "user_stories": [
        {
            "id": "US1",
            "title": "Count words",
            "story": "As a user I want word_count in textstats.core to count words.",
            "acceptance": [
                {
                    "text": "word_count returns the number of words",
                    "examples": [{"call": "word_count('a b')", "expected": "2"}],
                }
            ],
        },
        {
            "id": "US2",
            "title": "CLI",
            "story": "As a user I want a cli with main(argv) that prints the count.",
            "acceptance": ["main(['a b']) returns 0"],
        },
    ],
    "constraints": ["standard library only"],
}
DESIGN_DATA = {
    "summary": "core counts, cli parses argv.",
    "files": [
        {"path": "textstats/__init__.py", "responsibility": "package marker"},
        {
            "path": "textstats/core.py",
            "responsibility": "count words",
            "interface": [
                {"signature": "def word_count(text: str) -> int", "docstring": "Count words."}
            ],
        },
        {
            "path": "textstats/util.py",
            "responsibility": "helpers",
            "interface": [{"signature": "def secret_normaliser(text: str) -> str"}],
        },
        {
            "path": "textstats/cli.py",
            "responsibility": "command line",
            "kind": "cli",
            "interface": [{"signature": "def main(argv: list[str] | None = None) -> int"}],
            "depends_on": ["textstats/core.py"],
        },
    ],
    "entry_point": "textstats/cli.py",
}
OBJECTIONS = [
    Objection(id="O1", target="US1", text="What about empty text?"),
    Objection(id="O2", target="US2", text="Exit code on error is unspecified."),
]


@pytest.fixture
def prd() -> PRD:
    return PRD.model_validate(PRD_DATA)


@pytest.fixture
def design() -> Design:
    return Design.model_validate(DESIGN_DATA)


def make_ctx(tmp_path, replies: dict, recall=None, **settings) -> RoleContext:
    llm = ScriptedLLM(by_role=replies)
    events = EventLog(tmp_path / "run")
    return RoleContext(
        llm=llm, settings=Settings(**settings), events=events, recall=recall, phase="test"
    )


def prompt(ctx: RoleContext) -> str:
    return "\n".join(m["content"] for m in ctx.llm.transport.requests[-1].messages)


def messages(ctx: RoleContext) -> list:
    return [e for e in read_events(ctx.events.path) if isinstance(e, AgentMessage)]


def test_pm_writes_prd_and_says_so(tmp_path):
    ctx = make_ctx(tmp_path, {"pm": [PRD_DATA]})
    result = pm.write_prd(ctx, Brief(text="a word counter CLI"))
    assert isinstance(result, PRD)
    assert "a word counter CLI" in prompt(ctx)
    [msg] = messages(ctx)
    assert msg.role == "pm" and msg.phase == "test" and "Text Stats" in msg.text


def test_pm_answer_revise_backlog_retro(tmp_path, prd):
    backlog = {
        "features": ["f"],
        "stories": [{"title": "t", "description": "d", "acceptance": ["a"]}],
    }
    rebuttal = {"answers": [{"objection_id": "O1", "text": "added", "revised": True}]}
    retro = {"went_well": ["x"], "to_improve": [], "lessons": ["keep units small"]}
    ctx = make_ctx(tmp_path, {"pm": [rebuttal, PRD_DATA, backlog, retro]})
    answered = pm.answer(ctx, prd, OBJECTIONS)
    assert isinstance(answered, Rebuttal)
    assert "O1, O2" in prompt(ctx)
    assert isinstance(pm.revise(ctx, prd, OBJECTIONS, answered), PRD)
    assert "O1 (will change): added" in prompt(ctx)
    assert isinstance(pm.write_backlog(ctx, Brief(text="todo app")), Backlog)
    review = SprintReview(sprint=1, accepted=["S1"], returned=["S2"])
    assert isinstance(pm.retrospective(ctx, review, "3 passed, 1 failed"), Retrospective)
    assert "3 passed, 1 failed" in prompt(ctx)


def test_critic_caps_objections_and_fills_persona(tmp_path, prd):
    objs = [{"target": "US1", "text": f"problem {n}"} for n in range(5)]
    ctx = make_ctx(tmp_path, {"critic": [{"summary": "weak", "objections": objs}]})
    result = critic.critique(ctx, prd, "qa_skeptic")
    assert isinstance(result, Critique)
    assert len(result.objections) == 3
    assert {o.persona for o in result.objections} == {"qa_skeptic"}
    assert ctx.llm.transport.requests[-1].role == "critic:qa_skeptic"
    assert critic.PERSONAS["qa_skeptic"] in prompt(ctx)


def test_critic_rejects_unknown_persona(tmp_path, prd):
    with pytest.raises(ValueError, match="user_advocate"):
        critic.critique(make_ctx(tmp_path, {}), prd, "astrologer")


def test_judge_keeps_one_ruling_per_raised_objection(tmp_path, prd):
    verdict = {
        "summary": "mostly fine",
        "rulings": [
            {"objection_id": "O1", "verdict": "resolved"},
            {"objection_id": "O1", "verdict": "must_fix"},
            {"objection_id": "O9", "verdict": "must_fix"},
        ],
        "consensus": True,
    }
    ctx = make_ctx(tmp_path, {"judge": [verdict]})
    rebuttal = Rebuttal(answers=[{"objection_id": "O1", "text": "handled"}])
    result = judge.rule(ctx, prd, OBJECTIONS, rebuttal)
    assert isinstance(result, DebateVerdict)
    assert [(r.objection_id, r.verdict) for r in result.rulings] == [("O1", "must_fix")]
    assert not result.consensus


def test_judge_ignores_rulings_on_objections_never_raised(tmp_path, prd):
    verdict = {
        "summary": "fine",
        "rulings": [
            {"objection_id": "O2", "verdict": "waived"},
            {"objection_id": "O1", "verdict": "resolved"},
            {"objection_id": "O9", "verdict": "must_fix"},
        ],
        "consensus": False,
    }
    ctx = make_ctx(tmp_path, {"judge": [verdict]})
    result = judge.rule(ctx, prd, OBJECTIONS, Rebuttal(answers=[]))
    assert [r.objection_id for r in result.rulings] == ["O1", "O2"]
    assert result.consensus


def test_architect_designs_without_test_files(tmp_path, prd):
    data = {
        **DESIGN_DATA,
        "files": [
            *DESIGN_DATA["files"],
            {
                "path": "tests/test_core.py",
                "responsibility": "tests",
                "kind": "test",
                "depends_on": ["textstats/core.py"],
            },
        ],
    }
    ctx = make_ctx(tmp_path, {"architect": [data]})
    result = architect.design(ctx, prd)
    assert isinstance(result, Design)
    assert "tests/test_core.py" not in result.paths
    text = prompt(ctx)
    assert '"text_stats/"' in text and "def main(argv: list[str] | None = None) -> int" in text
    assert "Fix these problems" not in text


def test_architect_repair_prompt_lists_problems(tmp_path, prd, design):
    ctx = make_ctx(tmp_path, {"architect": [DESIGN_DATA]})
    problems = ["import cycle: a.py -> b.py -> a.py (each file depends on the next)"]
    architect.design(ctx, prd, problems=problems, existing=design)
    text = prompt(ctx)
    assert "Fix these problems in your previous design:" in text and problems[0] in text


def test_architect_extension_keeps_existing_files(tmp_path, prd, design):
    smaller = {"summary": "s", "files": [DESIGN_DATA["files"][1]]}
    ctx = make_ctx(tmp_path, {"architect": [smaller]})
    result = architect.design(ctx, prd, existing=design)
    assert set(result.paths) == set(design.paths)
    assert "keep them" in prompt(ctx)


def test_coder_sees_dependency_interface_only(tmp_path, prd, design):
    reply = {"path": "somewhere/else.py", "content": "def main(argv=None):\n    return 0\n"}
    ctx = make_ctx(tmp_path, {"coder": [reply]})
    result = coder.write_file(ctx, design.file("textstats/cli.py"), design, prd)
    assert isinstance(result, CodeFile)
    assert result.path == "textstats/cli.py"
    text = prompt(ctx)
    assert "from textstats.core import word_count" in text
    assert "def word_count(text: str) -> int" in text
    assert "secret_normaliser" not in text
    assert "parse_args(argv)" in text


def test_coder_repair_prompt_has_feedback_and_previous(tmp_path, prd, design):
    ctx = make_ctx(tmp_path, {"coder": [{"content": "def word_count(text):\n    return 1\n"}]})
    spec = design.file("textstats/core.py")
    coder.write_file(ctx, spec, design, prd, feedback="assert 1 == 2", previous="OLD BODY")
    text = prompt(ctx)
    assert "assert 1 == 2" in text and "OLD BODY" in text
    assert "parse_args" not in text
    assert "fixed textstats/core.py" in messages(ctx)[-1].text


def test_tester_writes_one_file_per_module(tmp_path, prd, design):
    ctx = make_ctx(tmp_path, {"tester": [{"content": "def test_x():\n    assert True\n"}]})
    result = tester.write_tests(ctx, design.file("textstats/core.py"), design, prd)
    assert result.path == "tests/test_core.py"
    assert "from textstats.core import word_count" in prompt(ctx)
    assert "word_count('a b') -> 2" in prompt(ctx)


def test_reviewer_drops_findings_on_unknown_files(tmp_path, design):
    report = {
        "summary": "one bug",
        "findings": [
            {"file": "textstats/cli.py", "line": 3, "severity": "blocker", "message": "argv"},
            {"file": "ghost.py", "severity": "major", "message": "?"},
        ],
    }
    ctx = make_ctx(tmp_path, {"reviewer": [report]})
    files = {"textstats/cli.py": "def main(argv=None):\n    return 0\n"}
    result = reviewer.review(ctx, design, files)
    assert isinstance(result, ReviewReport)
    assert [f.file for f in result.findings] == ["textstats/cli.py"]
    assert "  1 def main(argv=None):" in prompt(ctx)


class FakeRecall:
    def __init__(self, text="", error=None):
        self.text, self.error, self.calls = text, error, []

    def for_role(self, role, task_text, token_budget, already):
        self.calls.append((role, token_budget))
        if self.error:
            raise self.error
        return self.text, [type("Hit", (), {"source": "[lesson:retro]"})()]


def test_memory_notes_go_into_the_prompt(tmp_path):
    recall = FakeRecall("Always validate empty input.")
    ctx = make_ctx(tmp_path, {"pm": [PRD_DATA]}, recall=recall)
    pm.write_prd(ctx, Brief(text="word counter"))
    assert "Relevant notes from memory:\nAlways validate empty input." in prompt(ctx)
    assert recall.calls == [("pm", 400)]
    [event] = [e for e in read_events(ctx.events.path) if isinstance(e, MemoryActivity)]
    assert event.action == "retrieved" and event.count == 1 and event.sources == ["[lesson:retro]"]


def test_broken_memory_never_breaks_a_role(tmp_path):
    ctx = make_ctx(tmp_path, {"pm": [PRD_DATA]}, recall=FakeRecall(error=RuntimeError("down")))
    assert isinstance(pm.write_prd(ctx, Brief(text="word counter")), PRD)
    assert "Relevant notes" not in prompt(ctx)


def test_memory_budget_zero_skips_recall(tmp_path):
    recall = FakeRecall("note")
    ctx = make_ctx(
        tmp_path, {"pm": [PRD_DATA]}, recall=recall, llm={"roles": {"pm": {"memory_tokens": 0}}}
    )
    pm.write_prd(ctx, Brief(text="word counter"))
    assert recall.calls == []


def test_coder_gets_only_the_stories_naming_its_file(tmp_path, prd, design):
    ctx = make_ctx(tmp_path, {"coder": [{"content": "def word_count(text):\n    return 1\n"}]})
    coder.write_file(ctx, design.file("textstats/core.py"), design, prd)
    assert "US1 Count words" in prompt(ctx) and "US2 CLI" not in prompt(ctx)


def test_code_cut_off_at_max_tokens_keeps_the_complete_functions():
    from softco.roles.schemas import CodeOnly

    raw = (
        '{"content": "from m import f\\n\\ndef test_a():\\n    assert f(1) == 1\\n\\n'
        "def test_b():\\n    assert f(2) == 2\\n    assert f(3"
    )
    salvaged = CodeOnly.salvage(raw)
    assert salvaged is not None and "def test_a" in salvaged.content
    assert "test_b" not in salvaged.content  # it was cut mid-body
    assert CodeOnly.salvage('{"content": "x = (') is None
    assert CodeOnly.salvage("not json at all") is None


def test_gateway_salvages_a_truncated_code_reply_instead_of_reasking():
    from softco.llm import Gateway, RawCompletion
    from softco.roles.schemas import CodeOnly

    class Truncating:
        calls = 0

        def constrains(self, model):
            return True

        def send(self, request):
            Truncating.calls += 1
            return RawCompletion(
                text='{"content": "def test_a():\\n    assert 1 == 1\\n\\ndef test_b():\\n    as',
                finish_reason="length",
            )

    reply = Gateway(Settings.load(), transport=Truncating()).complete(
        [{"role": "user", "content": "tests"}], CodeOnly, role="tester"
    )
    assert "def test_a" in reply.parsed.content and Truncating.calls == 1


def test_newlines_a_model_unescaped_inside_string_literals_are_rejoined():
    from softco.roles.schemas import CodeOnly

    broken = "def test_out(capsys):\n    print(10)\n    assert capsys.readouterr().out == '10\n'\n"
    fixed = CodeOnly(content=broken).content
    assert "== '10\\n'" in fixed
    compile(fixed, "t.py", "exec")


def test_a_revision_that_drops_a_story_gets_it_back():
    from softco.artifacts import PRD
    from softco.demo_script import PRD as DEMO_PRD
    from softco.roles.pm import _keep_stories

    before = PRD.model_validate(DEMO_PRD)
    assert len(before.user_stories) >= 2
    shorter = before.model_copy(update={"user_stories": before.user_stories[:1]})
    kept = _keep_stories(shorter, before)
    assert [s.id for s in kept.user_stories] == [s.id for s in before.user_stories]


def test_a_def_without_parentheses_is_repaired():
    from softco.roles.schemas import CodeOnly

    fixed = CodeOnly(content="def test_adds:\n    assert 1\n").content
    assert fixed.startswith("def test_adds():")


def test_code_is_read_from_a_fenced_block_not_from_json():
    import pytest

    from softco.roles.schemas import CodeOnly

    reply = 'Here it is:\n```python\nprint("quotes \\"are\\" fine")\n```\nDone.'
    assert CodeOnly.from_text(reply).content == 'print("quotes \\"are\\" fine")\n'
    assert CodeOnly.from_text('{"content": "x = 1"}').content == "x = 1\n"  # cassettes
    assert CodeOnly.from_text("x = 1\ny = 2").content == "x = 1\ny = 2\n"
    cut = "```python\ndef f():\n    return 1\n\n\ndef g():\n    return ("
    assert CodeOnly.salvage(cut).content == "def f():\n    return 1\n"
    with pytest.raises(ValueError, match="python block"):
        CodeOnly.from_text("I cannot do that.")


def test_code_requests_are_unconstrained_and_reasked_for_a_block():
    from softco.llm import ScriptedLLM
    from softco.roles.schemas import CodeOnly

    llm = ScriptedLLM(["Sorry, no.", "```python\nx = 1\n```"])
    reply = llm.complete([{"role": "user", "content": "write x"}], CodeOnly, role="coder")
    assert reply.parsed.content == "x = 1\n" and reply.attempts == 2
    first, second = llm.transport.requests
    assert first.json_schema is None and first.schema_name == "CodeOnly"
    assert "```python block" in second.messages[-1]["content"]
