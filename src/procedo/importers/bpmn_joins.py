"""Which converging gateway joins the branches of each parallel split.

The join of a split is the converging parallel gateway (for an inclusive split mapped as
parallel: inclusive or parallel) that every branch reaches, the nearest one: least the
longest of the branches' distances to it. A converging gateway joins one split only.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from procedo.importers.bpmn_graph import Plain, describe
from procedo.importers.bpmn_xml import BpmnError


def _distances(plain: Plain, start: str, split: str) -> dict[str, int]:
    found = {start: 0}
    queue = deque([start])
    while queue:
        key = queue.popleft()
        for flow in plain.outgoing[key]:
            if flow.target not in found and flow.target != split:
                found[flow.target] = found[key] + 1
                queue.append(flow.target)
    return found


def match_joins(plain: Plain, classify: Callable[[str], str]) -> dict[str, str]:
    """``{converging gateway id: split gateway id}`` (BpmnError when a split has none)."""
    nodes = plain.graph.nodes
    joins: dict[str, str] = {}
    order = list(nodes)
    closing = {  # procedo's export names the block each converging gateway closes
        node.attrs["procedo:closes"]: key
        for key, node in nodes.items()
        if node.attrs.get("procedo:closes") and len(plain.incoming[key]) >= 1
    }
    for key in order:
        if classify(key) != "parallel":
            continue
        named = closing.get(nodes[key].attrs.get("procedo:id", ""))
        if named is not None and named not in joins:
            joins[named] = key
            continue
        split = nodes[key]
        kinds = {"parallelGateway"}
        if split.kind == "inclusiveGateway":
            kinds.add("inclusiveGateway")
        branches = [flow.target for flow in plain.outgoing[key]]
        reached = [_distances(plain, branch, key) for branch in branches]
        candidates = [
            other
            for other in order
            if nodes[other].kind in kinds
            and len(plain.incoming[other]) >= 2
            and other != key
            and all(other in found for found in reached)
        ]
        if not candidates:
            raise BpmnError(
                f"the parallel split {split.id!r} has no converging gateway that all its "
                "branches reach: procedo joins parallel branches at one node (add a "
                "converging parallel gateway)",
                split.line,
            )
        best = min(
            candidates,
            key=lambda c: (max(f[c] for f in reached), sum(f[c] for f in reached)),
        )
        if best in joins:
            raise BpmnError(
                f"the gateway {best!r} joins the branches of two splits ({joins[best]!r} and "
                f"{key!r}): procedo needs one converging gateway per split",
                nodes[best].line,
            )
        joins[best] = key
        if split.kind == "inclusiveGateway":
            plain.report.append(
                f"{describe(split)}: an inclusive split whose every flow has a condition: "
                "parallel branches (every branch runs; the conditions are kept in the "
                "block's details)"
            )
    return joins
