"""Start-up and key-to-tick latency of the real app, measured through a pseudo-terminal.

1. Time from launch to the first frame of the home screen, with the bundled processes and a
   journal of 100,000 runs, beside a bare Textual app that shows the same widgets with no data
   (aim: at most 1.5x). "First frame" is the first output showing the title; "with its data"
   waits for the process list's label, "with figures" for the last-run and success figures,
   which the home screen reads just after its first frame.
2. Time from a key press (space) to the repainted, durable tick: the header's "saved #N"
   advances only after the journal committed the event (aim: p99 under 50 ms).

Both run the app as a child on a pty, exactly as a terminal would, and read its output.
"""

from __future__ import annotations

import contextlib
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

BARE_APP = """
from textual.app import App
from textual.widgets import DataTable, Footer, Input, Static
class Bare(App):
    def compose(self):
        yield Static("procedo")
        yield Input(placeholder="/ filter processes and runs")
        yield Static("Processes (0)")
        yield DataTable()
        yield Static("")
        yield Footer()
    def on_mount(self):
        self.query_one(DataTable).add_columns("Process", "Version", "Steps", "Last run", "Success")
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


def read_until(master: int, needle: bytes, timeout: float = 30.0) -> tuple[float, bytes]:
    """Read the pty until ``needle`` shows; returns the time it appeared and what was read."""
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
            if needle in buffer:
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


def bench_startup(env: dict[str, str], tries: int = 5) -> None:
    """Median time to the first frame, and to home with its data, against a bare app."""
    procedo = [PYTHON, "-m", "procedo", "--processes", str(REPO / "processes")]
    bare = [PYTHON, "-c", BARE_APP]
    first: list[float] = []
    ready: list[float] = []
    figures: list[float] = []
    bare_first: list[float] = []
    for _ in range(tries):
        start = time.perf_counter()
        proc, master = spawn(procedo, env)
        try:
            seen_first, _ = read_until(master, b"procedo")
            seen_ready, _ = read_until(master, b"Processes (6)")
            # The Success column ("83 %") is filled once the per-process figures are read.
            seen_figures, _ = read_until(master, b" %")
        finally:
            stop(proc, master)
        first.append(seen_first - start)
        ready.append(seen_ready - start)
        figures.append(seen_figures - start)
        start = time.perf_counter()
        proc, master = spawn(bare, env)
        try:
            seen, _ = read_until(master, b"Processes (0)")
        finally:
            stop(proc, master)
        bare_first.append(seen - start)
    ours, data, theirs = median_of(first), median_of(ready), median_of(bare_first)
    full = median_of(figures)
    print(f"start-up, {RUNS:,} runs in the journal (median of {tries}):")
    print(f"  bare app, first frame        {theirs:6.0f} ms   (same widgets, no data)")
    print(
        f"  procedo, first frame of home {ours:6.0f} ms   ratio {ours / theirs:.2f} x (aim <= 1.5)"
    )
    print(f"  procedo, home with its data  {data:6.0f} ms   ratio {data / theirs:.2f} x")
    print(f"  procedo, home with figures   {full:6.0f} ms   ratio {full / theirs:.2f} x")


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
    reader = sqlite3.connect(db)
    try:
        read_until(master, b"Triage the alert")
        time.sleep(1.0)
        while select.select([master], [], [], 0.2)[0]:
            os.read(master, 65536)  # drain the start-up frames
        before = reader.execute("SELECT count(*) FROM events").fetchone()[0]
        for n in range(1, presses + 1):
            start = time.perf_counter()
            os.write(master, b" " if n % 2 else b"k\x1b[3~")
            done, _ = read_until(master, f"saved #{n + 1}".encode(), timeout=10)
            latencies.append(done - start)
            count = reader.execute("SELECT count(*) FROM events").fetchone()[0]
            assert count == before + n, f"press {n}: the frame came before the event was durable"
            time.sleep(0.02)
    finally:
        stop(proc, master)
        reader.close()
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(f"key press to durable, repainted tick ({presses} presses, synchronous=FULL):")
    print(
        f"  p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   max {latencies[-1] * 1000:6.1f} ms"
        "   (aim: p99 < 50 ms)"
    )


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "journal.db"
        started = time.perf_counter()
        fill_journal(db, REPO / "processes")
        print(f"built a journal of {RUNS:,} runs in {time.perf_counter() - started:.1f} s")
        env = {
            **os.environ,
            "PROCEDO_DB": str(db),
            "TERM": "xterm-256color",
            "COLUMNS": "100",
            "LINES": "30",
        }
        bench_startup(env, tries=3)
        tick_db = Path(tmp) / "tick.db"
        shutil.copy(db, tick_db)
        bench_tick({**env, "PROCEDO_DB": str(tick_db)}, tick_db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
