"""A deferred item's step titles are shown as the run fills them: the ``D`` dialog's hint and
the deferred mark say where it comes back with the step title's ``{id}`` filled from the
values recorded so far (they showed the raw ``{bar}``)."""

from __future__ import annotations

from pathlib import Path

from interrupt_defs import INTERRUPTS
from procedo.tui.screens.dialogs import TextPrompt
from tui_interrupt_support import press_app, press_paths, run_screen
from tui_support import fill_step, paste, wait_until, widget_text

TITLED = INTERRUPTS.replace('title = "Close out"', 'title = "Close out at {bar} bar"')


async def test_the_defer_hint_and_mark_fill_the_step_title(tmp_path: Path) -> None:
    app = press_app(press_paths(tmp_path, TITLED))
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await run_screen(pilot)
        await fill_step(pilot, keys=False)  # isolate: the reading is recorded as 5
        assert screen.run.scope()["bar"] == "5"
        screen.panel.select_line(1)  # Photograph the seals, deferrable to close
        await pilot.press("D")
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), "the reason")
        assert "It comes back at 'Close out at 5 bar'" in widget_text(app, ".dialog-hint")
        await paste(pilot, "Camera flat")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, "the dialog closed")
        node = widget_text(app, "#node")
        assert "deferred: Camera flat · do it at 'Close out at 5 bar'" in node
        assert "{bar}" not in node
