"""Time the condition language (issue 10): import, environment, compile, and a tick's evaluation.

Prints, each in a fresh interpreter where it matters:

- the import of cel_expr_python (median of 5 fresh interpreters);
- building a CEL environment (uncached, median of 50), and with its first compile (which
  pays the environment's lazy set-up: hence one environment per process, not per condition);
- compiling a condition (uncached: a new source each time), as written and with integer
  literals rewritten as decimals;
- evaluating the conditions of a 100-node process: 100 conditions of 2-3 comparisons, each
  judged once (what a tick would cost if every condition were judged again), median of 200.

Run: ``.venv/bin/python bench/conditions.py`` (or ``make bench``). Exits 1 when the tick's
evaluation misses its aim, under 1 ms in total.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import time

from procedo.model.conditions import Kind, _env, compile_condition

TICK_AIM_MS = 1.0
NODES = 100


def import_ms() -> float:
    """The median import time of cel_expr_python in a fresh interpreter."""
    code = (
        "import time; t = time.perf_counter(); import cel_expr_python.cel; "
        "print((time.perf_counter() - t) * 1000)"
    )
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout)
        for _ in range(5)
    ]  # fmt: skip
    return statistics.median(runs)


def median_us(action: object, repeat: int) -> float:
    """The median time of ``action()`` in microseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def process_conditions(rng: random.Random) -> tuple[dict[str, Kind], list[str]]:
    """The ids and conditions of a 100-node process: 2-3 comparisons each."""
    kinds: dict[str, Kind] = {f"n{i}": "number" for i in range(NODES)}
    kinds |= {f"t{i}": "text" for i in range(20)}
    sources = []
    for index in range(NODES):
        parts = []
        for _ in range(rng.choice((2, 3))):
            if rng.random() < 0.25:
                parts.append(f"t{rng.randrange(20)} == 'v{rng.randrange(5)}'")
            else:
                op = rng.choice(("<", "<=", ">", ">=", "=="))
                parts.append(f"n{rng.randrange(NODES)} {op} {rng.randrange(-50, 500)}")
        sources.append(f" {rng.choice(('&&', '||'))} ".join(parts) + f" // node {index}")
    return kinds, sources


def main() -> int:
    rng = random.Random(10)
    print(f"import cel_expr_python (fresh interpreter, median of 5): {import_ms():.1f} ms")
    kinds, sources = process_conditions(rng)
    counter = iter(range(10**9))
    env_us = median_us(lambda: _env.__wrapped__(frozenset({(f"e{next(counter)}", "number")})), 50)
    print(f"build a CEL environment (uncached, median of 50): {env_us / 1000:.2f} ms")

    def fresh_env_first_compile() -> None:
        name = f"f{next(counter)}"
        _env.__wrapped__(frozenset({(name, "number")})).compile(f"{name} < 1.0")

    first_us = median_us(fresh_env_first_compile, 50)
    print(f"the same and its first compile (median of 50): {first_us / 1000:.2f} ms")
    templates = {
        "as written": "n1 > 1.5 && t1 == 'x' // {}",
        "integer literals rewritten": "n1 > 2 && t1 == 'x' // {}",
    }
    for label, template in templates.items():
        cost = median_us(lambda t=template: compile_condition(t.format(next(counter)), kinds), 200)
        print(f"compile one condition, {label} (uncached, median of 200): {cost:.0f} us")
    start = time.perf_counter()
    compiled = [compile_condition(s, kinds) for s in sources]
    total_ms = (time.perf_counter() - start) * 1000
    print(f"compile the {NODES} conditions of a {NODES}-node process: {total_ms:.1f} ms")
    values: dict[str, float | str] = {f"n{i}": rng.uniform(-60, 520) for i in range(NODES)}
    values |= {f"t{i}": f"v{rng.randrange(5)}" for i in range(20)}
    tick_us = median_us(lambda: [c.holds(values) for c in compiled], 200)
    results = [c.holds(values) for c in compiled]
    print(
        f"evaluate all {NODES} conditions once (a tick, median of 200): {tick_us / 1000:.3f} ms "
        f"({tick_us / NODES:.1f} us each; {results.count(True)} true, "
        f"{results.count(False)} false, {results.count(None)} none); aim < {TICK_AIM_MS} ms"
    )
    return 0 if tick_us / 1000 < TICK_AIM_MS else 1


if __name__ == "__main__":
    sys.exit(main())
