"""A CSV row read by column name comes from a DictReader, so the summary runs."""

from __future__ import annotations

import textwrap

import pytest

from softco.quality.csv_rows import dict_rows
from softco.quality.repairs import tidy
from softco.workflows.design_check import stated_design

BRIEF = (
    "csvsummary.py: summarize(csv_text: str, column: str) -> dict with keys 'count', 'mean' "
    "(KeyError for an unknown column)."
)
BY_NAME = textwrap.dedent(
    """\
    import csv


    def summarize(csv_text: str, column: str) -> dict:
        rows = csv.reader(csv_text.splitlines())
        values = []
        for row in rows:
            try:
                values.append(float(row[column]))
            except ValueError:
                pass
        return {"count": len(values), "mean": sum(values) / len(values) if values else 0.0}
    """
)
DATA = "name,age\nann,30\nbob,x\ncid,42\n"


def run(source: str, *args):
    namespace: dict = {}
    exec(compile(source, "csvsummary.py", "exec"), namespace)
    return namespace["summarize"](*args)


def test_rows_read_by_column_name_come_from_a_dict_reader():
    with pytest.raises(TypeError):
        run(BY_NAME, DATA, "age")  # a list indexed by a str
    design = stated_design(BRIEF)
    assert design is not None
    fixed = tidy(design.files[0], BY_NAME, design)
    assert "csv.DictReader(csv_text.splitlines())" in fixed
    assert run(fixed, DATA, "age") == {"count": 2, "mean": 36.0}
    with pytest.raises(KeyError):
        run(fixed, DATA, "height")


@pytest.mark.parametrize(
    "change",
    [
        ("float(row[column])", "float(row[0])"),  # read by position somewhere: a list is meant
        ("    values = []\n", "    values = []\n    header = next(rows)\n"),
        ("def summarize(csv_text: str, column: str)", "def summarize(csv_text, column)"),
    ],
)
def test_rows_read_by_position_or_with_the_header_taken_are_left_alone(change):
    source = BY_NAME.replace(*change)
    assert source != BY_NAME
    assert dict_rows(source) == source


def test_a_loop_straight_over_the_reader_and_a_literal_name_count_too():
    source = BY_NAME.replace("    rows = csv.reader(csv_text.splitlines())\n", "").replace(
        "for row in rows:", "for row in csv.reader(csv_text.splitlines()):"
    )
    source = source.replace("row[column]", "row['age']")
    fixed = dict_rows(source)
    assert "for row in csv.DictReader(csv_text.splitlines()):" in fixed
    assert run(fixed, DATA, "age") == {"count": 2, "mean": 36.0}


def test_code_that_made_its_own_mapping_or_names_a_dialect_is_left_alone():
    own_mapping = BY_NAME.replace(
        "rows = csv.reader(csv_text.splitlines())",
        "header = csv_text.splitlines()[0].split(',')\n"
        "    rows = csv.reader(csv_text.splitlines()[1:])",
    ).replace("        try:\n", "        row = dict(zip(header, row))\n        try:\n")
    assert run(own_mapping, DATA, "age") == {"count": 2, "mean": 36.0}  # it works as written
    assert dict_rows(own_mapping) == own_mapping
    dialect = BY_NAME.replace(
        "csv.reader(csv_text.splitlines())", "csv.reader(csv_text.splitlines(), 'excel')"
    )
    assert dict_rows(dialect) == dialect


def test_a_nested_function_is_edited_once():
    nested = (
        "import csv\n\n\ndef outer(text: str, column: str):\n    "
        + BY_NAME.split("\n\n\n", 1)[1].replace("\n", "\n    ").rstrip()
        + "\n    return summarize(text, column)\n"
    )
    fixed = dict_rows(nested)
    assert fixed.count("csv.DictReader(") == 1 and "DictReaderader" not in fixed
    namespace: dict = {}
    exec(compile(fixed, "nested.py", "exec"), namespace)
    assert namespace["outer"](DATA, "age") == {"count": 2, "mean": 36.0}
