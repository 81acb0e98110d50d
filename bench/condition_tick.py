"""The engine's share of a tick with conditions (issue 10): a 100-node process, a long run.

A generated process of 50 steps and 50 decisions (100 nodes): every step records three values
with ids, one item has ``expect``, one has ``when``; every decision suggests from ``when``
conditions. A run walks it in a loop until it holds ``--visits`` visits (default 400), then
each tick records a value and asks what a repaint asks: ``allowed`` for the item, the item
checks, the scope (placeholders) and, at a decision, the suggestion.

Run: ``.venv/bin/python bench/condition_tick.py [--visits N]``. Prints the median and p99 of
the tick (record + questions) and of the questions alone; the aim is under 1 ms for the
conditions' part (the questions).
"""

from __future__ import annotations

import argparse
import statistics
import time

from procedo.engine import MemorySink, Run
from procedo.model import parse_definition

STEPS = 50


def process_text() -> str:
    """A 100-node process whose steps record values and whose decisions read them."""
    lines = ['[process]\nid = "tick"\ntitle = "Tick"\n', '[inputs.limit]\ntitle = "Limit"']
    lines.append('record = "number"\n')
    for i in range(STEPS):
        nxt = f"d{i}"
        lines.append(f'[steps.s{i}]\ntitle = "Step {i}: {{limit}}"\nnext = "{nxt}"\nitems = [')
        lines.append(
            f'  {{ id = "a{i}", text = "A {i}", record = "number", expect = "a{i} < limit" }},'
        )
        lines.append(f'  {{ id = "b{i}", text = "B {i}", record = "number" }},')
        lines.append(f'  {{ text = "C {i}", when = "b{i} > 10.0 || limit > 500" }},')
        lines.append("]\n")
        following = f"s{i + 1}" if i + 1 < STEPS else "s0"
        lines.append(f'[decisions.d{i}]\nquestion = "Go on from {i}?"\noptions = [')
        lines.append(f'  {{ label = "On", next = "{following}", when = "a{i} + b{i} < limit" }},')
        lines.append('  { label = "End", next = "end", default = true },\n]\n')
    lines.append('[ends.end]\ntitle = "End"\noutcome = "success"\n')
    return "\n".join(lines)


def walk(run: Run, visits: int) -> None:
    """Walk the loop until the run holds ``visits`` visits."""
    while len(run.state.visits) < visits:
        node = run.state.current_node or ""
        if node.startswith("s"):
            run.record(0, "1")
            run.record(1, "2")
            if run.open_items():
                run.check(2)
            run.complete()
        else:
            run.choose(0)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=400)
    parser.add_argument("--ticks", type=int, default=400)
    options = parser.parse_args()
    definition = parse_definition(process_text(), source="tick.toml")
    run = Run.start(definition, "h", MemorySink(), "Bench", inputs={"limit": "100"})
    walk(run, options.visits)
    while not (run.state.current_node or "").startswith("s"):
        run.choose(0)
    questions: list[float] = []
    ticks: list[float] = []
    for tick in range(options.ticks):
        began = time.perf_counter()
        run.record(1, str(tick % 40))
        asked = time.perf_counter()
        for item in range(3):
            run.allowed(item)
        run.item_checks()
        run.scope()
        run.previous_values()
        done = time.perf_counter()
        ticks.append((done - began) * 1000)
        questions.append((done - asked) * 1000)
    worst = sorted(range(len(questions)), key=questions.__getitem__)[-4:]
    print("slowest ticks:", ", ".join(f"#{i} {questions[i]:.2f} ms" for i in reversed(worst)))
    events = len(run.sink.events)  # type: ignore[attr-defined]
    print(f"a 100-node process, a run of {len(run.state.visits)} visits, {events} events")
    for name, figures in (("record + questions", ticks), ("questions alone", questions)):
        print(
            f"  {name}: median {statistics.median(figures):.3f} ms, "
            f"p99 {percentile(figures, 0.99):.3f} ms"
        )
    decision_ms = []
    run.record(0, "1")
    run.record(1, "20")
    run.check(2)
    run.complete()
    for _ in range(200):
        began = time.perf_counter()
        run.suggestion()
        run.allowed()
        run.scope()
        decision_ms.append((time.perf_counter() - began) * 1000)
    print(
        f"  at a decision, suggestion + allowed + scope: median "
        f"{statistics.median(decision_ms):.3f} ms, p99 {percentile(decision_ms, 0.99):.3f} ms"
    )


if __name__ == "__main__":
    main()
