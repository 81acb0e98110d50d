"""An interrupt's time is counted once: to the interrupt, never also to what it interrupted,
also when one that leads elsewhere closes a lower one under it (the property walk found this
counted twice)."""

from __future__ import annotations

from interrupt_defs import INTERRUPTS, interrupts_definition
from procedo.engine import MemorySink, Run
from procedo.model import content_hash

T0 = 1_795_000_000_000


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> int:
        return self.now


def test_a_lower_interrupt_closed_by_an_after_above_counts_its_time_once() -> None:
    clock = Clock()
    run = Run.start(
        interrupts_definition(), content_hash(INTERRUPTS), MemorySink(), "Ann", clock=clock
    )
    clock.now += 10_000
    run.raise_interrupt("leak")  # 60 s in the leak
    clock.now += 60_000
    run.raise_interrupt("fire")  # 5 s in the fire, then abandon
    clock.now += 5_000
    run.check(0)
    run.check(1)
    run.choose(1)
    state = run.state
    isolate, leak, fire = state.visits[0], state.visits[1], state.visits[2]
    assert (leak.duration_ms, fire.duration_ms) == (60_000, 5_000)
    assert state.duration_ms == 75_000
    assert isolate.duration_ms == 10_000  # it is 70 s: the leak's minute counted to it too
