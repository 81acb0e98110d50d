"""A snapshot of the live board (pytest-textual-snapshot; update with --snapshot-update).

A fixed clock and fixed run ids, so every figure is stable: an incident run at its second node
for 4 minutes (7 in all, 45 min target), one over its target, a refund run paused, and one
held by a window on another host (which cannot be checked, so it is trusted).
"""

from __future__ import annotations

import itertools
import uuid
from pathlib import Path

import pytest
from textual.pilot import Pilot

from procedo.journal import Journal
from procedo.model import load_file
from procedo.tui import make_app
from procedo.tui.screens.board import BoardScreen
from tui_support import FakeClock, make_paths, settle, wait_until

MIN = 60_000


@pytest.fixture(autouse=True)
def fixed_run_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    numbers = itertools.count(1)
    monkeypatch.setattr(
        "procedo.engine.run.uuid.uuid4",
        lambda: uuid.UUID(f"00000000-0000-4000-8000-{next(numbers):012d}"),
    )


def _journal(tmp_path: Path) -> tuple[object, FakeClock]:
    paths = make_paths(tmp_path)
    clock = FakeClock()
    with Journal(paths.db) as journal:
        journal.clock = clock
        incident = load_file(paths.processes / "incident-response.toml")
        refund = load_file(paths.processes / "refund-approval.toml")
        late = journal.start_run(incident, "Dan", "pager")
        clock.advance(20 * MIN)
        first = journal.start_run(incident, "Alice", "pager")
        for item in range(3):
            first.check(item)
        first.record(3, "09:00")
        first.record(4, "20")
        first.record(5, "eu")
        clock.advance(3 * MIN)
        first.complete()  # at the decision, done by the incident commander
        clock.advance(MIN)
        paused = journal.start_run(refund, "Cat", "customer-request", inputs={"amount": "25"})
        paused.pause("Waiting for the customer")
        clock.advance(30 * MIN)
        late.check(0)  # 54 minutes: past its 45-minute target
        for run in (late, first, paused):
            journal.release(run.run_id)
        with journal.db.conn:
            journal.db.conn.execute(
                "INSERT INTO leases VALUES (?, 'feedbeef0001', 4242, 'host-b', 'Alice', ?)",
                (first.run_id, "2026-11-18T11:30:00.000Z"),
            )
        clock.advance(4 * MIN)
    return paths, clock


def test_the_board(snap_compare, tmp_path: Path) -> None:
    paths, clock = _journal(tmp_path)
    clock.step = 0

    async def read(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, BoardScreen), "the board")
        await wait_until(pilot, lambda: pilot.app.screen.loaded, "the board read")
        await settle(pilot)

    app = make_app(paths, clock=clock, board=True)  # type: ignore[arg-type]
    assert snap_compare(app, terminal_size=(160, 14), run_before=read)


def test_the_board_at_80_by_24(snap_compare, tmp_path: Path) -> None:
    """Under 120 columns the role and the last activity are left out."""
    paths, clock = _journal(tmp_path)
    clock.step = 0

    async def read(pilot: Pilot[None]) -> None:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, BoardScreen), "the board")
        await wait_until(pilot, lambda: pilot.app.screen.loaded, "the board read")
        await settle(pilot)

    app = make_app(paths, clock=clock, board=True)  # type: ignore[arg-type]
    assert snap_compare(app, terminal_size=(80, 24), run_before=read)
