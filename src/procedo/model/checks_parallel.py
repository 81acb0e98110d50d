"""Checks of parallel blocks: joins, branches, and branches that cross.

Each check yields ``(key_path, message)`` like :mod:`procedo.model.checks`; it needs a
definition whose references all name a node. A block ``P`` with join ``J`` is sound when:
every branch has a node of its own and can reach ``J`` (or at least an end); ``J`` is a step
or a decision, closes only ``P``, and no run reaches it without passing ``P``; no run starts
inside a branch or at ``J``; and each branch's region (see :mod:`procedo.model.parallel_graph`)
is entered only from ``P``: it shares no node with a sibling, goes back neither to ``P`` nor
to a node a run reaches without passing ``P``, leaves only through ``J`` (or an end), and a
block inside a branch joins inside that branch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from procedo.model.definition import ProcessDefinition
from procedo.model.parallel_graph import Block, block_shapes, edge_key, reach
from procedo.model.toml_index import KeyPath

Finding = tuple[KeyPath, str]

__all__ = ["check_parallel", "start_keys"]


def start_keys(definition: ProcessDefinition) -> list[tuple[KeyPath, str]]:
    """Where runs begin, each with the key that says so (the process table for the default)."""
    found: list[tuple[KeyPath, str]] = []
    if definition.process.start is not None:
        found.append((("process", "start"), definition.process.start))
    elif definition.start:
        found.append((("process",), definition.start))
    for index, trigger in enumerate(definition.triggers):
        if trigger.start:
            found.append((("triggers", index, "start"), trigger.start))
    return found


def check_parallel(definition: ProcessDefinition) -> list[Finding]:
    """Every problem of the parallel blocks, one per key (the first found)."""
    if not definition.parallel:
        return []
    shapes = block_shapes(definition)
    findings: dict[KeyPath, str] = {}
    for path, message in _all_findings(definition, shapes):
        findings.setdefault(path, message)
    return list(findings.items())


def _all_findings(definition: ProcessDefinition, shapes: dict[str, Block]) -> Iterator[Finding]:
    yield from _check_blocks(definition)
    yield from _check_starts(definition, shapes)
    starts = [node for _, node in start_keys(definition)]
    graph = _Graph(definition)
    owners = {join: block_id for block_id, join in reversed(_joins(definition))}
    for shape in shapes.values():
        if definition.kind_of(shape.join) in ("end", "parallel"):
            continue  # said on the join: the branches' paths into it would only echo it
        if owners[shape.join] != shape.block_id:
            continue  # a join of two blocks: said on the second
        yield from _check_arrival(definition, shape)
        yield from _check_crossing(definition, graph, shape, shapes, starts)


def _joins(definition: ProcessDefinition) -> list[tuple[str, str]]:
    return [(block_id, block.join) for block_id, block in definition.parallel.items()]


def _check_blocks(definition: ProcessDefinition) -> Iterator[Finding]:
    """Each block on its own: its join's kind, a join or a branch shared with another block."""
    join_owner: dict[str, str] = {}
    branch_owner: dict[str, str] = {}
    for block_id, block in definition.parallel.items():
        key: KeyPath = ("parallel", block_id, "join")
        kind = definition.kind_of(block.join)
        if kind == "end":
            yield (
                key,
                (
                    f"the join {block.join!r} is an end: join at a step or decision (a branch that "
                    "reaches an end ends the whole run, so the others would never arrive)"
                ),
            )
        elif kind == "parallel":
            yield (
                key,
                (
                    f"the join {block.join!r} is a parallel block: join at a step or decision, "
                    "which may go on to the next block"
                ),
            )
        if block.join in join_owner:
            yield (
                key,
                (
                    f"{block.join!r} is already the join of parallel block "
                    f"{join_owner[block.join]!r}: each block needs a join of its own"
                ),
            )
        join_owner.setdefault(block.join, block_id)
        seen: set[str] = set()
        for index, first in enumerate(block.branches):
            path: KeyPath = ("parallel", block_id, "branches", index)
            if first == block.join:
                yield (
                    path,
                    (
                        f"the branch {first!r} is the join of {block_id!r}: a branch needs a node "
                        "of its own before the join"
                    ),
                )
            elif first in seen:
                yield path, f"{first!r} is listed twice in the branches of {block_id!r}"
            elif first in branch_owner and branch_owner[first] != block_id:
                yield (
                    path,
                    (
                        f"{first!r} is already a branch of parallel block {branch_owner[first]!r}: "
                        "a node may begin a branch of one block only"
                    ),
                )
            seen.add(first)
            branch_owner.setdefault(first, block_id)


def _check_starts(definition: ProcessDefinition, shapes: dict[str, Block]) -> Iterator[Finding]:
    """No run begins at a join or inside a branch."""
    for key, node in start_keys(definition):
        who = "a trigger" if key[0] == "triggers" else "a process"
        if node in definition.joins:
            yield (
                key,
                (
                    f"{who} cannot start at {node!r}: it is the join of parallel block "
                    f"{definition.joins[node]!r}, which opens only when its branches arrive"
                ),
            )
            continue
        for shape in shapes.values():
            for first, region in zip(shape.branches, shape.regions, strict=True):
                if node in region and node not in definition.ends and shape.block_id not in region:
                    yield (
                        key,
                        (
                            f"{who} cannot start at {node!r}: it is inside branch {first!r} of "
                            f"parallel block {shape.block_id!r} (start at the block or before it)"
                        ),
                    )
                    break


def _check_arrival(definition: ProcessDefinition, shape: Block) -> Iterator[Finding]:
    """Each branch must be able to reach the join; one that cannot reach an end either says so."""
    for index, (first, region, arrives) in enumerate(
        zip(shape.branches, shape.regions, shape.arrives, strict=True)
    ):
        if arrives or first == shape.join:
            continue
        path: KeyPath = ("parallel", shape.block_id, "branches", index)
        if region.isdisjoint(definition.ends):
            yield (
                path,
                (
                    f"the branch {first!r} of {shape.block_id!r} can reach neither its join "
                    f"{shape.join!r} nor an end"
                ),
            )
        else:
            yield (
                path,
                (
                    f"the branch {first!r} of {shape.block_id!r} never reaches the join "
                    f"{shape.join!r}, so the join can never open (a branch that reaches an end "
                    "ends the whole run)"
                ),
            )


def _check_crossing(
    definition: ProcessDefinition,
    graph: _Graph,
    shape: Block,
    shapes: dict[str, Block],
    starts: list[str],
) -> Iterator[Finding]:
    """A branch's region is entered only from the split and left only at the join or an end."""
    ends = definition.ends.keys()
    split, join = shape.block_id, shape.join
    outside = reach(definition, starts, avoid=frozenset({split}))
    after = reach(definition, definition.successors(join), avoid=frozenset({split}))
    if join in outside and join not in starts:
        for node in graph.sorted(set(graph.before[join]) & outside):
            if not _in_any(node, shape):
                yield (
                    edge_key(definition, node, join),
                    (
                        f"{node!r} goes on to {join!r}, the join of {split!r}, without passing its "
                        "split: the join would wait for branches that never started"
                    ),
                )
    bodies = [region - ends for region in shape.regions]
    for index, (first, body) in enumerate(zip(shape.branches, bodies, strict=True)):
        if first == join:
            continue
        if split in body:
            yield from _loops_back(definition, graph, shape, first, body, outside)
            continue  # every sibling is inside this region now: the loop is the problem
        escapes = _escapes(definition, graph, shape, first, body, (outside, after))
        yield from escapes
        if not escapes:  # what a branch that got out reaches would only echo it
            yield from _siblings(definition, graph, shape, index, bodies)
            yield from _nested(definition, shape, first, body, shapes)


def _loops_back(
    definition: ProcessDefinition,
    graph: _Graph,
    shape: Block,
    first: str,
    body: frozenset[str],
    outside: set[str],
) -> Iterator[Finding]:
    """The edges by which a branch goes back to its split or to a node before it."""
    split = shape.block_id
    for node in graph.sorted(body - outside - {split}):
        for following in dict.fromkeys(definition.successors(node)):
            if following == split:
                where = "goes back to the split"
            elif following in outside and following not in definition.ends:
                where = f"goes back to {following!r}, before the split"
            else:
                continue
            yield (
                edge_key(definition, node, following),
                f"{node!r}, in branch {first!r} of {split!r}, {where}: a branch may loop only "
                "within itself",
            )


def _escapes(
    definition: ProcessDefinition,
    graph: _Graph,
    shape: Block,
    first: str,
    body: frozenset[str],
    around: tuple[set[str], set[str]],
) -> list[Finding]:
    """Moves between the branch and what a run reaches without the split, or after the join.

    A node both in the branch and reached another way is where the two meet: when it leads on
    to the join it belongs to the branch, and the move from outside into it is reported; when
    it does not, the branch has gone out, and the branch's move to it is reported.
    """
    split, join = shape.block_id, shape.join
    outside, after = around
    heads = graph.leading_to(join, body)
    found: list[Finding] = []
    for node in graph.sorted(body & (outside | after)):
        late = node not in outside  # reached after the join, not before the split
        for previous in graph.before[node]:
            if previous == split and node == first:
                continue  # the split itself
            if node in heads and previous not in body:
                where = f"after the join {join!r}" if late else "outside the block"
                found.append(
                    (
                        edge_key(definition, previous, node),
                        f"{previous!r}, {where}, goes on to {node!r}, inside branch {first!r} "
                        f"of {split!r}, without passing the split",
                    )
                )
            elif node not in heads and previous in body and previous not in (outside | after):
                what = (
                    f"which comes after the join {join!r}"
                    if late
                    else "which a run reaches without passing the split"
                )
                found.append(
                    (
                        edge_key(definition, previous, node),
                        f"{previous!r}, in branch {first!r} of {split!r}, goes on to {node!r}, "
                        f"{what}: a branch leaves only at its join {join!r} or at an end",
                    )
                )
    return found


def _siblings(
    definition: ProcessDefinition,
    graph: _Graph,
    shape: Block,
    index: int,
    bodies: list[frozenset[str]],
) -> Iterator[Finding]:
    """Branch ``index`` shares no node with an earlier sibling."""
    first, body = shape.branches[index], bodies[index]
    for other_index in range(index):
        other, other_body = shape.branches[other_index], bodies[other_index]
        shared = body & other_body
        if not shared or other == shape.join:
            continue

        def message(node: str, other: str = other) -> str:
            return (
                f"the branches {other!r} and {first!r} of {shape.block_id!r} both reach "
                f"{node!r} before the join {shape.join!r}: branches must not share nodes"
            )

        entries = [
            (previous, node)
            for side in (body, other_body)
            for node in graph.sorted(shared)
            for previous in graph.before[node]
            if previous in side and previous not in shared
        ]
        if not entries:  # each branch's first node is reached from the other
            path: KeyPath = ("parallel", shape.block_id, "branches", index)
            yield path, message(first)
            continue
        previous, node = entries[0]
        yield edge_key(definition, previous, node), message(node)


def _nested(
    definition: ProcessDefinition,
    shape: Block,
    first: str,
    body: frozenset[str],
    shapes: dict[str, Block],
) -> Iterator[Finding]:
    """A block that begins inside the branch joins inside it, and the other way round."""
    for inner in shapes.values():
        if inner.block_id == shape.block_id:
            continue
        starts_here, joins_here = inner.block_id in body, inner.join in body
        if starts_here and not joins_here:
            yield (
                ("parallel", inner.block_id, "join"),
                (
                    f"parallel block {inner.block_id!r} begins inside branch {first!r} of "
                    f"{shape.block_id!r}, but its join {inner.join!r} is not in that branch: a "
                    f"block inside a branch must join before the branch reaches {shape.join!r}"
                ),
            )
        elif joins_here and not starts_here:
            yield (
                ("parallel", inner.block_id, "join"),
                (
                    f"the join {inner.join!r} of {inner.block_id!r} is inside branch {first!r} of "
                    f"{shape.block_id!r}, but {inner.block_id!r} is not: blocks must nest"
                ),
            )


def _in_any(node: str, shape: Block) -> bool:
    return any(node in region for region in shape.regions)


class _Graph:
    """The predecessors and the file order of the nodes, worked out once per check."""

    def __init__(self, definition: ProcessDefinition) -> None:
        self.rank = {node: rank for rank, node in enumerate(definition.node_ids())}
        self.before: dict[str, list[str]] = {node: [] for node in self.rank}
        for node in self.rank:
            for following in dict.fromkeys(definition.successors(node)):
                self.before[following].append(node)

    def leading_to(self, target: str, within: frozenset[str]) -> set[str]:
        """The nodes of ``within`` from which ``target`` is reached without leaving it."""
        found: set[str] = set()
        queue = [n for n in self.before[target] if n in within]
        while queue:
            node = queue.pop()
            if node not in found:
                found.add(node)
                queue.extend(n for n in self.before[node] if n in within)
        return found

    def sorted(self, nodes: Iterable[str]) -> list[str]:
        """``nodes`` in file order (so the messages come in a stable order)."""
        return sorted(nodes, key=self.rank.__getitem__)
