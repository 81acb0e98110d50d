"""Shared by the Pilot tests of issue 12: the press maintenance fixture (tests/interrupt_defs.py)
in a processes folder of its own, and the keys that raise an interrupt from the ``!`` list."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList

from interrupt_defs import INTERRUPTS
from procedo.config import Paths
from procedo.tui import ProcedoApp, StartRequest
from procedo.tui.screens.interrupt_dialog import InterruptPicker
from procedo.tui.screens.run import RunScreen
from tui_support import FakeClock, app_for, wait_until


def press_paths(tmp_path: Path, source: str = INTERRUPTS) -> Paths:
    """A processes folder holding only the press maintenance process, and a fresh journal."""
    folder = tmp_path / "processes"
    folder.mkdir(exist_ok=True)
    (folder / "press.toml").write_text(source, encoding="utf-8")
    return Paths(processes=folder, db=tmp_path / "journal.db")


def press_app(paths: Paths, clock: FakeClock | None = None) -> ProcedoApp:
    """The real app, starting a run of the press maintenance process as Ann."""
    return app_for(paths, start=StartRequest("press", "Ann"), clock=clock)


async def run_screen(pilot: Pilot[None]) -> RunScreen:
    """The run screen, once it shows."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RunScreen), "the run screen")
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen)
    return screen


async def open_picker(pilot: Pilot[None]) -> InterruptPicker:
    """Press ``!`` and wait for the list of interrupts."""
    await pilot.press("exclamation_mark")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, InterruptPicker), "the ! list")
    picker = pilot.app.screen
    assert isinstance(picker, InterruptPicker)
    picker.opened -= 10.0  # as if read long ago: enter's guard against stray keys is over
    return picker


async def raise_by_keys(pilot: Pilot[None], interrupt: str) -> None:
    """``!``, then down to ``interrupt`` in the list, then enter."""
    picker = await open_picker(pilot)
    rows = [found.interrupt for found in picker.judged]
    choices = picker.query_one(OptionList)
    for _ in range(len(rows)):
        if choices.highlighted is not None and rows[choices.highlighted] == interrupt:
            break
        await pilot.press("down")
    assert choices.highlighted is not None and rows[choices.highlighted] == interrupt, rows
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RunScreen), "the ! list closed")
