"""Say how to take apart a line whose format the brief states, before the coder writes it.

Why: logstats' brief says lines have the form ``'YYYY-MM-DD HH:MM:SS LEVEL
message'``. Every 1.5B sample of ``parse_line`` in sessions 12–14 got the
split wrong in a way no repair round undid — ``len(parts) != 5`` on a
message with spaces, ``int(hour)`` of ``'09:20:11'``, the date turned into a
``datetime`` the interface never asked for — and since the same bug was in
every sample, agreement between samples could not pick a right one. The
format itself says how to split: one field per token, the last, a lower-case
word such as ``message``, being the rest of the line. Small models copy a
concrete line, so the rule carries one:
``date, time, level, message = line.split(maxsplit=3)``.

Only a quoted format of three or more tokens, all upper-case field names
(``LEVEL``, ``YYYY-MM-DD``, ``HH:MM:SS``) but perhaps the last, and only for
interface functions that take a ``line`` parameter.
"""

from __future__ import annotations

import re

from softco.artifacts.design import FileSpec

_QUOTED = re.compile(r"""'([^'\n]{5,100})'|"([^"\n]{5,100})"|`([^`\n]{5,100})`""")
_FIELD = re.compile(r"[A-Z]+(?:[-:/.][A-Z]+)*")
_FREE = re.compile(r"[a-z][a-z_]*")
MIN_FIELDS = 3


def line_formats(text: str) -> list[list[str]]:
    """The tokens of each quoted line format in ``text`` (``['YYYY-MM-DD', ..., 'message']``)."""
    found = []
    for m in _QUOTED.finditer(text):
        tokens = next(g for g in m.groups() if g is not None).split()
        if len(tokens) < MIN_FIELDS:
            continue
        *fields, last = tokens
        if all(_FIELD.fullmatch(t) for t in fields) and (
            _FIELD.fullmatch(last) or _FREE.fullmatch(last)
        ):
            found.append(tokens)
    return found


def format_rules(spec: FileSpec) -> list[str]:
    """One rule per interface function taking a ``line`` of a format the spec quotes."""
    text = " ".join([spec.responsibility, *(fn.docstring for fn in spec.interface)])
    formats = line_formats(text)
    if not formats:
        return []
    tokens = formats[0]
    names = _names(tokens)
    free = bool(_FREE.fullmatch(tokens[-1]))
    split = f"line.split(maxsplit={len(tokens) - 1})" if free else "line.split()"
    rules = []
    for fn in spec.interface:
        if not fn.signature.startswith("def ") or not re.search(r"[(,]\s*line\b", fn.signature):
            continue
        rule = (
            f"{fn.name}: a line looks like '{' '.join(tokens)}'; take it apart with "
            f"`{', '.join(names)} = {split}` "
        )
        rule += (
            f"(the last field, {names[-1]}, is the rest of the line, spaces included)"
            if free
            else f"({len(tokens)} fields)"
        )
        rule += (
            "; a line with fewer fields raises ValueError there, so it is malformed. "
            "Each field stays text unless the interface gives it a type"
        )
        times = [n for t, n in zip(tokens, names, strict=True) if t.startswith("HH")]
        if times:
            rule += f"; the hour of '{tokens[names.index(times[0])]}' is int({times[0]}[:2])"
        stamped = [(n, _strptime(t)) for t, n in zip(tokens, names, strict=True) if _strptime(t)]
        if stamped:
            fields = " ".join("{" + n + "}" for n, _ in stamped)
            pattern = " ".join(p for _, p in stamped)
            rule += (
                f'; `datetime.strptime(f"{fields}", "{pattern}")` raises ValueError when '
                "they are malformed (a check only: keep the text)"
            )
        rules.append(rule + ".")
    return rules


_DATE = {"YYYY": "%Y", "YY": "%y", "MM": "%m", "DD": "%d"}
_TIME = {"HH": "%H", "MM": "%M", "SS": "%S"}


def _strptime(token: str) -> str:
    """``%Y-%m-%d`` for ``YYYY-MM-DD``, ``%H:%M:%S`` for ``HH:MM:SS``; "" for other tokens."""
    parts = re.split(r"([-:/.])", token)
    table = _TIME if token.startswith("HH") else _DATE
    out = [table.get(p, p if p in "-:/." else "") for p in parts]
    return "".join(out) if len(parts) >= 3 and all(out) else ""


def _names(tokens: list[str]) -> list[str]:
    """A variable name per token: ``date``, ``time``, ``level``, ``message``."""
    names: list[str] = []
    for i, token in enumerate(tokens):
        if _FREE.fullmatch(token):
            name = token
        elif "YY" in token or "DD" in token:
            name = "date"
        elif token.startswith("HH"):
            name = "time"
        elif token.isalpha():
            name = token.lower()
        else:
            name = f"field{i + 1}"
        names.append(name if name not in names else f"{name}{i + 1}")
    return names
