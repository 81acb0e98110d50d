"""Conditions in a run (issue 10): start-up with and without them, and their cost on every tick.

1. Start-up, each in a fresh interpreter (median of ``--tries``): load a folder of definitions
   the way the app does (``procedo.workspace.load_folder``), then get every process ready to
   run (compile each of its conditions once, as the first judgement does). Once with the two
   bundled processes that have no conditions, once with all six bundled ones. Also says
   whether the CEL package was imported: it must not be without conditions.
2. A tick of a 100-node process (50 steps and 50 decisions, every step with a recorded item
   that has ``expect``, an item with ``when``, every decision with ``when`` options): what the
   run screen asks after each operator action, ``Run.item_checks()`` and ``Run.suggestion()``,
   at a late node of the walk (the longest scope). Median and p99 of ``--ticks`` (aim: under
   1 ms a tick). Beside it, the whole ``Run.record`` of a value (with a memory sink) with and
   without conditions.

Run: ``.venv/bin/python bench/conditions_run.py [--tries N] [--ticks N]``. Exits 1 when a tick
misses its aim or the CEL package is imported without conditions.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from procedo.engine import MemorySink, Run
from procedo.model import parse_definition

REPO = Path(__file__).resolve().parent.parent
TICK_AIM_MS = 1.0
WITHOUT = ("employee-onboarding.toml", "incident-response.toml")

STARTUP = """
import json, sys, time
t = time.perf_counter()
from procedo.workspace import load_folder
from procedo.engine import judge
catalog = load_folder(__import__("pathlib").Path(sys.argv[1]))
loaded = time.perf_counter()
cel_at_load = "cel_expr_python" in sys.modules
count = 0
for process in catalog.processes:
    d = process.definition
    sources = [c for s in d.steps.values() for i in s.items for c in (i.expect, i.when) if c]
    sources += [o.when for x in d.decisions.values() for o in x.options if o.when]
    for source in sources:
        judge.condition(d, source)
        count += 1
ready = time.perf_counter()
print(json.dumps({"load_ms": (loaded - t) * 1000, "ready_ms": (ready - t) * 1000,
                  "conditions": count, "processes": len(catalog.processes),
                  "cel": "cel_expr_python" in sys.modules, "cel_at_load": cel_at_load}))
"""


def startup(folder: Path, tries: int) -> dict[str, float | int | bool]:
    """The median start-up figures of ``STARTUP`` over ``tries`` fresh interpreters."""
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", STARTUP, str(folder)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(tries)
    ]
    return {
        "load_ms": statistics.median(r["load_ms"] for r in runs),
        "ready_ms": statistics.median(r["ready_ms"] for r in runs),
        "conditions": runs[0]["conditions"],
        "processes": runs[0]["processes"],
        "cel": any(r["cel"] for r in runs),
        "cel_at_load": any(r["cel_at_load"] for r in runs),
    }


def big_process(nodes: int = 100, *, conditions: bool = True) -> str:
    """A chain of ``nodes // 2`` steps, each followed by a decision that reads its value."""
    parts = ['[process]\ntitle = "Big"\nstart = "s0"\n']
    pairs = nodes // 2
    for i in range(pairs):
        after = f"s{i + 1}" if i + 1 < pairs else "done"
        expect = f', expect = "v{i} < 50 && v{i} >= 0"' if conditions else ""
        when = f', when = "v{i} > 90 || v0 > 95"' if conditions else ""
        parts.append(
            f'[steps.s{i}]\ntitle = "Step {i}"\nnext = "d{i}"\nitems = [\n'
            f'  {{ id = "v{i}", text = "Reading {i}", record = "number", min = 0, max = 100'
            f"{expect} }},\n"
            f'  {{ text = "Only for high readings"{when} }},\n'
            '  "A plain tick",\n]\n'
        )
        high = f', when = "v{i} >= 50 && v{i} <= 100"' if conditions else ""
        low = f', when = "v{i} < 50"' if conditions else ""
        parts.append(
            f'[decisions.d{i}]\nquestion = "Reading {i} fine?"\noptions = [\n'
            f'  {{ label = "Yes", next = "{after}"{low} }},\n'
            f'  {{ label = "No", next = "{after}"{high} }},\n]\n'
        )
    parts.append('[ends.done]\ntitle = "Done"\noutcome = "success"\n')
    return "".join(parts)


def walk_to_late_step(run: Run, steps: int) -> None:
    """Walk the big process to step ``steps`` (each step's reading in range)."""
    for _ in range(steps):
        run.record(0, "20")
        for index, check in enumerate(run.item_checks()):
            if index and check.active:
                run.check(index)
        run.complete()
        run.choose(0)


def tick_ms(conditions: bool, ticks: int) -> tuple[list[float], list[float]]:
    """(what the screen asks after an action, a whole ``Run.record``) in ms, ``ticks`` each."""
    definition = parse_definition(big_process(conditions=conditions), source="big.toml")
    clock = iter(range(1_795_000_000_000, 1_795_000_000_000 + 10**12, 1000))
    run = Run.start(definition, "h", MemorySink(), "Bench", clock=lambda: next(clock))
    walk_to_late_step(run, 45)
    gc.collect()
    gc.freeze()  # as the app does after start-up (cli/tui_commands.py)
    asks, records = [], []
    for n in range(ticks):
        start = time.perf_counter()
        run.item_checks()
        run.suggestion()
        asks.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        run.record(0, str(10 + n % 30))
        records.append((time.perf_counter() - start) * 1000)
    return asks, records


def p99(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.99) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tries", type=int, default=5)
    parser.add_argument("--ticks", type=int, default=500)
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "plain"
        plain.mkdir()
        for name in WITHOUT:
            shutil.copy(REPO / "processes" / name, plain / name)
        for label, folder in (("without conditions", plain), ("bundled", REPO / "processes")):
            figures = startup(folder, args.tries)
            print(
                f"start-up, {label} ({figures['processes']} processes, "
                f"{figures['conditions']} conditions): load {figures['load_ms']:.0f} ms, "
                f"ready {figures['ready_ms']:.0f} ms; CEL imported by the load: "
                f"{figures['cel_at_load']}, once ready: {figures['cel']}"
            )
            if folder is plain and figures["cel"]:
                print("  FAIL: the CEL package was imported without conditions")
                failed = True
    for conditions in (False, True):
        asks, records = tick_ms(conditions, args.ticks)
        label = "with conditions" if conditions else "without conditions"
        print(
            f"tick of a 100-node process {label}: item checks + suggestion median "
            f"{statistics.median(asks):.3f} ms, p99 {p99(asks):.3f} ms; whole record "
            f"median {statistics.median(records):.3f} ms, p99 {p99(records):.3f} ms"
        )
        if conditions and statistics.median(asks) >= TICK_AIM_MS:
            print(f"  FAIL: aim under {TICK_AIM_MS} ms a tick")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
