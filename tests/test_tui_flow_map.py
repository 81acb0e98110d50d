"""The map beside a run: as wide as its titles need, within what the screen can spare."""

from __future__ import annotations

from pathlib import Path

from procedo.tui import StartRequest
from procedo.tui.widgets.flow_map import FlowMap, fitted_width
from tui_support import app_for, make_paths, widget_text

LAB = StartRequest("lab-sample-intake", "Tess", "courier")
TITLE = "Unpack the shipment and read the temperatures"


def test_the_width_follows_the_longest_line_within_the_room_there_is() -> None:
    assert fitted_width(30, 100) == 30  # short titles: no wider than they need
    assert fitted_width(80, 100) == 36  # leaves 64 columns to the node
    assert fitted_width(80, 160) == 72  # at most 45 % of a wide screen
    assert fitted_width(10, 60) == 24  # never narrower than 24


async def test_the_map_uses_the_width_there_is_and_cuts_titles_only_when_it_must(
    tmp_path: Path,
) -> None:
    app = app_for(make_paths(tmp_path), start=LAB)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(FlowMap).outer_size.width == 36  # was 28 whatever the room
        # the lab map now runs past the pane (its non-normal checklists): a scrollbar takes 2
        assert "▶ Unpack the shipment and read…" in widget_text(app, "#flow-map")
        await pilot.resize_terminal(160, 30)
        await pilot.pause()
        assert f"▶ {TITLE}" in widget_text(app, "#flow-map"), "room enough: the whole title"
        assert app.screen.query_one(FlowMap).outer_size.width == 72  # 45 % of 160
