"""Quality checks on generated code that need no model and no test run."""

from __future__ import annotations

from softco.quality.gates import check_module, check_tests, placeholder_ratio, signature_warnings

__all__ = ["check_module", "check_tests", "placeholder_ratio", "signature_warnings"]
