"""Schema 8: what the clock figures of issue 13 read (a step's usual time, the time split).

Three new columns on ``visits``, written by the sink from the state (:func:`rows.visit_row`) and
checked by ``procedo verify``:

- ``run_completed``: 1 once the visit's run is completed (the sink sets it on every visit of
  the run in the transaction that finishes it), so that a step's usual figures, which read
  only completed runs, walk one partial index and never join ``runs``;
- ``paused_ms``: the visit's paused time (``Visit.paused_ms``: the run's pauses and the
  interrupts opened over it while it was open);
- ``interrupted_ms``: the part of ``paused_ms`` spent in interrupts (``Visit.interrupted_ms``).

Four partial indexes, each stated only by the figures that walk it: ``visits_usual`` (each
node's completed step visits and chosen decision visits in completed runs, in duration order: a
count and two ``OFFSET`` walks give median and p90), ``events_holders`` (the starts, hand-overs
and take-overs: who holds a run when, one probe per visit, and how long a hand-over waited for
the next action, without reading the 3 million other events), ``visits_split`` (the time
split's sums, grouped in index order) and ``runs_trends`` (the trends' counts and medians,
never a ``runs`` row).

Backfill: ``run_completed`` from ``runs.status``; ``paused_ms`` of a left visit from its
timestamps (wall time minus active time, exact to the millisecond); the runs that are not
finished or had an interrupt are replayed, so that an open visit's pauses and every
interrupt's share are what the fold gives.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from procedo.journal.schema_v7 import replayed_run
from procedo.model import DefinitionError, ProcessDefinition, parse_definition

USUAL_VISITS = (
    "run_completed = 1 AND ((kind = 'step' AND outcome = 'completed') "
    "OR (kind = 'decision' AND outcome = 'chosen'))"
)
"""The WHERE of the partial index ``visits_usual``, to be written exactly so (unqualified)."""
OPERATOR_EVENTS = "kind IN ('start', 'handover', 'takeover')"
"""The WHERE of the partial index ``events_holders``, to be written exactly so: the events that
say who holds a run from then on (the starter, the new operator, the one who took it over)."""
SPLIT_VISITS = "kind IN ('step', 'decision') AND duration_ms IS NOT NULL"
"""The WHERE of the partial index ``visits_split``: the left visits of steps and decisions."""
TREND_RUNS = "practice IN (0, 1)"
"""The WHERE of the partial index ``runs_trends``: true of every run, but stated only by the
trends, so that no other query of the runs picks the index (a condition such as ``started_at IS
NOT NULL`` would not do: SQLite infers it from any comparison of ``started_at``)."""

_WALL_MS = "CAST(round((julianday(left_at) - julianday(entered_at)) * 86400000) AS INTEGER)"


def _backfill_v8(conn: sqlite3.Connection) -> None:
    conn.execute(
        "UPDATE visits SET run_completed = 1 WHERE run_id IN "
        "(SELECT id FROM runs WHERE status = 'completed')"
    )
    conn.execute(
        f"UPDATE visits SET paused_ms = MAX(0, {_WALL_MS} - duration_ms) "
        "WHERE left_at IS NOT NULL AND duration_ms IS NOT NULL"
    )
    runs = conn.execute(
        "SELECT id, definition_hash FROM runs WHERE status IN ('active', 'paused') "
        "OR id IN (SELECT run_id FROM interrupts)"
    ).fetchall()
    definitions: dict[str, ProcessDefinition | None] = {}
    for run_id, digest in runs:
        if digest not in definitions:
            definitions[digest] = _definition(conn, digest)
        definition = definitions[digest]
        if definition is not None:
            _replay_times(conn, run_id, digest, definition)


def _definition(conn: sqlite3.Connection, digest: str) -> ProcessDefinition | None:
    row = conn.execute("SELECT process_id, toml FROM definitions WHERE hash = ?", (digest,))
    found = row.fetchone()
    if found is None:
        return None
    try:
        return parse_definition(found[1], default_id=found[0], check_texts=False)
    except DefinitionError:
        return None  # a damaged definition: `procedo verify` reports it


def _replay_times(
    conn: sqlite3.Connection, run_id: str, digest: str, definition: ProcessDefinition
) -> None:
    replayed = replayed_run(conn, run_id, digest, definition)
    if replayed is None:
        return  # a damaged run: `procedo verify` reports it
    _, state = replayed
    conn.executemany(
        "UPDATE visits SET paused_ms = ?, interrupted_ms = ? WHERE run_id = ? AND visit = ?",
        [(v.paused_ms, v.interrupted_ms, run_id, v.index) for v in state.visits],
    )


V8: list[str | Callable[[sqlite3.Connection], None]] = [
    "ALTER TABLE visits ADD COLUMN run_completed INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE visits ADD COLUMN paused_ms INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE visits ADD COLUMN interrupted_ms INTEGER NOT NULL DEFAULT 0",
    _backfill_v8,
    "CREATE INDEX visits_usual ON visits(process_id, node, practice, duration_ms, "
    f"run_completed, kind, outcome) WHERE {USUAL_VISITS}",
    "CREATE INDEX events_holders ON events(run_id, ts, seq, kind, value, actor) "
    f"WHERE {OPERATOR_EVENTS}",
    "CREATE INDEX visits_split ON visits(process_id, node, definition_hash, practice, "
    "process_version, kind, duration_ms, paused_ms, interrupted_ms, entered_at) "
    f"WHERE {SPLIT_VISITS}",
    "CREATE INDEX runs_trends ON runs(process_id, practice, started_at, status, success, "
    f"duration_ms, process_version) WHERE {TREND_RUNS}",
    # the live board (journal/board.py): the pauses of the runs in progress, and which of
    # those runs changed, without reading every event or every run
    "CREATE INDEX events_pauses ON events(run_id, seq, ts, kind) WHERE kind IN ('pause', 'resume')",
    "CREATE INDEX runs_board ON runs(status, started_at, id, last_seq)",
]

V8_COLUMNS = {"visits": ("run_completed", "paused_ms", "interrupted_ms")}
V8_INDEXES = (
    "visits_usual",
    "events_holders",
    "visits_split",
    "runs_trends",
    "events_pauses",
    "runs_board",
)
