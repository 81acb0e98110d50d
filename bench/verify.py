"""Time ``procedo verify`` of the whole bench journal (bench/history.py's, valid hash chains).

Each measure is one ``procedo verify --json`` command in a child process, start-up included
(what a person waits for): its wall time, and its peak memory (``ru_maxrss`` of that child, from
``os.wait4``). The journal is checked to be found intact: a bench journal that does not verify
would time a different path. With ``--runs`` given twice or more, memory must stay flat: the
largest journal's peak within 25 % of the smallest's.

Run: ``.venv/bin/python bench/verify.py [--runs 100000 [--runs 300000]] [--repeat 3]
[--out DIR] [--db JOURNAL]``. The journals are built when missing (bench/history.py, cached in
``--out``); ``--db`` times a given journal instead, copied first into a temporary folder
(verify may upgrade its schema: the given file is never written), and verified once untimed.
Aims: under 15 s at 100,000 runs, memory flat in the number of runs. Exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from history import OUT, ROOT, bench_journal

AIM_S = 15.0
AIM_RUNS = 100_000
FLAT = 1.25  # the largest journal's peak memory at most 25 % over the smallest's


def verify_once(path: Path) -> tuple[float, float, float, dict[str, Any]]:
    """(wall seconds, CPU seconds, peak RSS in MB, the command's JSON) of one ``procedo
    verify`` (CPU: user and system time of the command and the process it waited for)."""
    command = [sys.executable, "-m", "procedo", "--processes", str(ROOT / "processes")]
    command += ["--db", str(path), "verify", "--json"]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    out, err = child.stdout.read(), child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    try:
        report = json.loads(out)
    except ValueError:
        sys.exit(f"procedo verify failed (exit {child.returncode}): {err.decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, action="append", help="runs in a journal (repeat)")
    parser.add_argument("--repeat", type=int, default=3, help="verifications of each journal")
    parser.add_argument("--out", type=Path, default=OUT, help="the folder of the journals")
    parser.add_argument("--db", type=Path, help="time a copy of this journal instead")
    args = parser.parse_args()
    if args.db is not None:
        with tempfile.TemporaryDirectory(dir="/tmp") as folder:
            copy = Path(folder) / args.db.name
            shutil.copyfile(args.db, copy)
            wal = args.db.with_name(args.db.name + "-wal")
            if wal.exists():  # what is committed but not checkpointed yet
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
            verify_once(copy)  # a schema upgrade, and the file in the OS cache, untimed
            args.db = copy
            main_with(args)
        return
    main_with(args)


def main_with(args: argparse.Namespace) -> None:
    """Time the journals ``args`` names."""
    sizes = sorted(args.runs or [AIM_RUNS]) if args.db is None else [0]
    print(
        f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, "
        f"{platform.machine()}, load average {os.getloadavg()[0]:.1f}"
    )
    missed: list[str] = []
    peaks: dict[int, float] = {}
    for runs in sizes:
        path = bench_journal(runs, args.out) if args.db is None else args.db
        walls, cpus, rss = [], [], []
        for _ in range(args.repeat):
            wall, cpu, peak, report = verify_once(path)
            if not report["intact"]:
                missed.append(f"the {runs:,}-run journal is not intact: {report['breaches']}")
                break
            walls.append(wall)
            cpus.append(cpu)
            rss.append(peak)
        if not walls:
            continue
        runs = runs or report["runs"]
        peaks[runs] = max(rss)
        median = statistics.median(walls)
        print(
            f"verify {runs:>9,} runs, {report['events']:>10,} events, "
            f"{path.stat().st_size / 1e6:,.0f} MB: median {median:5.1f} s "
            f"(runs {', '.join(f'{w:.1f}' for w in walls)}), CPU median "
            f"{statistics.median(cpus):.1f} s, peak RSS {max(rss):.0f} MB, "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        if runs == AIM_RUNS and median >= AIM_S:
            missed.append(f"verify of {runs:,} runs took {median:.1f} s (aim: under {AIM_S:.0f} s)")
    if len(peaks) > 1:
        low, high = peaks[min(peaks)], peaks[max(peaks)]
        verdict = "flat" if high <= low * FLAT else "NOT flat"
        print(f"memory: {low:.0f} MB at {min(peaks):,} runs, {high:.0f} MB at {max(peaks):,}: "
              f"{verdict}")  # fmt: skip
        if high > low * FLAT:
            missed.append(f"peak memory grows with the runs ({low:.0f} -> {high:.0f} MB)")
    for line in missed:
        print(f"MISSED: {line}")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
