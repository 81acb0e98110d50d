"""A process map as a Mermaid ``flowchart``: one subgraph per role, loops as dotted back edges.

Mermaid has traps: ``end`` is a keyword, an id starting with ``o`` or ``x`` right after ``--``
makes another arrow head, and ``#``, quotes and brackets mean something in a label. So no
definition id is ever written: nodes are ``t0, t1…`` (triggers) and ``n0, n1…`` (the others,
in the definition's order; a parallel block's split and join bars are hexagons of the ``fork``
class, a calling step a subroutine box), lanes ``lane0…``, the non-normal checklists ``i0…``
in a subgraph of their own (their questions ``q0…``, going back ``r0``); every label is
wrapped in double quotes and every character outside a small safe set is written as a Mermaid
entity code (``#quot;``, ``#35;``…).
A line break in a text becomes ``<br>``, the only markup ever emitted inside a label.
"""

from __future__ import annotations

import re
from itertools import count

from procedo.model import ProcessDefinition
from procedo.model.figures import MapFigures
from procedo.render.flow_graph import (
    FlowGraph,
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

_UNSAFE = re.compile(r"[^A-Za-z0-9 .,:!?'\-_/()+=@]")
_NAMED = {'"': "quot"}
_SHAPES = {
    "trigger": ('>"', '"]'),
    "start": ('(("', '"))'),
    "step": ('["', '"]'),
    "decision": ('{"', '"}'),
    "fork": ('{{"', '"}}'),
    "join": ('{{"', '"}}'),
    "call": ('[["', '"]]'),
    "end": ('(["', '"])'),
}
_CLASSES = [
    "classDef trigger fill:#e8eefc,stroke:#4a63a8",
    "classDef success fill:#e3f4e1,stroke:#2f7a2b",
    "classDef failure fill:#f9e0e0,stroke:#a33a3a",
    "classDef unreached stroke-dasharray:5 4,color:#888888",
    "classDef common stroke-width:3px",
]
_FORK_CLASS = "classDef fork fill:#333333,stroke:#333333,color:#ffffff"
"""Only in a map with a parallel block (the others stay as they were)."""
_PRIORITY_CLASSES = [
    "classDef warning fill:#fde2e1,stroke:#b3261e,stroke-dasharray:4 3",
    "classDef caution fill:#fff1d6,stroke:#b26a00,stroke-dasharray:4 3",
    "classDef advisory fill:#e8eefc,stroke:#4a63a8,stroke-dasharray:4 3",
]
"""Only in a map with non-normal checklists: one class per priority."""


def mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: entity codes for anything but plain characters.

    Letters and digits (any script), spaces and ``.,:!?'-_/()+=@`` stay, and so do other
    printable non-ASCII characters (``°``, ``✔``); a line break becomes ``<br>``; anything else
    (quotes, ``#``, brackets, ``;``, ``|``, ``&``, backslashes) becomes its entity code. A
    control or bidi character is first written visibly (``\\x1b``, ``\\u202e``), never as an
    entity the browser would turn back into the character.
    """
    if _UNSAFE.search(text) is None:
        return text
    text = visible(text.replace("\r\n", "\n").replace("\r", "\n"), multiline=True)
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match[0]
    if char == "\n":
        return "<br>"
    if ord(char) > 127 and char.isprintable() and not char.isspace():
        return char
    return f"#{_NAMED.get(char, ord(char))};"


def _label(lines: list[str]) -> str:
    return "<br>".join(mermaid_text(line) for line in lines)


def render_mermaid(
    definition: ProcessDefinition, *, detail: bool = False, figures: MapFigures | None = None
) -> str:
    """The Mermaid ``flowchart`` of a process (``detail``: checklists; ``figures``: the journal)."""
    graph = build_flow_graph(definition)
    ids = _mermaid_ids(graph)
    interrupts = interrupt_nodes(definition)
    out = [f"%% {mermaid_text(title_text(graph, figures))}", "flowchart TD"]

    def node_line(node: FlowNode, indent: str) -> str:
        lines = head_lines(node)
        if detail:
            lines += detail_lines(node, definition)
        lines += figure_lines(node, figures)
        opening, closing = _SHAPES["call" if node.call is not None else node.kind]
        return f"{indent}{ids[node.id]}{opening}{_label(lines)}{closing}"

    lane_numbers = count()
    for lane, nodes in placed_nodes(graph):
        if lane is None:
            out.extend(node_line(n, "    ") for n in nodes)
            continue
        out.append(f'    subgraph lane{next(lane_numbers)} ["{mermaid_text(lane.name)}"]')
        out.extend(node_line(n, "        ") for n in nodes)
        out.append("    end")
    common: list[int] = []
    for index, edge in enumerate(graph.edges):
        arrow = "-.->" if edge.back else "-->"
        text = edge_lines(edge, figures)
        label = f'|"{_label(text)}"|' if text else ""
        out.append(f"    {ids[edge.source]} {arrow}{label} {ids[edge.target]}")
        if on_common_path(edge, figures):
            common.append(index)
    out.extend(_interrupt_lines(definition, ids, detail))
    out.extend(f"    {line}" for line in _CLASSES)
    if definition.parallel:
        out.append(f"    {_FORK_CLASS}")
    if definition.interrupts:
        out.extend(f"    {line}" for line in _PRIORITY_CLASSES)
    out.extend(_class_lines(graph, ids, figures))
    out.extend(f"    class i{n} {node.priority}" for n, node in enumerate(interrupts))
    if common:
        numbers = ",".join(str(i) for i in common)
        out.append(f"    linkStyle {numbers} stroke-width:4px,stroke:#d35400")
    return "\n".join(out) + "\n"


def _interrupt_lines(definition: ProcessDefinition, ids: dict[str, str], detail: bool) -> list[str]:
    """The subgraph of the non-normal checklists (``i0…``, their questions ``q0…``, one
    ``r0`` for going back), then their edges: dotted from each ``during`` node, on to where
    each leads. Written after the flow's edges, so the flow's edge numbers stay as they were."""
    nodes = interrupt_nodes(definition)
    if not nodes:
        return []
    inside = [f'    subgraph nonnormal ["{mermaid_text(HEADING)}"]']
    edges: list[str] = []
    for number, node in enumerate(nodes):
        lines = interrupt_head(node)
        if detail:
            lines += [item_line(i, it, definition, node.role) for i, it in enumerate(node.items, 1)]
        inside.append(f'        i{number}["{_label(lines)}"]')
        edges.extend(f'    {ids[n]} -.->|"{INTERRUPT_SIGN}"| i{number}' for n in node.during)
        source = f"i{number}"
        if node.question is not None:
            inside.append(f'        q{number}{{"{_label([node.question])}"}}')
            edges.append(f"    i{number} --> q{number}")
            source = f"q{number}"
        for exit_ in node.exits:
            target = "r0" if exit_.target is None else ids[exit_.target]
            edges.append(f'    {source} -->|"{mermaid_text(exit_caption(exit_))}"| {target}')
    if any(e.target is None for node in nodes for e in node.exits):
        inside.append(f'        r0(["{mermaid_text(return_text())}"])')
    return [*inside, "    end", *edges]


def _mermaid_ids(graph: FlowGraph) -> dict[str, str]:
    """Generated ids: ``t0…`` for the trigger (or start) nodes, ``n0…`` for the others."""
    ids: dict[str, str] = {}
    counts = {"t": 0, "n": 0}
    for node in graph.nodes:
        prefix = "t" if node.kind in ("trigger", "start") else "n"
        ids[node.id] = f"{prefix}{counts[prefix]}"
        counts[prefix] += 1
    return ids


def _class_lines(graph: FlowGraph, ids: dict[str, str], figures: MapFigures | None) -> list[str]:
    """``class`` statements: triggers, end outcomes, unreached nodes, the commonest path."""
    lines = []
    for node in graph.nodes:
        mermaid_id = ids[node.id]
        if node.kind in ("trigger", "start"):
            lines.append(f"    class {mermaid_id} trigger")
            continue
        if node.kind == "end":
            lines.append(f"    class {mermaid_id} {node.outcome or 'failure'}")
        if node.kind in ("fork", "join"):
            lines.append(f"    class {mermaid_id} fork")
        mark = node_mark(node, figures)
        if mark is not None:
            lines.append(f"    class {mermaid_id} {mark}")
    return lines
