"""Snapshots of issue 12 on the run screen: the banner of a warning over a caution with an
advisory queued, and the deferred items back at a later step under their header. The side
map is hidden (the text map draws it, and learns interrupts elsewhere)."""

from __future__ import annotations

import itertools
import uuid
from pathlib import Path

import pytest
from textual.pilot import Pilot

from procedo.tui.screens.run import RunScreen
from tui_interrupt_support import press_app, press_paths, raise_by_keys, run_screen
from tui_support import FakeClock


@pytest.fixture(autouse=True)
def fixed_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """The run gets the same id every time."""
    numbers = itertools.count(0x40)
    monkeypatch.setattr(
        "procedo.engine.run.uuid.uuid4",
        lambda: uuid.UUID(f"00000000-0000-4000-8000-{next(numbers):012x}"),
    )


def _app(tmp_path: Path):  # type: ignore[no-untyped-def]
    return press_app(press_paths(tmp_path), clock=FakeClock(step=0))


async def _to_service(pilot: Pilot[None]) -> RunScreen:
    screen = await run_screen(pilot)
    run = screen.run
    run.check(0)
    run.check(1)
    run.record(2, "0")
    run.complete()
    screen.refresh_view()
    await pilot.pause()
    return screen


async def _no_map(pilot: Pilot[None]) -> None:
    pilot.app.screen.query_one("#flow-map").display = False
    await pilot.pause()


def test_banner_of_a_warning_over_a_caution_with_the_queue(snap_compare, tmp_path: Path) -> None:
    async def stacked(pilot: Pilot[None]) -> None:
        await _to_service(pilot)
        await pilot.press("j")
        await raise_by_keys(pilot, "leak")
        await pilot.press("space")
        await raise_by_keys(pilot, "fire")
        await raise_by_keys(pilot, "call")
        await _no_map(pilot)

    assert snap_compare(_app(tmp_path), terminal_size=(100, 30), run_before=stacked)


def test_deferred_items_back_at_a_later_step(snap_compare, tmp_path: Path) -> None:
    async def carried(pilot: Pilot[None]) -> None:
        screen = await _to_service(pilot)
        run = screen.run
        run.defer(1, "The camera is flat")
        run.defer(2, "The office is closed [until 9]")
        run.check(0)
        run.check(3)
        run.complete()
        run.choose(0)
        screen.refresh_view()
        await pilot.pause()
        await pilot.press("space")  # Remove the locks: the cursor goes on under the header
        await _no_map(pilot)

    assert snap_compare(_app(tmp_path), terminal_size=(100, 30), run_before=carried)
