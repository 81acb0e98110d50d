"""A process as a neutral graph, shared by the Mermaid and DOT renderers.

Nodes are the triggers (or one start node when the process has none), then the steps,
decisions and ends in the definition's order; each step and decision sits in the lane of its
role. Edges are the trigger starts, each step's ``next`` (and a calling step's outcomes, labelled)
and each decision option. A parallel block is two bars: its split (the block's own id, with an
edge to each branch) and its join (``join ID``), which every move of a branch into the block's
join node passes through on its way there. A depth-first
search from the start nodes marks the *back edges* (those that close a loop). The label
texts of nodes and edges (with the checklist for ``detail`` and the journal figures) are
built here too, as plain lines, from the words of ``map_labels.py``: each renderer escapes
them for its format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from procedo.model import Item, ProcessDefinition
from procedo.model.figures import EdgeKey, MapFigures
from procedo.render.blocks import call_exits, insides
from procedo.render.map_labels import (
    AUTO_NOTE,
    CALL_SIGN,
    FORK_SIGN,
    duration_text,
    hold_note,
    item_line,
    option_caption,
)
from procedo.render.map_labels import short_condition as short_condition  # imported from here

FlowKind = Literal["trigger", "start", "step", "decision", "fork", "join", "end"]
"""``fork`` and ``join``: the split and the join bar of a parallel block."""
BARS = ("fork", "join")

START_NODE = "(start)"
"""The graph id of the start node of a process without triggers (never a valid node id)."""


def trigger_node_id(trigger_id: str) -> str:
    """The graph id of a trigger's start node (never a valid node id: it has a space)."""
    return f"trigger {trigger_id}"


def join_node_id(block_id: str) -> str:
    """The graph id of a parallel block's join bar (never a valid node id: it has a space)."""
    return f"join {block_id}"


@dataclass(frozen=True, slots=True)
class FlowNode:
    """One node of the map."""

    id: str
    """The definition's node id; for a trigger, :func:`trigger_node_id`."""
    kind: FlowKind
    title: str
    """The step or end title, the decision question, the trigger title."""
    role: str | None = None
    """The role id: the lane the node sits in (None: outside every lane)."""
    role_name: str = ""
    outcome: str | None = None
    """``success`` or ``failure`` for an end."""
    items: tuple[Item, ...] = ()
    auto: bool = False
    """A decision that chooses itself when its conditions decide (``auto = true``)."""
    call: str | None = None
    """The process a calling step runs as a child run."""
    signoffs: int = 0
    """How many signatures the step or decision waits for (a hold point: ``signoff``)."""


@dataclass(frozen=True, slots=True)
class FlowEdge:
    """One move of the map."""

    source: str
    target: str
    label: str
    """The option label at a decision; empty after a step or a trigger."""
    back: bool = False
    """True when the edge closes a loop (it leads back to a node on the DFS path)."""
    counted: bool = True
    """False for a trigger's start edge (the journal does not count those)."""
    caption: str = ""
    """What the map writes on the edge when it says more than the label: the option's
    condition and default mark (:func:`option_caption`)."""
    counts_as: EdgeKey | None = None
    """The journal's move this edge draws when it is not (source, target, label): a calling
    step's outcome (a step's move has no label) or a branch's arrival at a join bar."""

    @property
    def key(self) -> EdgeKey:
        """The key of this edge in :attr:`MapFigures.edge_counts`."""
        return self.counts_as or (self.source, self.target, self.label)


@dataclass(frozen=True, slots=True)
class Lane:
    """The nodes done by one role."""

    role: str
    name: str
    nodes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FlowGraph:
    """A process as nodes, edges and lanes."""

    process_id: str
    title: str
    version: str
    nodes: tuple[FlowNode, ...]
    edges: tuple[FlowEdge, ...]
    lanes: tuple[Lane, ...]


def build_flow_graph(definition: ProcessDefinition) -> FlowGraph:
    """The graph of a definition (edges to unknown nodes are left out)."""
    nodes: list[FlowNode] = []
    edges: list[FlowEdge] = []
    known = set(definition.node_ids())
    taken: set[str] = set(known)

    def fresh(wanted: str) -> str:
        name, n = wanted, 1
        while name in taken:
            n += 1
            name = f"{wanted} {n}"
        taken.add(name)
        return name

    if definition.triggers:
        for trigger in definition.triggers:
            node_id = fresh(trigger_node_id(trigger.id))
            nodes.append(FlowNode(node_id, "trigger", trigger.title))
            edges.append(FlowEdge(node_id, definition.start_for(trigger.id), "", counted=False))
    elif definition.start:
        node_id = fresh(START_NODE)
        nodes.append(FlowNode(node_id, "start", "Start"))
        edges.append(FlowEdge(node_id, definition.start, "", counted=False))
    for step_id, step in definition.steps.items():
        role_name = definition.role_name(step.role)
        signoffs = len(step.signoff)
        nodes.append(FlowNode(step_id, "step", step.title, step.role, role_name, items=step.items,
                              call=step.call, signoffs=signoffs))  # fmt: skip
        for exit_ in call_exits(step):
            move = (step_id, exit_.target, "") if exit_.label else None
            edges.append(FlowEdge(step_id, exit_.target, exit_.label, counts_as=move))
    for decision_id, decision in definition.decisions.items():
        role_name = definition.role_name(decision.role)
        nodes.append(
            FlowNode(
                decision_id,
                "decision",
                decision.question,
                decision.role,
                role_name,
                auto=decision.auto,
                signoffs=len(decision.signoff),
            )
        )
        edges.extend(
            FlowEdge(decision_id, o.next, o.label, caption=option_caption(o))
            for o in decision.options
        )
    bars = {}
    for block_id, block in definition.parallel.items():
        nodes.append(FlowNode(block_id, "fork", block.title))
        edges.extend(FlowEdge(block_id, first, "", counted=False) for first in block.branches)
        bars[block_id] = fresh(join_node_id(block_id))
        nodes.append(FlowNode(bars[block_id], "join", block.title))
        edges.append(FlowEdge(bars[block_id], block.join, "", counted=False))
    for end_id, end in definition.ends.items():
        nodes.append(FlowNode(end_id, "end", end.title, outcome=end.outcome))
    edges = [e for e in edges if e.target in known]
    edges = _through_join_bars(definition, edges, bars)
    back = _back_edges(nodes, edges)
    edges = [
        FlowEdge(e.source, e.target, e.label, i in back, e.counted, e.caption, e.counts_as)
        for i, e in enumerate(edges)
    ]
    return FlowGraph(
        definition.id,
        definition.title,
        definition.version,
        tuple(nodes),
        tuple(edges),
        _lanes(definition, nodes),
    )


def _through_join_bars(
    definition: ProcessDefinition, edges: list[FlowEdge], bars: dict[str, str]
) -> list[FlowEdge]:
    """Each move from inside a block to its join node, drawn to the block's join bar instead."""
    inside = insides(definition)
    routed = []
    for edge in edges:
        block_id = definition.joins.get(edge.target)
        if block_id is not None and edge.source in inside[block_id]:
            edge = FlowEdge(
                edge.source,
                bars[block_id],
                edge.label,
                counted=edge.counted,
                caption=edge.caption,
                counts_as=edge.key,
            )
        routed.append(edge)
    return routed


def _back_edges(nodes: list[FlowNode], edges: list[FlowEdge]) -> set[int]:
    """The indexes of the back edges.

    An iterative DFS from each start in turn, then from every node not yet seen (so that loops
    in unreachable parts are found too). An edge is a back edge when it leads to a node still
    on the DFS path.
    """
    out: dict[str, list[tuple[int, str]]] = {n.id: [] for n in nodes}
    for index, edge in enumerate(edges):
        out[edge.source].append((index, edge.target))
    state: dict[str, int] = {}  # 1: on the path, 2: done
    back: set[int] = set()
    roots = [n.id for n in nodes if n.kind in ("trigger", "start")]
    others = [n.id for n in nodes if n.kind not in ("trigger", "start")]
    for group in (roots, others):
        for root in group:
            if root in state:
                continue
            state[root] = 1
            stack = [(root, iter(out[root]))]
            while stack:
                node, pending = stack[-1]
                step = next(pending, None)
                if step is None:
                    state[node] = 2
                    stack.pop()
                    continue
                index, target = step
                seen = state.get(target)
                if seen == 1:
                    back.add(index)
                elif seen is None:
                    state[target] = 1
                    stack.append((target, iter(out[target])))
    return back


def _lanes(definition: ProcessDefinition, nodes: list[FlowNode]) -> tuple[Lane, ...]:
    """One lane per role that has a step or decision: declared roles first, in order."""
    members: dict[str, list[str]] = {role: [] for role in definition.roles}
    for node in nodes:
        if node.role is not None:
            members.setdefault(node.role, []).append(node.id)
    return tuple(
        Lane(role, definition.role_name(role), tuple(ids)) for role, ids in members.items() if ids
    )


def placed_nodes(graph: FlowGraph) -> list[tuple[Lane | None, list[FlowNode]]]:
    """The nodes in the order the renderers write them: the trigger (or start) nodes, then each
    lane with its nodes, then the nodes outside every lane (the ends, steps without a role).
    A group whose lane is None is written outside every lane."""
    by_id = {node.id: node for node in graph.nodes}
    in_lane = {node_id for lane in graph.lanes for node_id in lane.nodes}
    starts = [n for n in graph.nodes if n.kind in ("trigger", "start")]
    rest = [n for n in graph.nodes if n.kind not in ("trigger", "start") and n.id not in in_lane]
    lanes = [(lane, [by_id[node_id] for node_id in lane.nodes]) for lane in graph.lanes]
    return [(None, starts), *lanes, (None, rest)]


# -- label texts ------------------------------------------------------------------------------


def head_lines(node: FlowNode) -> list[str]:
    """The title lines of a node: its title, then its role or an end's outcome."""
    if node.kind in ("step", "decision"):
        lines = [node.title, node.role_name] if node.role_name else [node.title]
        if node.call is not None:
            lines.append(f"{CALL_SIGN} runs {node.call}")
        if node.signoffs:
            lines.append(hold_note(node.signoffs))
        return [*lines, AUTO_NOTE] if node.auto else lines
    if node.kind == "end":
        return [node.title, "✔ success" if node.outcome == "success" else "✘ failure"]
    if node.kind == "fork":
        return [f"{FORK_SIGN} {node.title}", "branches at the same time"]
    if node.kind == "join":
        return [f"{FORK_SIGN} {node.title}", "all branches joined"]
    return [node.title]


def detail_lines(node: FlowNode, definition: ProcessDefinition) -> list[str]:
    """A step's checklist, one line per item in order (nothing for other nodes)."""
    if node.kind != "step":
        return []
    return [item_line(i, item, definition, node.role) for i, item in enumerate(node.items, 1)]


def figure_lines(node: FlowNode, figures: MapFigures | None) -> list[str]:
    """What the journal says of a node: visits and median time, or ``never reached``."""
    if figures is None or node.kind in ("trigger", "start", *BARS):
        return []
    visits = figures.node_visits.get(node.id, 0)
    if not visits:
        return ["never reached"]
    if node.kind == "end":
        return [f"{visits} run{'s' if visits != 1 else ''} ended here"]
    lines = [f"{visits} visit{'s' if visits != 1 else ''}"]
    median = figures.median_seconds.get(node.id)
    if node.kind == "step" and median is not None:
        lines[0] += f" · median {duration_text(median)}"
    return lines


def edge_lines(edge: FlowEdge, figures: MapFigures | None) -> list[str]:
    """An edge's label lines: the option label, then ``4× · 57%`` when figures are given."""
    caption = edge.caption or edge.label
    lines = [caption] if caption else []
    if figures is not None and edge.counted:
        count = figures.edge_counts.get(edge.key, 0)
        left = figures.departures.get(edge.source, 0)
        lines.append(f"{count}×" + (f" · {count / left:.0%}" if left else ""))
    return lines


def on_common_path(edge: FlowEdge, figures: MapFigures | None) -> bool:
    """Whether the edge is a move of the commonest path."""
    return figures is not None and edge.counted and figures.on_commonest_path(*edge.key[:2])


def node_mark(node: FlowNode, figures: MapFigures | None) -> Literal["unreached", "common"] | None:
    """How the journal marks a node: never reached, on the commonest path, or not at all (no
    figures, or a trigger or start node)."""
    if figures is None or node.kind in ("trigger", "start", *BARS):
        return None
    if not figures.reached(node.id):
        return "unreached"
    return "common" if node.id in figures.commonest_nodes else None


def title_text(graph: FlowGraph, figures: MapFigures | None) -> str:
    """The map's title: the process title and id, with the runs counted when figures are given."""
    text = f"{graph.title} ({graph.process_id} v{graph.version})"
    if figures is not None:
        text += f" · {figures.runs} run{'s' if figures.runs != 1 else ''}"
    return text
