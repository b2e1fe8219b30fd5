"""A complete scripted "model" for the textstats demo: every role's answers, by request.

It ships in the package so the examples, the tests and ``softco run --scripted``
can show a whole run — debate, design, synthesis, tests, review — with no
model at all, deterministically. Replies are chosen by role and by the file a
request is about (coders of one generation run concurrently, so order alone
would not do).
"""

from __future__ import annotations

from typing import Any

from softco.llm.scripted import ScriptedTransport
from softco.llm.transport import CompletionRequest

BRIEF = (
    "A Python library 'textstats' with word_count(text) and top_words(text, n), "
    "plus a CLI that prints the word count of a text file."
)

PRD = {
    "title": "textstats",
    "summary": "A tiny library and CLI that count words in text.",
    "goals": ["Count words reliably", "Show the most common words"],
    "features": ["word counting", "top words", "command-line interface"],
    "user_stories": [
        {
            "id": "US1",
            "title": "Count words",
            "story": "As a writer, I want word_count(text) so that I know how long my text is.",
            "acceptance": [
                {
                    "text": "word_count returns the number of words",
                    "examples": [{"call": "word_count('a b  c')", "expected": "3"}],
                }
            ],
        },
        {
            "id": "US2",
            "title": "Top words",
            "story": "As an editor, I want top_words(text, n) so that I see repeated words.",
            "acceptance": [
                {
                    "text": "top_words returns (word, count) pairs, most common first",
                    "examples": [{"call": "top_words('b a b', 1)", "expected": "[('b', 2)]"}],
                }
            ],
        },
        {
            "id": "US3",
            "title": "CLI",
            "story": "As a user, I want `python -m textstats.cli FILE` to print the word count.",
            "acceptance": [{"text": "main([path]) prints the count and returns 0"}],
        },
    ],
    "non_goals": ["Natural-language tokenisation"],
    "constraints": ["standard library only"],
}

CRITIQUES = {
    "user_advocate": {
        "summary": "Mostly clear.",
        "objections": [
            {
                "target": "US3",
                "text": "What happens when the file does not exist?",
                "severity": "major",
            }
        ],
    },
    "qa_skeptic": {
        "summary": "Testable.",
        "objections": [
            {
                "target": "US2",
                "text": "Ties in top_words need a defined order.",
                "severity": "minor",
            }
        ],
    },
}

REBUTTAL = {
    "answers": [
        {
            "objection_id": "O1",
            "text": "main returns 1 and prints an error for a missing file.",
            "revised": True,
        },
        {
            "objection_id": "O2",
            "text": "Ties keep first-seen order (Counter.most_common).",
            "revised": False,
        },
    ]
}

VERDICT = {
    "summary": "Both objections are answered.",
    "consensus": True,
    "rulings": [
        {"objection_id": "O1", "verdict": "resolved", "reason": "Error path defined."},
        {"objection_id": "O2", "verdict": "waived", "reason": "Counter order is fine."},
    ],
}

DESIGN = {
    "summary": "core.py holds the counting functions; cli.py wraps them.",
    "entry_point": "textstats/cli.py",
    "dependencies": [],
    "files": [
        {
            "path": "textstats/__init__.py",
            "responsibility": "Package marker.",
            "interface": [],
            "depends_on": [],
        },
        {
            "path": "textstats/core.py",
            "responsibility": "Word counting functions.",
            "interface": [
                {
                    "signature": "def word_count(text: str) -> int",
                    "docstring": "Number of whitespace-separated words.",
                },
                {
                    "signature": "def top_words(text: str, n: int) -> list[tuple[str, int]]",
                    "docstring": "The n most common lower-cased words with their counts.",
                },
            ],
            "depends_on": [],
        },
        {
            "path": "textstats/cli.py",
            "kind": "cli",
            "responsibility": "Command-line interface.",
            "interface": [
                {
                    "signature": "def main(argv: list[str] | None = None) -> int",
                    "docstring": "Print the word count of the file argv[0]; "
                    "returns 0, or 1 for a missing file.",
                }
            ],
            "depends_on": ["textstats/core.py"],
        },
    ],
}

CODE = {
    "textstats/__init__.py": '"""textstats: count words."""\n',
    "textstats/core.py": '''"""Word counting."""

from collections import Counter


def word_count(text: str) -> int:
    """Number of whitespace-separated words."""
    return len(text.split())


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """The n most common lower-cased words with their counts."""
    return Counter(w.lower() for w in text.split()).most_common(n)
''',
    "textstats/cli.py": '''"""Command-line interface."""

import argparse
import sys

from textstats.core import word_count


def main(argv: list[str] | None = None) -> int:
    """Print the word count of the file argv[0]; returns 0, or 1 for a missing file."""
    parser = argparse.ArgumentParser(prog="textstats")
    parser.add_argument("path")
    args = parser.parse_args(argv)
    try:
        with open(args.path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(word_count(text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
''',
}

TESTS = {
    "textstats/core.py": """from textstats.core import top_words, word_count


def test_word_count_counts_words():
    assert word_count("a b  c") == 3


def test_word_count_empty():
    assert word_count("") == 0


def test_top_words_most_common_first():
    assert top_words("b a b", 1) == [("b", 2)]
""",
    "textstats/cli.py": """from textstats.cli import main


def test_main_prints_count(tmp_path, capsys):
    f = tmp_path / "t.txt"
    f.write_text("one two three")
    assert main([str(f)]) == 0
    assert capsys.readouterr().out.strip() == "3"


def test_main_missing_file_returns_1(tmp_path):
    assert main([str(tmp_path / "missing.txt")]) == 1
""",
}

CASES = {
    "textstats/core.py": {
        "cases": [
            {"behaviour": "counts words", "call": "word_count('a b  c')", "expected": "3"},
            {"behaviour": "empty", "call": "word_count('')", "expected": "0"},
            {
                "behaviour": "most common first",
                "call": "top_words('b a b', 1)",
                "expected": "[('b', 2)]",
            },
        ]
    },
    "textstats/cli.py": {
        "cases": [],
        "cli": [
            {
                "behaviour": "prints count",
                "files": [{"name": "t.txt", "content": "one two three"}],
                "steps": [{"argv": ["t.txt"], "exit_code": 0, "output": ["3"]}],
            },
            {
                "behaviour": "missing file returns 1",
                "files": [{"name": "other.txt", "content": "not the one asked for"}],
                "steps": [{"argv": ["missing.txt"], "exit_code": 1, "output": []}],
            },
        ],
    },
}
"""The same checks as ``TESTS``, as the tester's cases (``workflow.test_cases``)."""

REVIEW = {
    "summary": "Small, clear and tested.",
    "findings": [
        {
            "file": "textstats/core.py",
            "line": 12,
            "severity": "minor",
            "message": "top_words could validate n >= 0.",
            "suggested_fix": "Raise ValueError.",
        }
    ],
}

BACKLOG = {
    "features": ["word counting", "top words"],
    "stories": [
        {
            "id": "S1",
            "title": "Count words",
            "description": "word_count(text) in core",
            "priority": 1,
            "points": 2,
            "acceptance": ["word_count('a b') == 2"],
        },
        {
            "id": "S2",
            "title": "Top words",
            "description": "top_words(text, n) in core",
            "priority": 2,
            "points": 3,
            "acceptance": ["top_words('b a b', 1) == [('b', 2)]"],
        },
    ],
}

RETRO = {
    "went_well": ["tests passed first time"],
    "to_improve": ["smaller stories"],
    "lessons": ["Counter.most_common gives a stable order for ties"],
}


def _about(request: CompletionRequest, table: dict[str, Any]) -> Any:
    """The entry of ``table`` whose path the request's last user message mentions."""
    text = request.messages[-1]["content"]
    found = [(text.find(path), path) for path in table if path in text]
    if found:  # the file the request is about is named before its dependencies
        return table[min(found)[1]]
    raise KeyError(f"scripted demo has no answer for this request: {text[:120]!r}")


def _code(request: CompletionRequest) -> dict[str, str]:
    return {"content": _about(request, CODE)}


def _tests(request: CompletionRequest) -> dict[str, Any]:
    if request.schema_name in ("TestCases", "CliTestCases"):
        return _about(request, CASES)
    return {"content": _about(request, TESTS)}


def demo_transport(delay_s: float = 0.0) -> ScriptedTransport:
    """Answers for a waterfall or agile run of :data:`BRIEF` (any number of sprints)."""
    critique = {
        "critic:user_advocate": CRITIQUES["user_advocate"],
        "critic:qa_skeptic": CRITIQUES["qa_skeptic"],
    }

    def by_schema(request: CompletionRequest) -> Any:
        role, schema = request.role, request.schema_name
        if role.startswith("critic"):
            return critique.get(role, {"summary": "Fine.", "objections": []})
        table = {
            ("pm", "PRD"): PRD,
            ("pm", "Rebuttal"): REBUTTAL,
            ("pm", "Backlog"): BACKLOG,
            ("pm", "Retrospective"): RETRO,
            ("judge", "DebateVerdict"): VERDICT,
            ("architect", "Design"): DESIGN,
            ("reviewer", "ReviewReport"): REVIEW,
        }
        if (role, schema) in table:
            return table[(role, schema)]
        if role == "coder":
            return _code(request)
        if role == "tester":
            return _tests(request)
        raise KeyError(f"scripted demo has no answer for role {role!r} schema {schema!r}")

    return ScriptedTransport(default=by_schema, delay_s=delay_s)
