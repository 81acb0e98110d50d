"""Checks of the sign-offs: every ``signoff`` role and every item's ``override`` role is a
process role (the message names the known roles), and no overridable item's value is read by
a condition (an overridden item records none).

Each check yields ``(key_path, message)`` like :mod:`procedo.model.checks`.
"""

from __future__ import annotations

from collections.abc import Iterator

from procedo.model.definition import ProcessDefinition
from procedo.model.items import Item
from procedo.model.problems import did_you_mean
from procedo.model.signoff import SignOff
from procedo.model.toml_index import KeyPath

Finding = tuple[KeyPath, str]

__all__ = ["check_signoffs"]


def _unknown(definition: ProcessDefinition, role: str, path: KeyPath, what: str) -> Finding:
    roles = definition.roles
    if not roles:
        return path, f"{what} role {role!r} is not defined: the file has no [roles]"
    known = ", ".join(map(repr, roles))
    hint = did_you_mean(role, roles)
    return path, f"{what} role {role!r} is not a key of [roles]{hint} (known roles: {known})"


def _signoffs(
    definition: ProcessDefinition, signoffs: tuple[SignOff, ...], base: KeyPath
) -> Iterator[Finding]:
    for index, signoff in enumerate(signoffs):
        if signoff.role not in definition.roles:
            yield _unknown(definition, signoff.role, (*base, "signoff", index, "role"), "sign-off")


def _overrides(
    definition: ProcessDefinition, items: tuple[Item, ...], base: KeyPath
) -> Iterator[Finding]:
    for index, item in enumerate(items):
        if item.override is None:
            continue
        if item.override.role not in definition.roles:
            path = (*base, "items", index, "override", "role")
            yield _unknown(definition, item.override.role, path, "override")
        if item.id is not None and item.id in definition.ids_read_by_conditions:
            yield (
                (*base, "items", index, "override"),
                f"a condition reads {item.id!r}: an overridden item records no value, so "
                "it cannot have 'override'",
            )


def check_signoffs(definition: ProcessDefinition) -> Iterator[Finding]:
    """Every unknown role named by a ``signoff`` or an ``override``."""
    for step_id, step in definition.steps.items():
        yield from _signoffs(definition, step.signoff, ("steps", step_id))
        yield from _overrides(definition, step.items, ("steps", step_id))
    for decision_id, decision in definition.decisions.items():
        yield from _signoffs(definition, decision.signoff, ("decisions", decision_id))
    for key, interrupt in definition.interrupts.items():
        yield from _overrides(definition, interrupt.items, ("interrupts", key))
