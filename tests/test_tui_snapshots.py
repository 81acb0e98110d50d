"""Snapshot tests of each screen (pytest-textual-snapshot). Update with --snapshot-update."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest
from textual.pilot import Pilot

from procedo.tui import StartRequest
from tui_support import REPO, FakeClock, act_as_next_role, app_for, fill_step, make_paths, paste

FIXED_RUN_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")


@pytest.fixture(autouse=True)
def fixed_run_id(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs get the same id every time, and the start screen the same operator name."""
    monkeypatch.setattr("procedo.engine.run.uuid.uuid4", lambda: FIXED_RUN_ID)
    monkeypatch.setenv("PROCEDO_OPERATOR", "operator")  # not the machine's login name


def _app(tmp_path: Path, process: str | None = None, folder: Path | None = None):
    paths = make_paths(tmp_path, folder)
    start = None
    if process == "incident-response":
        start = StartRequest(process, "Alice", "pager")
    elif process:
        start = StartRequest(process, "Alice")
    return app_for(paths, start=start, clock=FakeClock(step=0))


def test_home(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(100, 30))


def test_home_at_80_by_24(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24))


def test_start_screen(snap_compare, tmp_path: Path) -> None:
    async def open_start(pilot: Pilot[None]) -> None:
        await pilot.pause()  # home fills its lists after the first refresh
        table = pilot.app.screen.query_one("#processes")
        table.move_cursor(row=table.get_row_index("incident-response"))  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=(100, 30), run_before=open_start)


def test_step_with_every_kind_of_item(snap_compare, tmp_path: Path) -> None:
    async def tick_some(pilot: Pilot[None]) -> None:
        await pilot.pause()
        # After a tick or a value the cursor moves on to the next open item by itself.
        await pilot.press("space", "down", "down", "down", "space")
        await pilot.pause()
        await pilot.press(*"12.5", "enter")
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("c")  # refused: the cursor is back on the first open item
        await pilot.pause()

    assert snap_compare(
        _app(tmp_path, "incident-response"), terminal_size=(100, 30), run_before=tick_some
    )


def test_not_applicable_and_notes(snap_compare, tmp_path: Path) -> None:
    async def mark(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await fill_step(pilot)
        await act_as_next_role(pilot)
        await pilot.press("1")
        await pilot.pause()
        await act_as_next_role(pilot)
        await pilot.press("x")
        await pilot.pause()
        await paste(pilot, "No deploy in the last 24 h")  # typing is walked elsewhere
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("2")  # about this step
        await pilot.pause()
        await paste(pilot, "Dashboards are slow today\n(status page is fine)")
        await pilot.press("ctrl+s")
        await pilot.pause()

    assert snap_compare(
        _app(tmp_path, "incident-response"), terminal_size=(100, 30), run_before=mark
    )


def test_decision(snap_compare, tmp_path: Path) -> None:
    async def to_decision(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await fill_step(pilot)

    assert snap_compare(
        _app(tmp_path, "incident-response"), terminal_size=(100, 30), run_before=to_decision
    )


def test_summary(snap_compare, tmp_path: Path) -> None:
    async def finish(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await fill_step(pilot)
        await act_as_next_role(pilot)
        await pilot.press("2")  # no customer impact: an end
        await pilot.pause()

    assert snap_compare(
        _app(tmp_path, "incident-response"), terminal_size=(100, 30), run_before=finish
    )


def test_help(snap_compare, tmp_path: Path) -> None:
    async def open_help(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(
        _app(tmp_path, "incident-response"), terminal_size=(100, 34), run_before=open_help
    )


def test_small_terminal(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path, "incident-response"), terminal_size=(40, 12))


def test_bracket_heavy_texts(snap_compare, tmp_path: Path) -> None:
    folder = REPO / "tests" / "fixtures" / "brackets"
    assert snap_compare(_app(tmp_path, "brackets", folder), terminal_size=(100, 30))


def test_small_terminal_home(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(_app(tmp_path), terminal_size=(40, 12))


def test_map_of_a_run(snap_compare, tmp_path: Path) -> None:
    async def to_mitigate_and_map(pilot: Pilot[None]) -> None:
        await pilot.pause()
        await fill_step(pilot)
        await act_as_next_role(pilot)
        await pilot.press("1", "d")
        await pilot.pause()

    app = _app(tmp_path, "incident-response")
    assert snap_compare(app, terminal_size=(100, 30), run_before=to_mitigate_and_map)


def test_start_screen_at_80_by_24(snap_compare, tmp_path: Path) -> None:
    """The form scrolls; the Start and Cancel buttons stay in sight."""

    async def open_start(pilot: Pilot[None]) -> None:
        pilot.app.open_start("lab-sample-intake")  # type: ignore[attr-defined]
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=open_start)


def test_home_at_60_by_20(snap_compare, tmp_path: Path) -> None:
    """No stray letters in the footer beside the ^p key."""
    assert snap_compare(_app(tmp_path), terminal_size=(60, 20))


def _with_broken_files(tmp_path: Path) -> Path:
    folder = tmp_path / "with-broken"
    shutil.copytree(REPO / "processes", folder)
    (folder / "a.toml").write_text("[process\nid = 1\n", encoding="utf-8")
    (folder / "b.toml").write_text('[process]\nid = "b"\n', encoding="utf-8")
    return folder


def test_home_with_broken_files_at_80_by_24(snap_compare, tmp_path: Path) -> None:
    folder = _with_broken_files(tmp_path)
    assert snap_compare(_app(tmp_path, folder=folder), terminal_size=(80, 24))


def test_home_with_broken_files_at_60_by_20(snap_compare, tmp_path: Path) -> None:
    folder = _with_broken_files(tmp_path)
    assert snap_compare(_app(tmp_path, folder=folder), terminal_size=(60, 20))


async def _open_metrics(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.press("m")
    await pilot.app.workers.wait_for_complete()  # the figures are read in a thread
    for _ in range(3):
        await pilot.pause()


def test_metrics_at_80_by_24(snap_compare, tmp_path: Path) -> None:
    """Whole keys only in the footer (no "h Histo" under the ^p key)."""
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=_open_metrics)


def test_metrics_at_60_by_20(snap_compare, tmp_path: Path) -> None:
    """Whole keys only in the footer (no "a This / a" under the ^p key)."""
    assert snap_compare(_app(tmp_path), terminal_size=(60, 20), run_before=_open_metrics)
