"""A deferred record item done at a later step is checked against its ``expect`` exactly as at
its own step: the same check and words, the step it is done at cannot complete before the
deviation is explained (the reason journaled on the item's own step and index) or the value
recorded again, a deviation the flow routes is journaled at completion, and replay equals live."""

from __future__ import annotations

import dataclasses

import pytest

from interrupt_defs import INTERRUPTS
from procedo.engine import Event, MemorySink, Refused, Run, replay
from procedo.model import content_hash, parse_definition

HOURS = INTERRUPTS.replace(
    '{ text = "File the work order" }',
    '{ text = "Hours worked", record = "number", id = "hours", expect = "hours <= 8" }',
).replace(
    '  "Change the filter",\n',
    '  "Change the filter",\n  { text = "Seal kind", record = "choice", id = "seal", '
    'choices = ["Viton", "Nitrile"], expect = \'seal == "Viton"\' },\n',
)
"""Service: the filter (0), the seal kind (1, a choice expecting Viton), the photos (2, to
close), the hours (3, a number expecting at most 8, follows the run), the bolts (4)."""

ROUTED = INTERRUPTS.replace(
    '{ text = "Log the reading", record = "number", id = "bar" }',
    '{ text = "Log the reading", record = "number", id = "bar", expect = "bar <= 10" }',
).replace(
    'options = [{ label = "Yes", next = "close" }, { label = "No", next = "failed" }]',
    'options = [{ label = "Yes", next = "close", when = "bar <= 10" }, '
    '{ label = "No", next = "failed", default = true }]',
)
"""Isolate's reading expects at most 10 bar; the decision after service reads it."""


def begin(text: str) -> Run:
    return Run.start(parse_definition(text), content_hash(text), MemorySink(), "Ann")


def events(run: Run) -> list[Event]:
    assert isinstance(run.sink, MemorySink)
    return run.sink.events


def same_after_replay(run: Run) -> None:
    state = replay(run.definition, run.state.definition_hash, run.run_id, events(run))
    assert dataclasses.asdict(state) == dataclasses.asdict(run.state)


def to_service(run: Run) -> None:
    run.check(0)
    run.check(1)
    run.record(2, "7")
    run.complete()
    assert run.state.current_node == "service"


def to_close_with_hours_and_seal_deferred() -> Run:
    """At close: its own item (line 0), then the seal kind (1) and the hours (2), deferred."""
    run = begin(HOURS)
    to_service(run)
    run.check(0)
    run.defer(1, "supplier unsure")
    run.check(2)
    run.defer(3, "timesheet not in yet")
    run.check(4)
    run.complete()
    run.choose(0)
    assert [line.spec.text for line in run.lines()] == [
        "Remove the locks",
        "Seal kind",
        "Hours worked",
    ]
    run.check(0)
    return run


def test_a_carried_value_outside_its_expect_is_the_same_deviation_as_at_its_own_step() -> None:
    here = begin(HOURS)
    to_service(here)
    here.check(0)
    here.record(1, "Viton")
    here.check(2)
    here.check(4)
    here.record(3, "12")
    own = here.item_checks()[3]
    assert own.deviation and own.needs_reason
    own_refusal = here.allowed().complete.reason

    run = to_close_with_hours_and_seal_deferred()
    run.record(2, "12")
    carried = run.item_checks()[2]
    assert carried == own
    assert carried.why_deviation == "expected hours <= 8, but hours = 12"
    refusal = run.allowed().complete.reason
    assert (
        refusal
        == own_refusal
        == (
            "'Hours worked' is a deviation (expected hours <= 8, but hours = 12): give a reason to "
            "accept it, or record the value again"
        )
    )
    with pytest.raises(Refused, match="'Hours worked' is a deviation"):
        run.complete()
    same_after_replay(run)


def test_the_reason_is_journaled_on_the_items_own_step_and_the_step_then_completes() -> None:
    run = to_close_with_hours_and_seal_deferred()
    run.record(2, "12")
    assert run.allowed(2).explain.ok
    assert run.allowed(0).explain.reason == "'Remove the locks' has no deviation to explain"
    with pytest.raises(Refused, match="'Seal kind' has no deviation to explain"):
        run.explain(1, "why not")  # not recorded yet
    run.explain(2, "overtime signed off")
    last = events(run)[-1]
    assert (last.kind, last.node, last.item, last.value, last.reason) == (
        "deviation",
        "service",
        3,
        "12",
        "overtime signed off",
    )
    hours = run.state.deferrals[1]
    assert hours.mark is not None and hours.mark.deviation
    assert hours.mark.deviation_reason == "overtime signed off"
    run.record(1, "Viton")  # the seal kind as expected: no deviation
    assert not run.item_checks()[1].deviation
    run.complete()
    assert run.state.status == "completed" and run.state.success is True
    assert [e.kind for e in events(run)].count("deviation") == 1
    same_after_replay(run)


def test_a_carried_choice_off_its_expect_waits_until_recorded_again() -> None:
    run = to_close_with_hours_and_seal_deferred()
    run.record(2, "6")
    run.record(1, "Nitrile")
    check = run.item_checks()[1]
    assert check.deviation and check.needs_reason
    assert check.why_deviation == 'expected seal == "Viton", but seal = Nitrile'
    assert "'Seal kind' is a deviation" in run.allowed().complete.reason
    run.record(1, "Viton")  # recorded again: the deviation is gone, no reason is asked
    assert not any(c.deviation for c in run.item_checks())
    assert run.allowed().complete.ok
    run.complete()
    assert "deviation" not in [e.kind for e in events(run)]
    same_after_replay(run)


def test_a_carried_deviation_the_next_decision_reads_is_routed_and_journaled_at_completion() -> (
    None
):
    run = begin(ROUTED)
    run.check(0)
    run.check(1)
    run.record(2, "12")
    # at its own step (isolate leads to a step) the deviation needs a reason: defer it instead
    with pytest.raises(Refused, match="'Log the reading' is a deviation"):
        run.complete()
    run.uncheck(2)
    run.defer(2, "gauge being calibrated")
    run.complete()
    lines = run.lines()
    assert [line.spec.text for line in lines][-1] == "Log the reading"
    carried = len(lines) - 1
    for index in range(carried):
        run.check(index)
    run.record(carried, "12")
    check = run.item_checks()[carried]
    assert check.deviation and check.routed and not check.needs_reason  # service leads to it
    assert run.allowed().complete.ok
    run.complete()
    deviation = [e for e in events(run) if e.kind == "deviation"]
    assert [(e.node, e.item, e.value, e.reason, e.branch) for e in deviation] == [
        ("isolate", 2, "12", None, None)
    ]
    mark = run.state.deferrals[0].mark
    assert mark is not None and mark.deviation and mark.deviation_reason is None
    assert run.state.current_node == "check"
    assert run.suggestion().option == 1  # type: ignore[union-attr]  # the flow routes it: No
    same_after_replay(run)


def test_a_carried_value_within_its_expect_completes_without_a_deviation() -> None:
    run = to_close_with_hours_and_seal_deferred()
    run.record(2, "8")
    run.record(1, "Viton")
    assert [c.deviation for c in run.item_checks()] == [False, False, False]
    run.complete()
    assert run.state.success is True
    assert "deviation" not in [e.kind for e in events(run)]
    same_after_replay(run)


def test_the_condition_record_lists_a_carried_deviation_under_its_own_step() -> None:
    from procedo.render.condition_record import DeviationLine, condition_record

    run = to_close_with_hours_and_seal_deferred()
    run.record(2, "12")
    run.explain(2, "overtime signed off")
    close = run.state.current.index  # type: ignore[union-attr]
    assert condition_record(run.definition, run.state).deviations == (
        DeviationLine(
            close,
            "service",
            "Service the press",
            3,
            "Hours worked",
            "12",
            "hours <= 8",
            "overtime signed off",
        ),
    )
    run.record(2, "7")  # recorded again within the expect: no deviation is left on record
    assert condition_record(run.definition, run.state).deviations == ()
