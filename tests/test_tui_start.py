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
        await pilot.press("ctrl+u", *"Dave")
        await pilot.pause()
        assert "Journaled as: Dave" in _text(screen, "#journaled-as")
