"""Time each stored view as Datasette runs it: ``select * from VIEW limit 101`` and ``count(*)``.

Usage: ``python bench/views.py [JOURNAL]`` (default: bench/history.py's 100,000-run journal of
the current schema). Each query is the first call on a fresh read-only connection (the file's
pages may be in the OS cache: run it twice for warm figures). The file is never written: a
journal of an older schema is refused (copy it and open the copy with procedo once to migrate).
Prints one line per view and query (wall clock and CPU time); exits 1 when a query takes
500 ms or more by the wall clock (Datasette stops a query at 1 s), 2 when the journal cannot
be used.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from procedo.journal import SCHEMA_VERSION  # noqa: E402
from procedo.journal.views import VIEW_NAMES  # noqa: E402

AIM_MS = 500
QUERIES = ("select * from {} limit 101", "select count(*) from {}")


def timed(path: Path, query: str) -> tuple[float, float, int]:
    """Milliseconds of ``query`` on a fresh read-only connection (wall clock, then this
    process's CPU time: the second shows the work when the machine is shared), and its rows."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        rows = conn.execute(query).fetchall()
        return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000, len(rows)
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    newest = sorted((ROOT / "bench" / "out").glob(f"history-s{SCHEMA_VERSION}-g*-100000.db"))
    default = newest[-1] if newest else ROOT / "bench" / "out" / "history-missing.db"
    parser.add_argument("journal", nargs="?", type=Path, default=default)
    args = parser.parse_args()
    if not args.journal.exists():
        print(f"no journal at {args.journal} (build it with bench/history.py)", file=sys.stderr)
        return 2
    conn = sqlite3.connect(f"file:{args.journal}?mode=ro", uri=True)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    if version != SCHEMA_VERSION:
        print(
            f"{args.journal} has journal schema {version}, not {SCHEMA_VERSION}: copy it and "
            "open the copy with procedo once (this bench never writes)",
            file=sys.stderr,
        )
        return 2
    missed = []
    for name in VIEW_NAMES:
        for query in QUERIES:
            ms, cpu, count = timed(args.journal, query.format(name))
            flag = "" if ms < AIM_MS else f"  over {AIM_MS} ms"
            shown = f"{name:18} {query.format('VIEW'):30} {ms:7.1f} ms (CPU {cpu:6.1f} ms)"
            print(f"{shown}  {count:>4} rows{flag}")
            if ms >= AIM_MS:
                missed.append(f"{name}: {query.format('VIEW')}")
    if missed:
        print(f"aim missed ({len(missed)}): " + "; ".join(missed))
        return 1
    print(f"every view under {AIM_MS} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
