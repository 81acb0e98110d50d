"""What the renderers need to know of parallel blocks and calling steps, from a definition.

A block's *inside* is every node its branches reach before they move to its join (nested
blocks included); a move from the inside to the join is a branch arriving. A calling step's
*exits* are its outcomes grouped by the node they lead to, then its ``next`` (``otherwise``
when it has outcomes).
"""

from __future__ import annotations

from dataclasses import dataclass

from procedo.model import Option, ProcessDefinition, Step

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


@dataclass(frozen=True, slots=True)
class BranchExit:
    """A way out of a node that opens a branch: a decision's option, a calling step's outcome."""

    label: str
    target: str
    key_label: str
    """The label the journal counts the move by (a step's move has none)."""
    option: Option | None = None


def branch_exits(definition: ProcessDefinition, node_id: str) -> list[BranchExit]:
    """The branches a node opens: a decision's options, a calling step's outcomes (and its
    ``next``, as ``otherwise``); none for a step that goes on to one node."""
    if node_id in definition.decisions:
        options = definition.decisions[node_id].options
        return [BranchExit(o.label, o.next, o.label, o) for o in options]
    step = definition.steps[node_id]
    if not step.outcomes:
        return []
    return [BranchExit(e.label or OTHERWISE, e.target, "") for e in call_exits(step)]
