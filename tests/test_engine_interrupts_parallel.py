"""Interrupts inside a parallel block and at a hand-over point: the branch interrupted is the
one returned to, every open branch is held (its time goes to the interrupt), switching is
refused, and an interrupt that leads away is raised only when it leads to an end."""

from __future__ import annotations

import pytest

from procedo.engine import COMPLETED, Refused
from test_engine_parallel import ONBOARD, same_on_replay, start, to_split

INTERRUPTS = """
[interrupts.alarm]
title = "Alarm"
priority = "warning"
items = ["Leave the building"]
after = "cancelled"

[interrupts.visitor]
title = "Visitor at the desk"
priority = "advisory"
items = ["Greet the visitor"]

[interrupts.detour]
title = "Detour"
priority = "caution"
items = ["Go round"]
after = "first-day"
"""

ROLES = """
[roles]
hr = "HR"
it = "IT"
"""


def test_an_interrupt_in_a_branch_holds_every_branch_and_returns_to_its_own() -> None:
    run, sink = start(ONBOARD + INTERRUPTS)
    to_split(run)
    bank = next(p.branch for p in run.state.open_positions() if p.branch.endswith(":2"))
    run.switch(bank)
    run.raise_interrupt("visitor")
    event = sink.events[-1]
    assert (event.kind, event.branch, event.value) == ("interrupt", bank, "bank")
    with pytest.raises(Refused, match="a non-normal checklist is open: finish it first"):
        run.switch("prepare:1")
    run.check(0)
    assert sink.events[-1].branch == "!visitor"
    run.complete()
    state = run.state
    assert state.focus == bank and state.current_node == "bank"
    held = [state.visits[p.path[-1]] for p in state.open_positions()]
    assert len(held) == 3
    assert all(visit.interrupted_ms == 2000 for visit in held)  # the clock: one second a step
    same_on_replay(run, sink)


def test_an_interrupt_leading_to_a_node_waits_for_the_block_to_join() -> None:
    run, sink = start(ONBOARD + INTERRUPTS)
    to_split(run)
    with pytest.raises(Refused, match="'Detour' may lead away from here: raise it outside"):
        run.raise_interrupt("detour")
    run.raise_interrupt("alarm")  # to an end: allowed, and it ends every branch
    run.check(0)
    run.complete()
    state = run.state
    assert (state.status, state.end_node) == (COMPLETED, "cancelled")
    assert all(state.visits[p.path[-1]].left_ms is not None for p in state.open_positions())
    outcomes = {state.visits[p.path[-1]].outcome for p in state.open_positions()}
    assert outcomes == {"ended", "finished"}
    same_on_replay(run, sink)


def test_an_interrupt_at_a_hand_over_point_leaves_the_hand_over_waiting() -> None:
    text = (
        (ONBOARD + INTERRUPTS + ROLES)
        .replace(
            '[steps.offer]\ntitle = "Offer accepted"',
            '[steps.offer]\ntitle = "Offer accepted"\nrole = "hr"',
        )
        .replace(
            '[steps.laptop]\ntitle = "Prepare the laptop"',
            '[steps.laptop]\ntitle = "Prepare the laptop"\nrole = "it"',
        )
    )
    run, sink = start(text)
    to_split(run)
    assert run.state.awaiting_role == "it"
    run.raise_interrupt("visitor")
    assert run.state.awaiting_role is None  # the interrupt is worked at once
    run.check(0)
    run.complete()
    assert run.state.awaiting_role == "it" and run.state.current_node == "laptop"
    same_on_replay(run, sink)


def test_after_to_a_node_outside_a_block_moves_the_run_there() -> None:
    run, sink = start(ONBOARD + INTERRUPTS)
    run.raise_interrupt("detour")
    run.check(0)
    run.complete()
    state = run.state
    assert state.current_node == "first-day"
    assert [(v.node, v.outcome, v.next_node) for v in state.visits[:2]] == [
        ("offer", "interrupted", "first-day"),
        ("detour", "after", "first-day"),
    ]
    same_on_replay(run, sink)
