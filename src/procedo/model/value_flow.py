"""Which named values are recorded on every path into each node: a must-be-recorded dataflow.

A run begins at the process start or at a trigger's start with only its start inputs. A step
records the record items that have an ``id`` and no ``when`` (an item with a ``when`` may be
switched off, so it records nothing for sure). What is recorded on entry to a node is the
intersection, over its predecessors, of what they have recorded on leaving: a gen-only
problem, solved to its greatest fixpoint, which for this kind of problem is exactly "on every
path" (an id is missing on entry exactly when some path from a start never records it).
Pure Python; needs only that every reference names a node.
"""

from __future__ import annotations

from collections import deque

from procedo.model.definition import ProcessDefinition, Step

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
    entry: dict[str, frozenset[str]] = {}
    leaving: dict[str, frozenset[str]] = {}
    queue = deque(start_nodes(definition))
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
            new = out if known is None else known & out
            if new != known:
                entry[following] = new
                queue.append(following)
    return entry


def path_without(definition: ProcessDefinition, value_id: str, target: str) -> list[str] | None:
    """A shortest path from a start to ``target`` (both included) on which no node before
    ``target`` records ``value_id``; ``[target]`` when a run may begin there; None if none."""
    starts = start_nodes(definition)
    if target in starts:
        return [target]
    previous: dict[str, str | None] = {start: None for start in starts}
    queue = deque(starts)
    while queue:
        node = queue.popleft()
        step = definition.steps.get(node)
        if step is not None and value_id in recorded_by(step):
            continue  # the path cannot go on through a node that records the value
        for following in definition.successors(node):
            if following in previous:
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
