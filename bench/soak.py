"""Soak the journal: writers killed at random, and continuous load with readers. Not in `make test`.

1. **Kills**: ``--writers`` writer processes (bench/soak_roles.py) on one journal; every
   0-``--kill-gap`` seconds one of them that is writing, at random, gets ``SIGKILL`` and a new
   one takes its place (which half the time carries on a run whose writer died: a take-over). After
   ``--kills`` kills: every operation a writer acknowledged (printed after it returned) must be
   in the journal with its hash, ``PRAGMA integrity_check`` must say ok, and ``verify`` intact.
2. **Load**: 4 writers, a reader (short snapshots back to back) and a verify loop (one long
   read transaction each) for ``--seconds``: operations, their latency, busy errors, the WAL's
   size (sampled every 0.2 s), and afterwards the same checks as above (lost events).

Run: ``.venv/bin/python bench/soak.py`` (200 kills, 300 s of load: about 8 minutes);
``--kills 20 --seconds 20`` for a short run; ``--part kills`` or ``--part load``;
``--no-checkpoint`` to measure the WAL without procedo's checkpoints (as before the fix).
Exits 1 when an acknowledged operation is lost or the journal is not intact.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from procedo.journal import Journal
from procedo.journal.verify import verify_journal

HERE = Path(__file__).resolve().parent
ROLES = HERE / "soak_roles.py"


class Child:
    """A role in a child process, its lines collected by a thread."""

    def __init__(self, role: str, db: Path, extra: list[str], sink: list[str]) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE.parent / "src"), *sys.path])}
        self.process = subprocess.Popen(
            [sys.executable, str(ROLES), role, str(db), *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        self.acks = 0
        self.thread = threading.Thread(target=self._read, args=(sink,), daemon=True)
        self.thread.start()

    def _read(self, sink: list[str]) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.endswith("\n"):  # a line cut by the kill was never acknowledged
                sink.append(line.rstrip("\n"))
                self.acks += line.startswith("ACK ")

    def kill(self) -> None:
        """SIGKILL, then wait until every line it wrote has been read."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.thread.join()


def check(db: Path, lines: list[str]) -> dict[str, object]:
    """Every acknowledged operation in the journal with its hash; integrity_check; verify."""
    acked: dict[tuple[str, int], str] = {}
    for line in lines:
        if line.startswith("ACK "):
            _, run_id, seq, digest, _ms = line.split()
            acked[(run_id, int(seq))] = digest
    conn = sqlite3.connect(db)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rows = conn.execute("SELECT run_id, seq, hash FROM events")
        stored = {(run_id, seq): digest for run_id, seq, digest in rows}
    finally:
        conn.close()
    lost = [key for key, digest in acked.items() if stored.get(key) != digest]
    with Journal(db, create=False) as journal:
        report = verify_journal(journal)
    return {
        "acknowledged": len(acked),
        "events": len(stored),
        "lost": len(lost),
        "integrity_check": integrity,
        "verify": "intact" if report.intact else f"NOT intact: {report.breaches[:3]}",
        "ok": not lost and integrity == "ok" and report.intact,
    }


def latencies(lines: list[str]) -> str:
    values = sorted(float(line.split()[4]) for line in lines if line.startswith("ACK "))
    if not values:
        return "none"
    p99 = values[min(len(values) - 1, int(0.99 * len(values)))]
    return f"p50 {statistics.median(values):.2f} ms, p99 {p99:.2f} ms, worst {values[-1]:.0f} ms"


def kills(db: Path, count: int, writers: int, gap: float, extra: list[str]) -> bool:
    lines: list[str] = []
    rng = random.Random(1)
    children = [Child("writer", db, extra, lines) for _ in range(writers)]
    started = time.monotonic()
    for _ in range(count):
        time.sleep(rng.uniform(0, gap))
        while not (working := [i for i, c in enumerate(children) if c.acks]):
            time.sleep(0.02)  # kill writers at work, not while they import
        victim = rng.choice(working)
        children[victim].kill()
        children[victim] = Child("writer", db, extra, lines)
    for child in children:
        child.kill()
    seconds = time.monotonic() - started
    result = check(db, lines)
    kinds = Counter(line.split()[0] for line in lines)
    print(f"kills: {count} SIGKILLs of {writers} writers in {seconds:.0f} s")
    print(
        f"  acknowledged {result['acknowledged']} operations ({latencies(lines)}); "
        f"busy {kinds['BUSY']}, other errors {kinds['ERR']}"
    )
    print(
        f"  journal events {result['events']}, lost acknowledged {result['lost']}, "
        f"integrity_check {result['integrity_check']}, verify {result['verify']}"
    )
    return bool(result["ok"])


def load(db: Path, seconds: float, extra: list[str]) -> bool:
    lines: list[str] = []
    wal = Path(f"{db}-wal")
    children = [Child("writer", db, extra, lines) for _ in range(4)]
    children += [Child("reader", db, extra, lines), Child("verifier", db, extra, lines)]
    sizes: list[int] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.2)
        sizes.append(wal.stat().st_size if wal.exists() else 0)
    for child in children:
        child.kill()
    result = check(db, lines)
    kinds = Counter(line.split()[0] for line in lines)
    verifies = [line.split() for line in lines if line.startswith("VERIFY ")]
    broken = sum(1 for v in verifies if v[1] != "ok")
    reads = max((int(line.split()[1]) for line in lines if line.startswith("READ ")), default=0)
    mb = 1024 * 1024
    print(f"load: 4 writers, 1 reader, 1 verify loop for {seconds:.0f} s{' ' + ' '.join(extra)}")
    print(
        f"  acknowledged {result['acknowledged']} operations "
        f"({result['acknowledged'] / seconds:.0f}/s; {latencies(lines)}); "
        f"busy {kinds['BUSY']}, other errors {kinds['ERR']}"
    )
    times = sorted(float(v[3]) for v in verifies) or [0.0]
    print(
        f"  reads {reads}+, verify passes {len(verifies)} ({broken} not intact; "
        f"median {statistics.median(times):.2f} s, longest {times[-1]:.2f} s)"
    )
    print(
        f"  WAL size: max {max(sizes) / mb:.1f} MB, median {statistics.median(sizes) / mb:.1f} "
        f"MB, at the end {sizes[-1] / mb:.1f} MB; journal {db.stat().st_size / mb:.1f} MB"
    )
    print(
        f"  journal events {result['events']}, lost acknowledged {result['lost']}, "
        f"integrity_check {result['integrity_check']}, verify {result['verify']}"
    )
    return bool(result["ok"]) and broken == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["kills", "load", "both"], default="both")
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--writers", type=int, default=4, help="writers during the kills")
    parser.add_argument("--kill-gap", type=float, default=0.5, help="most seconds between kills")
    parser.add_argument("--seconds", type=float, default=300.0, help="length of the load part")
    parser.add_argument("--no-checkpoint", action="store_true")
    args = parser.parse_args()
    extra = ["--no-checkpoint"] if args.no_checkpoint else []
    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{os.cpu_count()} cores"
    )
    ok = True
    with tempfile.TemporaryDirectory(prefix="procedo-soak-") as folder:
        if args.part in ("kills", "both"):
            db = Path(folder) / "kills.db"
            Journal(db).close()
            ok &= kills(db, args.kills, args.writers, args.kill_gap, extra)
        if args.part in ("load", "both"):
            db = Path(folder) / "load.db"
            Journal(db).close()
            ok &= load(db, args.seconds, extra)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
