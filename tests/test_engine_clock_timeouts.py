"""A decision's ``timeout``: past ``after_minutes`` of active time there, its option is the
suggestion (a condition's suggestion wins), choosing it journals the reason in the ``basis``
event, another option needs a reason; and a step's ``target_minutes``."""

from __future__ import annotations

import pytest

from clock_defs import CLOCK_TOML, MIN, SEC, Clock, clock_definition, start_run, to_watch
from procedo.engine import MemorySink, Refused, Run, replay
from procedo.engine.clock_rules import step_over_target, suggestion, timeout_suggestion
from procedo.model import content_hash
from procedo.render.event_words import describe

REASON = "no answer for 30 min: the process suggests 'No, roll back'"

WITH_CONDITION = CLOCK_TOML.replace(
    '{ text = "Error rate", record = "number", wait_minutes = 1 }',
    '{ text = "Error rate", record = "number", id = "rate", wait_minutes = 1 }',
).replace('{ label = "Yes", next = "both" }', '{ label = "Yes", next = "both", when = "rate < 1" }')

WITH_ROLLBACK = (
    CLOCK_TOML.replace(
        '{ label = "No, roll back", next = "failed" }', '{ label = "No, roll back", next = "undo" }'
    )
    + '\n[steps.undo]\ntitle = "Undo"\nnext = "failed"\nitems = ["Roll back"]\n'
)


def to_decision(run: Run, clock: Clock, rate: str = "0.5") -> None:
    to_watch(run, clock)
    run.check(0)
    clock.advance(5 * MIN)
    run.check(1)
    clock.advance(1 * MIN)
    run.record(2, rate)
    run.complete()
    assert run.state.current_node == "ok"


def test_before_the_timeout_nothing_is_suggested_and_any_option_may_be_chosen() -> None:
    clock = Clock()
    sink = MemorySink()
    run = start_run(clock, sink=sink)
    to_decision(run, clock)
    clock.advance(30 * MIN - 1)
    assert run.suggestion() is None
    assert timeout_suggestion(run.definition, run.state, clock()) is None
    run.choose(0)
    assert [e.kind for e in sink.events[-2:]] == ["complete", "choose"]
    assert all(e.kind != "basis" for e in sink.events)


def test_past_the_timeout_its_option_is_suggested_with_the_reason() -> None:
    clock = Clock()
    run = start_run(clock)
    to_decision(run, clock)
    clock.advance(30 * MIN)
    timed = timeout_suggestion(run.definition, run.state, clock())
    assert timed is not None
    assert (timed.option, timed.label, timed.waited_ms, timed.reason) == (
        1,
        "No, roll back",
        30 * MIN,
        REASON,
    )
    said = run.suggestion()
    assert said is not None
    assert (said.option, said.why, said.timed_out, said.holding) == (1, REASON, REASON, ())
    assert not said.automatic(run.definition.decisions["ok"])


def test_choosing_the_suggestion_journals_the_reason_in_the_basis() -> None:
    clock = Clock()
    sink = MemorySink()
    run = start_run(clock, sink=sink)
    to_decision(run, clock)
    clock.advance(31 * MIN)
    run.choose(1)
    basis, choose = sink.events[-3:-1]  # the finish follows: "No, roll back" ends the run
    assert (basis.kind, basis.node, basis.item, basis.value, basis.reason) == (
        "basis",
        "ok",
        1,
        "{}",
        REASON,
    )
    assert (choose.kind, choose.item, choose.reason) == ("choose", 1, None)
    visit = next(v for v in run.state.visits if v.node == "ok")
    assert visit.basis is not None and visit.basis.timed_out == REASON
    assert describe(run.definition, basis) == f"values read at Is it healthy? ({REASON})"
    again = replay(run.definition, content_hash(CLOCK_TOML), run.run_id, sink.events)
    assert again == run.state


def test_another_option_after_the_timeout_needs_a_reason() -> None:
    clock = Clock()
    sink = MemorySink()
    run = start_run(clock, sink=sink)
    to_decision(run, clock)
    clock.advance(45 * MIN)
    with pytest.raises(Refused) as caught:
        run.choose(0)
    assert str(caught.value) == (
        f"'No, roll back' is suggested ({REASON}): choosing 'Yes' instead needs a reason"
    )
    run.choose(0, "the graphs were green all along")
    basis, choose = sink.events[-2:]
    assert (basis.kind, basis.item, basis.reason) == ("basis", 1, REASON)
    assert (choose.item, choose.reason) == (0, "the graphs were green all along")


def test_paused_time_at_the_decision_does_not_count() -> None:
    clock = Clock()
    run = start_run(clock)
    to_decision(run, clock)
    clock.advance(20 * MIN)
    run.pause()
    clock.advance(3 * 60 * MIN)
    assert run.suggestion() is None
    run.resume()
    clock.advance(10 * MIN - SEC)
    assert run.suggestion() is None
    clock.advance(SEC)
    assert run.suggestion() is not None


def test_a_timeout_reached_stays_while_paused() -> None:
    clock = Clock()
    run = start_run(clock)
    to_decision(run, clock)
    clock.advance(30 * MIN)
    run.pause()
    clock.advance(5 * MIN)
    timed = timeout_suggestion(run.definition, run.state, clock())
    assert timed is not None and timed.waited_ms == 30 * MIN


def test_a_conditions_suggestion_wins_over_the_timeout() -> None:
    clock = Clock()
    definition = clock_definition(WITH_CONDITION)
    run = start_run(clock, definition)
    to_decision(run, clock, rate="0.5")
    clock.advance(40 * MIN)
    said = run.suggestion()
    assert said is not None
    assert (said.option, said.timed_out) == (0, None)
    assert "rate < 1 holds" in said.why


def test_the_timeout_suggests_when_no_condition_holds_and_the_basis_keeps_the_values() -> None:
    clock = Clock()
    sink = MemorySink()
    definition = clock_definition(WITH_CONDITION)
    run = start_run(clock, definition, sink=sink)
    to_decision(run, clock, rate="3")
    said = run.suggestion()
    assert said is not None and said.option is None  # nothing suggested yet
    clock.advance(30 * MIN)
    said = run.suggestion()
    assert said is not None
    assert (said.option, said.timed_out) == (1, REASON)
    assert said.why == f"no condition holds (rate = 3); {REASON}"
    run.choose(1)
    basis = next(e for e in sink.events if e.kind == "basis")
    assert (basis.item, basis.value, basis.reason) == (1, '{"rate":"3"}', REASON)


def test_coming_back_to_the_decision_counts_from_arriving_again() -> None:
    clock = Clock()
    definition = clock_definition(WITH_ROLLBACK)
    run = start_run(clock, definition)
    to_decision(run, clock)
    clock.advance(25 * MIN)
    run.choose(1)
    assert run.state.current_node == "undo"
    clock.advance(1 * MIN)
    run.back()
    assert run.state.current_node == "ok"
    clock.advance(29 * MIN)
    assert run.suggestion() is None
    clock.advance(1 * MIN)
    said = run.suggestion()
    assert said is not None and said.option == 1


def test_time_in_an_interrupt_at_the_decision_does_not_count() -> None:
    clock = Clock()
    run = start_run(clock)
    to_decision(run, clock)
    clock.advance(10 * MIN)
    run.raise_interrupt("page")
    run.check(0)
    clock.advance(60 * MIN)
    run.check(1)
    run.complete()
    assert run.state.current_node == "ok"
    assert run.suggestion() is None
    clock.advance(20 * MIN)
    assert run.suggestion() is not None


def test_no_timeout_elsewhere() -> None:
    clock = Clock()
    run = start_run(clock)
    clock.advance(10 * 60 * MIN)
    assert timeout_suggestion(run.definition, run.state, clock()) is None
    assert suggestion(run.definition, run.state, clock()) is None


def test_a_step_over_its_target() -> None:
    clock = Clock()
    run = start_run(clock)
    definition = run.definition
    clock.advance(10 * MIN)
    assert not step_over_target(definition, run.state, clock())
    clock.advance(1)
    assert step_over_target(definition, run.state, clock())
    run.raise_interrupt("page")  # inside an interrupt: its own checklist has no target
    assert not step_over_target(definition, run.state, clock())


def test_a_pause_keeps_a_step_under_its_target_and_a_step_without_one_never_is() -> None:
    clock = Clock()
    run = start_run(clock)
    clock.advance(9 * MIN)
    run.pause()
    clock.advance(60 * MIN)
    assert not step_over_target(run.definition, run.state, clock())
    run.resume()
    clock.advance(2 * MIN)
    assert step_over_target(run.definition, run.state, clock())
    run.check(0)
    run.check(1)
    run.complete()
    clock.advance(10 * 60 * MIN)
    assert not step_over_target(run.definition, run.state, clock())
