"""Selection by dual execution agreement and removal of tests every program fails."""

from __future__ import annotations

import pytest

from softco import Company, Settings, StopReason
from softco.demo_script import BRIEF, CASES, demo_transport
from softco.workflows.agreement import agreement_pick, suspect_tests
from softco.workflows.gating import drop_tests

A, B, C, W = "t::a", "t::b", "t::c", "t::wrong"
COUNT = "return len(text.split())"


def test_programs_that_agree_outvote_one_that_bends_to_a_wrong_test():
    honest = frozenset({A, B, C})
    bent = frozenset({A, W})  # passes the wrong test by breaking two right ones
    assert agreement_pick([bent, honest, honest]) == 1


def test_more_passes_win_when_nobody_agrees_and_ties_keep_the_current_code():
    assert agreement_pick([frozenset({A}), frozenset({A, B})]) == 1
    assert agreement_pick([frozenset({A}), frozenset({B})]) == 0


def test_a_candidate_that_breaks_collection_never_wins():
    assert agreement_pick([frozenset(), None, None]) == 0
    assert agreement_pick([None, frozenset()]) == 1


def test_candidates_with_one_unit_rewritten_may_win_but_do_not_vote():
    current, better = frozenset({A, B, C}), frozenset({A, B, "t::d", "t::e"})
    unchanged = [current] * 6  # six unit samples that fixed nothing
    passes = [current, better, *unchanged]
    assert agreement_pick(passes) == 0  # as voters they would keep the current code
    assert agreement_pick(passes, [True, True] + [False] * 6) == 1
    fixed = frozenset({A, B, C, W})
    assert agreement_pick([current, fixed], [True, False]) == 1  # a non-voter can win


def test_a_test_is_suspect_only_when_three_programs_that_ran_it_all_fail_it():
    ran = frozenset({A, B, W})
    runs = [(frozenset({A, B}), ran), (frozenset({A}), ran), (frozenset({A, B}), ran)]
    assert suspect_tests(runs) == {W}
    assert suspect_tests(runs[:2]) == set()  # two opinions are not enough
    older = (frozenset({A, B}), frozenset({A, B}))  # a program from before W existed
    assert suspect_tests([*runs[:2], older]) == set()
    nothing = [(frozenset(), frozenset({A, W}))] * 3
    assert suspect_tests(nothing) == set()  # nothing in the file passes: no evidence


def test_drop_tests_removes_functions_with_their_decorators():
    src = (
        "import pytest\n\n\n@pytest.mark.x\ndef test_a():\n    assert 1\n\n\n"
        "def test_b():\n    assert 2\n"
    )
    out = drop_tests(src, {"test_a"})
    assert "test_a" not in out and "mark.x" not in out and "def test_b" in out


def _demo_run(tmp_path, answer, **workflow):
    """The demo build with ``answer(request, inner)`` in front of the scripted transport.

    Three candidates per repair round and two rounds unless ``workflow`` says otherwise.
    """
    transport = demo_transport()
    inner = transport.default
    transport.default = lambda request: answer(request, inner)
    settings = Settings.load(
        memory={"enabled": False}, workflow={"best_of": 3, "test_rounds": 2, **workflow}
    )
    return Company(settings, transport=transport).run(BRIEF, run_dir=tmp_path / "r")


TOP = "return Counter(w.lower() for w in text.split()).most_common(n)"


def _made_up_case_run(tmp_path, same_code: bool = False, **workflow):
    """The demo build where the tester claims word_count('a b') == 3; every coder sample says 2.

    The samples differ in ``word_count``'s code (same behaviour) unless
    ``same_code``: then they differ only in a comment.
    """
    made_up = {"behaviour": "made up", "call": "word_count('a b')", "expected": "3"}
    wrong = {"cases": [*CASES["textstats/core.py"]["cases"], made_up]}
    coder_calls = []

    def answer(request, inner):
        if request.role == "tester" and "textstats/core.py" in request.messages[-1]["content"]:
            return wrong
        reply = inner(request)
        if request.role == "coder":  # distinct programs, same behaviour
            coder_calls.append(request)
            content, n = reply["content"], len(coder_calls)
            if not same_code:
                content = content.replace(COUNT, f"{COUNT} + 0 * {n}")
            reply = {"content": content + f"\n# variant {n}\n"}
        return reply

    return _demo_run(tmp_path, answer, **workflow)


def test_a_wrong_generated_test_is_removed_after_every_candidate_fails_it(tmp_path):
    result = _made_up_case_run(tmp_path, agreed_values=False)
    assert result.stop_reason == StopReason.DONE
    assert result.report.tests_dropped == ["tests/test_core.py::test_word_count_made_up"]
    assert result.report.tests_passed == result.report.tests_total == 8  # 1 regression test
    assert "test_word_count_made_up" not in (result.workspace / "tests/test_core.py").read_text()
    assert "Removed as wrong" in (result.run_dir / "report.md").read_text()


def test_three_samples_with_the_same_code_under_a_test_are_one_opinion_against_it(tmp_path):
    # one opinion is too little to rewrite the tester's expected value: the test goes instead
    result = _made_up_case_run(tmp_path / "a", same_code=True)
    assert result.report.tests_dropped == ["tests/test_core.py::test_word_count_made_up"]
    assert result.report.tests_passed == result.report.tests_total == 8  # 1 regression test
    # with distinct_drops it is too little to remove it as well: it stays, failing
    result = _made_up_case_run(tmp_path / "b", same_code=True, distinct_drops=True)
    assert result.report.tests_dropped == []
    tests = (result.workspace / "tests/test_core.py").read_text()
    assert "word_count('a b') == 3" in tests
    assert result.report.tests_passed == result.report.tests_total - 1 == 7


def test_suspects_count_programs_alike_under_the_test_once():
    ran = frozenset({A, B, W})
    runs = [(frozenset({A, B}), ran), (frozenset({A}), ran), (frozenset({A, B}), ran)]
    alike = [{W: "f1"}, {W: "f1"}, {W: "f1"}]
    assert suspect_tests(runs, alike) == set()
    assert suspect_tests(runs, [{W: "f1"}, {W: "f2"}, {}]) == {W}  # {}: counts on its own
    assert suspect_tests(runs, [{W: "f1"}, {W: "f2"}, {W: "f3"}]) == {W}


def test_a_wrong_expected_value_is_replaced_by_the_one_every_candidate_returns(tmp_path):
    result = _made_up_case_run(tmp_path)
    assert result.stop_reason == StopReason.DONE and result.report.tests_dropped == []
    assert result.report.tests_passed == result.report.tests_total >= 9  # 8 and regression
    tests = (result.workspace / "tests/test_core.py").read_text()
    pinned = tests.split("def test_word_count_made_up():", 1)[1]
    assert "agree; the tester expected 3" in pinned
    assert "assert (word_count('a b')) == 2" in pinned
    assert not (result.workspace / "softco_probe.py").exists()  # the probe cleans up


def test_a_missing_promised_name_is_the_codes_fault_an_unknown_one_the_tests():
    from softco.workflows.triage import blame

    msg = (
        "ImportError while importing test module 'tests/test_roman.py'.\n"
        "tests/test_roman.py:1: in <module>\n"
        "    from roman import to_roman\n"
        "E   ImportError: cannot import name '{}' from 'roman' (roman.py)"
    )
    promised = frozenset({"to_roman", "from_roman"})
    assert blame(msg.format("to_roman"), "tests/test_roman.py", 0, promised) == "code"
    assert blame(msg.format("helper"), "tests/test_roman.py", 0, promised) == "test"


def test_functions_right_in_different_candidates_are_spliced_into_one(tmp_path):
    from softco.demo_script import CODE

    good = CODE["textstats/core.py"]
    bad_count = good.replace("return len(text.split())", "return len(text)")
    bad_top = good.replace(".most_common(n)", ".most_common(n + 1)")
    answers = iter([bad_top, bad_count, bad_count + "\n# another sample\n"])
    transport = demo_transport()
    inner = transport.default

    def answer(request):
        if (
            request.role == "coder"
            and "Write the file textstats/core.py" in (request.messages[-1]["content"])
        ):
            return {"content": next(answers, bad_top)}
        return inner(request)

    transport.default = answer
    settings = Settings.load(memory={"enabled": False}, workflow={"best_of": 2, "test_rounds": 1})
    result = Company(settings, transport=transport).run(BRIEF, run_dir=tmp_path / "r")
    core = (result.workspace / "textstats/core.py").read_text()
    assert "return len(text.split())" in core and ".most_common(n)" in core
    # 7 own tests and the regression tests written on the green suite
    assert result.report.tests_passed == result.report.tests_total >= 8


def test_a_test_file_using_pytest_gets_its_import():
    from softco.quality.reshape import with_pytest_import

    src = "from m import f\n\n\ndef test_f():\n    with pytest.raises(ValueError):\n        f()\n"
    assert with_pytest_import(src).startswith("import pytest\n")
    assert with_pytest_import("import pytest\n" + src) == "import pytest\n" + src


WRAPPED = (
    "from collections import Counter\n\n\nclass Stats:\n"
    "    def __init__(self):\n        self.seen = 0\n\n"
    "    def word_count(self, text: str) -> int:\n        self.seen += 1\n"
    "        return len(text.split())\n"
)
BROKEN = (
    "import re\n\n\ndef word_count(text: str) -> int:\n"
    "    return len(re.findall(r'[a-z']+', text))\n"
)


@pytest.mark.parametrize("wrapped", [WRAPPED, BROKEN], ids=["stateful-class", "syntax-error"])
def test_functions_a_model_cannot_write_in_a_whole_file_are_written_one_at_a_time(
    tmp_path, wrapped
):
    from softco.demo_script import CODE

    transport = demo_transport()
    inner = transport.default
    units = []

    def answer(request):
        prompt = request.messages[-1]["content"]
        if request.role == "coder" and "textstats/core.py" in prompt.split("\n", 1)[0]:
            if prompt.startswith("Write one function"):
                units.append(prompt)
                return {"content": CODE["textstats/core.py"]}
            return {"content": wrapped}
        return inner(request)

    transport.default = answer
    settings = Settings.load(memory={"enabled": False})
    result = Company(settings, transport=transport).run(BRIEF, run_dir=tmp_path / "r")
    core = (result.workspace / "textstats/core.py").read_text()
    assert "\ndef word_count(text: str) -> int:" in core and "\ndef top_words(" in core
    assert len(units) == 2 and result.report.tests_passed == result.report.tests_total >= 8


def test_a_module_that_does_not_compile_is_named_from_the_collection_traceback():
    from softco.artifacts import Design
    from softco.workflows.triage import unparsable_modules

    design = Design.model_validate(
        {
            "summary": "s",
            "files": [
                {"path": "wf/core.py", "responsibility": "r"},
                {"path": "wf/cli.py", "responsibility": "r", "depends_on": ["wf/core.py"]},
            ],
        }
    )
    output = (
        "tests/test_cli.py:2: in <module>\n    from wf.cli import main\n"
        "wf/cli.py:3: in <module>\n    from wf.core import count\n"
        'E     File "/tmp/x/workspace/wf/core.py", line 7\n'
        "E   SyntaxError: closing parenthesis ']' does not match opening parenthesis '('\n"
    )
    assert unparsable_modules(design, output) == ["wf/core.py"]
    assert unparsable_modules(design, output.replace("SyntaxError", "NameError")) == []


def test_probe_targets_are_plain_calls_compared_with_literals():
    from softco.quality.case_probe import parse_probe, pin_expected, probe_targets

    src = (
        "import pytest\n\nfrom m import f\n\n\n"
        "def test_plain():\n    x = {'b': 2,\n         'a': 2}\n"
        "    assert (f(x, 1)) == [('b', 2)]\n\n\n"
        "def test_fixture(tmp_path):\n    assert f(1) == 2\n\n\n"
        "def test_raises():\n    with pytest.raises(ValueError):\n        f(-1)\n\n\n"
        "def test_float():\n    assert f(1) == pytest.approx(0.5)\n"
    )
    assert set(probe_targets(src)) == {"test_plain", "test_float"}
    assert pin_expected(src, "test_raises", "1", 3) is None
    flag = pin_expected(src, "test_plain", "None", 3)
    assert flag is not None and "assert (f(x, 1)) is None" in flag
    floats = pin_expected(src, "test_float", "0.25", 3)
    assert floats is not None and "assert (f(1)) == pytest.approx(0.25)" in floats
    assert parse_probe('noise\nSOFTCO-PROBE {"test_plain": "1"}\n') == {"test_plain": "1"}
    assert parse_probe("SOFTCO-PROBE not json") == {}


def test_the_probe_reports_only_real_literal_values(tmp_path):
    import subprocess
    import sys

    from softco.quality.case_probe import parse_probe, probe_script, probe_targets

    (tmp_path / "m.py").write_text(
        "class V:\n    def __repr__(self):\n        return '(1, 2)'\n\n\n"
        "def f():\n    return V()\n\n\ndef g(x):\n    return (x, 2)\n\n\n"
        "def h():\n    return 'x' * 5000\n\n\n"
        "def k(words):\n    return {w: words.count(w) for w in set(words)}\n"
    )
    src = (
        "from m import f, g, h, k\n\n\n"
        "def test_f():\n    assert (f()) == (0,)\n\n\n"
        "def test_g():\n    x = 1\n    assert (g(x)) == [1, 2]\n\n\n"
        "def test_h():\n    assert (h()) == ''\n\n\n"
        "def test_k():\n    assert (k(['b', 'a', 'b', 'c'])) == {}\n\n\n"
        "def test_shared_line():\n    x = 1; assert g(x) == 0\n\n\n"
        "def test_pinned_before():\n"
        "    # 3 independently sampled implementations agree; the tester expected 1\n"
        "    assert (g(0)) == 0\n"
    )
    assert set(probe_targets(src)) == {"test_f", "test_g", "test_h", "test_k"}
    script = probe_script(src, {"test_f", "test_g", "test_h", "test_k"})
    assert script is not None
    (tmp_path / "probe.py").write_text(script)
    ran = subprocess.run(
        [sys.executable, "probe.py"], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    # f's value only looks like a tuple; h's is too long to be an expectation; k's dict is
    # written in one order whatever order the set gave its keys
    expected = {"test_g": "(1, 2)", "test_k": "{'a': 1, 'b': 2, 'c': 1}"}
    assert parse_probe(ran.stdout) == expected


def test_a_unit_failing_the_pm_examples_is_sampled_until_one_meets_them(tmp_path):
    """Every whole file counts 'a b  c' as 4 words; the second fresh word_count gets 3."""
    from softco.demo_script import CODE

    right = CODE["textstats/core.py"]
    wrong = right.replace(COUNT, "return len(text.split(' '))")
    assert wrong != right

    def run(where, **workflow):
        transport = demo_transport()
        inner = transport.default
        units = []

        def answer(request):
            prompt = request.messages[-1]["content"]
            if request.role == "coder" and "textstats/core.py" in prompt.split("\n", 1)[0]:
                if prompt.startswith("Write one function") and "def word_count(" in prompt[:400]:
                    units.append(prompt)
                    return {"content": right if len(units) == 2 else wrong}
                return {"content": wrong}
            return inner(request)

        transport.default = answer
        settings = Settings.load(memory={"enabled": False}, workflow={"test_rounds": 1, **workflow})
        result = Company(settings, transport=transport).run(BRIEF, run_dir=tmp_path / where)
        return result, units

    result, units = run("on")
    core = (result.workspace / "textstats/core.py").read_text()
    assert COUNT in core and len(units) == 2  # settled: no third sample
    assert result.report.tests_passed == result.report.tests_total
    said = (result.run_dir / "events.jsonl").read_text()
    assert (
        "sampled against the requirements' examples: word_count() 2x; word_count now meet" in said
    )

    result, units = run("off", requirement_units=0)
    assert units == [] and COUNT not in (result.workspace / "textstats/core.py").read_text()


def _rewrite_run(tmp_path, **workflow):
    """The demo build whose tester first asks word_count('a-b') == 2, then rewrites the file.

    Repair's round 1 samples three more programs: one splits on '-' (passing
    that test, failing the rest), two are the first program again with a
    comment. Round 2 blames the tests: the tester's rewrite fixes the case
    (expects 1) but adds a wrong one, word_count('x y') == 3, and is kept
    because one more test passes.
    """
    first = CASES["textstats/core.py"]["cases"]
    hyphen = {"behaviour": "hyphen", "call": "word_count('a-b')", "expected": "2"}
    fixed = {**hyphen, "expected": "1"}
    wrong = {"behaviour": "made up", "call": "word_count('x y')", "expected": "3"}
    samples = []

    def answer(request, inner):
        last = request.messages[-1]["content"]
        if request.role == "tester" and "textstats/core.py" in last:
            rewrite = "These tests fail" in last
            return {"cases": [*first, fixed, wrong] if rewrite else [*first, hyphen]}
        reply = inner(request)
        if request.role == "coder" and COUNT in reply["content"]:
            samples.append(request)
            content = reply["content"]
            if len(samples) == 2:  # bends to the hyphen test, breaks every other
                content = content.replace(
                    COUNT, "return len(text.replace('-', ' ').split()) if '-' in text else -1"
                )
            elif len(samples) > 2:
                content += f"\n# variant {len(samples)}\n"
            reply = {"content": content}
        return reply

    return _demo_run(tmp_path, answer, **{"agreed_values": False, **workflow})


def test_a_wrong_test_of_the_last_rewrite_is_run_under_the_earlier_programs(tmp_path):
    made_up = "tests/test_core.py::test_word_count_made_up"
    result = _rewrite_run(tmp_path / "on")
    assert result.report.tests_dropped == [made_up]
    assert result.report.tests_passed == result.report.tests_total
    tests = (result.workspace / "tests/test_core.py").read_text()
    assert "word_count('a-b') == 1" in tests and "word_count('x y')" not in tests
    core = (result.workspace / "textstats/core.py").read_text()
    assert "len(text.split())" in core and "# variant" not in core  # the first program stays
    # without the recheck the wrong test reaches the delivered suite, failing
    result = _rewrite_run(tmp_path / "off", recheck_rewrites=False)
    assert result.report.tests_dropped == []
    assert result.report.tests_passed == result.report.tests_total - 1


def _empty_top_words_run(tmp_path, **workflow):
    """The demo build where every coder sample's ``top_words`` returns ``[]`` (a shared bug).

    The samples differ in that line's code, so they are distinct opinions, and
    all of them answer nothing to the PM's example ``top_words('b a b', 1)``.
    """
    samples = []

    def answer(request, inner):
        reply = inner(request)
        if request.role == "coder" and TOP in reply.get("content", ""):
            samples.append(request)
            reply = {"content": reply["content"].replace(TOP, f"return [] * {len(samples)}")}
        return reply

    return _demo_run(tmp_path, answer, **workflow)


def test_programs_that_all_answer_nothing_to_a_pm_example_remove_and_pin_no_test(tmp_path):
    result = _empty_top_words_run(tmp_path / "on")
    # the suite stays red and says so: the tests still expect what the PM asked
    assert result.report.tests_dropped == []
    assert result.report.tests_passed < result.report.tests_total
    tests = (result.workspace / "tests/test_core.py").read_text()
    assert "[('b', 2)]" in tests and "agree; the tester expected" not in tests
    assert (
        "top_words('b a b', 1) == [('b', 2)]"
        in (result.workspace / "tests/test_core_examples.py").read_text()
    )
    said = (result.run_dir / "events.jsonl").read_text()
    assert "answers nothing to test_top_words_example_1, so they share a bug" in said
    # without the guard the example goes and the tester's test is pinned to the shared []
    result = _empty_top_words_run(tmp_path / "off", shared_miss_guard=False)
    assert "tests/test_core_examples.py::test_top_words_example_1" in result.report.tests_dropped
    assert result.report.tests_passed == result.report.tests_total
    tests = (result.workspace / "tests/test_core.py").read_text()
    assert "agree; the tester expected [('b', 2)]" in tests


def test_a_shared_miss_needs_three_empty_answers_to_a_pm_example():
    from softco.workflows.agreement import history_suspects, shared_miss

    example, tester = "tests.test_m_examples::test_f_example_1", "tests.test_m::test_f"
    others = ["tests.test_m::test_g", "tests.test_m_examples::test_g_example_1"]

    def entry(answer):
        said = [f"{example}\t{answer}", f"{tester}\t{answer}"]
        return [others, [example, tester, *others], said]

    empty = {str(i): entry(a) for i, a in enumerate(["None", "{}", "[]"])}
    assert shared_miss(empty) == example
    assert history_suspects(empty, distinct=False) == set()
    assert history_suspects(empty, distinct=False, guard=False) == {example, tester}
    # a program answering something is a reading of the input, not a miss
    assert shared_miss({**empty, "1": entry("{'a': 1}")}) is None
    assert shared_miss(dict(list(empty.items())[:2])) is None  # two are too few


def test_only_a_pm_example_expecting_something_can_show_a_shared_miss():
    from softco.workflows.agreement import expects_something

    examples = (
        "def test_parse_line_example_1():\n"
        "    assert parse_line('2023-10-05 14:30:00 INFO up') == {'hour': 14}\n\n\n"
        "def test_parse_line_example_2():\n    assert parse_line('junk') is None\n\n\n"
        "def test_count_levels_example_1():\n    assert count_levels([]) == {}\n\n\n"
        "def test_mean_example_1():\n    assert mean([1, 4]) == pytest.approx(2.5)\n"
    )
    found = {
        n: expects_something(examples, n)
        for n in [
            "test_parse_line_example_1",
            "test_parse_line_example_2",
            "test_count_levels_example_1",
            "test_mean_example_1",
        ]
    }
    assert found == {
        "test_parse_line_example_1": True,
        "test_parse_line_example_2": False,
        "test_count_levels_example_1": False,  # programs answering {} here are right
        "test_mean_example_1": True,
    }


def _flawed_top_words_run(tmp_path, **workflow):
    """The demo build whose every coder answer ignores top_words' ``n``; the coder prompts."""
    prompts = []

    def answer(request, inner):
        reply = inner(request)
        if request.role == "coder":
            prompts.append(request.messages[-1]["content"])
            if TOP in reply.get("content", ""):
                reply = {"content": reply["content"].replace(TOP, TOP.replace("(n)", "(2)"))}
        return reply

    _demo_run(tmp_path, answer, **{"test_rounds": 1, **workflow})
    return [p for p in prompts if p.startswith("Write the file textstats/core.py")]


def test_fresh_repair_samples_get_the_gates_finding_as_a_rule(tmp_path):
    rule = "- top_words: Every parameter matters: the result must depend on n"
    fresh = [p for p in _flawed_top_words_run(tmp_path / "on") if "previous version:" not in p]
    assert any(rule in p for p in fresh)
    fresh = [
        p
        for p in _flawed_top_words_run(tmp_path / "off", finding_rules=False)
        if "previous version:" not in p
    ]
    assert fresh and not any(rule in p for p in fresh)
