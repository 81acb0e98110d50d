"""Property: random walks through the press process (tests/interrupt_defs.py) with interrupts
raised, stacked, queued and answered, items deferred and done where they come back, through a
file journal. After every action: a refused one changed nothing, an action the engine said
may go ahead (``Run.allowed``, ``raisable``) went ahead and one it refused was refused, and
the ``interrupts`` and ``deferrals`` rows equal what the live state and the stored events
give, and the path (render/run_path.py) lists each deferred item done later among the deeds
of a stay at the visit its row says it was done in. At the end: the run rebuilt from the
journal equals the live state, and verify finds the journal intact."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from interrupt_journal import Clock, press
from procedo.engine import Refused, Run
from procedo.engine.allowed_interrupts import raisable
from procedo.engine.errors import Unchanged
from procedo.journal import Journal
from procedo.journal.rows_interrupts import (
    DEFERRAL_COLUMNS,
    INTERRUPT_COLUMNS,
    deferral_rows,
    expected_interrupt_rows,
)
from procedo.journal.verify import verify_journal
from procedo.render.run_path import path_entries

ACTIONS = ("work", "work", "work", "complete", "complete", "raise", "raise", "defer", "defer",
           "choose", "tick", "uncheck", "na", "back", "pause", "wait")  # fmt: skip
"""Weighted towards getting work done, so that walks reach interrupts, deferrals and ends."""
RAISED = ("leak", "call", "leak", "call", "fire", "injury")
"""The interrupt a ``raise`` picks: mostly those that return, so that walks go on."""


def first_open(run: Run) -> int | None:
    """The first line not done and not deferred (an operator's next item)."""
    for index, line in enumerate(run.lines()):
        if not line.mark.done and not line.mark.deferred:
            return index
    return None


def work(run: Run, line: int) -> None:
    spec = run.lines()[line].spec
    if spec.record:
        run.record(line, "2")
    else:
        run.check(line)


def judged(run: Run, action: str, pick: int) -> bool | None:
    """What the engine says beforehand of a ``defer`` or a ``raise`` (None for the others)."""
    lines = run.lines()
    line = pick % len(lines) if lines else 0
    if action == "defer":
        return run.allowed(line).defer.ok
    if action == "raise":
        found = {r.interrupt: r for r in raisable(run.definition, run.state)}
        return found[RAISED[pick]].reason == ""
    return None


def act(run: Run, clock: Clock, action: str, pick: int) -> None:
    """Do one action (``pick`` chooses the line, the interrupt, the option, the wait)."""
    lines = run.lines()
    line = pick % len(lines) if lines else 0
    if action == "work":  # the next open item, else on (a decision: the option picked)
        found = first_open(run)
        if found is not None:
            work(run, found)
        elif run.state.current_node in run.definition.decisions or run.state.frame is not None:
            run.choose(pick % 2) if _asks(run) else run.complete()
        else:
            run.complete()
    elif action == "tick":
        run.check(line)
    elif action == "uncheck":
        run.uncheck(line)
    elif action == "na":
        run.mark_not_applicable(line, "not needed here")
    elif action == "defer":
        run.defer(line, "waiting for parts")
    elif action == "raise":
        run.raise_interrupt(RAISED[pick], item=line if lines else None)
    elif action == "complete":
        run.complete()
    elif action == "choose":
        run.choose(pick % 2)
    elif action == "back":
        run.back()
    elif action == "pause":
        run.pause()
        clock.tick(pick)
        run.resume()
    elif action == "wait":
        clock.tick(pick + 1)


def _asks(run: Run) -> bool:
    """True at a decision, or in an interrupt whose ``after`` is a question."""
    frame = run.state.frame
    if frame is None:
        return True
    return not isinstance(run.definition.interrupts[frame.interrupt].after, str)


def held(journal: Journal, table: str, columns: tuple[str, ...], run_id: str) -> list[Any]:
    rows = journal.rows(
        f"SELECT {', '.join(columns)} FROM {table} WHERE run_id = ? ORDER BY seq", (run_id,)
    )
    return [tuple(row.values()) for row in rows]


def rows_in_step(journal: Journal, run: Run) -> None:
    """The derived rows equal what the live state and the stored events give."""
    events = journal.events(run.run_id)
    d, state = run.definition, run.state
    wanted = expected_interrupt_rows(state, events, d)
    assert held(journal, "interrupts", INTERRUPT_COLUMNS, run.run_id) == [
        tuple(row[c] for c in INTERRUPT_COLUMNS) for row in wanted
    ]
    assert held(journal, "deferrals", DEFERRAL_COLUMNS, run.run_id) == [
        tuple(row[c] for c in DEFERRAL_COLUMNS) for row in deferral_rows(state, d)
    ]
    done = journal.rows(
        "SELECT text, done_visit FROM deferrals WHERE run_id = ? AND done_visit IS NOT NULL",
        (run.run_id,),
    )
    entries = list(zip(path_entries(d, state), state.stints, strict=True))
    for row in done:
        deeds = [" ".join(e.deeds) for e, s in entries if s.visit == row["done_visit"]]
        assert any(row["text"] in said for said in deeds), (row, deeds)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 5)), min_size=30, max_size=80)
)
def test_any_walk_with_interrupts_and_deferrals_is_recorded_as_it_was_live(
    steps: list[tuple[str, int]],
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="procedo-interrupts-"))
    try:
        clock = Clock()
        with Journal(folder / "journal.db") as journal:
            journal.clock = clock
            run = journal.start_run(press(folder), "Ann")
            for action, pick in steps:
                before, seq = dataclasses.asdict(run.state), run.state.last_seq
                said = judged(run, action, pick)
                try:
                    act(run, clock, action, pick)
                except (Refused, Unchanged):
                    assert dataclasses.asdict(run.state) == before
                    assert len(journal.events(run.run_id)) == seq
                    assert said is not True, f"{action} refused, though allowed beforehand"
                    continue
                assert said is not False, f"{action} went ahead, though refused beforehand"
                rows_in_step(journal, run)
                if run.state.finished:
                    break
            _reached(run)
            with Journal(folder / "journal.db") as reader:
                _, rebuilt = reader.load_state(run.run_id)
                assert dataclasses.asdict(rebuilt) == dataclasses.asdict(run.state)
                report = verify_journal(reader)
                assert report.intact, [str(b) for b in report.breaches]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _reached(run: Run) -> None:
    """What the walk reached, for ``--hypothesis-show-statistics``."""
    state = run.state
    outcomes = {v.outcome for v in state.visits if v.kind == "interrupt"}
    event(f"interrupt outcomes: {sorted(str(o) for o in outcomes)}")
    done = sum(not d.open for d in state.deferrals)
    event(f"deferrals: {len(state.deferrals)} ({done} done)")
    event(f"status: {state.status}")
