"""A refused action on the run screen: the engine's reason, once, and nothing written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.pilot import Pilot

from procedo.tui import StartRequest
from procedo.tui.app import ProcedoApp
from procedo.tui.screens.dialogs import TextPrompt
from procedo.tui.screens.run import RunScreen
from tui_support import app_for, make_paths, value_for, widget_text

LAB = StartRequest("lab-sample-intake", "Tess", "courier")


def _events(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])


async def _at_inspect_awaiting_reception(pilot: Pilot[None]) -> RunScreen:
    """Walk the engine to the inspect step, where the reception technician is next."""
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen)
    run = screen.run
    for index, item in enumerate(run.definition.steps["unpack"].items):
        if item.record:
            run.record(index, "-30" if index == 3 else value_for(item))
        else:
            run.check(index)
    run.complete()  # too warm: temperature-ok chooses No itself, the quality officer decides
    assert run.state.current_node == "qa-review"
    run.accept_role()
    run.choose(0)  # accepted: the technician inspects, after a hand-over point
    screen.refresh_view()
    await pilot.pause()
    assert run.state.current_node == "inspect" and run.state.awaiting_role == "reception"
    return screen


def _refused_once(app: ProcedoApp, screen: RunScreen, count: int, db: Path) -> str:
    """The status says why (once, no toast), no dialog opened, and nothing was written."""
    assert app.screen is screen, "a dialog opened for a refused action"
    assert len(app._notifications) == 0, "a refusal is a status line, not a toast"
    assert _events(db) == count and screen.run.state.last_seq == count
    status = widget_text(app, "#status")
    assert status.startswith("✗ ")
    return status


async def test_keys_at_a_hand_over_point_are_refused_before_any_dialog_opens(
    tmp_path: Path,
) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=LAB)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = await _at_inspect_awaiting_reception(pilot)
        count = _events(paths.db)
        screen.query_one("#choices").highlighted = 4  # type: ignore[attr-defined]  # Sample type
        await pilot.press("space")  # a value to choose: the engine says not yet
        await pilot.pause()
        status = _refused_once(app, screen, count, paths.db)
        assert "is next: hand the run over, or act as" in status
        await pilot.press("x")  # not applicable: no reason is asked for first
        await pilot.pause()
        assert "is next" in _refused_once(app, screen, count, paths.db)


async def test_a_critical_item_is_refused_not_applicable_with_one_notice(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=LAB)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        count = _events(paths.db)
        await pilot.press("x")  # the first item is critical
        await pilot.pause()
        status = _refused_once(app, screen, count, paths.db)
        assert "is critical: it cannot be marked not applicable" in status
        assert not screen.read_only


async def test_a_value_dialog_only_returns_the_value_the_screen_records_it(
    tmp_path: Path,
) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=LAB)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        screen.query_one("#choices").highlighted = 3  # type: ignore[attr-defined]
        await pilot.press("space")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TextPrompt)
        count = _events(paths.db)
        await pilot.press(*"99", "enter")  # above the maximum: refused inside the dialog
        await pilot.pause()
        assert app.screen is dialog and _events(paths.db) == count
        dialog.attempt(dialog.check, "4")  # what enter does: check the value, then return it
        assert _events(paths.db) == count, "the dialog wrote to the journal itself"
        await pilot.pause()  # the screen gets the value and records it
        assert app.screen is screen and _events(paths.db) == count + 1
        assert screen.run.state.current.mark(3).value == "4"  # type: ignore[union-attr]
