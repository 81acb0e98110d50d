"""Random walks with interrupts and deferred items mixed in: a refused action changes nothing,
the live state is the replay of its events, the frames and deferrals stay sound, and (without
*back*) the visits' durations add up to the run's active time: an interrupt's time is counted
once, to the interrupt."""

from __future__ import annotations

import dataclasses
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interrupt_defs import INTERRUPTS, interrupts_definition
from procedo.engine import MemorySink, Refused, Run, replay
from procedo.engine.allowed_interrupts import raisable
from procedo.engine.errors import Unchanged
from procedo.model import content_hash

ACTIONS = ("work", "work", "work", "work", "complete", "complete", "complete", "raise",
           "defer", "defer", "tick", "uncheck", "choose", "choose", "pause", "back")  # fmt: skip
"""Weighted towards getting work done, so that walks reach the ends and the deferred items
come back; the interrupts that end the run are raised rarely (see :func:`act`)."""


class Clock:
    def __init__(self) -> None:
        self.now = 1_795_000_000_000

    def __call__(self) -> int:
        return self.now


def act(run: Run, action: str, pick: int) -> None:
    if action == "work":  # the first line still to do, as an operator would
        for index, line in enumerate(run.lines()):
            if not (line.mark.done or line.mark.deferred):
                if line.spec.record:
                    run.record(index, str(pick))
                else:
                    run.check(index)
                return
    elif action == "complete":
        run.complete()
    elif action == "raise":
        found = [r.interrupt for r in raisable(run.definition, run.state)]
        if pick != 7:
            found = [key for key in found if key != "injury"]
        run.raise_interrupt(found[pick % len(found)], item=pick % 3)
    elif action == "defer":
        run.defer(pick % 4, "later")
    elif action == "tick":
        run.check(pick % 5)
    elif action == "uncheck":
        run.uncheck(pick % 5)
    elif action == "choose":  # inside the fire alarm: resume, but for one pick in eight
        run.choose(1 if pick == 7 else 0)
    elif action == "pause":
        run.pause()
        run.resume()
    elif action == "back":
        run.back()


def sound(run: Run) -> None:
    state = run.state
    keys = [frame.key for frame in state.frames]
    assert len(set(keys)) == len(keys)
    for frame in state.frames:
        assert state.visits[frame.visit].left_ms is None
        assert state.visits[frame.visit].kind == "interrupt"
    open_ids = {frame.interrupt for frame in state.frames}
    assert not open_ids & {q.interrupt for q in state.queue}
    ranks = [run.definition.interrupts[f.interrupt].rank for f in state.frames]
    assert all(b < a for a, b in itertools.pairwise(ranks))  # each strictly higher than the last
    for deferral in state.deferrals:
        assert state.visits[deferral.visit].outcome != "back"
        assert state.visits[deferral.visit].mark(deferral.item).deferred
    if state.finished:
        assert not state.frames and not state.queue
        if state.success:
            assert not state.open_deferrals()
    for visit in state.visits:
        assert visit.duration_ms is None or visit.duration_ms >= 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(ACTIONS), st.integers(0, 7), st.integers(0, 90)),
        max_size=90,
    )
)
def test_any_walk_with_interrupts_replays_to_the_live_state(
    steps: list[tuple[str, int, int]],
) -> None:
    clock = Clock()
    sink = MemorySink()
    run = Run.start(interrupts_definition(), content_hash(INTERRUPTS), sink, "Ann", clock=clock)
    went_back = False
    for action, pick, seconds in steps:
        clock.now += seconds * 1000
        before, count = dataclasses.asdict(run.state), len(sink.events)
        try:
            act(run, action, pick)
        except (Refused, Unchanged):
            assert dataclasses.asdict(run.state) == before
            assert len(sink.events) == count
        else:
            went_back = went_back or (action == "back" and len(sink.events) > count)
        sound(run)
        if run.state.finished:
            break
    rebuilt = replay(run.definition, run.state.definition_hash, run.run_id, sink.events)
    assert dataclasses.asdict(rebuilt) == dataclasses.asdict(run.state)
    state = run.state
    if state.finished and not went_back:
        total = sum(v.duration_ms or 0 for v in state.visits)
        assert total == state.duration_ms
