"""render_mermaid: generated ids only, every label quoted and escaped, the graph intact.

The output is read back with a strict reader of the statements render_mermaid writes: any
line it does not recognise fails the test. When ``PROCEDO_MERMAID_MODULES`` names a
node_modules folder holding ``mermaid`` and ``jsdom``, the real Mermaid parser reads it too.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from procedo.model import ProcessDefinition, load_file
from procedo.model.figures import MapFigures
from procedo.render.flow_graph import option_caption
from procedo.render.mermaid import mermaid_text, render_mermaid
from test_render_dot import BACKSLASHES, MULTILINE, NASTY, PLAIN, REPO, nasty_definition

ID = r"[tnir]\d+"  # i, r: the non-normal checklists and where they lead
LABEL = r'"([^"]*)"'
SHAPES = {
    "trigger": (r">", r"\]"),
    "start": (r"\(\(", r"\)\)"),
    "step": (r"\[", r"\]"),
    "decision": (r"\{", r"\}"),
    "end": (r"\(\[", r"\]\)"),
}
NODES = {kind: re.compile(rf"^\s*({ID}){o}{LABEL}{c}$") for kind, (o, c) in SHAPES.items()}
EDGE = re.compile(rf"^\s*({ID}) (-->|-\.->)(?:\|{LABEL}\|)? ({ID})$")
# Inside a label: entity codes, <br>, and plain characters; nothing else.
SAFE_LABEL = re.compile(r'^(?:#(?:quot|\d+);|<br>|[^"#<>\[\]{}|;&`\\\n])*$')


@dataclass
class Chart:
    nodes: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # id -> kind, lines
    edges: list[tuple[str, str, str, list[str]]] = field(default_factory=list)
    lanes: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    classes: dict[str, set[str]] = field(default_factory=dict)
    link_styles: list[list[int]] = field(default_factory=list)


def decode(label: str) -> list[str]:
    """A label as Mermaid shows it: entity codes decoded, ``<br>`` as line breaks."""
    assert SAFE_LABEL.match(label), f"unsafe label text {label!r}"
    entities = re.sub(r"#(\d+);", r"&#\1;", label).replace("#quot;", "&quot;")
    return [html.unescape(part) for part in entities.split("<br>")]


def read_chart(text: str) -> Chart:
    """Read render_mermaid's output back; every line must be a known statement."""
    chart = Chart()
    lines = text.splitlines()
    assert lines[0].startswith("%% ") and lines[1] == "flowchart TD"
    lane: str | None = None
    for line in lines[2:]:
        if m := re.match(r'^    subgraph (lane\d+) \["([^"]*)"\]$', line):
            assert lane is None
            lane = m[1]
            chart.lanes[lane] = (decode(m[2]), [])
        elif line == '    subgraph nonnormal ["Non-normal checklists"]':
            assert lane is None  # beside the flow, read by test_render_interrupts
            lane = "nonnormal"
        elif line == "    end":
            assert lane is not None
            lane = None
        elif node := next(((k, m) for k, rx in NODES.items() if (m := rx.match(line))), None):
            kind, m = node
            assert m[1] not in chart.nodes
            chart.nodes[m[1]] = (kind, decode(m[2]))
            if lane is not None:
                assert line.startswith("        ")
            if lane is not None and lane != "nonnormal":
                chart.lanes[lane][1].append(m[1])
        elif m := EDGE.match(line):
            chart.edges.append((m[1], m[4], m[2], decode(m[3]) if m[3] is not None else []))
        elif m := re.match(r"^    classDef \w+ [\w:#,. -]+$", line):
            pass
        elif m := re.match(rf"^    class ({ID}) (\w+)$", line):
            chart.classes.setdefault(m[1], set()).add(m[2])
        elif m := re.match(r"^    linkStyle ([\d,]+) [\w:#,. -]+$", line):
            chart.link_styles.append([int(i) for i in m[1].split(",")])
        else:
            pytest.fail(f"unexpected Mermaid line {line!r}")
    assert lane is None
    used = {e[0] for e in chart.edges} | {e[1] for e in chart.edges}
    assert used <= set(chart.nodes)
    return chart


def titles(definition: ProcessDefinition) -> dict[str, str]:
    """Node id -> its title or question, and each trigger's graph id -> its title."""
    found = {f"trigger {t.id}": t.title for t in definition.triggers}
    for node_id in definition.node_ids():
        node = definition.node(node_id)
        found[node_id] = getattr(node, "title", None) or getattr(node, "question", "")
    return found


def edges_by_title(definition: ProcessDefinition, chart: Chart) -> Counter[tuple[str, str, str]]:
    first = {mid: lines[0] for mid, (_, lines) in chart.nodes.items()}
    return Counter((first[s], first[t], (lab or [""])[0]) for s, t, _, lab in chart.edges)


@pytest.mark.parametrize("path", PLAIN, ids=lambda p: p.stem)
def test_bundled_processes_read_back(path: Path) -> None:
    # the flow alone: the interrupts' subgraph is read in tests/test_render_interrupts.py
    definition = load_file(path).definition.model_copy(update={"interrupts": {}})
    chart = read_chart(render_mermaid(definition, detail=True))
    names = titles(definition)
    assert len(chart.nodes) == len(definition.node_ids()) + max(1, len(definition.triggers))
    assert sorted(lines[0] for _, lines in chart.nodes.values()) == sorted(names.values())
    expected: Counter[tuple[str, str, str]] = Counter()
    for trigger in definition.triggers:
        expected[(trigger.title, names[definition.start_for(trigger.id)], "")] += 1
    for step in definition.steps.values():
        expected[(step.title, names[step.next], "")] += 1
    for decision in definition.decisions.values():
        for option in decision.options:
            # the label with the option's condition and default mark: Yes [amount > 250]
            expected[(decision.question, names[option.next], option_caption(option))] += 1
    assert edges_by_title(definition, chart) == expected
    used_roles = {
        definition.role_name(n.role)
        for n in [*definition.steps.values(), *definition.decisions.values()]
        if n.role
    }
    assert {title[0] for title, _ in chart.lanes.values()} == used_roles


def test_nasty_texts_are_escaped_and_shown_exactly() -> None:
    definition = nasty_definition()
    text = render_mermaid(definition, detail=True)
    chart = read_chart(text)
    lines = {mid: body for mid, (_, body) in chart.nodes.items()}
    kinds = {body[0]: kind for kind, body in chart.nodes.values()}
    assert kinds == {
        "Trigger; --> x1 %% end": "trigger",
        NASTY: "step",
        "end": "step",
        "first line": "decision",
        'Done"\\': "end",
        "subgraph": "end",
    }
    (step,) = [body for body in lines.values() if body[0] == NASTY]
    assert step == [
        NASTY,
        'Role "end" [x] <y>',
        f"1. ⚠ {BACKSLASHES}",
        '2. Temp #35; → number in °C" (0–)',
        '3. Pick → a|b / c"d',
        "4. Who {x} (subgraph end) → text",
    ]
    (decision,) = [body for body in lines.values() if body[0] == "first line"]
    assert decision == [*MULTILINE.split("\n"), "subgraph end"]
    assert sorted(title[0] for title, _ in chart.lanes.values()) == [
        'Role "end" [x] <y>',
        "subgraph end",
    ]
    labels = Counter(lab[0] for *_, lab in chart.edges if lab)
    assert labels == Counter({NASTY: 1, "-->|x| end": 1, BACKSLASHES: 1})
    # The process title is in the leading comment, escaped as well (one line).
    assert decode(text.splitlines()[0][3:]) == [f"{NASTY} (nasty v1)"]


def test_definition_ids_are_never_written() -> None:
    # read_chart accepts generated ids (t0, n0, lane0) only; check the raw text as well.
    text = render_mermaid(nasty_definition(), detail=True)
    read_chart(text)
    for line in text.splitlines()[1:]:
        words = set(re.findall(r"[\w-]+", re.sub(r'"[^"]*"', '""', line)))
        assert not words & {"o1", "x1", "graph", "node", "nasty", "r1", "o", "end-trigger"}, line
        if "end" in words:
            assert line == "    end"  # only the keyword that closes a subgraph
    assert text.count("\n    end\n") == 2


def test_mermaid_text_escapes() -> None:
    assert mermaid_text('Check "A" -> [B] <C> #1; end') == (
        "Check #quot;A#quot; -#62; #91;B#93; #60;C#62; #35;1#59; end"
    )
    assert mermaid_text("a\\b\nc\r\nd`e|f&g{h}i%j") == (
        "a#92;b<br>c<br>d#96;e#124;f#38;g#123;h#125;i#37;j"
    )
    assert mermaid_text("°C é 東京 ✔") == "°C é 東京 ✔"
    # Control and separator characters are shown as escapes, never as an entity of themselves.
    assert mermaid_text("\u2028\t") == "#92;u2028#92;t"


def test_loops_are_dotted_back_edges() -> None:
    definition = load_file(REPO / "processes" / "incident-response.toml").definition
    chart = read_chart(render_mermaid(definition))
    dotted = [(s, t, lab) for s, t, arrow, lab in chart.edges if arrow == "-.->"]
    first = {mid: body[0] for mid, (_, body) in chart.nodes.items()}
    assert [(first[s], first[t], lab) for s, t, lab in dotted] == [
        ("Is the error rate back to normal?", "Mitigate", ["No, try again"])
    ]
    ends = {body[0]: chart.classes.get(mid) for mid, (kind, body) in chart.nodes.items()}
    assert ends["Service restored"] == {"success"}
    assert ends["Escalated to the vendor"] == {"failure"}
    assert chart.nodes["t0"] == ("trigger", ["Pager alert on a customer-facing service"])


def test_figures_on_the_chart() -> None:
    definition = load_file(REPO / "processes" / "incident-response.toml").definition
    figures = MapFigures(
        runs=3,
        node_visits={
            "triage": 3,
            "impact": 3,
            "mitigate": 2,
            "fixed": 2,
            "resolved": 2,
            "closed": 1,
        },
        edge_counts={
            ("triage", "impact", ""): 3,
            ("impact", "mitigate", "Yes"): 2,
            ("impact", "closed", "No"): 1,
            ("mitigate", "fixed", ""): 2,
            ("fixed", "resolved", "Yes"): 2,
        },
        median_seconds={"triage": 45.0},
        commonest_path=("triage", "impact", "mitigate", "fixed", "resolved"),
    )
    chart = read_chart(render_mermaid(definition, figures=figures))
    first = {mid: body[0] for mid, (_, body) in chart.nodes.items()}
    labelled = {(first[s], first[t]): lab for s, t, _, lab in chart.edges}
    assert labelled[("Are customers affected?", "Mitigate")] == ["Yes", "2× · 67%"]
    assert labelled[("Are customers affected?", "No customer impact")] == ["No", "1× · 33%"]
    assert labelled[("Triage the alert", "Are customers affected?")] == ["3× · 100%"]
    assert labelled[("Is the error rate back to normal?", "Mitigate")] == [
        "No, try again",
        "0× · 0%",
    ]
    assert labelled[("Pager alert on a customer-facing service", "Triage the alert")] == []
    (styled,) = chart.link_styles
    common = [(first[chart.edges[i][0]], first[chart.edges[i][1]]) for i in styled]
    assert common == [
        ("Triage the alert", "Are customers affected?"),
        ("Mitigate", "Is the error rate back to normal?"),
        ("Are customers affected?", "Mitigate"),
        ("Is the error rate back to normal?", "Service restored"),
    ]
    by_title = {body[0]: (mid, body) for mid, (_, body) in chart.nodes.items()}
    assert by_title["Triage the alert"][1][-1] == "3 visits · median 45 s"
    mid, body = by_title["Escalated to the vendor"]
    assert body[-1] == "never reached" and chart.classes[mid] == {"failure", "unreached"}
    assert "unreached" not in chart.classes[by_title["No customer impact"][0]]


CHECK_JS = """
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window; globalThis.document = dom.window.document;
(async () => {
  const mermaid = (await import('mermaid')).default;
  mermaid.initialize({ startOnLoad: false });
  const text = require('fs').readFileSync(0, 'utf8');
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db;
  const out = { nodes: {}, edges: [], lanes: [] };
  for (const [id, v] of db.getVertices()) out.nodes[id] = v.text;
  for (const e of db.getEdges()) out.edges.push([e.start, e.end, e.text, e.stroke]);
  for (const s of db.getSubGraphs()) out.lanes.push([s.title, s.nodes]);
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e.message); process.exit(1); });
"""


@pytest.mark.skipif(
    not os.environ.get("PROCEDO_MERMAID_MODULES") or shutil.which("node") is None,
    reason="set PROCEDO_MERMAID_MODULES to a node_modules folder with mermaid and jsdom",
)
def test_the_real_mermaid_parser_reads_the_nasty_chart() -> None:
    text = render_mermaid(nasty_definition(), detail=True)
    result = subprocess.run(
        ["node", "-e", CHECK_JS],
        input=text,
        capture_output=True,
        text=True,
        cwd=Path(os.environ["PROCEDO_MERMAID_MODULES"]).parent,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)

    def shown(encoded: str) -> list[str]:  # what Mermaid's decodeEntities and HTML make of it
        entities = encoded.replace("ﬂ°°", "&#").replace("ﬂ°", "&").replace("¶ß", ";")
        return html.unescape(entities).split("<br>")

    ours = read_chart(text)
    assert {k: shown(v) for k, v in parsed["nodes"].items()} == {
        k: body for k, (_, body) in ours.nodes.items()
    }
    assert [(s, t, shown(lab) if lab else []) for s, t, lab, _ in parsed["edges"]] == [
        (s, t, lab) for s, t, _, lab in ours.edges
    ]
    assert [stroke == "dotted" for *_, stroke in parsed["edges"]] == [
        arrow == "-.->" for _, _, arrow, _ in ours.edges
    ]
    assert [shown(title)[0] for title, _ in parsed["lanes"]] == [
        title[0] for title, _ in ours.lanes.values()
    ]
