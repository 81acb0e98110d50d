"""Schema 7: what interrupts and deferred items (issue 12) leave in the record.

Two new tables, written by the sink from the state (:mod:`procedo.journal.rows_interrupts`)
and checked by ``procedo verify``: ``interrupts`` (one row per interrupt that started) and
``deferrals`` (one row per deferred item). A definition's interrupts become ``nodes`` rows of
kind "interrupt" (with their ``priority``, NULL for every other node) and their items
``items`` rows, so that the marks of an interrupt's checklist carry their item's text and a
number's value like a step's. ``runs.path`` and ``runs.repeats`` leave interrupt visits out
(an interrupt raised twice is not a loop, and the commonest path is the flow's).

Only a journal that an earlier procedo of issue 12's engine wrote can hold such runs: the
backfill parses the stored definitions, and replays only the runs of those that have an
interrupt or a deferrable item (none, in a journal of an older procedo).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from procedo.engine import Event, RunState, replay
from procedo.engine.errors import ReplayError
from procedo.journal.rows import path, repeats, write_marks
from procedo.journal.rows_interrupts import (
    INTERRUPT_COLUMNS,
    expected_interrupt_rows,
    interrupt_definition_rows,
    write_deferrals,
)
from procedo.model import DefinitionError, ProcessDefinition, parse_definition


def _backfill_v7(conn: sqlite3.Connection) -> None:
    """The interrupt nodes and items of the stored definitions that have interrupts, and the
    rows of the runs of definitions with interrupts or deferrable items."""
    wanted: dict[str, ProcessDefinition] = {}
    for digest, process_id, text in conn.execute(
        "SELECT hash, process_id, toml FROM definitions"
    ).fetchall():
        try:
            definition = parse_definition(text, default_id=process_id, check_texts=False)
        except DefinitionError:
            continue  # a damaged definition: `procedo verify` reports it
        deferrable = any(i.defer_to for s in definition.steps.values() for i in s.items)
        if definition.interrupts or deferrable:
            wanted[digest] = definition
            write_interrupt_definition_rows(conn, digest, definition)
    if not wanted:
        return
    marks = ", ".join("?" for _ in wanted)
    runs = conn.execute(
        f"SELECT id, definition_hash FROM runs WHERE definition_hash IN ({marks})", list(wanted)
    ).fetchall()
    for run_id, digest in runs:
        _backfill_run(conn, run_id, digest, wanted[digest])


def write_interrupt_definition_rows(
    conn: sqlite3.Connection, digest: str, definition: ProcessDefinition
) -> None:
    """The ``nodes`` and ``items`` rows of a definition's interrupts (inside a transaction).

    Replaced, not ignored: an earlier step of an old journal's upgrade writes every node of
    the definition that today's code parses, interrupts included, before ``priority`` exists."""
    nodes, items = interrupt_definition_rows(digest, definition)
    conn.executemany("INSERT OR REPLACE INTO nodes VALUES (?, ?, ?, ?, ?, ?)", nodes)
    conn.executemany(
        "INSERT OR IGNORE INTO items (definition_hash, node, item, text, critical, record, "
        "unit, value_id, expect, when_condition) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        items,
    )


def replayed_run(
    conn: sqlite3.Connection, run_id: str, digest: str, definition: ProcessDefinition
) -> tuple[list[Event], RunState] | None:
    """A stored run's events and its replayed state, for an upgrade's backfill (None for a
    damaged run: `procedo verify` reports it)."""
    events = [
        Event(*row)
        for row in conn.execute(
            "SELECT run_id, seq, ts, actor, kind, node, item, value, reason, hash, branch "
            "FROM events WHERE run_id = ? ORDER BY seq",
            (run_id,),
        )
    ]
    try:
        return events, replay(definition, digest, run_id, events)
    except ReplayError:
        return None


def _backfill_run(
    conn: sqlite3.Connection, run_id: str, digest: str, definition: ProcessDefinition
) -> None:
    replayed = replayed_run(conn, run_id, digest, definition)
    if replayed is None:
        return
    events, state = replayed
    conn.execute(
        "UPDATE runs SET path = ?, repeats = ? WHERE id = ?", (path(state), repeats(state), run_id)
    )
    for row in expected_interrupt_rows(state, events, definition):
        columns = ("run_id", *INTERRUPT_COLUMNS)
        conn.execute(
            f"INSERT OR REPLACE INTO interrupts ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})",
            [row[c] for c in columns],
        )
        write_marks(conn, state, state.visits[row["visit"]])
    write_deferrals(conn, state, events)


V7: list[str | Callable[[sqlite3.Connection], None]] = [
    "ALTER TABLE nodes ADD COLUMN priority TEXT",
    """
    CREATE TABLE interrupts (
        run_id           TEXT NOT NULL REFERENCES runs(id),
        seq              INTEGER NOT NULL,
        visit            INTEGER NOT NULL,
        process_id       TEXT NOT NULL,
        process_version  TEXT NOT NULL,
        definition_hash  TEXT NOT NULL,
        practice         INTEGER NOT NULL,
        interrupt        TEXT NOT NULL,
        priority         TEXT,
        interrupted_node TEXT,
        interrupted_item INTEGER,
        started_at       TEXT NOT NULL,
        ended_at         TEXT,
        duration_ms      INTEGER,
        outcome          TEXT,
        after            TEXT,
        PRIMARY KEY (run_id, seq)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE deferrals (
        run_id          TEXT NOT NULL REFERENCES runs(id),
        seq             INTEGER NOT NULL,
        visit           INTEGER NOT NULL,
        process_id      TEXT NOT NULL,
        process_version TEXT NOT NULL,
        definition_hash TEXT NOT NULL,
        practice        INTEGER NOT NULL,
        node            TEXT NOT NULL,
        item            INTEGER NOT NULL,
        text            TEXT,
        reason          TEXT NOT NULL,
        defer_to        TEXT,
        passed          INTEGER NOT NULL,
        actor           TEXT,
        deferred_at     TEXT,
        done_at         TEXT,
        done_by         TEXT,
        done_visit      INTEGER,
        done_node       TEXT,
        value           TEXT,
        na_reason       TEXT,
        PRIMARY KEY (run_id, seq)
    ) WITHOUT ROWID
    """,
    # The figures of interrupts and deferrals walk these and never the table rows: how often
    # each interrupt starts and its median duration (practice before the duration, so that
    # the default scope is one range in order), where it interrupts, and each item's
    # deferrals by reason.
    "CREATE INDEX interrupts_figures ON interrupts(process_id, interrupt, practice, "
    "duration_ms, process_version, outcome)",
    "CREATE INDEX interrupts_nodes ON interrupts(process_id, interrupt, interrupted_node, "
    "practice, process_version)",
    "CREATE INDEX deferrals_figures ON deferrals(process_id, node, item, reason, practice, "
    "process_version, done_visit, text)",
    _backfill_v7,
]

V7_TABLES = ("interrupts", "deferrals")
V7_INDEXES = ("interrupts_figures", "interrupts_nodes", "deferrals_figures")
