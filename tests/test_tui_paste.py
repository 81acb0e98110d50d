"""Pasting into a bounded field never loses text silently: a one-line field joins the lines,
and a paste past the limit keeps what fits; each time the operator is told."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input, OptionList

from procedo.engine.cleaning import MAX_NAME
from procedo.tui import StartRequest
from procedo.tui.screens.run import RunScreen
from procedo.tui.widgets.bounded import BoundedInput, BoundedTextArea
from tui_support import app_for, make_paths


def _messages(app: App[None]) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_multi_line_paste_into_the_na_reason_joins_its_lines(tmp_path: Path) -> None:
    app = app_for(make_paths(tmp_path), start=StartRequest("incident-response", "Tess", "pager"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        step = screen.run.current_step
        assert step is not None
        index = next(i for i, item in enumerate(step.items) if not item.critical)
        screen.query_one("#choices", OptionList).highlighted = index
        await pilot.press("x")
        await pilot.pause()
        field = app.screen.query_one("#dialog-input", Input)
        field.post_message(events.Paste("first line\nsecond [b]line[/b]\n"))
        await pilot.pause()
        assert field.value == "first line second [b]line[/b]"
        assert any("joined with spaces" in m for m in _messages(app))
        await pilot.press("enter")
        await pilot.pause()
        visit = screen.run.state.current
        assert visit is not None
        assert visit.mark(index).na_reason == "first line second [b]line[/b]"


class _Fields(App[None]):
    def compose(self) -> ComposeResult:
        yield BoundedInput(max_length=MAX_NAME, what="name")
        yield BoundedTextArea("ab", max_length=100, what="note")


async def test_a_paste_past_the_limit_keeps_what_fits_and_says_so() -> None:
    app = _Fields()
    async with app.run_test() as pilot:
        field = app.query_one(BoundedInput)
        field.focus()
        await pilot.press(*"Bo")
        field.post_message(events.Paste("x" * 5_000))
        await pilot.pause()
        assert field.value == "Bo" + "x" * (MAX_NAME - 2)
        message = _messages(app)[-1]
        assert f"{MAX_NAME - 2} pasted characters were kept, the other 4,882 refused" in message
        field.post_message(events.Paste("more"))  # full: nothing fits, nothing changes
        await pilot.pause()
        assert field.value == "Bo" + "x" * (MAX_NAME - 2)
        assert "0 pasted characters were kept, the other 4 refused" in _messages(app)[-1]


async def test_a_text_area_paste_past_the_limit_keeps_what_fits() -> None:
    app = _Fields()
    async with app.run_test() as pilot:
        area = app.query_one(BoundedTextArea)
        area.focus()
        area.move_cursor(area.document.end)
        area.post_message(events.Paste("line one\nline two " + "y" * 200))
        await pilot.pause()
        assert area.text == ("ab" + "line one\nline two " + "y" * 200)[:100]
        assert "98 pasted characters were kept, the other 120 refused" in _messages(app)[-1]
        area.post_message(events.Paste("z"))
        await pilot.pause()
        assert len(area.text) == 100 and not area.text.endswith("z")
