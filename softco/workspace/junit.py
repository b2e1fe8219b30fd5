"""Turn pytest's JUnit XML into a :class:`TestRunResult`.

The XML, not pytest's console text, is the source of truth: it is structured,
stable across pytest versions and cannot be spoofed by what a test prints.
Console output is only kept as a trimmed tail for context.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from softco.workspace.results import (
    Outcome,
    SandboxResult,
    TestCaseOutcome,
    TestRunResult,
    trim_text,
)

EXIT_NO_TESTS = 5
TAIL_CHARS = 3000
_COLLECTION_MESSAGES = ("collection failure", "collection skipped")


def _case_name(case: ET.Element) -> str:
    classname = case.get("classname", "")
    name = case.get("name", "")
    return f"{classname}::{name}" if classname else name


def _case_file(case: ET.Element) -> str:
    if case.get("file"):
        return case.get("file", "")
    module = case.get("classname", "").split(".")
    return "/".join(module) + ".py" if module and module[0] else ""


def _outcome(case: ET.Element) -> tuple[Outcome, str, bool]:
    """(outcome, message, is a collection error) for one ``<testcase>``."""
    for tag, outcome in (("error", "error"), ("failure", "failed"), ("skipped", "skipped")):
        node = case.find(tag)
        if node is None:
            continue
        header = node.get("message", "")
        body = (node.text or "").strip()
        message = "\n".join(p for p in (header, body) if p) if header not in body else body
        collection = tag == "error" and header in _COLLECTION_MESSAGES
        return outcome, message, collection  # type: ignore[return-value]
    return "passed", "", False


def parse_junit(xml_path: Path, run: SandboxResult) -> TestRunResult:
    """Combine the XML (if pytest wrote one) with what the process did."""
    output = run.stdout + ("\n" + run.stderr if run.stderr.strip() else "")
    result = TestRunResult(
        exit_code=run.exit_code,
        duration_s=run.duration_s,
        timed_out=run.timed_out,
        killed_reason=run.killed_reason,
        network_isolated=run.network_isolated,
        warnings=list(run.warnings),
        raw_tail=output[-TAIL_CHARS:],
    )
    try:
        root = ET.parse(xml_path).getroot()
    except (OSError, ET.ParseError):
        root = None
    collection_errors: list[str] = []
    if root is not None:
        for case in root.iter("testcase"):
            outcome, message, collection = _outcome(case)
            if collection:
                collection_errors.append(f"{_case_name(case)}:\n{message}")
                continue
            result.cases.append(
                TestCaseOutcome(
                    name=_case_name(case),
                    file=_case_file(case),
                    outcome=outcome,
                    message=trim_text(message),
                )
            )
    for case in result.cases:
        setattr(result, _COUNTERS[case.outcome], getattr(result, _COUNTERS[case.outcome]) + 1)
    result.total = len(result.cases)
    if collection_errors:
        result.collection_error = trim_text("\n\n".join(collection_errors), 3000)
    elif run.exit_code == EXIT_NO_TESTS and not run.timed_out:
        result.no_tests_collected = True
        result.warnings.append("no tests were collected")
    elif root is None and not (run.timed_out or run.killed_reason):
        result.collection_error = trim_text(
            f"pytest ended with exit code {run.exit_code} and wrote no report:\n{output}", 3000
        )
    return result


_COUNTERS: dict[str, str] = {
    "passed": "passed",
    "failed": "failed",
    "error": "errors",
    "skipped": "skipped",
}
