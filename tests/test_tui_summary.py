"""The summary screen: what a finished run's summary says, and `e` to export it."""

from __future__ import annotations

from pathlib import Path

import pytest

from procedo.journal import Journal
from procedo.model import load_file
from procedo.tui.screens.summary import SummaryScreen
from tui_support import (
    FakeClock,
    app_for,
    make_paths,
    widget_text,
)


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
