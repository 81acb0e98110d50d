"""Bounded fields: a name or a text stops at its limit, quickly, and says so once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.widgets import Input

from procedo.engine.cleaning import MAX_NAME, MAX_TEXT
from procedo.tui.widgets.bounded import BoundedInput, BoundedTextArea
from tui_support import (
    app_for,
    make_paths,
)


async def test_twenty_thousand_keystrokes_stop_at_the_limit_quickly(tmp_path: Path) -> None:
    app = app_for(make_paths(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_start("incident-response")
        await pilot.pause()
        field = app.screen.query_one("#operator", BoundedInput)
        field.value = ""
        field.focus()
        await pilot.pause()
        # CPU time, not the wall clock: a loaded machine (the suite's other workers) stretches
        # the wall clock, not the work the app does for the keys
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(20_000):
            app.screen.post_message(_key("a"))  # as a scanner types, one key at a time
        await pilot.pause()
        while len(field.value) < MAX_NAME and time.perf_counter() - started < 60:
            await pilot.pause()
        await pilot.pause()
        elapsed = time.process_time() - cpu
        assert field.value == "a" * MAX_NAME
        print(f"20,000 keys: {elapsed:.2f} s of CPU, {time.perf_counter() - started:.2f} s")
        assert elapsed < 5, f"20,000 keys took {elapsed:.2f} s of CPU"
        warnings = [n.message for n in app._notifications if "limited to" in n.message]
        assert len(warnings) == 1  # said once, not once per refused key


def _key(character: str):
    from textual import events

    return events.Key(character, character)


async def test_a_text_area_refuses_past_its_limit_and_keeps_the_text(tmp_path: Path) -> None:
    from textual.app import App, ComposeResult

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield BoundedTextArea("x" * (MAX_TEXT - 2), max_length=MAX_TEXT, what="note")

    app = One()
    async with app.run_test() as pilot:
        area = app.query_one(BoundedTextArea)
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.press("a", "b", "c", "d")
        await pilot.pause()
        assert area.text == "x" * (MAX_TEXT - 2) + "ab"
        await pilot.press("backspace", "e")
        assert area.text.endswith("ae") and len(area.text) == MAX_TEXT


async def test_a_bounded_input_measures_the_cursor_as_textual_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its shortcut for text typed at the end gives Textual's answer, tabs and wide chars too."""
    from textual.app import App, ComposeResult

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield BoundedInput(max_length=MAX_TEXT)

    app = One()
    async with app.run_test() as pilot:
        field = app.query_one(BoundedInput)
        field.focus()
        await pilot.press(*"ab", "tab", *"漢字x")
        for text in ("ab", "ab\t漢", "ab\t漢字x", "a\tb漢\t字"):
            field.value = text
            for position in [*range(len(text) + 1), 1, len(text), 0, len(text)]:
                expected = Input._position_to_cell(field, position)
                assert field._position_to_cell(position) == expected, (text, position)
        # Typing at the end of a long text measures only what was typed, never the whole text.
        field.value = "x" * 9_000
        field.action_end()
        await pilot.pause()
        measured: list[int] = []
        whole = Input._position_to_cell

        def counting(self: Input, position: int) -> int:
            measured.append(position)
            return whole(self, position)

        monkeypatch.setattr(Input, "_position_to_cell", counting)
        await pilot.press(*"y" * 10)
        assert field.value == "x" * 9_000 + "y" * 10
        assert measured == []
