"""Interrupts and deferred items (issue 12): what they cost where an operator waits.

A generated process loops over two steps (A: five items, the third deferrable to B; B: three
items) and a decision, with three interrupts (a warning, a caution, an advisory; each two
items, back where the run was). A run goes round the loop until it holds ``--visits`` visits;
on every round it raises the caution, raises the warning over it, queues the advisory, does
and returns from all three, and defers A's third item to B, where it is done.

Printed:
- the engine's tick inside an interrupt at the end of that run (tick an item, then what a
  repaint asks: ``allowed``, the checklist's lines, the list of ``!``), with a memory sink;
- the replay of the whole run from its events (what a resume and ``verify`` pay);
- raise and return as an operator waits for them: durable, in a journal file;
- the metrics of interrupts and deferrals over ``--runs`` such runs in one journal.

Run: ``.venv/bin/python bench/interrupts.py [--visits N] [--ticks N] [--runs N]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from procedo.engine import MemorySink, Run, replay
from procedo.engine.allowed_interrupts import raisable
from procedo.journal import Journal
from procedo.journal.interrupt_metrics import deferrals, interrupts
from procedo.journal.metrics import Scope
from procedo.model import load_file, parse_definition

PROCESS = """\
[process]
id = "loop"
title = "Loop with interrupts"
start = "a"

[steps.a]
title = "A"
next = "b"
items = ["One", "Two", { text = "Three", defer_to = "b" }, "Four", "Five"]

[steps.b]
title = "B"
next = "again"
items = ["Six", "Seven", "Eight"]

[decisions.again]
question = "Again?"
options = [{ label = "Again", next = "a" }, { label = "Stop", next = "done" }]

[ends.done]
title = "Done"
outcome = "success"

[interrupts.hot]
title = "Hot"
priority = "warning"
items = ["Cool it", "Check it"]

[interrupts.leak]
title = "Leak"
priority = "caution"
items = ["Contain it", "Report it"]

[interrupts.call]
title = "Call"
priority = "advisory"
items = ["Answer", "Note it"]
"""


def finish_frame(run: Run) -> None:
    """Do the open interrupt's items and return from it."""
    for index in run.open_items():
        run.check(index)
    run.return_from_interrupt()


def round_trip(run: Run) -> None:
    """One round of the loop with three interrupts and a deferred item."""
    run.check(0)
    run.raise_interrupt("leak", 1)
    run.raise_interrupt("hot")
    run.raise_interrupt("call")  # queued behind both
    for _ in range(3):
        finish_frame(run)
    run.check(1)
    run.defer(2, "not yet")
    run.check(3)
    run.check(4)
    run.complete()
    for index in range(len(run.lines())):
        if not run.lines()[index].mark.done:
            run.check(index)
    run.complete()


def walk(run: Run, visits: int) -> None:
    while len(run.state.visits) < visits:
        round_trip(run)
        run.choose(0)


def figures(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"{name}: median {statistics.median(values):.2f} ms, p99 {p99:.2f} ms"


def ticks_inside(run: Run, count: int) -> list[float]:
    """Tick or clear an interrupt's item and ask what a repaint asks, ``count`` times."""
    run.raise_interrupt("leak", 0)
    spent = []
    for _ in range(count):
        started = time.perf_counter()
        if run.lines()[0].mark.done:
            run.uncheck(0)
        else:
            run.check(0)
        run.allowed(0)
        run.lines()
        raisable(run.definition, run.state)
        spent.append((time.perf_counter() - started) * 1000)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visits", type=int, default=600)
    parser.add_argument("--ticks", type=int, default=300)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    definition = parse_definition(PROCESS, default_id="loop")
    sink = MemorySink()
    run = Run.start(definition, "d" * 64, sink, "Ann")
    walk(run, args.visits)
    inside = ticks_inside(run, args.ticks)
    events = list(sink.events)
    frames = sum(1 for e in events if e.kind == "interrupt")
    print(f"{len(run.state.visits)} visits, {len(events)} events, {frames} interrupt events")
    print(figures("engine tick inside an interrupt, with the repaint's questions", inside))
    spent = []
    for _ in range(5):
        started = time.perf_counter()
        state = replay(definition, "d" * 64, run.run_id, events)
        spent.append((time.perf_counter() - started) * 1000)
    assert state == run.state
    print(f"replay of the run: median {statistics.median(spent):.1f} ms "
          f"({statistics.median(spent) * 1000 / len(events):.1f} µs an event)")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "loop.toml"
        path.write_text(PROCESS, "utf-8")
        loaded = load_file(path)
        with Journal(Path(folder) / "journal.db") as journal:
            raise_ms, return_ms = [], []
            for _ in range(args.runs):
                durable = journal.start_run(loaded, "Ann")
                for _ in range(3):
                    durable.check(0)
                    started = time.perf_counter()
                    durable.raise_interrupt("leak", 1)
                    raise_ms.append((time.perf_counter() - started) * 1000)
                    for index in durable.open_items():
                        durable.check(index)
                    started = time.perf_counter()
                    durable.return_from_interrupt()
                    return_ms.append((time.perf_counter() - started) * 1000)
                    durable.uncheck(0)
                round_trip(durable)
                durable.choose(1)
            print(figures("durable raise (journal file)", raise_ms))
            print(figures("durable return (journal file)", return_ms))
            scope = Scope("loop", None, False)
            for name, figure in (("interrupts", interrupts), ("deferrals", deferrals)):
                spent = []
                for _ in range(5):
                    started = time.perf_counter()
                    figure(journal, scope)
                    spent.append((time.perf_counter() - started) * 1000)
                print(f"metrics of {name} over {args.runs} runs: "
                      f"median {statistics.median(spent):.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
