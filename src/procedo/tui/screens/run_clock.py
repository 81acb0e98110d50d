"""The run screen's clock (issue 13), one line under the header, redrawn every second:

``Step 4:12 · usual 3:30 · p90 6:10 (27 runs) · target 5:00 · finish in about 14:30``

then, when they apply, an item's wait (``⏳ Watch the error rate: 3:12 left``) and a reminder
that fell due (``🔔 Post a status update (2) · r: done``), which also shows a notice and rings
the terminal bell once (not with ``--quiet``). A decision's timeout shows as the decision's
suggestion (the engine's): the screen redraws the node when it falls due.

What past runs took is read once per process and app (a thread worker, never before the
first frame); until then the line says so, and a process with no completed run says that
instead of inventing numbers. Every figure is computed from the run's state and the clock
(:mod:`procedo.engine.clock_rules`): nothing here is journaled but the acknowledgement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from textual.app import App
from textual.widgets import Static

from procedo.engine import clock_rules
from procedo.engine.clock_text import clock_text
from procedo.journal import Journal
from procedo.journal.finish_estimate import estimate_finish
from procedo.model import ProcessDefinition
from procedo.model.clock_figures import StepUsual
from procedo.model.figures import MapFigures
from procedo.model.placeholders import fill
from procedo.tui.querying import query_in_thread
from procedo.tui.text import line
from procedo.tui.widgets.updates import set_only_class, update_static

if TYPE_CHECKING:
    from procedo.tui.screens.run import RunScreen

Parts = list[str | tuple[str, str]]
MUTED = "$text-muted"


@dataclass(frozen=True, slots=True)
class PastRuns:
    """What the journal says about earlier runs of one process: each node's usual time and
    the branch shares of the map (for the most likely path left)."""

    usual: dict[str, StepUsual]
    shares: MapFigures | None


_PAST: WeakKeyDictionary[App[object], dict[str, PastRuns]] = WeakKeyDictionary()
"""Per app, per process: read once (they change only when a run completes)."""


def past_runs(screen: RunScreen) -> PastRuns | None:
    """The process's figures when read (None while they are being read)."""
    return _PAST.get(screen.app, {}).get(screen.run.definition.id)


def load_past_runs(screen: RunScreen) -> None:
    """Read the process's figures in a thread worker (once per app), then redraw the line."""
    process_id = screen.run.definition.id
    known = _PAST.setdefault(screen.app, {})
    if process_id in known:
        return

    def compute(journal: Journal) -> PastRuns:
        from procedo.journal.map_figures import map_figures
        from procedo.journal.step_figures import usual_all

        usual = usual_all(journal, process_id)
        return PastRuns(usual, map_figures(journal, process_id) if usual else None)

    def apply(found: PastRuns) -> None:
        known[process_id] = found
        show_clock(screen)

    query_in_thread(screen, compute, apply, group="past-runs")


def forget_past_runs(app: App[object], process_id: str) -> None:
    """A run of the process completed: read its figures again next time."""
    _PAST.get(app, {}).pop(process_id, None)


def _step_parts(screen: RunScreen, now: int, past: PastRuns | None) -> tuple[Parts, bool]:
    """The step's time against past runs and its target; and whether it is late."""
    run = screen.run
    state, definition = run.state, run.definition
    elapsed = clock_rules.step_elapsed_ms(state, now)
    node = state.current_node or ""
    if elapsed is None or (state.frame is not None and node not in definition.interrupts):
        return [], False
    usual = past.usual.get(node) if past is not None else None
    step = definition.steps.get(node)
    target = step.target_minutes if step is not None and state.frame is None else None
    late = clock_rules.step_over_target(definition, state, now)
    late = late or (usual is not None and usual.runs > 1 and elapsed > usual.p90_ms)
    word = "Non-normal" if state.frame is not None else "Step" if step else "Decision"
    parts: Parts = [(f"{word} ", MUTED), (clock_text(elapsed), "bold $warning" if late else "bold")]
    if past is None:
        parts.append(("  · reading past runs…", MUTED))
    elif usual is None:
        parts.append(("  · no completed runs yet at this node", MUTED))
    else:
        runs = "1 run" if usual.runs == 1 else f"{usual.runs} runs"
        parts += [
            ("  · usual ", MUTED),
            clock_text(round(usual.median_ms)),
            (" · p90 ", MUTED),
            clock_text(usual.p90_ms),
            (f" ({runs})", MUTED),
        ]
    if target is not None:
        parts += [("  · target ", MUTED), clock_text(round(target * 60_000))]
    return parts, late


def _finish_parts(screen: RunScreen, now: int, past: PastRuns | None) -> Parts:
    """The estimated finish, beside the run's target (nothing without history)."""
    if past is None or not past.usual or screen.run.state.frame is not None:
        return []
    estimate = estimate_finish(
        screen.run.definition, screen.run.state, past.usual, past.shares, now
    )
    if estimate is None:
        return []
    parts: Parts = [("  · finish in about ", MUTED), clock_text(estimate.remaining_ms)]
    over = estimate.target_ms is not None and estimate.total_ms > estimate.target_ms
    total = (clock_text(estimate.total_ms), "$warning" if over else "")
    parts += [(" (", MUTED), total, (" in all)", MUTED)]
    return parts


def _wait_parts(screen: RunScreen, now: int) -> Parts:
    """The first item of the checklist still waiting: its text and what is left."""
    run = screen.run
    for index, found in enumerate(run.lines()):
        if found.mark.done or found.carried:
            continue
        left = clock_rules.wait_left_ms(run.definition, run.state, index, now)
        if left:
            text = fill(found.spec.text, run.scope())
            short = text if len(text) <= 40 else text[:39] + "…"
            said = clock_text(left, round_up=True)  # a countdown, as the refusal says it
            return [("\n⏳ ", "$warning"), short, (": ", MUTED), (said, "bold"), (" left", MUTED)]
    return []


def _has_reminders(definition: ProcessDefinition) -> bool:
    return definition.process.remind is not None or any(
        step.remind is not None for step in definition.steps.values()
    )


def due_reminder(screen: RunScreen) -> clock_rules.DueReminder | None:
    """The first reminder due now (None when none, or read-only)."""
    definition = screen.run.definition
    if screen.read_only or not _has_reminders(definition):
        return None  # without one, the run's clock is not read every second for nothing
    due = screen.run.reminders_due()
    return due[0] if due else None


def _reminder_parts(screen: RunScreen, due: clock_rules.DueReminder | None) -> Parts:
    if due is None:
        return []
    text = fill(due.text, screen.run.scope())
    return [("\n🔔 ", "$warning"), (text, "bold"), (f" ({due.number})", MUTED),
            ("  · r: done", MUTED)]  # fmt: skip


def show_clock(screen: RunScreen) -> None:
    """Redraw the clock line (hidden at an end); say a newly due reminder once."""
    widget = screen.query_one("#step-clock", Static)
    now = int(screen.app.clock())
    past = past_runs(screen)
    parts, late = _step_parts(screen, now, past)
    if not parts:
        widget.display = False
        return
    due = due_reminder(screen)
    parts += _finish_parts(screen, now, past)
    parts += _wait_parts(screen, now)
    parts += _reminder_parts(screen, due)
    widget.display = True
    set_only_class(widget, "-late" if late else "-due" if due else "-plain")
    update_static(widget, line(*parts))
    said = (due.where, due.number) if due is not None else None
    if said is not None and said != screen.reminder_said:
        text = fill(due.text, screen.run.scope()) if due else ""
        screen.notify(text, title="Reminder", severity="warning", timeout=10, markup=False)
        if not getattr(screen.app, "quiet", False):
            screen.app.bell()
    if said != screen.reminder_said:
        screen.reminder_said = said
        screen.refresh_bindings()  # r is in the footer only while a reminder is due


def acknowledge(screen: RunScreen) -> None:
    """``r``: the due reminder is done (journaled)."""
    due = due_reminder(screen)
    if due is None:
        screen.show_status("no reminder is due", "refused")
        return
    text = fill(due.text, screen.run.scope())
    screen.act(
        lambda: screen.run.acknowledge_reminder(due.where, due.number),
        lambda: f"reminder {text!r} done",
    )


def timeout_key(screen: RunScreen) -> object:
    """What a decision's timeout suggests now (the screen redraws the node when it changes)."""
    run = screen.run
    if run.state.current_node not in run.definition.decisions:
        return None
    found = clock_rules.timeout_suggestion(run.definition, run.state, int(screen.app.clock()))
    return found.option if found is not None else None


__all__ = [
    "PastRuns",
    "acknowledge",
    "due_reminder",
    "forget_past_runs",
    "load_past_runs",
    "past_runs",
    "show_clock",
    "timeout_key",
]
