"""The graph of a definition as parallel blocks shape it: branch regions and reachability.

A parallel block ``P`` splits into branches; each branch runs from its first node until it
moves to the block's join ``J``. The *region* of a branch is every node reachable from its
first node without entering ``J`` (ends included: a branch may end the run). A join opens
only once every branch has arrived, so a node after a join is reached only through the
branches. Pure Python; needs only that every reference names a node.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from procedo.model.definition import ProcessDefinition

__all__ = ["Block", "block_shapes", "edge_key", "reach", "reachable_nodes"]


@dataclass(frozen=True, slots=True)
class Block:
    """One parallel block's branches as the graph has them.

    ``regions[i]`` is what branch ``i`` reaches before the join (ends included);
    ``arrives[i]`` whether branch ``i`` can move to the join at all.
    """

    block_id: str
    join: str
    branches: tuple[str, ...]
    regions: tuple[frozenset[str], ...]
    arrives: tuple[bool, ...]

    @property
    def opens(self) -> bool:
        """True when every branch can reach the join (else the join never opens)."""
        return all(self.arrives)


def reach(
    definition: ProcessDefinition, starts: Iterable[str], *, avoid: frozenset[str] = frozenset()
) -> set[str]:
    """Every node reachable from ``starts`` (included) without entering a node of ``avoid``."""
    seen = {s for s in starts if s not in avoid}
    queue = deque(seen)
    while queue:
        for following in definition.successors(queue.popleft()):
            if following not in seen and following not in avoid:
                seen.add(following)
                queue.append(following)
    return seen


def block_shapes(definition: ProcessDefinition) -> dict[str, Block]:
    """Every parallel block's regions, by block id (empty when there are none)."""
    shapes: dict[str, Block] = {}
    for block_id, block in definition.parallel.items():
        stop = frozenset({block.join})
        regions = tuple(frozenset(reach(definition, [b], avoid=stop)) for b in block.branches)
        arrives = tuple(
            first == block.join or any(block.join in definition.successors(node) for node in region)
            for first, region in zip(block.branches, regions, strict=True)
        )
        shapes[block_id] = Block(block_id, block.join, block.branches, regions, arrives)
    return shapes


def reachable_nodes(
    definition: ProcessDefinition, starts: list[str], shapes: dict[str, Block] | None = None
) -> set[str]:
    """The nodes a run can reach from ``starts``: a join only when every branch arrives."""
    if not definition.parallel:
        return reach(definition, starts)
    shapes = block_shapes(definition) if shapes is None else shapes
    opens: dict[str, bool] = {}
    for shape in shapes.values():
        opens[shape.join] = opens.get(shape.join, False) or shape.opens
    closed = frozenset(join for join, can in opens.items() if not can)
    return reach(definition, starts, avoid=closed)


def edge_key(definition: ProcessDefinition, source: str, target: str) -> tuple[str | int, ...]:
    """The key that makes ``source`` go on to ``target`` (its table when none is found)."""
    kind = definition.kind_of(source)
    if kind == "step":
        step = definition.steps[source]
        if step.next == target:
            return ("steps", source, "next")
        for end_id, node in step.outcomes.items():
            if node == target:
                return ("steps", source, "outcomes", end_id)
    elif kind == "decision":
        for index, option in enumerate(definition.decisions[source].options):
            if option.next == target:
                return ("decisions", source, "options", index, "next")
    elif kind == "parallel":
        for index, first in enumerate(definition.parallel[source].branches):
            if first == target:
                return ("parallel", source, "branches", index)
    return (kind + "s" if kind != "parallel" else "parallel", source)
