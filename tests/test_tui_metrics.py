"""History, run detail and metrics screens over a journal built through the engine."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from textual.pilot import Pilot

from procedo.journal import Journal
from procedo.model import load_file
from procedo.tui.screens import export_dialog
from procedo.tui.screens.dialogs import Confirm
from procedo.tui.screens.history import HistoryScreen
from procedo.tui.screens.metrics import MetricsScreen
from procedo.tui.screens.run_detail import RunDetailScreen
from tui_support import FakeClock, app_for, make_paths, widget_text


def build_journal(paths, clock: FakeClock) -> list[str]:
    """Three incident runs (success, success after a loop, aborted) and one practice run."""
    loaded = load_file(paths.processes / "incident-response.toml")
    ids = []
    with Journal(paths.db) as journal:
        journal.clock = clock
        for operator, branch, practice in (
            ("Alice", "closed", False),
            ("Bob", "loop", False),
            ("Cleo", "abort", False),
            ("Dan", "closed", True),
        ):
            run = journal.start_run(loaded, operator, "pager", practice=practice)
            for item in range(3):
                run.check(item)
            run.record(3, "09:00")
            run.record(4, "20" if operator == "Alice" else "40")
            run.record(5, "eu")
            clock.advance(60_000)
            if branch == "abort":
                run.abort("False alarm [monitoring]")
            else:
                run.complete()
                run.accept_role()
                if branch == "closed":
                    run.choose(1)
                else:
                    run.choose(0)
                    run.accept_role()
                    for _ in range(2):
                        run.mark_not_applicable(0, "Nothing deployed")
                        run.check(1)
                        clock.advance(120_000)
                        run.complete()
                        run.choose(1 if _ == 0 else 0)
            ids.append(run.run_id)
            clock.advance(3_600_000)
    return ids


async def settle(pilot: Pilot[None]) -> None:
    """Let thread workers finish and their results show."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def journal_paths(tmp_path: Path):
    paths = make_paths(tmp_path)
    ids = build_journal(paths, FakeClock(step=1000))
    return paths, ids


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


async def test_export_writes_a_new_file_and_never_overwrites(journal_paths, tmp_path, monkeypatch):
    paths, ids = journal_paths
    monkeypatch.setattr(export_dialog, "documents_folder", lambda: tmp_path)
    app = app_for(paths)
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        app.open_run_detail(ids[2])
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("1")  # md
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        (written,) = tmp_path.glob(f"incident-response-*-{ids[2][:8]}.md")
        text = written.read_text(encoding="utf-8")
        record = app.screen.record  # type: ignore[attr-defined]
        assert text.rstrip().endswith(record.last_hash)
        assert r"False alarm \[monitoring\]" in text  # Markdown-escaped
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("1", "enter")
        await pilot.pause()
        assert isinstance(app.screen, Confirm), "an existing file is replaced only when confirmed"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, export_dialog.ExportPrompt)
        assert written.read_text(encoding="utf-8") == text


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


async def test_f_on_the_map_screen_adds_the_figures_and_removes_them(journal_paths) -> None:
    paths, _ = journal_paths
    app = app_for(paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        definition = app.workspace.process("incident-response").definition
        app.open_map(definition)
        await pilot.pause()
        assert "(1×, 50%)" not in widget_text(app, "#map-text")
        await pilot.press("f")
        await settle(pilot)
        shown = widget_text(app, "#map-text")
        assert "├─ Yes (1×, 50%)" in shown
        assert "Mitigate · On-call engineer · 2× median" in shown
        await pilot.press("f")
        await pilot.pause()
        assert "(1×, 50%)" not in widget_text(app, "#map-text")


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
