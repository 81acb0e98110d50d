"""Time the history and the metrics on a journal of 100,000 runs and about 3 million events.

The journal is built with bulk SQL inserts into the real schema (runs, events, visits and marks
rows shaped as the sink writes them, from random walks through the bundled processes: loops,
aborts, unfinished and practice runs, hand-overs, items marked not applicable), each event
hashed into its run's chain exactly as the store does, so ``procedo verify`` finds it intact.
Building takes a minute or two, in a child process so its memory does not count; the file is
cached in ``bench/out/`` (or ``--out``) under a name that carries the schema version and this
generator's version.

Then prints the time to open the history at its first page (100 rows), to filter it (process
and status, operator, text), to compute the metrics of one process and of all, the database
size, and peak memory (tracemalloc peak and ru_maxrss). Each time is the first call on a fresh
connection, and the median of 5 calls after it.

Run: ``.venv/bin/python bench/history.py [--runs N] [--rebuild] [--out DIR]`` (``--out``: the
folder of the cached journal). Aims: first page under 100 ms, one process's metrics under
200 ms, all under 500 ms, memory under 150 MB.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
import tracemalloc
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from procedo.engine import Event, chain_seed, iso_from_ms
from procedo.engine.state import node_role
from procedo.engine.values import format_number
from procedo.journal import SCHEMA_VERSION, Journal
from procedo.journal.connection import write_transaction
from procedo.journal.history import HistoryFilter, history_count, history_page
from procedo.journal.metrics import compute_metrics
from procedo.model import ProcessDefinition, load_catalog

GENERATOR = 6  # 6: valid hash chains
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DAY = 86_400_000
END_MS = 1_795_564_800_000  # 2026-11-25T00:00Z
OPERATORS = [f"{first} {last}" for first in ("Ann", "Bob", "Cat", "Dan", "Eve", "Finn", "Gus",
             "Hana") for last in ("Ito", "Kahn", "Lund", "Moss", "Nagy")]  # fmt: skip
REASONS = [
    "Not needed for this case",
    "Done by the sender already",
    "Equipment not available",
    "Customer declined",
    "Covered by the previous step",
    "Not applicable on this site",
]
EVENT_SQL = (
    "INSERT INTO events (run_id, seq, ts, actor, kind, node, item, value, reason, hash) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
VISIT_SQL = (
    "INSERT INTO visits (run_id, visit, process_id, node, kind, entered_at, left_at, duration_ms, "
    "outcome, choice, next_node, process_version, definition_hash, practice) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
)
OPERATOR_SQL = "INSERT INTO run_operators VALUES (?, ?, ?, ?, ?)"
MARK_SQL = (
    "INSERT INTO marks (run_id, visit, item, process_id, process_version, definition_hash, "
    "practice, node, text, value, number, na_reason, actor, at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
RUN_COLUMNS = (
    "id, process_id, process_version, definition_hash, operator, operators, trigger, practice, "
    "status, current_node, end_node, success, abort_reason, started_at, ended_at, duration_ms, "
    "updated_at, last_seq, last_hash, target_ms, repeats, path"
)
RUN_SQL = f"INSERT INTO runs ({RUN_COLUMNS}) VALUES ({', '.join('?' * 22)})"


class Walk:
    """One simulated run: the rows it leaves in the journal."""

    def __init__(self, rng: random.Random, d: ProcessDefinition, digest: str, start: int) -> None:
        self.rng, self.d, self.digest = rng, d, digest
        self.run_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        self.t = start
        self.practice = int(rng.random() < 0.03)
        self.operator = rng.choice(OPERATORS)
        self.operators = [self.operator]
        self.events: list[tuple[Any, ...]] = []
        self.visits: list[list[Any]] = []
        self.marks: list[tuple[Any, ...]] = []
        self.previous = chain_seed(self.run_id, digest)

    def emit(self, kind: str, node: str | None = None, item: int | None = None,
             value: str | None = None, reason: str | None = None) -> None:  # fmt: skip
        self.t += self.rng.randint(4_000, 80_000)
        self.rng.getrandbits(256)  # the fake hash generator 5 drew: the same walks as before
        seq = len(self.events) + 1
        event = Event(self.run_id, seq, iso_from_ms(self.t), self.operator, kind, node, item,
                      value, reason)  # fmt: skip
        self.previous = event.compute_hash(self.previous)  # the store's own hashing
        self.events.append((*_fields(event)[:-1], self.previous))

    def enter(self, node: str) -> list[Any]:
        visit = [self.run_id, len(self.visits), self.d.id, node, self.d.kind_of(node),
                 iso_from_ms(self.t), None, None, None, None, None, self.d.version, self.digest,
                 self.practice]  # fmt: skip
        self.visits.append(visit)
        return visit

    def leave(self, visit: list[Any], outcome: str, next_node: str | None = None) -> None:
        visit[6] = iso_from_ms(self.t)
        visit[7] = self.t - _ms(visit[5])
        visit[8], visit[10] = outcome, next_node

    def do_step(self, node: str, visit: list[Any]) -> None:
        rng = self.rng
        for index, item in enumerate(self.d.steps[node].items):
            if not item.critical and rng.random() < 0.04:
                reason = rng.choice(REASONS[: 2 + index % 4])
                self.emit("na", node, index, reason=reason)
                mark = (*self._mark(visit, index), item.text, None, None, reason)
                self.marks.append((*mark, *self._who()))
            elif item.record:
                value = _value(rng, item)
                if rng.random() < 0.1:  # a typo, corrected at once
                    self.emit("record", node, index, _value(rng, item))
                self.emit("record", node, index, value)
                number = float(value) if item.record == "number" else None
                mark = (*self._mark(visit, index), item.text, value, number, None)
                self.marks.append((*mark, *self._who()))
            else:
                if rng.random() < 0.1:  # ticked by mistake, cleared, ticked again
                    self.emit("check", node, index)
                    self.emit("uncheck", node, index)
                self.emit("check", node, index)
        if rng.random() < 0.6:
            self.emit("note", node, value="Checked twice, all fine")

    def _who(self) -> tuple[str, str]:
        return self.operator, self.events[-1][2]

    def _mark(self, visit: list[Any], index: int) -> tuple[Any, ...]:
        return (self.run_id, visit[1], index, self.d.id, self.d.version, self.digest,
                self.practice, visit[3])  # fmt: skip

    def run(self) -> tuple[Any, ...]:
        rng, d = self.rng, self.d
        fate = rng.choices(["completed", "aborted", "active", "paused"], [88, 6, 3, 3])[0]
        trigger = rng.choice(d.triggers).id if d.triggers else None
        node = d.start_for(trigger)
        self.emit("start", node, value=trigger, reason="practice" if self.practice else None)
        started, status, abort_reason = self.t, "active", None
        acting = node_role(d, node)  # the starting operator acts as the first node's role
        while True:
            visit = self.enter(node)
            kind = d.kind_of(node)
            role = node_role(d, node)
            if role is not None and role != acting:  # a hand-over point: the operator accepts
                self.emit("accept_role", node, value=role)
                acting = role
            if kind == "end":
                self.emit("finish", node, value=d.ends[node].outcome)
                self.leave(visit, "finished")
                status = "completed"
                break
            if (fate != "completed" and rng.random() < 0.2) or len(self.visits) > 40:
                status = fate if fate != "completed" else "aborted"
                if status == "aborted":
                    abort_reason = "Stopped: " + rng.choice(REASONS)
                    self.emit("abort", node, reason=abort_reason)
                    self.leave(visit, "aborted")
                elif status == "paused":
                    self.emit("pause", reason="Waiting for a colleague")
                break
            if rng.random() < 0.05:
                new = rng.choice(OPERATORS)
                self.emit("handover", value=new, reason="Shift change")
                self.operator = new
                if new not in self.operators:
                    self.operators.append(new)
            if kind == "step":
                self.do_step(node, visit)
                following = d.steps[node].next
                self.emit("complete", node, value=following)
                self.leave(visit, "completed", following)
            else:
                options = d.decisions[node].options
                choice = 0 if rng.random() < 0.7 else rng.randrange(len(options))
                following = options[choice].next
                self.emit("choose", node, choice, options[choice].label)
                self.leave(visit, "chosen", following)
                visit[9] = choice
            node = following
        ended = self.t if status in ("completed", "aborted") else None
        success = None
        if status == "completed":
            success = int(d.ends[node].success)
        elif status == "aborted":
            success = 0
        target = d.process.target_minutes
        last = self.events[-1]
        return (self.run_id, d.id, d.version, self.digest, self.operator,
                json.dumps(self.operators), trigger, self.practice, status, node,
                node if status == "completed" else None, success, abort_reason,
                iso_from_ms(started), iso_from_ms(ended) if ended else None,
                ended - started if ended else None, last[2], last[1], last[9],
                round(target * 60_000) if target else None, self.repeats(),
                " ".join(v[3] for v in self.visits if v[8] != "back") or None)  # fmt: skip

    def repeats(self) -> str | None:
        counts = Counter(v[3] for v in self.visits)
        looped = {node: n for node, n in sorted(counts.items()) if n > 1}
        return json.dumps(looped) if looped else None


def _fields(event: Event) -> tuple[Any, ...]:
    return (event.run_id, event.seq, event.ts, event.actor, event.kind, event.node, event.item,
            event.value, event.reason, event.hash)  # fmt: skip


def _ms(iso: str) -> int:
    from procedo.engine import ms_from_iso

    return ms_from_iso(iso)


def _value(rng: random.Random, item: Any) -> str:
    if item.record == "choice":
        return str(rng.choice(item.choices))
    if item.record == "text":
        return f"REF-{rng.randint(1000, 99999)}"
    low = item.min if item.min is not None else 0.0
    high = item.max if item.max is not None else 100.0
    return format_number(round(rng.uniform(low, high), 1))


def build(path: Path, runs: int) -> None:
    """Write the synthetic journal to ``path``."""
    catalog = load_catalog([ROOT / "processes"])
    journal = Journal(path)
    with write_transaction(journal.db, "storing definitions") as conn:
        for loaded in catalog.processes:
            journal.insert_definition(conn, loaded.sha256, loaded.id, loaded.text, None)
    journal.close()
    rng = random.Random(20261125)
    # The walker writes rows as a linear run does: processes with parallel blocks or calls
    # (employee-onboarding, lockout-tagout since issue 14) are left out of the synthetic runs.
    walked = [p for p in catalog.processes if not p.definition.parallel and not p.definition.calls]
    weights = [1 + i for i in range(len(walked))]
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -400000")
    span = 730 * DAY
    batch: dict[str, list[Any]] = {
        "runs": [],
        "events": [],
        "visits": [],
        "marks": [],
        "operators": [],
    }
    for i in range(runs):
        loaded = rng.choices(walked, weights)[0]
        start = END_MS - span + i * span // runs + rng.randint(0, 60_000)
        walk = Walk(rng, loaded.definition, loaded.sha256, start)
        batch["runs"].append(walk.run())
        batch["events"].extend(walk.events)
        batch["visits"].extend(walk.visits)
        batch["marks"].extend(walk.marks)
        batch["operators"].extend(
            (walk.run_id, name, loaded.id, loaded.definition.version, walk.practice)
            for name in walk.operators
        )
        if len(batch["runs"]) >= 5_000 or i == runs - 1:
            with conn:
                conn.executemany(RUN_SQL, batch["runs"])
                conn.executemany(EVENT_SQL, batch["events"])
                conn.executemany(VISIT_SQL, batch["visits"])
                conn.executemany(MARK_SQL, batch["marks"])
                conn.executemany(OPERATOR_SQL, batch["operators"])
            batch = {key: [] for key in batch}
            print(f"  built {i + 1:,} runs", file=sys.stderr, flush=True)
    # schema 8: what the sink writes once a run is completed (the walks pause no visit they
    # leave and raise no interrupt, so paused_ms and interrupted_ms stay 0)
    with conn:
        conn.execute(
            "UPDATE visits SET run_completed = 1 "
            "WHERE run_id IN (SELECT id FROM runs WHERE status = 'completed')"
        )
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def timed(make: Callable[[], Journal], action: Callable[[Journal], object]) -> tuple[float, float]:
    """(first call on a fresh connection, median of 5 more) in milliseconds."""
    journal = make()
    try:
        started = time.perf_counter()
        action(journal)
        first = (time.perf_counter() - started) * 1000
        again = []
        for _ in range(5):
            started = time.perf_counter()
            action(journal)
            again.append((time.perf_counter() - started) * 1000)
    finally:
        journal.close()
    return first, statistics.median(again)


def measure(path: Path) -> None:
    """Print the figures for the journal at ``path``."""

    def make() -> Journal:
        return Journal(path, create=False)

    with make() as journal:
        counts = journal.rows(
            "SELECT (SELECT COUNT(*) FROM runs) AS runs, (SELECT COUNT(*) FROM events) AS events,"
            " (SELECT COUNT(*) FROM visits) AS visits, (SELECT COUNT(*) FROM marks) AS marks"
        )[0]
        biggest = journal.rows(
            "SELECT process_id, COUNT(*) AS n FROM runs GROUP BY process_id ORDER BY n DESC"
        )[0]
        operator = journal.rows("SELECT operator FROM runs ORDER BY started_at LIMIT 1")[0]
    process = biggest["process_id"]
    print(
        f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, {platform.machine()}"
    )
    print(
        f"journal: {counts['runs']:,} runs, {counts['events']:,} events, "
        f"{counts['visits']:,} visits, {counts['marks']:,} marks; "
        f"{path.stat().st_size / 1e6:,.0f} MB"
    )
    tracemalloc.start()
    cases: list[tuple[str, Callable[[Journal], object], float | None]] = [
        ("history: first page (100 rows)", lambda j: history_page(j, HistoryFilter()), 100),
        ("history: count all", lambda j: history_count(j, HistoryFilter()), None),
        (
            f"history: process {process} + status aborted",
            lambda j: history_page(j, HistoryFilter(process=process, status="aborted")),
            None,
        ),
        (
            f"history: operator {operator['operator']}",
            lambda j: history_page(j, HistoryFilter(operator=operator["operator"])),
            None,
        ),
        ("history: text 'lab'", lambda j: history_page(j, HistoryFilter(text="lab")), None),
        (
            "history: text 'zzz' (no match)",
            lambda j: history_page(j, HistoryFilter(text="zzz")),
            None,
        ),
        (
            "history: since 2026-11-01, no practice",
            lambda j: history_page(j, HistoryFilter(since="2026-11-01", include_practice=False)),
            None,
        ),
        (f"metrics: {process}", lambda j: compute_metrics(j, process), 200),
        ("metrics: all processes", lambda j: compute_metrics(j, None), 500),
    ]
    for label, action, aim in cases:
        first, warm = timed(make, action)
        verdict = "" if aim is None else ("  ok" if max(first, warm) < aim else f"  OVER {aim} ms")
        print(f"{label:<48} first {first:7.1f} ms   warm {warm:7.1f} ms{verdict}")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: tracemalloc {peak / 1e6:.1f} MB, ru_maxrss {rss:.0f} MB")


def bench_journal(runs: int, out: Path = OUT, *, rebuild: bool = False) -> Path:
    """The path of the cached bench journal of ``runs`` runs in ``out``, built when missing."""
    path = out / f"history-s{SCHEMA_VERSION}-g{GENERATOR}-{runs}.db"
    if rebuild or not path.exists():
        out.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        for stale in out.glob(partial.name + "*"):
            stale.unlink()
        started = time.perf_counter()
        print(f"building {path} ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, __file__, "--runs", str(runs), "--build-only", str(partial)],
            check=True,
        )
        partial.rename(path)
        print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--out", type=Path, default=OUT, help="the folder of the cached journal")
    parser.add_argument("--build-only", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(Path(args.build_only), args.runs)
        return
    measure(bench_journal(args.runs, args.out, rebuild=args.rebuild))


if __name__ == "__main__":
    main()
