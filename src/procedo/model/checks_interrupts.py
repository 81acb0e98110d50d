"""Checks of the non-normal checklists (``[interrupts.<id>]``) and of deferred items.

Each check yields ``(key_path, message)`` like :mod:`procedo.model.checks`. An interrupt's id
shares the node ids' name space (its checklist is visited like a step); its ``after`` names
``"return"`` or a step, decision or end; ``during`` names steps and decisions. An item's
``defer_to`` names another step, and an interrupt's own items are never deferred.
"""

from __future__ import annotations

from collections.abc import Iterator

from procedo.model.definition import RETURN, AfterChoice, ProcessDefinition
from procedo.model.problems import did_you_mean, is_valid_id
from procedo.model.toml_index import KeyPath

Finding = tuple[KeyPath, str]

__all__ = ["check_interrupts", "interrupt_targets"]


def interrupt_targets(definition: ProcessDefinition) -> list[str]:
    """Every node an interrupt may lead to instead of returning (roots of the graph checks)."""
    found = [t for i in definition.interrupts.values() for t in i.targets()]
    return [t for t in dict.fromkeys(found) if t in definition.node_ids()]


def check_interrupts(definition: ProcessDefinition) -> Iterator[Finding]:
    """Every problem of the interrupts and of the items' ``defer_to``."""
    nodes = definition.node_ids()
    known = set(nodes)
    for key, interrupt in definition.interrupts.items():
        base: KeyPath = ("interrupts", key)
        if not is_valid_id(key):
            yield (
                base,
                f"{key!r} is not a valid id: use lower-case letters, digits, '-' and '_', "
                "starting with a letter or digit",
            )
        if key in known:
            yield (
                base,
                f"{key!r} is already a node id: an interrupt needs an id of its own "
                "(its checklist is visited like a step)",
            )
        if interrupt.role is not None and interrupt.role not in definition.roles:
            yield (
                (*base, "role"),
                f"role {interrupt.role!r} is not a key of [roles]"
                f"{did_you_mean(interrupt.role, definition.roles)}",
            )
        for index, item in enumerate(interrupt.items):
            if item.defer_to is not None:
                yield (
                    (*base, "items", index, "defer_to"),
                    "an item of a non-normal checklist cannot be deferred: it is done now",
                )
            if item.role is not None and item.role not in definition.roles:
                yield (
                    (*base, "items", index, "role"),
                    f"role {item.role!r} is not a key of [roles]",
                )
        yield from _check_after(definition, base, interrupt.after, nodes)
        for index, node in enumerate(interrupt.during):
            if node not in definition.steps and node not in definition.decisions:
                yield (
                    (*base, "during", index),
                    f"{node!r} is not a step or decision of this process"
                    f"{did_you_mean(node, [*definition.steps, *definition.decisions])}",
                )
    for step_id, step in definition.steps.items():
        for index, item in enumerate(step.items):
            target = item.defer_to
            if target is None:
                continue
            path: KeyPath = ("steps", step_id, "items", index, "defer_to")
            if target == step_id:
                yield (path, "'defer_to' names this item's own step: name a later step")
            elif target not in definition.steps:
                yield (
                    path,
                    f"{target!r} is not a step of this process (a deferred item comes back "
                    f"in a step's checklist){did_you_mean(target, definition.steps)}",
                )


def _check_after(
    definition: ProcessDefinition, base: KeyPath, after: str | AfterChoice, nodes: list[str]
) -> Iterator[Finding]:
    if isinstance(after, str):
        yield from _check_target(definition, (*base, "after"), after, nodes)
        return
    seen: set[str] = set()
    for index, option in enumerate(after.options):
        label = option.label.strip().casefold()
        if label in seen:
            yield (
                (*base, "after", "options", index, "label"),
                f"option label {option.label!r} is used twice in this question",
            )
        seen.add(label)
        path = (*base, "after", "options", index, "next")
        yield from _check_target(definition, path, option.next, nodes)


def _check_target(
    definition: ProcessDefinition, path: KeyPath, target: str, nodes: list[str]
) -> Iterator[Finding]:
    if target == RETURN:
        return
    if target not in nodes:
        yield (
            path,
            f'{target!r} is not a node of this process: use "return" to go back to where the '
            f"run was, or a step, decision or end{did_you_mean(target, [*nodes, RETURN])}",
        )
    elif target in definition.parallel or target in definition.joins:
        yield (
            path,
            f"{target!r} opens or joins a parallel block: an interrupt leads to a step, a "
            "decision or an end outside the block",
        )
