"""The history screen over a journal built through the engine: lists, filters, columns that fit,
and its snapshots (history, run detail, metrics)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from textual.pilot import Pilot

from procedo.tui.screens.history import HistoryScreen
from procedo.tui.screens.run_detail import RunDetailScreen
from tui_support import FakeClock, app_for, build_journal, make_paths, settle, widget_text


async def test_history_lists_filters_and_opens_runs(journal_paths) -> None:
    paths, ids = journal_paths
    app = app_for(paths)
    async with app.run_test(size=(170, 32)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert screen.total == 4
        assert [row.run_id for row in screen.rows] == ids[::-1], "newest first"
        assert "Runs 1–4 of 4" in widget_text(app, "#history-status")
        screen.query_one("#status").value = "aborted"  # type: ignore[attr-defined]
        await settle(pilot)
        assert [row.run_id for row in screen.rows] == [ids[2]]
        screen.query_one("#status").clear()  # type: ignore[attr-defined]
        screen.query_one("#practice").value = False  # type: ignore[attr-defined]
        await settle(pilot)
        assert screen.total == 3
        await pilot.press("slash", *"bob")
        await settle(pilot)
        assert [row.operators for row in screen.rows] == [["Bob"]]
        screen.query_one("#since").value = "not a date"  # type: ignore[attr-defined]
        await settle(pilot)
        assert "date" in widget_text(app, "#history-status").lower()
        screen.query_one("#since").value = ""  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("enter")  # from the search box back to the table
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, RunDetailScreen)
        assert detail.record is not None and detail.record.run_id == ids[1]
        timeline = widget_text(app, "#timeline")
        assert "marked not applicable: Roll back the" in timeline
        assert "Nothing deployed" in timeline
        facts = str(detail.query_one("#detail-facts").render())  # below the path: scrolled to
        assert detail.record.last_hash in facts


@pytest.fixture
def fixed_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    counter = iter(range(1, 100))
    monkeypatch.setattr("procedo.engine.run.uuid.uuid4", lambda: uuid.UUID(int=next(counter)))


@pytest.mark.parametrize("screen", ["history", "detail", "metrics"])
def test_snapshots(snap_compare, tmp_path: Path, fixed_ids, screen: str) -> None:
    paths = make_paths(tmp_path)
    ids = build_journal(paths, FakeClock(step=1000))
    app = app_for(paths, clock=FakeClock(step=0))

    async def open_screen(pilot: Pilot[None]) -> None:
        await pilot.pause()
        if screen == "history":
            app.open_history()
        elif screen == "detail":
            app.open_run_detail(ids[1])
        else:
            app.open_metrics("incident-response")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(110, 34), run_before=open_screen)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_history_columns_fit(tmp_path: Path, size: tuple[int, int]) -> None:
    paths = make_paths(tmp_path)
    build_journal(paths, FakeClock(step=1000))
    app = app_for(paths)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.open_history()
        await settle(pilot)
        text = widget_text(app, "#runs")
        for header in ("Started (UTC)", "Process", "Operators", "Result", "Duration", "Target"):
            assert header in text, (header, text)
        assert ("Ver" in text) == (size[0] >= 100)
        assert "aborted" in text and "success" in text and "(practice)" in text
        assert "over" in text or " on " in f" {text} "


async def test_history_shows_no_rows_for_an_invalid_date(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    build_journal(paths, FakeClock(step=1000))
    app = app_for(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_history()
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#runs").row_count == 4  # type: ignore[attr-defined]
        screen.query_one("#since").value = "2026-13-45"  # type: ignore[attr-defined]
        await settle(pilot)
        assert screen.query_one("#runs").row_count == 0  # type: ignore[attr-defined]
        assert "No runs shown" in widget_text(app, "#history-status")
        screen.query_one("#since").value = "2026-11-01"  # type: ignore[attr-defined]
        await settle(pilot)
        assert screen.query_one("#runs").row_count == 4  # type: ignore[attr-defined]
