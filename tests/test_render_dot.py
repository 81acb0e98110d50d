"""render_dot: parsed back with pydot, the graph and every text match the definition."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pydot
import pytest

from procedo.model import ProcessDefinition, load_file
from procedo.model.figures import MapFigures
from procedo.render.dot import render_dot
from procedo.render.flow_graph import (
    START_NODE,
    build_flow_graph,
    option_caption,
    trigger_node_id,
)

REPO = Path(__file__).resolve().parent.parent
BUNDLED = sorted((REPO / "processes").glob("*.toml"))
PLAIN = [p for p in BUNDLED if not (d := load_file(p).definition).parallel and not d.calls]
"""The bundled processes without parallel blocks or calls: this reader knows no fork bars and
no outcome edges (those are read in tests/test_render_parallel.py)."""
NASTY = 'Check "A" -> [B] <C> #1; end'
BACKSLASHES = "C:\\temp\\ \\N \\l \\n \\\\ ends with \\"
MULTILINE = "first line\nsecond & <third> &lt; line"


def nasty_definition() -> ProcessDefinition:
    """Texts and ids that break naive diagram writers: quotes, arrows, brackets, ``end``…"""
    return ProcessDefinition.model_validate(
        {
            "process": {"id": "nasty", "title": NASTY, "version": "1"},
            "roles": {"r1": 'Role "end" [x] <y>', "o": "subgraph end"},
            "triggers": [{"id": "end-trigger", "title": "Trigger; --> x1 %% end"}],
            "steps": {
                "o1": {
                    "title": NASTY,
                    "role": "r1",
                    "next": "x1",
                    "items": [
                        {"text": BACKSLASHES, "critical": True},
                        {"text": "Temp #35;", "record": "number", "unit": '°C"', "min": 0},
                        {"text": "Pick", "record": "choice", "choices": ["a|b", 'c"d']},
                        {"text": "Who {x}", "role": "o", "record": "text"},
                    ],
                },
                "x1": {"title": "end", "role": "o", "next": "end"},
            },
            "decisions": {
                "end": {
                    "question": MULTILINE,
                    "role": "o",
                    "options": [
                        {"label": NASTY, "next": "o1"},
                        {"label": "-->|x| end", "next": "graph"},
                        {"label": BACKSLASHES, "next": "node"},
                    ],
                }
            },
            "ends": {
                "graph": {"title": 'Done"\\', "outcome": "success"},
                "node": {"title": "subgraph", "outcome": "failure"},
            },
        }
    )


def unquote_id(name: str) -> str:
    """A quoted DOT id as written by render_dot, back to the plain id."""
    assert name.startswith('"') and name.endswith('"'), name
    return name[1:-1].replace('\\"', '"')


def unescape_label(label: str) -> str:
    """A quoted DOT label back to its text (line ends ``\\n``/``\\l`` as newlines)."""
    assert label.startswith('"') and label.endswith('"'), label
    body = label[1:-1]
    assert not re.search(r"&(?!amp;)", body), f"an unescaped & in {body!r}"
    assert not re.search(r'(?<!\\)(\\\\)*"', body), f"an unescaped quote in {body!r}"
    escapes = {"\\": "\\", '"': '"', "n": "\n", "l": "\n", "r": "\n"}
    text = re.sub(r"\\(.)", lambda m: escapes.get(m[1], "\\" + m[1]), body)
    return text.replace("&amp;", "&")


def parse(text: str) -> pydot.Dot:
    graphs = pydot.graph_from_dot_data(text)
    assert graphs is not None and len(graphs) == 1
    return graphs[0]


def all_nodes(graph: Any) -> dict[str, Any]:
    """Every node statement of the graph and its subgraphs, by plain id."""
    found = {unquote_id(n.get_name()): n for n in graph.get_nodes() if n.get_name().startswith('"')}
    for sub in graph.get_subgraphs():
        found.update(all_nodes(sub))
    return found


def lanes(graph: Any) -> dict[str, set[str]]:
    """Lane label -> the ids of the nodes in that cluster."""
    result = {}
    for sub in graph.get_subgraphs():
        assert sub.get_name().strip('"').startswith("cluster_")
        result[unescape_label(sub.get("label"))] = set(all_nodes(sub))
    return result


def edges(graph: pydot.Dot) -> list[tuple[str, str, str]]:
    result = []
    for edge in graph.get_edges():
        label = edge.get("label")
        text = unescape_label(label).split("\n")[0] if label else ""
        result.append((unquote_id(edge.get_source()), unquote_id(edge.get_destination()), text))
    return result


def expected_edges(definition: ProcessDefinition) -> list[tuple[str, str, str]]:
    starts = [(trigger_node_id(t.id), definition.start_for(t.id), "") for t in definition.triggers]
    if not definition.triggers:
        starts = [(START_NODE, definition.start, "")]
    steps = [(s, step.next, "") for s, step in definition.steps.items()]
    # an option's edge says its label, condition and default mark: Yes [amount > 250]
    options = [
        (d, o.next, option_caption(o))
        for d, dec in definition.decisions.items()
        for o in dec.options
    ]
    return starts + steps + options


def expected_nodes(definition: ProcessDefinition) -> set[str]:
    starts = {trigger_node_id(t.id) for t in definition.triggers} or {START_NODE}
    return set(definition.node_ids()) | starts


@pytest.mark.parametrize("path", PLAIN, ids=lambda p: p.stem)
def test_bundled_processes_round_trip(path: Path) -> None:
    # the flow alone: the interrupts' cluster is read in tests/test_render_interrupts.py
    definition = load_file(path).definition.model_copy(update={"interrupts": {}})
    graph = parse(render_dot(definition))
    nodes = all_nodes(graph)
    assert set(nodes) == expected_nodes(definition)
    assert Counter(edges(graph)) == Counter(expected_edges(definition))
    for node_id in definition.node_ids():
        node = definition.node(node_id)
        title = getattr(node, "title", None) or getattr(node, "question", "")
        assert unescape_label(nodes[node_id].get("label")).split("\n")[0] == title
    # One lane per role used, holding exactly that role's steps and decisions.
    expected_lanes: dict[str, set[str]] = {}
    for node_id in [*definition.steps, *definition.decisions]:
        role = definition.node(node_id).role  # type: ignore[union-attr]
        if role is not None:
            expected_lanes.setdefault(definition.role_name(role), set()).add(node_id)
    assert lanes(graph) == expected_lanes


def test_nasty_texts_and_ids_round_trip() -> None:
    definition = nasty_definition()
    text = render_dot(definition, detail=True)
    graph = parse(text)
    nodes = all_nodes(graph)
    assert set(nodes) == {"o1", "x1", "end", "graph", "node", "trigger end-trigger"}
    assert Counter(edges(graph)) == Counter(expected_edges(definition))

    def label(node_id: str) -> list[str]:
        return unescape_label(nodes[node_id].get("label")).split("\n")

    assert label("o1")[:2] == [NASTY, 'Role "end" [x] <y>']
    assert label("o1")[2:] == [
        f"1. ⚠ {BACKSLASHES}",
        '2. Temp #35; → number in °C" (0–)',
        '3. Pick → a|b / c"d',
        "4. Who {x} (subgraph end) → text",
        "",
    ]
    assert label("x1") == ["end", "subgraph end"]
    assert label("end") == [*MULTILINE.split("\n"), "subgraph end"]
    assert label("graph") == ['Done"\\', "✔ success"]
    assert label("node") == ["subgraph", "✘ failure"]
    assert label("trigger end-trigger") == ["Trigger; --> x1 %% end"]
    assert unescape_label(graph.get("label")) == f"{NASTY} (nasty v1)"
    assert set(lanes(graph)) == {'Role "end" [x] <y>', "subgraph end"}
    labels = {e[2] for e in edges(graph)}
    assert {NASTY, "-->|x| end", BACKSLASHES} <= labels


def test_the_checklist_is_left_aligned_and_the_title_centred() -> None:
    text = render_dot(nasty_definition(), detail=True)
    (line,) = [ln for ln in text.splitlines() if ln.strip().startswith('"o1" [')]
    assert "\\n1. ⚠ C:\\\\temp\\\\ \\\\N \\\\l" in line
    ends = [m[1] for m in re.finditer(r"\\(.)", line) if m[1] in "nl"]
    assert ends == ["n", "n", "l", "l", "l", "l"]  # centred title and role, one \l per item


def test_loops_are_back_edges() -> None:
    definition = load_file(REPO / "processes" / "incident-response.toml").definition
    graph = parse(render_dot(definition))
    back = {
        (unquote_id(e.get_source()), unquote_id(e.get_destination()))
        for e in graph.get_edges()
        if e.get("constraint") == "false"
    }
    assert back == {("fixed", "mitigate")}
    for edge in graph.get_edges():
        dashed = edge.get("style") == "dashed"
        assert dashed == (edge.get("constraint") == "false")
    assert [n.id for n in build_flow_graph(definition).nodes if n.kind == "trigger"] == [
        "trigger pager"
    ]


def test_a_process_without_triggers_gets_one_start_node() -> None:
    definition = ProcessDefinition.model_validate(
        {
            "process": {"id": "plain", "title": "Plain", "start": "b"},
            "steps": {"a": {"title": "A", "next": "e"}, "b": {"title": "B", "next": "a"}},
            "ends": {"e": {"title": "E", "outcome": "success"}},
        }
    )
    graph = parse(render_dot(definition))
    assert set(all_nodes(graph)) == {START_NODE, "a", "b", "e"}
    assert (START_NODE, "b", "") in edges(graph)
    assert lanes(graph) == {}


def test_figures_label_edges_and_mark_the_commonest_path() -> None:
    definition = load_file(REPO / "processes" / "incident-response.toml").definition
    figures = MapFigures(
        runs=4,
        node_visits={"triage": 4, "impact": 3, "mitigate": 3, "fixed": 3, "resolved": 2},
        edge_counts={
            ("triage", "impact", ""): 3,
            ("impact", "mitigate", "Yes"): 3,
            ("mitigate", "fixed", ""): 3,
            ("fixed", "resolved", "Yes"): 2,
            ("fixed", "mitigate", "No, try again"): 1,
        },
        median_seconds={"triage": 330.0, "mitigate": 90.0},
        commonest_path=("triage", "impact", "mitigate", "fixed", "resolved"),
    )
    graph = parse(render_dot(definition, figures=figures))
    by_pair = {
        (unquote_id(e.get_source()), unquote_id(e.get_destination()), e.get("label") or ""): e
        for e in graph.get_edges()
    }
    labels = {(s, t): unescape_label(lab) for (s, t, lab) in by_pair if lab}
    assert labels[("fixed", "resolved")] == "Yes\n2× · 67%"
    assert labels[("fixed", "mitigate")] == "No, try again\n1× · 33%"
    assert labels[("fixed", "escalated")] == "No, escalate\n0× · 0%"
    assert labels[("impact", "closed")] == "No\n0× · 0%"
    assert labels[("triage", "impact")] == "3× · 100%"
    assert ("trigger pager", "triage") not in labels  # start edges are not counted
    emphasised = {(s, t) for (s, t, _), e in by_pair.items() if e.get("penwidth") == "3"}
    assert emphasised == {
        ("triage", "impact"),
        ("impact", "mitigate"),
        ("mitigate", "fixed"),
        ("fixed", "resolved"),
    }
    nodes = all_nodes(graph)
    assert unescape_label(nodes["triage"].get("label")).split("\n") == [
        "Triage the alert",
        "On-call engineer",
        "4 visits · median 5 min 30 s",
    ]
    assert unescape_label(nodes["resolved"].get("label")).endswith("2 runs ended here")
    for never in ("closed", "escalated"):
        assert unescape_label(nodes[never].get("label")).endswith("never reached")
        assert "dashed" in nodes[never].get("style")
    assert "dashed" not in nodes["resolved"].get("style")
    assert unescape_label(graph.get("label")).endswith(" · 4 runs")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_draws_the_nasty_texts_exactly(tmp_path: Path) -> None:
    import html

    source = tmp_path / "map.dot"
    source.write_text(render_dot(nasty_definition(), detail=True), encoding="utf-8")
    svg = subprocess.run(
        ["dot", "-Tsvg", str(source)], capture_output=True, text=True, check=True
    ).stdout
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert texts.count(NASTY) == 2  # the step title, the option label
    assert f"{NASTY} (nasty v1)" in texts
    assert f"1. ⚠ {BACKSLASHES}" in texts
    assert BACKSLASHES in texts
    assert MULTILINE.split("\n") == texts[texts.index("first line") :][:2]
    assert 'Done"\\' in texts
