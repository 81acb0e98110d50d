"""``definition_to_bpmn``: well-formed BPMN 2.0 whose elements, lanes, shapes and edges match the
definition, with every text from the TOML read back exactly as written."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bpmn_support import BUNDLED, HOSTILE, NS, Exported, export, load, ours, q
from procedo.model import parse_definition
from procedo.render.bpmn_graph import ncname

NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
REFERENCES = ("sourceRef", "targetRef", "bpmnElement", "processRef", "default", "errorRef")


def every_export() -> list[Path]:
    return [*BUNDLED, HOSTILE]


@pytest.fixture(scope="module")
def hostile() -> Exported:
    return export(load(HOSTILE))


@pytest.mark.parametrize("path", every_export(), ids=lambda p: p.stem)
def test_ids_are_unique_ncnames_and_every_reference_resolves(path: Path) -> None:
    exported = export(load(path))
    bpmn = [e for e in exported.root.iter() if not e.tag.startswith(f"{{{NS['procedo']}}}")]
    ids = [e.get("id") for e in bpmn if e.get("id") is not None]  # procedo's ids are its own
    assert len(ids) == len(set(ids))
    assert all(NCNAME.fullmatch(i) for i in ids if i is not None), ids
    known = set(ids)
    for element in exported.root.iter():
        for attribute in REFERENCES:
            if element.get(attribute) is not None:
                assert element.get(attribute) in known, (element.tag, attribute)
        if element.tag in (q("bpmn", "incoming"), q("bpmn", "outgoing"), q("bpmn", "flowNodeRef")):
            assert element.text in known


@pytest.mark.parametrize("path", every_export(), ids=lambda p: p.stem)
def test_one_element_per_node_and_one_flow_per_move(path: Path) -> None:
    exported = export(load(path))
    definition = exported.definition
    process = exported.process

    def count(tag: str) -> int:
        return len(process.findall(f"bpmn:{tag}", NS))

    plain_steps = [s for s in definition.steps.values() if s.call is None]
    assert count("userTask") == len(plain_steps)
    assert count("callActivity") == len(definition.calls)
    assert count("exclusiveGateway") == len(definition.decisions)
    assert count("parallelGateway") == 2 * len(definition.parallel)
    assert count("startEvent") == max(1, len(definition.triggers))
    assert count("endEvent") == len(definition.ends)
    moves = sum(len(s.outcomes) + (s.next is not None) for s in definition.steps.values())
    moves += sum(len(d.options) for d in definition.decisions.values())
    moves += sum(len(b.branches) + 1 for b in definition.parallel.values())  # + the join's
    assert count("sequenceFlow") == moves + max(1, len(definition.triggers))
    for node_id in definition.node_ids():
        assert exported.node_of(node_id).get("id", "").endswith(f"_{node_id}")


@pytest.mark.parametrize("path", every_export(), ids=lambda p: p.stem)
def test_a_shape_for_every_node_and_an_edge_for_every_flow(path: Path) -> None:
    exported = export(load(path))
    (plane,) = exported.root.findall("bpmndi:BPMNDiagram/bpmndi:BPMNPlane", NS)
    drawn = {e.get("bpmnElement"): e for e in plane}
    for node in exported.flow_nodes():
        shape = drawn[node.get("id")]
        assert shape.tag == q("bpmndi", "BPMNShape")
        x, y, width, height = exported.bounds(node.get("id", ""))
        assert width > 0 and height > 0
    boxes = [exported.bounds(n.get("id", "")) for n in exported.flow_nodes()]
    for index, (x, y, w, h) in enumerate(boxes):  # no two shapes overlap
        for x2, y2, w2, h2 in boxes[index + 1 :]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y
    for flow in exported.flows():
        edge = drawn[flow.get("id")]
        assert edge.tag == q("bpmndi", "BPMNEdge")
        waypoints = edge.findall("di:waypoint", NS)
        points = [(float(p.get("x", "")), float(p.get("y", ""))) for p in waypoints]
        assert len(points) >= 2
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            assert x1 == x2 or y1 == y2  # orthogonal segments
        assert _touches(exported.bounds(flow.get("sourceRef", "")), points[0])
        assert _touches(exported.bounds(flow.get("targetRef", "")), points[-1])
    assert len(drawn) == len(plane)  # one shape or edge per element, no more


def _touches(box: tuple[float, float, float, float], point: tuple[float, float]) -> bool:
    """Whether the point is on the border of the box."""
    x, y, width, height = box
    px, py = point
    inside = x <= px <= x + width and y <= py <= y + height
    return inside and (px in (x, x + width) or py in (y, y + height))


@pytest.mark.parametrize("path", every_export(), ids=lambda p: p.stem)
def test_forward_moves_go_left_to_right(path: Path) -> None:
    exported = export(load(path))
    forward = 0
    for flow in exported.flows():
        source = exported.bounds(flow.get("sourceRef", ""))
        target = exported.bounds(flow.get("targetRef", ""))
        if target[0] > source[0]:
            forward += 1
    assert forward >= len(exported.flows()) // 2  # loops are the exception, not the rule


@pytest.mark.parametrize("path", every_export(), ids=lambda p: p.stem)
def test_lanes_hold_the_nodes_of_their_role(path: Path) -> None:
    exported = export(load(path))
    definition = exported.definition
    lanes = exported.process.findall("bpmn:laneSet/bpmn:lane", NS)
    assert [ours(lane, "role") for lane in lanes if ours(lane, "role")] == list(definition.roles)
    holder: dict[str, ET.Element] = {}
    for lane in lanes:
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            assert ref.text not in holder, "a node in two lanes"
            holder[ref.text or ""] = lane
        if ours(lane, "role"):
            assert lane.get("name") == definition.roles[ours(lane, "role") or ""]
    assert set(holder) == {n.get("id") for n in exported.flow_nodes()}
    roles = {k: s.role for k, s in definition.steps.items()}
    roles |= {k: d.role for k, d in definition.decisions.items()}
    for node_id, role in roles.items():
        lane = holder[exported.node_of(node_id).get("id", "")]
        assert ours(lane, "role") == role  # no role: the lane without a role
        assert (lane.get("id") == "Lane_none") == (role is None)
    for node in exported.flow_nodes():  # each shape inside its lane's band
        x, y, width, height = exported.bounds(node.get("id", ""))
        lx, ly, lw, lh = exported.bounds(holder[node.get("id", "")].get("id", ""))
        assert lx <= x and x + width <= lx + lw and ly <= y and y + height <= ly + lh


@pytest.mark.parametrize("path", every_export(), ids=lambda p: p.stem)
def test_children_come_in_the_order_the_schema_asks(path: Path) -> None:
    """documentation, extensionElements, incoming, outgoing, event definitions (BPMN20 XSD)."""
    exported = export(load(path))
    order = ["documentation", "extensionElements", "incoming", "outgoing"]
    order += ["errorEventDefinition", "conditionExpression", "laneSet", "flowNodeRef"]
    for element in exported.process.iter():
        tags = [c.tag.split("}")[1] for c in element if c.tag.startswith(f"{{{NS['bpmn']}}}")]
        ranks = [order.index(t) for t in tags if t in order]
        assert ranks == sorted(ranks), (element.get("id"), tags)
    children = [c.tag.split("}")[1] for c in exported.process]
    first_flow = min(children.index(t) for t in children if t.endswith(("Event", "Task")))
    assert children[:first_flow][-1] in ("laneSet", "extensionElements")


def test_hostile_texts_are_escaped_and_read_back_exactly(hostile: Exported) -> None:
    text, definition = hostile.text, hostile.definition
    assert "]]>" not in text and "<title>" not in text and "<step>" not in text
    assert hostile.process.get("name") == definition.title
    (participant,) = hostile.root.findall("bpmn:collaboration/bpmn:participant", NS)
    assert participant.get("name") == definition.title
    assert hostile.process.findtext("bpmn:documentation", namespaces=NS) == (
        definition.process.summary
    )
    first = definition.steps["1st-step"]
    task = hostile.node_of("1st-step")
    assert task.get("name") == first.title
    assert task.findtext("bpmn:documentation", namespaces=NS) == first.instructions
    items = task.findall("bpmn:extensionElements/procedo:item", NS)
    assert [i.get("text") for i in items] == [item.text for item in first.items]
    assert items[1].get("details") == first.items[1].details  # a line break in an attribute
    assert items[1].get("expect") == first.items[1].expect
    assert [c.text for c in items[2].findall("procedo:choice", NS)] == list(first.items[2].choices)
    decision = definition.decisions["2nd-check"]
    gateway = hostile.node_of("2nd-check")
    assert gateway.get("name") == decision.question
    flows = hostile.outgoing(gateway)
    assert [f.get("name") for f in flows] == [o.label for o in decision.options]
    condition = flows[0].find("bpmn:conditionExpression", NS)
    assert condition is not None and condition.text == decision.options[0].when
    lanes = hostile.process.findall("bpmn:laneSet/bpmn:lane", NS)
    assert [lane.get("name") for lane in lanes][:2] == ["Ops <&> ]]>", '[bold]Lead[/bold] "quoted"']
    assert hostile.node_of("page").get("name") == 'Paged ]]> <x> & "y"'
    assert hostile.node_of("done").get("name") == "Done <ok> & ]]>"
    extensions = hostile.process.find("bpmn:extensionElements", NS)
    assert extensions is not None
    assert extensions.findtext("procedo:resource", namespaces=NS) == "A <resource> & ]]>"
    (head,) = extensions.findall("procedo:process", NS)
    assert head.get("owner") == "O'Neil & <Sons>"


def test_items_keep_every_key(hostile: Exported) -> None:
    items = hostile.node_of("1st-step").findall("bpmn:extensionElements/procedo:item", NS)
    assert items[0].attrib == {"text": "Plain <tick> & ]]>"}  # defaults are left out
    assert items[1].attrib == {
        "text": "Value [bold]",
        "id": "reading",
        "critical": "true",
        "details": "Line 1\nLine 2 <&>",
        "expect": "reading < 8 && reading > -20.5",
        "record": "number",
        "unit": "°C",
        "min": "-20.5",
        "max": "8",
    }
    assert items[2].attrib == {
        "text": "Pick",
        "id": "pick",
        "role": "lead",
        "when": "amount > 10",
        "record": "choice",
    }


def test_process_information_and_inputs_are_kept(hostile: Exported) -> None:
    extensions = hostile.process.find("bpmn:extensionElements", NS)
    assert extensions is not None
    head = extensions.find("procedo:process", NS)
    assert head is not None
    assert head.attrib == {
        "id": "1st-process",
        "version": "3.1",
        "owner": "O'Neil & <Sons>",
        "target_minutes": "12.5",
    }
    amount, kind = extensions.findall("procedo:input", NS)
    assert amount.attrib == {
        "id": "amount",
        "title": "Amount <EUR> & ]]>",
        "details": "multi\nline",
        "record": "number",
        "unit": "EUR",
        "min": "0",
        "max": "1000000",
    }
    assert [c.text for c in kind.findall("procedo:choice", NS)] == ["a<b", "c&d"]


def test_ids_get_a_prefix_so_a_leading_digit_is_valid(hostile: Exported) -> None:
    assert hostile.process.get("id") == "Process_1st-process"
    assert hostile.node_of("1st-step").get("id") == "Task_1st-step"
    assert hostile.node_of("2nd-check").get("id") == "Gateway_2nd-check"
    with pytest.raises(ValueError):
        ncname("1st")


def test_parallel_blocks_are_a_split_and_a_converging_gateway(hostile: Exported) -> None:
    by_id = hostile.by_id()
    split = hostile.node_of("fork")
    assert split.tag == q("bpmn", "parallelGateway")
    assert split.get("gatewayDirection") == "Diverging" and split.get("name") == "Split <&> ]]>"
    assert split.findtext("bpmn:documentation", namespaces=NS) == "Both at once"
    assert [f.get("targetRef") for f in hostile.outgoing(split)] == ["Task_a", "Task_b"]
    join = by_id["Join_fork"]
    assert join.get("gatewayDirection") == "Converging" and ours(join, "closes") == "fork"
    # the branches' last nodes (the inner block's join node b3 included) go into the join
    assert {f.get("sourceRef") for f in hostile.incoming(join)} == {"Task_a", "Task_b3"}
    assert [f.get("targetRef") for f in hostile.outgoing(join)] == ["Task_merge"]
    assert [f.get("sourceRef") for f in hostile.incoming(by_id["Task_merge"])] == ["Join_fork"]
    inner = by_id["Join_inner"]
    assert {f.get("sourceRef") for f in hostile.incoming(inner)} == {"Task_b1", "Task_b2"}
    assert [f.get("targetRef") for f in hostile.outgoing(inner)] == ["Task_b3"]
    assert [f.get("targetRef") for f in hostile.outgoing(hostile.node_of("b"))] == ["Split_inner"]


def test_a_calling_step_is_a_call_activity_with_its_outcomes(hostile: Exported) -> None:
    call = hostile.node_of("merge")
    assert call.tag == q("bpmn", "callActivity")
    assert call.get("calledElement") == "other-process" and ours(call, "call") == "other-process"
    flows = hostile.outgoing(call)
    assert [(f.get("name"), ours(f, "outcome"), f.get("targetRef")) for f in flows] == [
        ("success", "success", "Gateway_2nd-check"),
        ("failure", "failure", "End_failed"),
        ("abandoned", "abandoned", "End_failed"),
        (None, None, "Gateway_2nd-check"),  # next: the default flow
    ]
    assert call.get("default") == flows[-1].get("id")
    items = call.findall("bpmn:extensionElements/procedo:item", NS)
    assert [i.get("text") for i in items] == ["Before the call"]


def test_decisions_are_exclusive_gateways_with_default_and_conditions(hostile: Exported) -> None:
    gateway = hostile.node_of("2nd-check")
    assert gateway.get("gatewayDirection") == "Diverging" and ours(gateway, "auto") == "true"
    assert gateway.findtext("bpmn:documentation", namespaces=NS) == "Think\nhard"
    yes, no, fail = hostile.outgoing(gateway)
    assert gateway.get("default") == no.get("id")
    condition = yes.find("bpmn:conditionExpression", NS)
    assert condition is not None
    assert condition.get(q("xsi", "type")) == "bpmn:tFormalExpression"
    assert condition.get("language") == "cel"
    assert no.find("bpmn:conditionExpression", NS) is None
    assert [f.get("targetRef") for f in (yes, no, fail)] == [
        "Task_1st-step",
        "End_done",
        "End_failed",
    ]


def test_triggers_are_start_events_and_ends_keep_their_outcome(hostile: Exported) -> None:
    page, ticket = hostile.process.findall("bpmn:startEvent", NS)
    assert (ours(page, "id"), ours(page, "start")) == ("page", None)
    assert (ours(ticket, "id"), ours(ticket, "start")) == ("ticket", "2nd-check")
    assert [f.get("targetRef") for f in hostile.outgoing(page)] == ["Task_1st-step"]
    assert [f.get("targetRef") for f in hostile.outgoing(ticket)] == ["Gateway_2nd-check"]
    done, failed = hostile.process.findall("bpmn:endEvent", NS)
    assert ours(done, "outcome") == "success" and len(done) == 1  # only its incoming flow
    assert ours(failed, "outcome") == "failure"
    definition = failed.find("bpmn:errorEventDefinition", NS)
    assert definition is not None
    (error,) = hostile.root.findall("bpmn:error", NS)
    assert definition.get("errorRef") == error.get("id")
    assert error.get("errorCode") == "failed" and error.get("name") == 'Failed "badly"'


NO_ROLES = """
[process]
title = "Plain"
[steps.only]
title = "Only step"
next = "done"
items = ["Tick"]
[ends.done]
title = "Done"
outcome = "success"
"""


def test_without_roles_there_is_no_pool_and_one_plain_start() -> None:
    exported = export(parse_definition(NO_ROLES, default_id="plain"))
    assert exported.root.find("bpmn:collaboration", NS) is None
    assert exported.process.find("bpmn:laneSet", NS) is None
    (plane,) = exported.root.findall("bpmndi:BPMNDiagram/bpmndi:BPMNPlane", NS)
    assert plane.get("bpmnElement") == "plain"
    (start,) = exported.process.findall("bpmn:startEvent", NS)
    assert start.get("id") == "Start" and start.get("name") is None and ours(start, "id") is None
    assert [f.get("targetRef") for f in exported.outgoing(start)] == ["Task_only"]


def test_the_output_is_the_same_every_time() -> None:
    definition = load(HOSTILE)
    assert export(definition).text == export(load(HOSTILE)).text


def test_characters_xml_cannot_hold_are_shown_as_escapes() -> None:
    definition = parse_definition(NO_ROLES, default_id="plain", check_texts=False)
    step = definition.steps["only"].model_copy(update={"title": "Bell \x07 here"})
    definition = definition.model_copy(update={"steps": {"only": step}})
    exported = export(definition)  # well formed: the parser took it
    assert exported.node_of("only").get("name") == "Bell \\x07 here"
