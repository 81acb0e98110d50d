"""Interrupts in the engine: raised mid-checklist, at a decision and inside a lower one,
queued behind an equal one, back to the exact place, after to an end, time counted to the
interrupt, the refusals, and replay equal to live."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from interrupt_defs import INTERRUPTS, interrupts_definition
from procedo.engine import COMPLETED, MemorySink, Refused, Run, replay
from procedo.model import content_hash

T0 = 1_795_000_000_000


class Clock:
    """A clock that moves only when told (one second a tick by default)."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> int:
        return self.now

    def tick(self, seconds: float = 1) -> None:
        self.now += int(seconds * 1000)


def begin(clock: Clock | None = None) -> Run:
    return Run.start(
        interrupts_definition(),
        content_hash(INTERRUPTS),
        MemorySink(),
        "Ann",
        clock=clock or Clock(),
    )


def rebuilt(run: Run) -> dict[str, Any]:
    assert isinstance(run.sink, MemorySink)
    state = replay(run.definition, run.state.definition_hash, run.run_id, run.sink.events)
    return dataclasses.asdict(state)


def kinds(run: Run, last: int) -> list[tuple[str, str | None, int | None, str | None, str | None]]:
    assert isinstance(run.sink, MemorySink)
    return [(e.kind, e.node, e.item, e.value, e.branch) for e in run.sink.events[-last:]]


def test_an_interrupt_mid_checklist_returns_to_the_exact_node_item_and_marks() -> None:
    run = begin()
    run.check(0)
    run.raise_interrupt("leak", item=1)
    assert kinds(run, 1) == [("interrupt", "leak", 1, "isolate", None)]
    state = run.state
    assert state.current_node == "leak" and state.current.kind == "interrupt"  # type: ignore[union-attr]
    assert [line.spec.text for line in run.lines()] == ["Contain the leak", "Litres spilled"]
    run.check(0)
    run.record(1, "2.5")
    assert kinds(run, 2) == [
        ("check", "leak", 0, None, "!leak"),
        ("record", "leak", 1, "2.5", "!leak"),
    ]
    run.complete()
    assert kinds(run, 1) == [("return", "leak", None, "return", "!leak")]
    state = run.state
    assert state.frames == [] and state.current_node == "isolate"
    assert state.resume_at == (0, 1)
    assert state.current.mark(0).checked and not state.current.mark(1).done  # type: ignore[union-attr]
    assert rebuilt(run) == dataclasses.asdict(run.state)


def test_time_in_an_interrupt_counts_to_it_and_not_to_the_interrupted_step() -> None:
    clock = Clock()
    run = begin(clock)
    clock.tick(60)
    run.raise_interrupt("leak")
    clock.tick(300)
    run.check(0)
    run.record(1, "1")
    run.complete()
    clock.tick(30)
    for index in range(3):
        if index == 2:
            run.record(index, "200")
        else:
            run.check(index)
    run.complete()
    isolate, leak = run.state.visits[0], run.state.visits[1]
    assert leak.node == "leak" and leak.duration_ms == 300_000
    assert isolate.duration_ms == 90_000 and isolate.interrupted_ms == 300_000
    assert rebuilt(run) == dataclasses.asdict(run.state)


def test_a_pause_inside_an_interrupt_is_counted_once() -> None:
    clock = Clock()
    run = begin(clock)
    clock.tick(10)
    run.raise_interrupt("leak")
    clock.tick(20)
    run.pause("lunch")
    clock.tick(1000)
    run.resume()
    clock.tick(5)
    run.check(0)
    run.record(1, "0")
    run.complete()
    clock.tick(7)
    leak, isolate = run.state.visits[1], run.state.visits[0]
    assert leak.duration_ms == 25_000
    assert isolate.interrupted_ms == 25_000
    assert isolate.paused_ms == 1_025_000  # the pause, and the interrupt's own time
    assert run.state.active_ms(clock.now) == 42_000
    assert rebuilt(run) == dataclasses.asdict(run.state)


def test_a_warning_interrupts_a_caution_and_each_returns_to_its_own_place() -> None:
    clock = Clock()
    run = begin(clock)
    run.raise_interrupt("leak")
    run.check(0)
    clock.tick(10)
    run.raise_interrupt("fire", item=1)
    assert kinds(run, 1) == [("interrupt", "fire", 1, "leak", "!leak")]
    assert [f.interrupt for f in run.state.frames] == ["leak", "fire"]
    clock.tick(40)
    run.check(0)
    run.check(1)
    with pytest.raises(Refused, match="answer the question first: Is the all-clear given"):
        run.complete()
    run.choose(0)
    assert kinds(run, 1) == [("return", "fire", 0, "return", "!fire")]
    assert run.state.current_node == "leak" and run.state.resume_at == (1, 1)
    assert run.state.current.mark(0).checked  # type: ignore[union-attr]
    leak_visit = run.state.visits[1]
    assert leak_visit.interrupted_ms == 40_000
    run.record(1, "3")
    clock.tick(5)
    run.complete()
    assert run.state.current_node == "isolate"
    # the leak's own time: 10 s before the fire and 5 s after; the fire's 40 s is its own
    assert run.state.visits[1].duration_ms == 15_000
    assert run.state.visits[0].interrupted_ms == 55_000
    assert rebuilt(run) == dataclasses.asdict(run.state)


def test_an_equal_or_lower_priority_interrupt_queues_and_starts_by_itself_after() -> None:
    run = begin()
    for index in range(3):
        run.record(index, "1") if index == 2 else run.check(index)
    run.complete()  # to service, where the phone call applies
    run.raise_interrupt("fire")
    run.raise_interrupt("injury")
    run.raise_interrupt("call")
    assert [q.interrupt for q in run.state.queue] == ["injury", "call"]
    assert kinds(run, 2) == [
        ("interrupt", "injury", None, "fire", "!fire"),
        ("interrupt", "call", None, "fire", "!fire"),
    ]
    assert run.state.frame.interrupt == "fire"  # type: ignore[union-attr]
    with pytest.raises(Refused, match="'Injury' is queued already"):
        run.raise_interrupt("injury")
    run.check(0)
    run.check(1)
    run.choose(0)  # all clear: the queued warning starts at once
    assert kinds(run, 2) == [
        ("return", "fire", 0, "return", "!fire"),
        ("interrupt", "injury", None, "service", None),
    ]
    assert [q.interrupt for q in run.state.queue] == ["call"]
    run.check(0)
    run.complete()  # injury leads to the abandoned end: the run ends, the queue with it
    state = run.state
    assert (state.status, state.end_node, state.success) == (COMPLETED, "abandoned", False)
    assert state.visits[1].outcome == "interrupted"  # service
    assert rebuilt(run) == dataclasses.asdict(run.state)


def test_after_to_an_end_from_inside_a_lower_interrupt_closes_both() -> None:
    run = begin()
    run.raise_interrupt("leak")
    run.raise_interrupt("fire")
    run.check(0)
    run.check(1)
    run.choose(1)  # abandon
    state = run.state
    assert state.frames == [] and state.end_node == "abandoned"
    outcomes = [(v.node, v.outcome) for v in state.visits]
    assert outcomes == [
        ("isolate", "interrupted"),
        ("leak", "interrupted"),
        ("fire", "after"),
        ("abandoned", "finished"),
    ]
    assert rebuilt(run) == dataclasses.asdict(run.state)


def test_an_interrupt_at_a_decision_returns_to_the_decision() -> None:
    run = begin()
    for index in range(3):
        run.record(index, "1") if index == 2 else run.check(index)
    run.complete()
    for index in range(4):
        run.check(index)
    run.complete()
    assert run.state.current_node == "check"
    run.raise_interrupt("leak")
    with pytest.raises(Refused, match="2 items still open: 'Contain the leak'"):
        run.choose(0)
    run.check(0)
    run.record(1, "0")
    with pytest.raises(Refused, match="this interrupt asks no question"):
        run.choose(0)
    run.complete()
    assert run.state.current_node == "check"
    run.choose(0)
    assert run.state.current_node == "close"
    assert rebuilt(run) == dataclasses.asdict(run.state)


def test_what_cannot_be_done_inside_an_interrupt_or_raised_out_of_place() -> None:
    run = begin()
    with pytest.raises(Refused, match="'Phone call' applies only at 'Service the press'"):
        run.raise_interrupt("call")
    with pytest.raises(Refused, match="not a non-normal checklist"):
        run.raise_interrupt("nope")
    run.raise_interrupt("leak")
    with pytest.raises(Refused, match="'Oil leak' is open already"):
        run.raise_interrupt("leak")
    with pytest.raises(Refused, match="still open"):
        run.complete()
    with pytest.raises(Refused, match="first node"):
        run.back()
    with pytest.raises(Refused, match="non-normal checklist are done now"):
        run.defer(0, "later")
    assert run.allowed(0).defer.reason.startswith("the items of a non-normal")
    run.pause()
    with pytest.raises(Refused, match="not active"):
        run.raise_interrupt("fire")
    run.resume()
    assert rebuilt(run) == dataclasses.asdict(run.state)


def test_raisable_lists_every_interrupt_by_priority_with_its_reason() -> None:
    from procedo.engine.allowed_interrupts import raisable

    run = begin()
    found = raisable(run.definition, run.state)
    assert [(r.interrupt, bool(r.reason), r.queues) for r in found] == [
        ("fire", False, False),
        ("injury", False, False),
        ("leak", False, False),
        ("call", True, False),
    ]
    run.raise_interrupt("leak")
    found = raisable(run.definition, run.state)
    assert [(r.interrupt, r.queues) for r in found if not r.reason] == [
        ("fire", False),
        ("injury", False),
    ]
