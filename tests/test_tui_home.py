"""Reachability and wording fixes found in review: each test failed before its fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from procedo.journal import Journal
from procedo.model import load_file
from procedo.tui import StartRequest
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.summary import SummaryScreen
from tui_support import (
    FakeClock,
    act_as_next_role,
    app_for,
    fill_step,
    make_paths,
    widget_text,
)


async def settle(pilot: Pilot[None]) -> None:
    """Let thread workers finish and their results show."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def aborted_run(tmp_path: Path) -> tuple[object, str]:
    """An incident run aborted after a few seconds, with a note on an item [A-1]."""
    paths = make_paths(tmp_path)
    loaded = load_file(paths.processes / "incident-response.toml")
    with Journal(paths.db) as journal:
        journal.clock = FakeClock(step=1000)
        run = journal.start_run(loaded, "Alice", "pager")
        run.check(0)
        run.note("Channel is #inc-[42]", on="item", item=0)
        run.abort("False alarm")
    return paths, run.run_id


async def test_summary_of_an_aborted_run_never_says_on_target(aborted_run) -> None:
    paths, run_id = aborted_run
    app = app_for(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.resume_run(run_id)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = widget_text(app, "#summary")
        assert "ABORTED" in text
        assert "on target" not in text and "over target" not in text


async def test_summary_names_the_item_a_note_is_on(aborted_run) -> None:
    paths, run_id = aborted_run
    app = app_for(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.resume_run(run_id)
        await pilot.pause()
        text = widget_text(app, "#summary")
        assert "Alice on Acknowledge the page: Channel is #inc-[42]" in text
        assert "item 1" not in text


async def test_visit_counts_the_entries_of_this_node(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=StartRequest("incident-response", "Alice", "pager"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        assert "Visit 1" in widget_text(app, "#node-meta")
        await fill_step(pilot, keys=False)
        assert app.screen.run.state.current_node in app.screen.run.definition.decisions
        assert "Visit 1" in widget_text(app, "#node-meta"), "first arrival at the decision"
        await act_as_next_role(pilot, keys=False)
        app.screen.action_choose(0)  # customer impact: mitigate
        await pilot.pause()
        await act_as_next_role(pilot, keys=False)
        await fill_step(pilot, keys=False)
        app.screen.action_choose(1)  # not resolved, try again: mitigate once more
        await pilot.pause()
        assert app.screen.run.state.current_node == "mitigate"
        assert "Visit 2" in widget_text(app, "#node-meta")


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


@pytest.mark.parametrize("size", [(100, 30), (80, 24), (125, 30)])
async def test_home_shows_every_column(tmp_path: Path, size: tuple[int, int]) -> None:
    paths = make_paths(tmp_path)
    loaded = load_file(paths.processes / "incident-response.toml")
    with Journal(paths.db) as journal:
        journal.clock = FakeClock(step=1000)
        run = journal.start_run(loaded, "Alexandra Operator-Smith", "pager")
        run.check(0)
        run.pause()
        journal.release(run.run_id)
    app = app_for(paths)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await settle(pilot)
        unfinished = widget_text(app, "#unfinished")
        for header in ("Process", "Operator", "Stopped at", "Updated"):
            assert header in unfinished, (header, unfinished)
        processes = widget_text(app, "#processes")
        for header in ("Process", "Version", "Steps", "Last run", "Success"):
            assert header in processes, (header, processes)


async def test_run_footer_fits_80_columns_and_offers_the_option_keys(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=StartRequest("incident-response", "Alice", "pager"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = widget_text(app, "Footer")
        for entry in ("space Tick", "c Done", "q Pause", "? Help"):
            assert entry in footer, footer
        await fill_step(pilot, keys=False)
        await pilot.pause()
        footer = widget_text(app, "Footer")
        assert "1-9 Choose" in footer and "? Help" in footer, footer
        assert "space Tick" not in footer


async def test_metrics_offer_by_version_only_for_one_process(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_metrics("incident-response")
        await settle(pilot)
        assert "v By version" in widget_text(app, "Footer")
        await pilot.press("a")  # all processes
        await settle(pilot)
        assert "v By version" not in widget_text(app, "Footer")
        await pilot.press("a")
        await settle(pilot)
        assert "v By version" in widget_text(app, "Footer")


async def test_read_only_footer_lists_no_editing_keys(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    loaded = load_file(paths.processes / "incident-response.toml")
    with Journal(paths.db) as holder:
        run = holder.start_run(loaded, "Alice", "pager")
        app = app_for(paths, resume=run.run_id)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, RunScreen) and app.screen.read_only
            footer = widget_text(app, "Footer")
            assert "t Take over" in footer
            for entry in ("space Tick", "x N/A", "c Done"):
                assert entry not in footer, footer
            await pilot.press("space")
            await pilot.pause()
            assert "read-only" in widget_text(app, "#status")


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_history_columns_fit(tmp_path: Path, size: tuple[int, int]) -> None:
    from test_tui_history import build_journal

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


async def test_saving_a_value_unchanged_is_a_quiet_no_op(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=StartRequest("incident-response", "Alice", "pager"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("down", "down", "down", "down", "space")  # Error rate, a number
        await pilot.pause()
        await pilot.press("1", "0", "enter")
        await pilot.pause()
        seq = screen.run.state.last_seq
        await pilot.press("k", "space")  # the cursor moved on to the next open item: back up
        await pilot.pause()
        await pilot.press("enter")  # the dialog offers the current value: save it as it is
        await pilot.pause()
        assert app.screen is screen, "the dialog closed"
        assert screen.run.state.last_seq == seq, "nothing journaled"
        status = widget_text(app, "#status")
        assert "unchanged: 10 %" in status and "already" not in status


async def test_history_shows_no_rows_for_an_invalid_date(tmp_path: Path) -> None:
    from test_tui_history import build_journal

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


async def test_summary_e_exports_the_run(aborted_run, tmp_path: Path, monkeypatch) -> None:
    from procedo.tui.screens import export_dialog

    paths, run_id = aborted_run
    monkeypatch.setattr(export_dialog, "documents_folder", lambda: tmp_path)
    app = app_for(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.resume_run(run_id)
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("1")  # md
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is summary, "back on the summary, no detail screen in between"
        (written,) = tmp_path.glob(f"*-{run_id[:8]}.md")
        text = written.read_text(encoding="utf-8")
        assert "aborted: False alarm" in text
