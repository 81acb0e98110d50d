"""Shared by the Pilot walks of issue 12 on the bundled processes
(tests/test_tui_bundled_walks_interrupts.py): start a bundled run, walk on to a node, do an
open checklist by keys, and read what the screen shows of it."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from procedo.config import Paths
from procedo.model import load_file
from procedo.tui import ProcedoApp, StartRequest
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.summary import SummaryScreen
from tui_interrupt_support import run_screen
from tui_support import (
    BUNDLED,
    FakeClock,
    act_as_next_role,
    app_for,
    fill_step,
    first_new_option,
    inputs_for,
    make_paths,
    static_text,
    value_for,
    wait_until,
    walk_to_end,
)

SIZE = (120, 40)
"""Wide and tall enough for the banner, the checklist and the status line at once."""


def bundled_start(process_id: str, operator: str = "Tess") -> StartRequest:
    """A bundled process started by its first trigger, every start input given."""
    definition = load_file(BUNDLED / f"{process_id}.toml").definition
    trigger = definition.triggers[0].id if definition.triggers else None
    return StartRequest(process_id, operator, trigger, inputs=inputs_for(definition))


def bundled_app(
    paths: Paths, process_id: str, clock: FakeClock | None = None, operator: str = "Tess"
) -> ProcedoApp:
    """The real app, starting a run of the bundled ``process_id``."""
    return app_for(paths, start=bundled_start(process_id, operator), clock=clock)


def banner(app: object) -> str:
    """The banner's text, line by line (empty when it is hidden)."""
    screen = app.screen  # type: ignore[attr-defined]
    if not screen.query_one("#interrupt-banner").display:
        return ""
    return static_text(screen, "#interrupt-banner")


def rows(screen: RunScreen) -> list[str]:
    """Every row of the checklist as it is drawn (a carried item's row holds its reason)."""
    choices = screen.panel.choices
    return [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]


async def walk_until(pilot: Pilot[None], node: str, *, max_moves: int = 30) -> RunScreen:
    """Walk the run on (every step filled, first new option at decisions) until the run
    screen is at ``node``, at its hand-over point accepted. The screens' actions are called
    directly here (the same code paths as the keys; the walk to the node is not under test)."""
    screen = await run_screen(pilot)
    seen: set[str] = set()
    for _ in range(max_moves):
        current = pilot.app.screen
        assert isinstance(current, RunScreen), type(current).__name__
        await act_as_next_role(pilot, keys=False)
        here = current.run.state.current_node or ""
        if here == node and current.run.state.parent_run is None:
            return current
        seen.add(here)
        decision = current.run.definition.decisions.get(here)
        if decision is None:
            await fill_step(pilot, keys=False)
        else:
            suggestion = current.run.suggestion()
            choice = first_new_option(here, decision, seen)
            if suggestion is not None and suggestion.option is not None:
                choice = suggestion.option
            current.action_choose(choice)
            await pilot.pause()
        if isinstance(pilot.app.screen, SummaryScreen):  # a called run ended: back to its parent
            pilot.app.screen.action_home()
            await pilot.pause()
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, RunScreen), "a run screen")
    raise AssertionError(f"{node!r} not reached from {screen.run.definition.id!r}")


async def do_open_items(pilot: Pilot[None]) -> list[str]:
    """Tick or record (by keys) every open line of the checklist shown, from the first; the
    values recorded, in order."""
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen)
    recorded: list[str] = []
    lines = screen.run.lines()
    for index, found in enumerate(lines):
        if found.mark.done:
            continue
        await wait_until(pilot, lambda i=index: screen.panel.highlighted == i, f"line {index}")
        await pilot.press("space")
        spec = found.spec
        if spec.record:
            await wait_until(pilot, lambda: pilot.app.screen is not screen, "the value dialog")
            value = value_for(spec)
            keys = ["1"] if spec.record == "choice" else [*value, "enter"]
            await pilot.press(*keys)
            recorded.append(spec.choices[0] if spec.record == "choice" else value)
        await wait_until(pilot, lambda: pilot.app.screen is screen, "back on the checklist")
        await wait_until(
            pilot, lambda i=index: screen.run.lines()[i].mark.done, f"line {index} done"
        )
    return recorded


async def finish(pilot: Pilot[None]) -> SummaryScreen:
    """Walk the rest of the run to an end (first new options) and return its summary."""
    await walk_to_end(pilot, first_new_option, keys=False)
    summary = pilot.app.screen
    assert isinstance(summary, SummaryScreen)
    return summary


def processes_with_interrupts() -> list[str]:
    """The bundled processes that have any non-normal checklist."""
    return [
        path.stem
        for path in sorted(BUNDLED.glob("*.toml"))
        if load_file(path).definition.interrupts
    ]


def bundled_paths(tmp_path: Path) -> Paths:
    """A copy of the bundled processes and a fresh journal."""
    return make_paths(tmp_path)
