"""Schemas 1 to 5: the journal's first tables and the migrations of older versions.

Each list is one migration's statements (and backfills), run in order by
``schema.ensure_schema`` inside one ``BEGIN IMMEDIATE`` transaction. Later versions live in
``schema_v6`` to ``schema_v9``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from procedo.engine import Event, replay
from procedo.engine.errors import ReplayError
from procedo.engine.targets import target_ms
from procedo.journal.figure_sql import KEPT_VISITS
from procedo.journal.rows import (
    definition_rows,
    mark_rows,
    repeats,
    write_operators,
)
from procedo.journal.views import VIEW_NAMES, VIEWS
from procedo.model import DefinitionError, ProcessDefinition, parse_definition

V1 = [
    """
    CREATE TABLE definitions (
        hash        TEXT PRIMARY KEY,
        process_id  TEXT NOT NULL,
        version     TEXT NOT NULL,
        title       TEXT NOT NULL,
        toml        TEXT NOT NULL,
        source_path TEXT,
        first_seen  TEXT NOT NULL
    )
    """,
    "CREATE INDEX definitions_process ON definitions(process_id)",
    """
    CREATE TABLE runs (
        id              TEXT PRIMARY KEY,
        process_id      TEXT NOT NULL,
        process_version TEXT NOT NULL,
        definition_hash TEXT NOT NULL REFERENCES definitions(hash),
        operator        TEXT NOT NULL,
        operators       TEXT NOT NULL,
        trigger         TEXT,
        practice        INTEGER NOT NULL DEFAULT 0,
        status          TEXT NOT NULL
                        CHECK (status IN ('active', 'paused', 'completed', 'aborted')),
        current_node    TEXT,
        end_node        TEXT,
        success         INTEGER,
        abort_reason    TEXT,
        started_at      TEXT NOT NULL,
        ended_at        TEXT,
        duration_ms     INTEGER,
        updated_at      TEXT NOT NULL,
        last_seq        INTEGER NOT NULL,
        last_hash       TEXT NOT NULL
    )
    """,
    "CREATE INDEX runs_started ON runs(started_at)",
    "CREATE INDEX runs_process_started ON runs(process_id, started_at)",
    "CREATE INDEX runs_status ON runs(status, started_at)",
    """
    CREATE TABLE events (
        run_id TEXT NOT NULL REFERENCES runs(id),
        seq    INTEGER NOT NULL,
        ts     TEXT NOT NULL,
        actor  TEXT NOT NULL,
        kind   TEXT NOT NULL,
        node   TEXT,
        item   INTEGER,
        value  TEXT,
        reason TEXT,
        hash   TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
    ) WITHOUT ROWID
    """,
    """
    CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'journal events are append-only: UPDATE is refused'); END
    """,
    """
    CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'journal events are append-only: DELETE is refused'); END
    """,
    """
    CREATE TABLE visits (
        run_id      TEXT NOT NULL REFERENCES runs(id),
        visit       INTEGER NOT NULL,
        process_id  TEXT NOT NULL,
        node        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        entered_at  TEXT NOT NULL,
        left_at     TEXT,
        duration_ms INTEGER,
        outcome     TEXT,
        choice      INTEGER,
        next_node   TEXT,
        PRIMARY KEY (run_id, visit)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX visits_process_node ON visits(process_id, node)",
    """
    CREATE TABLE leases (
        run_id      TEXT PRIMARY KEY REFERENCES runs(id),
        token       TEXT NOT NULL,
        pid         INTEGER NOT NULL,
        host        TEXT NOT NULL,
        operator    TEXT NOT NULL,
        acquired_at TEXT NOT NULL
    )
    """,
]


def _backfill_v2(conn: sqlite3.Connection) -> None:
    """Fill schema 2's new tables and columns from what a schema-1 journal holds."""
    definitions: dict[str, ProcessDefinition] = {}
    for digest, process_id, text in conn.execute(
        "SELECT hash, process_id, toml FROM definitions"
    ).fetchall():
        try:
            definition = parse_definition(text, default_id=process_id, check_texts=False)
        except DefinitionError:
            continue  # a damaged definition: `procedo verify` reports it
        definitions[digest] = definition
        conn.execute(
            "UPDATE definitions SET target_ms = ? WHERE hash = ?", (target_ms(definition), digest)
        )
        _write_v2_definition_rows(conn, digest, definition)
    conn.execute(
        "UPDATE runs SET target_ms = "
        "(SELECT d.target_ms FROM definitions d WHERE d.hash = runs.definition_hash)"
    )
    conn.execute(
        "UPDATE visits SET (process_version, definition_hash, practice) = "
        "(SELECT r.process_version, r.definition_hash, r.practice FROM runs r "
        "WHERE r.id = visits.run_id)"
    )
    runs = conn.execute("SELECT id, definition_hash FROM runs").fetchall()
    for run_id, digest in runs:
        if digest not in definitions:
            continue
        events = [
            Event(*row)
            for row in conn.execute(
                "SELECT run_id, seq, ts, actor, kind, node, item, value, reason, hash "
                "FROM events WHERE run_id = ? ORDER BY seq",
                (run_id,),
            )
        ]
        try:
            state = replay(definitions[digest], digest, run_id, events)
        except ReplayError:
            continue  # a damaged run: `procedo verify` reports it
        conn.execute("UPDATE runs SET repeats = ? WHERE id = ?", (repeats(state), run_id))
        write_operators(conn, state)
        for visit in state.visits:
            conn.executemany(_V2_MARK_SQL, mark_rows(state, visit))


# The rows as schema 2 holds them (the columns of later schemas come with their migrations,
# with the defaults a schema-1 run gives).
_V2_DEFINITION_SQL = {
    "nodes": "INSERT OR IGNORE INTO nodes VALUES (?, ?, ?, ?, ?)",
    "items": "INSERT OR IGNORE INTO items VALUES (?, ?, ?, ?, ?, ?, ?)",
    "options": "INSERT OR IGNORE INTO options VALUES (?, ?, ?, ?, ?)",
}
_V2_WIDTH = {"nodes": 5, "items": 7, "options": 5}
_V2_MARK_SQL = """
INSERT INTO marks (run_id, visit, item, process_id, process_version, definition_hash, practice,
    node, text, value, number, na_reason, actor, at)
SELECT :run_id, :visit, :item, :process_id, :process_version, :definition_hash, :practice,
    :node, i.text, :value,
    CASE WHEN i.record = 'number' AND :value IS NOT NULL THEN CAST(:value AS REAL) END,
    :na_reason, :actor, :at
FROM (SELECT 1) LEFT JOIN items i
    ON i.definition_hash = :definition_hash AND i.node = :node AND i.item = :item
"""


def _write_v2_definition_rows(
    conn: sqlite3.Connection, digest: str, definition: ProcessDefinition
) -> None:
    for table, rows in definition_rows(digest, definition).items():
        width = _V2_WIDTH[table]
        conn.executemany(_V2_DEFINITION_SQL[table], [row[:width] for row in rows])


V2: list[str | Callable[[sqlite3.Connection], None]] = [
    "ALTER TABLE definitions ADD COLUMN target_ms INTEGER",
    "ALTER TABLE runs ADD COLUMN target_ms INTEGER",
    "ALTER TABLE runs ADD COLUMN repeats TEXT",
    "ALTER TABLE visits ADD COLUMN process_version TEXT",
    "ALTER TABLE visits ADD COLUMN definition_hash TEXT",
    "ALTER TABLE visits ADD COLUMN practice INTEGER NOT NULL DEFAULT 0",
    """
    CREATE TABLE nodes (
        definition_hash TEXT NOT NULL REFERENCES definitions(hash),
        node            TEXT NOT NULL,
        kind            TEXT NOT NULL,
        title           TEXT NOT NULL,
        position        INTEGER NOT NULL,
        PRIMARY KEY (definition_hash, node)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE items (
        definition_hash TEXT NOT NULL REFERENCES definitions(hash),
        node            TEXT NOT NULL,
        item            INTEGER NOT NULL,
        text            TEXT NOT NULL,
        critical        INTEGER NOT NULL,
        record          TEXT,
        unit            TEXT,
        PRIMARY KEY (definition_hash, node, item)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE options (
        definition_hash TEXT NOT NULL REFERENCES definitions(hash),
        node            TEXT NOT NULL,
        option          INTEGER NOT NULL,
        label           TEXT NOT NULL,
        next            TEXT NOT NULL,
        PRIMARY KEY (definition_hash, node, option)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE marks (
        run_id          TEXT NOT NULL REFERENCES runs(id),
        visit           INTEGER NOT NULL,
        item            INTEGER NOT NULL,
        process_id      TEXT NOT NULL,
        process_version TEXT NOT NULL,
        definition_hash TEXT NOT NULL,
        practice        INTEGER NOT NULL,
        node            TEXT NOT NULL,
        text            TEXT,
        value           TEXT,
        number          REAL,
        na_reason       TEXT,
        actor           TEXT,
        at              TEXT,
        PRIMARY KEY (run_id, visit, item)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE run_operators (
        run_id          TEXT NOT NULL REFERENCES runs(id),
        operator        TEXT NOT NULL,
        process_id      TEXT NOT NULL,
        process_version TEXT NOT NULL,
        practice        INTEGER NOT NULL,
        PRIMARY KEY (run_id, operator)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX runs_process_status ON runs(process_id, status, started_at)",
    # Covering indexes: each figure walks one index, never the table rows. Where a median walks
    # the index in order, ``practice`` comes before the ordered column, so that the default
    # scope (no practice runs) is one range already in order; where a figure groups, the
    # grouping columns come first so that the groups stream in order. Partial indexes repeat
    # the columns of their WHERE so that SQLite sees them as covering. Operators and triggers
    # are counted by a skip-scan.
    "CREATE INDEX runs_figures ON runs(process_id, status, practice, duration_ms, "
    "process_version, success, target_ms)",
    "CREATE INDEX runs_durations ON runs(status, practice, duration_ms, process_version, "
    "success, target_ms, process_id)",
    "CREATE INDEX runs_triggers ON runs(trigger, practice, process_id, process_version)",
    "CREATE INDEX runs_repeats ON runs(process_id, practice, process_version, repeats) "
    "WHERE repeats IS NOT NULL",
    "CREATE INDEX run_operators_figures ON run_operators(operator, practice, process_id, "
    "process_version)",
    "CREATE INDEX visits_steps ON visits(process_id, node, practice, duration_ms, "
    "process_version, kind, outcome) WHERE kind = 'step' AND outcome = 'completed'",
    "CREATE INDEX visits_choices ON visits(process_id, node, definition_hash, choice, practice, "
    "process_version, kind, outcome) WHERE kind = 'decision' AND outcome = 'chosen'",
    "CREATE INDEX marks_numbers ON marks(process_id, node, text, practice, number, item, "
    "process_version) WHERE number IS NOT NULL",
    "CREATE INDEX marks_na ON marks(process_id, node, text, na_reason, item, practice, "
    "process_version) WHERE na_reason IS NOT NULL",
    _backfill_v2,
    *VIEWS,
]

# Schema 3: the stored views answer as Datasette asks (under 0.5 s each on 100,000 runs, from
# 1.8 to 4.6 s): two covering indexes led by the version, so that each version's counts stream
# in order and its median walks its own range. The version comes first so that a query that
# does not name one (procedo's figures of all versions) never picks these over the indexes of
# schema 2, which are in the value's order without a sort. Then the views are recreated.
V3: list[str | Callable[[sqlite3.Connection], None]] = [
    "CREATE INDEX visits_step_versions ON visits(process_version, process_id, node, practice, "
    "duration_ms, kind, outcome) WHERE kind = 'step' AND outcome = 'completed'",
    "CREATE INDEX marks_number_versions ON marks(process_version, process_id, node, text, "
    "practice, number, item) WHERE number IS NOT NULL",
    *(f"DROP VIEW IF EXISTS {name}" for name in VIEW_NAMES),
    *VIEWS,
]


def _backfill_v4(conn: sqlite3.Connection) -> None:
    """Fill ``runs.path`` from each run's visits, in visit order (``group_concat`` follows the
    ordered subquery), visits undone with *back* left out: what :func:`rows.path` gives."""
    conn.execute(
        "UPDATE runs SET path = (SELECT group_concat(node, ' ') FROM ("
        "SELECT v.node FROM visits v WHERE v.run_id = runs.id "
        f"AND ({KEPT_VISITS}) ORDER BY v.visit))"
    )


# Schema 4: what the map figures read without touching table rows. Each run's path is stored
# (the commonest path is one grouped walk of ``runs_paths``), and ``visits_moves`` covers the
# grouping of a process's visits by node, outcome and move (in index order, so the groups
# stream). ``practice`` and the version come after the grouped columns: a practice-included
# scope still streams, and the default one skips the few practice rows as it reads. Both
# indexes are partial, so that only a query that states their condition uses them: with no
# condition, SQLite chose ``visits_moves`` over ``visits_steps`` and ``visits_choices`` for the
# medians and the decisions (0.4 s became 5 s), and ``runs_paths`` over
# ``runs_process_status`` for the latest durations (0.1 s became 0.7 s).
V4: list[str | Callable[[sqlite3.Connection], None]] = [
    "ALTER TABLE runs ADD COLUMN path TEXT",
    _backfill_v4,
    "CREATE INDEX visits_moves ON visits(process_id, node, outcome, next_node, definition_hash, "
    f"choice, practice, process_version) WHERE {KEPT_VISITS}",
    "CREATE INDEX runs_paths ON runs(process_id, path, started_at, practice, process_version, "
    "status) WHERE status = 'completed' AND path IS NOT NULL",
]

# Schema 5: what the conditions of issue 10 leave in the record. New columns only, with
# defaults that are what a run of an older procedo gives (no inputs, no deviation, nothing
# inactive, no suggestion, no ``chosen_by``: it is only written at a decision with a basis);
# the definitions' conditions are
# NULL (an older procedo could not read one). The three indexes are partial: the figures of
# deviations, inactive items and suggestions walk them and never the table rows.
V5: list[str | Callable[[sqlite3.Connection], None]] = [
    "ALTER TABLE runs ADD COLUMN inputs TEXT",
    "ALTER TABLE visits ADD COLUMN suggested INTEGER",
    "ALTER TABLE visits ADD COLUMN chosen_by TEXT",
    "ALTER TABLE visits ADD COLUMN override_reason TEXT",
    "ALTER TABLE visits ADD COLUMN basis_values TEXT",
    "ALTER TABLE marks ADD COLUMN deviation INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE marks ADD COLUMN deviation_reason TEXT",
    "ALTER TABLE marks ADD COLUMN inactive INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE items ADD COLUMN value_id TEXT",
    "ALTER TABLE items ADD COLUMN expect TEXT",
    "ALTER TABLE items ADD COLUMN when_condition TEXT",
    "ALTER TABLE options ADD COLUMN when_condition TEXT",
    "ALTER TABLE options ADD COLUMN is_default INTEGER NOT NULL DEFAULT 0",
    "CREATE INDEX visits_bases ON visits(process_id, node, practice, process_version, "
    "chosen_by, suggested, choice, definition_hash) WHERE basis_values IS NOT NULL",
    "CREATE INDEX marks_inactive ON marks(process_id, node, item, practice, process_version, "
    "definition_hash) WHERE inactive = 1",
    "CREATE INDEX marks_recorded ON marks(process_id, node, item, deviation, practice, "
    "process_version, definition_hash) WHERE value IS NOT NULL",
]
