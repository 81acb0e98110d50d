"""The run screen's first frame (issue 13: it must not get slower): from launching
``procedo run incident-response --operator Ann --trigger pager`` on a 100x30 pseudo-terminal
until the step's title is painted, then until the step clock line says what past runs took
there (read in a worker after the first frame).

The journal is a copy of bench/history.py's 100,000-run one (``--db``), so the usual figures
have 27,000 runs to read. ``--src`` runs another checkout's ``src`` (the code before a change)
on the same journal. Prints the median of ``--tries`` launches.

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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "journal.db"
        shutil.copy(args.db, db)
        env = {**os.environ, "PYTHONPATH": str(args.src), "TERM": "xterm-256color"}
        argv = [PYTHON, "-m", "procedo", "--processes", str(REPO / "processes"), "--db", str(db),
                "run", "incident-response", "--operator", "Ann", "--trigger", "pager"]  # fmt: skip
        time_launch(argv, env, [b"Triage"])  # the first launch may upgrade the copy
        first, figures = [], []
        for _ in range(args.tries):
            seen = time_launch(argv, env, [b"Triage", (b"usual", b"no completed runs")])
            first.append(seen[0])
            figures.append(seen[1])
    print(f"src {args.src}")
    print(f"first frame of the run screen: median {statistics.median(first) * 1000:.0f} ms")
    print(f"the step's usual figures shown: median {statistics.median(figures) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
