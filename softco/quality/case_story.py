"""Calls on one relative file, told as a story (split from ``case_tests``).

The tester writes a file-backed module's cases in order (todo: add an item,
add another, list them, mark one done); every test runs in a fresh directory,
so ``chain_files`` gives each case the earlier calls on its file as setup.
A case expecting a string the story never put in (``_unheard_of``), or a list
or dict where the annotation says otherwise, is not asserted but stays a step
of the story, unless anything says its call may fail (``call_may_fail``).
``CheckedCase`` is a case that passed ``case_tests``' checks.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from softco.artifacts import FileSpec
from softco.quality.clauses import clause_raises
from softco.quality.cli_cases import FILE_ARG
from softco.quality.stated_raises import described


@dataclass
class CheckedCase:
    """A tester's case that passed the checks: what its test sets up, calls and expects."""

    name: str
    behaviour: str
    setup: list[str]
    call: str
    kind: str
    value: Any
    returns: ast.expr | None = None
    uses: set[str] = field(default_factory=set)
    may_fail: bool = True
    """Whether the interface says (or may say) the call fails: never replayed unasserted."""


def interface_words(spec: FileSpec) -> str:
    """What the design says of the module: its responsibility, signatures and docstrings."""
    parts = [spec.responsibility, *(f"{fn.signature} {fn.docstring}" for fn in spec.interface)]
    return "\n".join(parts)


_FAILURE_WORDS = re.compile(r"raise|throw|error|exception|invalid|not found|fail|unknown", re.I)


def call_may_fail(spec: FileSpec, body: ast.expr) -> bool:
    """Whether anything says ``body``'s call may fail, or nothing says what it does.

    A stated clause making it raise, or its description speaking of errors,
    unknown ids, exceptions: such a call replayed without its own assertion
    (a story step) would raise in every later test of the story.
    """
    if not isinstance(body, ast.Call) or clause_raises(spec, body) is not None:
        return True
    said = described(spec, body)
    return said is None or bool(_FAILURE_WORDS.search(said))


def file_of(c: CheckedCase) -> str | None:
    """The relative file a setup-less call of a module function works on, if it names one.

    ``add('tasks.json', 'Buy milk')`` works on ``tasks.json``; a call whose
    arguments name no file, or name several, has none.
    """
    if c.setup:
        return None
    node = ast.parse(c.call, mode="eval").body
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return None
    files = {
        a.value
        for a in [*node.args, *(k.value for k in node.keywords)]
        if isinstance(a, ast.Constant)
        and isinstance(a.value, str)
        and FILE_ARG.fullmatch(a.value)
        and not a.value.startswith("/")
    }
    return files.pop() if len(files) == 1 else None


def chain_files(checked: list[CheckedCase], stated: str = "") -> list[str]:
    """Give each call on a file the earlier calls on that file as its setup, in order.

    The tester writes a stateful module's cases as one story told in order
    (todo, session 11: ``add('tasks.json', 'Buy milk') == 1``, then ``== 2`` for a
    second add, then ``list_items('tasks.json')`` listing both, then
    ``complete('tasks.json', 1) is True``), but every test runs in a fresh
    directory, so alone each later case met no file and failed against any
    right code. Replaying the story up to a case is what it assumed, as
    ``case_script`` replays an object's earlier calls. A raising case gets the
    story so far but is not replayed itself, a case with its own setup stands
    alone, and one written twice (same call, same result) is a repeat, not a
    next step. A case expecting a string no step of its story put in, and that
    ``stated`` (the interface's words) never names, is removed from
    ``checked`` (``_unheard_of``); the returned reasons say which. A ``step``
    (a right call whose expected value was wrong: todo's tester expected
    ``add('tasks.json', 'Read a book')`` to return the list, then listed the
    book) is removed too, but its call stays in the story the later cases replay.
    """
    told: dict[str, list[str]] = {}
    first: dict[tuple[str, str, str], list[str]] = {}  # (call, kind, expected) -> setup
    dropped: list[str] = []
    for c in list(checked):
        path = file_of(c)
        if path is None:
            continue
        said = (c.call, c.kind, repr(c.value))
        if said in first:  # the same case written twice: a repeat, not a next step
            c.setup = list(first[said])
            continue
        earlier = told.setdefault(path, [])
        if c.kind == "step":  # its expected value was wrong: replayed, never asserted
            checked.remove(c)
            if c.call not in earlier:  # the same call again, reworded: not a next step
                earlier.append(c.call)
            continue
        invented = _unheard_of(c, earlier, stated) if c.kind == "value" else None
        if invented is not None:
            checked.remove(c)
            if not c.may_fail:  # its assertion goes; the later cases assumed the call
                earlier.append(c.call)
            kept_as = "" if c.may_fail else "; kept as a step of its story"
            dropped.append(
                f"{c.call[:60]!r}: expects {invented[:40]!r}, which no earlier step on "
                f"{path} put in and the interface never names{kept_as}"
            )
            continue
        c.setup = list(earlier)
        first[said] = c.setup
        if c.kind == "value":
            earlier.append(c.call)
    return dropped


def replayed_names(c: CheckedCase, spec: FileSpec) -> set[str]:
    """The module's names a case's setup calls (a replayed step's function may be in no other)."""
    offered = {fn.name for fn in spec.interface}
    return {
        n.id
        for line in c.setup
        for n in ast.walk(ast.parse(line))
        if isinstance(n, ast.Name) and n.id in offered
    }


def _unheard_of(c: CheckedCase, story: list[str], stated: str) -> str | None:
    """A string inside the expected value that the story and the interface never mention.

    A file-backed module holds only what the story's calls put in: todo's tester
    expected ``list_items('tasks.json')`` to list 'Read a book' and 'Write a blog
    post' after a story that had added only 'Buy milk' (session 12), so the
    test failed against any right code. A string counts as mentioned when it
    is part of an argument of the story or the call, or holds one (derived
    text like '[x] Buy milk', a number stored as '3.5'), or appears in the
    interface's words, case aside. Only
    strings inside a container are judged (an item's text, not a printed
    message), never dict keys (field names), and none under three characters.
    """
    args = [
        str(node.value).casefold()
        for source in [*story, c.call]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str | int | float)
    ]
    named = stated.casefold()
    for text in _inner_strings(c.value, top=True):
        folded = text.casefold()
        if len(text) < 3 or folded in named:
            continue
        if not any(folded in a or a in folded for a in args if a):
            return text
    return None


def _inner_strings(value: Any, top: bool = False) -> list[str]:
    """The strings inside ``value``'s lists, tuples, sets and dict values (not ``value`` itself)."""
    if isinstance(value, str):
        return [] if top else [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _inner_strings(v)]
    if isinstance(value, list | tuple | set | frozenset):
        return [s for v in value for s in _inner_strings(v)]
    return []
