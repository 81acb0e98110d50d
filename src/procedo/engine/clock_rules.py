"""The run's time rules: a step's elapsed time and target, an item's wait, reminders and a
decision's timeout (pure functions of the definition, the state and a ``now_ms`` passed in).

Every rule counts *active* time from the journal's timestamps: paused time never counts, and
the time a non-normal checklist held a step up does not count to that step (as every duration
counts it, to the interrupt). A replay never calls these; it never reads the clock.

A crash is not a pause. The journal cannot tell a crash from an operator who is quiet (no
event is written either way, and the run is opened again by taking its lease silently), so
the time between the last event before a crash and the next one counts as active time here,
as it does in every duration: a wait that ran out while procedo was down is over when the run
is opened again, and its countdown agrees with the step's elapsed time. Pausing the run
(``p``) is how an operator stops the clock.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from procedo.engine import judge
from procedo.engine.clock_text import clock_text
from procedo.engine.events import ms_from_iso
from procedo.engine.state import RunState, Visit
from procedo.model import ProcessDefinition
from procedo.model.placeholders import fill

__all__ = [
    "DueReminder",
    "TimeoutSuggestion",
    "reminders_due",
    "step_elapsed_ms",
    "step_over_target",
    "suggestion",
    "timeout_suggestion",
    "wait_left_ms",
    "wait_refusal",
]

MINUTE_MS = 60_000


def _minutes(value: float) -> str:
    return f"{value:g} min"


def _shown(definition: ProcessDefinition, state: RunState, text: str) -> str:
    """A text as the operator sees it: its ``{id}`` placeholders filled (as ``shown_text``)."""
    if "{" not in text and "}" not in text:
        return text
    return fill(text, judge.scope_texts(definition, state))


# -- held time -------------------------------------------------------------------------------


def _pauses(state: RunState, now_ms: int) -> list[tuple[int, int]]:
    """Every pause, the open one up to ``now_ms``."""
    spans = list(state.pauses)
    if state.pause_started_ms is not None:
        spans.append((state.pause_started_ms, max(now_ms, state.pause_started_ms)))
    return spans


def _interrupts_over(state: RunState, visit: Visit, now_ms: int) -> list[tuple[int, int]]:
    """The stays in non-normal checklists opened after ``visit`` was entered (each held it up,
    whatever branch it is on: an interrupt holds every open visit)."""
    return [
        (s.entered_ms, s.left_ms if s.left_ms is not None else now_ms)
        for s in state.stints
        if s.visit > visit.index and state.visits[s.visit].kind == "interrupt"
    ]


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return merged


def _active(spans: list[tuple[int, int]], start: int, end: int) -> int:
    """Active ms from ``start`` to ``end``: the time not inside a (merged) held span."""
    held = sum(max(0, min(e, end) - max(s, start)) for s, e in spans)
    return max(0, end - start - held)


def _moment(spans: list[tuple[int, int]], start: int, active_ms: int) -> int:
    """The time at which ``active_ms`` of active time since ``start`` had passed."""
    at, left = start, active_ms
    for s, e in spans:
        if e <= at:
            continue
        if s - at >= left:
            break
        left -= max(0, s - at)
        at = max(at, e)
    return at + left


def _held_over(state: RunState, visit: Visit, now_ms: int) -> list[tuple[int, int]]:
    return _merged([*_pauses(state, now_ms), *_interrupts_over(state, visit, now_ms)])


# -- a step's time ---------------------------------------------------------------------------


def step_elapsed_ms(state: RunState, now_ms: int) -> int | None:
    """The active time of the current visit so far (the step, decision or interrupt checklist
    in focus), as its duration will count it once left: paused time and time in interrupts
    not counted. None when the run is at no node (ended, or waiting at a join)."""
    visit = state.current
    if visit is None or state.finished:
        return None
    paused = visit.paused_ms
    if state.pause_started_ms is not None:
        paused += max(0, now_ms - state.pause_started_ms)
    return max(0, now_ms - visit.entered_ms - paused)


def step_over_target(definition: ProcessDefinition, state: RunState, now_ms: int) -> bool:
    """True when the current step has a ``target_minutes`` and its elapsed time is past it."""
    step = definition.steps.get(state.current_node or "")
    if step is None or step.target_minutes is None or state.frame is not None:
        return False
    elapsed = step_elapsed_ms(state, now_ms)
    return elapsed is not None and elapsed > round(step.target_minutes * MINUTE_MS)


# -- waits -----------------------------------------------------------------------------------


def _wait_start(definition: ProcessDefinition, state: RunState, item: int) -> tuple[int, str]:
    """When the wait of own item ``item`` started (-1: not yet), and the item it waits for
    ("" when it counts from entering the step).

    The previous item is the nearest one before it that applies now (an item switched off by
    its ``when`` is skipped): the wait counts from when it was done (its tick, value, not
    applicable mark or deferral, the latest if it was done again); the first item's wait counts
    from entering the step.
    """
    visit = state.current
    step = definition.checklists[state.current_node or ""]
    assert visit is not None
    checks = judge.check_current_items(definition, state) if definition.has_conditions else []
    for before in range(item - 1, -1, -1):
        if checks and not checks[before].active:
            continue
        mark = visit.mark(before)
        name = step.items[before].text
        if (mark.done or mark.deferred) and mark.at:
            return ms_from_iso(mark.at), name
        return -1, name
    return visit.entered_ms, ""


def wait_left_ms(
    definition: ProcessDefinition, state: RunState, item: int, now_ms: int
) -> int | None:
    """How long until line ``item`` of the current checklist may be ticked or recorded: its
    ``wait_minutes`` less the active time since the previous item was done (or the step was
    entered, for the first item). None when no wait applies (no ``wait_minutes``, already
    done, a deferred item come back at another step) or the wait is over.

    While the previous item is still open the wait has not started: the whole wait is left.
    """
    visit = state.current
    step = definition.checklists.get(state.current_node or "")
    if visit is None or step is None or state.finished or not 0 <= item < len(step.items):
        return None
    spec = step.items[item]
    if spec.wait_minutes is None or visit.mark(item).done or visit.mark(item).deferred:
        return None
    wait = round(spec.wait_minutes * MINUTE_MS)
    started, _ = _wait_start(definition, state, item)
    if started < 0:
        return wait
    until = max(now_ms, started)
    left = wait - _active(_held_over(state, visit, until), started, until)
    return left if left > 0 else None


def wait_refusal(definition: ProcessDefinition, state: RunState, item: int, now_ms: int) -> str:
    """Why line ``item`` cannot be ticked or recorded yet: its wait ("" when it may be).

    ``'Watch the error rate for 5 minutes' waits 5 min: 3:12 left``; while the previous item
    is open, ``... waits 5 min once 'Roll back the last deploy' is done``. Marking the item
    not applicable (with a reason) is not refused: it does not claim the wait was kept.
    """
    left = wait_left_ms(definition, state, item, now_ms)
    if left is None:
        return ""
    step = definition.checklists[state.current_node or ""]
    spec = step.items[item]
    name = _shown(definition, state, spec.text)
    waits = f"{name!r} waits {_minutes(spec.wait_minutes or 0)}"
    started, previous = _wait_start(definition, state, item)
    if started < 0:
        return f"{waits} once {_shown(definition, state, previous)!r} is done"
    return f"{waits}: {clock_text(left, round_up=True)} left"


# -- reminders -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DueReminder:
    """A reminder whose interval has passed and that is not acknowledged yet.

    ``where``: the step's id, or "" for the process's reminder; ``number``: the interval
    count (1 at the first interval, 2 at the second...); ``due_ms``: when it fell due.
    """

    where: str
    text: str
    number: int
    due_ms: int
    every_ms: int


def _due(
    where: str, text: str, every_ms: int, acked: int, start: int, spans: list[tuple[int, int]],
    now_ms: int,
) -> DueReminder | None:  # fmt: skip
    number = _active(spans, start, now_ms) // every_ms
    if number < 1 or number <= acked:
        return None
    return DueReminder(where, text, number, _moment(spans, start, number * every_ms), every_ms)


def reminders_due(definition: ProcessDefinition, state: RunState, now_ms: int) -> list[DueReminder]:
    """The reminders due now: the process's (its interval counted in the run's active time
    since the start), then each open step's (in the step's active time since it was entered;
    a step inside a parallel block counts on its branch), each not acknowledged yet.

    Only the latest interval of each is listed: acknowledging it (``remind_ack`` with its
    number) acknowledges the ones before, so a reminder missed while the operator was away is
    one notice, not a queue. None are due in a finished run; in a paused one, the due ones
    stay due (no new one falls due: paused time does not count).
    """
    if state.finished or state.started_ms is None:
        return []
    found: list[DueReminder] = []
    remind = definition.process.remind
    if remind is not None:
        spans = _merged(_pauses(state, now_ms))
        every = round(remind.every_minutes * MINUTE_MS)
        acked = state.reminders_acked.get(-1, 0)
        due = _due("", remind.text, every, acked, state.started_ms, spans, now_ms)
        if due is not None:
            found.append(due)
    for position in state.open_positions():
        visit = state.visits[position.path[-1]]
        step = definition.steps.get(visit.node)
        if step is None or step.remind is None:
            continue
        every = round(step.remind.every_minutes * MINUTE_MS)
        acked = state.reminders_acked.get(visit.index, 0)
        spans = _held_over(state, visit, now_ms)
        due = _due(visit.node, step.remind.text, every, acked, visit.entered_ms, spans, now_ms)
        if due is not None:
            found.append(due)
    return found


# -- a decision's timeout --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimeoutSuggestion:
    """A decision's ``timeout`` reached: the option it suggests, and why."""

    option: int
    label: str
    waited_ms: int
    reason: str


def timeout_suggestion(
    definition: ProcessDefinition, state: RunState, now_ms: int
) -> TimeoutSuggestion | None:
    """At a decision with a ``timeout``, once the run has waited ``after_minutes`` there (active
    time since arriving: entering it, or coming back to it with *back*), the option to suggest
    and the reason (``no answer for 30 min: the process suggests 'Escalate'``); None before,
    elsewhere, or in a finished run."""
    node = state.current_node or ""
    decision = definition.decisions.get(node)
    stint = state.position.stint
    if decision is None or decision.timeout is None or stint is None or state.finished:
        return None
    stay = state.stints[stint]
    paused = stay.paused_ms
    if state.pause_started_ms is not None:
        paused += max(0, now_ms - state.pause_started_ms)
    waited = max(0, now_ms - stay.entered_ms - paused)
    timeout = decision.timeout
    if waited < round(timeout.after_minutes * MINUTE_MS):
        return None
    option = next(i for i, o in enumerate(decision.options) if o.label == timeout.suggest)
    label = decision.options[option].label
    shown = _shown(definition, state, label)
    reason = f"no answer for {_minutes(timeout.after_minutes)}: the process suggests {shown!r}"
    return TimeoutSuggestion(option, label, waited, reason)


def suggestion(
    definition: ProcessDefinition, state: RunState, now_ms: int
) -> judge.Suggestion | None:
    """The current decision's suggestion, the timeout's included.

    A condition's suggestion (an option whose ``when`` holds, or the default) always wins; the
    timeout suggests only when the conditions suggest nothing (a decision without conditions,
    or none holds and there is no default). Its ``timed_out`` is the timeout's reason (the
    ``why`` too, after what the conditions said), which :meth:`Run.choose` journals as the
    ``basis`` event's reason; choosing another option then needs a reason, as an override
    of any suggestion does.
    """
    said = judge.current_suggestion(definition, state)
    if said is not None and said.option is not None:
        return said
    timed = timeout_suggestion(definition, state, now_ms)
    if timed is None:
        return said
    if said is None:
        return judge.Suggestion(timed.option, (), False, timed.reason, timed_out=timed.reason)
    why = f"{said.why}; {timed.reason}" if said.why else timed.reason
    return dataclasses.replace(said, option=timed.option, why=why, timed_out=timed.reason)
