"""Deferred items in the engine: deferring (never a critical one, never in an interrupt), a
step complete except deferred items, the item back at its defer_to step and done there,
items that follow the run, the success end refused while any is open, back, and replay."""

from __future__ import annotations

import dataclasses

import pytest

from interrupt_defs import INTERRUPTS, interrupts_definition
from procedo.engine import COMPLETED, MemorySink, Refused, Run, replay
from procedo.model import content_hash, parse_definition


def begin(text: str = INTERRUPTS) -> Run:
    definition = interrupts_definition() if text == INTERRUPTS else parse_definition(text)
    return Run.start(definition, content_hash(text), MemorySink(), "Ann")


def same_after_replay(run: Run) -> None:
    assert isinstance(run.sink, MemorySink)
    state = replay(run.definition, run.state.definition_hash, run.run_id, run.sink.events)
    assert dataclasses.asdict(state) == dataclasses.asdict(run.state)


def to_service(run: Run) -> None:
    run.check(0)
    run.check(1)
    run.record(2, "180")
    run.complete()
    assert run.state.current_node == "service"


def test_a_deferred_item_comes_back_at_its_step_and_is_done_there() -> None:
    run = begin()
    to_service(run)
    run.check(0)
    run.defer(1, "camera battery flat")
    run.check(2)
    run.check(3)
    assert run.allowed().complete.ok
    run.complete()
    [deferral] = run.state.deferrals
    assert (deferral.node, deferral.item, deferral.reason, deferral.to) == (
        "service",
        1,
        "camera battery flat",
        "close",
    )
    assert run.state.visits[1].mark(1).deferred
    run.choose(0)
    assert run.state.current_node == "close"
    lines = run.lines()
    assert [(line.spec.text, line.carried) for line in lines] == [
        ("Remove the locks", False),
        ("Photograph the seals", True),
    ]
    run.check(0)
    with pytest.raises(Refused, match="1 deferred item is open: 'Photograph the seals'"):
        run.complete()
    run.check(1)
    events = run.sink.events  # type: ignore[attr-defined]
    assert (events[-1].kind, events[-1].node, events[-1].item) == ("check", "service", 1)
    assert not run.state.open_deferrals()
    assert run.state.deferrals[0].done_visit == run.state.current.index  # type: ignore[union-attr]
    run.complete()
    assert (run.state.status, run.state.success) == (COMPLETED, True)
    same_after_replay(run)


def test_a_critical_item_and_a_done_item_are_never_deferred() -> None:
    run = begin()
    to_service(run)
    with pytest.raises(Refused, match="'Torque the bolts' is critical: it can never be deferred"):
        run.defer(3, "later")
    run.check(0)
    with pytest.raises(Refused, match="is done: clear it first"):
        run.defer(0, "later")
    with pytest.raises(Refused, match="reason"):
        run.defer(2, "   ")
    run.defer(2, "printer down")
    with pytest.raises(Refused, match="deferred already"):
        run.defer(2, "again")
    with pytest.raises(Refused, match="is deferred"):
        run.check(2)
    run.uncheck(2)  # the deferral is taken back
    assert run.state.deferrals == [] and not run.state.current.mark(2).deferred  # type: ignore[union-attr]
    run.check(2)
    same_after_replay(run)


def test_an_item_without_defer_to_follows_the_run_and_blocks_a_success_end() -> None:
    run = begin()
    to_service(run)
    run.check(0)
    run.check(1)
    run.defer(2, "office closed")
    run.check(3)
    run.complete()
    assert run.state.deferrals[0].to is None
    run.choose(0)  # to close: the work order follows the run
    assert [line.spec.text for line in run.lines() if line.carried] == ["File the work order"]
    run.check(0)
    refusal = run.allowed().complete.reason
    assert (
        "1 deferred item is open: 'File the work order' (from 'Service the press', do it at "
        "any later step)" in refusal
    )
    run.check(1)
    run.complete()
    assert run.state.success is True
    same_after_replay(run)


def test_a_failure_end_is_reached_with_deferred_items_open_and_they_stay_listed() -> None:
    run = begin()
    to_service(run)
    run.check(0)
    run.defer(1, "no camera")
    run.check(2)
    run.check(3)
    run.complete()
    run.choose(1)  # out of service: a failure end is allowed
    assert run.state.status == COMPLETED and run.state.success is False
    assert [d.node for d in run.state.open_deferrals()] == ["service"]
    same_after_replay(run)


def test_back_undoes_a_deferral_made_in_the_visit_left_and_reopens_one_done_there() -> None:
    run = begin()
    to_service(run)
    run.check(0)
    run.defer(1, "no camera")
    run.check(2)
    run.check(3)
    run.complete()
    run.choose(0)
    run.check(1)  # the photos, done at close
    assert not run.state.open_deferrals()
    run.back()  # back to the decision: what was done at close is open again
    assert run.state.current_node == "check"
    assert [d.open for d in run.state.deferrals] == [True]
    run.back()  # back to service: the deferral stays (its visit is open again, marks kept)
    assert run.state.current.mark(1).deferred  # type: ignore[union-attr]
    same_after_replay(run)


def test_a_deferred_item_passed_at_its_step_follows_the_run_after() -> None:
    text = (
        INTERRUPTS.replace(
            'next = "done"\nitems = ["Remove the locks"]',
            'next = "sign"\nitems = ["Remove the locks"]',
        )
        + """
[steps.sign]
title = "Sign the log"
next = "done"
items = ["Sign"]
"""
    )
    run = begin(text)
    to_service(run)
    run.check(0)
    run.defer(1, "no camera")
    run.check(2)
    run.check(3)
    run.complete()
    run.choose(0)
    run.check(0)
    run.complete()  # close completes: the photos stay deferred
    assert run.state.current_node == "sign"
    assert run.state.deferrals[0].passed
    assert [line.spec.text for line in run.lines() if line.carried] == ["Photograph the seals"]
    same_after_replay(run)


def test_a_deferred_record_item_done_later_gives_its_value_to_the_run() -> None:
    text = INTERRUPTS.replace(
        '{ text = "File the work order" }',
        '{ text = "Work order number", record = "text", id = "order" }',
    )
    run = begin(text)
    to_service(run)
    run.check(0)
    run.check(1)
    run.defer(2, "system down")
    run.check(3)
    run.complete()
    run.choose(0)
    run.record(1, "WO-77")
    assert run.scope()["order"] == "WO-77"
    same_after_replay(run)


def test_an_automatic_choice_never_takes_the_run_to_success_past_an_open_deferral() -> None:
    text = INTERRUPTS.replace(
        'question = "Does the press run clean?"',
        'question = "Does the press run clean?"\nauto = true',
    ).replace(
        '{ label = "Yes", next = "close" }, { label = "No", next = "failed" }',
        '{ label = "Yes", next = "done", default = true }, { label = "No", next = "failed" }, '
        '{ label = "Close out", next = "close" }',
    )
    run = begin(text)
    to_service(run)
    run.check(0)
    run.check(1)
    run.defer(2, "office closed")
    run.check(3)
    run.complete()
    assert run.state.current_node == "check"  # it waits for the operator
    with pytest.raises(Refused, match="1 deferred item is open"):
        run.choose(0)
    same_after_replay(run)
