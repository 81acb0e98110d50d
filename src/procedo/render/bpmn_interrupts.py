"""The non-normal checklists in the BPMN export: one event sub-process each.

An ``[interrupts.ID]`` becomes a ``subProcess`` with ``triggeredByEvent="true"``
(``Interrupt_ID``): a signal start event (interrupting when its ``after`` may lead elsewhere,
non-interrupting when it only goes back), one ``userTask`` holding its instructions and
checklist, and an end event. BPMN lets no sequence flow into or out of an event sub-process,
so where it may happen and where it leads are kept as ``procedo:`` attributes on it
(``procedo:during``, the node ids separated by spaces; ``procedo:after``, a node id) or, for a
question, a ``procedo:after`` element with one ``procedo:option`` per option. The shapes are
drawn in a row under the process. ``procedo import`` reads it all back.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from procedo.model import ProcessDefinition
from procedo.model.definition import RETURN, AfterChoice, Interrupt
from procedo.render.bpmn_elements import BPMN, BPMNDI, DC, DI, PROCEDO, item_element, ours
from procedo.render.bpmn_elements import plain as plain_attrs
from procedo.render.bpmn_elements import sub as sub_element
from procedo.render.bpmn_graph import ncname
from procedo.render.bpmn_routes import Box

WIDTH, HEIGHT, GAP = 380, 150, 40
"""An event sub-process's box, and the room between two of them."""


def interrupt_bpmn_id(key: str) -> str:
    """``Interrupt_ID``; its parts add ``.start``, ``.task``, ``.end``, ``.in``, ``.out`` (a dot
    is in no procedo id, so no two ids meet)."""
    return ncname(f"Interrupt_{key}")


def _parts(key: str) -> dict[str, str]:
    base = interrupt_bpmn_id(key)
    return {part: f"{base}.{part}" for part in ("start", "task", "end", "in", "out", "signal")}


def write_interrupts(process: ET.Element, definition: ProcessDefinition) -> None:
    """Append one event sub-process per interrupt to the ``process`` element."""
    for key, interrupt in definition.interrupts.items():
        _write(process, key, interrupt)


def _write(process: ET.Element, key: str, interrupt: Interrupt) -> None:
    ids = _parts(key)
    element = sub_element(
        process,
        BPMN,
        "subProcess",
        id=interrupt_bpmn_id(key),
        name=interrupt.title,
        triggeredByEvent="true",
    )
    after = interrupt.after
    ours(
        element,
        id=key,
        priority=interrupt.priority,
        role=interrupt.role,
        during=" ".join(interrupt.during) or None,
        after=after if isinstance(after, str) and after != RETURN else None,
    )
    if isinstance(after, AfterChoice):
        extensions = sub_element(element, BPMN, "extensionElements")
        question = sub_element(extensions, PROCEDO, "after")
        plain_attrs(question, question=after.question)
        for option in after.options:
            plain_attrs(
                sub_element(question, PROCEDO, "option"), label=option.label, next=option.next
            )
    interrupting = "true" if interrupt.targets() else "false"
    start = sub_element(element, BPMN, "startEvent", id=ids["start"], isInterrupting=interrupting)
    sub_element(start, BPMN, "outgoing", ids["in"])
    sub_element(start, BPMN, "signalEventDefinition", id=ids["signal"])
    task = sub_element(element, BPMN, "userTask", id=ids["task"], name=interrupt.title)
    ours(task, id=key)
    if interrupt.instructions:
        sub_element(task, BPMN, "documentation", interrupt.instructions)
    if interrupt.items:
        extensions = sub_element(task, BPMN, "extensionElements")
        for item in interrupt.items:
            item_element(extensions, item)
    sub_element(task, BPMN, "incoming", ids["in"])
    sub_element(task, BPMN, "outgoing", ids["out"])
    end = sub_element(element, BPMN, "endEvent", id=ids["end"])
    sub_element(end, BPMN, "incoming", ids["out"])
    sub_element(element, BPMN, "sequenceFlow", id=ids["in"], sourceRef=ids["start"],
                targetRef=ids["task"])  # fmt: skip
    sub_element(element, BPMN, "sequenceFlow", id=ids["out"], sourceRef=ids["task"],
                targetRef=ids["end"])  # fmt: skip


def _bounds(parent: ET.Element, box: Box) -> None:
    size = {"width": str(box.width), "height": str(box.height)}
    sub_element(parent, DC, "Bounds", x=str(box.x), y=str(box.y), **size)


def draw_interrupts(plane: ET.Element, definition: ProcessDefinition, top: int, left: int) -> None:
    """The shapes and edges of the event sub-processes, in a row from (``left``, ``top``)."""
    for number, key in enumerate(definition.interrupts):
        ids = _parts(key)
        x, y = left + number * (WIDTH + GAP), top
        boxes = {
            interrupt_bpmn_id(key): Box(x, y, WIDTH, HEIGHT),
            ids["start"]: Box(x + 40, y + 57, 36, 36),
            ids["task"]: Box(x + 140, y + 35, 100, 80),
            ids["end"]: Box(x + 304, y + 57, 36, 36),
        }
        for element_id, box in boxes.items():
            shape = sub_element(plane, BPMNDI, "BPMNShape", id=f"DI_{element_id}",
                                bpmnElement=element_id)  # fmt: skip
            if element_id == interrupt_bpmn_id(key):
                shape.set("isExpanded", "true")
            _bounds(shape, box)
        middle = y + HEIGHT // 2
        for flow, (start, end) in {"in": (x + 76, x + 140), "out": (x + 240, x + 304)}.items():
            edge = sub_element(plane, BPMNDI, "BPMNEdge", id=f"DI_{ids[flow]}",
                               bpmnElement=ids[flow])  # fmt: skip
            for point_x in (start, end):
                sub_element(edge, DI, "waypoint", x=str(point_x), y=str(middle))
