"""Start-up and key-to-tick latency of the real app, measured through a pseudo-terminal.

1. Time from launch to the home screen, with the bundled processes and the 100,000-run journal
   of bench/history.py, beside the issue's bare Textual app (a header, a 20-item list and a
   footer), alternating the two in the same run (aim: at most 1.3x). "First frame" is the first
   output showing the home's title and its loading line; "lists" waits for the process list's
   label, "figures" for the last-run and success figures, which are read just after.
2. Time from a key press to the repainted, durable tick on a copy of that journal: the header's
   "saved #N" advances only after the journal committed the event (aim: p99 under 20 ms).

Both run the app as a child on a pty, exactly as a terminal would, and read its output. The
journal is copied first (the app opens it for writing); without bench/history.py's journal, a
journal of 100,000 `runs` rows is built (``--small`` forces that).

Run: ``.venv/bin/python bench/startup.py [--tries N] [--presses N] [--journal PATH]``.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import pty
import select
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RUNS = 100_000

HISTORY_JOURNAL = max(
    (REPO / "bench" / "out").glob("history-s*-100000.db"),
    key=lambda p: p.stat().st_mtime,
    default=REPO / "bench" / "out" / "history-missing.db",
)
"""bench/history.py's newest 100,000-run journal (build it first: ``python bench/history.py``)."""
BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Label, ListItem, ListView
class Bare(App):
    BINDINGS = [("q", "quit", "Quit")]
    def compose(self):
        yield Header()
        yield ListView(*(ListItem(Label(f"Item {n}")) for n in range(1, 21)))
        yield Footer()
Bare().run()
"""


def spawn(argv: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    """Start argv on a new pty of 100x30; returns the process and the master fd."""
    master, slave = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    proc = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(slave)
    return proc, master


def read_until(
    master: int, needle: bytes | tuple[bytes, ...], timeout: float = 30.0
) -> tuple[float, bytes]:
    """Read the pty until ``needle`` (or any of them) shows; returns the time it appeared and
    what was read."""
    needles = needle if isinstance(needle, tuple) else (needle,)
    buffer = b""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            buffer += chunk
            if any(n in buffer for n in needles):
                return time.perf_counter(), buffer
    raise TimeoutError(f"{needle!r} did not appear; last output: {buffer[-300:]!r}")


def stop(proc: subprocess.Popen[bytes], master: int) -> None:
    """Kill the child's session and close the pty."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    os.close(master)


def fill_journal(db: Path, processes: Path) -> None:
    """A journal with RUNS rows in `runs` (what the home screen reads) of the bundled processes."""
    from procedo.journal import Journal
    from procedo.model import load_catalog

    catalog = load_catalog([processes])
    with Journal(db) as journal:
        conn = journal.db.conn
        conn.execute("BEGIN IMMEDIATE")
        for loaded in catalog.processes:
            journal.insert_definition(conn, loaded.sha256, loaded.id, loaded.text, None)
        rows = []
        for n in range(RUNS):
            loaded = catalog.processes[n % len(catalog.processes)]
            ends = list(loaded.definition.ends)
            status = "completed" if n % 10 else ("aborted" if n % 20 else "paused")
            end = ends[n % len(ends)] if status == "completed" else None
            day = 1 + n % 28
            started = f"2026-{1 + n % 10:02d}-{day:02d}T08:{n % 60:02d}:00.000Z"
            rows.append(
                (
                    str(uuid.UUID(int=n + 1)),
                    loaded.id,
                    loaded.definition.version,
                    loaded.sha256,
                    f"op{n % 40}",
                    json.dumps([f"op{n % 40}"]),
                    None,
                    0,
                    status,
                    None if end else loaded.definition.start,
                    end,
                    None if end is None else int(loaded.definition.ends[end].success),
                    None,
                    started,
                    started if end else None,
                    600_000 if end else None,
                    started,
                    3,
                    "x",
                )
            )
        conn.executemany(
            "INSERT INTO runs (id, process_id, process_version, definition_hash, operator, "
            "operators, trigger, practice, status, current_node, end_node, success, "
            "abort_reason, started_at, ended_at, duration_ms, updated_at, last_seq, last_hash) "
            "VALUES (" + ", ".join("?" * 19) + ")",
            rows,
        )
        conn.execute("COMMIT")


def median_of(samples: list[float]) -> float:
    """The median of samples in seconds, in milliseconds."""
    return statistics.median(samples) * 1000


def time_launch(
    argv: list[str], env: dict[str, str], needles: list[bytes | tuple[bytes, ...]]
) -> list[float]:
    """Launch argv on a pty; the seconds until each needle (in turn) showed."""
    start = time.perf_counter()
    proc, master = spawn(argv, env)
    seen = []
    try:
        for needle in needles:
            at, _ = read_until(master, needle)
            seen.append(at - start)
    finally:
        stop(proc, master)
    return seen


def bench_startup(env: dict[str, str], tries: int = 5) -> None:
    """Median time to the first frame of home, to its lists and to its figures, against the
    bare app, the two launched in turn so that both see the same load."""
    procedo = [PYTHON, "-m", "procedo", "--processes", str(REPO / "processes")]
    bare = [PYTHON, "-c", BARE_APP]
    ours: list[list[float]] = []
    theirs: list[float] = []
    # The home's list title counts the bundled processes (all valid).
    lists = f"Processes ({len(list((REPO / 'processes').glob('*.toml')))})".encode()
    for _ in range(tries):
        # The Success column ("83 %") is filled once the per-process figures are read.
        # The first frame: the home's loading line, or its lists when they come in the same
        # frame (not "procedo": the terminal's title says it before any frame).
        first = (b"Reading the processes", b"Processes (")
        ours.append(time_launch(procedo, env, [first, lists, b" %"]))
        theirs.append(time_launch(bare, env, [b"Item 20"])[0])
    bare_ms = median_of(theirs)
    print(f"start-up (median of {tries}, launched in turn with the bare app):")
    print(f"  bare app (header, 20-item list, footer) {bare_ms:6.0f} ms")
    for n, what in enumerate(("first frame of home", "home with its lists", "home with figures")):
        ms = median_of([times[n] for times in ours])
        aim = "   (aim <= 1.3)" if n == 0 else ""
        print(f"  procedo, {what:<31} {ms:6.0f} ms   ratio {ms / bare_ms:.2f} x{aim}")


def bench_tick(env: dict[str, str], db: Path, presses: int = 200) -> None:
    """Tick the first item (space), then clear it (back up with k, then delete), in turn; after
    each key, wait for the header's new save count and check the journal. (space never
    unticks, and after a tick the cursor moves on to the next open item by itself.)

    The header shows "saved #N" only from the state the journal has committed, so its arrival
    on the terminal is the durable, repainted tick.
    """
    argv = [
        PYTHON,
        "-m",
        "procedo",
        "--processes",
        str(REPO / "processes"),
        "run",
        "incident-response",
        "--operator",
        "bench",
        "--trigger",
        "pager",
    ]
    proc, master = spawn(argv, env)
    latencies: list[float] = []
    slow: list[tuple[float, int]] = []
    reader = sqlite3.connect(db)
    try:
        read_until(master, b"Triage the alert")
        time.sleep(1.0)
        while select.select([master], [], [], 0.2)[0]:
            os.read(master, 65536)  # drain the start-up frames
        # The bench's run is the newest one by the operator "bench".
        (run_id,) = reader.execute(
            "SELECT id FROM runs WHERE operator = 'bench' ORDER BY started_at DESC LIMIT 1"
        ).fetchone()
        count_events = "SELECT count(*) FROM events WHERE run_id = ?"
        before = reader.execute(count_events, (run_id,)).fetchone()[0]
        wal = Path(f"{db}-wal")
        wal_sizes = [wal.stat().st_size if wal.exists() else 0]
        for n in range(1, presses + 1):
            start = time.perf_counter()
            os.write(master, b" " if n % 2 else b"k\x1b[3~")
            done, _ = read_until(master, f"saved #{n + 1}".encode(), timeout=10)
            latencies.append(done - start)
            slow.append((done - start, n))
            count = reader.execute(count_events, (run_id,)).fetchone()[0]
            assert count == before + n, f"press {n}: the frame came before the event was durable"
            wal_sizes.append(wal.stat().st_size if wal.exists() else 0)
            time.sleep(0.02)
    finally:
        stop(proc, master)
        reader.close()
    latencies.sort()
    worst = ", ".join(f"#{n} {t * 1000:.0f} ms" for t, n in sorted(slow, reverse=True)[:6])
    p50 = statistics.median(latencies) * 1000
    p99 = statistics.quantiles(latencies, n=100, method="inclusive")[98] * 1000
    print(f"key press to durable, repainted tick ({presses} presses, synchronous=FULL):")
    print(
        f"  p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   max {latencies[-1] * 1000:6.1f} ms"
        "   (aim: p99 < 20 ms)"
    )
    print(f"  slowest presses: {worst}")
    # SQLite checkpoints the WAL inside the commit that takes it past wal_autocheckpoint
    # (1000 pages): at this growth per press, that is the press that comes every N presses.
    (page_size,) = sqlite3.connect(db).execute("PRAGMA page_size").fetchone()
    steps = list(itertools.pairwise(wal_sizes))
    growth = [b - a for a, b in steps if b > a]
    # After a checkpoint SQLite writes the WAL from its start again: the file stops growing.
    restarts = [n for n, (a, b) in enumerate(steps, start=1) if b <= a]
    if growth:
        pages = statistics.median(growth) / page_size
        print(
            f"  WAL growth per press: {pages:.1f} pages; SQLite's automatic checkpoint "
            f"(1000 pages) falls every ~{1000 / pages:.0f} presses; "
            f"the WAL first stopped growing at press #{restarts[0] if restarts else '-'}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=5, help="launches of each app")
    parser.add_argument("--presses", type=int, default=200, help="key presses to time")
    parser.add_argument("--journal", type=Path, default=HISTORY_JOURNAL)
    parser.add_argument("--small", action="store_true", help="build a journal of runs rows")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--skip-tick", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "journal.db"
        started = time.perf_counter()
        if args.small or not args.journal.is_file():
            fill_journal(db, REPO / "processes")
            print(f"built a journal of {RUNS:,} runs in {time.perf_counter() - started:.1f} s")
        else:
            shutil.copy(args.journal, db)  # the app opens it for writing: never the original
            # On disk, a fresh copy's pages are still dirty in the page cache: the app's first
            # checkpoint (an fsync of the database) would flush the whole copy (~0.5 s).
            with db.open("rb+") as copy:
                os.fsync(copy.fileno())
            print(f"copied {args.journal.name} in {time.perf_counter() - started:.1f} s")
        env = {
            **os.environ,
            "PROCEDO_DB": str(db),
            "TERM": "xterm-256color",
            "COLUMNS": "100",
            "LINES": "30",
        }
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        if not args.skip_startup:
            bench_startup(env, tries=args.tries)
        if not args.skip_tick:
            bench_tick(env, db, presses=args.presses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
