"""Checks across a definition: ids, references, roles and the shape of the graph.

Each check yields ``(key_path, message)``; the loader turns them into :class:`Problem` lines.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from procedo.model.checks_calls import check_calls_in
from procedo.model.checks_interrupts import check_interrupts, interrupt_targets
from procedo.model.checks_parallel import check_parallel
from procedo.model.checks_signoff import check_signoffs
from procedo.model.checks_values import check_values
from procedo.model.definition import ProcessDefinition
from procedo.model.parallel_graph import reachable_nodes
from procedo.model.problems import did_you_mean, is_valid_id
from procedo.model.toml_index import KeyPath

Finding = tuple[KeyPath, str]


def check_definition(definition: ProcessDefinition, *, graph: bool = True) -> list[Finding]:
    """Every cross-reference and graph problem of a definition that has a valid shape.

    ``graph=False`` leaves out reachability and ways out (for a stand-in of a broken file).
    """
    sound = _references_sound(definition)
    blocks = check_parallel(definition) if graph and sound else []
    findings = [
        *_check_ids(definition),
        *_check_roles(definition),
        *_check_decisions(definition),
        *_check_references(definition),
        *check_calls_in(definition),
        *check_interrupts(definition),
        *check_signoffs(definition),
        # the value flow of tangled blocks would only echo them
        *check_values(definition, names=graph, flow=graph and sound and not blocks),
    ]
    if not definition.ends:
        findings.append((("ends",), "the process has no end: add at least one [ends.<id>] table"))
    if not definition.steps and not definition.decisions:
        findings.append((("steps",), "the process has no steps or decisions"))
    # graph messages would only echo a broken reference or an ambiguous id
    if graph and definition.ends and sound:
        findings.extend(_check_graph(definition))
    findings.extend(blocks)
    return findings


def _references_sound(definition: ProcessDefinition) -> bool:
    """Whether every node id is unique and every reference names a node."""
    nodes = definition.node_ids()
    known = set(nodes)
    if len(known) != len(nodes):
        return False
    targets = [t for step in definition.steps.values() for t in step.targets()]
    targets += [o.next for d in definition.decisions.values() for o in d.options]
    targets += [t for b in definition.parallel.values() for t in (*b.branches, b.join)]
    targets += [t.start for t in definition.triggers if t.start]
    if definition.process.start is not None:
        targets.append(definition.process.start)
    return all(target in known for target in targets)


def _check_ids(definition: ProcessDefinition) -> Iterator[Finding]:
    if definition.process.id is not None and not is_valid_id(definition.process.id):
        yield (
            ("process", "id"),
            f"{definition.process.id!r} is not a valid id: use lower-case letters, digits, "
            "'-' and '_', starting with a letter or digit",
        )
    owner: dict[str, str] = {}
    for table_name in ("steps", "decisions", "parallel", "ends"):
        table = getattr(definition, table_name)
        for node_id in table:
            if not is_valid_id(node_id):
                yield (
                    (table_name, node_id),
                    f"{node_id!r} is not a valid node id: use lower-case letters, digits, "
                    "'-' and '_', starting with a letter or digit",
                )
            if node_id in owner:
                yield (
                    (table_name, node_id),
                    f"node id {node_id!r} is already used by {owner[node_id]}.{node_id}: "
                    "node ids must be unique across steps, decisions and ends",
                )
            else:
                owner[node_id] = table_name
    seen_triggers: set[str] = set()
    for index, trigger in enumerate(definition.triggers):
        if not is_valid_id(trigger.id):
            yield (("triggers", index, "id"), f"{trigger.id!r} is not a valid trigger id")
        if trigger.id in seen_triggers:
            yield (("triggers", index, "id"), f"trigger id {trigger.id!r} is used twice")
        seen_triggers.add(trigger.id)


def _check_roles(definition: ProcessDefinition) -> Iterator[Finding]:
    roles = definition.roles

    def unknown(role: str | None, path: KeyPath) -> Iterator[Finding]:
        if role is not None and role not in roles:
            where = "not a key of [roles]" if roles else "not defined (the file has no [roles])"
            yield (path, f"role {role!r} is {where}{did_you_mean(role, roles)}")

    for step_id, step in definition.steps.items():
        yield from unknown(step.role, ("steps", step_id, "role"))
        for index, item in enumerate(step.items):
            if item.role is not None:  # most have none: no generator for them
                yield from unknown(item.role, ("steps", step_id, "items", index, "role"))
    for decision_id, decision in definition.decisions.items():
        yield from unknown(decision.role, ("decisions", decision_id, "role"))


def _check_decisions(definition: ProcessDefinition) -> Iterator[Finding]:
    for decision_id, decision in definition.decisions.items():
        if len(decision.options) < 2:
            yield (
                ("decisions", decision_id, "options"),
                f"a decision needs at least two options, this one has {len(decision.options)}",
            )
        seen: set[str] = set()
        for index, option in enumerate(decision.options):
            label = option.label.strip().casefold()
            if label in seen:
                yield (
                    ("decisions", decision_id, "options", index, "label"),
                    f"option label {option.label!r} is used twice in this decision",
                )
            seen.add(label)


def _check_references(definition: ProcessDefinition) -> Iterator[Finding]:
    nodes = definition.node_ids()
    known = set(nodes)  # a set: a list makes every lookup scan, quadratic in large files

    def missing(target: str, path: KeyPath) -> Iterator[Finding]:
        if target not in known:
            yield (
                path,
                f"{target!r} is not a node of this process{did_you_mean(target, nodes)}",
            )

    if definition.process.start is not None:
        yield from missing(definition.process.start, ("process", "start"))
        if definition.process.start in definition.ends:
            yield (("process", "start"), "a process cannot start at an end")
    for index, trigger in enumerate(definition.triggers):
        if trigger.start is not None:
            yield from missing(trigger.start, ("triggers", index, "start"))
            if trigger.start in definition.ends:
                yield (("triggers", index, "start"), "a trigger cannot start at an end")
    for step_id, step in definition.steps.items():
        if step.next is not None:
            yield from missing(step.next, ("steps", step_id, "next"))
        for end_id, target in step.outcomes.items():
            yield from missing(target, ("steps", step_id, "outcomes", end_id))
    for block_id, block in definition.parallel.items():
        for index, first in enumerate(block.branches):
            yield from missing(first, ("parallel", block_id, "branches", index))
        yield from missing(block.join, ("parallel", block_id, "join"))
    for decision_id, decision in definition.decisions.items():
        for index, option in enumerate(decision.options):
            yield from missing(option.next, ("decisions", decision_id, "options", index, "next"))


def _check_graph(definition: ProcessDefinition) -> Iterator[Finding]:
    starts = [definition.start] + [t.start for t in definition.triggers if t.start]
    starts += interrupt_targets(definition)  # an interrupt may lead there from anywhere
    reachable = reachable_nodes(definition, [s for s in starts if s])
    for node_id in definition.node_ids():
        if node_id not in reachable:
            yield (
                (_table(definition, node_id), node_id),
                f"{node_id!r} cannot be reached from any start",
            )
    # Walk backwards from the ends: whatever is not met can never finish.
    predecessors: dict[str, list[str]] = {node: [] for node in definition.node_ids()}
    for node_id in definition.node_ids():
        for following in definition.successors(node_id):
            predecessors[following].append(node_id)
    finishing = set(definition.ends)
    queue = deque(definition.ends)
    while queue:
        for previous in predecessors[queue.popleft()]:
            if previous not in finishing:
                finishing.add(previous)
                queue.append(previous)
    for node_id in definition.node_ids():
        if node_id in reachable and node_id not in finishing:
            yield (
                (_table(definition, node_id), node_id),
                f"no end can be reached from {node_id!r}: a loop with no way out",
            )


def _table(definition: ProcessDefinition, node_id: str) -> str:
    kind = definition.kind_of(node_id)
    return "parallel" if kind == "parallel" else kind + "s"
