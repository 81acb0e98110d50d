"""The run screen's first frame (issue 13: it must not get slower): from launching
``procedo run incident-response --operator Ann --trigger pager`` on a 100x30 pseudo-terminal
until the step's title is painted, then until the step clock line says what past runs took
there (read in a worker after the first frame).

The journal is a copy of bench/history.py's 100,000-run one (``--db``), so the usual figures
have 27,000 runs to read. ``--src`` runs another checkout's ``src`` (the code before a change)
on the same journal (with ``--processes`` of that checkout, and ``--before`` when it has no
step clock). Prints the median of ``--tries`` launches.

Run: ``.venv/bin/python bench/run_screen.py --db JOURNAL [--src OTHER/src] [--tries 5]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import PYTHON, REPO, time_launch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--src", type=Path, default=REPO / "src")
    parser.add_argument("--tries", type=int, default=5)
    parser.add_argument("--processes", type=Path, default=REPO / "processes")
    parser.add_argument(
        "--before", action="store_true", help="code without the step clock: the first frame only"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "journal.db"
        shutil.copy(args.db, db)
        env = {**os.environ, "PYTHONPATH": str(args.src), "TERM": "xterm-256color"}
        argv = [PYTHON, "-m", "procedo", "--processes", str(args.processes), "--db", str(db),
                "run", "incident-response", "--operator", "Ann", "--trigger", "pager"]  # fmt: skip
        time_launch(argv, env, [b"Triage"])  # the first launch may upgrade the copy
        first, figures = [], []
        for _ in range(args.tries):
            needles: list[bytes | tuple[bytes, ...]] = [b"Triage"]
            if not args.before:
                needles.append((b"usual", b"no completed runs"))
            seen = time_launch(argv, env, needles)
            first.append(seen[0])
            figures.extend(seen[1:])
    print(f"src {args.src}")
    print(f"first frame of the run screen: median {statistics.median(first) * 1000:.0f} ms")
    if figures:
        shown = statistics.median(figures) * 1000
        print(f"the step's usual figures shown: median {shown:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
