"""The run detail and summary screens show the record of conditions: start inputs, the
suggested, automatic and overridden choices with their condition and values, the deviations
(reason, or routed by the flow) and the inactive items; every such text literally."""

from __future__ import annotations

import itertools
import uuid
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from conditions_fixture import build
from procedo.journal import Journal
from procedo.tui.screens.run_detail import RunDetailScreen
from procedo.tui.screens.summary import SummaryScreen
from tui_support import app_for, make_paths, settle

IDS = ("00000000-0000-4000-8000-00000000000a", "00000000-0000-4000-8000-00000000000b")


@pytest.fixture
def journal_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    ids = itertools.cycle(uuid.UUID(i) for i in IDS)
    monkeypatch.setattr("procedo.engine.run.uuid.uuid4", lambda: next(ids))
    folder = tmp_path / "defs"
    folder.mkdir()
    paths = make_paths(tmp_path, folder)
    high, low = build(paths.db, tmp_path)
    (paths.processes / "cond.toml").write_text((tmp_path / "cond.toml").read_text())
    return paths, high, low


def facts_text(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#detail-facts", Static).render())


async def open_detail(pilot: Pilot[None], run_id: str) -> str:
    await pilot.pause()
    pilot.app.open_run_detail(run_id)  # type: ignore[attr-defined]
    await settle(pilot)
    assert isinstance(pilot.app.screen, RunDetailScreen)
    return facts_text(pilot)


async def test_the_run_detail_shows_inputs_choices_and_deviations(journal_paths) -> None:
    paths, high, _ = journal_paths
    async with app_for(paths).run_test(size=(140, 80)) as pilot:
        text = await open_detail(pilot, high)
    assert "Input     Amount asked: 300 EUR" in text
    assert "Refund of 300" in text and "Check 300 EUR" in text
    assert "Suggested and automatic choices" in text
    assert "Above the limit of 300? — Yes, escalate  chosen by the process" in text
    assert "the condition is amount > 250; amount = 300 EUR" in text
    assert "Safe to work? — Yes, work may start  overridden" in text
    assert "suggested No, bleed it first; reason: bled by [red]the fitter[/red], gauge stuck" in (
        text
    )
    assert "Voltage at the isolator: 230 V, expected residual_v < 1" in text
    assert "reason: meter <faulty>, [re-measured] by hand" in text
    assert "Pressure: 5 bar, expected pressure < 2\n     routed by the flow" in text


async def test_the_run_detail_timeline_names_the_new_events(journal_paths) -> None:
    paths, high, _ = journal_paths
    async with app_for(paths).run_test(size=(140, 80)) as pilot:
        await open_detail(pilot, high)
        table = pilot.app.screen.query_one("#timeline")
        whats = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]  # type: ignore[attr-defined]
    assert "start input amount" in whats
    assert "deviation routed: Pressure" in whats
    for start in ("chosen by the process at", "accepted a deviation", "values read at"):
        assert any(w.startswith(start) for w in whats), start
    assert any(w.startswith("chose at Safe to work? (overriding") for w in whats)


async def test_the_summary_of_a_run_with_an_inactive_item(journal_paths) -> None:
    paths, _, low = journal_paths
    app = app_for(paths)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        with Journal(paths.db) as journal:
            run = journal.open_run(low, read_only=True).run
        app.push_screen(SummaryScreen(run))
        await pilot.pause()
        text = str(app.screen.query_one("#summary", Static).render())
    assert "Inactive items" in text
    assert "Manager signs for 100 EUR — inactive: amount > 250 was false" in text
    assert "No  chosen by the process" in text
    assert "no condition held: the default; amount = 100 EUR" in text
    assert "Yes, work may start  suggestion confirmed" in text
    assert "Deviations" not in text
    recorded = text.split("Recorded values")[1].split("\n\n")[0]
    assert "Voltage at the isolator" in recorded and "Manager signs" not in recorded


def test_snapshot_of_the_run_detail_with_conditions(snap_compare, journal_paths) -> None:
    paths, high, _ = journal_paths

    async def open_it(pilot: Pilot[None]) -> None:
        await open_detail(pilot, high)
        await pilot.press("f")  # the facts, where the conditions are
        await pilot.pause()

    assert snap_compare(app_for(paths), terminal_size=(120, 50), run_before=open_it)


def test_snapshot_of_the_summary_with_conditions(snap_compare, journal_paths) -> None:
    paths, high, _ = journal_paths

    async def open_it(pilot: Pilot[None]) -> None:
        await pilot.pause()
        with Journal(paths.db) as journal:
            run = journal.open_run(high, read_only=True).run
        pilot.app.push_screen(SummaryScreen(run))
        await pilot.pause()

    assert snap_compare(app_for(paths), terminal_size=(100, 60), run_before=open_it)


def test_the_metrics_screen_draws_the_figures_of_conditions(journal_paths) -> None:
    from procedo.journal.metrics import compute_metrics
    from procedo.tui.screens.metrics import metrics_content

    paths, _, _ = journal_paths
    with Journal(paths.db) as journal:
        text = metrics_content(compute_metrics(journal, "cond"), "cond").plain
    assert "Expected values missed" in text
    assert "50 % Voltage at the isolator  missed 1 of 2 values: expected residual_v < 1" in text
    assert "Safe to work?  2 choices · 1 confirmed · 1 overridden · 0 automatic" in text
    assert "1× Manager signs for {amount} EUR  when amount > 250" in text
