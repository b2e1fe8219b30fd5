"""A tester's rewrite faces the programs repair already sampled before it is trusted.

A kept rewrite of a test file has only shown that the current program passes
more of it than of the old file. Its new tests never met the other programs
repair sampled, so a wrong expected value in them (logstats, session 11: two
tests of the round-2 rewrite that the right code failed) had no three
programs against it and reached the delivered suite. ``recheck_rewrite``
runs the rewritten suite under each whole-file program the repair history
kept (``agreement.evidence``), replaces that history with the fresh runs and
returns the tests every one of them fails while passing others of the file
(``agreement.suspect_tests``); the caller pins or removes them as after any
repair round.
"""

from __future__ import annotations

from softco.artifacts import Design, FileSpec
from softco.workflows.agreement import digest, evidence, history_suspects, probe_values
from softco.workflows.runtime import Runtime
from softco.workflows.unit_repair import test_opinions

PROGRAMS = 8
"""At most this many earlier programs are run again (the latest ones): each is a suite run."""


def earlier_programs(history: dict[str, list[list[str]]]) -> list[str]:
    """The whole-file programs the history kept, oldest first (one-unit candidates keep none)."""
    return [entry[4][0] for entry in history.values() if len(entry) > 4 and entry[4]]


def recheck_rewrite(
    rt: Runtime, spec: FileSpec, design: Design, history: dict[str, list[list[str]]]
) -> set[str]:
    """Run the rewritten suite under ``spec``'s earlier programs; the tests they all fail.

    The current program runs first and stays in place afterwards, whatever
    happens. ``history`` is replaced by the fresh runs: the old entries
    recorded tests of the same names that the rewrite may have changed.
    """
    current = rt.workspace.read(spec.path)
    programs = [current, *(p for p in earlier_programs(history)[-PROGRAMS:] if p != current)]
    if len(programs) < 3:  # fewer than three programs are no evidence against a test
        return set()
    fresh: dict[str, list[list[str]]] = {}
    try:
        for text in programs:
            rt.workspace.write(spec.path, text)
            report = rt.run_suite()
            if report.cases:
                said = probe_values(rt, spec, design, report)
                opinions = test_opinions(rt, spec, text)
                fresh[digest(text)] = evidence(report, None, said, opinions, text)
    finally:
        rt.workspace.write(spec.path, current)
    history.clear()
    history.update(fresh)
    suspects = history_suspects(history, rt.settings.workflow.distinct_drops)
    rt.say(
        "tester",
        f"{spec.path}: the rewritten tests ran under {len(fresh)} earlier implementations; "
        + (f"{len(suspects)} failed by all of them" if suspects else "none failed by all of them"),
        "test",
    )
    return suspects
