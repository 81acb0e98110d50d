"""A simple layered left-to-right layout of a BPMN graph, for its diagram interchange.

- **Columns**: a node's column is the longest path to it from the start events, over the
  flows that do not close a loop (the back flows, found by a depth-first search from the
  starts, as the Mermaid and DOT maps find them).
- **Lanes**: one horizontal band per role, in the order the lane keys are given. A step or
  decision sits in its role's lane (or in the lane of key None: the nodes without a role).
  Events and parallel gateways have no role: a start event sits in the lane of the first node
  with a lane it leads to, any other in the lane most of the nodes before it are in.
- **Rows**: nodes of one lane in one column are stacked, ordered by where the nodes before
  them are (one barycentre pass, left to right).
- **Edges**: orthogonal waypoints; a forward flow leaves to the right (a gateway from its top
  or bottom corner towards a target above or below), a back flow leaves from the bottom,
  runs below both nodes and comes back up into its target.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass

from procedo.render.bpmn_graph import BpmnFlow, BpmnGraph, BpmnKind

SIZES: dict[BpmnKind, tuple[int, int]] = {
    "start": (36, 36),
    "end": (36, 36),
    "task": (100, 80),
    "call": (100, 80),
    "exclusive": (50, 50),
    "split": (50, 50),
    "join": (50, 50),
}
"""Width and height of each kind of shape (the sizes bpmn.io draws by default)."""

COLUMN = 160
ROW = 130
ORIGIN = (160, 80)
HEADER = 30
"""The width of the pool's and each lane's title band."""
MARGIN = 40
DETOUR = 22
LABEL_WIDTH = 90
LABEL_HEIGHT = 27

Point = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle: top-left corner and size."""

    x: int
    y: int
    width: int
    height: int

    @property
    def cx(self) -> int:
        """The centre's x."""
        return self.x + self.width // 2

    @property
    def cy(self) -> int:
        """The centre's y."""
        return self.y + self.height // 2

    @property
    def right(self) -> int:
        """The right edge's x."""
        return self.x + self.width

    @property
    def bottom(self) -> int:
        """The bottom edge's y."""
        return self.y + self.height


@dataclass(frozen=True, slots=True)
class LaneBox:
    """One lane: its key (a role id, or None for the nodes without a role), band and nodes."""

    key: str | None
    box: Box
    nodes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Layout:
    """Where everything is drawn: shapes and labels by BPMN id, waypoints by flow id."""

    shapes: dict[str, Box]
    waypoints: dict[str, tuple[Point, ...]]
    labels: dict[str, Box]
    """External labels: of named events, gateways and flows."""
    lanes: tuple[LaneBox, ...]
    pool: Box | None
    """The participant's band around the lanes (None: no lanes were asked for)."""
    columns: dict[str, int]
    back: frozenset[str]
    """The ids of the flows that close a loop."""


def back_flows(graph: BpmnGraph) -> frozenset[str]:
    """The flows that close a loop: they lead to a node still on the depth-first path."""
    out: dict[str, list[BpmnFlow]] = {n.id: [] for n in graph.nodes}
    for flow in graph.flows:
        out[flow.source].append(flow)
    state: dict[str, int] = {}  # 1: on the path, 2: done
    back: set[str] = set()
    roots = [n.id for n in graph.nodes if n.kind == "start"]
    roots += [n.id for n in graph.nodes if n.kind != "start"]
    for root in roots:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(out[root]))]
        while stack:
            node, pending = stack[-1]
            flow = next(pending, None)
            if flow is None:
                state[node] = 2
                stack.pop()
                continue
            seen = state.get(flow.target)
            if seen == 1:
                back.add(flow.id)
            elif seen is None:
                state[flow.target] = 1
                stack.append((flow.target, iter(out[flow.target])))
    return frozenset(back)


def _columns(graph: BpmnGraph, forward: list[BpmnFlow]) -> dict[str, int]:
    """The longest path to each node over the forward flows (Kahn's order)."""
    column = {n.id: 0 for n in graph.nodes}
    waiting = Counter(f.target for f in forward)
    out: dict[str, list[str]] = {n.id: [] for n in graph.nodes}
    for flow in forward:
        out[flow.source].append(flow.target)
    queue = deque(n.id for n in graph.nodes if not waiting[n.id])
    while queue:
        node = queue.popleft()
        for target in out[node]:
            column[target] = max(column[target], column[node] + 1)
            waiting[target] -= 1
            if not waiting[target]:
                queue.append(target)
    return column


def _lanes_of(
    graph: BpmnGraph,
    forward: list[BpmnFlow],
    column: dict[str, int],
    keys: Sequence[str | None],
) -> dict[str, str | None]:
    """The lane key of every node (see the module's docstring)."""
    lane: dict[str, str | None] = {}
    fixed = [n for n in graph.nodes if not n.floating]
    for node in fixed:
        lane[node.id] = node.role if node.role in keys else None
    before: dict[str, list[str]] = {n.id: [] for n in graph.nodes}
    after: dict[str, list[str]] = {n.id: [] for n in graph.nodes}
    for flow in forward:
        before[flow.target].append(flow.source)
        after[flow.source].append(flow.target)
    order = sorted(
        (n for n in graph.nodes if n.floating and n.kind != "start"),
        key=lambda n: column[n.id],
    )
    for node in order:
        known = [lane[s] for s in before[node.id] if s in lane]
        if known:
            lane[node.id] = Counter(known).most_common(1)[0][0]
    default = keys[0] if keys else None
    for node in graph.nodes:
        if node.id in lane:
            continue
        lane[node.id] = _nearest(node.id, after, lane, default)
    return lane


def _nearest(
    start: str, after: dict[str, list[str]], lane: dict[str, str | None], default: str | None
) -> str | None:
    """The lane of the first node with a lane that ``start`` leads to (breadth first)."""
    seen = {start}
    queue = deque(after[start])
    while queue:
        node = queue.popleft()
        if node in lane:
            return lane[node]
        for following in after[node]:
            if following not in seen:
                seen.add(following)
                queue.append(following)
    return default


def lane_keys(graph: BpmnGraph, roles: Sequence[str]) -> list[str | None]:
    """The lanes, top to bottom: one per role, then None when a step or decision has no role."""
    keys: list[str | None] = list(roles)
    if any(not n.floating and n.role not in roles for n in graph.nodes):
        keys.append(None)
    return keys


def lay_out(graph: BpmnGraph, roles: Sequence[str]) -> Layout:
    """The layout of ``graph`` in one lane per role (no roles: one band, and no lanes)."""
    back = back_flows(graph)
    forward = [f for f in graph.flows if f.id not in back]
    column = _columns(graph, forward)
    keys = lane_keys(graph, roles) if roles else [None]
    lane = _lanes_of(graph, forward, column, keys)
    before: dict[str, list[str]] = {n.id: [] for n in graph.nodes}
    for flow in forward:
        before[flow.target].append(flow.source)
    row: dict[str, int] = {}
    rank = {key: index for index, key in enumerate(keys)}
    rows = dict.fromkeys(keys, 1)
    index = {n.id: i for i, n in enumerate(graph.nodes)}
    for col in sorted(set(column.values())):
        for key in keys:
            here = [n.id for n in graph.nodes if column[n.id] == col and lane[n.id] == key]
            here.sort(key=lambda n: (_barycentre(n, before, row, lane, rank), index[n]))
            for position, node_id in enumerate(here):
                row[node_id] = position
            rows[key] = max(rows[key], len(here))
    pooled = bool(roles)
    left = ORIGIN[0] + (2 * HEADER if pooled else 0) + MARGIN
    tops: dict[str | None, int] = {}
    y = ORIGIN[1]
    for key in keys:
        tops[key] = y
        y += rows[key] * ROW
    shapes: dict[str, Box] = {}
    labels: dict[str, Box] = {}
    for node in graph.nodes:
        width, height = SIZES[node.kind]
        cx = left + column[node.id] * COLUMN + COLUMN // 2
        cy = tops[lane[node.id]] + row[node.id] * ROW + ROW // 2
        box = Box(cx - width // 2, cy - height // 2, width, height)
        shapes[node.id] = box
        if node.name and node.kind not in ("task", "call"):
            labels[node.id] = Box(cx - LABEL_WIDTH // 2, box.bottom + 5, LABEL_WIDTH, LABEL_HEIGHT)
    kinds = {n.id: n.kind for n in graph.nodes}
    waypoints: dict[str, tuple[Point, ...]] = {}
    for flow in graph.flows:
        points = _route(shapes[flow.source], shapes[flow.target], flow.id in back, kinds, flow)
        waypoints[flow.id] = points
        if flow.name:
            (x1, y1), (x2, y2) = points[0], points[1]
            labels[flow.id] = Box((x1 + x2) // 2 + 4, (y1 + y2) // 2 - LABEL_HEIGHT, 90, 27)
    width = max(column.values(), default=0) * COLUMN + COLUMN + (left - ORIGIN[0]) + MARGIN
    pool = Box(ORIGIN[0], ORIGIN[1], width, y - ORIGIN[1]) if pooled else None
    lane_boxes = tuple(
        LaneBox(
            key,
            Box(ORIGIN[0] + HEADER, tops[key], width - HEADER, rows[key] * ROW),
            tuple(n.id for n in graph.nodes if lane[n.id] == key),
        )
        for key in keys
        if pooled
    )
    return Layout(shapes, waypoints, labels, lane_boxes, pool, column, back)


def _barycentre(
    node: str,
    before: dict[str, list[str]],
    row: dict[str, int],
    lane: dict[str, str | None],
    rank: dict[str | None, int],
) -> float:
    """The mean place (lane, then row) of the placed nodes before ``node``; 0 when none."""
    placed = [(rank[lane[s]], row[s]) for s in before[node] if s in row]
    if not placed:
        return 0.0
    return sum(r * 1000 + position for r, position in placed) / len(placed)


def _route(
    source: Box, target: Box, back: bool, kinds: dict[str, BpmnKind], flow: BpmnFlow
) -> tuple[Point, ...]:
    """The waypoints of a flow from ``source`` to ``target`` (see the module's docstring)."""
    gateways = ("exclusive", "split", "join")
    if back or target.x <= source.x:
        below = max(source.bottom, target.bottom) + DETOUR
        return (
            (source.cx, source.bottom),
            (source.cx, below),
            (target.cx, below),
            (target.cx, target.bottom),
        )
    if source.cy == target.cy:
        return ((source.right, source.cy), (target.x, target.cy))
    down = target.cy > source.cy
    if kinds[flow.source] in gateways:
        exit_y = source.bottom if down else source.y
        return ((source.cx, exit_y), (source.cx, target.cy), (target.x, target.cy))
    if kinds[flow.target] in gateways:
        entry_y = target.y if down else target.bottom
        return ((source.right, source.cy), (target.cx, source.cy), (target.cx, entry_y))
    middle = source.cx + COLUMN // 2
    return (
        (source.right, source.cy),
        (middle, source.cy),
        (middle, target.cy),
        (target.x, target.cy),
    )
