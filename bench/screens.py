"""The metrics and history screens, timed from the key press to the screen showing them.

The real app runs as a child on a 100x30 pseudo-terminal (as bench/startup.py runs it) on a
copy of bench/history.py's 100,000-run journal, and this script reads what it paints:

1. metrics of one process (``software-release``, about 27,800 runs): from ``m`` on the home
   screen, the process highlighted, until "Success rate" is painted (aim: under 150 ms). The
   headline figures are painted first, the sections (steps, decisions, the map, the clock)
   when computed: "last paint" is the time to the app's last output before it went quiet for
   0.7 s, i.e. every section in;
2. history: from ``h`` on the home screen until "Runs 1–100 of" is painted, the first page's
   rows and count in (aim: under 120 ms).

Each screen is opened ``--tries`` times after one first opening (reported apart: the first
reads pages no query had read yet), closed with escape, and the app left quiet in between.
``--src`` runs another checkout's ``src`` (e.g. the code before a change) on the same journal.
The journal is copied to a temporary folder first (opening it may migrate it), unless
``--in-place`` names a copy that may be written.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pty
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
AIMS_MS = {"metrics": 150.0, "history": 120.0}
KEYS = {"metrics": b"m", "history": b"h"}
SHOWN = {"metrics": b"Success rate", "history": "Runs 1–100 of".encode()}
ENTER, ESCAPE = b"\r", b"\x1b"


def spawn(argv: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    """Start argv on a new pty of 100x30; returns the process and the master fd."""
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    return proc, master


def read_until(master: int, needle: bytes, timeout: float = 300.0) -> float:
    """Read the pty until ``needle`` shows; the time it appeared."""
    buffer = b""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([master], [], [], 0.02)
        if ready:
            buffer += os.read(master, 65536)
            if needle in buffer:
                return time.perf_counter()
            buffer = buffer[-4096:]
    raise TimeoutError(f"{needle!r} did not appear; last output: {buffer[-300:]!r}")


def settle(master: int, quiet: float = 0.7, timeout: float = 30.0) -> float:
    """Read until the app has painted nothing for ``quiet`` seconds; the time of its last
    output (now, if it painted nothing)."""
    last = time.perf_counter()
    deadline = last + timeout
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([master], [], [], quiet)
        if not ready:
            break
        os.read(master, 65536)
        last = time.perf_counter()
    return last


@contextlib.contextmanager
def running_app(src: Path, db: Path) -> Iterator[int]:
    """The app on the home screen with software-release highlighted; yields the pty."""
    env = {**os.environ, "PYTHONPATH": str(src), "TERM": "xterm-256color", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    argv = [sys.executable, "-m", "procedo", "--processes", str(REPO / "processes")]
    proc, master = spawn([*argv, "--db", str(db)], env)
    try:
        read_until(master, b"Processes (", timeout=120)
        settle(master, quiet=1.5)
        # The filter names the one process, enter puts the process list's focus on its row
        # (its last row is no longer software-release: the WHO checklist sorts after it).
        for key in (b"/", b"software release", ENTER):
            os.write(master, key)
            settle(master)
        yield master
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)


def time_screen(master: int, screen: str) -> tuple[float, float]:
    """Milliseconds from the screen's key to its figures on screen, and to the last paint
    before the screen went quiet (the sections computed later, the loading lines replaced);
    then back home."""
    start = time.perf_counter()
    os.write(master, KEYS[screen])
    shown = read_until(master, SHOWN[screen])
    last = max(shown, settle(master))
    os.write(master, ESCAPE)
    settle(master)
    return (shown - start) * 1000, (last - start) * 1000


def default_journal() -> Path | None:
    found = sorted(OUT.glob("history-s*-100000.db"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journal", type=Path, default=default_journal())
    parser.add_argument("--in-place", action="store_true", help="open --journal itself")
    parser.add_argument("--src", type=Path, default=REPO / "src", help="the procedo to run")
    parser.add_argument("--tries", type=int, default=5)
    args = parser.parse_args()
    if args.journal is None or not args.journal.exists():
        print("no journal: run bench/history.py first, or give --journal", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="procedo-screens-") as folder:
        db = args.journal
        if not args.in_place:
            db = Path(folder) / "journal.db"
            shutil.copyfile(args.journal, db)
        print(f"journal {args.journal} ({'in place' if args.in_place else 'a copy'}), "
              f"procedo from {args.src}, 100x30 pty")  # fmt: skip
        missed = False
        with running_app(args.src, db) as master:
            for screen in ("metrics", "history"):
                first, first_last = time_screen(master, screen)
                pairs = [time_screen(master, screen) for _ in range(args.tries)]
                times = [shown for shown, _ in pairs]
                median = statistics.median(times)
                last = statistics.median(last for _, last in pairs)
                aim = AIMS_MS[screen]
                missed |= median >= aim
                print(
                    f"{screen:8} first {first:7.1f} ms  median of {args.tries} {median:7.1f} ms"
                    f"  (min {min(times):.1f}, max {max(times):.1f})  aim under {aim:.0f} ms"
                )
                print(
                    f"{'':8} last paint (every section in): first {first_last:7.1f} ms"
                    f"  median {last:7.1f} ms"
                )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
