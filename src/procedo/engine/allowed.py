"""What each action may do in a run's current state, and why not: the rules a screen asks for.

:func:`allowed` answers for every action at once (a :class:`Verdict` each) and
:func:`toggle` says what the one "do this item" key means on an item: tick it, record a
value, choose a value, or nothing (with the reason). The operations in run.py refuse with the
same messages, so a screen that asks first and a screen that just tries agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from procedo.engine.allowed_interrupts import defer_refusal, success_end_refusal
from procedo.engine.lines import line_at
from procedo.engine.refusals import (
    back_refusal,
    call_refusal,
    complete_refusal,
    explain_refusal,
    inactive_refusal,
    open_items,
    ready_refusal,
    role_refusal,
    shown_text,
    status_refusal,
    work_refusal,
)
from procedo.engine.signatures import missing_refusal, signoffs_of
from procedo.engine.state import ACTIVE, PAUSED, RunState
from procedo.model import ProcessDefinition

Does = Literal["tick", "record", "choose", "nothing"]
"""What the toggle key does on an item."""

Why = Literal[
    "",
    "status",
    "role",
    "no_checklist",
    "no_items",
    "ticked",
    "not_applicable",
    "inactive",
    "deferred",
    "waiting",
    "overridden",
]
"""Why the toggle key does nothing on an item (a code a screen may add its key hint to)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """One action here: ``applies`` when it belongs at this kind of node (a screen shows its
    key), ``reason`` why it would be refused now ("" when it may go ahead)."""

    applies: bool
    reason: str = ""

    @property
    def ok(self) -> bool:
        """True when the action may go ahead now."""
        return self.applies and not self.reason


@dataclass(frozen=True, slots=True)
class Allowed:
    """Every action of a run, judged in its current state (item actions: on one item)."""

    toggle: Verdict
    not_applicable: Verdict
    clear: Verdict
    complete: Verdict
    explain: Verdict
    choose: Verdict
    note: Verdict
    back: Verdict
    accept_role: Verdict
    hand_over: Verdict
    abort: Verdict
    pause: Verdict
    resume: Verdict
    defer: Verdict
    interrupt: Verdict
    sign: Verdict
    """Giving a sign-off of the current node (the signer is judged by ``Run.sign``)."""
    override: Verdict
    """Overriding the item (a critical one with ``override``; the signer is judged later)."""


@dataclass(frozen=True, slots=True)
class Toggle:
    """What the toggle key does on one item; ``reason`` (with its code ``why``) when nothing."""

    does: Does
    reason: str = ""
    why: Why = ""


def toggle(definition: ProcessDefinition, state: RunState, item: int | None) -> Toggle:
    """What the toggle key does on line ``item`` of the current checklist (None: no line
    highlighted; a line past the own items is a deferred item that comes back here)."""
    node = state.current_node or ""
    step, visit = definition.checklists.get(node), state.current
    if step is None or visit is None:
        return Toggle("nothing", "there is no checklist here", "no_checklist")
    line = line_at(definition, state, item) if item is not None else None
    if item is None or (not step.items and line is None):
        return Toggle("nothing", "this step has no items", "no_items")
    if line is None:
        return Toggle("nothing", f"this step has no item {item + 1}", "no_items")
    refusal = status_refusal(state, ACTIVE)
    if refusal:
        return Toggle("nothing", refusal, "status")
    refusal = role_refusal(definition, state)
    if refusal:
        return Toggle("nothing", refusal, "role")
    refusal = call_refusal(definition, state)
    if refusal:
        return Toggle("nothing", refusal, "status")
    spec, mark = line.spec, line.mark
    inactive = "" if line.carried else inactive_refusal(definition, state, item)
    if inactive:
        return Toggle("nothing", inactive, "inactive")
    if mark.deferred:
        return Toggle(
            "nothing",
            f"{shown_text(definition, state, spec.text)!r} is deferred: clear the deferral "
            "to do it here",
            "deferred",
        )
    if mark.na_reason is not None:
        return Toggle(
            "nothing",
            f"{shown_text(definition, state, spec.text)!r} is marked not applicable",
            "not_applicable",
        )
    if mark.overridden is not None:
        return Toggle(
            "nothing",
            f"{shown_text(definition, state, spec.text)!r} was overridden: clear the override "
            "to do it",
            "overridden",
        )
    if spec.record == "choice":
        return Toggle("choose")
    if spec.record:
        return Toggle("record")
    if mark.checked:
        return Toggle(
            "nothing", f"{shown_text(definition, state, spec.text)!r} is already ticked", "ticked"
        )
    return Toggle("tick")


def _item_verdicts(
    definition: ProcessDefinition, state: RunState, item: int | None
) -> tuple[Verdict, Verdict]:
    """Not applicable and clear, on line ``item`` of the current checklist."""
    step, visit = definition.checklists.get(state.current_node or ""), state.current
    if step is None or visit is None:
        gone = Verdict(False, "there is no checklist here")
        return gone, gone
    line = line_at(definition, state, item) if item is not None else None
    if line is None:
        none = Verdict(True, "this step has no items" if not step.items else "no item chosen")
        return none, none
    refusal = work_refusal(definition, state)
    spec, mark = line.spec, line.mark
    na = refusal or ("" if line.carried else inactive_refusal(definition, state, line.index))
    if not na and spec.id is not None and spec.id in definition.ids_read_by_conditions:
        na = (
            f"{shown_text(definition, state, spec.text)!r} is read by a condition: record "
            "its value (it cannot be marked not applicable)"
        )
    if not na and spec.critical:
        name = shown_text(definition, state, spec.text)
        na = f"{name!r} is critical: it cannot be marked not applicable"
    if not na and mark.na_reason is not None:
        na = f"{shown_text(definition, state, spec.text)!r} is already marked not applicable"
    clear = refusal or (
        ""
        if mark.done or mark.deferred
        else f"{shown_text(definition, state, spec.text)!r} is not ticked"
    )
    if not na and mark.deferred:
        na = f"{shown_text(definition, state, spec.text)!r} is deferred: clear the deferral first"
    if not clear and mark.deferred and not line.carried:
        done_later = any(
            d.visit == visit.index and d.item == line.index and not d.open for d in state.deferrals
        )
        if done_later:
            clear = f"{shown_text(definition, state, spec.text)!r} was done later: it stays"
    return Verdict(True, na), Verdict(True, clear)


def _complete(definition: ProcessDefinition, state: RunState) -> Verdict:
    step, visit = definition.checklists.get(state.current_node or ""), state.current
    if step is None or visit is None:
        return Verdict(False, "only a step can be completed; at a decision, choose an option")
    refusal = work_refusal(definition, state)
    if refusal:
        return Verdict(True, refusal)
    return Verdict(True, complete_refusal(definition, state, step, visit))


def sign_refusal(definition: ProcessDefinition, state: RunState) -> str:
    """Why no sign-off of the current node can be given now, whoever signs ("" when one can):
    a step must be ready to complete but for its sign-offs; a decision may be signed at any
    time while the run is at it."""
    visit = state.current
    signoffs = signoffs_of(definition, visit.node) if visit is not None else ()
    if visit is None or visit.kind == "interrupt" or not signoffs:
        return "nothing here needs a sign-off"
    refusal = work_refusal(definition, state)
    if refusal:
        return refusal
    step = definition.steps.get(visit.node)
    if step is not None:
        refusal = ready_refusal(definition, state, step, visit)
        if refusal:
            return f"the step is not ready to sign: {refusal}"
    if all(i in visit.signatures for i in range(len(signoffs))):
        return "every sign-off here is given"
    return ""


def override_refusal(definition: ProcessDefinition, state: RunState, item: int | None) -> str:
    """Why line ``item`` cannot be overridden now, whoever signs ("" when it can)."""
    line = line_at(definition, state, item) if item is not None else None
    if line is None or line.carried or not line.spec.critical or line.spec.override is None:
        return "only a critical item with an override may be passed without being done"
    refusal = work_refusal(definition, state)
    if refusal:
        return refusal
    name = shown_text(definition, state, line.spec.text)
    if line.mark.overridden is not None:
        return f"{name!r} is already overridden"
    if line.mark.done:
        return f"{name!r} is done: there is nothing to override"
    return ""


def _overridable(definition: ProcessDefinition, state: RunState, item: int | None) -> bool:
    line = line_at(definition, state, item) if item is not None else None
    return line is not None and not line.carried and line.spec.override is not None


def allowed(definition: ProcessDefinition, state: RunState, item: int | None = None) -> Allowed:
    """Every action judged in ``state`` (the item actions on ``item`` of the current step)."""
    node = state.current_node or ""
    at_step, at_decision = node in definition.checklists, node in definition.decisions
    work = work_refusal(definition, state)
    either = status_refusal(state, ACTIVE, PAUSED)
    active = status_refusal(state, ACTIVE)
    not_applicable, clear = _item_verdicts(definition, state, item)
    back = active or call_refusal(definition, state) or back_refusal(state)
    awaiting = state.awaiting_role is not None
    return Allowed(
        toggle=Verdict(at_step, toggle(definition, state, item).reason),
        not_applicable=not_applicable,
        clear=clear,
        complete=_complete(definition, state),
        explain=Verdict(at_step, explain_refusal(definition, state, item)),
        choose=Verdict(
            at_decision,
            (work or missing_refusal(definition, state))
            if at_decision
            else "there is no decision to make here",
        ),
        note=Verdict(True, either),
        back=Verdict(True, back),
        accept_role=Verdict(
            awaiting,
            active or ("" if awaiting else "no hand-over is waiting: the run goes on"),
        ),
        hand_over=Verdict(True, either),
        abort=Verdict(True, either),
        pause=Verdict(True, active),
        resume=Verdict(True, status_refusal(state, PAUSED)),
        defer=Verdict(node in definition.steps, work or defer_refusal(definition, state, item)),
        interrupt=Verdict(
            bool(definition.interrupts),
            active or ("" if definition.interrupts else "this process has no interrupts"),
        ),
        sign=Verdict(bool(signoffs_of(definition, node)), sign_refusal(definition, state)),
        override=Verdict(
            _overridable(definition, state, item), override_refusal(definition, state, item)
        ),
    )


__all__ = [
    "Allowed",
    "Does",
    "Toggle",
    "Verdict",
    "Why",
    "allowed",
    "back_refusal",
    "call_refusal",
    "complete_refusal",
    "explain_refusal",
    "inactive_refusal",
    "open_items",
    "override_refusal",
    "ready_refusal",
    "role_refusal",
    "sign_refusal",
    "status_refusal",
    "success_end_refusal",
    "toggle",
]
