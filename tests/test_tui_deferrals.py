"""Deferred items on the run screen (issue 12): ``D`` asks why and defers the highlighted item,
the step completes "except 1 deferred", the item comes back at its ``defer_to`` step under
"Deferred from <step>", a success end waits for it, and the summary lists it. Never a critical
item, never inside an interrupt (the engine's words); the footer and help show ``!`` and ``D``."""

from __future__ import annotations

from pathlib import Path

from procedo.tui.screens.dialogs import TextPrompt
from procedo.tui.screens.help import HelpScreen
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.summary import SummaryScreen, summary_parts
from tui_interrupt_support import press_app, press_paths, raise_by_keys, run_screen
from tui_support import fill_step, paste, wait_until, widget_text


async def defer_highlighted(pilot, reason: str) -> None:  # type: ignore[no-untyped-def]
    """``D``, the reason, enter."""
    await pilot.press("D")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TextPrompt), "the reason")
    await paste(pilot, reason)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RunScreen), "the dialog closed")


async def test_a_deferred_item_comes_back_at_its_step_and_is_done_there(tmp_path: Path) -> None:
    app = press_app(press_paths(tmp_path))
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await run_screen(pilot)
        await fill_step(pilot, keys=False)  # isolate
        await pilot.press("j", "D")  # "Photograph the seals"
        await wait_until(pilot, lambda: isinstance(app.screen, TextPrompt), "the reason")
        assert "Defer: Photograph the seals" in widget_text(app, ".dialog-title")
        assert "It comes back at 'Close out'" in widget_text(app, ".dialog-hint")
        await pilot.press("enter")  # no reason: refused in the dialog
        await pilot.pause()
        assert "Type something first" in widget_text(app, "#dialog-error")
        await paste(pilot, "Camera [b]flat[/]")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, "the dialog closed")

        node = widget_text(app, "#node")
        assert "[»] Photograph the seals deferred: Camera [b]flat[/] · do it at 'Close out'" in node
        assert "0/3 done, 1 deferred" in node
        assert screen.panel.highlighted == 2  # on to the next open item
        await pilot.press("space", "space")  # items 3 and 4; round to the open item 1
        await pilot.pause()
        assert screen.panel.highlighted == 0
        await pilot.press("space", "c")
        await pilot.pause()
        assert "step 'Service the press' completed except 1 deferred" in widget_text(app, "#status")
        await pilot.press("1")  # the press runs clean: to close out
        await pilot.pause()

        assert screen.run.state.current_node == "close"
        choices = screen.panel.choices
        rows = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        assert rows == [
            "[ ] Remove the locks",
            "Deferred from Service the press",
            "[ ] Photograph the seals\n    deferred by Ann: Camera [b]flat[/]",
        ]
        assert choices.get_option_at_index(1).disabled  # a header: the cursor skips it
        assert "0/1 done, 1 deferred here" in widget_text(app, "#node")
        await pilot.press("space")  # Remove the locks; the cursor skips the header
        await pilot.pause()
        assert screen.panel.highlighted == 1
        assert screen.panel.choices.highlighted == 2  # the row under the header
        await pilot.press("c")  # a success end waits for the deferred item
        await pilot.pause()
        assert widget_text(app, "#status") == (
            "✗ 1 deferred item is open: 'Photograph the seals' (from 'Service the press', do it "
            "at 'Close out'); the run cannot end with success before they are done"
        )
        await pilot.press("space")
        await pilot.pause()
        assert "[✓] Photograph the seals" in widget_text(app, "#node")
        deferral = screen.run.state.deferrals[0]
        assert deferral.done_visit == screen.run.state.current.index  # type: ignore[union-attr]
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen), "the summary")
        summary = widget_text(app, "#summary")
        assert "SUCCESS: Back in service" in summary
        assert (
            "Deferred items Photograph the seals — Camera [b]flat[/] (from Service the press, to "
            "be done at Close out) deferred by Ann at " in summary
        )
        assert "ticked at Close out, " in summary


async def test_an_open_deferral_is_highlighted_on_the_summary(tmp_path: Path) -> None:
    app = press_app(press_paths(tmp_path))
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await run_screen(pilot)
        await fill_step(pilot, keys=False)
        screen.panel.select_line(1)
        await defer_highlighted(pilot, "Camera flat")
        for line in (0, 2, 3):
            screen.panel.select_line(line)
            await pilot.press("space")
        await pilot.press("c", "2")  # the press does not run clean: a failure end
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen), "the summary")
        summary = widget_text(app, "#summary")
        assert "Deferred items (1 open)" in summary
        assert summary.endswith("OPEN: do it at Close out")
        parts = summary_parts(screen.run.definition, screen.run.state)
        assert ("Photograph the seals", "bold $warning") in parts
        assert ("Change the filter", "bold $warning") not in parts


async def test_a_critical_item_and_the_items_of_an_interrupt_are_never_deferred(
    tmp_path: Path,
) -> None:
    app = press_app(press_paths(tmp_path))
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await run_screen(pilot)
        await fill_step(pilot, keys=False)
        screen.panel.select_line(3)  # Torque the bolts, critical
        await pilot.press("D")
        await pilot.pause()
        assert app.screen is screen  # no reason asked
        assert widget_text(app, "#status") == (
            "✗ 'Torque the bolts' is critical: it can never be deferred"
        )
        await raise_by_keys(pilot, "leak")
        assert "D Defer" not in widget_text(app, "FittedFooter")
        await pilot.press("D")
        await pilot.pause()
        assert app.screen is screen
        assert widget_text(app, "#status") == (
            "✗ the items of a non-normal checklist are done now: they cannot be deferred"
        )
        assert screen.run.state.deferrals == []


async def test_the_footer_and_help_show_the_keys(tmp_path: Path) -> None:
    app = press_app(press_paths(tmp_path))
    async with app.run_test(size=(150, 34)) as pilot:
        await run_screen(pilot)
        footer = widget_text(app, "FittedFooter")
        assert "! Non-normal" in footer and "D Defer" in footer
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        listed = widget_text(app, "#help")
        assert "! Non-normal" in listed and "D Defer" in listed
