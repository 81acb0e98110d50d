"""The ``interrupts`` and ``deferrals`` rows of a run (schema 7), and an interrupt's node and
item rows in a definition's ``nodes`` and ``items``.

An interrupts row is one interrupt that started (a queued one gets its row when it starts):
its checklist's visit, with what it interrupted (the node and the item of the event that
opened it), how long it took (its visit's active time) and how it ended (``outcome``
"returned", "after", "interrupted" when a higher one led elsewhere, "aborted"; NULL while
open; ``after`` "return" or the node the run went on at). A deferrals row is one deferred
item: where and why it was deferred, where it was to be done, and once done, when, by whom,
where, with its value or not-applicable reason.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from procedo.engine import Event, RunState, Visit, iso_from_ms
from procedo.model import ProcessDefinition

INTERRUPT_COLUMNS = (
    "seq",
    "visit",
    "process_id",
    "process_version",
    "definition_hash",
    "practice",
    "interrupt",
    "priority",
    "interrupted_node",
    "interrupted_item",
    "started_at",
    "ended_at",
    "duration_ms",
    "outcome",
    "after",
)
"""The columns of an ``interrupts`` row after its run id."""

DEFERRAL_COLUMNS = (
    "seq",
    "visit",
    "process_id",
    "process_version",
    "definition_hash",
    "practice",
    "node",
    "item",
    "text",
    "reason",
    "defer_to",
    "passed",
    "actor",
    "deferred_at",
    "done_at",
    "done_by",
    "done_visit",
    "done_node",
    "value",
    "na_reason",
)
"""The columns of a ``deferrals`` row after its run id."""


def interrupt_definition_rows(
    digest: str, definition: ProcessDefinition
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The ``nodes`` rows (kind "interrupt", with the priority; positions after every node)
    and the ``items`` rows of a definition's interrupts."""
    nodes: list[tuple[Any, ...]] = []
    items: list[tuple[Any, ...]] = []
    first = len(definition.node_ids())
    for position, (key, interrupt) in enumerate(definition.interrupts.items(), first):
        nodes.append((digest, key, "interrupt", interrupt.title, position, interrupt.priority))
        for index, item in enumerate(interrupt.as_step().items):
            row = (digest, key, index, item.text, int(item.critical), item.record)
            items.append((*row, item.unit, item.id, item.expect, item.when))
    return nodes, items


def interrupt_visits(state: RunState) -> list[Visit]:
    """The visits of the interrupts' checklists, in the order they started."""
    return [visit for visit in state.visits if visit.kind == "interrupt"]


def interrupt_row(
    state: RunState, visit: Visit, opening: Event | None = None, priority: str | None = None
) -> dict[str, Any]:
    """The ``interrupts`` row of an interrupt's visit; ``opening``: the event that started
    it (its ``value`` is the node interrupted, its ``item`` the item highlighted there)."""
    return {
        "run_id": state.run_id,
        "seq": visit.entered_seq,
        "visit": visit.index,
        "process_id": state.process_id,
        "process_version": state.process_version,
        "definition_hash": state.definition_hash,
        "practice": int(state.practice),
        "interrupt": visit.node,
        "priority": priority,
        "interrupted_node": opening.value if opening is not None else None,
        "interrupted_item": opening.item if opening is not None else None,
        "started_at": iso_from_ms(visit.entered_ms),
        "ended_at": iso_from_ms(visit.left_ms) if visit.left_ms is not None else None,
        "duration_ms": visit.duration_ms,
        "outcome": visit.outcome,
        "after": visit.next_node,
    }


def expected_interrupt_rows(
    state: RunState, events: Sequence[Event], definition: ProcessDefinition
) -> list[dict[str, Any]]:
    """Every ``interrupts`` row of a replayed run (``events``: all of its events, in order)."""
    rows = []
    for visit in interrupt_visits(state):
        found = definition.interrupts.get(visit.node)
        priority = found.priority if found is not None else None
        rows.append(interrupt_row(state, visit, events[visit.entered_seq - 1], priority))
    return rows


def deferral_rows(
    state: RunState, definition: ProcessDefinition | None = None
) -> list[dict[str, Any]]:
    """Every ``deferrals`` row of a run, in the order deferred. ``text`` is the item's text
    from ``definition`` (None without one: the sink takes it from the ``items`` table)."""
    rows = []
    for d in state.deferrals:
        mark = d.mark if d.done_visit is not None else None
        step = definition.steps.get(d.node) if definition is not None else None
        text = step.items[d.item].text if step is not None and d.item < len(step.items) else None
        done = state.visits[d.done_visit] if d.done_visit is not None else None
        rows.append(
            {
                "run_id": state.run_id,
                "seq": d.seq,
                "visit": d.visit,
                "process_id": state.process_id,
                "process_version": state.process_version,
                "definition_hash": state.definition_hash,
                "practice": int(state.practice),
                "node": d.node,
                "item": d.item,
                "text": text,
                "reason": d.reason,
                "defer_to": d.to,
                "passed": int(d.passed),
                "actor": d.by,
                "deferred_at": d.at,
                "done_at": mark.at if mark is not None else None,
                "done_by": mark.by if mark is not None else None,
                "done_visit": d.done_visit,
                "done_node": done.node if done is not None else None,
                "value": mark.value if mark is not None else None,
                "na_reason": mark.na_reason if mark is not None else None,
            }
        )
    return rows


# The interrupted node and item come from the event that opened it (in this transaction or
# an earlier one), the priority from the definition's ``nodes`` row.
_INTERRUPT_SQL = f"""
INSERT INTO interrupts (run_id, {", ".join(INTERRUPT_COLUMNS)})
SELECT :run_id, :seq, :visit, :process_id, :process_version, :definition_hash, :practice,
    :interrupt,
    (SELECT n.priority FROM nodes n WHERE n.definition_hash = :definition_hash
        AND n.node = :interrupt),
    e.value, e.item, :started_at, :ended_at, :duration_ms, :outcome, :after
FROM events e WHERE e.run_id = :run_id AND e.seq = :seq
ON CONFLICT(run_id, seq) DO UPDATE SET ended_at = excluded.ended_at,
    duration_ms = excluded.duration_ms, outcome = excluded.outcome, after = excluded.after
"""

_DEFERRAL_SQL = f"""
INSERT INTO deferrals (run_id, {", ".join(DEFERRAL_COLUMNS)})
SELECT {", ".join(":" + c if c != "text" else "i.text" for c in ("run_id", *DEFERRAL_COLUMNS))}
FROM (SELECT 1) LEFT JOIN items i
    ON i.definition_hash = :definition_hash AND i.node = :node AND i.item = :item
"""

_DEFERRAL_CHANGES = frozenset({"uncheck", "back"})
"""Events that can take deferrals away (so a run without deferrals now may have rows)."""


def write_interrupts(conn: sqlite3.Connection, state: RunState, visits: frozenset[int]) -> None:
    """Upsert the ``interrupts`` rows of the touched interrupt visits."""
    for index in sorted(visits):
        visit = state.visits[index]
        if visit.kind == "interrupt":
            conn.execute(_INTERRUPT_SQL, interrupt_row(state, visit))


def write_deferrals(conn: sqlite3.Connection, state: RunState, events: Sequence[Event]) -> None:
    """Rewrite the run's ``deferrals`` rows when it has deferrals or may have lost some."""
    if not state.deferrals and not any(e.kind in _DEFERRAL_CHANGES for e in events):
        return
    conn.execute("DELETE FROM deferrals WHERE run_id = ?", (state.run_id,))
    conn.executemany(_DEFERRAL_SQL, deferral_rows(state))
