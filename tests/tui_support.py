"""Helpers for driving the real app with the Pilot: a fixed clock and a key-driven walker."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList

from procedo.config import Paths
from procedo.model import Decision, Item
from procedo.tui import ProcedoApp, StartRequest, make_app
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.summary import SummaryScreen

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "processes"
FIXED_MS = 1_795_000_000_000  # 2026-11-18T...: far from "now", fixed for snapshots


class FakeClock:
    """A clock that moves only when told to (or by ``step`` ms per call)."""

    def __init__(self, start: int = FIXED_MS, step: int = 0) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> int:
        self.now += self.step
        return self.now

    def advance(self, ms: int) -> None:
        """Move the clock forward."""
        self.now += ms


def make_paths(tmp_path: Path, processes: Path | None = None) -> Paths:
    """A copy of the processes folder (or the given one) and a fresh journal in tmp_path."""
    folder = tmp_path / "processes"
    if not folder.exists():
        shutil.copytree(processes or BUNDLED, folder)
    return Paths(processes=folder, db=tmp_path / "journal.db")


def app_for(
    paths: Paths,
    *,
    start: StartRequest | None = None,
    resume: str | None = None,
    clock: Callable[[], int] | None = None,
) -> ProcedoApp:
    """The real app, as the CLI builds it."""
    return make_app(paths, start=start, resume=resume, clock=clock or FakeClock(step=1000))


def value_for(item: Item) -> str:
    """A valid value to record for an item."""
    if item.record == "choice":
        return item.choices[0]
    if item.record == "number":
        low = item.min if item.min is not None else 0
        high = item.max if item.max is not None else low + 10
        middle = (low + high) / 2
        return f"{middle:g}"
    return "ok [A-1]"


Chooser = Callable[[str, Decision, set[str]], int]


def first_new_option(node: str, decision: Decision, seen: set[str]) -> int:
    """The first option that leads somewhere not yet visited (else the first)."""
    for index, option in enumerate(decision.options):
        if option.next not in seen:
            return index
    return 0


def last_new_option(node: str, decision: Decision, seen: set[str]) -> int:
    """The last option that leads somewhere not yet visited (else the last)."""
    for index in reversed(range(len(decision.options))):
        if decision.options[index].next not in seen:
            return index
    return len(decision.options) - 1


async def fill_step(pilot: Pilot[None], *, keys: bool = True) -> None:
    """Tick or record every item of the current step, then complete it.

    With ``keys`` every action is a key press; without, the screen's actions and the dialogs'
    submit are called directly (the same code paths, minus the Pilot's per-key idle wait).
    """
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen)
    step = screen.run.current_step
    assert step is not None
    if not keys:
        choices = screen.query_one("#choices", OptionList)
        for index, item in enumerate(step.items):
            choices.highlighted = index
            screen.action_toggle()
            if item.record:
                await pilot.pause()
                dialog = pilot.app.screen
                dialog.attempt(dialog.check, value_for(item))  # type: ignore[attr-defined]
                await pilot.pause()
            assert screen.run.state.current.mark(index).done, f"item {index} not done"  # type: ignore[union-attr]
        screen.action_complete()
        await pilot.pause()
        return
    # No j between items: after a tick or a value the cursor is on the next open item.
    for index, item in enumerate(step.items):
        assert screen.query_one("#choices", OptionList).highlighted == index
        await pilot.press("space")
        if item.record:
            await pilot.pause()  # the value dialog opens
            keys = ["1"] if item.record == "choice" else [*value_for(item), "enter"]
            await pilot.press(*keys)
            await pilot.pause()  # the dialog closes
        assert pilot.app.screen is screen, f"item {index} left a dialog open"
        assert screen.run.state.current.mark(index).done, f"item {index} not done"  # type: ignore[union-attr]
    await pilot.press("c")
    await pilot.pause()


async def act_as_next_role(pilot: Pilot[None], *, keys: bool = True) -> None:
    """At a hand-over point, the operator acts as the next role (enter, once the guard is over)."""
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen)
    if screen.run.state.awaiting_role is None:
        return
    screen._point_shown -= 1000.0  # as if the point had been read long ago
    if keys:
        await pilot.press("enter")
    else:
        screen.action_accept_role()
    await pilot.pause()
    assert screen.run.state.awaiting_role is None, "the hand-over point is still open"


async def walk_to_end(
    pilot: Pilot[None], chooser: Chooser, *, keys: bool = True, max_moves: int = 80
) -> list[str]:
    """Drive the run screen until the summary shows; returns the nodes passed."""
    seen: set[str] = set()
    passed: list[str] = []
    for _ in range(max_moves):
        screen = pilot.app.screen
        if isinstance(screen, SummaryScreen):
            return passed
        assert isinstance(screen, RunScreen), type(screen).__name__
        await act_as_next_role(pilot, keys=keys)
        node = screen.run.state.current_node or ""
        seen.add(node)
        passed.append(node)
        decision = screen.run.definition.decisions.get(node)
        if decision is None:
            await fill_step(pilot, keys=keys)
        else:
            choice = chooser(node, decision, seen)
            if keys:
                await pilot.press(str(choice + 1))
            else:
                screen.action_choose(choice)
            await pilot.pause()
    raise AssertionError(f"no end reached after {max_moves} moves: {passed}")


def widget_text(app: object, selector: str) -> str:
    """What the widget matching ``selector`` displays, whitespace folded (lines joined)."""
    screen = app.screen  # type: ignore[attr-defined]
    widget = screen.query_one(selector)
    region = widget.region
    strips = screen._compositor.render_strips()
    rows = [strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]
    return " ".join(" ".join(rows).split())


def folded(text: str) -> str:
    """Whitespace folded the way :func:`widget_text` folds it."""
    return " ".join(text.split())


def squashed(text: str) -> str:
    """All whitespace removed: compares text that a narrow pane wrapped mid-word."""
    return "".join(text.split())
