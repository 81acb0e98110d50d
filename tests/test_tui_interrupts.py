"""The run screen's non-normal checklists (issue 12): ``!`` lists them by priority, the banner
says what is open, what it interrupted and what is queued, ``c`` returns to the exact item
(asking the ``after`` question first), and a run reopened inside one shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from interrupt_defs import INTERRUPTS
from procedo.journal import Journal
from procedo.tui.screens.dialogs import ChoicePrompt, Confirm
from procedo.tui.screens.summary import SummaryScreen
from procedo.tui.text import shown
from tui_interrupt_support import open_picker, press_app, press_paths, raise_by_keys, run_screen
from tui_support import app_for, fill_step, static_text, wait_until, widget_text

LEAK_AT_ITEM_3 = "NON-NORMAL · ▲ CAUTION · Oil leak · interrupted: Isolate the press, item 3"


def banner(app: object) -> str:
    """The banner's text, line by line (empty when it is hidden)."""
    screen = app.screen  # type: ignore[attr-defined]
    if not screen.query_one("#interrupt-banner").display:
        return ""
    return static_text(screen, "#interrupt-banner")


async def test_raised_mid_checklist_it_shows_its_own_and_returns_to_the_exact_item(
    tmp_path: Path,
) -> None:
    paths = press_paths(tmp_path)
    app = press_app(paths)
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await run_screen(pilot)
        await pilot.press("space", "j")  # item 1 ticked; the cursor on item 3, not the open 2
        await pilot.pause()
        assert screen.panel.highlighted == 2
        picker = await open_picker(pilot)
        listed = widget_text(app, "#dialog-choices")
        assert listed.index("⚠ WARNING Fire alarm") < listed.index("▲ CAUTION Oil leak")
        assert listed.index("▲ CAUTION Oil leak") < listed.index("ℹ ADVISORY Phone call")
        assert "cannot be raised: 'Phone call' applies only at 'Service the press'" in listed
        assert [found.reason == "" for found in picker.judged] == [True, True, True, False]
        await pilot.press("escape")
        await pilot.pause()
        await raise_by_keys(pilot, "leak")

        assert banner(app) == LEAK_AT_ITEM_3
        assert screen.query_one("#interrupt-banner").has_class("-caution")
        node = widget_text(app, "#node")
        assert "Non-normal Oil leak" in node and "[ ] Contain the leak" in node
        assert "Lock the main switch" not in node
        assert "'Oil leak' raised" in widget_text(app, "#status")
        assert screen.panel.highlighted == 0
        await pilot.press("c")  # open items: refused with the engine's words
        await pilot.pause()
        assert "2 items still open: 'Contain the leak'; 'Litres spilled'" in widget_text(
            app, "#status"
        )
        await pilot.press("space", "space")  # ticked; then the value dialog of the record item
        await pilot.pause()
        await pilot.press("2", "enter")
        await pilot.pause()
        assert "[✓] Contain the leak" in widget_text(app, "#node")
        await pilot.press("c")
        await pilot.pause()

        state = screen.run.state
        assert state.frames == [] and state.current_node == "isolate"
        assert banner(app) == ""
        assert screen.panel.highlighted == 2  # the exact item, not the first open one
        node = widget_text(app, "#node")
        assert "[✓] Lock the main switch" in node and "[ ] Bleed the accumulator" in node
        assert "'Oil leak' done; back at 'Isolate the press', item 3" in widget_text(app, "#status")
        run_id = screen.run.run_id
    with Journal(paths.db) as journal:
        rows = journal.rows(
            "SELECT kind, node, item, value, branch FROM events WHERE run_id = ? "
            "AND kind IN ('interrupt', 'return') ORDER BY seq",
            (run_id,),
        )
    assert [tuple(row.values()) for row in rows] == [
        ("interrupt", "leak", 2, "isolate", None),
        ("return", "leak", None, "return", "!leak"),
    ]


async def test_a_warning_interrupts_a_caution_and_the_queue_is_shown(tmp_path: Path) -> None:
    app = press_app(press_paths(tmp_path))
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await run_screen(pilot)
        await fill_step(pilot, keys=False)  # isolate: on to service (where calls apply)
        await raise_by_keys(pilot, "leak")
        await raise_by_keys(pilot, "fire")  # a warning: over the caution
        picker = await open_picker(pilot)
        assert "Phone call then back here queued behind Fire alarm" in widget_text(
            app, "#dialog-choices"
        )
        await pilot.press("escape")
        await pilot.pause()
        await raise_by_keys(pilot, "call")
        assert "'Phone call' queued behind 'Fire alarm'" in widget_text(app, "#status")
        assert banner(app).splitlines() == [
            "NON-NORMAL · ⚠ WARNING · Fire alarm · interrupted: Oil leak, item 1",
            "then back to: Oil leak (interrupted: Service the press, item 1)",
            "queued: Phone call",
        ]
        assert screen.query_one("#interrupt-banner").has_class("-warning")
        assert picker.judged[0].interrupt == "fire"

        await pilot.press("space", "space", "c")  # fire's items, then its question
        await wait_until(pilot, lambda: isinstance(app.screen, ChoicePrompt), "the question")
        assert "Is the all-clear given?" in widget_text(app, ".dialog-title")
        await pilot.press("1")  # Yes: resume
        await pilot.pause()
        assert banner(app).splitlines() == [
            "NON-NORMAL · ▲ CAUTION · Oil leak · interrupted: Service the press, item 1",
            "queued: Phone call",
        ]
        assert "'Fire alarm' done; back to 'Oil leak'" in widget_text(app, "#status")

        await pilot.press("space", "space")
        await pilot.pause()
        await pilot.press("1", "enter")
        await pilot.pause()
        await pilot.press("c")  # the leak returns: the queued call starts by itself
        await pilot.pause()
        assert banner(app) == (  # where the leak had interrupted: it returns there
            "NON-NORMAL · ℹ ADVISORY · Phone call · interrupted: Service the press, item 1"
        )
        assert screen.query_one("#interrupt-banner").has_class("-advisory")
        assert "'Phone call' starts now (it was queued)" in widget_text(app, "#status")
        await pilot.press("space", "c")
        await pilot.pause()
        assert banner(app) == "" and screen.run.state.current_node == "service"


async def test_the_after_question_can_abandon_the_run(tmp_path: Path) -> None:
    app = press_app(press_paths(tmp_path))
    async with app.run_test(size=(110, 34)) as pilot:
        await run_screen(pilot)
        await raise_by_keys(pilot, "fire")
        await pilot.press("space", "space", "c")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoicePrompt), "the question")
        assert "1. Yes: resume 2. No: abandon" in widget_text(app, "#dialog-choices")
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen), "the summary")
        summary = widget_text(app, "#summary")
        assert "FAILURE: Abandoned: the lockout stays" in summary
        assert "Non-normal checklists ⚠ WARNING Fire alarm" in summary
        assert "interrupted: Isolate the press, item 1" in summary
        assert "then went on at Abandoned: the lockout stays" in summary


async def test_an_interrupt_title_with_markup_shows_literally(tmp_path: Path) -> None:
    hostile = INTERRUPTS.replace('title = "Oil leak"', 'title = "[bold]x[/]"').replace(
        '"Contain the leak"', '"[red]y[/] $x"'
    )
    app = press_app(press_paths(tmp_path, hostile))
    async with app.run_test(size=(110, 34)) as pilot:
        await run_screen(pilot)
        await open_picker(pilot)
        assert "▲ CAUTION [bold]x[/] then back here" in widget_text(app, "#dialog-choices")
        await pilot.press("escape")
        await pilot.pause()
        await raise_by_keys(pilot, "leak")
        assert banner(app) == (
            "NON-NORMAL · ▲ CAUTION · [bold]x[/] · interrupted: Isolate the press, item 1"
        )
        assert "[ ] [red]y[/] $x" in widget_text(app, "#node")
        assert "'[bold]x[/]' raised" in widget_text(app, "#status")
        assert shown("[bold]x[/]") == "[bold]x[/]"


async def test_a_run_killed_inside_an_interrupt_reopens_inside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = press_paths(tmp_path)
    app = press_app(paths)
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await run_screen(pilot)
        await pilot.press("space", "space", "j")  # two ticked; the cursor past the record item
        await pilot.pause()
        screen.panel.select_line(1)  # back on the second (a tick was done there)
        await raise_by_keys(pilot, "leak")
        await pilot.press("space")  # the leak's first item ticked
        await pilot.pause()
        run_id = screen.run.run_id
        screen._released = True  # killed: nothing is paused or released on the way out
    monkeypatch.setattr("procedo.journal.lease.pid_alive", lambda pid: False)
    monkeypatch.setenv("PROCEDO_OPERATOR", "Ann")  # the same operator goes on: no question

    again = app_for(paths, resume=run_id)
    async with again.run_test(size=(110, 34)) as pilot:
        screen = await run_screen(pilot)
        assert not screen.read_only
        assert banner(again) == LEAK_AT_ITEM_3.replace("item 3", "item 2")
        node = widget_text(again, "#node")
        assert "[✓] Contain the leak" in node and "[ ] Litres spilled" in node
        assert screen.panel.highlighted == 1  # the first open item of the leak
        await pilot.press("space", "1", "enter")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert screen.run.state.current_node == "isolate" and screen.panel.highlighted == 1
        node = widget_text(again, "#node")
        assert "[✓] Lock the main switch" in node and "[✓] Bleed the accumulator" in node


async def test_an_interrupt_that_leads_away_asks_once_more(tmp_path: Path) -> None:
    app = press_app(press_paths(tmp_path))
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await run_screen(pilot)
        await raise_by_keys(pilot, "injury")
        await pilot.press("space", "c")
        await wait_until(pilot, lambda: isinstance(app.screen, Confirm), "the confirmation")
        assert "Finish 'Injury'?" in widget_text(app, ".dialog-title")
        assert "goes on at 'Abandoned: the lockout stays'" in widget_text(app, ".dialog-hint")
        await pilot.press("n")  # not yet: still inside it
        await pilot.pause()
        assert app.screen is screen and screen.run.state.current_node == "injury"
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, Confirm), "the confirmation")
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen), "the summary")
        summary = widget_text(app, "#summary")
        assert "FAILURE: Abandoned: the lockout stays" in summary
        assert "1. Isolate the press" in summary and "2. Injury" in summary
        assert "ticked Give first aid" in summary
