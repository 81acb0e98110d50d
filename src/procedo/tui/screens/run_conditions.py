"""The run screen's keys that conditions and loops add: confirm the suggestion (enter),
choose another option with a reason (an override), accept a deviation with a reason (``e``),
keep the last visit's values (``l``, ``L``).

Like the other actions, each asks the engine first and writes through ``RunScreen.act``; the
dialogs (run_dialogs.py) only return what was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from procedo.engine import Refused, Run, RunError
from procedo.engine.errors import Unchanged
from procedo.journal import JournalError
from procedo.model.placeholders import fill
from procedo.tui.screens import run_dialogs as asks
from procedo.tui.screens.run_keys import hinted

if TYPE_CHECKING:
    from procedo.tui.screens.run import Failure, RunScreen


def keys_here(run: Run) -> frozenset[str]:
    """The condition keys that mean something at the run's current node: ``explain`` (a step
    with an ``expect``), ``keep_last`` (a repeated visit with values), ``confirm`` (a decision
    with a suggestion, no hand-over waiting)."""
    state, definition = run.state, run.definition
    node = state.current_node or ""
    here: set[str] = set()
    step = definition.checklists.get(node)
    if step is not None:
        if any(line.spec.expect is not None for line in run.lines()):  # deferred lines too
            here.add("explain")
        if run.previous_values():
            here.add("keep_last")
    elif node in definition.decisions and state.awaiting_role is None:
        suggestion = run.suggestion()
        if suggestion is not None and suggestion.option is not None:
            here.add("confirm")
    return frozenset(here)


def item_text(run: Run, index: int) -> str:
    """Line ``index`` of the current checklist as the screen shows it (placeholders filled;
    a deferred item that came back here included)."""
    lines = run.lines()
    if not 0 <= index < len(lines):
        return ""
    return fill(lines[index].spec.text, run.scope())


def option_label(run: Run, option: int) -> str:
    """Option ``option`` of the current decision as the screen shows it."""
    decision = run.definition.decisions.get(run.state.current_node or "")
    if decision is None or not 0 <= option < len(decision.options):
        return ""
    return fill(decision.options[option].label, run.scope())


def choose(screen: RunScreen, option: int) -> None:
    """Choose ``option``; another option than the suggestion first asks why (an override)."""
    run = screen.run
    label = option_label(run, option)
    suggestion = run.suggestion()
    if suggestion is None or suggestion.option is None or suggestion.option == option:
        screen.act(lambda: screen.run.choose(option), lambda: f"chose {label!r}")
        return
    decision = run.definition.decisions.get(run.state.current_node or "")
    if decision is None or not 0 <= option < len(decision.options):
        screen.act(lambda: screen.run.choose(option), lambda: f"chose {label!r}")  # refused
        return
    if not screen.may(run.allowed().choose):
        return
    suggested = option_label(run, suggestion.option)
    screen.ask(
        lambda value: asks.override_dialog(label, suggested, suggestion.why, value),
        lambda reason: screen.act(
            lambda: screen.run.choose(option, reason),
            lambda: f"chose {label!r} instead of the suggested {suggested!r}: reason journaled",
        ),
    )


def confirm(screen: RunScreen) -> None:
    """Enter at a decision: take the suggested option."""
    if not screen.writable() or not screen.visit_ready():
        return
    suggestion = screen.run.suggestion()
    if suggestion is None or suggestion.option is None:
        screen.failed(Refused("nothing is suggested here: choose an option (1–9)"))
        return
    option = suggestion.option
    label = option_label(screen.run, option)
    screen.act(lambda: screen.run.choose(option), lambda: f"chose the suggestion {label!r}")


def explain(screen: RunScreen) -> None:
    """Ask why the highlighted item's deviation is accepted, then journal it."""
    index = screen.panel.highlighted
    checks = screen.run.item_checks()
    if index is None or index >= len(checks) or not checks[index].deviation:
        lines = screen.run.lines()
        waiting = [
            i
            for i, check in enumerate(checks)
            if check.needs_reason and i < len(lines) and lines[i].mark.deviation_reason is None
        ]
        if waiting:  # the one that needs a reason, wherever the cursor is
            index = waiting[0]
            screen.panel.select_line(index)
    if not screen.may(screen.run.allowed(index).explain) or index is None:
        return
    text = item_text(screen.run, index)
    why = screen.run.item_checks()[index].why_deviation
    screen.ask(
        lambda value: asks.reason_dialog(
            f"Accept the deviation: {text}", f"{why}.\nWhy is this value accepted?", value
        ),
        lambda reason: screen.act(
            lambda: screen.run.explain(index, reason),
            lambda: f"deviation on {text!r} accepted: reason journaled",
            moved=index,
        ),
    )


def _last_refusal(run: Run, index: int | None) -> str:
    """Why the last visit's value cannot be kept on item ``index`` ("" when it can)."""
    toggle = run.toggle(index)
    if index is None or toggle.does == "nothing":
        return hinted(toggle.reason, toggle.why)
    if toggle.does == "tick":
        return f"{item_text(run, index)!r} takes no value: tick it"
    if index not in run.previous_values():
        return f"{item_text(run, index)!r} had no value on the last visit"
    return ""


def keep_last(screen: RunScreen) -> None:
    """Record on the highlighted item the value it had on the last visit of this step."""
    if not screen.writable():
        return
    run, index = screen.run, screen.panel.highlighted
    refusal = _last_refusal(run, index)
    if refusal or index is None:
        screen.failed(Refused(refusal))
        return
    value = run.previous_values()[index]
    text = item_text(run, index)
    try:
        run.record(index, value)
    except Unchanged:
        screen.show_status(f"{text!r} already has the last value")
        return
    except (RunError, JournalError) as error:
        screen.failed(error)
        return
    screen.saved(f"{text!r} kept the last value: {value}", moved=index)


def keep_all_last(screen: RunScreen) -> None:
    """Record every open item's value from the last visit (one commit each)."""
    if not screen.writable():
        return
    run = screen.run
    kept = 0
    error: Failure | None = None
    for index, value in sorted(run.previous_values().items()):
        visit = run.state.current
        if visit is None or visit.mark(index).value is not None or _last_refusal(run, index):
            continue
        try:
            run.record(index, value)
        except Unchanged:
            continue
        except (RunError, JournalError) as failure:
            error = failure
            break
        kept += 1
    if error is not None:
        screen.refresh_view()  # what was kept before the failure is saved
        screen.failed(error)
    elif kept:
        screen.saved(f"kept {kept} value{'s' if kept != 1 else ''} of the last visit")
    else:
        screen.failed(Refused("no open item has a value from the last visit to keep"))


__all__ = [
    "choose",
    "confirm",
    "explain",
    "item_text",
    "keep_all_last",
    "keep_last",
    "keys_here",
    "option_label",
]
