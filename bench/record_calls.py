"""The record of parallel branches and calls (issue 14) on two journals: the 100,000-run bench
journal of ``bench/history.py`` (no block, no call: the figures and checks must cost nothing
there) and a small journal of parallel runs and called runs walked through the engine.

    python bench/record_calls.py [--runs 100000] [--parallel 1000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]

import history  # noqa: E402  (bench/history.py)

from procedo.journal import Journal  # noqa: E402
from procedo.journal.history import history_page  # noqa: E402
from procedo.journal.history_calls import call_links, nest  # noqa: E402
from procedo.journal.parallel_metrics import compute_parallel_figures  # noqa: E402
from procedo.journal.verify_calls import call_link_breaches  # noqa: E402
from procedo.model import load_catalog  # noqa: E402


def timed(label: str, work: Callable[[], Any], repeat: int = 5) -> Any:
    """The best of ``repeat`` runs of ``work``, printed in ms; its result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    print(f"  {label:<48} {best * 1000:9.2f} ms")
    return result


def plain_catalog(folders: list[Path]) -> Any:
    """The bundled processes without blocks or calls (the bench walker follows ``next``)."""
    catalog = load_catalog(folders)
    catalog.processes = [
        p for p in catalog.processes if not p.definition.parallel and not p.definition.calls
    ]
    return catalog


def measure(db: Path, label: str) -> None:
    print(label)
    with Journal(db) as journal:
        timed("parallel figures, all processes", lambda: compute_parallel_figures(journal, None))
        timed("call links (verify's second pass)", lambda: call_link_breaches(journal))

        def page() -> Any:
            rows = history_page(journal, limit=100)
            return nest(rows, call_links(journal, [r.run_id for r in rows]))

        timed("history first page, nested", page)


def parallel_journal(folder: Path, runs: int) -> Path:
    """``runs`` kit runs (random branch times) and ``runs // 4`` called pairs."""
    from procedo.workspace import Workspace
    from record_fixture import Clock, called_pair, kit_run, write_paths

    paths = write_paths(folder)
    rng = random.Random(14)
    started = time.perf_counter()
    with Workspace(paths) as workspace:
        clock = Clock()
        workspace.journal.clock = clock
        for index in range(runs):
            kit_run(workspace, clock, index * 1000, rng.randint(2, 300), rng.randint(2, 300))
        for index in range(runs // 4):
            called_pair(workspace, clock, (runs + index) * 1000, good=rng.random() < 0.8)
    print(f"walked {runs} parallel runs and {runs // 4} called pairs in "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    return paths.db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--parallel", type=int, default=1000)
    parser.add_argument("--bench-db", type=Path, help="a bench journal already built")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as tmp:
        db = parallel_journal(Path(tmp), args.parallel)
        measure(db, f"{args.parallel} parallel runs, {args.parallel // 4} called pairs:")
        with Journal(db) as journal:
            figures = compute_parallel_figures(journal, None)
        for block in figures.blocks:
            print(f"  {block.title}: {block.runs} passes, wait {block.median_wait_ms} ms, "
                  + ", ".join(f"{b.title} {b.median_ms} ms last {b.last_share:.0%}"
                              for b in block.branches))  # fmt: skip
        for call in figures.calls:
            print(
                f"  {call.title}: {call.median_ms} ms over {call.visits} visits, "
                f"{call.called_title} success {call.called_success_rate:.0%}"
            )
        bench_db = args.bench_db
        if bench_db is None:
            bench_db = Path(tmp) / "bench.db"
            history.load_catalog = plain_catalog  # type: ignore[assignment]
            started = time.perf_counter()
            history.build(bench_db, args.runs)
            print(
                f"built the {args.runs}-run bench journal in {time.perf_counter() - started:.0f} s"
            )
        measure(bench_db, f"the {args.runs}-run bench journal:")


if __name__ == "__main__":
    main()
