"""A process as BPMN 2.0 XML with diagram interchange, for Camunda Modeler and bpmn.io.

The flow nodes and flows come from :mod:`procedo.render.bpmn_graph`, their places from
:mod:`procedo.render.bpmn_layout`. The XML is built with :mod:`xml.etree.ElementTree`, so
every text from the TOML is escaped by the serializer (``<``, ``&``, ``]]>``, quotes; a line
break or tab in an attribute as a character reference), never by string formatting.

What BPMN has no place for (the checklist, a hold point's sign-offs, a trigger's id, an
automatic decision, the start inputs...) is written in the namespace :data:`PROCEDO` as
attributes named after their TOML key, on the BPMN element or on ``procedo:*`` elements in
its ``bpmn:extensionElements``, so an import gives back the same process
(``docs/diagrams.md`` describes every one). The namespace prefixes are registered with
ElementTree once, when this module is imported.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from procedo import __version__
from procedo.model import Item, ProcessDefinition
from procedo.model.signoff import SignOff
from procedo.render.bpmn_elements import (
    BPMN,
    BPMNDI,
    DC,
    DI,
    PROCEDO,
    XSI,
    number_text,
)
from procedo.render.bpmn_elements import choices as _choices
from procedo.render.bpmn_elements import item_element as _item
from procedo.render.bpmn_elements import ours as _ours
from procedo.render.bpmn_elements import plain as _plain
from procedo.render.bpmn_elements import q as _q
from procedo.render.bpmn_elements import signoff_element as _signoff
from procedo.render.bpmn_elements import spec_attrs as _spec_attrs
from procedo.render.bpmn_elements import sub as _sub
from procedo.render.bpmn_graph import (
    BpmnFlow,
    BpmnGraph,
    BpmnNode,
    build_bpmn_graph,
    process_bpmn_id,
)
from procedo.render.bpmn_interrupts import GAP, draw_interrupts, write_interrupts
from procedo.render.bpmn_layout import ORIGIN, Layout, lay_out
from procedo.render.bpmn_routes import Box

NO_ROLE_LANE = "Lane_none"
NO_ROLE_NAME = "No role"
CEL = "cel"
"""The ``language`` of a ``conditionExpression``: an option's ``when``, in CEL."""

_ELEMENTS = {
    "start": "startEvent",
    "task": "userTask",
    "call": "callActivity",
    "exclusive": "exclusiveGateway",
    "split": "parallelGateway",
    "join": "parallelGateway",
    "end": "endEvent",
}


def _process_extensions(process: ET.Element, definition: ProcessDefinition) -> None:
    info = definition.process
    extensions = _sub(process, BPMN, "extensionElements")
    head = _sub(extensions, PROCEDO, "process")
    _plain(
        head,
        id=definition.id,
        version=info.version,
        owner=info.owner or None,
        start=info.start,
        target_minutes=None if info.target_minutes is None else number_text(info.target_minutes),
        remind_minutes=number_text(info.remind.every_minutes) if info.remind else None,
        remind_text=info.remind.text if info.remind else None,
    )
    for resource in info.resources:
        _sub(extensions, PROCEDO, "resource", resource)
    for input_id, spec in definition.inputs.items():
        element = _sub(extensions, PROCEDO, "input")
        _plain(
            element,
            id=input_id,
            title=spec.title,
            details=spec.details or None,
            **_spec_attrs(spec),
        )
        _choices(element, spec.choices)


def _flow_node(
    process: ET.Element,
    node: BpmnNode,
    flows: tuple[list[BpmnFlow], list[BpmnFlow]],
    definition: ProcessDefinition,
) -> None:
    """One flow node: its attributes, documentation, checklist, flows and event definition."""
    flows_in, flows_out = flows
    attrs = {"id": node.id}
    if node.name:
        attrs["name"] = node.name
    element = _sub(process, BPMN, _ELEMENTS[node.kind], **attrs)
    defaults = [f.id for f in flows_out if f.default]
    if defaults:
        element.set("default", defaults[0])
    documentation, items = _kind_attributes(element, node, definition)
    if documentation:
        _sub(element, BPMN, "documentation", documentation)
    signoff = _signoff_of(node, definition)
    if items or signoff:
        extensions = _sub(element, BPMN, "extensionElements")
        for item in items:
            _item(extensions, item)
        for sign in signoff:
            _signoff(extensions, sign)
    for flow in flows_in:
        _sub(element, BPMN, "incoming", flow.id)
    for flow in flows_out:
        _sub(element, BPMN, "outgoing", flow.id)
    if node.kind == "end" and node.key is not None and not definition.ends[node.key].success:
        definition_id = f"ErrorDefinition_{node.key}"
        _sub(element, BPMN, "errorEventDefinition", id=definition_id, errorRef=error_id(node.key))


def _kind_attributes(
    element: ET.Element, node: BpmnNode, definition: ProcessDefinition
) -> tuple[str, tuple[Item, ...]]:
    """Set what each kind of node has of its own; returns its documentation and checklist."""
    documentation = ""
    items: tuple[Item, ...] = ()
    if node.kind in ("task", "call") and node.key is not None:
        step = definition.steps[node.key]
        documentation, items = step.instructions, step.items
        _ours(
            element,
            id=node.key,
            call=step.call,
            target_minutes=_minutes(step.target_minutes),
            remind_minutes=_minutes(step.remind.every_minutes if step.remind else None),
            remind_text=step.remind.text if step.remind else None,
        )
        if step.call is not None:
            element.set("calledElement", process_bpmn_id(step.call))
    elif node.kind == "exclusive" and node.key is not None:
        decision = definition.decisions[node.key]
        documentation = decision.details
        element.set("gatewayDirection", "Diverging")
        timeout = decision.timeout
        _ours(
            element,
            id=node.key,
            auto="true" if decision.auto else None,
            timeout_minutes=_minutes(timeout.after_minutes if timeout else None),
            timeout_suggest=timeout.suggest if timeout else None,
        )
    elif node.kind == "split" and node.key is not None:
        documentation = definition.parallel[node.key].details
        element.set("gatewayDirection", "Diverging")
        _ours(element, id=node.key)
    elif node.kind == "join":
        element.set("gatewayDirection", "Converging")
        _ours(element, closes=node.key)
    elif node.kind == "start" and node.key is not None:
        trigger = definition.trigger(node.key)
        _ours(element, id=node.key, start=trigger.start if trigger else None)
    elif node.kind == "end" and node.key is not None:
        _ours(element, id=node.key, outcome=definition.ends[node.key].outcome)
    return documentation, items


def _signoff_of(node: BpmnNode, definition: ProcessDefinition) -> tuple[SignOff, ...]:
    """The sign-offs of the step or decision a node stands for (none for other nodes)."""
    if node.key is None:
        return ()
    if node.kind in ("task", "call"):
        return definition.steps[node.key].signoff
    if node.kind == "exclusive":
        return definition.decisions[node.key].signoff
    return ()


def _minutes(value: float | None) -> str | None:
    return None if value is None else number_text(value)


def error_id(end_id: str) -> str:
    """The id of the ``bpmn:error`` a failure end throws."""
    return f"Error_{end_id}"


def _flows(process: ET.Element, graph: BpmnGraph) -> None:
    for flow in graph.flows:
        attrs = {"id": flow.id, "sourceRef": flow.source, "targetRef": flow.target}
        if flow.name:
            attrs["name"] = flow.name
        element = _sub(process, BPMN, "sequenceFlow", **attrs)
        _ours(element, outcome=flow.outcome)
        if flow.condition is not None:
            expression = _sub(element, BPMN, "conditionExpression", flow.condition, language=CEL)
            expression.set(_q(XSI, "type"), "bpmn:tFormalExpression")


def _lane_set(
    process: ET.Element, layout: Layout, definition: ProcessDefinition
) -> dict[str | None, str]:
    """The ``laneSet``; returns the lane id of each lane key."""
    lane_set = _sub(process, BPMN, "laneSet", id="LaneSet")
    ids: dict[str | None, str] = {}
    for number, lane in enumerate(layout.lanes, 1):
        if lane.key is None:
            ids[None] = NO_ROLE_LANE
            element = _sub(lane_set, BPMN, "lane", id=NO_ROLE_LANE, name=NO_ROLE_NAME)
        else:
            ids[lane.key] = f"Lane_{number}"
            name = definition.role_name(lane.key)
            element = _sub(lane_set, BPMN, "lane", id=ids[lane.key], name=name)
            _ours(element, role=lane.key)
        for node_id in lane.nodes:
            _sub(element, BPMN, "flowNodeRef", node_id)
    return ids


def _bounds(parent: ET.Element, box: Box) -> None:
    size = {"width": str(box.width), "height": str(box.height)}
    _sub(parent, DC, "Bounds", x=str(box.x), y=str(box.y), **size)


def _label(parent: ET.Element, box: Box | None) -> None:
    if box is not None:
        _bounds(_sub(parent, BPMNDI, "BPMNLabel"), box)


def _diagram(
    root: ET.Element,
    graph: BpmnGraph,
    layout: Layout,
    plane_of: str,
    lane_ids: dict[str | None, str],
) -> ET.Element:
    diagram = _sub(root, BPMNDI, "BPMNDiagram", id="Diagram")
    plane = _sub(diagram, BPMNDI, "BPMNPlane", id="Plane", bpmnElement=plane_of)
    if layout.pool is not None:
        shape = _sub(plane, BPMNDI, "BPMNShape", id="DI_Participant", bpmnElement="Participant")
        shape.set("isHorizontal", "true")
        _bounds(shape, layout.pool)
    for lane in layout.lanes:
        lane_id = lane_ids[lane.key]
        shape = _sub(plane, BPMNDI, "BPMNShape", id=f"DI_{lane_id}", bpmnElement=lane_id)
        shape.set("isHorizontal", "true")
        _bounds(shape, lane.box)
    for node in graph.nodes:
        shape = _sub(plane, BPMNDI, "BPMNShape", id=f"DI_{node.id}", bpmnElement=node.id)
        if node.kind == "exclusive":
            shape.set("isMarkerVisible", "true")
        _bounds(shape, layout.shapes[node.id])
        _label(shape, layout.labels.get(node.id))
    for flow in graph.flows:
        edge = _sub(plane, BPMNDI, "BPMNEdge", id=f"DI_{flow.id}", bpmnElement=flow.id)
        for x, y in layout.waypoints[flow.id]:
            _sub(edge, DI, "waypoint", x=str(x), y=str(y))
        _label(edge, layout.labels.get(flow.id))
    return plane


def definition_to_bpmn(definition: ProcessDefinition) -> str:
    """The process as a BPMN 2.0 XML document with its diagram laid out, ending in a newline.

    With roles, the process sits in a pool (``collaboration`` / ``participant``) with one lane
    per role; steps are ``userTask`` (a calling step a ``callActivity``), decisions
    ``exclusiveGateway``, a parallel block a diverging and a converging ``parallelGateway``,
    triggers ``startEvent``, ends ``endEvent`` (a failure end with an ``errorEventDefinition``),
    non-normal checklists event sub-processes (:mod:`procedo.render.bpmn_interrupts`).
    """
    graph = build_bpmn_graph(definition)
    layout = lay_out(graph, list(definition.roles))
    root = ET.Element(
        _q(BPMN, "definitions"),
        {
            "id": "Definitions",
            "targetNamespace": PROCEDO,
            "exporter": "procedo",
            "exporterVersion": __version__,
        },
    )
    if layout.pool is not None:
        collaboration = _sub(root, BPMN, "collaboration", id="Collaboration")
        _sub(
            collaboration,
            BPMN,
            "participant",
            id="Participant",
            name=definition.title,
            processRef=graph.process_id,
        )
    process = _sub(
        root,
        BPMN,
        "process",
        id=graph.process_id,
        name=definition.title,
        isExecutable="false",
    )
    if definition.process.summary:
        _sub(process, BPMN, "documentation", definition.process.summary)
    _process_extensions(process, definition)
    lane_ids = _lane_set(process, layout, definition) if layout.lanes else {}
    into: dict[str, list[BpmnFlow]] = {n.id: [] for n in graph.nodes}
    out: dict[str, list[BpmnFlow]] = {n.id: [] for n in graph.nodes}
    for flow in graph.flows:
        into[flow.target].append(flow)
        out[flow.source].append(flow)
    for node in graph.nodes:
        _flow_node(process, node, (into[node.id], out[node.id]), definition)
    _flows(process, graph)
    write_interrupts(process, definition)
    for end_id, end in definition.ends.items():
        if not end.success:
            _sub(root, BPMN, "error", id=error_id(end_id), name=end.title, errorCode=end_id)
    plane_of = "Collaboration" if layout.pool is not None else graph.process_id
    plane = _diagram(root, graph, layout, plane_of, lane_ids)
    if definition.interrupts:
        boxes = [layout.pool] if layout.pool is not None else list(layout.shapes.values())
        top = max((box.bottom for box in boxes), default=0) + GAP
        draw_interrupts(plane, definition, top, layout.pool.x if layout.pool else ORIGIN[0])
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
