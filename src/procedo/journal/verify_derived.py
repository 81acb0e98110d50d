"""The derived tables that history and metrics read, compared with what the events and the
stored definitions give: a run's ``runs`` row, its ``visits``, ``marks`` and ``run_operators``
rows (as read by the caller), and a definition's ``process_id``, ``title``, ``version`` and
``target_ms`` columns and its ``nodes``, ``items`` and ``options`` rows. An edit there changes
history and figures without touching any chain."""

from __future__ import annotations

import sqlite3
import threading
from functools import lru_cache
from typing import Any

from procedo.engine import RunState
from procedo.engine.targets import target_ms
from procedo.journal.rows import definition_rows, mark_rows, run_row, visit_row
from procedo.journal.store import Journal
from procedo.model import ProcessDefinition

RUN_KEY_COLUMNS = ("id", "definition_hash", "last_hash")
"""The ``runs`` columns the chain itself checks (the seed and the last event)."""
VISIT_COLUMNS = (
    "visit",
    "process_id",
    "node",
    "kind",
    "entered_at",
    "left_at",
    "duration_ms",
    "outcome",
    "choice",
    "next_node",
    "process_version",
    "definition_hash",
    "practice",
    "suggested",
    "chosen_by",
    "override_reason",
    "basis_values",
    "branch",
    "child_run",
    "child_outcome",
    "run_completed",
    "paused_ms",
    "interrupted_ms",
)
"""The columns of a ``visits`` row after its run id, as :func:`visit_row` gives them."""
OPERATOR_COLUMNS = ("operator", "process_id", "process_version", "practice")

MARK_COLUMNS = (
    "visit",
    "item",
    "process_id",
    "process_version",
    "definition_hash",
    "practice",
    "node",
    "text",
    "value",
    "number",
    "na_reason",
    "actor",
    "at",
    "deviation",
    "deviation_reason",
    "inactive",
)
_TABLE_COLUMNS = {
    "nodes": "definition_hash, node, kind, title, position, priority",
    "items": "definition_hash, node, item, text, critical, record, unit, value_id, expect, "
    "when_condition",
    "options": "definition_hash, node, option, label, next, when_condition, is_default",
}
_TABLE_ORDER = {"nodes": "node", "items": "node, item", "options": "node, option"}


def definition_problem(journal: Journal, digest: str, stored: dict[str, Any]) -> str | None:
    """Why a stored definition's process id, title, version, target, nodes, items or options
    disagree with its text (already known to match its hash), or None."""
    definition = journal.definition(digest)
    derived = (
        ("process_id", definition.id),
        ("title", definition.title),
        ("version", definition.version),
        ("target_ms", target_ms(definition)),
    )
    for column, value in derived:
        if stored[column] != value:
            held = stored[column]
            return f"its stored definition's {column} is {held!r}, its text gives {value!r}"
    for table, rows in definition_rows(digest, definition).items():
        held = journal.rows(
            f"SELECT {_TABLE_COLUMNS[table]} FROM {table} WHERE definition_hash = ? "
            f"ORDER BY {_TABLE_ORDER[table]}",
            (digest,),
        )
        key = _TABLE_ORDER[table].split(", ")
        wanted = sorted(rows, key=lambda row: tuple(row[1 : 1 + len(key)]))
        if [tuple(row.values()) for row in held] != wanted:
            return f"its stored definition's {table} rows disagree with its text"
    return None


def derived_problem(
    stored: dict[str, Any],
    visits: list[tuple[Any, ...]],
    marks: list[tuple[Any, ...]],
    operators: list[tuple[Any, ...]],
    state: RunState,
    definition: ProcessDefinition,
) -> str | None:
    """Why a run's ``runs`` row or its ``visits``, ``marks`` and ``run_operators`` rows
    (without their run id, in key order) disagree with its replayed state, or None."""
    return (
        _run_problem(stored, state, definition)
        or _visits_problem(visits, state)
        or marks_problem(marks, state, definition)
        or operators_problem(operators, state)
    )


def _run_problem(
    stored: dict[str, Any], state: RunState, definition: ProcessDefinition
) -> str | None:
    expected = run_row(state)
    expected["target_ms"] = target_ms(definition)
    for column, value in expected.items():
        if column not in RUN_KEY_COLUMNS and stored.get(column) != value:
            source = "its definition gives" if column == "target_ms" else "its events give"
            return f"the run record's {column} is {stored.get(column)!r}, {source} {value!r}"
    return None


def _visits_problem(held: list[tuple[Any, ...]], state: RunState) -> str | None:
    if len(held) != len(state.visits):
        return f"the journal holds {len(held)} visit rows, its events give {len(state.visits)}"
    for row, visit in zip(held, state.visits, strict=True):
        expected = visit_row(state, visit)
        wanted = tuple(expected[column] for column in VISIT_COLUMNS)
        if row != wanted:
            for column, have, want in zip(VISIT_COLUMNS, row, wanted, strict=True):
                if have != want:
                    return (
                        f"visit {expected['visit']}'s {column} is {have!r}, "
                        f"its events give {want!r}"
                    )
    return None


def marks_problem(
    held: list[tuple[Any, ...]], state: RunState, definition: ProcessDefinition
) -> str | None:
    """Why a run's ``marks`` rows (``MARK_COLUMNS``, by visit and item) disagree with its
    replayed visits, or None."""
    expected = [
        _expected_mark(row, definition) for visit in state.visits for row in mark_rows(state, visit)
    ]
    if len(held) != len(expected):
        return f"the journal holds {len(held)} mark rows, its events give {len(expected)}"
    for row, mark in zip(held, expected, strict=True):
        wanted = tuple(mark[column] for column in MARK_COLUMNS)
        if row == wanted:
            continue
        for column, have, want in zip(MARK_COLUMNS, row, wanted, strict=True):
            if have != want:
                where = f"visit {mark['visit']} item {mark['item'] + 1}"
                return f"the mark of {where}: {column} is {have!r}, its events give {want!r}"
    return None


_CAST = sqlite3.connect(":memory:", check_same_thread=False)
_CAST_LOCK = threading.Lock()


@lru_cache(maxsize=65_536)
def sqlite_real(text: str) -> float:
    """``CAST(text AS REAL)`` exactly as SQLite computes it, which is how the sink writes
    ``marks.number``. Python's ``float()`` differs by one unit in the last place for some
    values (``'4.223350460356374e-305'``), and SQLite reads a leading number from any text."""
    with _CAST_LOCK:
        return _CAST.execute("SELECT CAST(? AS REAL)", (text,)).fetchone()[0]


def _expected_mark(row: dict[str, Any], definition: ProcessDefinition) -> dict[str, Any]:
    step = definition.checklists.get(row["node"])
    item = step.items[row["item"]] if step and row["item"] < len(step.items) else None
    number = None
    if item is not None and item.record == "number" and row["value"] is not None:
        number = sqlite_real(row["value"])
    return {**row, "text": item.text if item else None, "number": number}


def operators_problem(held_rows: list[tuple[Any, ...]], state: RunState) -> str | None:
    """Why a run's ``run_operators`` rows (``OPERATOR_COLUMNS``) disagree with its replayed
    operators, or None."""
    held = set(held_rows)
    expected = {
        (name, state.process_id, state.process_version, int(state.practice))
        for name in state.operators
    }
    if held == expected:
        return None
    extra = sorted(str(row[0]) for row in held - expected)
    missing = sorted(str(row[0]) for row in expected - held)
    parts = []
    if extra:
        parts.append(f"rows its events do not give ({', '.join(map(repr, extra))})")
    if missing:
        parts.append(f"no row for {', '.join(map(repr, missing))}")
    return "the run's operators table has " + "; ".join(parts)
