"""The derived tables that history and metrics read, compared with what the events and the
stored definitions give: ``marks`` and ``run_operators`` of a run, and a definition's
``process_id``, ``title``, ``version`` and ``target_ms`` columns and its ``nodes``, ``items``
and ``options`` rows. An edit there changes history and figures without touching any chain."""

from __future__ import annotations

from typing import Any

from procedo.engine import RunState
from procedo.engine.targets import target_ms
from procedo.journal.rows import definition_rows, mark_rows
from procedo.journal.store import Journal
from procedo.model import ProcessDefinition

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
)
_TABLE_COLUMNS = {
    "nodes": "definition_hash, node, kind, title, position",
    "items": "definition_hash, node, item, text, critical, record, unit",
    "options": "definition_hash, node, option, label, next",
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


def marks_problem(journal: Journal, state: RunState, definition: ProcessDefinition) -> str | None:
    """Why a run's ``marks`` rows disagree with its replayed visits, or None."""
    expected = [
        _expected_mark(row, definition) for visit in state.visits for row in mark_rows(state, visit)
    ]
    held = journal.rows(
        f"SELECT {', '.join(MARK_COLUMNS)} FROM marks WHERE run_id = ? ORDER BY visit, item",
        (state.run_id,),
    )
    if len(held) != len(expected):
        return f"the journal holds {len(held)} mark rows, its events give {len(expected)}"
    for row, mark in zip(held, expected, strict=True):
        for column in MARK_COLUMNS:
            if row[column] != mark[column]:
                where = f"visit {mark['visit']} item {mark['item'] + 1}"
                return (
                    f"the mark of {where}: {column} is {row[column]!r}, "
                    f"its events give {mark[column]!r}"
                )
    return None


def _expected_mark(row: dict[str, Any], definition: ProcessDefinition) -> dict[str, Any]:
    step = definition.steps.get(row["node"])
    item = step.items[row["item"]] if step and row["item"] < len(step.items) else None
    number = None
    if item is not None and item.record == "number" and row["value"] is not None:
        try:
            number = float(row["value"])
        except ValueError:
            number = 0.0  # what SQLite's CAST gives for text that is not a number
    return {**row, "text": item.text if item else None, "number": number}


def operators_problem(journal: Journal, state: RunState) -> str | None:
    """Why a run's ``run_operators`` rows disagree with its replayed operators, or None."""
    held = {
        tuple(row.values())
        for row in journal.rows(
            "SELECT operator, process_id, process_version, practice FROM run_operators "
            "WHERE run_id = ?",
            (state.run_id,),
        )
    }
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
