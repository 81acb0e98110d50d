"""Shared by the Pilot walks of issue 12 on the bundled processes
(tests/test_tui_bundled_walks_interrupts.py): start a bundled run, walk on to a node, do an
open checklist by keys, and read what the screen shows of it."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from procedo.config import Paths
from procedo.engine import Run
from procedo.model import AfterChoice, load_file
from procedo.tui import ProcedoApp, StartRequest
from procedo.tui.screens.dialogs import ChoicePrompt
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.summary import SummaryScreen
from tui_interrupt_support import run_screen
from tui_support import (
    BUNDLED,
    FakeClock,
    app_for,
    fill_step,
    first_new_option,
    folded,
    inputs_for,
    make_paths,
    paste,
    sign_through_engine,
    static_text,
    value_for,
    wait_out,
    wait_until,
    widget_text,
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


def _walk_step(app: ProcedoApp, run: Run) -> None:
    """Tick or record every open item of the step the run is at, then complete it, through
    the engine (the item operations the keys call)."""
    step, visit = run.current_step, run.state.current
    assert step is not None and visit is not None
    checks = run.item_checks()[: len(step.items)]  # the own items (deferred lines follow)
    for index, (item, check) in enumerate(zip(step.items, checks, strict=True)):
        mark = visit.mark(index)
        if not check.active or mark.done or mark.deferred:
            continue
        wait_out(run, index)  # a wait (the incident's watch) is waited out on the fake clock
        if item.record:
            run.record(index, value_for(item))
        else:
            run.check(index)
    sign_through_engine(app, run)
    run.complete()


async def walk_until(pilot: Pilot[None], node: str) -> RunScreen:
    """Walk the run on until the run screen is at ``node`` (see :func:`walk_on`)."""
    screen = await walk_on(pilot, node)
    assert isinstance(screen, RunScreen)
    return screen


async def finish(pilot: Pilot[None]) -> SummaryScreen:
    """Walk the rest of the run to an end (see :func:`walk_on`) and return its summary."""
    summary = await walk_on(pilot, None)
    assert isinstance(summary, SummaryScreen)
    return summary


async def walk_on(
    pilot: Pilot[None], node: str | None, *, max_moves: int = 40
) -> RunScreen | SummaryScreen:
    """Walk the run on (every step filled, the suggestion or the first new option at
    decisions, every hand-over point accepted) until the run screen is at ``node`` (with
    None: until the run's summary shows).

    The walk is not under test: it goes through the engine the screen drives (one redraw
    per node instead of a key's idle wait per item), except at a step that calls another
    process, which goes through the screen's actions so that the app opens the called run
    and comes back to it."""
    screen = await run_screen(pilot)
    seen: set[str] = set()
    for _ in range(max_moves):
        current = pilot.app.screen
        if isinstance(current, SummaryScreen):
            if current.run.state.parent_run is None:
                assert node is None, f"the run ended before {node!r}"
                return current
            current.action_home()  # a called run ended: back to the run that called it
            await wait_until(pilot, lambda: isinstance(pilot.app.screen, RunScreen), "its parent")
            continue
        assert isinstance(current, RunScreen), type(current).__name__
        run = current.run
        if run.state.awaiting_role is not None:
            run.accept_role()
        here = run.state.current_node or ""
        if here == node and run.state.parent_run is None:
            current.refresh_view()
            await pilot.pause()
            return current
        seen.add(here)
        decision = run.definition.decisions.get(here)
        step = run.definition.steps.get(here)
        if decision is not None:
            suggestion = run.suggestion()
            choice = first_new_option(here, decision, seen)
            if suggestion is not None and suggestion.option is not None:
                choice = suggestion.option
            sign_through_engine(pilot.app, run)  # type: ignore[arg-type]
            run.choose(choice)
        elif step is not None and step.call is None:
            _walk_step(pilot.app, run)  # type: ignore[arg-type]
        else:  # a calling step: the screen's own way
            current.refresh_view()
            await fill_step(pilot, keys=False)
        if pilot.app.screen is current:
            current.saved("walked on")  # redrawn; the summary shows once the run ended
        await pilot.pause()
    raise AssertionError(f"{node!r} not reached from {screen.run.definition.id!r}")


async def enter_value(pilot: Pilot[None], kind: str, value: str) -> None:
    """Answer the value dialog open: the first choice (1), a number typed key by key, or a
    text pasted (typing is walked elsewhere), then enter."""
    if kind == "choice":
        await pilot.press("1")
        return
    if kind == "number":
        await pilot.press(*value)
    else:
        await paste(pilot, value)
    await pilot.press("enter")


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
            await enter_value(pilot, spec.record, value)
            recorded.append(spec.choices[0] if spec.record == "choice" else value)
        await wait_until(pilot, lambda: pilot.app.screen is screen, "back on the checklist")
        await wait_until(
            pilot, lambda i=index: screen.run.lines()[i].mark.done, f"line {index} done"
        )
    return recorded


async def tick_from_the_first(screen: RunScreen, pilot: Pilot[None], count: int) -> None:
    """Tick or record the first ``count`` lines by keys (the cursor follows each)."""
    for index in range(count):
        await wait_until(pilot, lambda i=index: screen.panel.highlighted == i, f"line {index}")
        spec = screen.run.lines()[index].spec
        await pilot.press("space")
        if spec.record:
            await wait_until(pilot, lambda: pilot.app.screen is not screen, "the value dialog")
            await enter_value(pilot, spec.record, value_for(spec))
            await wait_until(pilot, lambda: pilot.app.screen is screen, "the dialog closed")
        await wait_until(pilot, lambda i=index: screen.run.lines()[i].mark.done, f"{index} done")


async def return_by_keys(pilot: Pilot[None], screen: RunScreen) -> None:
    """``c`` inside the interrupt; its ``after`` question answered with the option that
    returns."""
    frame = screen.run.state.frame
    assert frame is not None
    after = screen.run.definition.interrupts[frame.interrupt].after
    await pilot.press("c")
    if isinstance(after, AfterChoice):
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChoicePrompt), "the question")
        assert after.question in widget_text(pilot.app, ".dialog-title")
        back = next(i for i, o in enumerate(after.options) if o.next == "return")
        await pilot.press(str(back + 1))
    await wait_until(pilot, lambda: screen.run.state.frames == [], "the interrupt returned")
    await wait_until(pilot, lambda: pilot.app.screen is screen, "back on the run screen")


def summary_text(app: object) -> str:
    """All the summary says (scrolled out of view too), whitespace folded."""
    return folded(static_text(app.screen, "#summary"))  # type: ignore[attr-defined]


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
