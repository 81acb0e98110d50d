"""Map a run's state to its ``runs``, ``visits`` and ``marks`` rows, and a definition to its
``nodes``, ``items`` and ``options`` rows."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from typing import Any

from procedo.engine import RunState, Visit, iso_from_ms
from procedo.engine.targets import target_ms
from procedo.journal.rows_interrupts import interrupt_definition_rows
from procedo.model import ProcessDefinition, parse_definition


def run_row(state: RunState) -> dict[str, Any]:
    """The ``runs`` row for a state (all columns but the id's constants)."""
    return {
        "id": state.run_id,
        "process_id": state.process_id,
        "process_version": state.process_version,
        "definition_hash": state.definition_hash,
        "operator": state.operator,
        "operators": json.dumps(state.operators, ensure_ascii=False),
        "trigger": state.trigger,
        "practice": int(state.practice),
        "status": state.status,
        "current_node": state.current_node,
        "end_node": state.end_node,
        "success": None if state.success is None else int(state.success),
        "abort_reason": state.abort_reason,
        "started_at": iso_from_ms(state.started_ms or 0),
        "ended_at": iso_from_ms(state.ended_ms) if state.ended_ms is not None else None,
        "duration_ms": state.duration_ms,
        "updated_at": iso_from_ms(state.last_ms),
        "last_seq": state.last_seq,
        "last_hash": state.last_hash,
        "repeats": repeats(state),
        "path": path(state),
        "inputs": json.dumps(state.inputs, ensure_ascii=False) if state.inputs else None,
        "parent_run": state.parent_run,
        "parent_step": state.parent_step,
    }


def visit_row(state: RunState, visit: Visit) -> dict[str, Any]:
    """The ``visits`` row of one visit."""
    return {
        "run_id": state.run_id,
        "visit": visit.index,
        "process_id": state.process_id,
        "node": visit.node,
        "kind": visit.kind,
        "entered_at": iso_from_ms(visit.entered_ms),
        "left_at": iso_from_ms(visit.left_ms) if visit.left_ms is not None else None,
        "duration_ms": visit.duration_ms,
        "outcome": visit.outcome,
        "choice": visit.choice,
        "next_node": visit.next_node,
        "process_version": state.process_version,
        "definition_hash": state.definition_hash,
        "practice": int(state.practice),
        "branch": visit.branch or None,
        "child_run": visit.child_run,
        "child_outcome": visit.child_outcome,
        **decision_columns(visit),
        "run_completed": int(state.status == "completed"),
        "paused_ms": visit.paused_ms,
        "interrupted_ms": visit.interrupted_ms,
    }


def decision_columns(visit: Visit) -> dict[str, Any]:
    """A decision visit's ``suggested``, ``chosen_by``, ``override_reason`` and
    ``basis_values`` (all None for a step, an end, or a decision not yet left by a choice;
    ``basis_values`` None when the decision had no basis). ``chosen_by`` is only written at a
    decision with a basis: elsewhere a person chose, as in every run of an older procedo, so
    a journal upgraded to schema 5 needs no rewrite of its visits)."""
    basis = visit.basis
    return {
        "suggested": basis.suggested if basis is not None else None,
        "chosen_by": visit.chosen_by if basis is not None else None,
        "override_reason": visit.override_reason,
        "basis_values": (
            json.dumps(basis.values, ensure_ascii=False, sort_keys=True)
            if basis is not None
            else None
        ),
    }


def upsert_sql(table: str, row: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, list[Any]]:
    """An ``INSERT ... ON CONFLICT DO UPDATE`` statement for ``row``."""
    columns = list(row)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT({', '.join(keys)}) DO UPDATE SET {updates}"
    )
    return sql, [row[c] for c in columns]


def definition_rows(digest: str, definition: ProcessDefinition) -> dict[str, list[tuple[Any, ...]]]:
    """The ``nodes``, ``items`` and ``options`` rows of a stored definition."""
    nodes: list[tuple[Any, ...]] = []
    items: list[tuple[Any, ...]] = []
    options: list[tuple[Any, ...]] = []
    for position, node_id in enumerate(definition.node_ids()):
        kind = definition.kind_of(node_id)
        if kind == "step":
            step = definition.steps[node_id]
            nodes.append((digest, node_id, kind, step.title, position, None))
            for index, item in enumerate(step.items):
                row = (digest, node_id, index, item.text, int(item.critical), item.record)
                items.append((*row, item.unit, item.id, item.expect, item.when))
        elif kind == "decision":
            decision = definition.decisions[node_id]
            nodes.append((digest, node_id, kind, decision.question, position, None))
            for index, option in enumerate(decision.options):
                row = (digest, node_id, index, option.label, option.next)
                options.append((*row, option.when, int(option.default)))
        elif kind == "parallel":
            title = definition.parallel[node_id].title
            nodes.append((digest, node_id, kind, title, position, None))
        else:
            nodes.append((digest, node_id, kind, definition.ends[node_id].title, position, None))
    more_nodes, more_items = interrupt_definition_rows(digest, definition)
    return {"nodes": nodes + more_nodes, "items": items + more_items, "options": options}


_DEFINITION_ROW_SQL = {
    "nodes": "INSERT OR IGNORE INTO nodes (definition_hash, node, kind, title, position, "
    "priority) VALUES (?, ?, ?, ?, ?, ?)",
    "items": "INSERT OR IGNORE INTO items (definition_hash, node, item, text, critical, record, "
    "unit, value_id, expect, when_condition) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "options": "INSERT OR IGNORE INTO options (definition_hash, node, option, label, next, "
    "when_condition, is_default) VALUES (?, ?, ?, ?, ?, ?, ?)",
}


def insert_definition(
    conn: sqlite3.Connection,
    digest: str,
    process_id: str,
    text: str,
    source_path: str | None,
    now_ms: int,
) -> None:
    """Store a definition's text once, with its rows (inside the caller's transaction)."""
    definition = parse_definition(text, default_id=process_id)
    conn.execute(
        "INSERT OR IGNORE INTO definitions "
        "(hash, process_id, version, title, toml, source_path, first_seen, target_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            digest,
            process_id,
            definition.version,
            definition.title,
            text,
            source_path,
            iso_from_ms(now_ms),
            target_ms(definition),
        ),
    )
    write_definition_rows(conn, digest, definition)


def write_definition_rows(
    conn: sqlite3.Connection, digest: str, definition: ProcessDefinition
) -> None:
    """Store a definition's nodes, items and options (inside the caller's transaction)."""
    for table, rows in definition_rows(digest, definition).items():
        conn.executemany(_DEFINITION_ROW_SQL[table], rows)


def repeats(state: RunState) -> str | None:
    """JSON ``{node: visits}`` of the nodes visited more than once (visits undone with *back*
    and interrupts not counted), or None when the run has no loop."""
    counts = Counter(visit.node for visit in _flow_visits(state))
    looped = {node: count for node, count in sorted(counts.items()) if count > 1}
    return json.dumps(looped, ensure_ascii=False) if looped else None


def _flow_visits(state: RunState) -> list[Visit]:
    """The visits of the flow: not undone with *back*, not an interrupt's checklist."""
    return [v for v in state.visits if v.outcome != "back" and v.kind != "interrupt"]


PATH_SEPARATOR = " "
"""Between the node ids of ``runs.path`` (a node id never holds a space)."""


def path(state: RunState) -> str | None:
    """The node ids of the run's visits in order (visits undone with *back* and interrupts'
    checklists left out), joined by :data:`PATH_SEPARATOR` (None before the first visit):
    what the commonest path groups."""
    kept = [visit.node for visit in _flow_visits(state)]
    return PATH_SEPARATOR.join(kept) if kept else None


def mark_rows(state: RunState, visit: Visit) -> list[dict[str, Any]]:
    """The ``marks`` of a visit: items that hold a value or a not-applicable mark, or that
    were switched off (inactive: such a row holds no value and no not-applicable reason, so
    that it is counted as inactive only, never as done or not applicable)."""
    return [
        {
            "run_id": state.run_id,
            "visit": visit.index,
            "item": item,
            "process_id": state.process_id,
            "process_version": state.process_version,
            "definition_hash": state.definition_hash,
            "practice": int(state.practice),
            "node": visit.node,
            "value": None if mark.inactive else mark.value,
            "na_reason": None if mark.inactive else mark.na_reason,
            "actor": mark.by,
            "at": mark.at,
            "deviation": int(mark.deviation and not mark.inactive),
            "deviation_reason": None if mark.inactive else mark.deviation_reason,
            "inactive": int(mark.inactive),
        }
        for item, mark in sorted(visit.items.items())
        if mark.value is not None or mark.na_reason is not None or mark.inactive
    ]


# The item's text and, for a number item, the value as REAL come from the ``items`` table.
_MARK_SQL = """
INSERT INTO marks (run_id, visit, item, process_id, process_version, definition_hash, practice,
    node, text, value, number, na_reason, actor, at, deviation, deviation_reason, inactive)
SELECT :run_id, :visit, :item, :process_id, :process_version, :definition_hash, :practice,
    :node, i.text, :value,
    CASE WHEN i.record = 'number' AND :value IS NOT NULL THEN CAST(:value AS REAL) END,
    :na_reason, :actor, :at, :deviation, :deviation_reason, :inactive
FROM (SELECT 1) LEFT JOIN items i
    ON i.definition_hash = :definition_hash AND i.node = :node AND i.item = :item
"""


def write_marks(conn: sqlite3.Connection, state: RunState, visit: Visit) -> None:
    """Replace a visit's ``marks`` rows with what its items hold now."""
    conn.execute("DELETE FROM marks WHERE run_id = ? AND visit = ?", (state.run_id, visit.index))
    conn.executemany(_MARK_SQL, mark_rows(state, visit))


def write_operators(conn: sqlite3.Connection, state: RunState) -> None:
    """Add the run's operators to ``run_operators`` (a run's operators are never removed)."""
    conn.executemany(
        "INSERT OR IGNORE INTO run_operators "
        "(run_id, operator, process_id, process_version, practice) VALUES (?, ?, ?, ?, ?)",
        [
            (state.run_id, name, state.process_id, state.process_version, int(state.practice))
            for name in state.operators
        ],
    )
