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
from softco.workflows.agreement import digest, evidence, probe_values, round_suspects
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

    ``history`` is replaced by the fresh runs, whatever their number: the old
    entries recorded tests of the same names that the rewrite may have
    changed. The current program runs last and stays in place afterwards,
    whatever happens. It votes only if it is one of the whole-file programs:
    a splice or a one-unit candidate is the others again, so like in
    ``try_fix`` its passes clear a test but its failures count against none.
    """
    if not rt.workspace.exists(spec.path):
        return set()
    current = rt.workspace.read(spec.path)
    earlier = earlier_programs(history)
    votes = current in earlier
    runs = [p for p in earlier if p != current][-PROGRAMS:]
    fresh: dict[str, list[list[str]]] = {}
    try:
        for text in [*runs, current]:
            rt.workspace.write(spec.path, text)
            report = rt.run_suite()
            if not report.cases:
                continue
            said = probe_values(rt, spec, design, report)
            opinions = test_opinions(rt, spec, text)
            whole = text != current or votes
            scope = None if whole else frozenset()
            fresh[digest(text)] = evidence(report, scope, said, opinions, text if whole else None)
    finally:
        rt.workspace.write(spec.path, current)
    history.clear()
    history.update(fresh)
    suspects = round_suspects(rt, spec.path, history)
    if runs:
        found = f"{len(suspects)} failed by all of them" if suspects else "none failed by all"
        rt.say(
            "tester",
            f"{spec.path}: the rewritten tests ran under {len(runs)} earlier "
            f"implementation(s) besides the current one; {found}",
            "test",
        )
    return suspects
