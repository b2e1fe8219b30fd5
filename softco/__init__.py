"""softco: a software company made of LLM agents."""

from __future__ import annotations

import softco.config  # noqa: F401  (sets the offline environment before anything else)

__version__ = "0.1.0"
