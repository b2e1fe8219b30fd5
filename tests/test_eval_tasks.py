"""Task files: the public briefs load, and every kind of bad file is refused by line."""

from __future__ import annotations

import json

import pytest

from softco.eval.tasks import TaskFileError, load_tasks


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_public_briefs_load_with_interfaces_and_acceptance_tests():
    tasks = load_tasks("tasks/public_briefs.jsonl")
    assert len(tasks) == 10
    assert {t.category for t in tasks} == {"cli", "library", "game", "data"}
    for task in tasks:
        assert task.interface and "def test_" in task.acceptance_tests
        assert task.interface in task.brief() and task.brief().startswith(task.description)


def test_csv_with_optional_columns(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('name,description,category\nhello,"print hi, politely",cli\n')
    [task] = load_tasks(path)
    assert (task.name, task.description, task.category) == ("hello", "print hi, politely", "cli")
    assert task.brief() == "print hi, politely"


def test_missing_csv_column_names_the_header(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("name,category\nhello,cli\n")
    with pytest.raises(TaskFileError, match=r"t.csv:1: the header has no column 'description'"):
        load_tasks(path)


def test_missing_jsonl_key_names_the_line(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [{"name": "a", "description": "x"}, {"name": "b"}])
    with pytest.raises(TaskFileError, match="line 2: missing 'description'"):
        load_tasks(path)


def test_duplicate_name_points_at_both_lines(tmp_path):
    rows = [{"name": "a", "description": "x"}, {"name": "a", "description": "y"}]
    with pytest.raises(TaskFileError, match=r"line 2: duplicate task name 'a' \(first on line 1\)"):
        load_tasks(write_jsonl(tmp_path / "t.jsonl", rows))


def test_empty_description_is_refused(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [{"name": "a", "description": "   "}])
    with pytest.raises(TaskFileError, match="line 1: task 'a' has an empty description"):
        load_tasks(path)


def test_huge_description_is_refused_not_truncated(tmp_path):
    rows = [{"name": "ok", "description": "fine"}, {"name": "big", "description": "x" * 100_000}]
    with pytest.raises(TaskFileError) as info:
        load_tasks(write_jsonl(tmp_path / "t.jsonl", rows))
    assert "line 2: task 'big'" in str(info.value) and "100,000 characters" in str(info.value)
    assert "refused, not truncated" in str(info.value)


def test_unknown_extension_and_missing_file(tmp_path):
    path = tmp_path / "tasks.txt"
    path.write_text("name,description\n")
    with pytest.raises(TaskFileError, match=r"unknown task file extension '\.txt'"):
        load_tasks(path)
    with pytest.raises(TaskFileError, match="does not exist"):
        load_tasks(tmp_path / "nope.jsonl")


def test_every_problem_is_reported_at_once(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(
        '{"name": "a", "description": ""}\n\n{"name": "b c", "description": "x"}\n'
        '{"name": "d", "description": "x", "acceptance_tests": "def test(:"}\n'
    )
    with pytest.raises(TaskFileError) as info:
        load_tasks(path)
    text = str(info.value)
    assert "3 problem(s)" in text and "line 1:" in text and "line 3:" in text
    assert "line 4: task 'd' acceptance_tests do not parse" in text


def test_invalid_json_and_empty_file(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"name": "a", "description": "x"}\n{oops\n')
    with pytest.raises(TaskFileError, match=r"t\.jsonl:2: not valid JSON"):
        load_tasks(path)
    path.write_text("\n")
    with pytest.raises(TaskFileError, match="holds no tasks"):
        load_tasks(path)
