"""A process map as a Mermaid ``flowchart``: one subgraph per role, loops as dotted back edges.

Mermaid has traps: ``end`` is a keyword, an id starting with ``o`` or ``x`` right after ``--``
makes another arrow head, and ``#``, quotes and brackets mean something in a label. So no
definition id is ever written: nodes are ``t0, t1…`` (triggers) and ``n0, n1…`` (the others,
in the definition's order; a parallel block's split and join bars are hexagons of the ``fork``
class, a calling step a subroutine box), lanes ``lane0…``; every label is wrapped in double
quotes and every character outside a small safe set is written as a Mermaid entity code
(``#quot;``, ``#35;``…).
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
    node_mark,
    on_common_path,
    placed_nodes,
    title_text,
)
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
    out.extend(f"    {line}" for line in _CLASSES)
    if definition.parallel:
        out.append(f"    {_FORK_CLASS}")
    out.extend(_class_lines(graph, ids, figures))
    if common:
        numbers = ",".join(str(i) for i in common)
        out.append(f"    linkStyle {numbers} stroke-width:4px,stroke:#d35400")
    return "\n".join(out) + "\n"


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
