"""The map screen: `d` from home for the highlighted process, `d` in a run with its place."""

from __future__ import annotations

from pathlib import Path

from procedo.model import load_file
from procedo.tui import StartRequest
from procedo.tui.screens.home import HomeScreen
from procedo.tui.screens.process_map import MapScreen
from procedo.tui.screens.run import RunScreen
from tui_support import (
    REPO,
    act_as_next_role,
    app_for,
    fill_step,
    make_paths,
    settle,
    widget_text,
)

BRACKETS = REPO / "tests" / "fixtures" / "brackets"


async def test_d_on_home_shows_the_highlighted_process_and_escape_returns(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        highlighted = home._highlighted_process()
        assert highlighted is not None
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MapScreen)
        assert screen.definition.id == highlighted.loaded.id
        text = widget_text(app, "#map-text")
        for step in highlighted.loaded.definition.steps.values():
            assert step.title in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home


async def test_d_in_a_run_highlights_the_current_node(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    definition = load_file(paths.processes / "incident-response.toml").definition
    app = app_for(paths, start=StartRequest("incident-response", "Tess", "pager"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        run_screen = app.screen
        assert isinstance(run_screen, RunScreen)
        await fill_step(pilot)
        await act_as_next_role(pilot)
        await pilot.press("1")  # customers affected: yes -> mitigate
        await pilot.pause()
        assert run_screen.run.state.current_node == "mitigate"
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MapScreen)
        text = widget_text(app, "#map-text")
        assert f"▶ {definition.steps['mitigate'].title}" in text
        assert f"✓ {definition.steps['triage'].title}" in text
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is run_screen
        assert run_screen.run.state.status == "active"


async def test_bracket_heavy_titles_are_drawn_literally_on_the_map(tmp_path: Path) -> None:
    paths = make_paths(tmp_path, BRACKETS)
    app = app_for(paths)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, MapScreen)
        assert "Step [b]one[/b] of [red]the[/red] plant" in widget_text(app, "#map-title")
        text = widget_text(app, "#map-text")
        for shown in (
            "Step [b]one[/b] · Operator [lead]",
            "◇ Is [it] ok? [y/n] · QA [$accent]",
            "├─ [Yes] → ● Done [b]ok[/b] (success)",
            "└─ No [/] → ↺ Step [b]one[/b]",
        ):
            assert shown in text
        assert app.is_running


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
