"""Artifact models: validators, tolerance to small-model quirks, schemas (no LLM)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from softco.artifacts import (
    LLM_FACING,
    PRD,
    Backlog,
    Brief,
    CodeFile,
    Critique,
    DebateRound,
    DebateTranscript,
    DebateVerdict,
    Design,
    Finding,
    Objection,
    ReviewReport,
    TestCase,
    TestReport,
    TestSuite,
    plan_sprint,
    schema_for,
)
from softco.errors import BriefInvalid


def messages(exc: ValidationError) -> str:
    """What the re-ask shows the model: the validator messages."""
    return " | ".join(e["msg"] for e in exc.errors())


def prd(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Calc",
        "summary": "A calculator.",
        "features": ["add"],
        "user_stories": [
            {"title": "Add", "story": "As a user I want to add", "acceptance": ["2+3 is 5"]}
        ],
    }
    return data | changes


def test_brief_strips_and_rejects_empty_or_huge() -> None:
    assert Brief.parse("  a todo CLI \n").text == "a todo CLI"
    with pytest.raises(BriefInvalid, match="the brief is empty"):
        Brief.parse("   ")
    with pytest.raises(BriefInvalid, match="shorten it to at most 20,000"):
        Brief.parse("x" * 20_001)


def test_prd_accepts_string_criteria_and_numbers_stories() -> None:
    doc = PRD.model_validate(prd())
    story = doc.user_stories[0]
    assert story.id == "US1"
    assert story.acceptance[0].text == "2+3 is 5"
    assert doc.story("US1") is story


def test_prd_rejects_story_without_criteria_readably() -> None:
    stories = [{"id": "US7", "title": "Add", "story": "As a user...", "acceptance": []}]
    with pytest.raises(ValidationError) as info:
        PRD.model_validate(prd(user_stories=stories))
    assert "user story 'US7' has no acceptance criteria: give at least one" in messages(info.value)


def test_prd_rejects_duplicate_story_ids() -> None:
    story = {"id": "US1", "title": "A", "story": "s", "acceptance": ["c"]}
    with pytest.raises(ValidationError) as info:
        PRD.model_validate(prd(user_stories=[story, story]))
    assert "story id(s) ['US1'] are used twice" in messages(info.value)


def design(files: list[dict[str, Any]], **extra: Any) -> Design:
    return Design.model_validate({"summary": "s", "files": files, **extra})


def test_design_tolerates_harmless_variations() -> None:
    d = design(
        [
            {"path": " ./calc/ops.py ", "responsibility": "ops"},
            {"path": "calc/stats.py", "responsibility": "stats", "depends_on": ["ops.py"]},
            {
                "path": "calc/cli.py",
                "responsibility": "cli",
                "depends_on": ["./calc/ops.py", "calc/ops.py", "calc.stats", "os", "pytest"],
            },
        ],
        entry_point="calc.cli",
    )
    assert d.paths == ["calc/ops.py", "calc/stats.py", "calc/cli.py"]
    assert d.file("calc/stats.py").depends_on == ["calc/ops.py"]
    assert d.file("calc/cli.py").depends_on == ["calc/ops.py", "calc/stats.py"]
    assert d.entry_point == "calc/cli.py"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ([], "the design has no files: list at least one .py file"),
        (
            [{"path": "a.py", "responsibility": "r", "depends_on": ["a.py"]}],
            "a.py lists itself in depends_on: remove it",
        ),
        (
            [{"path": "a.py", "responsibility": "r", "depends_on": ["requests"]}],
            "third-party packages go in 'dependencies'",
        ),
        ([{"path": "../../etc/passwd", "responsibility": "r"}], "leaves the project: remove '..'"),
        ([{"path": "/abs/x.py", "responsibility": "r"}], "is absolute"),
        ([{"path": "pkg\\x.py", "responsibility": "r"}], "use forward slashes"),
        ([{"path": ".git/x.py", "responsibility": "r"}], "hidden part '.git'"),
        ([{"path": "README.md", "responsibility": "r"}], "design files must end in '.py'"),
        ([{"path": "2fast.py", "responsibility": "r"}], "'2fast' must be a Python identifier"),
        ([{"path": "class.py", "responsibility": "r"}], "not a keyword"),
        ([{"path": "json.py", "responsibility": "r"}], "rename it, e.g. 'json_utils.py'"),
    ],
)
def test_design_validator_messages_are_fit_for_a_reask(
    files: list[dict[str, Any]], expected: str
) -> None:
    with pytest.raises(ValidationError) as info:
        design(files)
    assert expected in messages(info.value)


def test_design_rejects_unknown_entry_point_and_bad_signature() -> None:
    with pytest.raises(ValidationError) as info:
        design([{"path": "a.py", "responsibility": "r"}], entry_point="main.py")
    assert "entry_point 'main.py' is not a file of this design" in messages(info.value)
    bad = [{"path": "a.py", "responsibility": "r", "interface": [{"signature": "def f(a b)"}]}]
    with pytest.raises(ValidationError) as info:
        design(bad)
    assert "signature 'def f(a b)' is not valid Python" in messages(info.value)


def test_design_allows_cycles_so_they_can_be_reported() -> None:
    d = design(
        [
            {"path": "a.py", "responsibility": "r", "depends_on": ["b.py"]},
            {"path": "b.py", "responsibility": "r", "depends_on": ["a.py"]},
        ]
    )
    assert d.file("a.py").depends_on == ["b.py"]


def test_code_file_strips_fences_and_checks_paths() -> None:
    f = CodeFile(path="./calc/ops.py", content="```python\ndef add(a, b):\n    return a + b\n```")
    assert (f.path, f.content) == ("calc/ops.py", "def add(a, b):\n    return a + b\n")
    assert CodeFile(path="README.md", content="# Calc").content == "# Calc\n"
    with pytest.raises(ValidationError, match="leaves the project"):
        CodeFile(path="../x.py", content="")


def test_test_suite_needs_collectable_files() -> None:
    with pytest.raises(ValidationError) as info:
        TestSuite(files=[CodeFile(path="tests/ops_check.py", content="")])
    assert "would not be collected by pytest: name it test_<something>.py" in messages(info.value)
    with pytest.raises(ValidationError, match="no files"):
        TestSuite(files=[])


def test_debate_consensus_cannot_contradict_rulings() -> None:
    verdict = DebateVerdict.model_validate(
        {
            "summary": "one open issue",
            "consensus": True,
            "rulings": [
                {"objection_id": "O1", "verdict": "Resolved"},
                {"objection_id": "O2", "verdict": "must fix"},
            ],
        }
    )
    assert verdict.consensus is False
    assert verdict.must_fix == ["O2"]
    objections = Critique(
        summary="weak", objections=[Objection(target="US1", text="vague", severity="major")]
    ).numbered("qa_skeptic", start=2)
    assert (objections[0].id, objections[0].persona) == ("O2", "qa_skeptic")
    rnd = DebateRound(
        number=1, objections=[*objections, Objection(id="O9", target="PRD", text="x")]
    )
    rnd.verdict = verdict
    assert rnd.unruled() == ["O9"]
    transcript = DebateTranscript(rounds=[rnd])
    assert transcript.summary() == "1 round, 2 objections (1 must fix, 1 resolved); no consensus"
    assert DebateTranscript().summary() == "no debate"


def test_test_report_counts_and_trims_failures() -> None:
    report = TestReport(
        cases=[
            TestCase(name="tests/test_a.py::test_ok", outcome="passed"),
            TestCase(
                name="tests/test_a.py::test_bad", outcome="failed", message="x" * 5000 + "END"
            ),
            TestCase(name="tests/test_b.py::test_err", outcome="error", message="ImportError"),
            TestCase(name="tests/test_b.py::test_skip", outcome="skipped"),
        ]
    )
    assert (report.passed, report.failed, report.errors, report.skipped, report.total) == (
        1,
        1,
        1,
        1,
        4,
    )
    assert not report.ok
    bad = report.cases[1]
    assert len(bad.message) < 2100 and bad.message.endswith("END") and "trimmed" in bad.message
    text = report.failure_text()
    assert "tests/test_a.py::test_bad FAILED" in text and "ImportError" in text
    assert "test_ok" not in text
    assert TestReport(cases=[TestCase(name="t", outcome="passed")]).ok
    assert not TestReport().ok
    assert "no tests ran" in TestReport(output="collection error").failure_text()


def test_review_severity_aliases_and_blocking() -> None:
    review = ReviewReport.model_validate(
        {
            "summary": "ok",
            "findings": [
                {"file": "./a.py", "line": 3, "severity": "Critical", "message": "crash"},
                {"file": "a.py", "severity": "major", "message": "wrong"},
                {"file": "b.py", "severity": "low", "message": "naming"},
            ],
        }
    )
    assert [f.severity for f in review.findings] == ["blocker", "major", "info"]
    assert len(review.blocking) == 2
    assert list(review.by_file()) == ["a.py"]
    with pytest.raises(ValidationError):
        Finding(file="a.py", severity="catastrophic", message="?")


def test_backlog_and_sprint_planning() -> None:
    backlog = Backlog.model_validate(
        {
            "features": ["add", "history", "export"],
            "stories": [
                {
                    "title": "export",
                    "description": "d",
                    "priority": 3,
                    "points": 2,
                    "acceptance": [{"text": "writes csv"}],
                },
                {
                    "title": "add",
                    "description": "d",
                    "priority": 1,
                    "points": 3,
                    "acceptance": ["2+3 is 5"],
                },
                {
                    "title": "history",
                    "description": "d",
                    "priority": 2,
                    "points": 3,
                    "acceptance": ["shows last"],
                },
            ],
        }
    )
    assert [s.id for s in backlog.stories] == ["S1", "S2", "S3"]
    assert backlog.story("S1").acceptance == ["writes csv"]
    sprint = plan_sprint(backlog, number=1, capacity=5)
    assert sprint.story_ids == ["S2", "S1"]  # add (p1, 3pt) + export (p3, 2pt) fit in 5
    assert backlog.story("S2").status == "in_sprint"
    assert plan_sprint(backlog, number=2, capacity=1).story_ids == ["S3"]  # too big, still taken
    assert plan_sprint(backlog, number=3, capacity=5).goal == "no work left"
    with pytest.raises(ValidationError, match="no acceptance criteria"):
        Backlog.model_validate(
            {"features": [], "stories": [{"title": "t", "description": "d", "acceptance": [" "]}]}
        )


def _walk(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [*node, *(k for v in node.values() for k in _walk(v))]
    if isinstance(node, list):
        return [k for v in node for k in _walk(v)]
    return []


@pytest.mark.parametrize("model", LLM_FACING, ids=lambda m: m.__name__)
def test_llm_schemas_are_simple_and_described(model: type[BaseModel]) -> None:
    schema = schema_for(model)
    json.loads(json.dumps(schema))
    keys = set(_walk(schema))
    assert not keys & {"pattern", "$ref", "$defs"}
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    for name, field in model.model_fields.items():
        assert field.description, f"{model.__name__}.{name} needs a description for small models"


def test_plan_fields_come_before_lists() -> None:
    assert list(schema_for(PRD)["properties"]).index("features") < list(
        schema_for(PRD)["properties"]
    ).index("user_stories")
    assert list(schema_for(Backlog)["properties"])[:2] == ["features", "stories"]
    assert list(schema_for(ReviewReport)["properties"]) == ["summary", "findings"]


def test_schema_for_refuses_recursive_models() -> None:
    class Node(BaseModel):
        children: list[Node] = []

    with pytest.raises(ValueError, match="recursive"):
        schema_for(Node)


def test_a_file_listed_twice_is_merged_into_one():
    design = Design.model_validate(
        {
            "summary": "s",
            "files": [
                {
                    "path": "a.py",
                    "responsibility": "r",
                    "interface": [{"signature": "def f() -> int"}],
                },
                {
                    "path": "./a.py",
                    "responsibility": "again",
                    "interface": [{"signature": "def g() -> int"}, {"signature": "def f() -> int"}],
                },
            ],
        }
    )
    assert design.paths == ["a.py"]
    assert [fn.name for fn in design.files[0].interface] == ["f", "g"]


@pytest.mark.parametrize("entry", ["wf/cli.py", "wf.cli", "wf.cli.main", "wf.cli:main"])
def test_an_entry_point_named_as_a_module_or_function_resolves_to_its_file(entry):
    design = Design.model_validate(
        {
            "summary": "s",
            "files": [
                {"path": "wf/core.py", "responsibility": "r"},
                {"path": "wf/cli.py", "responsibility": "r"},
            ],
            "entry_point": entry,
        }
    )
    assert design.entry_point == "wf/cli.py"


def test_a_criterion_written_as_the_example_itself_gets_it_as_its_example():
    from softco.artifacts.requirements import AcceptanceCriterion, example_in_text

    crit = AcceptanceCriterion.model_validate("parse_line('2023-10-05 14:30:00') == None")
    assert [(e.call, e.expected) for e in crit.examples] == [
        ("parse_line('2023-10-05 14:30:00')", "None")
    ]
    said = {
        "f(1, 2) -> 3": ("f(1, 2)", "3"),
        "`slugify('A b')` returns `'a-b'`": ("slugify('A b')", "'a-b'"),
        "add('x') raises `ValueError`.": ("add('x')", "raises ValueError"),
        'parse("a -> b") returns None': ('parse("a -> b")', "None"),
        "f(2) -> 2 * 3.5 + 1": ("f(2)", "2 * 3.5 + 1"),
    }
    for text, (call, expected) in said.items():
        found = example_in_text(text)
        assert found is not None and (found.call, found.expected) == (call, expected), text
    for prose in (
        "adding 2 and 3 returns 5",
        "f(x) returns True if x is even",
        "f(1) gives an error",
        "x == 3",
        "f(1) == 2 and g(2) == 3",
    ):
        assert example_in_text(prose) is None, prose
    stated = AcceptanceCriterion(text="f(1) == 2", examples=[{"call": "f(0)", "expected": "1"}])
    assert [e.call for e in stated.examples] == ["f(0)"]  # stated examples are kept as given
