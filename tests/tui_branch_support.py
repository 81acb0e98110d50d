"""Shared by the Pilot tests of parallel branches and calls: start a bundled process, and a
side map that draws what the text map can (it learns parallel blocks and calls elsewhere)."""

from __future__ import annotations

from procedo.engine import Run
from procedo.model import load_file
from procedo.tui import StartRequest
from procedo.tui.screens.run import RunScreen
from tui_support import BUNDLED, act_as_next_role, fill_step, inputs_for, value_for


def start_request(process_id: str, operator: str = "Tess") -> StartRequest:
    """Start a bundled process with its first trigger and a valid value for every input."""
    loaded = load_file(BUNDLED / f"{process_id}.toml")
    trigger = loaded.definition.triggers[0].id if loaded.definition.triggers else None
    return StartRequest(process_id, operator, trigger, inputs=inputs_for(loaded.definition))


async def to_split(pilot, *, accept: bool = True) -> RunScreen:  # type: ignore[no-untyped-def]
    """Walk onboarding to its parallel block (standard access: no background check); with
    ``accept`` the operator acts as the first branch's role."""
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen)
    do_step(screen.run)  # HR paperwork (the screen's ways of ticking are walked elsewhere)
    if screen.run.state.awaiting_role is not None:
        screen.run.accept_role()
    screen.refresh_view()
    await pilot.pause()
    screen.action_choose(1)  # "No, standard access only": to prepare-day-one
    await pilot.pause()
    if accept:
        await act_as_next_role(pilot, keys=False)
    return screen


async def to_call(pilot, *, call: bool = True) -> RunScreen:  # type: ignore[no-untyped-def]
    """Walk lockout to its calling step (and with ``call`` complete it: the child starts)."""
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen)
    run = screen.run
    while run.state.current_node != "prove-tester":  # through the engine: fast
        do_step(run)
    if run.state.awaiting_role is not None:
        run.accept_role()
    screen.refresh_view()
    await pilot.pause()
    if call:
        await fill_step(pilot, keys=False)
    return screen


def do_step(run: Run) -> None:
    """Act as the step's role, tick or record every item that applies, complete the step."""
    if run.state.awaiting_role is not None:
        run.accept_role()
    step = run.current_step
    assert step is not None, run.state.current_node
    for index, (item, check) in enumerate(zip(step.items, run.item_checks(), strict=True)):
        if not check.active:
            continue
        if item.record:
            run.record(index, value_for(item))
        else:
            run.check(index)
    run.complete()
