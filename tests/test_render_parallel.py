"""Mermaid and DOT maps of parallel blocks (split and join bars) and calling steps."""

from __future__ import annotations

import re

from parallel_defs import calling, nested
from procedo.model import ProcessDefinition
from procedo.model.figures import MapFigures
from procedo.render.dot import render_dot
from procedo.render.flow_graph import build_flow_graph, join_node_id
from procedo.render.mermaid import render_mermaid

NESTED = nested()
CALLING = calling()


def mermaid_ids(text: str) -> dict[str, str]:
    """Each node's first label line -> its Mermaid id (``n3``)."""
    found = {}
    opening = r"(?:\[\[|\{\{|\(\[|\(\(|\[|\{|>)"
    for match in re.finditer(rf"^\s+([tn]\d+){opening}\"([^<\"]*)", text, re.M):
        found.setdefault(match[2], match[1])
    return found


def test_the_flow_graph_routes_each_branch_s_arrival_through_the_join_bar() -> None:
    graph = build_flow_graph(NESTED)
    kinds = {node.id: node.kind for node in graph.nodes}
    assert kinds["ready"] == "fork" and kinds[join_node_id("ready")] == "join"
    assert kinds["papers"] == "fork" and kinds[join_node_id("papers")] == "join"
    moves = {(e.source, e.target): e for e in graph.edges}
    assert ("ready", "laptop") in moves and ("ready", "contract") in moves
    assert ("works", "first-day") not in moves and ("filed", "first-day") not in moves
    arrival = moves[("works", "join ready")]
    assert arrival.label == "Yes" and arrival.key == ("works", "first-day", "Yes")
    assert moves[("filed", "join ready")].key == ("filed", "first-day", "")
    assert ("join ready", "first-day") in moves and not moves[("join ready", "first-day")].counted
    assert ("sign", "join papers") in moves and ("badge", "join papers") in moves
    assert ("join papers", "filed") in moves
    assert moves[("works", "laptop")].back  # the loop inside a branch is still a back edge


def test_mermaid_draws_the_split_and_join_bars_and_the_edges_through_them() -> None:
    text = render_mermaid(NESTED)
    ids = mermaid_ids(text)
    split = ids["⫼ Get everything ready"]
    assert f'{split}{{{{"⫼ Get everything ready<br>branches at the same time"}}}}' in text
    joins = re.findall(r"(n\d+)\{\{\"⫼ Get everything ready<br>all branches joined\"\}\}", text)
    assert len(joins) == 1
    join = joins[0]
    for first in ("Prepare the laptop", "File the contract"):
        assert f"    {split} --> {ids[first]}" in text
    assert f'    {ids["Does it boot?"]} -->|"Yes"| {join}' in text
    assert f"    {ids['Everything filed']} --> {join}" in text
    assert f"    {join} --> {ids['First day']}" in text
    assert f"    class {split} fork" in text and f"    class {join} fork" in text
    inner = ids["⫼ Papers and badge"]
    assert f"    {ids['File the contract']} --> {inner}" in text
    assert f"    {inner} --> {ids['Sign the forms']}" in text


def test_dot_draws_bars_as_thin_filled_boxes_and_edges_through_them() -> None:
    text = render_dot(NESTED)
    bar = re.search(r'^    "ready" \[(.*)\];$', text, re.M)
    assert bar is not None
    for attribute in ('label=""', 'shape="box"', 'height="0.05"', 'style="filled"'):
        assert attribute in bar[1]
    assert 'xlabel="⫼ Get everything ready\\nbranches at the same time"' in bar[1]
    assert '    "join ready" [label="", xlabel="⫼ Get everything ready\\nall branches' in text
    for edge in (
        '"ready" -> "laptop";',
        '"ready" -> "contract";',
        '"works" -> "join ready" [label="Yes"];',
        '"filed" -> "join ready";',
        '"join ready" -> "first-day";',
        '"contract" -> "papers";',
        '"sign" -> "join papers";',
        '"join papers" -> "filed";',
    ):
        assert f"    {edge}" in text
    assert '"works" -> "first-day"' not in text


def test_a_calling_step_is_a_subroutine_with_its_outcomes_on_the_edges() -> None:
    text = render_mermaid(CALLING)
    ids = mermaid_ids(text)
    prove = ids["Prove the tester"]
    assert f'{prove}[["Prove the tester<br>▸ runs tester-check"]]' in text
    assert f'    {prove} -->|"success"| {ids["Do the work"]}' in text
    assert f'    {prove} -->|"failure"| {ids["Stopped"]}' in text
    assert f'    {prove} -->|"broken"| {ids["Repair the tester"]}' in text
    assert f"    {ids['Repair the tester']} --> {ids['Do the work']}" in text  # a plain next
    dot = render_dot(CALLING)
    assert re.search(r'"prove" \[label="Prove the tester\\n▸ runs tester-check".*peripheries', dot)
    assert '"prove" -> "work" [label="success"];' in dot
    assert '"prove" -> "stop" [label="failure"];' in dot
    assert '"prove" -> "repair" [label="broken"];' in dot
    assert '"prepare" [label="Prepare", shape="box", style="rounded"];' in dot  # no call


def test_outcomes_sharing_a_node_share_an_edge_and_the_next_is_otherwise() -> None:
    prove = CALLING.steps["prove"].model_copy(
        update={"outcomes": {"success": "work", "broken": "work"}, "next": "stop"}
    )
    definition = CALLING.model_copy(update={"steps": {**CALLING.steps, "prove": prove}})
    dot = render_dot(definition)
    assert '"prove" -> "work" [label="success / broken"];' in dot
    assert '"prove" -> "stop" [label="otherwise"];' in dot


def test_a_calling_step_s_edges_show_the_journal_s_counts_of_its_moves() -> None:
    figures = MapFigures(
        runs=4,
        node_visits={"prepare": 4, "prove": 4, "work": 3, "stop": 1, "done": 3},
        edge_counts={("prove", "work", ""): 3, ("prove", "stop", ""): 1},
        commonest_path=("prepare", "prove", "work", "done"),
    )
    dot = render_dot(CALLING, figures=figures)
    assert '"prove" -> "work" [label="success\\n3× · 75%", penwidth=3' in dot
    assert '"prove" -> "stop" [label="failure\\n1× · 25%"' in dot
    mermaid = render_mermaid(CALLING, figures=figures)
    assert '-->|"success<br>3× · 75#37;"|' in mermaid


def test_a_branch_s_arrival_is_counted_as_the_move_to_the_join_node() -> None:
    figures = MapFigures(
        runs=2,
        node_visits=dict.fromkeys(NESTED.node_ids(), 2),
        edge_counts={("works", "first-day", "Yes"): 2, ("works", "laptop", "No"): 1},
    )
    dot = render_dot(NESTED, figures=figures)
    assert '"works" -> "join ready" [label="Yes\\n2× · 67%"]' in dot
    assert not re.search(r'"(ready|join ready)" \[label="",[^\]]*never reached', dot)


HOSTILE = '"]] --> x{{#35;}} <b>&lt; \\N |]\x1b\u202e'


def hostile(definition: ProcessDefinition) -> ProcessDefinition:
    """Every block, step and end title ends in :data:`HOSTILE` (model_copy: unvalidated)."""
    blocks = {
        k: b.model_copy(update={"title": b.title + HOSTILE}) for k, b in definition.parallel.items()
    }
    steps = {
        k: s.model_copy(update={"title": s.title + HOSTILE}) for k, s in definition.steps.items()
    }
    return definition.model_copy(update={"parallel": blocks, "steps": steps})


def test_hostile_titles_stay_escaped_in_both_formats() -> None:
    for definition in (hostile(NESTED), hostile(CALLING)):
        mermaid = render_mermaid(definition, detail=True)
        dot = render_dot(definition, detail=True)
        for text in (mermaid, dot):
            assert "\x1b" not in text and "\u202e" not in text
        for line in mermaid.splitlines():
            if "{{" in line or "[[" in line:  # a bar or a subroutine: one label, closed once
                body = re.fullmatch(r'\s+n\d+(\{\{|\[\[)"([^"]*)"(\}\}|\]\])', line)
                assert body is not None, line
                assert "<" not in body[2].replace("<br>", "")
        assert "#quot;#93;#93; --#62; x#123;#123;#35;35#59;#125;#125; #60;b#62;" in mermaid
        for line in dot.splitlines():
            if "xlabel" in line:
                assert re.fullmatch(r'\s+"[^"]+" \[label="", xlabel="(\\.|[^"\\])*", .*\];', line)
        assert '\\"]] --> x{{#35;}} <b>&amp;lt; \\\\\\\\N |]\\\\x1b\\\\u202e' in dot
