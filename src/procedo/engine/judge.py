"""What the recorded values say: the values in scope, each item's conditions, and a
decision's suggestion (with the words that explain it).

Only the live run asks these questions; the answers that matter for the record are journaled
(``basis``, ``deviation``, ``inactive`` events), so a replay never evaluates a condition.
The CEL package is imported (by :mod:`procedo.model.conditions`) only when a condition is.
"""

from __future__ import annotations

import contextlib
import json
import weakref
from dataclasses import dataclass, field, replace

from procedo.engine.state import RunState
from procedo.engine.values import format_number
from procedo.model import Decision, Item, ProcessDefinition
from procedo.model.conditions import Condition, ConditionError, compile_condition, identifiers

Value = float | str
"""A value as a condition reads it: a number, or text."""


def typed(kind: str | None, text: str) -> Value:
    """A value's journal text as a condition reads it (a number for ``record = "number"``)."""
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            return text  # never written by procedo; a condition on it then cannot hold
    return text


def condition(definition: ProcessDefinition, source: str) -> Condition:
    """The compiled condition (cached by source and the definition's value kinds).

    A condition that does not compile (the loader refuses such a file, but a definition
    stored with an old journal may hold one) is never judged: it holds neither true nor
    false, so an item stays on, a deviation is flagged and no choice is automatic.
    """
    try:
        return compile_condition(source, definition.value_kinds())
    except ConditionError:
        known = definition.value_kinds()
        return Condition(source, tuple(i for i in identifiers(source) if i in known))


_KEPT = 8
_answers: list[tuple[weakref.ref[RunState], int, str, object]] = []
"""The last answers worked out (the scope, the item checks): by state object, its
``last_seq`` and the question. A tick asks the same questions many times of one state; a
new state (the engine's copy) or a new event is a new entry."""


def _remembered(state: RunState, key: str) -> object | None:
    """What was worked out from ``state`` under ``key``, if it is still this state's."""
    key = f"{key}\x00{state.focus}"
    for ref, seq, question, answer in _answers:
        if question == key and ref() is state and seq == state.last_seq:
            return answer
    return None


def _remember(state: RunState, key: str, answer: object) -> None:
    key = f"{key}\x00{state.focus}"
    _answers.insert(0, (weakref.ref(state), state.last_seq, key, answer))
    del _answers[_KEPT:]


def scope_texts(definition: ProcessDefinition, state: RunState) -> dict[str, str]:
    """Every named value the run holds now, as journal text: the start inputs, then the
    values recorded on the visits from the start to here (a later visit's value wins; in a
    parallel block, every branch's visits count, in the order they were entered).

    Visits undone with *back* do not count; nor do items that were
    switched off (inactive) or whose value was cleared. Worked out once per state (a copy
    is returned: the caller may change it).
    """
    found = _remembered(state, "scope")
    if isinstance(found, dict):
        return dict(found)
    texts = _scope_texts(definition, state)
    _remember(state, "scope", texts)
    return dict(texts)


def _scope_texts(definition: ProcessDefinition, state: RunState) -> dict[str, str]:
    texts = dict(state.inputs)
    done_later: dict[int, list[tuple[str, int, str]]] = {}
    for deferral in state.deferrals:
        if deferral.done_visit is not None and deferral.mark and deferral.mark.value is not None:
            entry = (deferral.node, deferral.item, deferral.mark.value)
            done_later.setdefault(deferral.done_visit, []).append(entry)
    for visit in state.visits:
        if visit.outcome == "back" or not (visit.items or visit.index in done_later):
            continue
        step = definition.checklists.get(visit.node)
        if step is None:
            continue
        for position, mark in visit.items.items():
            spec = step.items[position]
            if spec.id is not None and mark.value is not None and not mark.inactive:
                texts[spec.id] = mark.value
        for node, item, value in done_later.get(visit.index, ()):
            spec = definition.steps[node].items[item]
            if spec.id is not None:
                texts[spec.id] = value
    return texts


def scope(definition: ProcessDefinition, state: RunState) -> dict[str, Value]:
    """:func:`scope_texts` with numbers as numbers, as conditions read them."""
    kinds = definition.value_kinds()
    texts = scope_texts(definition, state)
    return {key: typed(kinds.get(key), text) for key, text in texts.items()}


def shown_value(definition: ProcessDefinition, value_id: str, text: str) -> str:
    """A value as a person reads it: ``230 V``, ``Frozen``."""
    spec = definition.value_spec(value_id)
    unit = getattr(spec, "unit", None)
    if spec is not None and spec.record == "number":
        with contextlib.suppress(ValueError):
            text = format_number(float(text))
        return f"{text} {unit}" if unit else text
    return text


def values_said(definition: ProcessDefinition, ids: tuple[str, ...], texts: dict[str, str]) -> str:
    """``arrival_temp = 12 °C, kind = Frozen`` for the ids a condition read (missing: ‹none›)."""
    parts = []
    for value_id in ids:
        text = texts.get(value_id)
        shown = "no value" if text is None else shown_value(definition, value_id, text)
        parts.append(f"{value_id} = {shown}")
    return ", ".join(parts)


# -- items ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemCheck:
    """What an item's conditions say now.

    ``active``: False when its ``when`` is false (the item is switched off, not required);
    ``deviation``: its value misses ``expect`` (or cannot be checked); ``routed``: the step
    leads to a decision that reads the value, so the flow handles the deviation.
    """

    active: bool = True
    why_inactive: str = ""
    deviation: bool = False
    why_deviation: str = ""
    routed: bool = False

    @property
    def needs_reason(self) -> bool:
        """A deviation that the step cannot complete without (no reason yet is checked here)."""
        return self.active and self.deviation and not self.routed


FINE = ItemCheck()


def check_item(
    definition: ProcessDefinition,
    step_id: str,
    item: Item,
    value: str | None,
    texts: dict[str, str],
) -> ItemCheck:
    """Judge one item of ``step_id`` with the values ``texts`` (journal text by id)."""
    if item.when is None and item.expect is None:
        return FINE
    kinds = definition.value_kinds()
    values = {key: typed(kinds.get(key), text) for key, text in texts.items()}
    active, why_inactive = True, ""
    if item.when is not None:
        when = condition(definition, item.when)
        # unknown (a value it reads is missing) keeps the item on: asking more is the safe side
        if when.holds(values) is False:
            active = False
            why_inactive = f"{item.when} is false ({values_said(definition, when.ids, texts)})"
    if item.expect is None or value is None:
        return ItemCheck(active, why_inactive)
    if item.id is not None:
        texts = {**texts, item.id: value}
        values = {**values, item.id: typed(item.record, value)}
    expect = condition(definition, item.expect)
    holds = expect.holds(values)
    if holds:
        return ItemCheck(active, why_inactive)
    said = values_said(definition, expect.ids, texts)
    if holds is None:
        why = f"cannot check {item.expect} ({said})"
    else:
        why = f"expected {item.expect}, but {said}"
    return ItemCheck(active, why_inactive, True, why, routed_by_flow(definition, step_id, item))


def routed_by_flow(definition: ProcessDefinition, step_id: str, item: Item) -> bool:
    """True when the step leads straight to a decision with a ``when`` that reads the item's id:
    a deviation is then the flow's to route, and needs no reason."""
    if item.id is None:
        return False
    decision = definition.decisions.get(definition.checklists[step_id].next or "")
    if decision is None:
        return False
    return any(
        option.when is not None and item.id in condition(definition, option.when).ids
        for option in decision.options
    )


def check_current_items(definition: ProcessDefinition, state: RunState) -> list[ItemCheck]:
    """:func:`check_item` for every item of the current step (empty at a decision or an end)."""
    visit = state.current
    step = definition.checklists.get(visit.node) if visit is not None else None
    if step is None or visit is None:
        return []
    if not any(i.when is not None or i.expect is not None for i in step.items):
        return [FINE] * len(step.items)
    found = _remembered(state, "items")
    if isinstance(found, list):
        return list(found)
    texts = scope_texts(definition, state)
    checks = [
        check_item(definition, visit.node, item, visit.mark(i).value, texts)
        for i, item in enumerate(step.items)
    ]
    _remember(state, "items", checks)
    return list(checks)


def check_carried_items(definition: ProcessDefinition, state: RunState) -> list[ItemCheck]:
    """:func:`check_item` for every deferred item that comes back in the current visit, in the
    order of :func:`procedo.engine.lines.lines`: its value against its ``expect`` as at its own
    step. A carried item is worked wherever it comes back (its ``when`` does not switch it
    off), and its deviation is routed only when the step it is done at leads straight to a
    decision that reads it (the decision after its own step is behind the run)."""
    visit = state.current
    if visit is None or visit.kind != "step":
        return []
    carried = state.carried(visit)
    if not carried:
        return []
    found = _remembered(state, "carried")
    if isinstance(found, list):
        return list(found)
    texts = scope_texts(definition, state)
    checks = []
    for deferral in carried:
        item = definition.steps[deferral.node].items[deferral.item]
        value = deferral.mark.value if deferral.mark is not None else None
        check = check_item(definition, visit.node, item, value, texts)
        checks.append(replace(check, active=True, why_inactive=""))
    _remember(state, "carried", checks)
    return list(checks)


def check_lines(definition: ProcessDefinition, state: RunState) -> list[ItemCheck]:
    """What the conditions say of each line of the current checklist: its own items
    (:func:`check_current_items`), then the deferred items that come back in it."""
    return [
        *check_current_items(definition, state),
        *check_carried_items(definition, state),
    ]


# -- decisions ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What a decision's conditions suggest now.

    ``option``: the suggested option (None when none holds and there is no default);
    ``holding``: every option whose ``when`` holds; ``unknown``: the options whose ``when``
    cannot be judged (a value it reads is missing); ``values``: the values read (journal text).
    """

    option: int | None
    holding: tuple[int, ...]
    by_default: bool
    why: str
    values: dict[str, str] = field(default_factory=dict)
    unknown: tuple[int, ...] = ()
    timed_out: str | None = None
    """The option comes from the decision's ``timeout``: its reason (see ``clock_rules``)."""

    def automatic(self, decision: Decision) -> bool:
        """True when an ``auto`` decision takes this suggestion without asking: exactly one
        option holds, or none does and there is a default; every condition could be judged."""
        if not decision.auto or self.option is None or self.unknown:
            return False
        return len(self.holding) == 1 or (not self.holding and self.by_default)

    def values_json(self) -> str:
        """The values read, as the ``basis`` event stores them."""
        return json.dumps(self.values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def suggest(definition: ProcessDefinition, decision_id: str, texts: dict[str, str]) -> Suggestion:
    """The suggestion at ``decision_id`` with the values ``texts`` (journal text by id)."""
    decision = definition.decisions[decision_id]
    kinds = definition.value_kinds()
    values = {key: typed(kinds.get(key), text) for key, text in texts.items()}
    holding: list[int] = []
    unknown: list[int] = []
    read: list[str] = []
    for index, option in enumerate(decision.options):
        if option.when is None:
            continue
        compiled = condition(definition, option.when)
        read.extend(i for i in compiled.ids if i not in read)
        verdict = compiled.holds(values)
        if verdict:
            holding.append(index)
        elif verdict is None:
            unknown.append(index)
    said = values_said(definition, tuple(read), texts)
    used = {key: texts[key] for key in read if key in texts}
    default = next((i for i, o in enumerate(decision.options) if o.default), None)
    if holding:
        first = decision.options[holding[0]]
        why = f"{first.when} holds ({said})"
        return Suggestion(holding[0], tuple(holding), False, why, used, tuple(unknown))
    why = f"no condition holds ({said})" if read else ""
    if unknown:
        why = f"a condition could not be judged ({said})"
    if default is not None:
        why = f"{why}: the default" if why else "the default"
        return Suggestion(default, (), True, why, used, tuple(unknown))
    return Suggestion(None, (), False, why, used, tuple(unknown))


def current_suggestion(definition: ProcessDefinition, state: RunState) -> Suggestion | None:
    """The suggestion at the current decision (None elsewhere, or when it has no conditions)."""
    node = state.current_node or ""
    decision = definition.decisions.get(node)
    if decision is None or not decision.has_conditions:
        return None
    return suggest(definition, node, scope_texts(definition, state))


def previous_values(definition: ProcessDefinition, state: RunState) -> dict[int, str]:
    """On a repeated visit of a step, the values recorded on its last earlier visit, by item."""
    visit = state.current
    if visit is None or visit.node not in definition.checklists:
        return {}
    for earlier in reversed(state.visits[: visit.index]):
        if earlier.node == visit.node:
            found = {i: m.value for i, m in earlier.items.items() if m.value is not None}
            if found:
                return found
    return {}


def automatic(definition: ProcessDefinition, state: RunState) -> Suggestion | None:
    """The suggestion an ``auto`` decision the run is at takes without asking (None when the
    run is not at one, or it must ask: not exactly one option holds)."""
    if state.status != "active" or state.awaiting_role is not None:
        return None  # a decision with a role of its own waits for that role to be taken up
    node = state.current_node or ""
    decision = definition.decisions.get(node)
    if decision is None or not decision.auto:
        return None
    suggestion = suggest(definition, node, scope_texts(definition, state))
    return suggestion if suggestion.automatic(decision) else None
