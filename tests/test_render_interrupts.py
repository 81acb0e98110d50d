"""The maps draw the non-normal checklists beside the flow: where each may happen, where it
leads, with its priority; every text of theirs shown literally (text map), escaped (Mermaid,
DOT), and the flow's own part of each map unchanged."""

from __future__ import annotations

import re
from typing import Any

import pytest

from interrupt_map_defs import HOSTILE, LOCKOUT, hostile_lockout, lockout
from procedo.model import ProcessDefinition, load_file, parse_definition
from procedo.render.dot import render_dot
from procedo.render.mermaid import render_mermaid
from procedo.render.text_map import render_text_map
from test_render_dot import BUNDLED, all_nodes, parse, unescape_label, unquote_id
from test_render_mermaid import decode, read_chart


def without_interrupts(definition: ProcessDefinition) -> ProcessDefinition:
    return definition.model_copy(update={"interrupts": {}})


def text_of(definition: ProcessDefinition, **options: Any) -> list[str]:
    return [line.text for line in render_text_map(definition, **options)]


def interrupt_part(lines: list[str], definition: ProcessDefinition) -> list[str]:
    """The map's lines after the flow's (the flow alone is what it draws without them)."""
    flow = text_of(without_interrupts(definition))
    assert lines[: len(flow)] == flow
    return lines[len(flow) :]


# -- the text map ------------------------------------------------------------------------------


def test_the_text_map_lists_the_interrupts_under_the_flow_highest_priority_first() -> None:
    definition = lockout()
    assert interrupt_part(text_of(definition), definition) == [
        "! Non-normal checklists, highest priority first:",
        "  ! Fire alarm · warning · Operator",
        "    at any step or decision",
        "    then → ✗ Work abandoned (failure)",
        "  ! Hydraulic leak · caution",
        "    at: Release stored energy, Is the press dead?",
        "    then ◇ Can work resume?",
        "    ├─ Resume → ↩ back to where the run was",
        "    └─ Abandon → ✗ Work abandoned (failure)",
        "  ! Paged by the control room · advisory · Shift lead",
        "    at any step or decision",
        "    then → ↩ back to where the run was",
    ]


def test_roles_are_left_out_when_the_map_leaves_them_out() -> None:
    lines = text_of(lockout(), roles=False)
    assert "  ! Fire alarm · warning" in lines
    assert not any("Shift lead" in line for line in lines)


def test_an_end_reached_only_by_an_interrupt_is_drawn_with_it_and_styled_by_it() -> None:
    lines = render_text_map(lockout(), visited={"isolate"}, current="release")
    leaf = [line for line in lines if line.text.endswith("✗ Work abandoned (failure)")]
    assert [line.node for line in leaf] == ["abandoned", "abandoned"]
    # the fire alarm may still happen, so the end it leads to is still possible
    assert {line.style for line in leaf} == {"possible"}


def test_an_interrupt_whose_nodes_are_behind_the_run_is_unreachable() -> None:
    lines = render_text_map(lockout(), visited={"isolate", "release", "works"}, current="close-out")
    styles = {line.text.strip(): line.style for line in lines}
    assert styles["! Hydraulic leak · caution"] == "unreachable"
    assert styles["at: Release stored energy, Is the press dead?"] == "unreachable"
    assert styles["! Fire alarm · warning · Operator"] == "possible"


def test_the_run_s_interrupt_is_marked_current_and_one_it_went_through_visited() -> None:
    lines = render_text_map(
        lockout(), visited={"isolate", "release", "paged"}, here={"release", "leak"}
    )
    styles = {line.text: line.style for line in lines}
    assert styles["▶ ! Hydraulic leak · caution"] == "current"
    assert styles["✓ ! Paged by the control room · advisory · Shift lead"] == "visited"
    assert styles["▶ Release stored energy · Operator"] == "current"


def test_the_end_a_run_reached_through_an_interrupt_is_marked_there_only() -> None:
    lines = render_text_map(
        lockout(), visited={"isolate", "release", "fire-alarm"}, current="abandoned"
    )
    leaves = [(line.text, line.style) for line in lines if line.node == "abandoned"]
    assert leaves == [
        ("    then → ▶ ✗ Work abandoned (failure)", "current"),  # the fire alarm led there
        ("    └─ Abandon → ✗ Work abandoned (failure)", "unreachable"),  # the leak did not
    ]


def test_a_node_only_an_interrupt_leads_to_is_drawn_under_it() -> None:
    text = LOCKOUT.replace('after = "abandoned"', 'after = "assess"')
    text += '[steps.assess]\ntitle = "Assess the damage"\nnext = "abandoned"\nitems = ["Look"]\n'
    definition = parse_definition(text, source="assess.toml")
    lines = text_of(definition)
    part = lines[lines.index("! Non-normal checklists, highest priority first:") :]
    assert part[1:5] == [
        "  ! Fire alarm · warning · Operator",
        "    at any step or decision",
        "    then →",
        "        Assess the damage",
    ]
    assert part[5] == "        ✗ Work abandoned (failure)"
    assert not any("not reached from any start" in line for line in part)


def test_a_way_on_to_a_node_drawn_in_the_flow_points_at_it() -> None:
    definition = parse_definition(
        LOCKOUT.replace('after = "abandoned"', 'after = "close-out"'), source="x.toml"
    )
    assert "    then → ↪ Close out" in text_of(definition)


def test_hostile_text_is_shown_literally_in_the_text_map() -> None:
    definition = hostile_lockout()
    leak = definition.interrupts["leak"]
    broken = leak.model_copy(update={"title": "Leak\nof [red]oil\x1b[2J"})  # not validated
    definition = definition.model_copy(
        update={"interrupts": {**definition.interrupts, "leak": broken}}
    )
    lines = text_of(definition)
    assert all("\n" not in line and "\x1b" not in line for line in lines)
    assert "  ! Leak\\nof [red]oil\\x1b[2J · caution" in lines
    assert f"    then ◇ Can work resume? {HOSTILE}" in lines
    assert f"    ├─ Resume {HOSTILE} → ↩ back to where the run was" in lines
    assert "  ! [bold Paged · advisory · Shift lead" in lines


# -- Mermaid -----------------------------------------------------------------------------------

MERMAID_NODE = re.compile(r'^        ([iqr]\d+)(\["|\{"|\(\[")([^"]*)("\]|"\}|"\]\))$')
MERMAID_EDGE = re.compile(r'^    ([tnqir]\d+) (-->|-\.->)(?:\|"([^"]*)"\|)? ([nqir]\d+)$')


def split_mermaid(text: str) -> tuple[str, list[str]]:
    """The chart without the interrupts' lines, and those lines (subgraph, edges, classes)."""
    kept, ours = [], []
    inside = False
    for line in text.splitlines():
        if line == '    subgraph nonnormal ["Non-normal checklists"]':
            inside = True
        edge = MERMAID_EDGE.match(line)
        mine = (
            inside
            or bool(edge and {edge[1][0], edge[4][0]} & set("iqr"))
            or bool(re.match(r"^    classDef (warning|caution|advisory) ", line))
            or bool(re.match(r"^    class i\d+ ", line))
        )
        (ours if mine else kept).append(line)
        if inside and line == "    end":
            inside = False
    return "\n".join(kept) + "\n", ours


WITH_INTERRUPTS = [
    lockout(),
    *(d for p in BUNDLED if (d := load_file(p).definition).interrupts),
]
"""The fixture and every bundled process that has non-normal checklists."""


@pytest.mark.parametrize("definition", WITH_INTERRUPTS, ids=lambda d: d.id)
@pytest.mark.parametrize("detail", [False, True])
def test_the_maps_draw_the_flow_as_without_interrupts_and_one_box_each(
    definition: ProcessDefinition, detail: bool
) -> None:
    flow, ours = split_mermaid(render_mermaid(definition, detail=detail))
    assert flow == render_mermaid(without_interrupts(definition), detail=detail)
    boxes = [m[1] for line in ours if (m := MERMAID_NODE.match(line)) and m[1][0] == "i"]
    assert len(boxes) == len(definition.interrupts)
    dot = render_dot(definition, detail=detail)
    assert dot.startswith(render_dot(without_interrupts(definition), detail=detail)[:-2])
    clusters = {s.get_name().strip('"'): s for s in parse(dot).get_subgraphs()}
    ids = {n for n in all_nodes(clusters["cluster_nonnormal"]) if n.startswith("interrupt ")}
    assert len([n for n in ids if not n.endswith(" after")]) == len(definition.interrupts)
    lines = text_of(definition)
    assert interrupt_part(lines, definition)[0].startswith("! Non-normal checklists")


def test_mermaid_adds_a_subgraph_and_edges_and_leaves_the_flow_as_it_was() -> None:
    definition = lockout()
    flow, ours = split_mermaid(render_mermaid(definition, detail=True))
    assert flow == render_mermaid(without_interrupts(definition), detail=True)
    nodes = {}
    edges = []
    for line in ours:
        if node := MERMAID_NODE.match(line):
            nodes[node[1]] = decode(node[3])
        elif edge := MERMAID_EDGE.match(line):
            edges.append((edge[1], edge[2], decode(edge[3]) if edge[3] else [], edge[4]))
    assert nodes == {
        "i0": [
            "! Fire alarm",
            "warning · Operator",
            "at any step or decision",
            "1. Stop work",
            "2. Leave by the nearest exit",
        ],
        "i1": ["! Hydraulic leak", "caution", "1. Put down absorbent",
               "2. Litres spilt → number in l"],
        "q1": ["Can work resume?"],
        "i2": ["! Paged by the control room", "advisory · Shift lead", "at any step or decision",
               "1. Answer the page"],
        "r0": ["↩ back to where the run was"],
    }  # fmt: skip
    chart = read_chart(flow)
    by_title = {lines[0]: key for key, (_, lines) in chart.nodes.items()}
    release, works = by_title["Release stored energy"], by_title["Is the press dead?"]
    abandoned = by_title["Work abandoned"]
    assert edges == [
        ("i0", "-->", ["then"], abandoned),
        (release, "-.->", ["!"], "i1"),
        (works, "-.->", ["!"], "i1"),
        ("i1", "-->", [], "q1"),
        ("q1", "-->", ["Resume"], "r0"),
        ("q1", "-->", ["Abandon"], abandoned),
        ("i2", "-->", ["then"], "r0"),
    ]
    assert "    class i0 warning" in ours and "    class i2 advisory" in ours
    assert len(ours) == len(nodes) + len(edges) + 2 + 3 + 3  # subgraph and end, classes


def test_mermaid_escapes_every_interrupt_text() -> None:
    text = render_mermaid(hostile_lockout(), detail=True)
    _, ours = split_mermaid(text)
    labels = [
        decode(m[3]) for line in ours if (m := MERMAID_NODE.match(line) or MERMAID_EDGE.match(line))
        if m[3]
    ]  # fmt: skip
    assert ["! Fire alarm " + HOSTILE, "warning · Operator", "at any step or decision",
            "1. Stop work", "2. Leave by the nearest exit"] in labels  # fmt: skip
    assert ["Can work resume? " + HOSTILE] in labels
    assert ["Abandon " + HOSTILE] in labels
    assert ["! [bold Paged", "advisory · Shift lead", "at any step or decision",
            "1. Answer the page"] in labels  # fmt: skip
    assert "<script>" not in text and "]]" not in text.replace('"]]', "")


def test_a_process_without_interrupts_draws_no_subgraph_or_priority_class() -> None:
    text = render_mermaid(without_interrupts(lockout()))
    assert "nonnormal" not in text and "classDef warning" not in text


# -- DOT ---------------------------------------------------------------------------------------


def test_dot_adds_a_cluster_and_edges_and_parses() -> None:
    definition = lockout()
    text = render_dot(definition, detail=True)
    graph = parse(text)
    clusters = {sub.get_name().strip('"'): sub for sub in graph.get_subgraphs()}
    ours = all_nodes(clusters["cluster_nonnormal"])
    assert set(ours) == {
        "interrupt fire-alarm",
        "interrupt leak",
        "interrupt leak after",
        "interrupt paged",
        "(return)",
    }
    label = unescape_label(ours["interrupt leak"].get("label"))
    checklist = "1. Put down absorbent\n2. Litres spilt → number in l\n"
    assert label == "! Hydraulic leak\ncaution\n" + checklist
    assert ours["interrupt fire-alarm"].get("fillcolor") == '"#fde2e1"'
    edges = [
        (unquote_id(e.get_source()), unquote_id(e.get_destination()),
         unescape_label(e.get("label")) if e.get("label") else "", e.get("style"))
        for e in graph.get_edges()
        if "interrupt" in e.get_source() + e.get_destination()
    ]  # fmt: skip
    assert edges == [
        ("interrupt fire-alarm", "abandoned", "then", None),
        ("release", "interrupt leak", "!", "dotted"),
        ("works", "interrupt leak", "!", "dotted"),
        ("interrupt leak", "interrupt leak after", "", None),
        ("interrupt leak after", "(return)", "Resume", None),
        ("interrupt leak after", "abandoned", "Abandon", None),
        ("interrupt paged", "(return)", "then", None),
    ]
    flow = render_dot(without_interrupts(definition), detail=True)
    assert text.startswith(flow.removesuffix("}\n"))


@pytest.mark.parametrize("detail", [False, True])
def test_dot_escapes_every_interrupt_text(detail: bool) -> None:
    graph = parse(render_dot(hostile_lockout(), detail=detail))
    nodes = all_nodes(graph)
    fire = unescape_label(nodes["interrupt fire-alarm"].get("label")).split("\n")
    assert fire[0] == "! Fire alarm " + HOSTILE
    question = unescape_label(nodes["interrupt leak after"].get("label"))
    assert question == "Can work resume? " + HOSTILE
    labels = {unescape_label(e.get("label")) for e in graph.get_edges() if e.get("label")}
    assert {"Resume " + HOSTILE, "Abandon " + HOSTILE} <= labels
    leak = unescape_label(nodes["interrupt leak"].get("label"))
    assert ("1. Put down " + HOSTILE in leak) is detail
