"""Every screen's footer shows whole keys only: none is cut off by the docked ^p key, also
right after the keys changed (a new screen, a dialog, a toggle)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from procedo.tui.screens.home import HomeScreen
from procedo.tui.screens.metrics import MetricsScreen
from tui_support import app_for, make_paths


async def _settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    for _ in range(4):
        await pilot.pause()


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
