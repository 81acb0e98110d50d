"""Every screen's footer shows whole keys only: none is cut off by the docked ^p key, also
right after the keys changed (a new screen, a dialog, a toggle); and it offers the keys that
apply there (the option keys at a decision, no editing keys when read-only)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from procedo.journal import Journal
from procedo.model import load_file
from procedo.tui import StartRequest
from procedo.tui.screens.home import HomeScreen
from procedo.tui.screens.metrics import MetricsScreen
from procedo.tui.screens.run import RunScreen
from tui_support import app_for, fill_step, make_paths, wait_until, widget_text


def _fitted(screen: Screen[object]) -> bool:
    """Whether the screen's footer keys are laid out and each is shown or hidden as its width
    says (the fit runs after a refresh, several under a dialog: a fixed number of pauses was
    not always enough under load)."""
    footer = screen.query_one(Footer)
    keys = [k for k in footer.query(FooterKey) if k.display]
    if not footer.size.width or not keys or any(not k.outer_size.width for k in keys):
        return False
    docked = [k for k in keys if k.has_class("-command-palette")]
    room = footer.size.width - sum(k.outer_size.width + k.styles.margin.width for k in docked)
    x = 0
    for key in keys:
        if key in docked:
            continue
        x += key.styles.margin.left + key.outer_size.width
        if (key.styles.visibility == "hidden") != (x > room):
            return False
        x += key.styles.margin.right
    return all(k.region.width for k in keys if k.styles.visibility != "hidden")  # drawn


def _shown_footers(app: App[object]) -> list[Screen[object]]:
    """The screens whose footer is on screen: the top one, and those under dialogs."""
    shown: list[Screen[object]] = []
    for screen in reversed(app.screen_stack):
        shown.append(screen)
        if not isinstance(screen, ModalScreen):
            break
    return [s for s in shown if s.query(Footer)]


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.pause()  # a screen just pushed is mounted
    await pilot.app.workers.wait_for_complete()
    app = pilot.app
    await wait_until(
        pilot,
        lambda: all(_fitted(s) for s in _shown_footers(app)),
        "the footers fitted",
    )


def _cut_keys(pilot: Pilot[None]) -> list[str]:
    """The keys shown (visible) that end past where the ^p key begins."""
    footer = pilot.app.screen.query_one(Footer)
    keys = list(footer.query(FooterKey))
    palette = [k for k in keys if k.has_class("-command-palette")]
    assert palette, "no ^p key"
    room = palette[0].region.x
    return [
        f"{k.key} {k.description}"
        for k in keys
        if k not in palette and k.styles.visibility != "hidden" and k.region.right > room
    ]


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_metrics_footer_keeps_whole_keys(tmp_path: Path, size: tuple[int, int]) -> None:
    app = app_for(make_paths(tmp_path))
    async with app.run_test(size=size) as pilot:
        await _settle(pilot)
        await pilot.press("m")
        await _settle(pilot)
        assert isinstance(app.screen, MetricsScreen)
        assert _cut_keys(pilot) == []
        await pilot.press("a")  # all processes: other keys, refitted
        await _settle(pilot)
        assert _cut_keys(pilot) == []


async def test_home_footer_keeps_whole_keys_under_the_start_dialog(tmp_path: Path) -> None:
    app = app_for(make_paths(tmp_path))
    async with app.run_test(size=(60, 20)) as pilot:
        await _settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        app.open_start("incident-response")
        await _settle(pilot)
        assert app.screen is not home
        footer = home.query_one(Footer)
        palette = next(k for k in footer.query(FooterKey) if k.has_class("-command-palette"))
        shown = [
            k
            for k in footer.query(FooterKey)
            if k is not palette and k.styles.visibility != "hidden"
        ]
        assert shown and all(k.region.right <= palette.region.x for k in shown)


async def test_run_footer_fits_80_columns_and_offers_the_option_keys(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths, start=StartRequest("incident-response", "Alice", "pager"))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        footer = widget_text(app, "Footer")
        for entry in ("space Tick", "c Done", "q Pause", "? Help"):
            assert entry in footer, footer
        await fill_step(pilot, keys=False)
        await _settle(pilot)
        footer = widget_text(app, "Footer")
        assert "1-9 Choose" in footer and "? Help" in footer, footer
        assert "space Tick" not in footer


async def test_metrics_offer_by_version_only_for_one_process(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = app_for(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_metrics("incident-response")
        await _settle(pilot)
        assert "v By version" in widget_text(app, "Footer")
        await pilot.press("a")  # all processes
        await _settle(pilot)
        assert "v By version" not in widget_text(app, "Footer")
        await pilot.press("a")
        await _settle(pilot)
        assert "v By version" in widget_text(app, "Footer")


async def test_read_only_footer_lists_no_editing_keys(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    loaded = load_file(paths.processes / "incident-response.toml")
    with Journal(paths.db) as holder:
        run = holder.start_run(loaded, "Alice", "pager")
        app = app_for(paths, resume=run.run_id)
        async with app.run_test(size=(100, 30)) as pilot:
            await _settle(pilot)
            assert isinstance(app.screen, RunScreen) and app.screen.read_only
            footer = widget_text(app, "Footer")
            assert "t Take over" in footer
            for entry in ("space Tick", "x N/A", "c Done"):
                assert entry not in footer, footer
            await pilot.press("space")
            await pilot.pause()
            assert "read-only" in widget_text(app, "#status")
