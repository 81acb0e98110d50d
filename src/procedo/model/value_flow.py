"""Which named values are recorded on every path into each node: a must-be-recorded dataflow.

A run begins at the process start or at a trigger's start with only its start inputs. A step
records the record items that have an ``id`` and no ``when`` (an item with a ``when`` may be
switched off, so it records nothing for sure). What is recorded on entry to a node is the
intersection, over its predecessors, of what they have recorded on leaving: a gen-only
problem, solved to its greatest fixpoint, which for this kind of problem is exactly "on every
path" (an id is missing on entry exactly when some path from a start never records it).
Pure Python; needs only that every reference names a node.

Parallel blocks: a branch starts with what was recorded on entry to its split, so a value a
sibling branch records is not surely there; a join opens once every branch has arrived, so
on entry to it is the union, over the branches, of what each has surely recorded on the way.
"""

from __future__ import annotations

from collections import deque

from procedo.model.definition import ProcessDefinition, Step
from procedo.model.parallel_graph import block_shapes

__all__ = ["path_without", "recorded_by", "recorded_on_entry", "start_nodes"]


def recorded_by(step: Step) -> frozenset[str]:
    """The ids a completed visit of ``step`` has surely recorded."""
    return frozenset(
        item.id
        for item in step.items
        if item.id is not None and item.record is not None and item.when is None
    )


def start_nodes(definition: ProcessDefinition) -> list[str]:
    """Where a run may begin: the process start, then each trigger's own start."""
    starts = [definition.start] + [t.start for t in definition.triggers if t.start]
    return list(dict.fromkeys(s for s in starts if s))


def recorded_on_entry(definition: ProcessDefinition) -> dict[str, frozenset[str]]:
    """For every node reachable from a start, the ids recorded on every path into it.

    Start inputs are in every set; a node that no start reaches is left out.
    """
    inputs = frozenset(definition.inputs)
    gen = {step_id: recorded_by(step) for step_id, step in definition.steps.items()}
    joins = _join_groups(definition)
    entry: dict[str, frozenset[str]] = {}
    leaving: dict[str, frozenset[str]] = {}
    queue = deque(start_nodes(definition))
    starts = frozenset(queue)
    for start in queue:
        entry[start] = inputs
    while queue:
        node = queue.popleft()
        out = entry[node] | gen[node] if node in gen else entry[node]
        if leaving.get(node) == out:
            continue
        leaving[node] = out
        for following in definition.successors(node):
            known = entry.get(following)
            if following in joins:
                new = _join_entry(joins[following], leaving)
                if new is None:
                    continue  # a branch has not arrived yet (or never does)
                if following in starts:
                    new &= inputs
            else:
                new = out if known is None else known & out
            if new != known:
                entry[following] = new
                queue.append(following)
    return entry


def _shut_ways(definition: ProcessDefinition, value_id: str) -> set[tuple[str, str]]:
    """The moves into a join that a path without ``value_id`` is not shown through.

    Into a join on entry to which the value is surely recorded (a branch did), none; into any
    other, only from a branch that records the value on some of its ways (when one does), so
    the path shown is the way that branch skips it, not a sibling that never records it.
    """
    if not definition.parallel:
        return set()
    entry = recorded_on_entry(definition)
    shut: set[tuple[str, str]] = set()
    for shape in block_shapes(definition).values():
        records = [
            any(
                value_id in recorded_by(definition.steps[n])
                for n in region
                if n in definition.steps
            )
            for region in shape.regions
        ]
        surely = value_id in entry.get(shape.join, frozenset())
        for region, recording in zip(shape.regions, records, strict=True):
            if surely or (any(records) and not recording):
                shut.update((n, shape.join) for n in region)
    return shut


_Groups = tuple[list[list[str]], list[str]]
"""A join's predecessors: those inside each branch of its block, and any others."""


def _join_groups(definition: ProcessDefinition) -> dict[str, _Groups]:
    """For each join node, its predecessors grouped by the branch of its block they are in."""
    if not definition.parallel:
        return {}
    groups: dict[str, _Groups] = {}
    for shape in block_shapes(definition).values():
        if shape.join in groups:
            continue  # a join shared by two blocks is reported; read it as the first's
        previous = [
            node for node in definition.node_ids() if shape.join in definition.successors(node)
        ]
        inside = [[n for n in previous if n in region] for region in shape.regions]
        if any(first == shape.join for first in shape.branches):
            inside.append([shape.block_id])  # a branch that is the join: reported
        others = [n for n in previous if not any(n in region for region in shape.regions)]
        groups[shape.join] = (inside, [n for n in others if n != shape.block_id])
    return groups


def _join_entry(groups: _Groups, leaving: dict[str, frozenset[str]]) -> frozenset[str] | None:
    """What is surely recorded on entry to a join: None while a branch has not arrived.

    Each branch brings what is recorded on every one of its ways into the join (the
    intersection); the join has what any branch brought (the union), and of a way into it
    that is no branch's (reported), only what that way surely holds.
    """
    inside, others = groups
    union: frozenset[str] = frozenset()
    for previous in inside:
        known = [leaving[n] for n in previous if n in leaving]
        if not known:
            return None
        union |= frozenset.intersection(*known)
    for node in others:
        if node in leaving:
            union &= leaving[node]
    return union


def path_without(definition: ProcessDefinition, value_id: str, target: str) -> list[str] | None:
    """A shortest path from a start to ``target`` (both included) on which no node before
    ``target`` records ``value_id``; ``[target]`` when a run may begin there; None if none."""
    starts = start_nodes(definition)
    if target in starts:
        return [target]
    previous: dict[str, str | None] = {start: None for start in starts}
    queue = deque(starts)
    shut = _shut_ways(definition, value_id)
    while queue:
        node = queue.popleft()
        step = definition.steps.get(node)
        if step is not None and value_id in recorded_by(step):
            continue  # the path cannot go on through a node that records the value
        for following in definition.successors(node):
            if following in previous or (node, following) in shut:
                continue
            previous[following] = node
            if following == target:
                path = [target]
                back: str | None = node
                while back is not None:
                    path.append(back)
                    back = previous[back]
                return path[::-1]
            queue.append(following)
    return None
