"""The clock figures of issue 13 on the 100,000-run journal of ``bench/history.py``.

Printed, each the first call on a fresh connection and the median of 5 more (``history.timed``):

- ``usual_at`` of the busiest process's busiest node (aim: under 20 ms), and of a node no run
  reached (the "no history" answer);
- ``usual_all`` of the busiest process (what the run screen reads once per process, in a
  worker);
- ``estimate_finish`` (pure: no SQL) for a run at the busiest process's start node, with the
  map's branch shares and ``usual_all`` read once;
- the time split and the trends of the busiest process and of all processes;
- the upgrade of the journal to schema 8 when it is older (one time, on a copy).

The journal: ``--journal FILE`` (any schema; it is copied into ``--out`` before it is upgraded,
since another reader may use it), else the cached one of ``bench/history.py`` (built when
missing, at today's schema).

Run: ``.venv/bin/python bench/clock_figures.py [--journal FILE] [--out DIR] [--runs N]``.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from history import OUT, bench_journal, timed

from procedo.engine import MemorySink, Run
from procedo.journal import Journal
from procedo.journal.clock_metrics import clock_figures
from procedo.journal.finish_estimate import estimate_finish
from procedo.journal.map_figures import map_figures
from procedo.journal.metrics import Scope
from procedo.journal.step_figures import usual_all, usual_at
from procedo.journal.time_split import time_split
from procedo.journal.trends import trends

AIM_USUAL_MS = 20.0


def upgraded_copy(source: Path, out: Path) -> Path:
    """A copy of ``source`` in ``out``, opened once (upgraded to schema 8 if older)."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"clock-{source.name}"
    if not target.exists():
        partial = target.with_suffix(".partial")
        with sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True) as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        print(f"copying {source} (schema {version}) ...", file=sys.stderr)
        shutil.copyfile(source, partial)
        started = time.perf_counter()
        Journal(partial).close()
        print(f"upgrade to schema 8: {time.perf_counter() - started:.1f} s")
        partial.rename(target)
    return target


def _line(label: str, first: float, warm: float, aim: float | None = None) -> None:
    verdict = "" if aim is None else ("  ok" if max(first, warm) < aim else f"  OVER {aim:g} ms")
    print(f"{label:<52} first {first:8.1f} ms   warm {warm:8.1f} ms{verdict}")


def measure(path: Path) -> None:
    """Print the figures for the (schema 8) journal at ``path``."""

    def make() -> Journal:
        return Journal(path, create=False)

    with make() as journal:
        biggest = journal.rows(
            "SELECT process_id, definition_hash, COUNT(*) AS n FROM runs "
            "GROUP BY process_id ORDER BY n DESC"
        )[0]
        process, digest = biggest["process_id"], biggest["definition_hash"]
        node = journal.rows(
            "SELECT node, COUNT(*) AS n FROM visits INDEXED BY visits_usual "
            "WHERE process_id = ? AND practice = 0 AND run_completed = 1 AND ((kind = 'step' "
            "AND outcome = 'completed') OR (kind = 'decision' AND outcome = 'chosen')) "
            "GROUP BY node ORDER BY n DESC LIMIT 1",
            (process,),
        )[0]
        definition = journal.definition(digest)
        usual = usual_all(journal, process)
        shares = map_figures(journal, process)
    print(
        f"sqlite {sqlite3.sqlite_version}; {path.name}: {biggest['n']:,} runs of {process}, "
        f"{node['n']:,} counted visits of its busiest node {node['node']}"
    )
    figure = usual[node["node"]]
    print(f"  usual at {node['node']}: median {figure.median_ms:.0f} ms, p90 {figure.p90_ms} ms")
    cases = [
        (
            f"usual_at {process}/{node['node']}",
            lambda j: usual_at(j, process, node["node"]),
            AIM_USUAL_MS,
        ),
        ("usual_at a node no run reached", lambda j: usual_at(j, process, "nowhere"), AIM_USUAL_MS),
        (f"usual_all {process} ({len(usual)} nodes)", lambda j: usual_all(j, process), None),
        (f"time split: {process}", lambda j: time_split(j, Scope(process, None, False)), None),
        ("time split: all processes", lambda j: time_split(j, Scope(None, None, False)), None),
        (f"trends: {process}", lambda j: trends(j, Scope(process, None, False)), None),
        ("trends: all processes", lambda j: trends(j, Scope(None, None, False)), None),
        (f"clock_figures: {process}", lambda j: clock_figures(j, process), None),
        ("clock_figures: all processes", lambda j: clock_figures(j, None), None),
    ]
    for label, action, aim in cases:
        first, warm = timed(make, action)
        _line(label, first, warm, aim)
    trigger = definition.triggers[0].id if definition.triggers else None
    run = Run.start(definition, digest, MemorySink(), "Bench", trigger, clock=lambda: 1_000)
    times = []
    for _ in range(200):
        started = time.perf_counter()
        estimate_finish(definition, run.state, usual, shares, 61_000)
        times.append((time.perf_counter() - started) * 1000)
    estimate = estimate_finish(definition, run.state, usual, shares, 61_000)
    assert estimate is not None
    print(
        f"{'estimate_finish at the start node (pure)':<52} "
        f"median {statistics.median(times):8.3f} ms   max {max(times):8.3f} ms"
        f"  ({len(estimate.path)} nodes left, total {estimate.total_ms / 60_000:.1f} min)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journal", type=Path, help="a bench journal to copy (any schema)")
    parser.add_argument("--out", type=Path, default=OUT, help="the folder of the copies")
    parser.add_argument("--runs", type=int, default=100_000)
    args = parser.parse_args()
    source = args.journal or bench_journal(args.runs, args.out)
    measure(upgraded_copy(source, args.out) if args.journal else source)


if __name__ == "__main__":
    main()
