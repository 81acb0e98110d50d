"""One BPMN process graph mapped, written as TOML, and validated by procedo's own loader."""

from __future__ import annotations

from typing import Any

import tomli_w

from procedo.importers import bpmn_clock as clock
from procedo.importers.bpmn_graph import describe, interrupt_targets, plain_graph
from procedo.importers.bpmn_interrupts import interrupt_tables
from procedo.importers.bpmn_map import Mapper, humane
from procedo.importers.bpmn_xml import BpmnError, ProcessGraph
from procedo.importers.markdown_items import slug
from procedo.model import DefinitionError, is_valid_id, parse_definition
from procedo.model.placeholders import literal_texts


def _starts(mapper: Mapper) -> list[tuple[str, str]]:
    """``(start event key, the procedo node it starts at)`` for every start."""
    found: list[tuple[str, str]] = []
    for key in mapper.plain.starts:
        node = mapper.nodes[key]
        if node.kind != "startEvent":
            found.append((key, mapper.resolve(key)))
            continue
        flows = mapper.out[key]
        if not flows:
            mapper.report.append(f"{describe(node)}: a start event with no flow out: left out")
            continue
        found.append((key, mapper.resolve(flows[0].target)))
    if not found:
        raise BpmnError(
            "the process has no start event that leads anywhere", mapper.plain.graph.line
        )
    return found


def _triggers(mapper: Mapper, starts: list[tuple[str, str]]) -> list[dict[str, str]]:
    events = [(mapper.nodes[k], target) for k, target in starts]
    events = [(n, t) for n, t in events if n.kind == "startEvent"]
    if len(events) == 1 and not events[0][0].name and not events[0][0].event:
        return []
    triggers: list[dict[str, str]] = []
    taken: set[str] = set()
    for node, target in events:
        wanted = node.attrs.get("procedo:id", "")
        if not is_valid_id(wanted):
            wanted = node.id if is_valid_id(node.id) else slug(node.name or node.id, "trigger")
        trigger_id, number = wanted, 2
        while trigger_id in taken:
            trigger_id, number = f"{wanted}-{number}", number + 1
        taken.add(trigger_id)
        kind = node.event.removesuffix("EventDefinition")
        title = node.name or (f"{kind.capitalize()} {node.timer}".strip() if kind else "Start")
        trigger = {"id": trigger_id, "title": title}
        own = node.attrs.get("procedo:start")
        if own and "procedo:id" in node.attrs:
            trigger["start"] = own
        elif target != starts[0][1] and "procedo:id" not in node.attrs:
            trigger["start"] = target
        triggers.append(trigger)
        if kind:
            mapper.report.append(
                f"{describe(node)}: a {kind} start: the trigger {trigger_id!r}, started by hand"
            )
    return triggers


def _input(spec: dict[str, str]) -> dict[str, Any]:
    """A ``procedo:input``'s attributes as an ``[inputs.ID]`` table."""
    from procedo.importers.bpmn_xml import CHOICE_SEPARATOR

    found: dict[str, Any] = {"title": spec.get("title") or spec["id"]}
    for key in ("record", "unit", "details"):
        if spec.get(key):
            found[key] = spec[key]
    for key in ("min", "max"):
        if spec.get(key):
            value = float(spec[key])
            found[key] = int(value) if value.is_integer() and abs(value) < 2**53 else value
    if spec.get("choices"):
        found["choices"] = spec["choices"].split(CHOICE_SEPARATOR)
    return found


def write_process(
    graph: ProcessGraph, process_id: str, pool: str, process_ids: dict[str, str]
) -> tuple[str, list[str]]:
    """The TOML text of one process and its report (BpmnError when it would not load)."""
    from procedo.importers.bpmn import definition_data

    plain = plain_graph(graph)
    mapper = Mapper(plain, process_ids)
    starts = _starts(mapper)
    for key in interrupt_targets(plain):  # reached from a non-normal checklist
        mapper.resolve(key)
    mapper.run()
    _in_file_order(mapper)
    triggers = _triggers(mapper, starts)
    info: dict[str, Any] = {
        "id": process_id,
        "title": graph.name or pool or humane(graph.id).capitalize(),
    }
    own = graph.info
    for key in ("version", "owner"):
        if own.get(key):
            info[key] = own[key]
    summary = graph.summary if own else graph.summary.strip()
    if summary:
        info["summary"] = summary
    if own.get("start") in mapper.taken:
        info["start"] = own["start"]
    elif not own or starts[0][1] != _first_node(mapper):
        info["start"] = starts[0][1]  # a file procedo wrote without one starts at its first
    if own.get("target_minutes"):
        try:
            minutes = float(own["target_minutes"])
            info["target_minutes"] = int(minutes) if minutes.is_integer() else minutes
        except ValueError:
            mapper.report.append(f"line {graph.line}: target_minutes is no number: left out")
    if graph.resources:
        info["resources"] = graph.resources
    info.update(clock.remind(own, "", f"line {graph.line}", mapper.report))
    for spec in graph.inputs:
        mapper.inputs[spec["id"]] = _input(spec)
    roles = {role["id"]: role["title"] for role in mapper.roles.values()}
    mapper.tables["interrupts"] = interrupt_tables(mapper)
    data = definition_data(
        info, mapper.tables, {"roles": roles, "inputs": mapper.inputs, "triggers": triggers}
    )
    known = set(mapper.inputs) | set(mapper.kinds)
    inner = [n for i in plain.interrupts if i.inner for n in i.inner.nodes.values()]
    known |= {item["id"] for node in inner for item in node.items if item.get("id")}
    data = literal_texts(data, frozenset(known))
    source = f"<bpmn process {graph.id}>"
    for attempt in range(2):
        toml = _toml(graph, data)
        try:
            parse_definition(toml, source=source, default_id=process_id)
        except DefinitionError as error:
            dropped = not attempt and _drop_failing_whens(data, error, mapper)
            if dropped:
                continue
            problems = "\n".join(f"  {p.key or 'process'}: {p.message}" for p in error.problems)
            raise BpmnError(
                f"the process {graph.id!r} would not be a valid procedo process:\n{problems}",
                graph.line,
            ) from None
        break
    return toml, plain.report


def _in_file_order(mapper: Mapper) -> None:
    """Each table in the order its elements come in the file (a node the import made up, such
    as a step after a join, keeps its place after the one before it): the author's order,
    and for a file procedo wrote, the order of the definition it came from."""
    line_of = {node_id: mapper.nodes[key].line or 0 for key, node_id in mapper.ids.items()}
    for name, table in mapper.tables.items():
        last = 0
        keyed = []
        for position, (node_id, data) in enumerate(table.items()):
            last = line_of.get(node_id, last)
            keyed.append(((last, position), node_id, data))
        mapper.tables[name] = {node_id: data for _, node_id, data in sorted(keyed)}


def _first_node(mapper: Mapper) -> str | None:
    """The node a definition without ``start`` starts at: its first step, else decision."""
    for name in ("steps", "decisions"):
        if mapper.tables[name]:
            return next(iter(mapper.tables[name]))
    return None


def _toml(graph: ProcessGraph, data: dict[str, Any]) -> str:
    multiline = "\\r" not in repr(data)
    head = f"# Imported from BPMN (process {graph.id!r}) by procedo import.\n"
    return head + tomli_w.dumps(data, multiline_strings=multiline)


def _drop_failing_whens(data: dict[str, Any], error: DefinitionError, mapper: Mapper) -> bool:
    """Move the options' conditions the loader refused into their decision's details."""
    dropped = False
    for problem in error.problems:
        parts = problem.key.split(".")
        if len(parts) != 5 or parts[0] != "decisions" or parts[4] != "when":
            continue
        decision = data.get("decisions", {}).get(parts[1])
        if decision is None or not parts[3].isdigit():
            continue
        option = decision["options"][int(parts[3])]
        when = option.pop("when", None)
        if when is None:
            continue
        dropped = True
        details = decision.get("details", "") or "Conditions in the BPMN:"
        decision["details"] = f"{details}\n{option['label']}: {when}"
        line = mapper.option_lines.get((parts[1], int(parts[3])), 0)
        mapper.report.append(
            f"line {line}: the condition {when!r} of the option {option['label']!r} of "
            f"{parts[1]!r} cannot be judged there ({problem.message}): kept in the decision's "
            "details"
        )
    return dropped
