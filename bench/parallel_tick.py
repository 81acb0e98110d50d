"""A tick inside a parallel block (issue 14): the engine's share, and the durable tick.

A generated process opens a block of ``--branches`` branches (default 8), each a loop of two
steps and a decision, then joins. A run walks round the branches until it holds ``--visits``
visits (default 600), then each tick ticks or clears an item of the branch in focus and asks
what a repaint asks (``allowed``, the open items, the branch views), switching branch every
tenth tick. Measured twice: with an in-memory sink (the engine alone) and with a journal file
(``BEGIN IMMEDIATE`` .. COMMIT, synchronous FULL), the latter being what an operator waits for
before the repaint.

Run: ``.venv/bin/python bench/parallel_tick.py [--branches N] [--visits N] [--ticks N]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from procedo.engine import MemorySink, Run
from procedo.engine.branches import branch_views
from procedo.journal import Journal
from procedo.model import LoadedProcess, parse_definition


def process_text(branches: int) -> str:
    """A block of ``branches`` looping branches between a first and a last step."""
    firsts = ", ".join(f'"b{i}s0"' for i in range(branches))
    out = ['[process]\nid = "par"\ntitle = "Parallel"\nstart = "first"\n',
           '[steps.first]\ntitle = "First"\nnext = "block"\nitems = ["Go"]\n',
           f'[parallel.block]\ntitle = "Block"\nbranches = [{firsts}]\njoin = "last"\n',
           '[steps.last]\ntitle = "Last"\nnext = "end"\nitems = ["Done"]\n',
           '[ends.end]\ntitle = "End"\noutcome = "success"\n']  # fmt: skip
    for i in range(branches):
        out.append(f'[steps.b{i}s0]\ntitle = "Branch {i} A"\nnext = "b{i}s1"\n'
                   'items = ["One", "Two", "Three"]\n')  # fmt: skip
        out.append(f'[steps.b{i}s1]\ntitle = "Branch {i} B"\nnext = "b{i}d"\n'
                   'items = ["Four", "Five"]\n')  # fmt: skip
        out.append(f'[decisions.b{i}d]\nquestion = "Again {i}?"\noptions = [\n'
                   f'  {{ label = "Again", next = "b{i}s0" }},\n'
                   '  { label = "Join", next = "last" },\n]\n')  # fmt: skip
    return "\n".join(out)


def walk(run: Run, visits: int) -> None:
    """Round the branches (each step done, each decision: again) until ``visits`` visits."""
    run.check(0)
    run.complete()
    turn = 0
    while len(run.state.visits) < visits:
        opened = run.state.open_positions()
        run.switch(opened[turn % len(opened)].branch)
        turn += 1
        if run.current_step is not None:
            for index in run.open_items():
                run.check(index)
            run.complete()
        else:
            run.choose(0)


def ticks(run: Run, count: int) -> tuple[list[float], list[float]]:
    """Tick durations (operation + repaint questions) and the questions alone, in ms."""
    tick_ms: list[float] = []
    ask_ms: list[float] = []
    for n in range(count):
        if n % 10 == 0:
            opened = [p for p in run.state.open_positions() if run.state.visits[p.path[-1]].kind
                      == "step"]  # fmt: skip
            run.switch(opened[n // 10 % len(opened)].branch)
        item = len(run.current_step.items) - 1  # type: ignore[union-attr]
        started = time.perf_counter()
        if run.state.current.mark(item).done:  # type: ignore[union-attr]
            run.uncheck(item)
        else:
            run.check(item)
        asked = time.perf_counter()
        run.allowed(item)
        run.open_items()
        branch_views(run.definition, run.state)
        done = time.perf_counter()
        tick_ms.append((done - started) * 1000)
        ask_ms.append((done - asked) * 1000)
    return tick_ms, ask_ms


def figures(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"{name}: median {statistics.median(values):.2f} ms, p99 {p99:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--branches", type=int, default=8)
    parser.add_argument("--visits", type=int, default=600)
    parser.add_argument("--ticks", type=int, default=300)
    args = parser.parse_args()
    text = process_text(args.branches)
    definition = parse_definition(text, default_id="par")
    memory = Run.start(definition, "d" * 64, MemorySink(), "Ann")
    walk(memory, args.visits)
    tick_ms, ask_ms = ticks(memory, args.ticks)
    print(f"{args.branches} branches, {len(memory.state.visits)} visits, {args.ticks} ticks")
    print(figures("engine tick (memory sink)", tick_ms))
    print(figures("  of which the repaint's questions", ask_ms))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "par.toml"
        path.write_text(text, "utf-8")
        from procedo.model import load_file

        loaded: LoadedProcess = load_file(path)
        with Journal(Path(folder) / "journal.db") as journal:
            run = journal.start_run(loaded, "Ann")
            walk(run, args.visits)
            durable, _ = ticks(run, args.ticks)
    print(figures("durable tick (journal file)", durable))


if __name__ == "__main__":
    main()
