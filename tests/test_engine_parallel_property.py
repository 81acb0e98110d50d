"""Random walks through nested parallel blocks: whatever the operator does, a refused action
changes nothing, the live state is the replay of its events, and the positions stay sound."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procedo.engine import Refused, Run, replay
from procedo.engine.errors import Unchanged
from procedo.engine.state import ARRIVED, OPEN, SPLIT
from test_engine_parallel import BRANCH_ENDS, ONBOARD, facts, start

ACTIONS = ("switch", "work", "work", "work", "complete", "complete", "tick", "record", "back",
           "choose", "pause", "uncheck")  # fmt: skip
"""Weighted towards getting work done, so that walks reach the joins and the ends."""


def act(run: Run, action: str, pick: int) -> None:
    state = run.state
    if action == "switch":
        opened = state.open_positions()
        run.switch(opened[pick % len(opened)].branch)
    elif action == "work":  # the first open item, as an operator would
        opened = run.open_items()
        step = run.current_step
        if opened and step is not None:
            if step.items[opened[0]].record:
                run.record(opened[0], ["x", "NL91ABNA0417164300"][pick % 2])
            else:
                run.check(opened[0])
    elif action == "tick":
        run.check(pick % 3)
    elif action == "uncheck":
        run.uncheck(pick % 3)
    elif action == "record":
        run.record(0, ["x", "NL91ABNA0417164300"][pick % 2])
    elif action == "complete":
        run.complete()
    elif action == "back":
        run.back()
    elif action == "choose":
        run.choose(pick % 2)
    elif action == "pause":
        run.pause()
        run.resume()


def sound(run: Run) -> None:
    state = run.state
    if state.finished:
        return
    assert state.focus in state.positions and state.positions[state.focus].status == OPEN
    for position in state.positions.values():
        assert position.status in (OPEN, SPLIT, ARRIVED)
        if position.status == OPEN:
            visit = state.visits[position.path[-1]]
            assert visit.left_ms is None and visit.branch == position.branch
    # a block's branches are all there while it is open, and only then
    for position in state.positions.values():
        if position.status == SPLIT:
            block = run.definition.parallel[state.visits[position.path[-1]].node]
            children = [p for p in state.positions.values() if p.block is not None
                        and p.branch.rpartition("/")[0] == position.branch]  # fmt: skip
            assert len(children) == len(block.branches)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.sampled_from([ONBOARD, BRANCH_ENDS]),
    steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 5)), max_size=80),
)
def test_any_walk_replays_to_the_live_state(text: str, steps: list[tuple[str, int]]) -> None:
    run, sink = start(text)
    for action, pick in steps:
        before, count = dataclasses.asdict(run.state), len(sink.events)
        try:
            act(run, action, pick)
        except (Refused, Unchanged):
            assert dataclasses.asdict(run.state) == before
            assert len(sink.events) == count
        sound(run)
        if run.state.finished:
            break
    rebuilt = replay(run.definition, "d" * 64, run.run_id, sink.events)
    assert facts(rebuilt) == facts(run.state)
