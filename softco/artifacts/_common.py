"""Small helpers shared by the artifact models."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


def duplicates(items: Iterable[str]) -> list[str]:
    """Values that occur more than once, sorted, so messages are deterministic."""
    return sorted(k for k, n in Counter(items).items() if n > 1)


def trim_text(text: str, limit: int = 2000) -> str:
    """Shorten long output for a prompt, keeping the head and, mostly, the tail.

    Tracebacks and pytest summaries put what matters at the end, so three
    quarters of the budget goes to the tail.
    """
    if len(text) <= limit:
        return text
    head = limit // 4
    tail = limit - head
    cut = len(text) - head - tail
    return f"{text[:head]}\n... [{cut} characters trimmed] ...\n{text[-tail:]}"
