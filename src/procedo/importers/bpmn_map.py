"""A plain BPMN process graph (:mod:`procedo.importers.bpmn_graph`) as procedo's tables.

Nodes are mapped on demand from the starts, so what no start reaches is never written. A
gateway with one flow out (a merge) and a start of an inlined sub-process are passed
through: a flow into them goes where their flow out goes.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from procedo.importers.bpmn_conditions import convert
from procedo.importers.bpmn_graph import PASS, Plain, describe
from procedo.importers.bpmn_joins import match_joins
from procedo.importers.bpmn_xml import TASKS, BpmnError, Flow, Node
from procedo.importers.markdown_items import slug
from procedo.model import is_valid_id
from procedo.model.conditions import Kind

_FAILED_WORDS = ("fail", "cancel", "abort", "error", "reject")
_LOUD_TASKS = {
    "serviceTask": "a service task",
    "scriptTask": "a script task",
    "sendTask": "a send task",
    "receiveTask": "a receive task",
    "businessRuleTask": "a business rule task",
}


def humane(key: str) -> str:
    """``Task_review_claim`` -> ``Task review claim``: a title from an id."""
    return " ".join(key.replace("_", " ").replace("-", " ").split()) or key


class Mapper:
    """Builds the steps, decisions, parallel blocks, ends, roles and inputs of one process."""

    def __init__(self, plain: Plain, process_ids: dict[str, str]) -> None:
        self.plain = plain
        self.nodes = plain.graph.nodes
        self.out = plain.outgoing
        self.report = plain.report
        self.process_ids = process_ids
        self.ids: dict[str, str] = {}
        self.taken: set[str] = set()
        self.tables: dict[str, dict[str, Any]] = {
            "steps": {}, "decisions": {}, "parallel": {}, "ends": {}
        }  # fmt: skip
        self.inputs: dict[str, dict[str, str]] = {}
        self.queue: deque[str] = deque()
        self.option_lines: dict[tuple[str, int], int] = {}  # (decision, option) -> flow line
        self.join_nodes: dict[str, str] = {}
        self.used_as_join: set[str] = set()
        self.implicit_end: str | None = None
        self.roles: dict[str, dict[str, str]] = {}  # lane id -> {"id", "title"}
        self._roles_from_lanes()
        self.kinds: dict[str, Kind] = {
            item["id"]: item["record"]  # type: ignore[misc]
            for node in [*self.nodes.values()]
            for item in node.items
            if item.get("id") and item.get("record") in ("number", "text", "choice")
        }
        for spec in plain.graph.inputs:
            if spec.get("id"):
                self.kinds[spec["id"]] = spec.get("record", "text")  # type: ignore[assignment]
        self.joins = match_joins(plain, self.classify)

    # -- what each node becomes ---------------------------------------------------------------

    def classify(self, key: str) -> str:
        """step, decision, parallel, end, start, pass (a merge) or dead (no flow out)."""
        node = self.nodes[key]
        flows = self.out[key]
        if node.kind == PASS:
            return PASS if flows else "dead"
        if node.kind in TASKS or node.kind == "callActivity":
            return "step"
        if node.kind in ("intermediateCatchEvent", "intermediateThrowEvent"):
            if node.event or node.kind.endswith("CatchEvent"):
                return "step"
            return PASS if flows else "dead"  # a plain throw event: a milestone, passed
        if node.kind in ("endEvent", "startEvent"):
            return node.kind.removesuffix("Event")
        if len(flows) >= 2:
            if node.kind == "parallelGateway" or (
                node.kind == "inclusiveGateway"
                and all(f.condition for f in flows)
                and not node.attrs.get("default")
            ):
                return "parallel"
            return "decision"
        return PASS if flows else "dead"

    def node_id(self, key: str) -> str:
        """The procedo id of a mapped BPMN node (queued to be written the first time)."""
        if key not in self.ids:
            node = self.nodes[key]
            wanted = node.attrs.get("procedo:id", "")
            if not (is_valid_id(wanted) and wanted not in self.taken):
                wanted = key if is_valid_id(key) else slug(node.name or key, "node")
            self.ids[key] = self.fresh(wanted)
            self.queue.append(key)
        return self.ids[key]

    def fresh(self, wanted: str) -> str:
        """``wanted`` or ``wanted-2``, ``-3``... whichever is not taken yet (then taken)."""
        found, number = wanted, 2
        while found in self.taken:
            found, number = f"{wanted}-{number}", number + 1
        self.taken.add(found)
        return found

    def final(self, key: str) -> str:
        """The node a flow into ``key`` really reaches, through merges (loops refused)."""
        seen: set[str] = set()
        while self.classify(key) == PASS and key not in self.joins:
            if key in seen:
                raise BpmnError(
                    f"the gateways from {key!r} loop without a task between them",
                    self.nodes[key].line,
                )
            seen.add(key)
            key = self.out[key][0].target
        return key

    def resolve(self, key: str, why: str = "") -> str:
        """The procedo id a flow into ``key`` leads to."""
        key = self.final(key)
        if key in self.joins:
            return self.join_node(self.joins[key])
        kind = self.classify(key)
        if kind == "dead":
            return self.end_for_dead(self.nodes[key])
        if kind == "start":
            raise BpmnError("a sequence flow leads into a start event", self.nodes[key].line)
        return self.node_id(key)

    def end_for_dead(self, node: Node) -> str:
        """The end a node with no flow out goes to ("Done", added once)."""
        if self.implicit_end is None:
            self.implicit_end = self.fresh("done")
            self.tables["ends"][self.implicit_end] = {"title": "Done", "outcome": "success"}
        self.report.append(
            f"{describe(node)}: no flow goes on from it: it leads to the end "
            f"{self.implicit_end!r} (success)"
        )
        return self.implicit_end

    def join_node(self, split: str) -> str:
        """The node the parallel block of ``split`` joins at (a step inserted when needed)."""
        if split in self.join_nodes:
            return self.join_nodes[split]
        gateway = self.nodes[self.joins_of(split)]
        flows = self.out[gateway.id]
        if gateway.attrs.get("procedo:closes") and len(flows) == 1:
            self.join_nodes[split] = self.resolve(flows[0].target)  # procedo's export says so
            return self.join_nodes[split]
        after = self.final(flows[0].target) if len(flows) == 1 else gateway.id
        usable = (
            len(flows) == 1
            and after not in self.joins
            and self.classify(after) in ("step", "decision")
            and after not in self.used_as_join
            and self.only_way_in(gateway.id, flows[0].target)
        )
        if usable:
            self.used_as_join.add(after)
            self.join_nodes[split] = self.node_id(after)
            return self.join_nodes[split]
        step_id = self.fresh(slug(f"{gateway.id}-joined", "joined"))
        self.join_nodes[split] = step_id
        title = gateway.name or "All branches done"
        self.tables["steps"][step_id] = {"title": title}
        role = self.role_of(gateway)
        if role:
            self.tables["steps"][step_id]["role"] = role
        self.tables["steps"][step_id]["next"] = (
            self.resolve(flows[0].target) if len(flows) == 1 else self.node_id(gateway.id)
        ) if flows else self.end_for_dead(gateway)  # fmt: skip
        self.tables["steps"][step_id]["items"] = ["Check that every branch is done"]
        self.report.append(
            f"{describe(gateway)}: the join of {split!r}; what follows is no step or decision, "
            f"so a step {step_id!r} is inserted as the join node"
        )
        return step_id

    def only_way_in(self, source: str, key: str) -> bool:
        """True when ``source``'s flow into ``key`` is the only way into it and into every
        node after it up to the one it really reaches (:meth:`final`): a node that another
        flow also enters (a merge with the other way of a choice, a loop back) cannot be a
        join, which no run may reach without passing its split."""
        seen: set[str] = set()
        while key not in seen:
            seen.add(key)
            into = self.plain.incoming.get(key, [])
            if len(into) != 1 or into[0].source != source:
                return False
            if self.classify(key) != PASS or key in self.joins:
                return True
            source, key = key, self.out[key][0].target
        return False

    def joins_of(self, split: str) -> str:
        """The converging gateway matched to ``split``."""
        return next(j for j, s in self.joins.items() if s == split)

    # -- roles --------------------------------------------------------------------------------

    def _roles_from_lanes(self) -> None:
        taken: set[str] = set()
        lanes = self.plain.graph.lanes
        own = any(lane.procedo_role for lane in lanes)  # procedo's export: a lane without is none
        for lane in lanes:
            if (own and not lane.procedo_role) or (
                not lane.nodes and not (lane.procedo_id or lane.procedo_role)
            ):
                continue
            wanted = lane.procedo_role or lane.procedo_id
            wanted = wanted if is_valid_id(wanted) else ""
            wanted = wanted or (lane.id if is_valid_id(lane.id) else "")
            wanted = wanted or slug(lane.name or lane.id, "role")
            role_id, number = wanted, 2
            while role_id in taken:
                role_id, number = f"{wanted}-{number}", number + 1
            taken.add(role_id)
            self.roles[lane.id] = {"id": role_id, "title": lane.name or humane(lane.id)}

    def role_of(self, node: Node) -> str | None:
        """The role id of the node's lane, if it is in one."""
        role = self.roles.get(node.lane or "")
        return role["id"] if role else None

    # -- the tables ---------------------------------------------------------------------------

    def run(self) -> None:
        """Map every node reached from the starts (the queue filled by :meth:`node_id`)."""
        from procedo.importers.bpmn_nodes import write_node

        while self.queue:
            write_node(self, self.queue.popleft())

    def option_label(self, flow: Flow, number: int) -> str:
        """An option's label: the flow's name, else its condition, else where it leads."""
        if flow.name:
            return flow.name
        target = self.nodes[self.final(flow.target)]
        if target.name:
            return target.name
        if flow.condition:
            return flow.condition if len(flow.condition) <= 80 else flow.condition[:77] + "..."
        return f"Option {number}"

    def condition(self, flow: Flow) -> str | None:
        """The flow's condition as a ``when``, or None (then it is kept as text)."""
        if not flow.condition:
            return None
        converted = convert(flow.condition, {**self.kinds})
        if converted is None:
            return None
        for name, kind in converted.new_kinds.items():
            self.kinds[name] = kind
            self.inputs[name] = {"title": humane(name).capitalize(), "record": kind}
            self.report.append(
                f"line {flow.line}: the condition of flow {flow.id!r} reads {name!r}, which no "
                f"item records: asked as a start input ({kind})"
            )
        return converted.source

    def outcome_of(self, node: Node) -> str:
        """An end's outcome: failure for error and terminate ends, or a name that says so."""
        if node.attrs.get("procedo:outcome") in ("success", "failure"):
            return node.attrs["procedo:outcome"]
        if node.event in ("errorEventDefinition", "terminateEventDefinition"):
            return "failure"
        words = node.name.lower()
        return "failure" if any(w in words for w in _FAILED_WORDS) else "success"

    def loud_task(self, node: Node) -> str:
        """How the report names a task kind procedo does not run by itself ("" for others)."""
        return _LOUD_TASKS.get(node.kind, "")
