"""Why a rule refuses, one question each: the run's status, a hand-over, a called run, *back*,
an item switched off, the items still open, a deviation not explained.

``allowed.py`` puts these together into the verdicts a screen asks for; the operations in
run.py refuse with the same words.
"""

from __future__ import annotations

from procedo.engine import judge
from procedo.engine.allowed_interrupts import success_end_refusal
from procedo.engine.lines import line_at, lines
from procedo.engine.signatures import missing_refusal
from procedo.engine.state import ACTIVE, PAUSED, RunState, Visit
from procedo.model import ProcessDefinition, Step
from procedo.model.placeholders import fill


def status_refusal(state: RunState, *allowed: str) -> str:
    """Why nothing can be done while the run has its status ("" when the status is allowed)."""
    status = state.status
    if status in allowed:
        return ""
    if status == PAUSED:
        return "the run is paused: resume it first"
    if status in ("completed", "aborted"):
        return f"the run is {status}: nothing more can be done in it"
    return f"not allowed while the run is {status or 'not started'}"


def role_refusal(definition: ProcessDefinition, state: RunState) -> str:
    """Why work waits at a hand-over point ("" when no role is awaited)."""
    role = state.awaiting_role
    if role is None:
        return ""
    name = definition.role_name(role)
    return f"{name} is next: hand the run over, or act as {name}, before going on"


def call_refusal(definition: ProcessDefinition, state: RunState) -> str:
    """Why the current step waits: its called run is open ("" when it does not wait)."""
    visit = state.current
    if visit is None or visit.child_run is None or visit.child_outcome is not None:
        return ""
    step = definition.steps.get(visit.node)
    called = step.call if step is not None else "?"
    return f"this step runs {called!r} as a run of its own: finish that run first"


def back_refusal(state: RunState) -> str:
    """Why *back* is refused on the position in focus ("" when it may go back)."""
    path = state.path
    if len(path) < 2:
        if state.position.block is not None:
            return "this is the first node of the branch: there is nothing to go back to"
        return "this is the first node: there is nothing to go back to"
    if state.visits[path[-2]].kind == "parallel":
        return "the branches joined here: going back across a join is not possible"
    return ""


def work_refusal(definition: ProcessDefinition, state: RunState) -> str:
    """Why the checklist or a decision cannot be worked now ("" when it can)."""
    return (
        status_refusal(state, ACTIVE)
        or role_refusal(definition, state)
        or call_refusal(definition, state)
    )


def shown_text(definition: ProcessDefinition, state: RunState, text: str) -> str:
    """An item's text as the operator sees it: its ``{id}`` placeholders filled."""
    if "{" not in text and "}" not in text:
        return text
    return fill(text, judge.scope_texts(definition, state))


def inactive_refusal(definition: ProcessDefinition, state: RunState, item: int) -> str:
    """Why ``item`` of the current step cannot be worked: its ``when`` switched it off."""
    step = definition.checklists.get(state.current_node or "")
    if step is None or not 0 <= item < len(step.items) or step.items[item].when is None:
        return ""
    check = judge.check_current_items(definition, state)[item]
    if check.active:
        return ""
    name = shown_text(definition, state, step.items[item].text)
    return f"{name!r} is not needed now: {check.why_inactive}"


def open_items(definition: ProcessDefinition, state: RunState) -> list[int]:
    """The current step's items still to do: not ticked, recorded or not applicable, and not
    switched off by their ``when`` (empty at a decision or an end)."""
    step, visit = definition.checklists.get(state.current_node or ""), state.current
    if step is None or visit is None:
        return []
    checks = judge.check_current_items(definition, state)
    return [
        i
        for i in range(len(step.items))
        if not (visit.mark(i).done or visit.mark(i).deferred) and checks[i].active
    ]


def complete_refusal(
    definition: ProcessDefinition, state: RunState, step: Step, visit: Visit
) -> str:
    """Why the current step cannot be completed: open items, an unexplained deviation (of
    its own items, or of a deferred item done here), or a sign-off not given."""
    return ready_refusal(definition, state, step, visit) or missing_refusal(definition, state)


def ready_refusal(definition: ProcessDefinition, state: RunState, step: Step, visit: Visit) -> str:
    """Why the current step would not complete, its sign-offs aside: open items, or an
    unexplained deviation, or an open deferral before a success end."""
    missing = open_items(definition, state)
    if missing:
        names = "; ".join(
            repr(shown_text(definition, state, step.items[i].text)) for i in missing[:3]
        )
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        count = f"{len(missing)} item{'s' if len(missing) != 1 else ''}"
        return f"{count} still open: {names}{more}"
    checks = judge.check_lines(definition, state)  # a deferred item done here too
    for line, check in zip(lines(definition, state), checks, strict=True):
        if check.needs_reason and line.mark.deviation_reason is None:
            name = shown_text(definition, state, line.spec.text)
            return (
                f"{name!r} is a deviation ({check.why_deviation}): give a "
                "reason to accept it, or record the value again"
            )
    return success_end_refusal(definition, state, step.next)


def explain_refusal(definition: ProcessDefinition, state: RunState, item: int | None) -> str:
    """Why a deviation cannot be explained on line ``item`` now ("" when it can; a deferred
    item done here is explained as at its own step)."""
    refusal = work_refusal(definition, state)
    if refusal:
        return refusal
    step, visit = definition.checklists.get(state.current_node or ""), state.current
    line = line_at(definition, state, item) if item is not None else None
    if step is None or visit is None or item is None or line is None:
        return "there is no item with a deviation here"
    checks = judge.check_lines(definition, state)  # a deferred item done here too
    if line.mark.value is None or not checks[item].deviation:
        return f"{shown_text(definition, state, line.spec.text)!r} has no deviation to explain"
    return ""
