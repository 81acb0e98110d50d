"""One BPMN node written as a procedo step, decision, parallel block or end."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procedo.importers import bpmn_clock as clock
from procedo.importers.bpmn_graph import describe
from procedo.importers.bpmn_xml import CHOICE_SEPARATOR, BpmnError, Node
from procedo.importers.markdown_items import slug

if TYPE_CHECKING:
    from procedo.importers.bpmn_map import Mapper

_ITEM_FLAGS = ("critical",)
_ITEM_TEXTS = ("id", "record", "unit", "details", "expect", "when", "defer_to")


def write_node(mapper: Mapper, key: str) -> None:
    """Write the table entry of the mapped node ``key`` into ``mapper.tables``."""
    node = mapper.nodes[key]
    kind = mapper.classify(key)
    node_id = mapper.ids[key]
    if kind == "end":
        mapper.tables["ends"][node_id] = {
            "title": node.name or "End",
            "outcome": mapper.outcome_of(node),
        }
        if node.event and node.event not in ("errorEventDefinition", "terminateEventDefinition"):
            mapper.report.append(
                f"{describe(node)}: an end with a {node.event.removesuffix('EventDefinition')} "
                "definition: a plain end (procedo sends nothing)"
            )
    elif kind == "decision":
        _decision(mapper, node, node_id)
    elif kind == "parallel":
        _parallel(mapper, node, node_id)
    else:
        _step(mapper, node, node_id)


def _next_of(mapper: Mapper, node: Node) -> str:
    flows = mapper.out[node.id]
    return mapper.resolve(flows[0].target) if flows else mapper.end_for_dead(node)


def items_of(mapper: Mapper, node: Node, title: str) -> list[Any]:
    """A node's checklist from its ``procedo:item`` elements (or made up, and reported)."""
    items: list[Any] = []
    for attrs in node.items:
        text = attrs.get("text", "").strip()
        if not text:
            mapper.report.append(f"{describe(node)}: a procedo:item without text: left out")
            continue
        item: dict[str, Any] = {"text": text}
        for name in _ITEM_TEXTS:
            if attrs.get(name):
                item[name] = attrs[name]
        if attrs.get("role"):
            item["role"] = _role(mapper, attrs["role"])
        for name in _ITEM_FLAGS:
            if attrs.get(name, "").lower() in ("true", "1", "yes"):
                item[name] = True
        for name in ("min", "max"):
            if attrs.get(name):
                try:
                    value = float(attrs[name])
                except ValueError:
                    mapper.report.append(f"{describe(node)}: {name}={attrs[name]!r} is no number")
                    continue
                item[name] = int(value) if value.is_integer() and abs(value) < 2**53 else value
        if attrs.get("choices"):
            item["choices"] = attrs["choices"].split(CHOICE_SEPARATOR)
        wait = clock.minutes(attrs.get("wait_minutes"), f"{describe(node)}: wait_minutes",
                             mapper.report)  # fmt: skip
        if wait is not None:
            item["wait_minutes"] = wait
        if attrs.get("override_role"):
            item["override"] = {"role": _role(mapper, attrs["override_role"])}
        items.append(item["text"] if len(item) == 1 else item)
    if items or "procedo:id" in node.attrs:
        return items  # a task procedo wrote with no procedo:item has an empty checklist
    if node.multi.isdigit() and int(node.multi) > 1:
        count = int(node.multi)
        mapper.report.append(
            f"{describe(node)}: multi-instance, {count} times: {count} items naming the task"
        )
        return [f"{title} ({n} of {count})" for n in range(1, count + 1)]
    what = mapper.loud_task(node)
    done = f"{what}, done by the operator; " if what else ""
    mapper.report.append(
        f"{describe(node)}: {done}no checklist in the BPMN: one item naming the task (imported)"
    )
    return [title]


def _role(mapper: Mapper, written: str) -> str:
    """The role id a ``procedo:`` attribute names: a lane's role id, or a lane's name."""
    if written in {r["id"] for r in mapper.roles.values()}:
        return written
    return {r["title"]: r["id"] for r in mapper.roles.values()}.get(written, written)


def signoff_of(mapper: Mapper, node: Node) -> dict[str, Any]:
    """A step's or a decision's ``signoff`` from its ``procedo:signoff`` elements (a sign-off
    without a role or a meaning is left out, and reported)."""
    found: list[dict[str, Any]] = []
    for attrs in node.signoff:
        role, meaning = attrs.get("role", ""), attrs.get("meaning", "")
        if not role or not meaning.strip():
            mapper.report.append(
                f"{describe(node)}: a procedo:signoff without a role or a meaning: left out"
            )
            continue
        sign: dict[str, Any] = {"role": _role(mapper, role), "meaning": meaning}
        if attrs.get("distinct", "").lower() in ("true", "1", "yes"):
            sign["distinct"] = True
        found.append(sign)
    return {"signoff": found} if found else {}


def _step(mapper: Mapper, node: Node, node_id: str) -> None:
    step: dict[str, Any] = {}
    title = node.name or humane_title(node)
    step["title"] = title
    role = mapper.role_of(node)
    if role:
        step["role"] = role
    if node.documentation:
        step["instructions"] = node.documentation
    keyed = [f for f in mapper.out[node.id] if f.outcome]
    plain_flows = [f for f in mapper.out[node.id] if not f.outcome]
    if keyed and not plain_flows:
        next_id = ""
    elif keyed:
        next_id = mapper.resolve(plain_flows[0].target)
    else:
        next_id = _next_of(mapper, node)
    if node.multi == "loop":
        again = mapper.fresh(slug(f"{node_id}-again", "again"))
        mapper.tables["decisions"][again] = {
            "question": f"Do {title!r} again?",
            **({"role": role} if role else {}),
            "options": [{"label": "Again", "next": node_id}, {"label": "Done", "next": next_id}],
        }
        mapper.report.append(f"{describe(node)}: a loop: a decision {again!r} after it")
        next_id = again
    elif node.multi == "open":
        mapper.report.append(
            f"{describe(node)}: multi-instance without a fixed count: done once (repeat it "
            "by hand as often as needed)"
        )
    if node.kind == "callActivity":
        called = node.attrs.get("calledElement", "")
        if not called and not node.attrs.get("procedo:call"):
            raise BpmnError(f"the call activity {node.id!r} names no calledElement", node.line)
        step["call"] = (
            node.attrs.get("procedo:call")
            or mapper.process_ids.get(called)
            or slug(called, "process")
        )
        if next_id:
            step["next"] = next_id
        failure = node.attrs.get("procedo:failure")
        if keyed:
            step["outcomes"] = {f.outcome: mapper.resolve(f.target) for f in keyed}
        elif failure in mapper.nodes:
            step["outcomes"] = {"success": next_id, "failure": mapper.resolve(failure)}
        mapper.report.append(
            f"{describe(node)}: calls the process {step['call']!r}"
            + (" (its error boundary event: the failure outcome)" if failure else "")
        )
        if node.items:
            step["items"] = items_of(mapper, node, title)
        if step.get("next") is None and "outcomes" not in step:
            step["next"] = mapper.end_for_dead(node)
    elif node.kind.startswith("intermediate"):
        step["next"] = next_id
        step["items"] = [_event_item(mapper, node, title)]
    else:
        step["next"] = next_id
        step["items"] = items_of(mapper, node, title)
    step.update(clock.step_keys(node.attrs, describe(node), mapper.report))
    step.update(signoff_of(mapper, node))
    mapper.tables["steps"][node_id] = step


def humane_title(node: Node) -> str:
    """A title for an unnamed node: its id in words, or a wait for a timer."""
    if node.event == "timerEventDefinition":
        return "Wait"
    return " ".join(node.id.replace("_", " ").replace("-", " ").split()) or node.kind


def _event_item(mapper: Mapper, node: Node, title: str) -> str:
    kind = node.event.removesuffix("EventDefinition")
    if node.event == "timerEventDefinition":
        mapper.report.append(
            f"{describe(node)}: a timer: a step with one item (waits are a later issue)"
        )
        return f"Wait {node.timer} (timer)" if node.timer else "Wait (timer)"
    if node.kind == "intermediateCatchEvent":
        mapper.report.append(f"{describe(node)}: a {kind or 'catch'} event: a step to wait for it")
        return f"Wait for {title} ({kind or 'event'})"
    mapper.report.append(f"{describe(node)}: a {kind} throw event: a step to do it by hand")
    return f"{title} ({kind} sent)"


def _decision(mapper: Mapper, node: Node, node_id: str) -> None:
    decision: dict[str, Any] = {"question": node.name or "Which way?"}
    role = mapper.role_of(node)
    if role:
        decision["role"] = role
    options: list[dict[str, Any]] = []
    kept: list[str] = []
    labels: set[str] = set()
    default = node.attrs.get("default")
    event_based = node.kind == "eventBasedGateway"
    for number, flow in enumerate(mapper.out[node.id], start=1):
        label = mapper.option_label(flow, number)
        target = flow.target
        if event_based:
            event = mapper.nodes[mapper.final(target)]
            if event.kind == "intermediateCatchEvent":
                if not flow.name:
                    label = event.name or humane_title(event)
                    if event.timer:
                        label += f" (timer {event.timer})"
                flows = mapper.out[event.id]
                option_next = (
                    mapper.resolve(flows[0].target) if flows else mapper.end_for_dead(event)
                )
            else:
                option_next = mapper.resolve(target)
        else:
            option_next = mapper.resolve(target)
        base, count = label, 2
        while label.casefold() in labels:
            label, count = f"{base} ({count})", count + 1
        labels.add(label.casefold())
        option: dict[str, Any] = {"label": label, "next": option_next}
        mapper.option_lines[(node_id, len(options))] = flow.line
        when = mapper.condition(flow)
        if when is not None:
            option["when"] = when
        elif flow.condition:
            kept.append(f"{label}: {flow.condition}")
            mapper.report.append(
                f"line {flow.line}: the condition of flow {flow.id!r} ({flow.condition!r}) "
                "is not one procedo's conditions can say: kept in the decision's details"
            )
        if default and flow.id == default:
            option["default"] = True
        options.append(option)
    details = [node.documentation] if node.documentation else []
    if kept:
        details.append("Conditions in the BPMN:\n" + "\n".join(kept))
    if details:
        decision["details"] = "\n\n".join(details)
    if node.kind == "eventBasedGateway":
        mapper.report.append(
            f"{describe(node)}: an event-based gateway: a decision (the operator says which "
            "event came first)"
        )
    elif node.kind == "inclusiveGateway":
        mapper.report.append(
            f"{describe(node)}: an inclusive gateway: a decision where one option is chosen "
            "(not every flow has a condition)"
        )
    elif node.kind == "complexGateway":
        mapper.report.append(f"{describe(node)}: a complex gateway: a decision")
    if not node.name and not node.synthetic:
        mapper.report.append(f"{describe(node)}: no name: the question is {decision['question']!r}")
    decision["options"] = options
    if node.attrs.get("procedo:auto") == "true":
        decision["auto"] = True
    decision.update(clock.timeout(node.attrs, describe(node), mapper.report))
    decision.update(signoff_of(mapper, node))
    mapper.tables["decisions"][node_id] = decision


def _parallel(mapper: Mapper, node: Node, node_id: str) -> None:
    block: dict[str, Any] = {"title": node.name or "At the same time"}
    block["branches"] = [mapper.resolve(flow.target) for flow in mapper.out[node.id]]
    block["join"] = mapper.join_node(node.id)
    details = [node.documentation] if node.documentation else []
    if node.kind == "inclusiveGateway":
        details.append("In the BPMN each branch runs only when its condition holds:\n" + (
            "\n".join(f"{mapper.option_label(f, n)}: {f.condition}"
                      for n, f in enumerate(mapper.out[node.id], start=1))
        ))  # fmt: skip
    if details:
        block["details"] = "\n\n".join(details)
    mapper.tables["parallel"][node_id] = block
