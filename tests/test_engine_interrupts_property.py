"""Random walks with interrupts and deferred items mixed in: a refused action changes nothing,
the live state is the replay of its events, the frames and deferrals stay sound, and (without
*back*) the visits' durations add up to the run's active time: an interrupt's time is counted
once, to the interrupt. Isolate's reading expects at most 3 bar here, so that deviations are
made at its own step and on it deferred and done later; the walk also checks that a return to
the flow lands on the item the interrupts first left it at (a queued one that started by
itself included), that every value missing its expect is a journaled deviation once its step
completed (a deferred item done there too), and that every deferred item done later is an
act of the stay it was done in."""

from __future__ import annotations

import dataclasses
import itertools

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from interrupt_defs import INTERRUPTS
from procedo.engine import Event, MemorySink, Refused, Run, judge, replay
from procedo.engine.allowed_interrupts import raisable
from procedo.engine.errors import Unchanged
from procedo.model import content_hash, parse_definition

EXPECTING = INTERRUPTS.replace(
    '{ text = "Log the reading", record = "number", id = "bar" }',
    '{ text = "Log the reading", record = "number", id = "bar", expect = "bar <= 3" }',
)
"""The press, with an ``expect`` on a deferrable record item (the walk records 0 to 7)."""

ACTIONS = ("work", "work", "work", "work", "complete", "complete", "complete", "raise",
           "defer", "defer", "tick", "uncheck", "choose", "choose", "pause", "back",
           "explain")  # fmt: skip
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
    elif action == "explain":  # the first line whose deviation waits for a reason
        waiting = [
            index
            for index, (line, check) in enumerate(zip(run.lines(), run.item_checks(), strict=True))
            if check.needs_reason and line.mark.deviation_reason is None
        ]
        run.explain(waiting[0] if waiting else pick % 5, "accepted")


def landed(run: Run, made: list[Event], flow_item: int | None) -> int | None:
    """Check the items interrupts name: a queued one that starts by itself in the flow right
    after a return names the item the run came back to; a return to the flow lands on the
    item the first interrupt left it at. Returns that item (after ``made``, the new events)."""
    for previous, new in zip([None, *made], made, strict=False):
        if new.kind != "interrupt" or new.reason is not None or new.branch is not None:
            continue
        if previous is None or previous.kind != "return":
            flow_item = new.item  # raised by the operator: it leaves the flow here
        elif previous.value == "return":
            assert new.item == flow_item
            event(f"a queued one started by itself at item {flow_item}")
        else:
            assert new.item is None  # on at another node: no item was being worked
            flow_item = None
    state = run.state
    if not state.frames and state.resume_at is not None:
        assert state.resume_at[1] == flow_item
    return flow_item


def judged_and_acted(run: Run) -> None:
    """Every value missing its expect in a completed visit, its own items' and the deferred
    items done there, is a journaled deviation; every deferred item done later is an act of
    a stay at the visit it was done in."""
    state, definition = run.state, run.definition
    for visit in state.visits:
        step = definition.steps.get(visit.node)
        if visit.outcome != "completed" or step is None:
            continue
        marks = [(step.items[i], m) for i, m in visit.items.items()]
        marks += [
            (definition.steps[d.node].items[d.item], d.mark)
            for d in state.deferrals
            if d.done_visit == visit.index and d.mark is not None
        ]
        for spec, mark in marks:
            if mark.value is None or spec.expect is None or mark.inactive:
                continue
            check = judge.check_item(definition, visit.node, spec, mark.value, {})
            assert mark.deviation == check.deviation, (spec.text, mark)
            if mark.deviation and spec not in step.items:
                event("a deferred item done later was a deviation")
    for deferral in state.deferrals:
        if deferral.done_visit is None:
            continue
        acts = [a for s in state.stints if s.visit == deferral.done_visit for a in s.acts]
        assert any(a.node == deferral.node and a.item == deferral.item for a in acts)


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
        min_size=20,
        max_size=90,
    )
)
def test_any_walk_with_interrupts_replays_to_the_live_state(
    steps: list[tuple[str, int, int]],
) -> None:
    clock = Clock()
    sink = MemorySink()
    definition = parse_definition(EXPECTING)
    run = Run.start(definition, content_hash(EXPECTING), sink, "Ann", clock=clock)
    went_back = False
    flow_item: int | None = None
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
        flow_item = landed(run, sink.events[count:], flow_item)
        judged_and_acted(run)
        sound(run)
        if run.state.finished:
            break
    rebuilt = replay(run.definition, run.state.definition_hash, run.run_id, sink.events)
    assert dataclasses.asdict(rebuilt) == dataclasses.asdict(run.state)
    state = run.state
    # every visit's time once, interrupts closed under one that led elsewhere included
    if state.finished and not went_back:
        total = sum(v.duration_ms or 0 for v in state.visits)
        assert total == state.duration_ms
