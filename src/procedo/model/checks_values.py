"""Checks of the named values: item and input ids, conditions, placeholders, ``auto``.

Each check yields ``(key_path, message)`` like :mod:`procedo.model.checks`. The condition
language is loaded only when a condition is compiled, so a definition with no condition never
loads it; nothing compiled is kept (a compiled program cannot be pickled or cached).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from procedo.model.definition import Decision, Item, ProcessDefinition
from procedo.model.placeholders import (
    RESERVED_WORDS,
    VALUE_ID_PATTERN,
    is_valid_value_id,
    placeholder_ids,
    placeholder_problems,
)
from procedo.model.problems import did_you_mean
from procedo.model.toml_index import KeyPath
from procedo.model.value_flow import path_without, recorded_on_entry

if TYPE_CHECKING:
    from procedo.model.conditions import Condition

Finding = tuple[KeyPath, str]
_SHOWN_PATH = 6
"""At most this many nodes of a path are named in a message."""


@dataclass(frozen=True, slots=True)
class _Use:
    """Ids read at ``path``: by a condition or a placeholder, at ``node`` (None: before any).

    ``also`` are ids known there besides those recorded on entry to the node (the item's own
    id, ids recorded earlier in the step); ``later`` are ids the same step records too late.
    """

    path: KeyPath
    ids: tuple[str, ...]
    node: str | None
    what: str
    also: frozenset[str] = frozenset()
    later: frozenset[str] = frozenset()


@dataclass(slots=True)
class _Scan:
    """What one pass over every item found: most items have none of it."""

    named: list[tuple[str, int, Item]]  # items with an id
    conditioned: list[str]  # steps with an item's when/expect, in order
    braced: list[tuple[str, int]]  # items whose text or details hold a brace


_ITEM_KEYS = attrgetter("id", "when", "expect", "text", "details")


def _scan(definition: ProcessDefinition) -> _Scan:
    """One pass over every item (a large catalog has 70,000: this loop is kept bare)."""
    found = _Scan([], [], [])
    for step_id, step in definition.steps.items():
        conditioned = False
        for index, (value_id, when, expect, text, details) in enumerate(
            map(_ITEM_KEYS, step.items)
        ):
            if value_id is not None:
                found.named.append((step_id, index, step.items[index]))
            if when is not None or expect is not None:
                conditioned = True
            if "{" in text or "}" in text or (details and ("{" in details or "}" in details)):
                found.braced.append((step_id, index))
        if conditioned:
            found.conditioned.append(step_id)
    return found


def check_values(
    definition: ProcessDefinition, *, names: bool = True, flow: bool = True
) -> list[Finding]:
    """Every problem of the named values.

    ``flow=False`` leaves out "recorded on every path" (it needs every reference sound);
    ``names=False`` leaves out the conditions and unknown ids too, for the stand-in of a
    broken file (its broken steps lost their items, so their ids look unknown).
    """
    scan = _scan(definition)
    findings = list(_check_value_ids(definition, scan))
    if not names:
        for path, text, _node, _also in _placed_texts(definition, scan):
            findings.extend((path, problem) for problem in placeholder_problems(text))
        return findings
    uses: list[_Use] = []
    findings.extend(_check_conditions(definition, scan, uses))
    findings.extend(_check_placeholders(definition, scan, uses))
    if flow:
        findings.extend(_check_recorded(definition, uses))
    return findings


# -- ids ------------------------------------------------------------------------------------


def _id_rule(value_id: str) -> str:
    if VALUE_ID_PATTERN.fullmatch(value_id) and value_id in RESERVED_WORDS:
        return f"{value_id!r} is a word of the condition language: choose another id"
    return (
        f"{value_id!r} is not a valid value id: use a lower-case letter, then lower-case "
        "letters, digits and '_' (no '-': a condition would read it as a minus)"
    )


def _check_value_ids(definition: ProcessDefinition, scan: _Scan) -> Iterator[Finding]:
    owner: dict[str, str] = {}
    for input_id in definition.inputs:
        if not is_valid_value_id(input_id):
            yield (("inputs", input_id), _id_rule(input_id))
        owner[input_id] = f"the start input [inputs.{input_id}]"
    for step_id, index, item in scan.named:
        value_id = item.id or ""
        path: KeyPath = ("steps", step_id, "items", index, "id")
        if not is_valid_value_id(value_id):
            yield (path, _id_rule(value_id))
        if value_id in owner:
            yield (
                path,
                f"id {value_id!r} is already used by {owner[value_id]}: an id names one "
                "value, on one item or input (a step visited again records it again)",
            )
        else:
            owner[value_id] = f"steps.{step_id}.items.{index}"


# -- conditions -----------------------------------------------------------------------------


def _compile(
    definition: ProcessDefinition, source: str, path: KeyPath, found: list[Finding]
) -> Condition | None:
    """The compiled condition, or None with the error appended to ``found``."""
    from procedo.model.conditions import ConditionError, compile_condition  # CEL: lazily

    try:
        return compile_condition(source, definition.value_kinds())
    except ConditionError as error:
        where = ""
        if error.column is not None:
            where = f" (at column {error.column} of the condition)"
            if error.line > 1:
                where = f" (at line {error.line}, column {error.column} of the condition)"
        found.append((path, error.message + where))
        return None


def _check_conditions(
    definition: ProcessDefinition, scan: _Scan, uses: list[_Use]
) -> list[Finding]:
    found: list[Finding] = []
    for step_id in scan.conditioned:
        step = definition.steps[step_id]
        step_ids = [item.id for item in step.items]
        for index, item in enumerate(step.items):
            base: KeyPath = ("steps", step_id, "items", index)
            earlier = frozenset(
                i.id for i in step.items[:index] if i.id is not None and i.when is None
            )
            also = earlier | {item.id} if item.id is not None else earlier
            later = frozenset(i for i in step_ids[index + 1 :] if i is not None) - also
            for key in ("when", "expect"):
                source = getattr(item, key)
                if source is None:
                    continue
                compiled = _compile(definition, source, (*base, key), found)
                if compiled is not None:
                    what = f"the item's {key!r}"
                    uses.append(_Use((*base, key), compiled.ids, step_id, what, also, later))
                    if key == "expect":
                        found.extend(_expect_reads_own(item, compiled.ids, base))
            if item.expect is not None and item.id is None:
                found.append(
                    (
                        (*base, "expect"),
                        "an item with 'expect' needs an 'id': the name its condition "
                        "reads the recorded value by",
                    )
                )
    for decision_id, decision in definition.decisions.items():
        found.extend(_check_decision(definition, decision_id, decision, uses))
    return found


def _expect_reads_own(item: Item, ids: tuple[str, ...], base: KeyPath) -> Iterator[Finding]:
    if item.id is None or item.id in ids:
        return
    reads = ", ".join(repr(i) for i in ids) if ids else "no id"
    yield (
        (*base, "expect"),
        f"'expect' reads {reads} but not the item's own id {item.id!r}: "
        "it says what this item's value should be",
    )


def _check_decision(
    definition: ProcessDefinition, decision_id: str, decision: Decision, uses: list[_Use]
) -> Iterator[Finding]:
    base: KeyPath = ("decisions", decision_id)
    found: list[Finding] = []
    compiled: list[tuple[str, Condition]] = []
    first_default: str | None = None
    for index, option in enumerate(decision.options):
        if option.default:
            if first_default is not None:
                found.append(
                    (
                        (*base, "options", index, "default"),
                        f"only one option may have default = true ({first_default!r} has it)",
                    )
                )
            else:
                first_default = option.label
        if option.when is None:
            continue
        path: KeyPath = (*base, "options", index, "when")
        condition = _compile(definition, option.when, path, found)
        if condition is not None:
            compiled.append((option.label, condition))
            uses.append(_Use(path, condition.ids, decision_id, "the option's 'when'"))
    yield from found
    if not decision.auto:
        return
    if first_default is None:
        yield (
            (*base, "auto"),
            "auto = true needs an option with default = true: the one taken when no "
            "option's 'when' holds",
        )
    if len(compiled) >= 2 and len(compiled) == sum(o.when is not None for o in decision.options):
        overlap = _overlap(definition, compiled)
        if overlap:
            yield ((*base, "auto"), overlap)


def _overlap(definition: ProcessDefinition, compiled: list[tuple[str, Condition]]) -> str:
    """Why two options of an ``auto`` decision can both hold, or "" when no values show it."""
    from procedo.model.conditions import witnesses_of_overlap

    kinds = definition.value_kinds()
    choices: dict[str, tuple[str, ...]] = {}
    bounds: dict[str, tuple[float | None, float | None]] = {}
    for name in {n for _, c in compiled for n in c.ids}:
        spec = definition.value_spec(name)
        if spec is not None:
            choices[name] = spec.choices
            bounds[name] = (spec.min, spec.max)
    values = witnesses_of_overlap([c for _, c in compiled], kinds, choices, bounds)
    if values is None:
        return ""
    holding = [repr(label) for label, c in compiled if c.holds(values)]
    labels = " and ".join(holding) if len(holding) == 2 else ", ".join(holding)
    said = ", ".join(f"{name} = {_said(value)}" for name, value in values.items())
    both = "both" if len(holding) == 2 else "all of"
    return (
        f"{both} {labels} hold when {said}: with auto = true the options' conditions "
        "must not hold together (exactly one is taken without asking)"
    )


def _said(value: float | str) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return repr(value)


# -- placeholders ---------------------------------------------------------------------------


def _placed_texts(
    definition: ProcessDefinition, scan: _Scan
) -> Iterator[tuple[KeyPath, str, str | None, frozenset[str]]]:
    """Each text with a brace: its path, the text, its node (None: shown before a run has
    values) and the ids known there besides those recorded on entry."""
    none: frozenset[str] = frozenset()
    info = definition.process
    for key in ("title", "summary"):
        text = getattr(info, key)
        if "{" in text or "}" in text:
            yield ("process", key), text, None, none
    for index, trigger in enumerate(definition.triggers):
        if "{" in trigger.title or "}" in trigger.title:
            yield ("triggers", index, "title"), trigger.title, None, none
    for input_id, spec in definition.inputs.items():
        for key in ("title", "details"):
            text = getattr(spec, key)
            if "{" in text or "}" in text:
                yield ("inputs", input_id, key), text, None, none
    for step_id, step in definition.steps.items():
        for key in ("title", "instructions"):
            text = getattr(step, key)
            if "{" in text or "}" in text:
                # the instructions may show a value of the step itself (‹id› until recorded)
                own = none
                if key == "instructions":
                    own = frozenset(i.id for i in step.items if i.id is not None)
                yield ("steps", step_id, key), text, step_id, own
    for step_id, index in scan.braced:
        items = definition.steps[step_id].items
        step_ids = frozenset(i.id for i in items if i.id is not None)  # shown in its texts
        for key in ("text", "details"):
            text = getattr(items[index], key)
            if "{" in text or "}" in text:
                yield ("steps", step_id, "items", index, key), text, step_id, step_ids
    for decision_id, decision in definition.decisions.items():
        for key in ("question", "details"):
            text = getattr(decision, key)
            if "{" in text or "}" in text:
                yield ("decisions", decision_id, key), text, decision_id, none
        for index, option in enumerate(decision.options):
            if "{" in option.label or "}" in option.label:
                path: KeyPath = ("decisions", decision_id, "options", index, "label")
                yield path, option.label, decision_id, none
    for end_id, end in definition.ends.items():
        if "{" in end.title or "}" in end.title:
            yield ("ends", end_id, "title"), end.title, end_id, none


def _check_placeholders(
    definition: ProcessDefinition, scan: _Scan, uses: list[_Use]
) -> Iterator[Finding]:
    known: dict[str, object] | None = None
    for path, text, node, also in _placed_texts(definition, scan):
        for problem in placeholder_problems(text):
            yield path, problem
        ids = placeholder_ids(text)
        if not ids:
            continue
        if known is None:
            known = dict(definition.value_kinds())
        for value_id in ids:
            if value_id not in known:
                yield (
                    path,
                    f"{{{value_id}}} names no item or input id{did_you_mean(value_id, known)}",
                )
        used = tuple(i for i in ids if i in known)
        uses.append(_Use(path, used, node, "the placeholder", also))


# -- recorded on every path -----------------------------------------------------------------


def _check_recorded(definition: ProcessDefinition, uses: list[_Use]) -> Iterator[Finding]:
    inputs = definition.inputs
    pending = [u for u in uses if any(i not in inputs and i not in u.also for i in u.ids)]
    if not pending:
        return
    entry = recorded_on_entry(definition) if any(u.node for u in pending) else {}
    for use in pending:
        if use.node is None:
            for value_id in use.ids:
                if value_id not in inputs:
                    yield (
                        use.path,
                        f"{{{value_id}}}: only a start input can be shown here, it is shown "
                        f"before a run records any value ({value_id!r} is an item's id)",
                    )
            continue
        recorded = entry.get(use.node)
        if recorded is None:
            continue  # no start reaches the node: the graph check says so
        for value_id in use.ids:
            if value_id in recorded or value_id in use.also or value_id in inputs:
                continue
            yield use.path, _not_recorded(definition, use, value_id)


def _not_recorded(definition: ProcessDefinition, use: _Use, value_id: str) -> str:
    node = use.node or ""
    message = f"{value_id!r}, read by {use.what}, is not recorded on every path to {node!r}"
    path = path_without(definition, value_id, node)
    if path is not None and len(path) == 1:
        message += f" (a run may begin at {node!r} with only the start inputs)"
    elif path is not None:
        through = [repr(n) for n in path[1:-1]]
        if len(through) > _SHOWN_PATH:
            through = [*through[: _SHOWN_PATH - 1], "...", through[-1]]
        shown = f" through {', '.join(through)}" if through else ""
        message += f" (not on the path from {path[0]!r}{shown})"
    if value_id in use.later:
        message += "; this step records it in a later item: an item's condition reads only "
        message += "values recorded before it"
    spec = definition.value_spec(value_id)
    if isinstance(spec, Item) and spec.when is not None:
        message += f"; the item that records {value_id!r} has a 'when' and may be switched off"
    return message
