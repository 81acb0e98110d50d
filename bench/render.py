"""Time drawing the map of a process: Mermaid, Graphviz DOT and the terminal text map.

Generates a valid process of 100 nodes (the generator of bench/load.py: steps with several
items, decisions with loops back, ends, three roles, two triggers), then times each renderer,
plain, with ``detail`` and with journal figures on every edge and node, best of N calls. The
figures are made up (the renderers never read the journal); ``--journal PATH`` also times
``map_figures`` over a real journal for every process it has (e.g. the one bench/history.py
builds).

Run: ``.venv/bin/python bench/render.py`` (``--nodes 10000`` for a large one). Aim: under 100 ms
for a 100-node map in every format.
"""

from __future__ import annotations

import argparse
import platform
import random
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import process_text

from procedo.model import ProcessDefinition, parse_definition
from procedo.model.figures import MapFigures
from procedo.render.dot import render_dot
from procedo.render.flow_graph import build_flow_graph
from procedo.render.mermaid import render_mermaid

AIM_MS = 100.0


def best_ms(func: Callable[[], object], repeats: int) -> float:
    """The fastest of ``repeats`` calls, in milliseconds."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def made_up_figures(definition: ProcessDefinition, seed: int = 1) -> MapFigures:
    """Figures on every edge and node, one node in ten never reached."""
    rng = random.Random(seed)
    graph = build_flow_graph(definition)
    skipped = {node.id for node in graph.nodes if rng.random() < 0.1}
    edges = {
        e.key: rng.randint(0, 500) for e in graph.edges if e.counted and e.source not in skipped
    }
    visits = {n.id: rng.randint(1, 900) for n in graph.nodes if n.id not in skipped}
    medians = {step: rng.uniform(30, 3600) for step in definition.steps if step not in skipped}
    path = [definition.start]
    while path[-1] in definition.steps or path[-1] in definition.decisions:
        path.append(definition.successors(path[-1])[0])
    return MapFigures(900, visits, edges, medians, tuple(path))


def renderers(definition: ProcessDefinition) -> dict[str, Callable[..., object]]:
    found: dict[str, Callable[..., object]] = {
        "mermaid": lambda **kw: render_mermaid(definition, **kw),
        "dot": lambda **kw: render_dot(definition, **kw),
    }
    try:
        from procedo.render.text_map import render_text_map
    except ImportError:
        return found
    found["text"] = lambda detail=False, **kw: render_text_map(definition, **kw)
    return found


def time_journal(path: Path, repeats: int) -> None:
    from procedo.journal import Journal
    from procedo.journal.map_figures import map_figures

    with Journal(path, create=False) as journal:
        rows = journal.rows(
            "SELECT process_id, COUNT(*) AS n FROM runs GROUP BY process_id ORDER BY n DESC"
        )
        for row in rows:
            ms = best_ms(lambda p=row["process_id"]: map_figures(journal, p), repeats)
            print(f"map_figures {row['process_id']:<24} {row['n']:>7,} runs  best {ms:8.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--journal", type=Path, help="also time map_figures on this journal")
    args = parser.parse_args()
    definition = parse_definition(process_text("bench", args.nodes, seed=7))
    figures = made_up_figures(definition)
    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.machine()}; a process of {len(definition.node_ids())} nodes, "
        f"{sum(len(s.items) for s in definition.steps.values())} items; best of {args.repeats}"
    )
    print(f"{'':<8} {'plain':>10} {'detail':>10} {'figures':>10} {'both':>10}   size")
    worst = 0.0
    for name, render in renderers(definition).items():
        cases = [{}, {"detail": True}, {"figures": figures}, {"detail": True, "figures": figures}]
        times = [best_ms(lambda kw=kw, r=render: r(**kw), args.repeats) for kw in cases]
        drawn = render(detail=True, figures=figures)
        chars = len(drawn) if isinstance(drawn, str) else sum(len(x.text) + 1 for x in drawn)  # type: ignore[attr-defined]
        worst = max(worst, *times)
        print(f"{name:<8} " + " ".join(f"{t:7.2f} ms" for t in times) + f"   {chars:,} chars")
    if args.journal:
        time_journal(args.journal, max(3, args.repeats // 4))
    if args.nodes <= 100 and worst >= AIM_MS:
        print(f"OVER the aim of {AIM_MS:.0f} ms", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
