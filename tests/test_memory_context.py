"""What goes into memory (ingest), what comes out (pack, Recall), and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from softco.memory import (
    Hit,
    MemoryItem,
    NullMemory,
    Recall,
    artifact_items,
    chunk_text,
    code_items,
    estimate_tokens,
    lesson_items,
    pack,
)
from softco.memory.cli import memory_app
from softco.memory.ingest import MAX_CHARS, split_long

CODE = '''"""Arithmetic helpers."""
import math

PI = math.pi


@staticmethod
def add(a, b):
    """Sum."""
    return a + b


class Calc:
    def mul(self, a, b):
        return a * b


if __name__ == "__main__":
    print(add(1, 2))
'''


def _hit(text: str, score: float, **meta: object) -> Hit:
    return Hit(id=f"h{score}", text=text, score=score, metadata={"kind": "note", **meta})


# ---- ingest ---------------------------------------------------------------------------


def test_code_items_by_symbol() -> None:
    items = code_items("calc/ops.py", CODE, run="r1", sprint=2)
    assert [i.symbol for i in items] == ["<module>", "add", "Calc"]
    assert items[1].text.startswith("@staticmethod\ndef add")
    assert items[1].extra["line"] == 7
    assert "import math" in items[0].text and "__main__" in items[0].text
    assert {i.file for i in items} == {"calc/ops.py"}
    assert items[2].metadata() == {
        "line": 13,
        "run": "r1",
        "sprint": 2,
        "kind": "code",
        "file": "calc/ops.py",
        "symbol": "Calc",
    }


def test_unparsable_code_falls_back_to_line_chunks() -> None:
    broken = "def broken(:\n" + "x = 1\n" * 400
    items = code_items("bad.py", broken)
    assert len(items) > 1 and all(i.symbol is None for i in items)
    assert all(len(i.text) <= MAX_CHARS + 1 for i in items)
    assert items[0].text.startswith("def broken(:")


def test_chunk_text_cuts_long_lines() -> None:
    chunks = chunk_text("a" * 3000 + "\nend\n", max_chars=1000)
    assert [len(c) for _, c in chunks] == [1000, 1000, 1001, 4]
    assert chunks[-1] == (2, "end\n")


def test_split_long_keeps_stable_part_ids() -> None:
    item = MemoryItem(text="line\n" * 1000, kind="design")
    parts = split_long(item)
    assert len(parts) > 1 and parts[0].id == f"{item.key}#0"
    assert [p.key for p in split_long(item)] == [p.key for p in parts]


class Story(BaseModel):
    id: str
    title: str
    acceptance: list[str]


class FileSpec(BaseModel):
    path: str
    responsibility: str


class CodeFile(BaseModel):
    path: str
    content: str


class Doc(BaseModel):
    title: str
    goals: list[str]
    user_stories: list[Story]
    files: list[FileSpec]
    code: list[CodeFile] = []
    notes: str | None = None


def test_artifact_items_one_per_element() -> None:
    doc = Doc(
        title="Calculator",
        goals=["add numbers"],
        user_stories=[Story(id="US1", title="Add", acceptance=["2+2 is 4"])],
        files=[FileSpec(path="calc/ops.py", responsibility="arithmetic")],
        code=[CodeFile(path="calc/ops.py", content=CODE)],
    )
    items = artifact_items(doc, "prd", run="r1", story_points=3)
    summary, story, spec, *code = items
    assert summary.extra["field"] == "summary" and "Calculator" in summary.text
    assert "notes" not in summary.text
    assert (story.symbol, story.extra["field"], story.run) == ("US1", "user_stories", "r1")
    assert "2+2 is 4" in story.text and story.extra["story_points"] == 3
    assert (spec.file, spec.kind) == ("calc/ops.py", "prd")
    assert [c.symbol for c in code] == ["<module>", "add", "Calc"]
    assert {c.kind for c in code} == {"code"}


def test_artifact_items_from_plain_dicts_and_scalars() -> None:
    assert [i.text for i in artifact_items({"verdict": "resolved"}, "debate")] == [
        "verdict: resolved"
    ]
    assert artifact_items(["a", "b"], "misc")[0].text == "- a\n- b"  # type: ignore[arg-type]


def test_lesson_items_and_metadata_drop_none() -> None:
    items = lesson_items(["Pin versions.", "  ", ""], outcome="passed", run="r1", role=None)
    assert len(items) == 1
    assert items[0].metadata() == {"run": "r1", "kind": "lesson", "outcome": "passed"}
    again = lesson_items(["Pin versions."], outcome="failed", run="r2")
    assert again[0].key == items[0].key  # the same lesson from another run is one memory


# ---- pack -----------------------------------------------------------------------------


def test_pack_best_first_within_budget() -> None:
    hits = [
        _hit("low relevance but short", 0.2),
        _hit("the best one " * 3, 0.9, file="a.py"),
        _hit("word " * 400, 0.8),
    ]
    out = pack(hits, token_budget=40)
    assert out.startswith("[note:a.py]\nthe best one")
    assert out.endswith("low relevance but short")
    assert "word word" not in out
    assert estimate_tokens(out) <= 40


def test_pack_skips_what_the_prompt_already_has_and_near_duplicates() -> None:
    prompt = "Interface of calc.ops:\ndef add(a: int, b: int) -> int: return the sum of a and b"
    hits = [
        _hit("def add(a: int, b: int) -> int: return the sum of a and b", 0.95),
        _hit("Lesson: always validate inputs before dividing numbers safely", 0.9),
        _hit("Lesson: always validate inputs before dividing numbers safely!", 0.85),
        _hit("sum", 0.8),
    ]
    out = pack(hits, 500, already_in_prompt=prompt)
    assert out.count("Lesson:") == 1
    assert "def add" not in out
    assert "\nsum" not in out  # a one-word hit contained in the prompt


def test_pack_returns_empty_when_nothing_fits() -> None:
    assert pack([_hit("x " * 500, 0.9)], 10) == ""
    assert pack([], 100) == ""
    assert pack([_hit("fine", 0.9)], 0) == ""


def test_estimate_tokens_is_conservative_for_code() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("a" * 400) == 100
    assert estimate_tokens("x=(a[0]+b[1])*c;") >= 12


# ---- Recall ---------------------------------------------------------------------------


class FakeMemory(NullMemory):
    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits
        self.queries: list[tuple[str, dict | None]] = []

    def search(self, query, k=5, where=None):  # type: ignore[no-untyped-def]
        self.queries.append((query, where))
        return self.hits[:k]


def test_recall_prefers_lessons_that_passed() -> None:
    run = FakeMemory([_hit("run note about parsing", 0.55)])
    company = FakeMemory(
        [
            Hit(
                id="l1",
                text="failed lesson text here",
                score=0.6,
                metadata={"kind": "lesson", "outcome": "failed"},
            ),
            Hit(
                id="l2",
                text="passed lesson text there",
                score=0.5,
                metadata={"kind": "lesson", "outcome": "passed"},
            ),
        ]
    )
    text, used = Recall(run, company).for_role("coder", "write the parser", 500, already="")
    assert [h.id for h in used] == ["l2", "h0.55", "l1"]
    assert text.startswith("[lesson:l2]")
    assert company.queries == [("write the parser", {"kind": "lesson"})]


def test_recall_without_budget_or_company() -> None:
    run = FakeMemory([_hit("a note", 0.5)])
    assert Recall(run).for_role("tester", "task", 0) == ("", [])
    assert run.queries == []
    text, used = Recall(run, None).for_role("tester", "task", 100)
    assert text == "[note:h0.5]\na note" and len(used) == 1


# ---- CLI ------------------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOFTCO_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_cli_ls_search_forget(home: Path) -> None:
    from softco.config import Settings
    from softco.memory import open_company_memory

    mem = open_company_memory(Settings.load())
    mem.add(lesson_items(["Pin dependency versions."], outcome="passed", run="r1"))
    mem.add(lesson_items(["Write the tests first."], outcome="failed", run="r2"))
    mem.add([MemoryItem(text="stray note", kind="note")])
    runner = CliRunner()

    out = runner.invoke(memory_app, ["ls", "--kind", "lesson"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "Pin dependency versions." in out.output and "stray note" not in out.output

    out = runner.invoke(
        memory_app, ["search", "reproducible installs", "-k", "1"], env={"COLUMNS": "200"}
    )
    assert out.exit_code == 0 and "Pin dependency" in out.output
    assert "[lesson:r1]" in out.output  # source tags are not eaten as rich markup

    out = runner.invoke(memory_app, ["forget", "--all"])
    assert out.exit_code == 2 and "--yes" in out.output
    out = runner.invoke(memory_app, ["forget", "--kind", "note"])
    assert out.exit_code == 0 and "forgot 1 item(s); 2 left" in out.output
    out = runner.invoke(memory_app, ["forget", "--all", "--yes"])
    assert "forgot 2 item(s); 0 left" in out.output

    out = runner.invoke(memory_app, ["search", "anything"])
    assert "nothing stored" in out.output


def test_artifact_items_single_code_file() -> None:
    items = artifact_items({"path": "calc/ops.py", "content": CODE}, "code", sprint=1)
    assert [(i.kind, i.symbol, i.sprint) for i in items][:2] == [
        ("code", "<module>", 1),
        ("code", "add", 1),
    ]


def test_experience_carries_across_projects(tmp_path: Path) -> None:
    from softco.config import Settings
    from softco.memory import open_recall

    settings = Settings.load(home=tmp_path / "home")
    first = open_recall(settings, tmp_path / "run1", "r1")
    assert first.status == "run memory: ready; company memory: ready"
    first.remember("test_report", {"passed": 3, "failed": 0, "errors": 0, "total": 3})
    retro = {"went_well": ["pairing"], "lessons": ["Validate empty input before parsing it."]}
    assert first.remember("retrospective", retro, phase="retro") == 1
    assert first.remember_files({"calc/ops.py": CODE}) == 3
    assert first.company is not None and first.company.count() == 1

    second = open_recall(settings, tmp_path / "run2", "r2")
    assert second.run.count() == 0
    text, used = second.for_role("coder", "parse user input safely", 200)
    assert text.startswith("[lesson:") and "Validate empty input" in text
    assert used[0].metadata["outcome"] == "passed" and used[0].metadata["run"] == "r1"


def test_open_recall_without_company(tmp_path: Path) -> None:
    from softco.config import Settings
    from softco.memory import open_recall

    recall = open_recall(Settings.load(home=tmp_path, memory={"company": False}), tmp_path / "r")
    assert recall.company is None and recall.status == "run memory: ready"
    recall.remember_lessons(["Keep functions small."], outcome="failed")
    assert recall.run.search("small functions", 1)[0].metadata["outcome"] == "failed"


class _Report(BaseModel):
    """Counts as properties, like softco.artifacts.reports.TestReport."""

    cases: list[dict[str, str]]

    @property
    def total(self) -> int:
        return len(self.cases)

    @property
    def failed(self) -> int:
        return sum(c["outcome"] == "failed" for c in self.cases)


def test_test_reports_set_the_outcome_and_keep_only_failures() -> None:
    run = NullMemory()
    stored: list[MemoryItem] = []
    run.add = lambda items: stored.extend(items) or len(items)  # type: ignore[method-assign]
    recall = Recall(run, None, run_id="r1")
    green = _Report(cases=[{"name": "test_a", "outcome": "passed"}])
    recall.remember("test_report", green)
    assert recall.last_outcome == "passed"
    assert all("test_a" not in i.text for i in stored)
    red = {"cases": [{"name": "test_b", "outcome": "failed", "message": "boom"}]}
    recall.remember("test_report", red)
    assert recall.last_outcome == "failed"
    assert any("boom" in i.text and i.extra.get("field") == "cases" for i in stored)
