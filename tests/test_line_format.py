"""A line format the brief quotes becomes the split to copy in the coder's prompt."""

from __future__ import annotations

import datetime

from softco.artifacts import PRD
from softco.config import Settings
from softco.events import EventLog
from softco.llm import Gateway, ScriptedTransport
from softco.quality.line_format import format_rules, line_formats
from softco.workflows.build import write_module
from softco.workflows.design_check import stated_design
from softco.workflows.runtime import Runtime
from softco.workspace.repo import Workspace

LOGS = (
    "Parse application log lines of the form 'YYYY-MM-DD HH:MM:SS LEVEL message'.\n\n"
    "Interface:\nlogstats.py: parse_line(line: str) -> dict | None (keys 'date', 'hour' "
    "(int), 'level', 'message'; None for a malformed line); count_levels(lines: list[str]) "
    "-> dict[str, int]."
)


def spec_of(brief: str):
    design = stated_design(brief)
    assert design is not None
    return design, design.files[0]


def test_the_rule_gives_a_split_that_takes_a_real_line_apart():
    _, spec = spec_of(LOGS)
    (rule,) = format_rules(spec)
    assert rule.startswith("parse_line: a line looks like 'YYYY-MM-DD HH:MM:SS LEVEL message'")
    split = rule.split("`")[1]
    check = rule.split("`")[3]
    scope: dict = {"line": "2024-05-01 09:20:11 ERROR disk full", "datetime": datetime.datetime}
    exec(split, scope)
    assert (scope["date"], scope["level"], scope["message"]) == ("2024-05-01", "ERROR", "disk full")
    assert "int(time[:2])" in rule and int(scope["time"][:2]) == 9
    eval(check, scope)  # a well-formed stamp passes the check
    scope["date"] = "garbage"
    try:
        eval(check, scope)
        raise AssertionError("a malformed date passed the check")
    except ValueError:
        pass


def test_only_quoted_formats_of_field_names_count():
    assert line_formats("prints one 'word count' line") == []
    assert line_formats("the text 'hello big world'") == []
    assert line_formats('rows "NAME AGE CITY"') == [["NAME", "AGE", "CITY"]]
    # a function without a line parameter gets no rule even when a format is quoted
    _, spec = spec_of("Count 'YYYY-MM-DD LEVEL message' lines.\n\nc.py: count(text: str) -> int.")
    assert format_rules(spec) == []


def test_the_first_whole_file_prompt_carries_it_unless_switched_off(tmp_path):
    design, spec = spec_of(LOGS)
    prd = PRD.model_validate(
        {
            "title": "Logs",
            "summary": "Log stats.",
            "goals": ["g"],
            "features": ["f"],
            "user_stories": [
                {
                    "title": "parse",
                    "story": "As an operator, I want lines parsed.",
                    "acceptance": [{"text": "parsing works"}],
                }
            ],
        }
    )
    code = (
        "def parse_line(line: str) -> dict | None:\n"
        "    try:\n"
        "        date, time, level, message = line.split(maxsplit=3)\n"
        "    except ValueError:\n"
        "        return None\n"
        "    return {'date': date, 'hour': int(time[:2]), 'level': level, 'message': message}\n\n\n"
        "def count_levels(lines: list[str]) -> dict[str, int]:\n"
        "    counts: dict[str, int] = {}\n"
        "    for parsed in filter(None, map(parse_line, lines)):\n"
        "        counts[parsed['level']] = counts.get(parsed['level'], 0) + 1\n"
        "    return counts\n"
    )
    for enabled in (True, False):
        transport = ScriptedTransport(default=f"```python\n{code}```")
        settings = Settings.load(memory={"enabled": False}, workflow={"line_format": enabled})
        run_dir = tmp_path / str(enabled)
        rt = Runtime(
            settings=settings,
            llm=Gateway(settings, transport=transport, cache=None),
            events=EventLog(run_dir, "r"),
            workspace=Workspace(run_dir / "ws", settings.sandbox),
            run_dir=run_dir,
            run_id="r",
        )
        write_module(rt, spec, design, prd, gen=0, sprint=None)
        prompt = transport.requests[0].messages[-1]["content"]
        assert ("line.split(maxsplit=3)" in prompt) is enabled


def test_a_function_written_again_alone_gets_the_split_too(monkeypatch):
    from softco.artifacts import CodeFile
    from softco.workflows import unit_rewrite

    design, spec = spec_of(LOGS)
    hints = []

    def write_function(ctx, spec, name, design, prd, temperature, seed, hint):
        hints.append(hint)
        return CodeFile(path=spec.path, content="def parse_line(line):\n    return None\n")

    monkeypatch.setattr(unit_rewrite.coder, "write_function", write_function)
    content = "def parse_line(line):\n    return 1\n"
    unit_rewrite.sample_unit(None, spec, design, None, content, "parse_line", "a hint", 1)
    unit_rewrite.sample_unit(None, spec, design, None, content, "count_levels", "", 1)
    assert hints[0].startswith("a hint parse_line: a line looks like")
    assert hints[1] == ""
