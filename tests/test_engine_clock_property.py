"""Random walks over the clock process (waits, reminders, a timeout, a parallel block and an
interrupt) with pauses and acknowledgements mixed in: a refused action changes nothing, the
live state is the replay of its events (the acknowledgements and pauses included), what is
due after a replay is what was due live, and the time rules stay within their bounds."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clock_defs import CLOCK_TOML, SEC, Clock, clock_definition
from procedo.engine import MemorySink, Refused, Run, replay
from procedo.engine.clock_rules import reminders_due, step_elapsed_ms, wait_left_ms
from procedo.engine.errors import Unchanged
from procedo.model import content_hash

ACTIONS = ("work", "work", "work", "complete", "complete", "ack", "ack", "pause", "resume",
           "choose", "raise", "back")  # fmt: skip
"""No branch switch: it is a view, not journaled, so a replay keeps the fold's focus."""


def act(run: Run, action: str, pick: int) -> None:
    if action == "work":
        for index, line in enumerate(run.lines()):
            if not (line.mark.done or line.mark.deferred):
                if line.spec.record:
                    run.record(index, str(pick))
                else:
                    run.check(index)
                return
    elif action == "complete":
        run.complete()
    elif action == "ack":
        due = run.reminders_due()
        if not due:
            raise Refused("nothing due")
        chosen = due[pick % len(due)]
        run.acknowledge_reminder(chosen.where, chosen.number - pick % 2)
    elif action == "pause":
        run.pause()
    elif action == "resume":
        run.resume()
    elif action == "choose":
        run.choose(pick % 2, "a reason" if pick % 3 else None)
    elif action == "raise":
        run.raise_interrupt("page")
    elif action == "back":
        run.back()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(ACTIONS), st.integers(0, 7), st.integers(0, 900)),
        max_size=80,
    )
)
def test_any_walk_replays_to_the_live_state_acknowledgements_included(
    steps: list[tuple[str, int, int]],
) -> None:
    clock = Clock()
    sink = MemorySink()
    definition = clock_definition()
    run = Run.start(definition, content_hash(CLOCK_TOML), sink, "Ann", clock=clock)
    for action, pick, seconds in steps:
        clock.advance(seconds * SEC)
        before, count = dataclasses.asdict(run.state), len(sink.events)
        try:
            act(run, action, pick)
        except (Refused, Unchanged):
            assert dataclasses.asdict(run.state) == before
            assert len(sink.events) == count
        now = clock()
        state = run.state
        for due in reminders_due(definition, state, now):
            assert due.number >= 1 and due.due_ms <= now
        elapsed = step_elapsed_ms(state, now)
        assert elapsed is None or 0 <= elapsed <= state.active_ms(now)
        for index in range(4):
            left = wait_left_ms(definition, state, index, now)
            assert left is None or 0 < left <= 5 * 60 * SEC
        if state.finished:
            break
    rebuilt = replay(definition, run.state.definition_hash, run.run_id, sink.events)
    assert dataclasses.asdict(rebuilt) == dataclasses.asdict(run.state)
    assert reminders_due(definition, rebuilt, clock()) == run.reminders_due()
    acks = [e for e in sink.events if e.kind == "remind_ack"]
    assert bool(acks) == bool(rebuilt.reminders_acked)
