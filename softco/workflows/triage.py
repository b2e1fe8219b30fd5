"""Triage of a failing test run: whose fault each failure is, before anyone fixes it.

Many failures of a small model's suite are the test's own (a redefined
fixture, an undefined name), and a module that does not compile breaks every
test importing it; naming the culprit first sends each fix to the right author.
"""

from __future__ import annotations

import re
from typing import Literal

from softco.artifacts import Design

_TEST_SIDE = re.compile(
    r"fixture '\w+' not found|NameError|SyntaxError|IndentationError|ImportError|"
    r"ModuleNotFoundError|cannot import name|unexpected keyword argument|"
    r"takes \d+ positional argument"
)


def blame(
    message: str, test_path: str, round_no: int, promised: frozenset[str] = frozenset()
) -> Literal["code", "test"]:
    """Decide who fixes a failure: the owning coder or the tester.

    Errors raised from the test file itself (undefined names, bad imports,
    fixture misuse) are the tester's — except a failed import of a name the
    design ``promised``: then the module broke its interface. A failed assert
    is ambiguous, so the coder gets the first round and the tester the second
    (a second opinion).
    """
    missing = re.findall(r"cannot import name '(\w+)'", message)
    if missing and all(name in promised for name in missing):
        return "code"
    frames = re.findall(r"([\w/]+\.py):(\d+)", message)
    last_file = frames[-1][0] if frames else ""
    if "fixture" in message and "not found" in message:
        return "test"
    if _TEST_SIDE.search(message) and last_file.endswith(test_path.rsplit("/", 1)[-1]):
        return "test"
    if "AssertionError" in message or "assert " in message:
        return "code" if round_no % 2 == 0 else "test"
    return "code"


def unparsable_modules(design: Design, output: str) -> list[str]:
    """Design files a collection traceback shows failing to compile (SyntaxError)."""
    if not re.search(r"\b(SyntaxError|IndentationError|TabError)\b", output):
        return []
    return [
        f.path
        for f in design.files
        if re.search(rf'File "[^"]*\b{re.escape(f.path)}", line \d+', output)
    ]
