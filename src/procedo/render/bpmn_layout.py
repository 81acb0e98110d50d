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
- **Edges**: orthogonal waypoints. A forward flow leaves its source on the right and enters
  its target on the left, turning just right of the source when the target is on another
  row; a back flow leaves from the bottom, runs below both nodes and comes back up into its
  target. A flow's name sits above its last segment; a gateway's name above the gateway.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass

from procedo.render.bpmn_graph import BpmnFlow, BpmnGraph, BpmnKind
from procedo.render.bpmn_routes import Box, Obstacles, Point, flow_label, route

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

COLUMN = 190
ROW = 130
ORIGIN = (160, 80)
HEADER = 30
"""The width of the pool's and each lane's title band."""
MARGIN = 40
PAD = 25
"""Room above and below the rows of a lane, for a gateway's name and a loop's detour."""
LABEL_WIDTH = 90
LABEL_HEIGHT = 27
GATEWAY_LABEL = (150, 40)
"""A gateway's question is written above it (its flows leave right and below)."""


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
    cells: dict[tuple[int, str | None], list[str]] = {}
    for node in graph.nodes:
        cells.setdefault((column[node.id], lane[node.id]), []).append(node.id)
    for col in sorted(set(column.values())):
        for key in keys:
            here = cells.get((col, key), [])
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
        y += rows[key] * ROW + 2 * PAD
    shapes: dict[str, Box] = {}
    labels: dict[str, Box] = {}
    for node in graph.nodes:
        width, height = SIZES[node.kind]
        cx = left + column[node.id] * COLUMN + COLUMN // 2
        cy = tops[lane[node.id]] + PAD + row[node.id] * ROW + ROW // 2
        box = Box(cx - width // 2, cy - height // 2, width, height)
        shapes[node.id] = box
        if node.name and node.kind in ("exclusive", "split"):
            width, height = GATEWAY_LABEL
            labels[node.id] = Box(cx - width // 2, box.y - height - 4, width, height)
        elif node.name and node.kind not in ("task", "call"):
            labels[node.id] = Box(cx - LABEL_WIDTH // 2, box.bottom + 5, LABEL_WIDTH, LABEL_HEIGHT)
    waypoints: dict[str, tuple[Point, ...]] = {}
    obstacles = Obstacles(shapes, COLUMN)
    twins: Counter[tuple[str, str]] = Counter()
    for flow in graph.flows:
        twin = twins[flow.source, flow.target]  # the n-th flow between the same two nodes
        twins[flow.source, flow.target] += 1
        points = route(flow, shapes, obstacles, back=flow.id in back, twin=twin)
        waypoints[flow.id] = points
        if flow.name:
            labels[flow.id] = flow_label(points, twin=twin)
    width = max(column.values(), default=0) * COLUMN + COLUMN + (left - ORIGIN[0]) + MARGIN
    pool = Box(ORIGIN[0], ORIGIN[1], width, y - ORIGIN[1]) if pooled else None
    lane_boxes = tuple(
        LaneBox(
            key,
            Box(ORIGIN[0] + HEADER, tops[key], width - HEADER, rows[key] * ROW + 2 * PAD),
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
