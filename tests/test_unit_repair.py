"""A repair round also tries each function the failing tests call, written afresh on its own."""

from __future__ import annotations

import pytest

from softco import Company, Settings
from softco.artifacts import FileSpec, FunctionSpec, TestCase, TestReport
from softco.demo_script import BRIEF, CODE, demo_transport
from softco.workflows.design_check import stated_design
from softco.workflows.unit_repair import stated_units, unit_scopes, units_called

GOOD = CODE["textstats/core.py"]
WRONG = GOOD.replace("return len(text.split())", "return len(text)")


def _run(tmp_path, repair_units: int, wrong: str = WRONG, **workflow):
    """Whole-file answers for core.py get word_count wrong; a one-function answer is right."""
    transport = demo_transport()
    inner = transport.default
    units: list[str] = []

    def answer(request):
        prompt = request.messages[-1]["content"]
        if request.role == "coder" and "textstats/core.py" in prompt.split("\n", 1)[0]:
            if prompt.startswith("Write one function"):
                units.append(prompt)
                return {"content": GOOD}
            return {"content": wrong}
        return inner(request)

    transport.default = answer
    workflow = {"test_rounds": 1, "repair_units": repair_units, **workflow}
    settings = Settings.load(memory={"enabled": False}, workflow=workflow)
    return Company(settings, transport=transport).run(BRIEF, run_dir=tmp_path / "r"), units


def test_a_function_every_whole_file_sample_gets_wrong_is_fixed_by_a_sample_of_it_alone(
    tmp_path,
):
    result, units = _run(tmp_path, repair_units=2)
    core = (result.workspace / "textstats/core.py").read_text()
    assert "return len(text.split())" in core
    assert result.report.tests_passed == result.report.tests_total == 8  # 1 regression test
    assert result.report.tests_dropped == []  # the right test was not blamed
    asked = {u.split("\n\n", 2)[1].split("(", 1)[0] for u in units}
    assert asked == {"def word_count"}  # only the unit the failing tests call
    assert not any("Every parameter matters" in u for u in units)
    chat = (result.run_dir / "events.jsonl").read_text()
    assert "candidates with one unit written afresh: word_count() 1x" in chat


def test_a_unit_the_gate_flags_is_sampled_with_the_finding_as_a_rule(tmp_path):
    ignores_text = GOOD.replace("return len(text.split())", "return 3")
    result, units = _run(tmp_path, repair_units=2, wrong=ignores_text, unit_samples=0)
    assert "return len(text.split())" in (result.workspace / "textstats/core.py").read_text()
    assert result.report.tests_passed == result.report.tests_total == 8  # 1 regression test
    assert units and all("result must depend on text" in u for u in units)


def test_without_unit_samples_the_same_run_keeps_the_wrong_function(tmp_path):
    result, units = _run(tmp_path, repair_units=0, requirement_units=0)
    assert "return len(text)\n" in (result.workspace / "textstats/core.py").read_text()
    assert result.report.tests_passed < result.report.tests_total
    assert units == []


GAME = (
    "guess.py: class GuessGame(secret: int) with guess(n: int) -> str ('higher', 'lower' "
    "or 'correct'), is_over() -> bool; attributes tries: int and won: bool. "
    "score(tries: int) -> int (points)."
)
GAME_TESTS = (
    "from guess import GuessGame, score\n\n\n"
    "def test_win():\n    g = GuessGame(7)\n    g.guess(7)\n    assert g.is_over()\n\n\n"
    "def test_points():\n    assert score(3) == 7\n\n\n"
    "def test_hint():\n    assert GuessGame(5).guess(1) == 'higher'\n\n\n"
    "def test_nothing():\n    assert True\n"
)


@pytest.fixture
def game():
    design = stated_design(GAME)
    assert design is not None
    return design.files[0]


def test_methods_count_where_the_test_names_their_class_and_functions_where_named(game):
    assert set(stated_units(game)) == {"GuessGame.guess", "GuessGame.is_over", "score"}
    assert units_called(GAME_TESTS, game) == {
        "test_win": {"GuessGame.guess", "GuessGame.is_over"},
        "test_points": {"score"},
        "test_hint": {"GuessGame.guess"},
        "test_nothing": set(),
    }
    assert units_called("def test_(:\n", game) == {}
    qualified = "import guess\n\n\ndef test_q():\n    assert guess.score(1) == 9\n"
    assert units_called(qualified, game) == {"test_q": {"score"}}


class _Workspace:
    def __init__(self, files: dict[str, str]) -> None:
        self.files = files

    def list_files(self) -> list[str]:
        return sorted(self.files)

    def read(self, path: str) -> str:
        return self.files[path]


class _Runtime:
    def __init__(self, files: dict[str, str]) -> None:
        self.workspace = _Workspace(files)


GAME_CODE = (
    "class GuessGame:\n    def __init__(self, secret):\n        self.secret = secret\n\n"
    "    def guess(self, n):\n        if self.is_over():\n            raise RuntimeError\n"
    "        return 'higher' if n < self.secret else 'lower'\n\n"
    "    def is_over(self):\n        return False\n\n\n"
    "def score(tries):\n    return 10 - tries\n"
)


def test_a_unit_reaches_the_units_its_own_code_calls(game):
    from softco.workflows.unit_repair import unit_callees

    assert unit_callees(GAME_CODE, game) == {
        "GuessGame.__init__": set(),
        "GuessGame.guess": {"GuessGame.is_over"},
        "GuessGame.is_over": set(),
        "score": set(),
    }
    chained = (
        "def a():\n    return b()\n\n\ndef b():\n    return c()\n\n\ndef c():\n    return a()\n"
    )
    abc = stated_design("m.py: a() -> int (x); b() -> int (y); c() -> int (z).")
    assert abc is not None
    assert unit_callees(chained, abc.files[0]) == {
        "a": {"b", "c"},
        "b": {"a", "c"},
        "c": {"a", "b"},
    }  # a cycle ends
    assert unit_callees("def (:\n", game) == {}
    mapped = "def a():\n    return list(map(b, [1]))\n\n\ndef b(x):\n    return x\n"
    assert unit_callees(mapped, abc.files[0])["a"] == {"b"}  # a reference is a use


def test_the_units_failing_tests_call_most_come_first_with_every_case_calling_them(game):
    rt = _Runtime({"tests/test_guess.py": GAME_TESTS, "guess.py": GAME_CODE})

    def case(name: str, outcome: str) -> TestCase:
        return TestCase(name=f"tests.test_guess::{name}", outcome=outcome)

    report = TestReport(
        cases=[
            case("test_win", "passed"),
            case("test_points", "passed"),
            case("test_hint", "failed"),
            case("test_nothing", "failed"),
        ]
    )
    scopes = unit_scopes(rt, game, GAME_CODE, report)  # type: ignore[arg-type]
    # test_hint calls guess, and guess calls is_over: both may be the wrong one
    assert list(scopes) == ["GuessGame.guess", "GuessGame.is_over"]  # score's test passes
    win, hint = "tests.test_guess::test_win", "tests.test_guess::test_hint"
    # but a sample of is_over is evidence only on the test calling is_over itself
    assert scopes["GuessGame.guess"] == {win, hint}
    assert scopes["GuessGame.is_over"] == {win}
    report.cases[2] = case("test_hint", "passed")
    report.cases[1] = case("test_points", "failed")
    assert list(unit_scopes(rt, game, GAME_CODE, report)) == ["score"]  # type: ignore[arg-type]


def test_a_one_unit_candidate_passing_a_test_clears_it_but_failing_one_counts_only_in_scope():
    from softco.workflows.agreement import evidence, suspect_tests

    def report(passed: set[str]) -> TestReport:
        names = ["t::parse", "t::count", "t::other"]
        return TestReport(
            cases=[TestCase(name=n, outcome="passed" if n in passed else "failed") for n in names]
        )

    def runs(entries):
        return [(frozenset(p), frozenset(r)) for p, r, *_ in entries]

    whole = [evidence(report({"t::other"}), None, []) for _ in range(3)]
    assert suspect_tests(runs(whole)) == {"t::parse", "t::count"}
    parse_scope = frozenset({"t::parse"})
    fixed = evidence(report({"t::parse", "t::count", "t::other"}), parse_scope, [])
    assert suspect_tests(runs([*whole, fixed])) == set()  # its pass of t::count counts too
    two = whole[:2]
    unit_fails = [evidence(report({"t::other"}), parse_scope, []) for _ in range(3)]
    # three parse_line samples failing count_levels' test are no opinion on it
    assert suspect_tests(runs([*two, *unit_fails])) == {"t::parse"}


def test_opinions_fingerprint_the_code_a_test_reaches_and_nothing_else(tmp_path):
    from softco.workflows.unit_repair import test_opinions

    spec = FileSpec(
        path="logstats.py",
        responsibility="log statistics",
        interface=[
            FunctionSpec(name="parse_line", signature="def parse_line(line: str) -> dict | None"),
            FunctionSpec(name="count_levels", signature="def count_levels(lines) -> dict"),
            FunctionSpec(name="errors_per_hour", signature="def errors_per_hour(lines) -> dict"),
        ],
    )

    class Tests:
        def list_files(self):
            return ["logstats.py", "tests/test_logstats.py"]

        def read(self, path):
            return (
                "from logstats import count_levels, errors_per_hour, parse_line\n\n"
                "def test_parse():\n    assert parse_line('x') is None\n\n"
                "def test_count():\n    assert count_levels([]) == {}\n\n"
                "def test_errors():\n    assert errors_per_hour([]) == {}\n"
            )

    rt = type("Rt", (), {"workspace": Tests()})()
    base = (
        "def parse_line(line):\n    return None\n\n"
        "def count_levels(lines):\n    return {}\n\n"
        "def errors_per_hour(lines):\n    out = {}\n    return out\n"
    )
    # layout, comments and a docstring change nothing; errors_per_hour's code changes its test
    other = base.replace("def parse_line(line):\n", 'def parse_line(line):\n    """Doc."""\n')
    other = other.replace("out = {}", "out = dict()  # spelled another way")

    def fingerprints(content: str) -> dict[str, str]:
        return dict(v.split("\t") for v in test_opinions(rt, spec, content))

    first, second = fingerprints(base), fingerprints(other)
    assert set(first) == {
        "tests.test_logstats::test_parse",
        "tests.test_logstats::test_count",
        "tests.test_logstats::test_errors",
    }
    assert first["tests.test_logstats::test_parse"] == second["tests.test_logstats::test_parse"]
    assert first["tests.test_logstats::test_count"] == second["tests.test_logstats::test_count"]
    assert first["tests.test_logstats::test_errors"] != second["tests.test_logstats::test_errors"]
    # a module constant or helper the functions may use is part of every opinion
    constant = fingerprints("LEVELS = ('INFO', 'ERROR')\n\n" + base)
    assert constant["tests.test_logstats::test_parse"] != first["tests.test_logstats::test_parse"]
    # count_levels using parse_line: a new parse_line is a new opinion on test_count too
    uses = base.replace("    return {}\n", "    return {parse_line(x): 1 for x in lines}\n", 1)
    third = fingerprints(uses.replace("return None", "return line or None"))
    fourth = fingerprints(uses)
    assert third["tests.test_logstats::test_count"] != fourth["tests.test_logstats::test_count"]
