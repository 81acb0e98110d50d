"""Remembered settings: the theme and the map's figures between starts, a broken file ignored."""

from __future__ import annotations

from pathlib import Path

from procedo.settings import Settings, load_settings, save_settings
from procedo.tui.screens.home import HomeScreen
from tui_support import (
    app_for,
    make_paths,
)


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
