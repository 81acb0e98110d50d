"""What a run's conditions left in its record, in words: the start inputs, each decision taken
with a basis (the suggestion, the condition and the values behind it, and whether it was
confirmed, taken by the process or overridden with a reason), each deviation (the value, the
``expect`` it missed, the reason or "routed by the flow") and each item switched off by its
``when``.

Read from the replayed state only (the journaled ``basis``, ``deviation`` and ``inactive``
events): no condition is evaluated here, so the CEL package is never imported. ``show``, the
Markdown export, the run detail and the summary screens all draw this one record.
Placeholders ``{id}`` in titles and texts are filled with the run's values
(:func:`procedo.model.placeholders.fill` with :func:`procedo.engine.judge.scope_texts`).
"""

from __future__ import annotations

from dataclasses import dataclass

from procedo.engine.judge import scope_texts, shown_value, values_said
from procedo.engine.state import ItemMark, RunState, Visit
from procedo.model import ProcessDefinition
from procedo.model.placeholders import fill

CONFIRMED, AUTOMATIC, OVERRIDDEN, UNSUGGESTED = "confirmed", "automatic", "overridden", "none"


@dataclass(frozen=True, slots=True)
class InputLine:
    """A start input: its id, title and value as a person reads it."""

    id: str
    title: str
    shown: str


@dataclass(frozen=True, slots=True)
class ChoiceLine:
    """A decision taken with a basis.

    ``how``: :data:`CONFIRMED` (the operator took the suggestion), :data:`AUTOMATIC` (chosen
    by the process), :data:`OVERRIDDEN` (another option, with ``reason``) or
    :data:`UNSUGGESTED` (no option was suggested); ``condition``: the suggested option's
    ``when`` (or the words of a default); ``values``: ``id = value`` of the values read.
    """

    visit: int
    node: str
    question: str
    chosen: str
    suggested: str | None
    how: str
    condition: str
    values: str
    reason: str | None

    def sentence(self) -> str:
        """One line: what was chosen and why."""
        basis = f"{self.condition}; {self.values}" if self.values else self.condition
        if self.how == AUTOMATIC:
            return f"{self.chosen}: chosen by the process ({basis})"
        if self.how == CONFIRMED:
            return f"{self.chosen}: the suggestion, confirmed ({basis})"
        if self.how == OVERRIDDEN:
            return (
                f"{self.chosen}: overrode the suggestion {self.suggested} ({basis}); "
                f"reason: {self.reason or ''}"
            )
        return f"{self.chosen}: nothing was suggested ({basis})"


@dataclass(frozen=True, slots=True)
class DeviationLine:
    """A value that missed its item's ``expect``; ``reason`` None: routed by the flow."""

    visit: int
    node: str
    step: str
    item: int
    text: str
    value: str
    expect: str
    reason: str | None

    def sentence(self) -> str:
        """One line: the value, what was expected, and how it was accepted."""
        accepted = f"reason: {self.reason}" if self.reason else "routed by the flow"
        return f"{self.text} = {self.value}, expected {self.expect}; {accepted}"


@dataclass(frozen=True, slots=True)
class InactiveLine:
    """An item switched off by its ``when`` on one visit."""

    visit: int
    node: str
    step: str
    item: int
    text: str
    when: str

    def sentence(self) -> str:
        """One line: the item and the condition that was false."""
        return f"{self.text}: inactive ({self.when} was false)"


@dataclass(frozen=True, slots=True)
class ConditionRecord:
    """Everything a run's conditions left in its record."""

    inputs: tuple[InputLine, ...] = ()
    choices: tuple[ChoiceLine, ...] = ()
    deviations: tuple[DeviationLine, ...] = ()
    inactive: tuple[InactiveLine, ...] = ()

    @property
    def empty(self) -> bool:
        """True for a run with no inputs, no basis, no deviation and nothing inactive."""
        return not (self.inputs or self.choices or self.deviations or self.inactive)


def _choice(definition: ProcessDefinition, visit: Visit, texts: dict[str, str]) -> ChoiceLine:
    decision = definition.decisions[visit.node]
    basis = visit.basis
    assert basis is not None and visit.choice is not None
    options = decision.options
    chosen = options[visit.choice].label
    said = values_said(definition, tuple(sorted(basis.values)), basis.values)
    if basis.suggested is None:
        whens = [o.when for o in options if o.when is not None]
        condition = "no condition held: " + " / ".join(whens) if whens else "no condition"
        how = UNSUGGESTED
        suggested = None
    else:
        option = options[basis.suggested]
        suggested = option.label
        if option.when is not None:
            condition = f"the condition is {option.when}"
        else:
            condition = "no condition held: the default"
        if visit.chosen_by == "process":
            how = AUTOMATIC
        elif visit.choice == basis.suggested:
            how = CONFIRMED
        else:
            how = OVERRIDDEN
    return ChoiceLine(
        visit.index,
        visit.node,
        fill(decision.question, texts),
        chosen,
        suggested,
        how,
        condition,
        said,
        visit.override_reason,
    )


def condition_record(definition: ProcessDefinition, state: RunState) -> ConditionRecord:
    """The record of a run's conditions, from its replayed state."""
    texts = scope_texts(definition, state)
    inputs = tuple(
        InputLine(
            key,
            fill(definition.inputs[key].title, texts) if key in definition.inputs else key,
            shown_value(definition, key, text),
        )
        for key, text in state.inputs.items()
    )
    choices: list[ChoiceLine] = []
    deviations: list[DeviationLine] = []
    inactive: list[InactiveLine] = []
    for visit in state.visits:
        if visit.basis is not None and visit.choice is not None:
            choices.append(_choice(definition, visit, texts))
        step = definition.steps.get(visit.node)
        if step is None:
            continue
        title = fill(step.title, texts)
        for index, mark in sorted(visit.items.items()):
            item = step.items[index]
            text = fill(item.text, texts)
            if mark.inactive:
                inactive.append(
                    InactiveLine(visit.index, visit.node, title, index, text, item.when or "")
                )
            elif mark.deviation and mark.value is not None:
                deviations.append(_deviation(definition, visit, visit.node, index, mark, texts))
        for deferral in state.deferrals:  # a deferred item done here: under its own step
            done = deferral.mark
            if deferral.done_visit == visit.index and done is not None and done.deviation:
                line = _deviation(definition, visit, deferral.node, deferral.item, done, texts)
                deviations.append(line)
    return ConditionRecord(inputs, tuple(choices), tuple(deviations), tuple(inactive))


def _deviation(
    definition: ProcessDefinition,
    visit: Visit,
    node: str,
    index: int,
    mark: ItemMark,
    texts: dict[str, str],
) -> DeviationLine:
    """The deviation of item ``index`` of step ``node`` whose value ``mark`` holds, recorded
    in ``visit`` (the step's own visit, or a later one for a deferred item)."""
    item = definition.steps[node].items[index]
    value = mark.value or ""
    shown = value
    if item.id is not None:
        shown = shown_value(definition, item.id, value)
    elif item.unit:
        shown = f"{value} {item.unit}"
    title = fill(definition.steps[node].title, texts)
    text = fill(item.text, texts)
    reason = mark.deviation_reason or None
    return DeviationLine(visit.index, node, title, index, text, shown, item.expect or "", reason)


def text_lines(record: ConditionRecord) -> list[str]:
    """Plain lines (for ``procedo show`` and the screens), by section; empty when nothing."""
    lines: list[str] = []
    if record.inputs:
        lines.append("Start inputs")
        lines += [f"  {i.title} ({i.id}) = {i.shown}" for i in record.inputs]
    if record.choices:
        lines.append("Decisions with a suggestion")
        lines += [f"  {c.question}: {c.sentence()}" for c in record.choices]
    if record.deviations:
        lines.append("Deviations")
        lines += [f"  {d.step}: {d.sentence()}" for d in record.deviations]
    if record.inactive:
        lines.append("Inactive items")
        lines += [f"  {i.step}: {i.sentence()}" for i in record.inactive]
    return lines
