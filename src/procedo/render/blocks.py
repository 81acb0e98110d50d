"""What the renderers need to know of parallel blocks and calling steps, from a definition.

A block's *inside* is every node its branches reach before they move to its join (nested
blocks included); a move from the inside to the join is a branch arriving. A calling step's
*exits* are its outcomes grouped by the node they lead to, then its ``next`` (``otherwise``
when it has outcomes).
"""

from __future__ import annotations

from dataclasses import dataclass

from procedo.model import ProcessDefinition, Step

OTHERWISE = "otherwise"
"""The label of a calling step's ``next`` beside its outcomes (any other end of the child)."""


def block_inside(definition: ProcessDefinition, block_id: str) -> set[str]:
    """Every node a branch of the block reaches before its join (the join left out)."""
    block = definition.parallel[block_id]
    known = set(definition.node_ids())
    seen: set[str] = set()
    todo = [b for b in block.branches if b in known and b != block.join]
    seen.update(todo)
    while todo:
        for following in definition.successors(todo.pop()):
            if following != block.join and following in known and following not in seen:
                seen.add(following)
                todo.append(following)
    return seen


def insides(definition: ProcessDefinition) -> dict[str, set[str]]:
    """:func:`block_inside` of every block, by block id."""
    return {block_id: block_inside(definition, block_id) for block_id in definition.parallel}


@dataclass(frozen=True, slots=True)
class Exit:
    """One way out of a calling step: the labels that lead there and the node."""

    label: str
    target: str


def call_exits(step: Step) -> list[Exit]:
    """A calling step's ways out: ``success``, ``failure`` or an end id (labels that share a
    target joined with `` / ``), then ``otherwise`` for its ``next`` (unlabelled without
    outcomes); a plain step's one ``next``, unlabelled."""
    labels: dict[str, list[str]] = {}
    for key, target in step.outcomes.items():
        labels.setdefault(target, []).append(key)
    if step.next is not None:
        labels.setdefault(step.next, []).append(OTHERWISE if step.outcomes else "")
    return [Exit(" / ".join(k for k in keys if k) or "", target) for target, keys in labels.items()]


def node_title(definition: ProcessDefinition, node_id: str) -> str:
    """A node's title: a step's, block's or end's title, a decision's question."""
    node = definition.node(node_id)
    return str(getattr(node, "title", None) or getattr(node, "question", node_id))
