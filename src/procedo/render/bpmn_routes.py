"""The waypoints of a flow in the BPMN layout: orthogonal routes that go round the shapes.

A forward flow leaves its source on the right and enters its target on the left, straight
when both are on one row, else turning just right of the source (or, when that would cross
a shape, just left of the target). A flow that closes a loop, or whose forward routes all
cross a shape, runs below both nodes (or above them) between their bottoms (tops). The n-th
of several flows between the same two nodes is drawn 8 px further out, its name higher up.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from procedo.render.bpmn_graph import BpmnFlow

Point = tuple[int, int]

DETOUR = 22
"""How far below (above) the lower (higher) of its two nodes a detour runs."""
FAN = 20
"""How far from its source (target) a flow to another row turns."""
TWIN = 8
"""How far apart flows between the same two nodes are drawn."""
LABEL_WIDTH = 90
LABEL_HEIGHT = 27


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


class Obstacles:
    """The shapes a route must not cross, bucketed by x so a route looks only at its own span."""

    def __init__(self, shapes: Mapping[str, Box], bucket: int) -> None:
        self.bucket = bucket
        self.buckets: dict[int, list[tuple[str, Box]]] = {}
        for key, box in shapes.items():
            for index in range(box.x // bucket, box.right // bucket + 1):
                self.buckets.setdefault(index, []).append((key, box))

    def crossed(self, points: Sequence[Point], skip: tuple[str, str]) -> bool:
        """Whether the polyline crosses a shape (other than the two in ``skip``)."""
        low = min(x for x, _ in points) // self.bucket
        high = max(x for x, _ in points) // self.bucket
        seen: set[str] = set()
        for index in range(low, high + 1):
            for key, box in self.buckets.get(index, ()):
                if key in skip or key in seen:
                    continue
                seen.add(key)
                if _hits(points, box):
                    return True
        return False


def _hits(points: Sequence[Point], box: Box) -> bool:
    """Whether the polyline crosses the inside of ``box``."""
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        if y1 == y2 and box.y < y1 < box.bottom and min(x1, x2) < box.right and max(x1, x2) > box.x:
            return True
        if x1 == x2 and box.x < x1 < box.right and min(y1, y2) < box.bottom and max(y1, y2) > box.y:
            return True
    return False


def _detours(source: Box, target: Box, shift: int) -> list[tuple[Point, ...]]:
    """Below both nodes, then above them."""
    below = max(source.bottom, target.bottom) + DETOUR + shift
    above = min(source.y, target.y) - DETOUR - shift
    sx, tx = (
        source.cx + min(shift, source.width // 2 - 2),
        target.cx + min(shift, target.width // 2 - 2),
    )
    return [
        ((sx, source.bottom), (sx, below), (tx, below), (tx, target.bottom)),
        ((sx, source.y), (sx, above), (tx, above), (tx, target.y)),
    ]


def route(
    flow: BpmnFlow,
    shapes: Mapping[str, Box],
    obstacles: Obstacles,
    *,
    back: bool,
    twin: int = 0,
) -> tuple[Point, ...]:
    """The waypoints of ``flow``: the first candidate route that crosses no other shape."""
    source, target = shapes[flow.source], shapes[flow.target]
    shift = TWIN * twin
    candidates: list[tuple[Point, ...]] = []
    if not back and target.x > source.right:
        sy = source.cy + min(shift, source.height // 2 - 2)
        ty = target.cy + min(shift, target.height // 2 - 2)
        if source.cy == target.cy:
            candidates.append(((source.right, sy), (target.x, ty)))
        else:
            for turn in (source.right + FAN + shift, target.x - FAN - shift):
                candidates.append(((source.right, sy), (turn, sy), (turn, ty), (target.x, ty)))
    candidates += _detours(source, target, shift)
    for points in candidates:
        if not obstacles.crossed(points, (flow.source, flow.target)):
            return points
    return candidates[0]


def flow_label(points: Sequence[Point], *, twin: int = 0) -> Box:
    """Where a flow's name goes: above its last segment, or under a detour's middle one."""
    if len(points) == 4 and points[0][0] == points[1][0]:  # a detour: down (up), across, back
        (x1, y), (x2, _) = points[1], points[2]
        return Box(min(x1, x2) + 6, y + 3 + twin * LABEL_HEIGHT, LABEL_WIDTH, LABEL_HEIGHT)
    (x1, y), (x2, _) = points[-2], points[-1]
    width = max(x2 - x1 - 8, 40)
    return Box(x1 + 4, y - LABEL_HEIGHT - 2 - twin * LABEL_HEIGHT, width, LABEL_HEIGHT)
