"""A journal of press maintenance runs (tests/interrupt_defs.py) with interrupts of each kind
and deferred items, on a clock that moves a minute at a time, for the record tests of
issue 12. Each run's script says what it shows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from interrupt_defs import INTERRUPTS
from procedo.engine import Run
from procedo.journal import Journal
from procedo.model import LoadedProcess, load_file

T0 = 1_795_000_000_000
MINUTE = 60_000


class Clock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> int:
        return self.now

    def tick(self, minutes: float = 1) -> None:
        self.now += int(minutes * MINUTE)


def press(folder: Path) -> LoadedProcess:
    """The press process, loaded from a file in ``folder``."""
    path = folder / "press.toml"
    path.write_text(INTERRUPTS, "utf-8")
    return load_file(path)


def _to_service(run: Run, clock: Clock) -> None:
    for i in range(2):
        if not run.lines()[i].mark.done:
            run.check(i)
    run.record(2, "7")
    clock.tick()
    run.complete()


def leak_then_deferrals(run: Run, clock: Clock) -> None:
    """A leak at isolate's item 2 (3 min), two items deferred at service (one to close, one
    to any step), a fire at close answered "resume" (2 min), a success end."""
    run.check(0)
    clock.tick()
    run.raise_interrupt("leak", item=1)
    clock.tick(2)
    run.check(0)
    run.record(1, "2.5")
    clock.tick()
    run.complete()  # back at isolate, item 2
    _to_service(run, clock)
    run.check(0)
    run.defer(1, "camera flat")
    run.defer(2, "office shut")
    run.check(3)
    clock.tick()
    run.complete()
    run.choose(0)  # to close: its own item, then the two deferred ones
    clock.tick()
    run.check(1)  # Photograph the seals, deferred from service
    run.raise_interrupt("fire", item=0)
    clock.tick(2)
    run.check(0)
    run.check(1)
    run.choose(0)  # all clear: back
    run.check(0)
    run.mark_not_applicable(2, "filed online")
    clock.tick()
    run.complete()


def injury_abandons(run: Run, clock: Clock) -> None:
    """A leak raised twice at isolate (a minute each), then an injury (after = "abandoned"):
    the run ends at that failure end."""
    for litres in ("3", "0.5"):
        clock.tick()
        run.raise_interrupt("leak")
        clock.tick()
        run.check(0)
        run.record(1, litres)
        run.complete()
    clock.tick()
    run.raise_interrupt("injury")
    clock.tick(4)
    run.check(0)
    run.complete()


def stacked_and_queued(run: Run, clock: Clock) -> None:
    """At service: a phone call (advisory) at item 3, a leak over it (caution: stacked); the
    leak returns to the call, the call to service. Then a fire answered "abandon"."""
    _to_service(run, clock)
    run.check(0)
    run.raise_interrupt("call", item=2)
    clock.tick()
    run.raise_interrupt("leak")
    clock.tick(5)
    run.check(0)
    run.record(1, "1")
    run.complete()  # the leak returns to the call
    clock.tick()
    run.check(0)
    run.complete()  # the call returns to service
    run.raise_interrupt("fire")
    clock.tick(3)
    run.check(0)
    run.check(1)
    run.choose(1)  # no all-clear: abandoned


def queued_call(run: Run, clock: Clock) -> None:
    """At service a leak, then a call raised while it is open (lower: it queues and starts
    by itself when the leak returns); left open, the run paused."""
    _to_service(run, clock)
    run.raise_interrupt("leak", item=0)
    clock.tick()
    run.raise_interrupt("call")
    clock.tick(2)
    run.check(0)
    run.record(1, "4")
    run.complete()  # the call starts now
    clock.tick()


def left_open(run: Run, clock: Clock) -> None:
    """Both deferrable items of service deferred, and a failure end reached with them open
    (only a success end waits for deferred items)."""
    _to_service(run, clock)
    run.check(0)
    run.defer(1, "camera flat")
    run.defer(2, "office shut")
    run.check(3)
    clock.tick()
    run.complete()
    run.choose(1)  # No: out of service


SCRIPTS: dict[str, Callable[[Run, Clock], None]] = {
    "leak": leak_then_deferrals,
    "injury": injury_abandons,
    "stacked": stacked_and_queued,
    "queued": queued_call,
    "open": left_open,
}


def build(db: Path, folder: Path) -> dict[str, str]:
    """Write one run per script; their ids by script name."""
    loaded = press(folder)
    clock = Clock()
    ids: dict[str, str] = {}
    with Journal(db) as journal:
        journal.clock = clock
        for name, script in SCRIPTS.items():
            clock.tick(60)
            run = journal.start_run(loaded, "Ann")
            script(run, clock)
            ids[name] = run.run_id
            if not run.state.finished:
                journal.release(run.run_id)
    return ids
