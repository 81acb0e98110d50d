"""The live board (issue 13) on the 100,000-run journal of ``bench/history.py``.

The journal is never written: it is copied into a temporary folder first, twice, once as it is
(its generator leaves 3.6 % of the runs active or paused: 3,625 runs in progress) and once
with all but ``--keep`` of them (the most recently active) marked aborted, the size of a real
board. On each copy:

- ``board_rows``: the first read on a fresh connection, the median of 5 more; a refresh after
  one run ticked (the rows of the previous read given: only that run's events and visits are
  read again); the SQL alone (the three queries, fetched as tuples);
- the screen: a headless app opened on the board (``make_app(board=True)``); the time from
  ``reload()`` to the rows shown, median of 21 (the query in the board's reader thread, on
  its connection, and the table written), the table refilled (when a run starts or ends),
  one run's row updated in place and back (a tick elsewhere), and one tick of the times on
  screen.

Run: ``.venv/bin/python bench/board.py [--runs 100000] [--out DIR] [--keep 50]`` (``--out``:
the folder of bench/history.py's cached journal; it is built there when missing). Aim: the
board's refresh under 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench")]

import history  # noqa: E402  (bench/history.py)

from procedo.config import Paths  # noqa: E402
from procedo.engine import now_ms  # noqa: E402
from procedo.journal import Journal  # noqa: E402
from procedo.journal.board import BOARD_QUERIES, board_rows  # noqa: E402

AIM_MS = 20.0
REFRESHES = 21


def median_ms(work: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """The median of ``repeat`` runs of ``work`` in ms, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def verdict(ms: float) -> str:
    return "  ok" if ms < AIM_MS else f"  OVER {AIM_MS:g} ms"


def measure_rows(db: Path) -> None:
    """board_rows: first, warm, after one tick, and the SQL alone."""
    with Journal(db, create=False) as journal:
        started = time.perf_counter()
        rows = board_rows(journal, now_ms())
        first = (time.perf_counter() - started) * 1000
        warm, rows = median_ms(lambda: board_rows(journal, now_ms()))
        # one run has a new event: its row's last_seq no longer matches
        ticked = [replace(rows[0], last_seq=-1), *rows[1:]] if rows else []
        refresh, _ = median_ms(lambda: board_rows(journal, now_ms(), previous=ticked))
        conn = journal.db.conn

        def sql_only() -> None:
            with journal.snapshot():
                for sql in BOARD_QUERIES[:3]:
                    conn.execute(sql).fetchall()

        sql, _ = median_ms(sql_only)
        paused = sum(row.status == "paused" for row in rows)
        print(f"  runs in progress: {len(rows):,} ({paused:,} paused)")
        print(f"  board_rows, first on a fresh connection   {first:8.1f} ms")
        print(f"  board_rows, warm, no rows before (opening)  {warm:8.1f} ms")
        print(f"  board_rows after one run ticked (refresh)  {refresh:8.1f} ms{verdict(refresh)}")
        print(f"  the three queries alone, as tuples         {sql:8.1f} ms")
        for query in BOARD_QUERIES[:3]:
            plan = "; ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {query}"))
            print(f"    plan: {plan}")


async def measure_screen(db: Path, processes: Path) -> None:
    """The board screen in a headless app: a refresh, the fill alone, a tick."""
    from procedo.tui import make_app
    from procedo.tui.screens.board import BoardScreen

    app = make_app(Paths(processes=processes, db=db), board=True)
    async with app.run_test(size=(160, 40)) as pilot:
        deadline = time.monotonic() + 120
        while not (isinstance(app.screen, BoardScreen) and app.screen.loaded):
            if time.monotonic() > deadline:
                raise SystemExit("the board did not read its rows within 120 s")
            await pilot.pause(0.01)
        board = app.screen
        assert isinstance(board, BoardScreen)
        refreshes = []
        for _ in range(REFRESHES):
            reads = board.reads
            started = time.perf_counter()
            board.reload()
            while board.reads == reads:
                await asyncio.sleep(0.0005)
            refreshes.append((time.perf_counter() - started) * 1000)
        refreshes.sort()
        refresh = statistics.median(refreshes)
        spread = f"min {refreshes[0]:.1f}, p90 {refreshes[int(len(refreshes) * 0.9)]:.1f} ms"
        rows = list(board.rows)

        def refill() -> None:  # a run started: every row written again
            board._keys = []
            board._fill()

        def in_place() -> None:  # one run ticked: its row written in place
            board.rows = [replace(rows[0], last_seq=-1), *rows[1:]]
            board._fill()
            board.rows = rows
            board._fill()

        ended = []
        for gone in range(min(5, len(rows))):  # a run ended: its row taken out in place
            board.rows = rows[:gone] + rows[gone + 1 :]
            started = time.perf_counter()
            board._fill()
            ended.append((time.perf_counter() - started) * 1000)
            board.rows = rows
            board._fill()
        end = statistics.median(ended) if ended else 0.0
        filled, _ = median_ms(refill)
        updated, _ = median_ms(in_place)
        tick, _ = median_ms(board.tick)
        print(
            f"  screen: reload() to rows shown (median of {REFRESHES}) {refresh:8.1f} ms"
            f"{verdict(refresh)} ({spread})"
        )
        print(f"  screen: the table refilled (a run started)  {filled:8.1f} ms")
        print(f"  screen: a run ended, its row taken out      {end:8.1f} ms{verdict(end)}")
        print(f"  screen: one run's row updated in place (x2)  {updated:8.1f} ms")
        print(f"  screen: one tick of the times on screen      {tick:8.1f} ms")


def few_in_progress(db: Path, keep: int) -> None:
    """Leave only the ``keep`` most recently active runs in progress (the rest aborted)."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "UPDATE runs SET status = 'aborted' WHERE status IN ('active', 'paused') AND id NOT IN "
            "(SELECT id FROM runs WHERE status IN ('active', 'paused') "
            "ORDER BY updated_at DESC LIMIT ?)",
            (keep,),
        )
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=history.OUT)
    parser.add_argument("--keep", type=int, default=50)
    args = parser.parse_args()
    source = history.bench_journal(args.runs, args.out)
    print(
        f"sqlite {sqlite3.sqlite_version}; journal {source} ({source.stat().st_size / 1e6:,.0f} MB)"
    )
    with tempfile.TemporaryDirectory(prefix="procedo-board-") as folder:
        processes = Path(folder) / "processes"
        shutil.copytree(ROOT / "processes", processes)
        for label, prepare in (
            ("as built", None),
            (f"{args.keep} runs left in progress", lambda db: few_in_progress(db, args.keep)),
        ):
            db = Path(folder) / "journal.db"
            shutil.copyfile(source, db)
            if prepare is not None:
                prepare(db)
            print(f"{label}:")
            measure_rows(db)
            asyncio.run(measure_screen(db, processes))
            db.unlink()


if __name__ == "__main__":
    main()
