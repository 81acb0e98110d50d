"""Map a run's state to its ``runs`` row and ``visits`` rows."""

from __future__ import annotations

import json
from typing import Any

from procedo.engine import RunState, Visit, iso_from_ms


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
