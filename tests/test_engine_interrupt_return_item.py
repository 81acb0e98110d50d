"""A queued interrupt that starts by itself interrupts the item the operator was on: when it
returns, the run lands on that item (the one of the interrupt that first left the normal
flow), not on the first open item; live and replay agree, and a journal written before
(its queued interrupt started without an item) replays as it always did."""

from __future__ import annotations

import dataclasses

from interrupt_defs import INTERRUPTS, interrupts_definition
from procedo.engine import Event, MemorySink, Run, replay
from procedo.engine.events import chain_seed
from procedo.model import content_hash


def to_service() -> Run:
    run = Run.start(interrupts_definition(), content_hash(INTERRUPTS), MemorySink(), "Ann")
    run.check(0)
    run.check(1)
    run.record(2, "7")
    run.complete()
    run.check(0)  # service: the filter is changed, the operator is on line 3
    assert run.state.current_node == "service"
    return run


def events(run: Run) -> list[Event]:
    assert isinstance(run.sink, MemorySink)
    return run.sink.events


def same_after_replay(run: Run) -> None:
    state = replay(run.definition, run.state.definition_hash, run.run_id, events(run))
    assert dataclasses.asdict(state) == dataclasses.asdict(run.state)


def finish_leak(run: Run) -> None:
    assert run.state.current_node == "leak"
    run.check(0)
    run.record(1, "1.5")
    run.complete()


def test_a_queued_interrupt_started_by_itself_returns_to_the_item_first_interrupted() -> None:
    run = to_service()
    service = run.state.current.index  # type: ignore[union-attr]
    run.raise_interrupt("fire", item=2)
    run.raise_interrupt("leak")  # waits behind the fire alarm
    run.raise_interrupt("call")  # and so does the phone call
    run.check(0)
    run.check(1)
    run.choose(0)  # all clear: the leak starts by itself, where the operator was
    started = events(run)[-1]
    assert (started.kind, started.node, started.item, started.value, started.reason) == (
        "interrupt",
        "leak",
        2,
        "service",
        None,
    )
    assert run.state.frame.item == 2  # type: ignore[union-attr]
    finish_leak(run)  # the phone call starts by itself, at the same item
    assert [(e.kind, e.node, e.item) for e in events(run)[-2:]] == [
        ("return", "leak", None),
        ("interrupt", "call", 2),
    ]
    run.check(0)
    run.complete()
    assert run.state.frames == [] and run.state.queue == []
    assert run.state.current_node == "service"
    assert run.state.resume_at == (service, 2)  # not the first open item (line 2)
    assert run.open_items()[0] == 1
    same_after_replay(run)


def test_back_in_a_lower_interrupt_a_queued_one_waits_and_then_returns_to_the_flow_item() -> None:
    run = to_service()
    service = run.state.current.index  # type: ignore[union-attr]
    run.raise_interrupt("leak", item=3)  # leaves the normal flow at line 4
    leak = run.state.frame.visit  # type: ignore[union-attr]
    run.check(0)
    run.raise_interrupt("fire", item=1)  # over the leak, on its second line
    run.raise_interrupt("call")  # lower than the leak: it waits for both
    run.check(0)
    run.check(1)
    run.choose(0)
    assert run.state.frame.interrupt == "leak"  # type: ignore[union-attr]
    assert run.state.resume_at == (leak, 1)
    assert [q.interrupt for q in run.state.queue] == ["call"]
    run.record(1, "2")
    run.complete()  # the leak returns: the call starts where the leak had interrupted
    assert (events(run)[-1].kind, events(run)[-1].node, events(run)[-1].item) == (
        "interrupt",
        "call",
        3,
    )
    run.check(0)
    run.complete()
    assert run.state.current_node == "service"
    assert run.state.resume_at == (service, 3)
    same_after_replay(run)


def test_a_queued_interrupt_started_at_a_decision_has_no_item() -> None:
    run = to_service()
    for index in (1, 2, 3):
        run.check(index)
    run.complete()
    assert run.state.current_node == "check"
    decision = run.state.current.index  # type: ignore[union-attr]
    run.raise_interrupt("fire")
    run.raise_interrupt("leak")
    run.check(0)
    run.check(1)
    run.choose(0)
    assert (events(run)[-1].kind, events(run)[-1].item) == ("interrupt", None)
    finish_leak(run)
    assert run.state.current_node == "check" and run.state.resume_at == (decision, None)
    same_after_replay(run)


def test_a_journal_whose_queued_interrupt_started_without_an_item_replays_as_before() -> None:
    run = to_service()
    run.raise_interrupt("fire", item=2)
    run.raise_interrupt("leak")
    run.check(0)
    run.check(1)
    run.choose(0)
    finish_leak(run)
    assert run.state.resume_at is not None and run.state.resume_at[1] == 2
    # the same run as an earlier procedo wrote it: the leak's start names no item
    old: list[Event] = []
    previous = chain_seed(run.run_id, run.state.definition_hash)
    for event in events(run):
        if event.kind == "interrupt" and event.node == "leak" and event.reason is None:
            event = dataclasses.replace(event, item=None)
        event = dataclasses.replace(event, hash=event.compute_hash(previous))
        previous = event.hash
        old.append(event)
    state = replay(run.definition, run.state.definition_hash, run.run_id, old)
    assert state.resume_at == (run.state.resume_at[0], None)
    assert [v.node for v in state.visits] == [v.node for v in run.state.visits]
