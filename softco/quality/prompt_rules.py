"""The rules a coder prompt carries from the interface alone, before anything is written.

Each is a line a small model copies (a record layout, a split, a table of
unit sizes), read from the brief's own signatures and words; each has its
switch in ``workflow`` so the ablation can measure it. Gathered here because
two prompts carry them: the whole-file prompt (``build.write_module``) and a
function written again on its own (``unit_rewrite.sample_unit``), which gets
the ones naming that function.
"""

from __future__ import annotations

from softco.artifacts import FileSpec
from softco.config import WorkflowSettings
from softco.quality.line_format import format_rules
from softco.quality.state_layout import layout_rules
from softco.quality.unit_table import table_rules


def interface_rules(spec: FileSpec, wf: WorkflowSettings) -> list[str]:
    """Every rule ``spec``'s interface calls for, with the switches ``wf`` leaves on."""
    return [
        *(layout_rules(spec) if wf.state_layout else []),
        *(format_rules(spec) if wf.line_format else []),
        *(table_rules(spec) if wf.unit_table else []),
    ]


def function_rules(spec: FileSpec, name: str, wf: WorkflowSettings) -> list[str]:
    """The rules naming function ``name`` (each starts ``name: ``)."""
    return [r for r in interface_rules(spec, wf) if r.startswith(f"{name}: ")]
