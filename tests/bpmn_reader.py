"""A reference reader of procedo's own BPMN export, for the tests only.

It reads back exactly what docs/diagrams.md ("BPMN") says the export writes, and nothing a
general BPMN file may hold: the proof that the format keeps the whole process, and a worked
example for the importer (``procedo.importers.bpmn``), which reads any BPMN.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import tomli_w

from procedo.render.bpmn import BPMN, PROCEDO

NS = {"bpmn": BPMN, "procedo": PROCEDO}
RECORD_KEYS = ("record", "unit")
NUMBER_KEYS = ("min", "max")


def _ours(element: ET.Element, key: str) -> str | None:
    return element.get(f"{{{PROCEDO}}}{key}")


def _local(element: ET.Element) -> str:
    return element.tag.split("}")[1]


def _spec(element: ET.Element) -> dict[str, Any]:
    """The record keys of a ``procedo:item`` or ``procedo:input``."""
    found: dict[str, Any] = {k: element.get(k) for k in RECORD_KEYS if element.get(k)}
    for key in NUMBER_KEYS:
        if element.get(key) is not None:
            found[key] = float(element.get(key, ""))
    choices = [c.text or "" for c in element.findall("procedo:choice", NS)]
    if choices:
        found["choices"] = choices
    return found


def _item(element: ET.Element) -> dict[str, Any]:
    item: dict[str, Any] = {"text": element.get("text")}
    for key in ("id", "role", "details", "expect", "when", "defer_to"):
        if element.get(key) is not None:
            item[key] = element.get(key)
    if element.get("wait_minutes") is not None:
        item["wait_minutes"] = float(element.get("wait_minutes", ""))
    if element.get("critical") == "true":
        item["critical"] = True
    if element.get("override_role") is not None:
        item["override"] = {"role": element.get("override_role")}
    return item | _spec(element)


def _signoff(element: ET.Element) -> dict[str, Any]:
    """A step's or a decision's ``signoff`` from its ``procedo:signoff`` elements."""
    signs = element.findall("bpmn:extensionElements/procedo:signoff", NS)
    found = [
        {"role": s.get("role"), "meaning": s.get("meaning")}
        | ({"distinct": True} if s.get("distinct") == "true" else {})
        for s in signs
    ]
    return {"signoff": found} if found else {}


def _remind(minutes: str | None, text: str | None) -> dict[str, Any]:
    if minutes is None:
        return {}
    return {"remind": {"every_minutes": float(minutes), "text": text}}


def _interrupt(element: ET.Element) -> dict[str, Any]:
    """A non-normal checklist from its event sub-process (the checklist on its one task)."""
    found: dict[str, Any] = {"title": element.get("name"), "priority": _ours(element, "priority")}
    if _ours(element, "role") is not None:
        found["role"] = _ours(element, "role")
    task = element.find("bpmn:userTask", NS)
    assert task is not None
    doc = task.findtext("bpmn:documentation", namespaces=NS)
    if doc:
        found["instructions"] = doc
    found["items"] = [_item(i) for i in task.findall("bpmn:extensionElements/procedo:item", NS)]
    question = element.find("bpmn:extensionElements/procedo:after", NS)
    if question is not None:
        options = question.findall("procedo:option", NS)
        found["after"] = {
            "question": question.get("question"),
            "options": [{"label": o.get("label"), "next": o.get("next")} for o in options],
        }
    elif _ours(element, "after") is not None:
        found["after"] = _ours(element, "after")
    found["during"] = (_ours(element, "during") or "").split()
    return found


def read_export(text: str) -> dict[str, Any]:
    """The definition (as a TOML table) that an export of procedo holds."""
    root = ET.fromstring(text)
    (process,) = root.findall("bpmn:process", NS)
    elements = {e.get("id"): e for e in process}
    out: dict[str, list[ET.Element]] = {}
    for flow in process.findall("bpmn:sequenceFlow", NS):
        out.setdefault(flow.get("sourceRef", ""), []).append(flow)

    def node_id(bpmn_id: str) -> str:
        """The procedo node a flow leads to: through a converging gateway to its join node."""
        element = elements[bpmn_id]
        if _ours(element, "closes") is not None:
            (onward,) = out[bpmn_id]
            return node_id(onward.get("targetRef", ""))
        return _ours(element, "id") or ""

    head = process.find("bpmn:extensionElements/procedo:process", NS)
    assert head is not None
    info: dict[str, Any] = {"id": head.get("id"), "title": process.get("name")}
    info |= {k: head.get(k) for k in ("version", "owner", "start") if head.get(k) is not None}
    summary = process.findtext("bpmn:documentation", namespaces=NS)
    if summary:
        info["summary"] = summary
    if head.get("target_minutes") is not None:
        info["target_minutes"] = float(head.get("target_minutes", ""))
    info |= _remind(head.get("remind_minutes"), head.get("remind_text"))
    extensions = process.find("bpmn:extensionElements", NS)
    assert extensions is not None
    resources = [r.text or "" for r in extensions.findall("procedo:resource", NS)]
    if resources:
        info["resources"] = resources
    table: dict[str, Any] = {"process": info, "roles": {}, "triggers": []}
    table["inputs"] = {
        e.get("id"): {"title": e.get("title")}
        | ({"details": e.get("details")} if e.get("details") else {})
        | _spec(e)
        for e in extensions.findall("procedo:input", NS)
    }
    role_of: dict[str, str] = {}
    for lane in process.findall("bpmn:laneSet/bpmn:lane", NS):
        role = _ours(lane, "role")
        if role is not None:
            table["roles"][role] = lane.get("name")
            role_of |= {ref.text or "": role for ref in lane.findall("bpmn:flowNodeRef", NS)}
    steps, decisions, parallel, ends, interrupts = {}, {}, {}, {}, {}
    for element in process:
        kind, key, bpmn_id = _local(element), _ours(element, "id"), element.get("id", "")
        doc = element.findtext("bpmn:documentation", namespaces=NS)
        role = {"role": role_of[bpmn_id]} if bpmn_id in role_of else {}
        if kind == "startEvent" and key is not None:
            trigger = {"id": key, "title": element.get("name")}
            if _ours(element, "start") is not None:
                trigger["start"] = _ours(element, "start")
            table["triggers"].append(trigger)
        elif kind in ("userTask", "callActivity"):
            step: dict[str, Any] = {"title": element.get("name")} | role
            if doc:
                step["instructions"] = doc
            items = element.findall("bpmn:extensionElements/procedo:item", NS)
            step["items"] = [_item(i) for i in items]
            if _ours(element, "call") is not None:
                step["call"] = _ours(element, "call")
            if _ours(element, "target_minutes") is not None:
                step["target_minutes"] = float(_ours(element, "target_minutes") or "")
            step |= _remind(_ours(element, "remind_minutes"), _ours(element, "remind_text"))
            step |= _signoff(element)
            for flow in out.get(bpmn_id, []):
                target = node_id(flow.get("targetRef", ""))
                if _ours(flow, "outcome") is not None:
                    step.setdefault("outcomes", {})[_ours(flow, "outcome")] = target
                else:
                    step["next"] = target
            steps[key] = step
        elif kind == "exclusiveGateway":
            decision: dict[str, Any] = {"question": element.get("name")} | role
            if doc:
                decision["details"] = doc
            if _ours(element, "auto") == "true":
                decision["auto"] = True
            if _ours(element, "timeout_minutes") is not None:
                decision["timeout"] = {
                    "after_minutes": float(_ours(element, "timeout_minutes") or ""),
                    "suggest": _ours(element, "timeout_suggest"),
                }
            decision |= _signoff(element)
            decision["options"] = []
            for flow in out.get(bpmn_id, []):
                option = {"label": flow.get("name"), "next": node_id(flow.get("targetRef", ""))}
                condition = flow.find("bpmn:conditionExpression", NS)
                if condition is not None:
                    option["when"] = condition.text
                if element.get("default") == flow.get("id"):
                    option["default"] = True
                decision["options"].append(option)
            decisions[key] = decision
        elif kind == "parallelGateway" and key is not None:
            block: dict[str, Any] = {"title": element.get("name")}
            if doc:
                block["details"] = doc
            block["branches"] = [node_id(f.get("targetRef", "")) for f in out[bpmn_id]]
            block["join"] = node_id(f"Join_{key}")
            parallel[key] = block
        elif kind == "endEvent":
            ends[key] = {"title": element.get("name"), "outcome": _ours(element, "outcome")}
        elif kind == "subProcess" and _ours(element, "priority") is not None:
            interrupts[key] = _interrupt(element)
    table |= {"steps": steps, "decisions": decisions, "parallel": parallel, "ends": ends}
    table["interrupts"] = interrupts
    return {k: v for k, v in table.items() if v}


def export_to_toml(text: str) -> str:
    """:func:`read_export` written as TOML."""
    return tomli_w.dumps(read_export(text))
