"""Dependency-graph behaviour on hand-made designs (no LLM)."""

from __future__ import annotations

from pathlib import Path

import pytest

from softco.artifacts import Design, FileSpec, FunctionSpec
from softco.artifacts import depgraph as dg
from softco.errors import DesignInvalid


def make(deps: dict[str, list[str]], **interfaces: list[tuple[str, str]]) -> Design:
    """A validated Design from {path: depends_on}; ``interfaces`` keyed by file stem."""
    files = []
    for path, needs in deps.items():
        stem = path.rsplit("/", 1)[-1].removesuffix(".py")
        iface = [{"signature": s, "docstring": d} for s, d in interfaces.get(stem, [])]
        files.append(
            {
                "path": path,
                "responsibility": f"the {stem} part",
                "depends_on": needs,
                "interface": iface,
            }
        )
    return Design.model_validate({"summary": "test design", "files": files})


def raw(deps: dict[str, list[str]] | list[tuple[str, list[str]]]) -> Design:
    """A Design built WITHOUT validation, as a hand edit or an old file could be."""
    items = deps.items() if isinstance(deps, dict) else deps
    files = [
        FileSpec.model_construct(
            path=p, responsibility="r", kind="module", interface=[], depends_on=d
        )
        for p, d in items
    ]
    return Design.model_construct(summary="s", files=files, entry_point="", dependencies=[])


DIAMOND = {
    "base.py": [],
    "left.py": ["base.py"],
    "right.py": ["base.py"],
    "top.py": ["left.py", "right.py"],
}
CHAIN = {"a.py": [], "b.py": ["a.py"], "c.py": ["b.py"], "d.py": ["c.py"]}


def test_diamond_generations_and_impact() -> None:
    design = make(DIAMOND)
    assert dg.generations(design) == [["base.py"], ["left.py", "right.py"], ["top.py"]]
    assert dg.critical_path_length(design) == 3
    assert dg.impacted(design, {"left.py"}) == {"left.py", "top.py"}
    assert dg.impacted(design, {"base.py"}) == set(DIAMOND)
    assert dg.impacted(design, {"top.py"}) == {"top.py"}
    assert dg.validate_design(design) == []


def test_chain_of_four_builds_one_file_per_wave() -> None:
    design = make(CHAIN)
    assert dg.generations(design) == [["a.py"], ["b.py"], ["c.py"], ["d.py"]]
    assert dg.critical_path_length(design) == 4
    assert dg.impacted(design, {"./b.py"}) == {"b.py", "c.py", "d.py"}
    assert dg.impacted(design, {"deleted.py"}) == set()


def test_sixteen_files_depth_four() -> None:
    # four layers of four files; each file depends on every file of the layer below
    deps = {
        f"pkg/l{layer}_{i}.py": [f"pkg/l{layer - 1}_{j}.py" for j in range(4)] if layer else []
        for layer in range(4)
        for i in range(4)
    }
    design = make(deps)
    gens = dg.generations(design)
    assert [len(g) for g in gens] == [4, 4, 4, 4]
    assert gens[0] == sorted(gens[0])
    assert dg.critical_path_length(design) == 4
    top_layer = {f"pkg/l3_{i}.py" for i in range(4)}
    assert dg.impacted(design, {"pkg/l2_0.py"}) == {"pkg/l2_0.py"} | top_layer
    assert dg.validate_design(design, max_files=16) == []
    assert any("16 files but at most 12" in p for p in dg.validate_design(design))


def test_cycle_is_named_and_blocks_ordering() -> None:
    design = make({"a.py": ["b.py"], "b.py": ["c.py"], "c.py": ["a.py"], "d.py": []})
    problems = dg.validate_design(design)
    assert len(problems) == 1
    assert "a.py -> b.py -> c.py -> a.py" in problems[0]
    with pytest.raises(DesignInvalid) as info:
        dg.generations(design)
    assert "a.py -> b.py -> c.py -> a.py" in str(info.value)
    with pytest.raises(DesignInvalid) as info:
        dg.require_valid(design)
    assert info.value.problems == problems
    # the cyclic design can still be drawn and queried
    assert "flowchart" in dg.to_mermaid(design)
    assert dg.impacted(design, {"a.py"}) == {"a.py", "b.py", "c.py"}


def test_two_separate_cycles_both_reported() -> None:
    design = make({"x.py": ["y.py"], "y.py": ["x.py"], "p.py": ["q.py"], "q.py": ["p.py"]})
    problems = dg.validate_design(design)
    assert any("p.py -> q.py -> p.py" in p for p in problems)
    assert any("x.py -> y.py -> x.py" in p for p in problems)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ([("a.py", ["a.py"])], "a.py lists itself in depends_on"),
        ([], "the design has no files"),
        ([("../../etc/passwd", [])], "leaves the project"),
        ([("/etc/passwd.py", [])], "is absolute"),
        ([(".git/hooks.py", [])], "hidden part '.git'"),
        ([("pkg\\mod.py", [])], "backslashes"),
        ([("notes.txt", [])], "not a Python file"),
        ([("my-tool/main.py", [])], "not importable"),
        ([("pkg/__init__.py", []), ("pkg/__init__.py", [])], "'pkg/__init__.py' is listed twice"),
        ([("pkg.py", []), ("pkg/__init__.py", [])], "are both module 'pkg'"),
        ([("a.py", ["ghost.py"])], "depends on 'ghost.py', which is not a file of this design"),
        ([("random.py", [])], "shadow Python's standard module 'random'"),
    ],
)
def test_validate_design_reports_fixable_problems(
    files: list[tuple[str, list[str]]], expected: str
) -> None:
    problems = dg.validate_design(raw(files))
    assert any(expected in p for p in problems), problems


def test_five_hundred_files_is_too_many() -> None:
    design = make({f"m{i}.py": [] for i in range(500)})
    problems = dg.validate_design(design, max_files=12)
    assert problems == [
        "the design has 500 files but at most 12 are allowed: "
        "merge small modules so the project fits"
    ]


def test_require_valid_message_names_first_problem() -> None:
    with pytest.raises(DesignInvalid) as info:
        dg.require_valid(raw([("a.py", ["ghost.py"]), ("b.py", ["b.py"])]))
    assert str(info.value).startswith("the design has 2 problems: a.py depends on 'ghost.py'")


def test_interface_context_only_direct_dependencies() -> None:
    design = make(
        {"calc/ops.py": [], "calc/stats.py": ["calc/ops.py"], "calc/cli.py": ["calc/stats.py"]},
        ops=[("def add(a: float, b: float) -> float", "Return a + b.")],
        stats=[("def mean(xs: list[float]) -> float", "Average of xs."), ("class Summary", "")],
    )
    ctx = dg.interface_context(design, "calc/cli.py")
    assert ctx.startswith("# module calc.stats (file calc/stats.py)\n")
    assert "# import with: from calc.stats import mean, Summary" in ctx
    assert 'def mean(xs: list[float]) -> float:\n    """Average of xs."""' in ctx
    assert "class Summary:\n    ..." in ctx
    assert "add" not in ctx  # transitive dependency stays out
    assert dg.interface_context(design, "calc/ops.py") == ""
    compile(ctx, "<stub>", "exec")  # the stubs are valid Python


def test_module_names() -> None:
    assert dg.module_name("pkg/mod.py") == "pkg.mod"
    assert dg.module_name("pkg/__init__.py") == "pkg"
    assert dg.module_name("./main.py") == "main"


def test_mermaid_shows_files_edges_and_status() -> None:
    design = make({"a.py": [], "b.py": ["a.py"]})
    text = dg.to_mermaid(design, {"a.py": "passing", "b.py": "failing", "zzz.py": "written"})
    assert text.splitlines() == [
        "flowchart LR",
        '    n0["a.py"]',
        '    n1["b.py"]',
        "    n0 --> n1",
        "    classDef failing fill:#ffd6d6,stroke:#c62828",
        "    class n1 failing",
        "    classDef passing fill:#d4f7d4,stroke:#2e7d32",
        "    class n0 passing",
    ]
    assert dg.edges(design) == [("a.py", "b.py")]


def test_design_from_repo(tmp_path: Path) -> None:
    (tmp_path / "calc").mkdir()
    (tmp_path / "calc" / "__init__.py").write_text('"""Calculator package."""\n')
    (tmp_path / "calc" / "ops.py").write_text(
        '"""Arithmetic."""\nimport math\n\n\ndef add(a: float, b: float = 0) -> float:\n'
        '    """Return a + b.\n\n    Long details.\n    """\n    return a + b\n\n\n'
        "def _private():\n    pass\n\n\nclass Stack(list):\n    pass\n"
    )
    (tmp_path / "calc" / "cli.py").write_text(
        "import sys\nimport requests\nfrom typing import TYPE_CHECKING\n"
        "from .ops import add\nfrom calc import ops\n"
        "if TYPE_CHECKING:\n    from calc.report import Report\n\n\n"
        "def main() -> None:\n    print(add(1, 2))\n\n\n"
        "if __name__ == '__main__':\n    main()\n"
    )
    (tmp_path / "calc" / "report.py").write_text("from calc.cli import main\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_ops.py").write_text(
        "from calc.ops import add\n\ndef test_add(): ...\n"
    )
    (tmp_path / "broken.py").write_text("def oops(:\n")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "junk.py").write_text("x = 1\n")
    (tmp_path / "my-script.py").write_text("x = 1\n")

    design = dg.design_from_repo(tmp_path)
    assert design.paths == [
        "broken.py",
        "calc/__init__.py",
        "calc/cli.py",
        "calc/ops.py",
        "calc/report.py",
        "tests/test_ops.py",
    ]
    ops = design.file("calc/ops.py")
    assert ops.responsibility == "Arithmetic."
    assert [(f.name, f.signature, f.docstring) for f in ops.interface] == [
        ("add", "def add(a: float, b: float=0) -> float", "Return a + b."),
        ("Stack", "class Stack(list)", ""),
    ]
    cli = design.file("calc/cli.py")
    assert cli.kind == "cli" and design.entry_point == "calc/cli.py"
    assert cli.depends_on == ["calc/ops.py"]  # TYPE_CHECKING import ignored
    assert design.file("tests/test_ops.py").kind == "test"
    assert "does not parse" in design.file("broken.py").responsibility
    assert design.dependencies == ["requests"]
    assert dg.generations(design)[0][0] == "broken.py"
    ctx = dg.interface_context(design, "calc/cli.py")
    assert "def add(a: float, b: float=0) -> float" in ctx


def test_design_from_repo_keeps_cycles_for_reporting(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import b\n")
    (tmp_path / "b.py").write_text("from a import thing\n")
    design = dg.design_from_repo(tmp_path)
    assert dg.validate_design(design)[0].startswith("import cycle: a.py -> b.py -> a.py")


def test_design_from_empty_repo_is_clear(tmp_path: Path) -> None:
    with pytest.raises(DesignInvalid, match="no importable Python files"):
        dg.design_from_repo(tmp_path)


def test_functionspec_signature_is_authoritative() -> None:
    spec = FunctionSpec(name="wrong", signature="  def area(r: float) -> float:  ")
    assert (spec.name, spec.signature) == ("area", "def area(r: float) -> float")
