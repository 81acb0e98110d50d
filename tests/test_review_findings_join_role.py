"""Review finding: the join of a parallel block opens no hand-over point for the role that
last acted in a branch.

The opening line keeps the acting role it had at the split; when the last branch to arrive
was worked by another role (and handed to another person), the join is entered as if that
person had acted as the main line's role all along, so they can work the join's step without
handing over or saying "I act as"."""

from __future__ import annotations

import itertools

import pytest

from parallel_defs import nested
from procedo.engine import MemorySink, Refused, Run, replay

T0 = 1_795_000_000_000


def _tick_and_complete(run: Run) -> None:
    for index in run.open_items():
        run.check(index)
    run.complete()


def _to_join_with_it_last() -> tuple[Run, MemorySink]:
    """The contract branch (HR) arrives first; the laptop branch (IT, handed to Ivan) last."""
    clock = itertools.count(T0, 1000)
    sink = MemorySink()
    run = Run.start(nested(), "d" * 64, sink, "Ann", clock=lambda: next(clock))
    _tick_and_complete(run)  # welcome (hr) -> the split
    run.switch("ready:2")
    _tick_and_complete(run)  # contract -> the nested split
    for branch in ("ready:2/papers:1", "ready:2/papers:2"):
        run.switch(branch)
        _tick_and_complete(run)
    _tick_and_complete(run)  # filed -> first-day: the HR branch waits at the join
    assert run.state.focus == "ready:1" and run.state.awaiting_role == "it"
    run.hand_over("Ivan")  # Ivan acts as IT support
    _tick_and_complete(run)  # laptop
    _tick_and_complete(run)  # software
    run.choose(0)  # works: yes -> first-day, the join opens
    assert run.state.current_node == "first-day" and run.state.operator == "Ivan"
    return run, sink


@pytest.mark.xfail(
    strict=True,
    reason="engine/fold_moves.py _arrive: the join is entered with the opener's acting role "
    "from the split, not the role of the branch that arrived last",
)
def test_the_join_waits_for_its_role_after_a_branch_of_another_role() -> None:
    run, sink = _to_join_with_it_last()
    assert run.state.awaiting_role == "hr"
    with pytest.raises(Refused, match="HR partner is next"):
        run.check(0)
    replayed = replay(run.definition, "d" * 64, run.run_id, sink.events)
    assert replayed.awaiting_role == "hr"
