"""The run footer follows the non-normal checklist: no ``D Defer`` inside one (its items are
done now), and back as soon as the run returns to the step, also when the return asks
nothing (no dialog, so no focus change refreshes the keys by chance)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from tui_interrupt_support import press_app, press_paths, raise_by_keys, run_screen
from tui_support import wait_until, widget_text


async def footer_settles(pilot: Pilot[None], defer_shown: bool) -> None:
    await wait_until(
        pilot,
        lambda: ("D Defer" in widget_text(pilot.app, "Footer")) == defer_shown,
        f"D Defer {'in' if defer_shown else 'out of'} the footer",
    )


async def test_defer_leaves_the_footer_inside_an_interrupt_and_comes_back(
    tmp_path: Path,
) -> None:
    app = press_app(press_paths(tmp_path))
    async with app.run_test(size=(120, 34)) as pilot:
        screen = await run_screen(pilot)
        await pilot.press("space")
        await footer_settles(pilot, True)
        await raise_by_keys(pilot, "leak")
        await footer_settles(pilot, False)
        assert "! Non-normal" in widget_text(app, "Footer")
        screen.run.check(0)  # the leak's items, then c: a plain return asks nothing
        screen.run.record(1, "2")
        screen.refresh_view()
        await pilot.press("c")
        await wait_until(pilot, lambda: not screen.run.state.frames, "the return")
        await footer_settles(pilot, True)
