"""Time the journal: one acknowledged operation, and rebuilding a long run from its events.

1. Latency of one acknowledged operation: ``check`` and ``uncheck`` of one item, alternately,
   against a file journal in a temporary folder with the real settings (WAL,
   ``synchronous=FULL``, ``BEGIN IMMEDIATE``): each call returns only after its transaction is
   committed and synced. Reports operations per second, p50, p99 and the worst.
2. Rebuilding a 10,000-event run: ``Journal.load_state`` from a fresh ``Journal`` (so the stored
   definition is parsed too), median of 5; and the same with the definition already parsed.
   The 10,000 events (ticks, clears and notes) are written with ``synchronous=OFF`` to build
   the file quickly; reading does not depend on it.

Run: ``.venv/bin/python bench/journal.py`` (or ``make bench``). Aims on the 2-core machine: p99
under 10 ms for one operation, under 100 ms for the rebuild.
"""

from __future__ import annotations

import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from procedo.journal import Journal
from procedo.model import load_file

REPO = Path(__file__).resolve().parent.parent
PROCESS = REPO / "processes" / "incident-response.toml"
OPERATIONS = 2_000
WARM_UP = 50
LONG_RUN = 10_000
REPEATS = 5
AIM_P99_MS = 10.0
AIM_REBUILD_MS = 100.0


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, round(fraction * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def operation_latency(folder: Path) -> list[float]:
    """Seconds per acknowledged check/uncheck, after a warm-up."""
    loaded = load_file(PROCESS)
    with Journal(folder / "latency.db") as journal:
        settings = [
            journal.db.conn.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "synchronous", "busy_timeout")
        ]
        assert settings == ["wal", 2, 15_000], settings
        run = journal.start_run(loaded, "Bench", "pager")
        timings: list[float] = []
        for index in range(WARM_UP + OPERATIONS):
            begin = time.perf_counter()
            if index % 2 == 0:
                run.check(0)
            else:
                run.uncheck(0)
            elapsed = time.perf_counter() - begin
            if index >= WARM_UP:
                timings.append(elapsed)
    return timings


def build_long_run(path: Path) -> str:
    """A run of exactly LONG_RUN events: the start, then ticks and clears of the first item
    with a note every tenth event."""
    loaded = load_file(PROCESS)
    with Journal(path) as journal:
        journal.db.conn.execute("PRAGMA synchronous = OFF")
        run = journal.start_run(loaded, "Bench", "pager")
        while run.state.last_seq < LONG_RUN:
            if run.state.last_seq % 10 == 9:
                run.note(f"note {run.state.last_seq}", on="item", item=0)
            elif run.state.current.mark(0).checked:  # type: ignore[union-attr]
                run.uncheck(0)
            else:
                run.check(0)
        return run.run_id


def rebuild_times(path: Path, run_id: str) -> tuple[list[float], list[float]]:
    """Seconds to load_state the long run: from a fresh Journal, and with a warm one."""
    cold: list[float] = []
    for _ in range(REPEATS):
        with Journal(path, create=False) as journal:
            begin = time.perf_counter()
            _, state = journal.load_state(run_id)
            cold.append(time.perf_counter() - begin)
            assert state.last_seq == LONG_RUN
    warm: list[float] = []
    with Journal(path, create=False) as journal:
        journal.load_state(run_id)
        for _ in range(REPEATS):
            begin = time.perf_counter()
            journal.load_state(run_id)
            warm.append(time.perf_counter() - begin)
    return cold, warm


def main() -> int:
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )
    with tempfile.TemporaryDirectory(prefix="procedo-bench-") as tmp:
        folder = Path(tmp)
        timings = sorted(operation_latency(folder))
        total = sum(timings)
        p50, p99 = percentile(timings, 0.50) * 1000, percentile(timings, 0.99) * 1000
        print(
            f"one acknowledged operation ({OPERATIONS} check/uncheck, WAL + synchronous=FULL): "
            f"{OPERATIONS / total:,.0f} ops/s, p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
            f"max {timings[-1] * 1000:.2f} ms (aim: p99 < {AIM_P99_MS:g} ms)"
        )
        path = folder / "long.db"
        begin = time.perf_counter()
        run_id = build_long_run(path)
        built = time.perf_counter() - begin
        cold, warm = rebuild_times(path, run_id)
        cold_ms = statistics.median(cold) * 1000
        warm_ms = statistics.median(warm) * 1000
        print(
            f"rebuild a {LONG_RUN:,}-event run (load_state, median of {REPEATS}): "
            f"{cold_ms:.1f} ms from a fresh Journal, {warm_ms:.1f} ms with the definition "
            f"parsed (aim: < {AIM_REBUILD_MS:g} ms; built in {built:.1f} s)"
        )
    ok = p99 < AIM_P99_MS and cold_ms < AIM_REBUILD_MS
    print("aims met" if ok else "AIMS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
