"""The home's first frame comes before the journal and the catalog: it says it is loading,
never shows an empty list that looks final, then shows the lists."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.widgets import DataTable, Static

import procedo
from procedo.tui import make_app
from procedo.tui.screens.start import StartScreen
from tui_support import FakeClock, make_paths

SRC = Path(procedo.__file__).resolve().parents[1]


def _text(widget: Static) -> str:
    return str(widget.render())


async def test_home_says_it_is_loading_then_shows_the_lists(tmp_path: Path) -> None:
    paths = make_paths(tmp_path)
    app = make_app(paths, clock=FakeClock(step=0), defer_load=True)
    seen: list[tuple[str, int, bool]] = []
    original = app._open_workspace

    def open_workspace() -> None:
        """What the screen showed just before the workspace was opened."""
        screen = app.screen
        label = screen.query_one("#processes-label", Static)
        table = screen.query_one("#processes", DataTable)
        seen.append((_text(label), table.row_count, not app.workspace_ready))
        original()

    app._open_workspace = open_workspace  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        while not app.workspace_ready or not app.screen.query_one("#processes", DataTable).rows:
            await pilot.pause()
        assert seen == [("Reading the processes and the journal…", 0, True)]
        label = app.screen.query_one("#processes-label", Static)
        assert _text(label) == "Processes (8)"
        assert not app.screen.query_one("#unfinished", DataTable).display
        await pilot.press("enter")  # the lists answer keys as before
        while not isinstance(app.screen, StartScreen):
            await pilot.pause()


async def test_a_key_while_loading_does_nothing_wrong(tmp_path: Path) -> None:
    """h (history) is refused until the journal is open, instead of failing."""
    app = make_app(make_paths(tmp_path), clock=FakeClock(step=0), defer_load=True)
    refused: list[bool | None] = []
    original = app._open_workspace

    def open_workspace() -> None:
        refused.append(app.screen.check_action("history", ()))
        refused.append(app.screen.check_action("cursor", (1,)))
        original()

    app._open_workspace = open_workspace  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        while not app.workspace_ready:
            await pilot.pause()
    assert refused == [None, True]


def test_the_home_screen_imports_without_the_domain() -> None:
    """What the first frame needs imports neither the journal, the model nor the engine."""
    code = (
        "import sys, procedo.cli.tui_commands, procedo.tui, procedo.tui.screens.home\n"
        "print(' '.join(m for m in sys.modules if m.startswith(("
        "'procedo.journal', 'procedo.model', 'procedo.engine', 'procedo.workspace', "
        "'pydantic', 'sqlite_utils'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
