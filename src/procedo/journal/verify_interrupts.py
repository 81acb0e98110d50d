"""A run's ``interrupts`` and ``deferrals`` rows compared with what its events give (history
and metrics read them: an edit there would change the record without touching a chain)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from procedo.engine import Event, RunState
from procedo.journal.rows_interrupts import (
    DEFERRAL_COLUMNS,
    INTERRUPT_COLUMNS,
    deferral_rows,
    expected_interrupt_rows,
)
from procedo.model import ProcessDefinition


def interrupts_problem(
    interrupts: list[tuple[Any, ...]],
    deferrals: list[tuple[Any, ...]],
    state: RunState,
    events: Sequence[Event],
    definition: ProcessDefinition,
) -> str | None:
    """Why a run's ``interrupts`` or ``deferrals`` rows (without their run id, by seq)
    disagree with its replayed state, or None."""
    return _rows_problem(
        "interrupt",
        interrupts,
        expected_interrupt_rows(state, events, definition),
        INTERRUPT_COLUMNS,
    ) or _rows_problem("deferral", deferrals, deferral_rows(state, definition), DEFERRAL_COLUMNS)


def _rows_problem(
    what: str,
    held: list[tuple[Any, ...]],
    expected: list[dict[str, Any]],
    columns: tuple[str, ...],
) -> str | None:
    if len(held) != len(expected):
        return f"the journal holds {len(held)} {what} rows, its events give {len(expected)}"
    for row, want in zip(held, expected, strict=True):
        wanted = tuple(want[column] for column in columns)
        if row == wanted:
            continue
        for column, have, value in zip(columns, row, wanted, strict=True):
            if have != value:
                return (
                    f"the {what} of event {want['seq']}: {column} is {have!r}, "
                    f"its events give {value!r}"
                )
    return None
