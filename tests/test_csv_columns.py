"""An unknown column raises the KeyError the interface promises, from the header."""

from __future__ import annotations

import pytest

from softco.quality.csv_columns import unknown_column_raises
from softco.quality.repairs import tidy
from softco.workflows.design_check import stated_design

BRIEF = (
    "csvsummary.py: summarize(csv_text: str, column: str) -> dict with keys 'count', 'max' "
    "(KeyError for an unknown column; all zero when no numeric values)."
)
GUARDED = (
    "import csv\n\n\n"
    "def summarize(csv_text: str, column: str) -> dict:\n"
    "    result = {'count': 0, 'max': 0}\n"
    "    try:\n"
    "        reader = csv.DictReader(csv_text.splitlines())\n"
    "        for row in reader:\n"
    "            if column in row and row[column].isdigit():\n"
    "                result['count'] += 1\n"
    "                result['max'] = max(result['max'], int(row[column]))\n"
    "    except csv.Error:\n"
    "        pass\n"
    "    return result\n"
)


def run(code: str):
    scope: dict = {}
    exec(compile(code, "csvsummary.py", "exec"), scope)
    return scope["summarize"]


def spec():
    design = stated_design(BRIEF)
    assert design is not None
    return design, design.files[0]


def test_a_guarded_read_raises_for_an_unknown_column_and_still_counts():
    design, file = spec()
    assert run(GUARDED)("a,b\n1,2\n", "zzz") == {"count": 0, "max": 0}  # the bug
    fixed = tidy(file, GUARDED, design)
    assert "raise KeyError(column)" in fixed
    with pytest.raises(KeyError):
        run(fixed)("a,b\n1,2\n", "zzz")
    assert run(fixed)("a,b\n1,2\n3,x\n", "a") == {"count": 2, "max": 3}
    assert run(fixed)("a\nx\n", "a") == {"count": 0, "max": 0}


def test_left_alone_where_the_function_handles_it_or_nothing_is_promised():
    _, file = spec()
    raises = GUARDED.replace(
        "            if column in row and",
        "            if column not in row:\n                raise KeyError(column)\n            if",
    )
    header = GUARDED.replace("for row in reader:", "for row in reader or reader.fieldnames:")
    for code in (raises, header):
        assert unknown_column_raises(file, code) == code
    quiet = stated_design("c.py: summarize(csv_text: str, column: str) -> dict (all zero).")
    assert quiet is not None
    assert unknown_column_raises(quiet.files[0], GUARDED) == GUARDED
