"""A BPMN process graph made plain before it is mapped: sub-processes inlined, boundary events
made into a decision after their task, several flows out of a task made into a gateway, what
cannot run left out. Each change adds a line to the report.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from procedo.importers.bpmn_xml import GATEWAYS, SUBPROCESSES, BpmnError, Flow, Node, ProcessGraph

PASS = "pass"  # a node that maps to nothing: a flow into it goes on along its one flow out


def describe(node: Node) -> str:
    """``line 12: userTask 'Task_1' ("Review")``: how the report names an element."""
    name = f' ("{node.name}")' if node.name else ""
    return f"line {node.line}: {node.kind} {node.id!r}{name}"


@dataclass
class Plain:
    """A process graph ready to map: nodes, flows out of each, the lane of each node."""

    graph: ProcessGraph
    report: list[str]
    outgoing: dict[str, list[Flow]] = field(default_factory=dict)
    incoming: dict[str, list[Flow]] = field(default_factory=dict)
    starts: list[str] = field(default_factory=list)
    interrupts: list[Node] = field(default_factory=list)
    """The event sub-processes procedo wrote for its non-normal checklists, in file order."""

    def index(self) -> None:
        """Recompute ``outgoing`` and ``incoming`` from the flows."""
        nodes = self.graph.nodes
        self.outgoing = {key: [] for key in nodes}
        self.incoming = {key: [] for key in nodes}
        for flow in self.graph.flows:
            if flow.source not in nodes or flow.target not in nodes:
                raise BpmnError(
                    f"sequence flow {flow.id!r} joins {flow.source!r} to {flow.target!r}, "
                    "which is not a node of its process",
                    flow.line,
                )
            self.outgoing[flow.source].append(flow)
            self.incoming[flow.target].append(flow)


def plain_graph(graph: ProcessGraph) -> Plain:
    """The graph with sub-processes inlined and boundary events, implicit splits and
    unreachable nodes dealt with (the graph is changed in place)."""
    plain = Plain(graph, [])
    lanes = {ref: lane.id for lane in graph.lanes for ref in lane.nodes}
    for key, node in graph.nodes.items():
        node.lane = lanes.get(key)
    _inline(plain, graph)
    plain.index()  # every flow joins two nodes of the process (BpmnError otherwise)
    _drop_compensation(plain)
    plain.index()
    _boundaries(plain)
    plain.index()
    _implicit_splits(plain)
    plain.index()
    _reachable(plain)
    plain.index()
    return plain


def _inline(plain: Plain, graph: ProcessGraph) -> None:
    for node in [n for n in graph.nodes.values() if n.kind in SUBPROCESSES and n.inner]:
        inner = node.inner
        assert inner is not None
        if node.attrs.get("triggeredByEvent") == "true":
            if is_interrupt(node):
                plain.interrupts.append(node)  # procedo's: read back as it was written
            else:
                report = f"{describe(node)}: an event sub-process: not mapped, left out"
                plain.report.append(report)
            del graph.nodes[node.id]
            continue
        _inline(plain, inner)
        for child in inner.nodes.values():
            if child.id in graph.nodes:
                raise BpmnError(f"the id {child.id!r} is used twice", child.line)
            child.lane = child.lane or node.lane
            graph.nodes[child.id] = child
        graph.flows.extend(inner.flows)
        starts = [c for c in inner.nodes.values() if c.kind == "startEvent"]
        if not starts:
            raise BpmnError(f"the sub-process {node.id!r} has no start event", node.line)
        for start in starts:
            start.kind = PASS
        for flow in graph.flows:
            if flow.target == node.id:
                flow.target = starts[0].id
        for end in [c for c in inner.nodes.values() if c.kind == "endEvent"]:
            if end.event in ("errorEventDefinition", "terminateEventDefinition"):
                continue  # it ends the whole run, as a failure
            end.kind = PASS
            graph.flows.append(Flow(f"{end.id}-out", end.id, node.id, "", end.line))
        what = "a transaction: its content" if node.kind == "transaction" else "its content"
        plain.report.append(f"{describe(node)}: an embedded sub-process: {what} inlined")
        node.kind = PASS
        node.synthetic = True
        graph.skipped.extend(inner.skipped)


def is_interrupt(node: Node) -> bool:
    """Whether an event sub-process is one procedo wrote for a non-normal checklist."""
    return "procedo:id" in node.attrs and "procedo:priority" in node.attrs


def interrupt_targets(plain: Plain) -> list[str]:
    """The nodes (by BPMN id) the non-normal checklists may lead to: roots, like the starts."""
    wanted = set()
    for node in plain.interrupts:
        wanted.add(node.attrs.get("procedo:after", ""))
        wanted.update(target for _, target in (node.after or {}).get("options", []))
    return [k for k, n in plain.graph.nodes.items() if n.attrs.get("procedo:id") in wanted]


def _drop_compensation(plain: Plain) -> None:
    nodes = plain.graph.nodes
    for node in list(nodes.values()):
        compensation = node.event == "compensateEventDefinition"
        if node.attrs.get("isForCompensation") == "true" or (
            compensation and node.kind == "boundaryEvent"
        ):
            plain.report.append(f"{describe(node)}: compensation: not mapped, left out")
            del nodes[node.id]
        elif compensation:
            plain.report.append(
                f"{describe(node)}: throws a compensation: procedo does not compensate; "
                "kept as a point the flow passes"
            )
            node.kind, node.event = PASS, ""
    plain.graph.flows = [f for f in plain.graph.flows if f.source in nodes and f.target in nodes]


def _boundaries(plain: Plain) -> None:
    """Each task with boundary events goes on to a decision: done, or what happened."""
    nodes = plain.graph.nodes
    by_task: dict[str, list[Node]] = {}
    for node in list(nodes.values()):
        if node.kind != "boundaryEvent":
            continue
        task = node.attrs.get("attachedToRef", "")
        if task not in nodes or nodes[task].kind == PASS:
            plain.report.append(
                f"{describe(node)}: attached to {task!r}, which is no task of this process "
                "(an embedded sub-process is inlined): not mapped, left out"
            )
            del nodes[node.id]
            continue
        by_task.setdefault(task, []).append(node)
    for task_id, events in by_task.items():
        task = nodes[task_id]
        if task.kind == "callActivity" and all(e.event == "errorEventDefinition" for e in events):
            task.attrs["procedo:failure"] = events[0].id  # the call's failure outcome
            plain.report.append(
                f"{describe(events[0])}: an error on the call activity {task_id!r}: the "
                "step's failure outcome"
            )
            for event in events:
                event.kind = PASS
            continue
        gateway = Node(
            f"{task_id}-outcome",
            "exclusiveGateway",
            f"How did {task.name or task_id} end?",
            task.line,
            lane=task.lane,
            synthetic=True,
        )
        nodes[gateway.id] = gateway
        for flow in plain.outgoing[task_id]:
            flow.source = gateway.id
            flow.name = flow.name or "Done as planned"
        plain.graph.flows.append(Flow(f"{task_id}-done", task_id, gateway.id, "", task.line))
        for event in events:
            label = event.name or (event.event.removesuffix("EventDefinition") or "event")
            if event.timer:
                label += f" (timer {event.timer})"
            for flow in plain.outgoing[event.id]:
                flow.source = gateway.id
                flow.name = label
            if event.attrs.get("cancelActivity") == "false":
                plain.report.append(
                    f"{describe(event)}: a non-interrupting boundary event on {task_id!r}: an "
                    f"option of the decision after it ({label!r}); the task does not go on "
                    "beside it"
                )
            else:
                plain.report.append(
                    f"{describe(event)}: a boundary event on {task_id!r}: an option of the "
                    f"decision after it ({label!r})"
                )
            del nodes[event.id]
    plain.graph.flows = [f for f in plain.graph.flows if f.source in nodes]


def _implicit_splits(plain: Plain) -> None:
    nodes = plain.graph.nodes
    for node in list(nodes.values()):
        flows = plain.outgoing[node.id]
        if node.kind in GATEWAYS or len(flows) < 2:
            continue
        if node.kind == "callActivity" and any(f.outcome for f in flows):
            continue  # procedo's own export: a flow per outcome of the call
        default = node.attrs.get("default")
        conditional = any(f.condition or f.id == default for f in flows)
        kind = "inclusiveGateway" if conditional else "parallelGateway"
        gateway = Node(f"{node.id}-split", kind, "", node.line, lane=node.lane, synthetic=True)
        if default:
            gateway.attrs["default"] = default
        nodes[gateway.id] = gateway
        for flow in flows:
            flow.source = gateway.id
        plain.graph.flows.append(Flow(f"{node.id}-to-split", node.id, gateway.id, "", node.line))
        word = "conditional flows: an inclusive" if conditional else "flows: a parallel"
        plain.report.append(
            f"{describe(node)}: {len(flows)} outgoing {word} split, as BPMN reads it"
        )


def _reachable(plain: Plain) -> None:
    nodes = plain.graph.nodes
    plain.index()
    starts = [key for key, node in nodes.items() if node.kind == "startEvent"]
    if not starts:
        starts = [key for key in nodes if not plain.incoming[key]]
        if starts:
            plain.report.append(
                f"{describe(nodes[starts[0]])}: the process has no start event: it starts at "
                "the nodes no flow leads to"
            )
    plain.starts = starts
    roots = [*starts, *interrupt_targets(plain)]
    seen = set(roots)
    queue = deque(roots)
    while queue:
        key = queue.popleft()
        following = [flow.target for flow in plain.outgoing[key]]
        failure = nodes[key].attrs.get("procedo:failure")
        for target in [*following, *([failure] if failure in nodes else [])]:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    for key in [k for k in nodes if k not in seen]:
        node = nodes[key]
        if not node.synthetic:
            plain.report.append(f"{describe(node)}: no start leads to it: left out")
        del nodes[key]
    plain.graph.flows = [f for f in plain.graph.flows if f.source in nodes and f.target in nodes]
