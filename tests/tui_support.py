"""Helpers for driving the real app with the Pilot: a fixed clock and a key-driven walker."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from journal_cache import cached_journal
from procedo.config import Paths
from procedo.engine import Run
from procedo.engine.clock_rules import wait_left_ms
from procedo.journal import Journal
from procedo.journal.signers import add_signer, get_signer
from procedo.model import Decision, ProcessDefinition, load_file
from procedo.model.definition import RecordSpec
from procedo.tui import ProcedoApp, StartRequest, make_app
from procedo.tui.screens.run import RunScreen
from procedo.tui.screens.signoff_dialog import SignerDialog
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


MET_EXPECTATIONS = {
    "accumulator_bar": "0",
    "residual_v": "0",
    "residual_bar": "0",
    "pass_rate": "100",
    "canary_errors": "0",
    "canary_p99": "100",
}
"""Values that meet the bundled processes' ``expect`` where the middle of the range would not
(a deviation needs a reason before its step completes; the walks record values that are fine)."""


def value_for(item: RecordSpec) -> str:
    """A valid value to record for an item (or a start input); one that meets its ``expect``
    for the bundled processes' items."""
    met = MET_EXPECTATIONS.get(getattr(item, "id", None) or "")
    if met is not None:
        return met
    if item.record == "choice":
        return item.choices[0]
    if item.record == "number":
        low = item.min if item.min is not None else 0
        high = item.max if item.max is not None else low + 10
        middle = (low + high) / 2
        return f"{middle:g}"
    return "ok [A-1]"


def inputs_for(definition: ProcessDefinition) -> dict[str, str]:
    """A valid value for every start input of ``definition`` (empty when it has none)."""
    return {key: value_for(spec) for key, spec in definition.inputs.items()}


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


def wait_out(run: Run, index: int) -> None:
    """Move the run's (fake) clock past item ``index``'s wait, when it has one running."""
    left = wait_left_ms(run.definition, run.state, index, run.clock())
    if left is not None:
        clock = run.clock
        assert isinstance(clock, FakeClock), "a wait can only be waited out on a FakeClock"
        clock.advance(left)


async def fill_step(pilot: Pilot[None], *, keys: bool = True) -> None:
    """Tick or record every item of the current step, then complete it.

    With ``keys`` every action is a key press; without, the screen's actions and the dialogs'
    submit are called directly (the same code paths, minus the Pilot's per-key idle wait).
    """
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen)
    step = screen.run.current_step
    assert step is not None
    active = [check.active for check in screen.run.item_checks()]  # an inactive item is skipped
    if not keys:
        choices = screen.query_one("#choices", OptionList)
        for index, item in enumerate(step.items):
            if not active[index]:
                continue
            choices.highlighted = index
            wait_out(screen.run, index)
            screen.action_toggle()
            if item.record:
                await pilot.pause()
                dialog = pilot.app.screen
                dialog.attempt(dialog.check, value_for(item))  # type: ignore[attr-defined]
                await pilot.pause()
            assert screen.run.state.current.mark(index).done, f"item {index} not done"  # type: ignore[union-attr]
        await give_signoffs(pilot, keys=False)
        screen.action_complete()
        await pilot.pause()
        return
    # No j between items: after a tick or a value the cursor is on the next open item.
    for index, item in enumerate(step.items):
        if not active[index]:
            continue
        assert screen.query_one("#choices", OptionList).highlighted == index
        wait_out(screen.run, index)
        await pilot.press("space")
        if item.record:
            await pilot.pause()  # the value dialog opens
            keys = ["1"] if item.record == "choice" else [*value_for(item), "enter"]
            await pilot.press(*keys)
            await pilot.pause()  # the dialog closes
        assert pilot.app.screen is screen, f"item {index} left a dialog open"
        assert screen.run.state.current.mark(index).done, f"item {index} not done"  # type: ignore[union-attr]
    await give_signoffs(pilot)
    await pilot.press("c")
    await pilot.pause()


WALK_PIN = "246801"
"""The PIN of the signers the walks enrol (scrypt made cheap by the conftest)."""


def walk_signer(app: ProcedoApp, role: str, taken: set[str]) -> str:
    """A signer in ``role`` that is not in ``taken`` (enrolled in the app's journal the first
    time it is asked for: ``walk-<role>-<n>``, PIN :data:`WALK_PIN`)."""
    journal = app.workspace.journal
    for number in range(1, 10):
        signer_id = f"walk-{role}-{number}"
        if signer_id in taken:
            continue
        if get_signer(journal, signer_id) is None:
            add_signer(journal, signer_id, f"Walk {role.title()} {number}", [role], WALK_PIN)
        return signer_id
    raise AssertionError(f"no free signer in role {role}")


def sign_through_engine(app: ProcedoApp, run: Run) -> None:
    """Give every sign-off of the run's node through the engine (no dialog), each by an
    enrolled signer of its role (:func:`walk_signer`), as the PIN check would let through."""
    from procedo.model.signature import SignerIdentity

    for status in run.signoffs():
        if status.given is not None:
            continue
        visit = run.state.current
        assert visit is not None
        taken = {given.signature.signer for given in visit.signatures.values()}
        role = status.signoff.role
        signer_id = walk_signer(app, role, taken)
        row = get_signer(app.workspace.journal, signer_id)
        assert row is not None
        run.sign(status.index, SignerIdentity(row.id, row.name, row.roles))


async def give_signoffs(pilot: Pilot[None], *, keys: bool = True) -> None:
    """Give every sign-off of the current node through the sign-off dialog (c at a step, S at
    a decision; the signer's id and PIN typed in as values, then enter), each by a signer of
    its role who took no other part in the node."""
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen)
    for status in screen.run.signoffs():
        if status.given is not None:
            continue
        visit = screen.run.state.current
        assert visit is not None
        taken = {given.signature.signer for given in visit.signatures.values()}
        signer_id = walk_signer(pilot.app, status.signoff.role, taken)  # type: ignore[arg-type]
        at_decision = screen.run.definition.decisions.get(visit.node) is not None
        if keys:
            await pilot.press("S" if at_decision else "c")
        else:
            screen.action_sign() if at_decision else screen.action_sign_step()
        await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, SignerDialog), type(dialog).__name__
        dialog.query_one("#signer-id", Input).value = signer_id
        pin = dialog.query_one("#signer-pin", Input)
        pin.value = WALK_PIN
        if keys:
            pin.focus()
            await pilot.press("enter")
        else:
            dialog.on_input_submitted(Input.Submitted(pin, pin.value))
        await wait_until(pilot, lambda: pilot.app.screen is screen, "the sign-off given")
        given = screen.run.state.current.signatures  # type: ignore[union-attr]
        assert status.index in given, static_text(dialog, "#dialog-error")


async def paste(pilot: Pilot[None], text: str) -> None:
    """Give the focused field ``text`` in one event, as a paste, and wait for the screen.

    Typing a sentence key by key costs the Pilot's idle wait (40 ms or more) and a redraw per
    key; typing itself is walked by the key walks and tests/test_tui_bounded_fields.py.
    """
    focused = pilot.app.focused
    assert focused is not None, "no field has focus"
    focused.post_message(events.Paste(text))
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
    pilot: Pilot[None],
    chooser: Chooser,
    *,
    keys: bool = True,
    max_moves: int = 80,
    leave_called: bool = True,
) -> list[str]:
    """Drive the run screen until the summary shows; returns the nodes passed. A called run's
    summary is left for the run that called it, which goes on (unless not ``leave_called``)."""
    seen: set[str] = set()
    passed: list[str] = []
    for _ in range(max_moves):
        screen = pilot.app.screen
        if isinstance(screen, SummaryScreen):
            if screen.run.state.parent_run is None or not leave_called:
                return passed
            screen.action_home()  # a called run ended: back to the run that called it
            await pilot.pause()
            continue
        assert isinstance(screen, RunScreen), type(screen).__name__
        await act_as_next_role(pilot, keys=keys)
        node = screen.run.state.current_node or ""
        seen.add(node)
        passed.append(node)
        decision = screen.run.definition.decisions.get(node)
        if decision is None:
            await fill_step(pilot, keys=keys)
        else:
            await give_signoffs(pilot, keys=keys)
            choice = chooser(node, decision, seen)
            suggestion = screen.run.suggestion()
            if suggestion is not None and suggestion.option is not None:
                choice = suggestion.option  # another option is an override: it needs a reason
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


def static_text(screen: object, selector: str) -> str:
    """What the ``Static`` matching ``selector`` renders (all of it, scrolled out of view too)."""
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


FITTED_TABLES = {
    "HomeScreen": "#home-lists",
    "HistoryScreen": "#runs",
    "RunDetailScreen": "#timeline",
}
"""The widget whose width a screen's tables are filled for (refitted after a refresh)."""


def screen_settled(screen: object) -> bool:
    """Whether the screen shows all it reads: the home figures (read two refreshes after the
    first frame) and tables filled for their current width (refitted after a refresh)."""
    if getattr(screen, "_loaded", True) is False:
        return False
    selector = FITTED_TABLES.get(type(screen).__name__)
    if selector is None:
        return True
    table = screen.query_one(selector)  # type: ignore[attr-defined]
    if getattr(table, "_require_update_dimensions", False) or getattr(table, "_updated_cells", ()):
        return False  # a DataTable measures its new rows' columns when idle (later under load)
    width = table.size.width
    return not width or width == screen._filled_width  # type: ignore[attr-defined]


async def settle(pilot: Pilot[None]) -> None:
    """Let thread workers finish and their results show, the screen's tables fitted."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await wait_until(pilot, lambda: screen_settled(pilot.app.screen), "the screen settled")
    await pilot.pause()  # and drawn as it now is


WAIT_SECONDS = 5.0
"""How long :func:`wait_until` waits: far over what any screen needs, even under load."""


async def wait_until(
    pilot: Pilot[None],
    condition: Callable[[], object],
    what: str = "",
    timeout: float = WAIT_SECONDS,
) -> None:
    """Wait (frame by frame, workers included) until ``condition()`` holds; fail after ``timeout``.

    Use it instead of a fixed number of ``pause()`` before asserting on something that happens
    asynchronously (a worker's result, a refit after a refresh, a timer).
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:g} s: {what or condition}")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await asyncio.sleep(0.01)


def build_journal(paths: Paths, clock: FakeClock) -> list[str]:
    """Three incident runs (success, success after a loop, aborted) and one practice run.

    Built once per test process for each clock start and step, and copied (journal_cache).
    """
    source = (paths.processes / "incident-response.toml").read_text(encoding="utf-8")
    key = ("incident-runs", source, clock.now, clock.step)
    ids, clock.now = cached_journal(key, paths.db, lambda db: _build(paths, db, clock))
    return ids


def _build(paths: Paths, db: Path, clock: FakeClock) -> tuple[list[str], int]:
    loaded = load_file(paths.processes / "incident-response.toml")
    ids = []
    with Journal(db) as journal:
        journal.clock = clock
        for operator, branch, practice in (
            ("Alice", "closed", False),
            ("Bob", "loop", False),
            ("Cleo", "abort", False),
            ("Dan", "closed", True),
        ):
            run = journal.start_run(loaded, operator, "pager", practice=practice)
            for item in range(3):
                run.check(item)
            run.record(3, "09:00")
            run.record(4, "20" if operator == "Alice" else "40")
            run.record(5, "eu")
            clock.advance(60_000)
            if branch == "abort":
                run.abort("False alarm [monitoring]")
            else:
                run.complete()
                run.accept_role()
                if branch == "closed":
                    run.choose(1)
                else:
                    run.choose(0)
                    run.accept_role()
                    for _ in range(2):
                        run.mark_not_applicable(0, "Nothing deployed")
                        clock.advance(300_000)  # the watch item's wait_minutes
                        run.check(1)
                        run.complete()
                        run.choose(1 if _ == 0 else 0)
            ids.append(run.run_id)
            clock.advance(3_600_000)
    return ids, clock.now
