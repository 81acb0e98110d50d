"""Issue 9 on the other screens: who is journaled, broken files, live follow, bounded fields,
remembered settings, table keys, and a journal that can only be read."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from procedo.engine.run import MAX_NAME, MAX_TEXT
from procedo.journal import Journal
from procedo.model import load_file
from procedo.settings import Settings, load_settings, save_settings
from procedo.tui.screens.history import HistoryScreen
from procedo.tui.screens.home import HomeScreen
from procedo.tui.screens.problems import ProblemsScreen
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.start import StartScreen
from procedo.tui.screens.summary import SummaryScreen
from procedo.tui.widgets.bounded import BoundedInput, BoundedTextArea
from tui_support import app_for, make_paths


def _text(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


def _broken_folder(tmp_path: Path) -> Path:
    paths = make_paths(tmp_path)
    (paths.processes / "a.toml").write_text("[process\nid = 1\n", encoding="utf-8")
    (paths.processes / "b.toml").write_text('[process]\nid = "b"\n', encoding="utf-8")
    return paths.processes


# -- who is journaled -------------------------------------------------------------------


async def test_start_defaults_to_the_login_name_not_the_last_recipient(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCEDO_OPERATOR", "Carol")
    paths = make_paths(tmp_path)
    with Journal(paths.db) as journal:
        loaded = load_file(paths.processes / "incident-response.toml")
        run = journal.start_run(loaded, "Alice", "pager")
        run.hand_over("Bob")
    app = app_for(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_start("incident-response")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StartScreen)
        assert screen.query_one("#operator", Input).value == "Carol"
        assert "Journaled as: Carol" in _text(screen, "#journaled-as")
        await pilot.press("ctrl+u", *"Dave")
        await pilot.pause()
        assert "Journaled as: Dave" in _text(screen, "#journaled-as")


# -- broken process files ---------------------------------------------------------------


async def test_home_names_the_files_that_could_not_be_loaded_and_v_lists_why(
    tmp_path: Path,
) -> None:
    _broken_folder(tmp_path)
    app = app_for(make_paths(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        broken = home.query_one("#broken-files", Static)
        assert broken.display and broken.region.y < 24 and broken.region.height >= 1
        assert "2 process files could not be loaded: a.toml, b.toml · v to see why" in str(
            broken.render()
        )
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        listed = str(app.screen.query_one(Static).render())
        assert "a.toml:1:" in listed and "TOML syntax error" in listed
        assert "/b.toml:" in listed
        await pilot.press("escape")
        await pilot.pause()
        (paths_folder := tmp_path / "processes" / "a.toml").unlink()
        assert not paths_folder.exists()
        await pilot.press("r")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "Processes reloaded: 6 loaded, 1 could not be loaded" in messages


# -- following a run read-only ----------------------------------------------------------


async def test_a_read_only_window_follows_the_driving_one_within_two_seconds(
    tmp_path: Path,
) -> None:
    paths = make_paths(tmp_path)
    driver = Journal(paths.db)
    loaded = load_file(paths.processes / "incident-response.toml")
    run = driver.start_run(loaded, "Alice", "pager")
    run.check(0)
    app = app_for(paths, resume=run.run_id)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen) and screen.read_only
        before = screen.run.state.last_seq
        run.check(1)  # the driving window ticks the second item
        started = time.monotonic()
        while screen.run.state.last_seq == before and time.monotonic() - started < 2:
            await asyncio.sleep(0.05)
        assert time.monotonic() - started < 2, "the change did not show within 2 s"
        assert screen.run.state.current.mark(1).checked  # type: ignore[union-attr]
        await pilot.pause()
        assert "✓" in str(screen.query_one("#choices").render_line(1))  # type: ignore[attr-defined]
        run.abort("the driving window ends it")
        started = time.monotonic()
        while app.screen is screen and time.monotonic() - started < 2:
            await asyncio.sleep(0.05)
        assert isinstance(app.screen, SummaryScreen) and app.screen.run.state.status == "aborted"
    driver.close()


# -- bounded fields ---------------------------------------------------------------------


async def test_twenty_thousand_keystrokes_stop_at_the_limit_quickly(tmp_path: Path) -> None:
    app = app_for(make_paths(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_start("incident-response")
        await pilot.pause()
        field = app.screen.query_one("#operator", BoundedInput)
        field.value = ""
        field.focus()
        await pilot.pause()
        started = time.perf_counter()
        for _ in range(20_000):
            app.screen.post_message(_key("a"))  # as a scanner types, one key at a time
        await pilot.pause()
        while len(field.value) < MAX_NAME and time.perf_counter() - started < 10:
            await pilot.pause()
        await pilot.pause()
        elapsed = time.perf_counter() - started
        assert field.value == "a" * MAX_NAME
        print(f"20,000 keys: {elapsed:.2f} s")
        assert elapsed < 5, f"20,000 keys took {elapsed:.2f} s"
        warnings = [n.message for n in app._notifications if "limited to" in n.message]
        assert len(warnings) == 1  # said once, not once per refused key


def _key(character: str):
    from textual import events

    return events.Key(character, character)


async def test_a_text_area_refuses_past_its_limit_and_keeps_the_text(tmp_path: Path) -> None:
    from textual.app import App, ComposeResult

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield BoundedTextArea("x" * (MAX_TEXT - 2), max_length=MAX_TEXT, what="note")

    app = One()
    async with app.run_test() as pilot:
        area = app.query_one(BoundedTextArea)
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.press("a", "b", "c", "d")
        await pilot.pause()
        assert area.text == "x" * (MAX_TEXT - 2) + "ab"
        await pilot.press("backspace", "e")
        assert area.text.endswith("ae") and len(area.text) == MAX_TEXT


# -- settings ---------------------------------------------------------------------------


async def test_the_theme_is_remembered_between_starts(
    tmp_path: Path, own_settings_file: Path
) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
    assert load_settings(own_settings_file) == (Settings(theme="nord"), "")
    again = app_for(paths)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_a_broken_settings_file_is_ignored_with_a_notice(
    tmp_path: Path, own_settings_file: Path
) -> None:
    own_settings_file.write_text("theme = [not toml", encoding="utf-8")
    app = app_for(make_paths(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("could not be read" in n.message for n in app._notifications)


def test_settings_are_written_atomically_and_wrong_kinds_ignored(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "settings.toml"
    save_settings(path, Settings(theme='a "quoted" \\ theme', map_figures=True))
    assert load_settings(path) == (Settings(theme='a "quoted" \\ theme', map_figures=True), "")
    assert [p.name for p in path.parent.iterdir()] == ["settings.toml"]  # no temporary left
    path.write_text("theme = 3\nmap_figures = true\n", encoding="utf-8")
    settings, notice = load_settings(path)
    assert settings == Settings(map_figures=True) and "ignored theme" in notice


# -- table keys -------------------------------------------------------------------------


async def test_j_k_move_in_history_and_end_home_on_home(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    with Journal(paths.db) as journal:
        loaded = load_file(paths.processes / "incident-response.toml")
        for name in ("Ann", "Ben", "Cid"):
            journal.start_run(loaded, name, "pager").abort("test")
    app = app_for(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        processes = app.screen.query_one("#processes", DataTable)
        processes.focus()
        await pilot.press("end")
        assert processes.cursor_row == processes.row_count - 1 > 0
        await pilot.press("home")
        assert processes.cursor_row == 0
        await pilot.press("h")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        runs = app.screen.query_one("#runs", DataTable)
        assert runs.row_count == 3 and runs.cursor_row == 0
        await pilot.press("j", "j")
        assert runs.cursor_row == 2
        await pilot.press("k")
        assert runs.cursor_row == 1


# -- a journal that can only be read ----------------------------------------------------


def _archive(tmp_path: Path) -> tuple[Path, str]:
    paths = make_paths(tmp_path)
    with Journal(paths.db) as journal:
        loaded = load_file(paths.processes / "incident-response.toml")
        run = journal.start_run(loaded, "Ann", "pager")
        run.check(0)
        run.pause()
        journal.release(run.run_id)
        journal.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        Path(f"{paths.db}{suffix}").unlink(missing_ok=True)
    return paths.db, run.run_id


async def test_a_journal_that_cannot_be_written_opens_for_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As on read-only media (simulated as in test_journal_faults): review, never edit."""
    _archive(tmp_path)
    real_connect = sqlite3.connect

    def no_write_access(target: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        if not kwargs.get("uri"):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite3, "connect", no_write_access)
    app = app_for(make_paths(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        banner = _text(home, "#readonly-journal")
        assert "Read-only journal: review only (the folder cannot be written)" in banner
        home.query_one("#processes", DataTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is home  # no start screen
        assert any("review only" in n.message for n in app._notifications)
        home.query_one("#unfinished", DataTable).focus()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen) and screen.read_only
        assert "review only" in _text(screen, "#readonly-banner")
        assert "take it over" not in _text(screen, "#readonly-banner")
        seq = screen.run.state.last_seq
        for key in ("space", "x", "c", "n", "b", "o", "a", "t", "delete"):
            screen.show_status("")
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen, key  # no dialog opened
            assert "review only" in _text(screen, "#status"), key
        assert screen.run.state.last_seq == seq
        await pilot.press("q")  # leaves it as it was: nothing to pause in an archive
        await pilot.pause()
        assert app.screen is home
        await pilot.press("h")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.query_one("#runs", DataTable).row_count == 1


async def test_a_bounded_input_measures_the_cursor_as_textual_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its shortcut for text typed at the end gives Textual's answer, tabs and wide chars too."""
    from textual.app import App, ComposeResult

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield BoundedInput(max_length=MAX_TEXT)

    app = One()
    async with app.run_test() as pilot:
        field = app.query_one(BoundedInput)
        field.focus()
        await pilot.press(*"ab", "tab", *"漢字x")
        for text in ("ab", "ab\t漢", "ab\t漢字x", "a\tb漢\t字"):
            field.value = text
            for position in [*range(len(text) + 1), 1, len(text), 0, len(text)]:
                expected = Input._position_to_cell(field, position)
                assert field._position_to_cell(position) == expected, (text, position)
        # Typing at the end of a long text measures only what was typed, never the whole text.
        field.value = "x" * 9_000
        field.action_end()
        await pilot.pause()
        measured: list[int] = []
        whole = Input._position_to_cell

        def counting(self: Input, position: int) -> int:
            measured.append(position)
            return whole(self, position)

        monkeypatch.setattr(Input, "_position_to_cell", counting)
        await pilot.press(*"y" * 10)
        assert field.value == "x" * 9_000 + "y" * 10
        assert measured == []


async def test_figures_on_the_map_are_remembered(tmp_path: Path, own_settings_file: Path) -> None:
    from procedo.tui.screens.process_map import MapScreen

    paths = make_paths(tmp_path)
    app = app_for(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, MapScreen) and app.screen.figures is None
        await pilot.press("f")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.figures is not None
    assert load_settings(own_settings_file)[0].map_figures is True
    again = app_for(paths)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(again.screen, MapScreen) and again.screen.figures is not None
        await pilot.press("f")  # hidden again: remembered as hidden
        await pilot.pause()
    assert load_settings(own_settings_file)[0].map_figures is False


def test_a_journal_file_that_cannot_be_written_is_opened_for_review(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from procedo.workspace import open_journal

    db = tmp_path / "journal.db"
    Journal(db).close()
    journal, reason = open_journal(db)
    journal.close()
    assert reason == ""
    monkeypatch.setattr("procedo.workspace.os.access", lambda path, mode: False)
    journal, reason = open_journal(db)
    journal.close()
    assert reason == "the journal file cannot be written"
