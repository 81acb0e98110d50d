"""BPMN 2.0 XML read into a neutral graph, with the line of every element.

Parsed with defusedxml (imported here only, so the CLI's start-up never pays for it): no
entity is expanded and no external entity or DTD is fetched; a file that declares one is
refused with :class:`BpmnError`. :mod:`procedo.importers.bpmn` maps the graph to a process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
PROCEDO_NS = "https://procedo.dev/bpmn"

TASKS = frozenset(
    {
        "task",
        "userTask",
        "manualTask",
        "serviceTask",
        "scriptTask",
        "sendTask",
        "receiveTask",
        "businessRuleTask",
    }
)
GATEWAYS = frozenset(
    {"exclusiveGateway", "eventBasedGateway", "parallelGateway", "inclusiveGateway",
     "complexGateway"}
)  # fmt: skip
EVENTS = frozenset(
    {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"}
)
SUBPROCESSES = frozenset({"subProcess", "transaction", "adHocSubProcess"})
FLOW_NODES = TASKS | GATEWAYS | EVENTS | SUBPROCESSES | {"callActivity"}
CHOICE_SEPARATOR = "\x1f"  # between the choices of an item read from procedo:choice elements
_TIMER_PARTS = ("timeDuration", "timeDate", "timeCycle")


class BpmnError(ValueError):
    """A file that cannot be imported: malformed, hostile, not BPMN, or not mappable."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


@dataclass
class Node:
    """A flow node: a task, gateway, event, call activity or sub-process."""

    id: str
    kind: str
    name: str
    line: int
    documentation: str = ""
    event: str = ""  # the local name of its first event definition ("" for none)
    timer: str = ""  # a timer's duration, date or cycle as written
    attrs: dict[str, str] = field(default_factory=dict)
    items: list[dict[str, str]] = field(default_factory=list)  # procedo:item attributes
    signoff: list[dict[str, str]] = field(default_factory=list)  # procedo:signoff attributes
    multi: str = ""  # "" | "loop" | "open" | the fixed count of a multi-instance
    inner: ProcessGraph | None = None  # an embedded sub-process's content
    after: dict[str, Any] | None = None  # procedo:after: a non-normal checklist's question
    lane: str | None = None
    synthetic: bool = False


@dataclass
class Flow:
    """A sequence flow (or a message flow between pools)."""

    id: str
    source: str
    target: str
    name: str
    line: int
    condition: str | None = None
    outcome: str = ""  # procedo:outcome: the outcome key of a flow after a calling step


@dataclass
class Lane:
    """A lane: the role of the nodes it holds (nested lanes: the innermost counts)."""

    id: str
    name: str
    line: int
    nodes: list[str]
    procedo_id: str = ""
    procedo_role: str = ""


@dataclass
class ProcessGraph:
    """One ``bpmn:process`` (or the content of a sub-process)."""

    id: str
    name: str
    line: int
    nodes: dict[str, Node] = field(default_factory=dict)
    flows: list[Flow] = field(default_factory=list)
    lanes: list[Lane] = field(default_factory=list)
    procedo_id: str = ""
    skipped: list[tuple[str, str, str, int]] = field(default_factory=list)  # kind, id, name, line
    summary: str = ""
    info: dict[str, str] = field(default_factory=dict)  # procedo:process attributes
    resources: list[str] = field(default_factory=list)
    inputs: list[dict[str, str]] = field(default_factory=list)  # procedo:input attributes


@dataclass
class BpmnDocument:
    """A whole file: its processes, the pools naming them, the message flows between them."""

    processes: list[ProcessGraph]
    pools: dict[str, str]  # process id -> participant name
    message_flows: list[Flow]


class _LineBuilder:
    """An ElementTree target that remembers the line each element starts on."""

    def __init__(self) -> None:
        from xml.etree.ElementTree import TreeBuilder

        self.builder = TreeBuilder()
        self.lines: dict[Element, int] = {}
        self.parser: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        element = self.builder.start(tag, attrs)
        self.lines[element] = self.parser.parser.CurrentLineNumber if self.parser else 0
        return element

    def end(self, tag: str) -> Element:
        return self.builder.end(tag)

    def data(self, text: str) -> None:
        self.builder.data(text)

    def close(self) -> Element:
        return self.builder.close()


def parse_xml(text: str) -> tuple[Element, dict[Element, int]]:
    """The root element and the line of every element; BpmnError on malformed or hostile XML."""
    from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
    from defusedxml.ElementTree import DefusedXMLParser, ParseError

    target = _LineBuilder()
    parser = DefusedXMLParser(
        target=target, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    target.parser = parser

    def line() -> int | None:
        try:
            return int(parser.parser.CurrentLineNumber)
        except Exception:  # the expat parser is gone once it failed
            return None

    try:
        parser.feed(text.lstrip("\ufeff"))
        root = parser.close()
    except EntitiesForbidden as error:
        what = (
            f"an external entity ({error.name!r}, {error.sysid})"
            if error.sysid
            else (f"an entity ({error.name!r})")
        )
        raise BpmnError(
            f"the file declares {what}; BPMN needs none, and procedo expands none and "
            "fetches nothing (no entity expansion, no external entities): refused",
            line(),
        ) from None
    except DTDForbidden:
        raise BpmnError("the file declares a DTD; refused", line()) from None
    except DefusedXmlException as error:
        raise BpmnError(
            f"the file refers to something outside it ({error}); procedo fetches nothing: refused",
            line(),
        ) from None
    except ParseError as error:
        row, column = error.position
        message = str(error).split(":")[0]
        raise BpmnError(f"malformed XML: {message} (column {column + 1})", row) from None
    return root, target.lines


def local(tag: str) -> tuple[str, str]:
    """``(namespace, local name)`` of an ElementTree tag."""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def read_document(text: str) -> BpmnDocument:
    """The processes of a BPMN 2.0 file (BpmnError when it is malformed or not BPMN)."""
    root, lines = parse_xml(text)
    namespace, name = local(root.tag)
    if name != "definitions" or namespace not in (BPMN_NS, ""):
        shown = f"{{{namespace}}}{name}" if namespace else name
        raise BpmnError(
            f"not a BPMN 2.0 file: the root element is <{shown}>, not <bpmn:definitions> "
            f"in the namespace {BPMN_NS}",
            lines.get(root),
        )
    reader = _Reader(lines, namespace)
    processes: list[ProcessGraph] = []
    pools: dict[str, str] = {}
    flows: list[Flow] = []
    for child in root:
        kind = reader.kind(child)
        if kind == "process":
            processes.append(reader.graph(child))
        elif kind == "collaboration":
            for part in child:
                part_kind = reader.kind(part)
                if part_kind == "participant" and part.get("processRef"):
                    pools[part.get("processRef", "")] = part.get("name", "").strip()
                elif part_kind == "messageFlow":
                    flows.append(reader.flow(part))
    return BpmnDocument(processes, pools, flows)


class _Reader:
    def __init__(self, lines: dict[Element, int], namespace: str) -> None:
        self.lines = lines
        self.namespace = namespace

    def kind(self, element: Element) -> str:
        namespace, name = local(element.tag) if isinstance(element.tag, str) else ("?", "")
        return name if namespace == self.namespace else ""

    def line(self, element: Element) -> int:
        return self.lines.get(element, 0)

    def text_of(self, element: Element, kind: str, *, exact: bool = False) -> str:
        parts = ["".join(c.itertext()) for c in element if self.kind(c) == kind]
        if exact:
            return "\n\n".join(parts)
        return "\n\n".join(p.strip() for p in parts if p.strip())

    def flow(self, element: Element) -> Flow:
        condition = None
        for child in element:
            if self.kind(child) == "conditionExpression":
                condition = "".join(child.itertext()).strip() or None
        return Flow(
            element.get("id", ""),
            element.get("sourceRef", ""),
            element.get("targetRef", ""),
            element.get("name", "").strip(),
            self.line(element),
            condition,
            element.get(f"{{{PROCEDO_NS}}}outcome", ""),
        )

    def graph(self, element: Element) -> ProcessGraph:
        graph = ProcessGraph(
            element.get("id", ""),
            element.get("name", "").strip(),
            self.line(element),
            procedo_id=element.get(f"{{{PROCEDO_NS}}}id", ""),
        )
        for child in element:
            kind = self.kind(child)
            if kind == "documentation":
                graph.summary = "".join(child.itertext())
            elif kind == "extensionElements":
                self.process_extensions(child, graph)
            elif kind in FLOW_NODES:
                node = self.node(child, kind)
                if node.id in graph.nodes:
                    raise BpmnError(f"the id {node.id!r} is used twice", node.line)
                graph.nodes[node.id] = node
            elif kind == "sequenceFlow":
                graph.flows.append(self.flow(child))
            elif kind == "laneSet":
                self.lanes(child, graph.lanes)
            elif kind in ("dataObject", "dataObjectReference", "dataStoreReference"):
                graph.skipped.append(
                    (kind, child.get("id", ""), child.get("name", ""), self.line(child))
                )
        return graph

    def process_extensions(self, element: Element, graph: ProcessGraph) -> None:
        """procedo:process, procedo:resource and procedo:input of a process."""
        for child in element:
            namespace, name = local(child.tag) if isinstance(child.tag, str) else ("", "")
            if namespace != PROCEDO_NS:
                continue
            if name == "process":
                graph.info = dict(child.attrib)
                graph.procedo_id = graph.info.get("id", graph.procedo_id)
            elif name == "resource":
                graph.resources.append("".join(child.itertext()))
            elif name == "input":
                graph.inputs.append(self.item(child))

    def lanes(self, lane_set: Element, found: list[Lane]) -> None:
        for lane in lane_set:
            if self.kind(lane) != "lane":
                continue
            refs = ["".join(c.itertext()).strip() for c in lane if self.kind(c) == "flowNodeRef"]
            inner = [c for c in lane if self.kind(c) == "childLaneSet"]
            before = len(found)
            for child_set in inner:
                self.lanes(child_set, found)
            nested = {ref for lane_found in found[before:] for ref in lane_found.nodes}
            found.insert(
                before,
                Lane(
                    lane.get("id", ""),
                    lane.get("name", "").strip(),
                    self.line(lane),
                    [r for r in refs if r not in nested],
                    lane.get(f"{{{PROCEDO_NS}}}id", ""),
                    lane.get(f"{{{PROCEDO_NS}}}role", ""),
                ),
            )

    def item(self, element: Element) -> dict[str, str]:
        """A ``procedo:item``'s attributes; its ``procedo:choice`` children as ``choices``."""
        found = {local(k)[1]: v for k, v in element.attrib.items()}
        choices = ["".join(c.itertext()) for c in element.iter(f"{{{PROCEDO_NS}}}choice")]
        if choices:
            found["choices"] = CHOICE_SEPARATOR.join(choices)
        elif "choices" in found:
            found["choices"] = CHOICE_SEPARATOR.join(found["choices"].split("|"))
        return found

    def node(self, element: Element, kind: str) -> Node:
        exact = f"{{{PROCEDO_NS}}}id" in element.attrib  # written by procedo: kept exactly
        name = element.get("name", "")
        node = Node(
            element.get("id", ""),
            kind,
            name if exact else " ".join(name.split()),
            self.line(element),
            documentation=self.text_of(element, "documentation", exact=exact),
            attrs={local(k)[1] if not k.startswith(f"{{{PROCEDO_NS}}}") else "procedo:"
                   + local(k)[1]: v for k, v in element.attrib.items()},
        )  # fmt: skip
        if not node.id:
            raise BpmnError(f"a <{kind}> has no id", node.line)
        for child in element:
            child_kind = self.kind(child)
            if child_kind.endswith("EventDefinition") and not node.event:
                node.event = child_kind
                for part in child:
                    if self.kind(part) in _TIMER_PARTS:
                        node.timer = "".join(part.itertext()).strip()
                if child.get("errorRef"):
                    node.attrs["errorRef"] = child.get("errorRef", "")
            elif child_kind == "multiInstanceLoopCharacteristics":
                count = self.text_of(child, "loopCardinality")
                node.multi = count if count.isdigit() and count != "0" else "open"
            elif child_kind == "standardLoopCharacteristics":
                node.multi = "loop"
            elif child_kind == "extensionElements":
                node.items = [self.item(item) for item in child.iter(f"{{{PROCEDO_NS}}}item")]
                node.signoff = [
                    {local(k)[1]: v for k, v in sign.attrib.items()}
                    for sign in child.iter(f"{{{PROCEDO_NS}}}signoff")
                ]
                for after in child.iter(f"{{{PROCEDO_NS}}}after"):
                    options = after.iter(f"{{{PROCEDO_NS}}}option")
                    node.after = {
                        "question": after.get("question", ""),
                        "options": [(o.get("label", ""), o.get("next", "")) for o in options],
                    }
        if kind in SUBPROCESSES:
            node.inner = self.graph(element)
        return node
