"""Take a journal of schema 7 back to schema 6 (for the tests of older journals upgrading)."""

from __future__ import annotations

import sqlite3

from procedo.journal.schema_v7 import V7_INDEXES, V7_TABLES
from schema8_downgrade import drop_schema_8, views_set_aside


def drop_schema_7(conn: sqlite3.Connection) -> None:
    """Drop what migration 7 adds (the tables, their indexes, the interrupts' node and item
    rows, ``nodes.priority``) and say the file is of schema 6. The runs' ``path`` and
    ``repeats`` are left as schema 7 wrote them (the same for a run without interrupts).
    Migration 8 is dropped first."""
    drop_schema_8(conn)
    for index in V7_INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {index}")
    for table in V7_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute(
        "DELETE FROM items WHERE EXISTS (SELECT 1 FROM nodes n WHERE n.kind = 'interrupt' "
        "AND n.definition_hash = items.definition_hash AND n.node = items.node)"
    )
    conn.execute("DELETE FROM nodes WHERE kind = 'interrupt'")
    with views_set_aside(conn):
        conn.execute("ALTER TABLE nodes DROP COLUMN priority")
    conn.execute("PRAGMA user_version = 6")
