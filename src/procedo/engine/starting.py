"""What starting a run writes: ``start`` (with its trigger, or as practice), ``called_by`` when
another run calls it, and one ``input`` per start input, each checked first."""

from __future__ import annotations

from collections.abc import Mapping

from procedo.engine.cleaning import clean_inputs
from procedo.engine.drafts import Draft
from procedo.engine.errors import Refused
from procedo.model import ProcessDefinition


def start_drafts(
    definition: ProcessDefinition,
    operator: str,
    trigger: str | None,
    *,
    practice: bool,
    inputs: Mapping[str, str],
    parent: tuple[str, str] | None,
) -> list[Draft]:
    """The first events of a run of ``definition`` by ``operator`` (a name already cleaned by
    the caller); :class:`Refused` for a missing or unknown trigger or an input that cannot be
    journaled."""
    given = clean_inputs(definition, inputs)
    if definition.triggers and trigger is None and parent is None:
        ids = ", ".join(t.id for t in definition.triggers)
        raise Refused(f"choose what triggered this run: {ids}")
    if trigger is not None and definition.trigger(trigger) is None:
        known = ", ".join(t.id for t in definition.triggers) or "none"
        raise Refused(f"{trigger!r} is not a trigger of this process (triggers: {known})")
    start = definition.start_for(trigger)
    return [
        Draft(
            "start", start, value=trigger, reason="practice" if practice else None, actor=operator
        ),
        *(
            [Draft("called_by", parent[1], value=parent[0], actor=operator)]
            if parent is not None
            else []
        ),
        *(Draft("input", key, value=value, actor=operator) for key, value in given.items()),
    ]
