"""The metrics screen's headline first (issue 15): the cheap figures match the full ones, and
a late headline never paints over the full figures."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import pytest
from textual.widgets import Static

from fixtures_journal import build_history_journal
from procedo.journal import Journal
from procedo.journal.metrics import compute_metrics, headline_metrics
from procedo.model.figures import Metrics
from procedo.tui.screens.metrics import LOADING, MetricsScreen
from tui_support import FakeClock, app_for, make_paths

HEADLINE = [
    "started",
    "completed",
    "aborted",
    "unfinished",
    "succeeded",
    "success_rate",
    "median_ms",
    "p90_ms",
    "with_target",
    "within_target",
    "on_target_share",
]


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    path = tmp_path_factory.mktemp("metrics-speed") / "journal.db"
    build_history_journal(path)
    with Journal(path) as opened:
        yield opened


@pytest.mark.parametrize(
    ("process", "practice"),
    [("incident-response", False), ("incident-response", True), (None, False), ("nope", False)],
)
def test_headline_is_the_full_figures_headline(
    journal: Journal, process: str | None, practice: bool
) -> None:
    head = headline_metrics(journal, process, include_practice=practice)
    full = compute_metrics(journal, process, include_practice=practice)
    assert {k: getattr(head, k) for k in HEADLINE} == {k: getattr(full, k) for k in HEADLINE}
    if process == "incident-response":
        assert head.started > 0 and full.steps  # a scope with figures, not two empty ones
    sections = {f.name for f in fields(Metrics)} - set(HEADLINE)
    sections -= {"process_id", "version", "include_practice"}
    assert all(getattr(head, name) == () for name in sections)


async def test_late_headline_does_not_replace_the_full_figures(tmp_path: Path) -> None:
    build_history_journal(tmp_path / "journal.db")
    app = app_for(make_paths(tmp_path), clock=FakeClock(step=0))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_metrics("incident-response")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MetricsScreen)
        figures = screen.query_one("#metrics-figures", Static)
        full = str(figures.render())
        assert "Success rate" in full and LOADING not in full
        screen._show_headline(headline_metrics(app.workspace.journal, "incident-response"))
        assert str(figures.render()) == full
