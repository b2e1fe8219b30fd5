"""Execution feedback for a repair: run the failing tests traced, tell what the code did.

The sandbox runs ``quality.case_trace``'s script beside the suite, so a
repair prompt can say "``parse_line(...)`` returned None from line 7 because
``len(parts) != 5`` was true" instead of only pytest's ``assert None == {...}``.
"""

from __future__ import annotations

from softco.artifacts import FileSpec, TestReport
from softco.artifacts.reports import case_file, module_of_test
from softco.errors import SoftcoError
from softco.quality.case_trace import describe_trace, parse_trace, trace_script
from softco.workflows.runtime import Runtime

TRACE_PATH = "softco_trace.py"
TRACE_TIMEOUT_S = 20


def traced_failures(rt: Runtime, spec: FileSpec, report: TestReport, test_paths: list[str]) -> str:
    """What ``spec``'s code did on the failing tests of ``test_paths`` ("" when off or untold)."""
    if not rt.settings.workflow.trace_failures or not rt.workspace.exists(spec.path):
        return ""
    modules = {module_of_test(p) for p in test_paths}
    cases = [
        c.name
        for c in report.cases
        if c.outcome in ("failed", "error") and case_file(c.name) in modules
    ]
    script = trace_script(spec.path, cases)
    if script is None:
        return ""
    rt.workspace.write(TRACE_PATH, script)
    try:
        ran = rt.workspace.run_entrypoint(TRACE_PATH, timeout_s=TRACE_TIMEOUT_S)
    except SoftcoError:
        return ""
    finally:
        rt.workspace.delete(TRACE_PATH)
    return describe_trace(parse_trace(ran.stdout), rt.workspace.read(spec.path))
