"""Take a journal of schema 5 back to schema 4 (for the tests of older journals upgrading)."""

from __future__ import annotations

import sqlite3

from procedo.journal.schema_v6 import V6_COLUMNS, V6_INDEXES
from schema7_downgrade import drop_schema_7
from schema8_downgrade import views_set_aside

SCHEMA_5_INDEXES = ("visits_bases", "marks_inactive", "marks_recorded")
SCHEMA_5_COLUMNS = {
    "runs": ("inputs",),
    "visits": ("suggested", "chosen_by", "override_reason", "basis_values"),
    "marks": ("deviation", "deviation_reason", "inactive"),
    "items": ("value_id", "expect", "when_condition"),
    "options": ("when_condition", "is_default"),
}


def drop_schema_5(conn: sqlite3.Connection) -> None:
    """Drop what migrations 7, 6 and 5 add, and say the file is of schema 4."""
    with views_set_aside(conn):
        drop_schema_7(conn)
        for index in V6_INDEXES:
            conn.execute(f"DROP INDEX IF EXISTS {index}")
        for table, columns in V6_COLUMNS.items():
            for column in columns:
                conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        for index in SCHEMA_5_INDEXES:
            conn.execute(f"DROP INDEX {index}")
        for table, columns in SCHEMA_5_COLUMNS.items():
            for column in columns:
                conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    conn.execute("PRAGMA user_version = 4")
