"""The run detail screen: a run over two days shows everything at 80 × 24."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedo.journal import Journal
from procedo.model import load_file
from tui_support import (
    FakeClock,
    app_for,
    make_paths,
    settle,
    widget_text,
)

LONG_REASON = "Nothing was deployed in the last day, so there is nothing to roll back [ops-7]"


@pytest.fixture
def two_day_run(tmp_path: Path) -> tuple[object, str]:
    """A run over two days with a long not-applicable reason and a recorded value."""
    paths = make_paths(tmp_path)
    loaded = load_file(paths.processes / "incident-response.toml")
    clock = FakeClock(step=1000)
    with Journal(paths.db) as journal:
        journal.clock = clock
        run = journal.start_run(loaded, "Alice", "pager")
        for item in range(3):
            run.check(item)
        run.record(3, "09:00")
        run.record(4, "20")
        run.record(5, "eu")
        run.complete()
        run.accept_role()
        clock.advance(2 * 86_400_000)
        run.choose(0)
        run.accept_role()
        run.mark_not_applicable(0, LONG_REASON)
    return paths, run.run_id


async def test_run_detail_shows_everything_at_80_by_24(two_day_run) -> None:
    from procedo.tui.screens.run_detail import RunDetailScreen

    paths, run_id = two_day_run
    app = app_for(paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_run_detail(run_id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RunDetailScreen)
        side = screen.query_one("#detail-side")
        assert side.display and side.region.height >= 5 and side.region.width >= 70
        assert "Customer-facing incident response" in widget_text(app, "#detail-side")
        timeline = widget_text(app, "#timeline")
        assert "Value / reason" in timeline, "the last column is on screen"
        assert "11-20 " in timeline and "11-18 " in timeline, "the run spans days: dates show"
        await pilot.press("ctrl+end")
        await pilot.pause()
        shown = widget_text(app, "#event-detail")
        assert "2026-11-20" in shown and "Alice" in shown
        assert "marked not applicable: Roll back the last deploy" in shown
        assert LONG_REASON in shown, "the whole reason, wrapped"
        await pilot.press("f")
        await pilot.pause()
        assert side.has_focus
