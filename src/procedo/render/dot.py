"""A process map as Graphviz DOT: one cluster per role, loops as dashed back edges.

Node ids are the definition's node ids, always quoted; a trigger's node is ``"trigger ID"``
(a space never appears in a valid id), a parallel block's join bar ``"join ID"``; the split and
join bars are thin filled boxes with their text beside them, a calling step has a double border.
The non-normal checklists sit in a cluster of their own: ``"interrupt ID"`` (its question
``"interrupt ID after"``, going back ``"(return)"``), dotted edges from their ``during`` nodes.
Every text is written as a quoted DOT string: ``"``, ``\\`` and ``&`` are escaped, so a text
can neither end the string nor start a Graphviz escape such as ``\\N`` or an HTML entity such
as ``&lt;``; a line break in a text becomes ``\\n`` (``\\l`` in a left-aligned checklist), a
tab a space, and any other control or bidi character is written visibly as ``\\x1b`` or
``\\u202e`` (:func:`procedo.safe_text.visible`).
"""

from __future__ import annotations

from itertools import count

from procedo.model import ProcessDefinition
from procedo.model.figures import MapFigures
from procedo.render.flow_graph import (
    FlowNode,
    build_flow_graph,
    detail_lines,
    edge_lines,
    figure_lines,
    head_lines,
    item_line,
    node_mark,
    on_common_path,
    placed_nodes,
    title_text,
)
from procedo.render.interrupt_graph import (
    HEADING,
    INTERRUPT_SIGN,
    exit_caption,
    interrupt_nodes,
    return_text,
)
from procedo.render.interrupt_graph import head_lines as interrupt_head
from procedo.safe_text import visible

FONT = "Helvetica"
_BLUE = {"style": "filled", "fillcolor": "#e8eefc", "color": "#4a63a8"}
_END = {"shape": "box", "style": "rounded,filled", "peripheries": "2"}
_SHAPES: dict[str, dict[str, str]] = {
    "trigger": {"shape": "cds", **_BLUE},
    "start": {"shape": "circle", **_BLUE},
    "step": {"shape": "box", "style": "rounded"},
    "decision": {"shape": "diamond"},
    "fork": {"shape": "box", "height": "0.05", "style": "filled", "fillcolor": "#333333"},
    "call": {"shape": "box", "style": "rounded", "peripheries": "2"},
    "success": {**_END, "fillcolor": "#e3f4e1"},
    "failure": {**_END, "fillcolor": "#f9e0e0"},
}
COMMON = "#d35400"


def _visible(text: str) -> str:
    """Line breaks kept, a tab as a space, other control characters as visible escapes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return visible(text, multiline=True)


def dot_id(text: str) -> str:
    """A quoted DOT id (``"`` and ``\\`` escaped)."""
    return '"' + _visible(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot_label(lines: list[str], left: list[str] | None = None) -> str:
    """A quoted DOT label: ``lines`` centred, then ``left`` lines left-aligned.

    In a label ``\\\\`` shows one backslash, ``\\"`` a quote and ``&amp;`` an ampersand (Graphviz
    decodes HTML entities in every label, so ``&lt;`` written as is would show ``<``); ``\\n`` ends
    a centred line and ``\\l`` a left-aligned one, so a line break inside a text keeps its line's
    alignment.
    """

    def escaped(line: str, end: str) -> str:
        text = _visible(line).replace("&", "&amp;").replace("\\", "\\\\")
        return text.replace('"', '\\"').replace("\n", end)

    centred = "\\n".join(escaped(line, "\\n") for line in lines)
    if not left:
        return f'"{centred}"'
    aligned = "".join(escaped(line, "\\l") + "\\l" for line in left)
    return f'"{centred}\\n{aligned}"' if lines else f'"{aligned}"'


def _bar(node: FlowNode) -> str:
    """A split or join bar: a thin filled box, its text beside it (``xlabel``)."""
    attributes = "".join(f", {k}={dot_id(v)}" for k, v in _SHAPES["fork"].items())
    return f'label="", xlabel={dot_label(head_lines(node))}, width=1.5{attributes}'


def render_dot(
    definition: ProcessDefinition, *, detail: bool = False, figures: MapFigures | None = None
) -> str:
    """The Graphviz DOT map of a process (``detail``: checklists; ``figures``: the journal)."""
    graph = build_flow_graph(definition)
    out = [
        f"digraph {dot_id(graph.process_id or 'process')} {{",
        f"    label={dot_label([title_text(graph, figures)])};",
        f'    labelloc=t; fontname="{FONT}"; rankdir=TB; newrank=true;',
        f'    node [fontname="{FONT}", fontsize=11];',
        f'    edge [fontname="{FONT}", fontsize=10];',
    ]

    def node_line(node: FlowNode, indent: str) -> str:
        shape = (node.outcome or "failure") if node.kind == "end" else node.kind
        if node.kind in ("fork", "join"):
            return f"{indent}{dot_id(node.id)} [{_bar(node)}];"
        attributes = dict(_SHAPES["call" if node.call is not None else shape])
        checklist = detail_lines(node, definition) if detail else []
        label = dot_label(head_lines(node) + figure_lines(node, figures), checklist)
        mark = node_mark(node, figures)
        if mark == "unreached":
            styles = [s for s in attributes.get("style", "").split(",") if s]
            attributes["style"] = ",".join([*styles, "dashed"])
            attributes.update(color="#888888", fontcolor="#888888")
        elif mark == "common":
            attributes.update(penwidth="2", color=COMMON)
        written = "".join(f", {k}={dot_id(v)}" for k, v in attributes.items())
        return f"{indent}{dot_id(node.id)} [label={label}{written}];"

    lane_numbers = count()
    for lane, nodes in placed_nodes(graph):
        if lane is None:
            out.extend(node_line(n, "    ") for n in nodes)
            continue
        out.append(f'    subgraph "cluster_{next(lane_numbers)}" {{')
        out.append(f"        label={dot_label([lane.name])};")
        out.append('        style="rounded,filled"; fillcolor="#f6f6f6"; color="#bbbbbb";')
        out.extend(node_line(n, "        ") for n in nodes)
        out.append("    }")
    for edge in graph.edges:
        attributes = []
        text = edge_lines(edge, figures)
        if text:
            attributes.append(f"label={dot_label(text)}")
        if edge.back:
            attributes.append('style=dashed, constraint=false, class="back"')
        if on_common_path(edge, figures):
            attributes.append(f'penwidth=3, color="{COMMON}"')
        elif figures is not None and edge.counted and not figures.edge_counts.get(edge.key):
            attributes.append('color="#aaaaaa", fontcolor="#888888"')
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        out.append(f"    {dot_id(edge.source)} -> {dot_id(edge.target)}{suffix};")
    out.extend(_interrupt_lines(definition, detail))
    out.append("}")
    return "\n".join(out) + "\n"


RETURN_NODE = "(return)"
"""The DOT id of the one node every way back leads to (never a valid node id)."""
_PRIORITY_FILL = {"warning": "#fde2e1", "caution": "#fff1d6", "advisory": "#e8eefc"}


def interrupt_node_id(interrupt_id: str) -> str:
    """The DOT id of a non-normal checklist (never a valid node id: it has a space)."""
    return f"interrupt {interrupt_id}"


def _interrupt_lines(definition: ProcessDefinition, detail: bool) -> list[str]:
    """The cluster of the non-normal checklists (each a dashed box, its question a diamond,
    one node for going back), then their edges: dotted from each ``during`` node (no rank
    constraint, so the flow keeps its layout), on to where each leads."""
    nodes = interrupt_nodes(definition)
    if not nodes:
        return []
    out = [
        '    subgraph "cluster_nonnormal" {',
        f"        label={dot_label([HEADING])};",
        '        style="rounded,dashed"; color="#b26a00";',
    ]
    edges: list[str] = []
    for node in nodes:
        own = dot_id(interrupt_node_id(node.id))
        checklist = (
            [item_line(i, item, definition, node.role) for i, item in enumerate(node.items, 1)]
            if detail
            else []
        )
        fill = dot_id(_PRIORITY_FILL[node.priority])
        label = dot_label(interrupt_head(node), checklist)
        out.append(
            f'        {own} [label={label}, shape="box", style="rounded,dashed,filled", '
            f"fillcolor={fill}];"
        )
        edges.extend(
            f'    {dot_id(n)} -> {own} [label="{INTERRUPT_SIGN}", style=dotted, constraint=false];'
            for n in node.during
        )
        source = own
        if node.question is not None:
            source = dot_id(interrupt_node_id(node.id) + " after")
            out.append(f'        {source} [label={dot_label([node.question])}, shape="diamond"];')
            edges.append(f"    {own} -> {source};")
        for exit_ in node.exits:
            target = dot_id(RETURN_NODE if exit_.target is None else exit_.target)
            edges.append(f"    {source} -> {target} [label={dot_label([exit_caption(exit_)])}];")
    if any(e.target is None for node in nodes for e in node.exits):
        out.append(
            f'        {dot_id(RETURN_NODE)} [label={dot_label([return_text()])}, shape="box", '
            'style="rounded"];'
        )
    return [*out, "    }", *edges]
