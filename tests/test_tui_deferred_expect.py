"""A deferred record item done at a later step whose value misses its ``expect``, on the run
screen: the engine refuses to complete the step until a reason is given (its words on the
status line), and ``e`` on that line should ask for the reason as at the item's own step.
The second gives the reason with ``e`` at the later step: the row, the progress hint and the
journal then say the deviation is accepted."""

from __future__ import annotations

from pathlib import Path

from interrupt_defs import INTERRUPTS
from procedo.tui.screens.dialogs import TextPrompt
from procedo.tui.screens.run import RunScreen
from tui_interrupt_support import press_app, press_paths, run_screen
from tui_support import wait_until, widget_text

HOURS = INTERRUPTS.replace(
    '{ text = "File the work order" }',
    '{ text = "Hours worked", record = "number", id = "hours", expect = "hours <= 8" }',
)


def to_close_with_hours_over(screen: RunScreen) -> None:
    """Through the engine the screen works with: the hours deferred at service, then 12 h
    recorded on them at close (line 2, after the close's own item)."""
    run = screen.run
    run.check(0)
    run.check(1)
    run.record(2, "7")
    run.complete()
    run.check(0)
    run.check(1)
    run.defer(2, "timesheet not in yet")
    run.check(3)
    run.complete()
    run.choose(0)
    run.check(0)
    run.record(1, "12")
    screen.refresh_view()


async def test_the_step_a_carried_deviation_is_done_at_waits_for_its_reason(
    tmp_path: Path,
) -> None:
    app = press_app(press_paths(tmp_path, HOURS))
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await run_screen(pilot)
        to_close_with_hours_over(screen)
        await pilot.press("c")
        await wait_until(pilot, lambda: "is a deviation" in widget_text(app, "#status"), "no")
        assert widget_text(app, "#status") == (
            "✗ 'Hours worked' is a deviation (expected hours <= 8, but hours = 12): give a "
            "reason to accept it, or record the value again"
        )
        assert screen.run.state.current_node == "close"


async def test_e_on_a_carried_deviation_asks_why_it_is_accepted(tmp_path: Path) -> None:
    app = press_app(press_paths(tmp_path, HOURS))
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await run_screen(pilot)
        to_close_with_hours_over(screen)
        screen.panel.select_line(1)
        await pilot.pause()
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), "the reason", 3.0)
        assert "Accept the deviation: Hours worked" in widget_text(app, ".dialog-title")
        await pilot.press(*"ran long", "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, TextPrompt), "the dialog shut")
        mark = screen.run.lines()[1].mark
        assert mark.deviation_reason == "ran long"
        await wait_until(
            pilot, lambda: "e: reason" not in widget_text(app, "#node"), "the hint gone"
        )
