"""The metrics screen: the journal's figures, and the map with how often each branch was taken."""

from __future__ import annotations

from procedo.tui.screens.metrics import MetricsScreen
from tui_support import (
    app_for,
    settle,
    widget_text,
)


async def test_metrics_show_the_figures_of_the_journal(journal_paths) -> None:
    paths, _ = journal_paths
    app = app_for(paths)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        app.open_metrics("incident-response")
        await settle(pilot)
        assert isinstance(app.screen, MetricsScreen)
        text = widget_text(app, "#metrics-figures")
        # Practice left out: Alice (closed), Bob (loop, then resolved), Cleo (aborted).
        assert "3 started · 2 completed · 1 aborted · 0 unfinished" in text
        assert "67 % (2 of 3 finished runs ended at a success)" in text
        assert "Roll back the last deploy" in text and "Nothing deployed (2)" in text
        assert "Error rate median 40 %" in text and "range 20–40 %" in text
        await pilot.press("p")
        await settle(pilot)
        assert "4 started · 3 completed" in widget_text(app, "#metrics-figures")


async def test_metrics_draw_the_map_with_how_often_each_branch_was_taken(journal_paths) -> None:
    paths, _ = journal_paths
    app = app_for(paths)
    async with app.run_test(size=(140, 80)) as pilot:
        await pilot.pause()
        app.open_metrics("incident-response")
        await settle(pilot)
        text = widget_text(app, "#metrics-map")
        # Alice: No; Bob: Yes, then "No, try again" once, then Yes; Cleo aborted at triage.
        assert "├─ Yes (1×, 50%)" in text
        assert "└─ No (1×, 50%) → ● No customer impact (success)" in text
        assert "├─ No, try again (1×, 50%) → ↺ Mitigate" in text
        assert "No, escalate (0×, 0%) → ✗ Escalated to the vendor (failure) · never reached" in (
            text
        )
