"""The start screen: who is journaled."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from procedo.journal import Journal
from procedo.model import load_file
from procedo.tui.screens.start import StartScreen
from tui_support import (
    app_for,
    make_paths,
)
from tui_support import (
    static_text as _text,
)


async def test_start_defaults_to_the_login_name_not_the_last_recipient(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROCEDO_OPERATOR", "Carol")
    paths = make_paths(tmp_path)
    with Journal(paths.db) as journal:
        loaded = load_file(paths.processes / "incident-response.toml")
        run = journal.start_run(loaded, "Alice", "pager")
        run.hand_over("Bob")
    app = app_for(paths)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_start("incident-response")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StartScreen)
        assert screen.query_one("#operator", Input).value == "Carol"
        assert "Journaled as: Carol" in _text(screen, "#journaled-as")
        await pilot.click("#operator")  # a name given is changed on purpose only
        await pilot.press("end", "ctrl+u", *"Dave")
        await pilot.pause()
        assert "Journaled as: Dave" in _text(screen, "#journaled-as")


async def test_the_first_keys_never_type_into_a_name_already_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A digit pressed to pick the trigger, or any stray key, must not replace the operator's
    name (the field selected its text on focus: "1" became the operator)."""
    monkeypatch.setenv("PROCEDO_OPERATOR", "Carol")
    app = app_for(make_paths(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_start("incident-response")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StartScreen)
        await pilot.press("1", "x", "down")
        await pilot.pause()
        assert screen.query_one("#operator", Input).value == "Carol"
        assert "Journaled as: Carol" in _text(screen, "#journaled-as")
        await pilot.click("#operator")
        await pilot.press("end", "e")  # clicked into: a key adds to the name, never replaces it
        await pilot.pause()
        assert screen.query_one("#operator", Input).value == "Carole"
