"""Helpers for the BPMN export's tests: the fixtures, and the parsed document indexed by id."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from procedo.model import ProcessDefinition, load_file
from procedo.render.bpmn import BPMN, BPMNDI, DC, DI, PROCEDO, XSI, definition_to_bpmn

REPO = Path(__file__).resolve().parent.parent
BUNDLED = sorted((REPO / "processes").glob("*.toml"))
HOSTILE = REPO / "tests" / "fixtures" / "bpmn_export" / "hostile.toml"
"""Hostile texts everywhere, a nested parallel block, a calling step, triggers, inputs, a role
without nodes, a step without a role, node ids starting with a digit."""

NS = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "procedo": PROCEDO, "xsi": XSI}
FLOW_NODES = (
    "startEvent",
    "userTask",
    "callActivity",
    "exclusiveGateway",
    "parallelGateway",
    "endEvent",
)


def q(prefix: str, tag: str) -> str:
    """A Clark name: ``{uri}tag``."""
    return f"{{{NS[prefix]}}}{tag}"


def ours(element: ET.Element, key: str) -> str | None:
    """A ``procedo:`` attribute of a BPMN element."""
    return element.get(q("procedo", key))


@dataclass
class Exported:
    """A definition, its BPMN text and the parsed document."""

    definition: ProcessDefinition
    text: str
    root: ET.Element

    @property
    def process(self) -> ET.Element:
        """The one ``bpmn:process``."""
        (process,) = self.root.findall("bpmn:process", NS)
        return process

    def by_id(self) -> dict[str, ET.Element]:
        """Every BPMN element with an id, by id."""
        return {
            e.get("id", ""): e
            for e in self.root.iter()
            if e.get("id") is not None and not e.tag.startswith(f"{{{PROCEDO}}}")
        }

    def flow_nodes(self) -> list[ET.Element]:
        """The flow nodes of the process, in document order."""
        return [e for e in self.process if e.tag in {q("bpmn", t) for t in FLOW_NODES}]

    def flows(self) -> list[ET.Element]:
        """The sequence flows of the process."""
        return self.process.findall("bpmn:sequenceFlow", NS)

    def node_of(self, procedo_id: str) -> ET.Element:
        """The flow node that stands for the procedo node (or trigger) with that id."""
        (found,) = [e for e in self.flow_nodes() if ours(e, "id") == procedo_id]
        return found

    def outgoing(self, element: ET.Element) -> list[ET.Element]:
        """The flows out of a flow node, in document order."""
        return [f for f in self.flows() if f.get("sourceRef") == element.get("id")]

    def incoming(self, element: ET.Element) -> list[ET.Element]:
        """The flows into a flow node, in document order."""
        return [f for f in self.flows() if f.get("targetRef") == element.get("id")]

    def shape(self, bpmn_id: str) -> ET.Element:
        """The ``BPMNShape`` or ``BPMNEdge`` of an element."""
        (found,) = [e for e in self.root.iter() if e.get("bpmnElement") == bpmn_id]
        return found

    def bounds(self, bpmn_id: str) -> tuple[float, float, float, float]:
        """x, y, width, height of an element's shape."""
        box = self.shape(bpmn_id).find("dc:Bounds", NS)
        assert box is not None
        return tuple(float(box.get(k, "nan")) for k in ("x", "y", "width", "height"))  # type: ignore[return-value]


def export(definition: ProcessDefinition) -> Exported:
    """Export and parse (the standard library's parser: it fails on XML that is not well formed)."""
    text = definition_to_bpmn(definition)
    return Exported(definition, text, ET.fromstring(text))


def load(path: Path) -> ProcessDefinition:
    """A definition file, loaded and checked by procedo's own loader."""
    return load_file(path).definition
