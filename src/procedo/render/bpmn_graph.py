"""A process as BPMN flow nodes and sequence flows, before the layout and the XML.

Each procedo node becomes one BPMN flow node with an id made from a prefix and the node id
(``Task_1st-step``: a procedo id may start with a digit, an XML NCName may not). A parallel
block becomes two gateways: the split (``Split_ID``) and a converging gateway (``Join_ID``)
that every branch's move into the join node goes through. Triggers become start events, one
each (``Start_TRIGGER``), or one plain start event (``Start``) when there are none.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import Literal

from procedo.model import ProcessDefinition

BpmnKind = Literal["start", "task", "call", "exclusive", "split", "join", "end"]

FLOATING: frozenset[BpmnKind] = frozenset({"start", "split", "join", "end"})
"""Kinds that have no role of their own: the layout puts them in a neighbour's lane."""

_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def ncname(text: str) -> str:
    """``text`` when it is an XML NCName (ValueError otherwise): every id we write is one."""
    if _NCNAME.fullmatch(text) is None:
        raise ValueError(f"{text!r} is not a valid BPMN id")
    return text


def process_bpmn_id(process_id: str) -> str:
    """The BPMN id of a process: its own id when it starts with a letter, else ``Process_ID``.

    A ``callActivity``'s ``calledElement`` is written the same way, so it names the process
    element of the called process's own export.
    """
    if process_id[:1].isascii() and process_id[:1].isalpha():
        return ncname(process_id)
    return ncname(f"Process_{process_id}" if process_id else "Process")


@dataclass(frozen=True, slots=True)
class BpmnNode:
    """One BPMN flow node."""

    id: str
    """The BPMN id (an NCName, unique in the file)."""
    kind: BpmnKind
    name: str
    key: str | None
    """The procedo id it stands for: the node id, the trigger id, for a converging gateway the
    parallel block's id; None for the plain start event."""
    role: str | None = None
    """The role id of a step or decision (its lane); None: no role."""

    @property
    def floating(self) -> bool:
        """True for events and parallel gateways: they sit in a neighbour's lane."""
        return self.kind in FLOATING


@dataclass(frozen=True, slots=True)
class BpmnFlow:
    """One sequence flow."""

    id: str
    source: str
    target: str
    """BPMN ids of the two flow nodes."""
    name: str = ""
    """The option label at a decision, the outcome key after a calling step."""
    condition: str | None = None
    """An option's ``when`` (CEL)."""
    default: bool = False
    """The gateway's or the calling step's default flow."""
    outcome: str | None = None
    """After a calling step: the outcome key (an end id, ``success`` or ``failure``)."""


@dataclass(frozen=True, slots=True)
class BpmnGraph:
    """A process as BPMN flow nodes and sequence flows, in the order they are written."""

    process_id: str
    """The BPMN id of the process element."""
    nodes: tuple[BpmnNode, ...]
    flows: tuple[BpmnFlow, ...]

    def node(self, bpmn_id: str) -> BpmnNode:
        """The node with that BPMN id (KeyError when absent)."""
        for node in self.nodes:
            if node.id == bpmn_id:
                return node
        raise KeyError(bpmn_id)


def node_bpmn_id(definition: ProcessDefinition, node_id: str) -> str:
    """The BPMN id of a procedo node: ``Task_``, ``Gateway_``, ``Split_`` or ``End_`` + its id."""
    kind = definition.kind_of(node_id)
    prefix = {"step": "Task", "decision": "Gateway", "parallel": "Split", "end": "End"}[kind]
    return ncname(f"{prefix}_{node_id}")


def join_bpmn_id(block_id: str) -> str:
    """The BPMN id of the converging gateway of a parallel block."""
    return ncname(f"Join_{block_id}")


def _interiors(definition: ProcessDefinition) -> dict[str, set[str]]:
    """For each parallel block, the nodes its branches reach before its join node."""
    found: dict[str, set[str]] = {}
    for block_id, block in definition.parallel.items():
        seen = {b for b in block.branches if b != block.join}
        queue = deque(seen)
        while queue:
            for following in definition.successors(queue.popleft()):
                if following != block.join and following not in seen:
                    seen.add(following)
                    queue.append(following)
        found[block_id] = seen
    return found


class _Targets:
    """Where a move into a node goes: into a converging gateway when it closes a branch."""

    def __init__(self, definition: ProcessDefinition) -> None:
        self.definition = definition
        self.interiors = _interiors(definition)
        self.by_join: dict[str, list[str]] = {}
        for block_id, block in definition.parallel.items():
            self.by_join.setdefault(block.join, []).append(block_id)

    def of(self, source: str, target: str, *, skip: str | None = None) -> str:
        """The BPMN id a move from ``source`` (a node or block id) to ``target`` goes to."""
        blocks = [
            b
            for b in self.by_join.get(target, ())
            if b != skip and (b == source or source in self.interiors[b])
        ]
        if not blocks:
            return node_bpmn_id(self.definition, target)
        own = [b for b in blocks if b == source]
        inner = own[0] if own else min(blocks, key=lambda b: len(self.interiors[b]))
        return join_bpmn_id(inner)


def build_bpmn_graph(definition: ProcessDefinition) -> BpmnGraph:
    """The BPMN flow nodes and sequence flows of a (valid) definition."""
    nodes: list[BpmnNode] = []
    flows: list[BpmnFlow] = []
    targets = _Targets(definition)

    def flow(
        source: str,
        target: str,
        name: str = "",
        *,
        condition: str | None = None,
        default: bool = False,
        outcome: str | None = None,
    ) -> None:
        flow_id = f"Flow_{len(flows) + 1}"
        flows.append(BpmnFlow(flow_id, source, target, name, condition, default, outcome))

    if definition.triggers:
        for trigger in definition.triggers:
            start_id = ncname(f"Start_{trigger.id}")
            nodes.append(BpmnNode(start_id, "start", trigger.title, trigger.id))
            flow(start_id, node_bpmn_id(definition, definition.start_for(trigger.id)))
    elif definition.start:
        nodes.append(BpmnNode("Start", "start", "", None))
        flow("Start", node_bpmn_id(definition, definition.start))
    for step_id, step in definition.steps.items():
        task_id = node_bpmn_id(definition, step_id)
        kind: BpmnKind = "task" if step.call is None else "call"
        nodes.append(BpmnNode(task_id, kind, step.title, step_id, step.role))
        for key, target in step.outcomes.items():
            flow(task_id, targets.of(step_id, target), name=key, outcome=key)
        if step.next is not None:
            flow(task_id, targets.of(step_id, step.next), default=bool(step.outcomes))
    for decision_id, decision in definition.decisions.items():
        gateway_id = node_bpmn_id(definition, decision_id)
        nodes.append(
            BpmnNode(gateway_id, "exclusive", decision.question, decision_id, decision.role)
        )
        for option in decision.options:
            flow(
                gateway_id,
                targets.of(decision_id, option.next),
                name=option.label,
                condition=option.when,
                default=option.default,
            )
    for block_id, block in definition.parallel.items():
        split_id = node_bpmn_id(definition, block_id)
        nodes.append(BpmnNode(split_id, "split", block.title, block_id))
        for branch in block.branches:
            flow(split_id, targets.of(block_id, branch))
        join_id = join_bpmn_id(block_id)
        nodes.append(BpmnNode(join_id, "join", "", block_id))
        # a block nested in another that closes at the same node goes on into the outer join
        flow(join_id, targets.of(block_id, block.join, skip=block_id))
    for end_id, end in definition.ends.items():
        nodes.append(BpmnNode(node_bpmn_id(definition, end_id), "end", end.title, end_id))
    return BpmnGraph(process_bpmn_id(definition.id), tuple(nodes), tuple(flows))
