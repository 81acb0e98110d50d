"""What verify reads of each run: its ``runs`` row, events, visits, marks, operators,
interrupts and deferrals rows.

The whole journal is read as one pass over each table in primary-key order (every table is
keyed by the run id first), merged run by run, so memory holds one run at a time whatever the
size of the journal; a few chosen runs are read with one query per table each.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any

from procedo.journal.connection import describe_sqlite_error
from procedo.journal.errors import JournalError
from procedo.journal.rows_interrupts import DEFERRAL_COLUMNS, INTERRUPT_COLUMNS
from procedo.journal.store import Journal
from procedo.journal.verify_derived import MARK_COLUMNS, OPERATOR_COLUMNS, VISIT_COLUMNS

_EVENTS = "run_id, seq, ts, actor, kind, node, item, value, reason, hash, branch"
_TABLES = {
    "events": (_EVENTS, "seq"),
    "visits": (", ".join(("run_id", *VISIT_COLUMNS)), "visit"),
    "marks": (", ".join(("run_id", *MARK_COLUMNS)), "visit, item"),
    "run_operators": (", ".join(("run_id", *OPERATOR_COLUMNS)), "operator"),
    "interrupts": (", ".join(("run_id", *INTERRUPT_COLUMNS)), "seq"),
    "deferrals": (", ".join(("run_id", *DEFERRAL_COLUMNS)), "seq"),
}
_FIELDS = {"run_operators": "operators"}
"""The :class:`RunRows` field of a table, where it is not the table's name."""


@dataclass(slots=True)
class RunRows:
    """One run as the journal holds it (``run`` is None for events of no run record): event
    rows as tuples, the rows of the derived tables as tuples without their run id."""

    run_id: Any
    run: dict[str, Any] | None
    events: list[tuple[Any, ...]] = field(default_factory=list)
    visits: list[tuple[Any, ...]] = field(default_factory=list)
    marks: list[tuple[Any, ...]] = field(default_factory=list)
    operators: list[tuple[Any, ...]] = field(default_factory=list)
    interrupts: list[tuple[Any, ...]] = field(default_factory=list)
    deferrals: list[tuple[Any, ...]] = field(default_factory=list)


def chosen_runs(journal: Journal, run_ids: list[str]) -> Iterator[RunRows]:
    """The given runs, in that order (runs with no record are left out)."""
    for run_id in run_ids:
        found = journal.rows("SELECT * FROM runs WHERE id = ?", (run_id,))
        if not found:
            continue
        rows = RunRows(run_id, found[0])
        for table, (columns, order) in _TABLES.items():
            held = journal.iter_rows(
                f"SELECT {columns} FROM {table} WHERE run_id = ? ORDER BY {order}", (run_id,)
            )
            _fill(rows, table, list(held))
        yield rows


def all_runs(journal: Journal) -> Iterator[RunRows]:
    """Every run in id order, and among them, where their ids fall, the events of no run
    record (``run`` None)."""
    runs = _described(journal, "SELECT * FROM runs ORDER BY id")
    streams = {
        table: _Grouped(
            journal.iter_rows(f"SELECT {columns} FROM {table} ORDER BY run_id, {order}")
        )
        for table, (columns, order) in _TABLES.items()
    }
    events = streams["events"]
    for run in runs:
        run_id = run["id"]
        while events.key_before(run_id):  # events of no run record
            orphan = RunRows(events.key, None)
            _fill(orphan, "events", events.take())
            yield orphan
        rows = RunRows(run_id, run)
        for table, stream in streams.items():
            stream.skip_before(run_id)  # rows of no run record (events: taken above)
            if stream.key == run_id:
                _fill(rows, table, stream.take())
        yield rows
    while not events.done:
        orphan = RunRows(events.key, None)
        _fill(orphan, "events", events.take())
        yield orphan


def _fill(rows: RunRows, table: str, held: list[tuple[Any, ...]]) -> None:
    if table == "events":
        rows.events = held
    else:
        setattr(rows, _FIELDS.get(table, table), [row[1:] for row in held])


def _described(journal: Journal, sql: str) -> Iterator[dict[str, Any]]:
    """Rows as dicts, streamed."""
    try:
        cursor = journal.db.conn.execute(sql)
        names = [column[0] for column in cursor.description]
        for row in cursor:
            yield dict(zip(names, row, strict=True))
    except sqlite3.DatabaseError as error:
        raise JournalError(f"cannot read the journal: {describe_sqlite_error(error)}") from None


class _Grouped:
    """A table's rows in run id order, taken one run's group at a time."""

    def __init__(self, rows: Iterator[tuple[Any, ...]]) -> None:
        self._groups = groupby(rows, key=itemgetter(0))
        self.done = False
        self.key: Any = None
        self._group: Iterator[tuple[Any, ...]] = iter(())
        self._advance()

    def _advance(self) -> None:
        try:
            self.key, self._group = next(self._groups)
        except StopIteration:
            self.done, self.key = True, None

    def key_before(self, run_id: Any) -> bool:
        """True when the next group belongs to a run before ``run_id``."""
        return not self.done and _sqlite_order(self.key) < _sqlite_order(run_id)

    def skip_before(self, run_id: Any) -> None:
        """Drop the groups before ``run_id``."""
        while self.key_before(run_id):
            self.take()

    def take(self) -> list[tuple[Any, ...]]:
        """The current group's rows; moves to the next group."""
        held = list(self._group)
        self._advance()
        return held


def _sqlite_order(value: Any) -> tuple[int, Any]:
    """A sort key that orders values as SQLite does: NULL, numbers, text, blobs."""
    if isinstance(value, str):
        return 2, value
    if isinstance(value, bytes):
        return 3, value
    if value is None:
        return 0, 0
    return 1, value
