"""A run's path as people read it: every stay at a node in order, with what was done in it.

One source for the Markdown export's Path and the app's summary, so the two agree with each
other and with the events: a choice undone by going back, the stays left by going back and
the ticks made in each stay are all listed (see :mod:`procedo.engine.stints`).
"""

from __future__ import annotations

from dataclasses import dataclass

from procedo.engine import RunState
from procedo.engine.stints import Act, Stint
from procedo.model import ProcessDefinition
from procedo.render.interrupt_record import checklist


@dataclass(frozen=True, slots=True)
class PathEntry:
    """One stay: where, when, for how long, and what was done (plain text, not escaped)."""

    number: int
    node: str
    title: str
    entered_ms: int
    duration_ms: int | None
    came_back: bool
    deeds: list[str]
    outcome: str


def _title(definition: ProcessDefinition, node: str | None) -> str:
    found = (
        definition.steps.get(node or "")
        or definition.ends.get(node or "")
        or definition.parallel.get(node or "")
        or definition.interrupts.get(node or "")
    )
    if found is not None:
        return found.title
    decision = definition.decisions.get(node or "")
    return decision.question if decision is not None else (node or "")


def _item(definition: ProcessDefinition, node: str, item: int) -> str:
    step = checklist(definition, node)
    if step is None or not 0 <= item < len(step.items):
        return f"item {item + 1}"
    return step.items[item].text


def _deed(definition: ProcessDefinition, node: str, act: Act) -> str:
    text = _item(definition, node, act.item)
    if act.kind == "record":
        step = checklist(definition, node)
        unit = step.items[act.item].unit if step and 0 <= act.item < len(step.items) else None
        value = f"{act.value} {unit}" if unit and act.value else act.value or ""
        return f"recorded {text}: {value}"
    if act.kind == "na":
        return f"marked {text} not applicable ({act.reason or 'no reason'})"
    if act.kind == "deviation":
        why = f"accepted: {act.reason}" if act.reason else "routed by the flow"
        return f"deviation on {text} ({act.value}): {why}"
    if act.kind == "inactive":
        return f"{text} switched off (not needed)"
    return f"{'cleared' if act.kind == 'uncheck' else 'ticked'} {text}"


def _deeds(definition: ProcessDefinition, stint: Stint) -> list[str]:
    """What was done to items in the stay (a deferred item done here included, named by its
    own step's item), consecutive ticks in one phrase."""
    deeds: list[str] = []
    ticking = False
    for act in stint.acts:
        node = act.node or stint.node
        if act.kind == "check" and ticking:
            deeds[-1] += ", " + _item(definition, node, act.item)
            continue
        deeds.append(_deed(definition, node, act))
        ticking = act.kind == "check"
    return deeds


def _outcome(definition: ProcessDefinition, stint: Stint) -> str:
    if stint.outcome == "chosen" and stint.choice is not None:
        return f"chose {definition.decisions[stint.node].options[stint.choice].label}"
    if stint.outcome == "back":
        return f"went back to {_title(definition, stint.next_node)}"
    if stint.outcome == "after":
        return f"finished: on to {_title(definition, stint.next_node)}"
    if stint.outcome == "interrupted":
        return f"left: an interrupt led to {_title(definition, stint.next_node)}"
    return {
        "completed": "completed",
        "returned": "finished: back where it interrupted",
        "finished": "end reached",
        "aborted": "aborted here",
        None: "the run is here",
    }.get(stint.outcome, stint.outcome or "")


def path_entries(definition: ProcessDefinition, state: RunState) -> list[PathEntry]:
    """Every stay of the run, in order, going back included."""
    return [
        PathEntry(
            number,
            stint.node,
            _title(definition, stint.node),
            stint.entered_ms,
            stint.duration_ms,
            stint.returned,
            _deeds(definition, stint),
            _outcome(definition, stint),
        )
        for number, stint in enumerate(state.stints, 1)
    ]
