"""The drafts of the item operations (tick, clear, record, not applicable) on a line of the
current checklist, with every refusal the rules give: :class:`Refused` (or
:class:`Unchanged`) when it does not apply, and nothing is drafted then."""

from __future__ import annotations

from procedo.engine import allowed as rules
from procedo.engine.cleaning import clean_text
from procedo.engine.drafts import Draft
from procedo.engine.errors import Refused, Unchanged
from procedo.engine.lines import Line, line_at
from procedo.engine.state import ACTIVE, RunState
from procedo.engine.values import normalise_value
from procedo.model import ProcessDefinition

__all__ = ["check", "line_for", "not_applicable", "record", "uncheck"]


def line_for(
    definition: ProcessDefinition,
    state: RunState,
    item: int,
    statuses: tuple[str, ...] = (ACTIVE,),
) -> Line:
    """Line ``item`` of the current checklist, once the run may work on it (in ``statuses``;
    while active: its role taken up and no call open)."""
    refusal = rules.status_refusal(state, *statuses)
    working = statuses == (ACTIVE,)
    if not refusal and working:
        refusal = rules.role_refusal(definition, state)
    if refusal:
        raise Refused(refusal)
    if state.current is None or definition.checklists.get(state.current_node or "") is None:
        raise Refused("there is no checklist here: the current node is not a step")
    line = line_at(definition, state, item)
    if line is None:
        raise Refused(f"this step has no item {item + 1}")
    refusal = rules.call_refusal(definition, state) if working else ""
    if refusal:
        raise Refused(refusal)
    return line


def _workable(definition: ProcessDefinition, state: RunState, item: int) -> tuple[Line, str]:
    """The line and its shown text, refused when switched off or deferred."""
    line = line_for(definition, state, item)
    if not line.carried:
        refusal = rules.inactive_refusal(definition, state, item)
        if refusal:
            raise Refused(refusal)
    name = rules.shown_text(definition, state, line.spec.text)
    if line.mark.deferred:
        raise Refused(f"{name!r} is deferred; clear the deferral first")
    if line.mark.overridden is not None:
        raise Refused(f"{name!r} was overridden; clear the override first")
    return line, name


def check(definition: ProcessDefinition, state: RunState, item: int) -> Draft:
    """The ``check`` of a plain item."""
    line, name = _workable(definition, state, item)
    if line.spec.is_record:
        raise Refused(f"{name!r} needs a value: record it instead of ticking it")
    if line.mark.na_reason is not None:
        raise Refused(f"{name!r} is marked not applicable; clear it first")
    if line.mark.checked:
        raise Refused(f"{name!r} is already ticked")
    return Draft("check", line.node, line.index)


def uncheck(definition: ProcessDefinition, state: RunState, item: int) -> Draft:
    """The ``uncheck`` of a tick, a value, a not-applicable mark or a deferral."""
    line = line_for(definition, state, item)
    refusal = rules.allowed(definition, state, item).clear.reason
    if refusal:
        raise Refused(refusal)
    return Draft("uncheck", line.node, line.index)


def record(definition: ProcessDefinition, state: RunState, item: int, raw: str) -> Draft:
    """The ``record`` of a value (its ``value``: the stored text)."""
    line, name = _workable(definition, state, item)
    value = normalise_value(line.spec, raw)
    if line.mark.value == value:
        raise Unchanged(f"{name!r} already has the value {value!r}")
    return Draft("record", line.node, line.index, value=value)


def not_applicable(definition: ProcessDefinition, state: RunState, item: int, reason: str) -> Draft:
    """The ``na`` of an item, with the reason (never a critical one, nor one a condition
    reads)."""
    line, name = _workable(definition, state, item)
    spec = line.spec
    if spec.id is not None and spec.id in definition.ids_read_by_conditions:
        raise Refused(
            f"{name!r} is read by a condition: record its value (it cannot be marked not "
            "applicable)"
        )
    if spec.critical:
        raise Refused(f"{name!r} is critical: it cannot be marked not applicable")
    if line.mark.na_reason is not None:
        raise Refused(f"{name!r} is already marked not applicable")
    return Draft("na", line.node, line.index, reason=clean_text(reason, "reason"))
