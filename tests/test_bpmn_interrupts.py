"""The BPMN export writes each non-normal checklist as an event sub-process, and the import
reads it back: the same interrupts, the same deferrable items, the same file again."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import procedo.importers.bpmn as bpmn_import
from bpmn_support import NS, export, ours, q
from interrupt_map_defs import HOSTILE, hostile_lockout, lockout
from procedo.model import ProcessDefinition, parse_definition
from procedo.render.bpmn import definition_to_bpmn


def round_trip(original: ProcessDefinition) -> tuple[ProcessDefinition, tuple[str, ...]]:
    (imported,) = bpmn_import.import_bpmn(definition_to_bpmn(original))
    again = parse_definition(imported.toml, source="again.toml", default_id=original.id)
    return again, imported.report


def test_each_interrupt_is_an_event_sub_process_with_its_checklist() -> None:
    exported = export(lockout())
    subs = exported.process.findall("bpmn:subProcess", NS)
    assert [s.get("id") for s in subs] == [
        "Interrupt_leak",
        "Interrupt_fire-alarm",
        "Interrupt_paged",
    ]
    leak, fire, paged = subs
    assert all(s.get("triggeredByEvent") == "true" for s in subs)
    assert (leak.get("name"), ours(leak, "priority"), ours(leak, "during")) == (
        "Hydraulic leak",
        "caution",
        "release works",
    )
    assert ours(leak, "after") is None
    options = leak.findall("bpmn:extensionElements/procedo:after/procedo:option", NS)
    assert [(o.get("label"), o.get("next")) for o in options] == [
        ("Resume", "return"),
        ("Abandon", "abandoned"),
    ]
    assert (ours(fire, "after"), ours(fire, "role"), ours(fire, "during")) == (
        "abandoned",
        "operator",
        None,
    )
    assert ours(paged, "after") is None  # "return", the default
    start = leak.find("bpmn:startEvent", NS)
    assert start is not None and start.find("bpmn:signalEventDefinition", NS) is not None
    assert start.get("isInterrupting") == "true"  # it may lead elsewhere
    paged_start = paged.find("bpmn:startEvent", NS)
    assert paged_start is not None and paged_start.get("isInterrupting") == "false"
    task = leak.find("bpmn:userTask", NS)
    assert task is not None
    assert task.findtext("bpmn:documentation", namespaces=NS) == "Keep clear of the spray."
    items = task.findall("bpmn:extensionElements/procedo:item", NS)
    assert [i.get("text") for i in items] == ["Put down absorbent", "Litres spilt"]
    flows = leak.findall("bpmn:sequenceFlow", NS)
    assert [(f.get("sourceRef"), f.get("targetRef")) for f in flows] == [
        ("Interrupt_leak.start", "Interrupt_leak.task"),
        ("Interrupt_leak.task", "Interrupt_leak.end"),
    ]
    # nothing of them enters the flow: no sequence flow of the process touches them
    inside = {e.get("id") for s in subs for e in s.iter() if e.get("id")}
    assert not any({f.get("sourceRef"), f.get("targetRef")} & inside for f in exported.flows())


def test_a_deferrable_item_carries_its_defer_to() -> None:
    exported = export(lockout())
    task = exported.node_of("isolate")
    items = task.findall("bpmn:extensionElements/procedo:item", NS)
    assert [i.get("defer_to") for i in items] == [None, "close-out"]


def test_the_sub_processes_are_drawn_under_the_pool_side_by_side() -> None:
    exported = export(lockout())
    pool = exported.bounds("Participant")
    boxes = [exported.bounds(f"Interrupt_{key}") for key in ("leak", "fire-alarm", "paged")]
    assert all(y >= pool[1] + pool[3] for _, y, _, _ in boxes)
    assert [x for x, _, _, _ in boxes] == sorted(x for x, _, _, _ in boxes)
    assert exported.shape("Interrupt_leak").get("isExpanded") == "true"
    for part in ("start", "task", "end"):
        x, y, w, h = exported.bounds(f"Interrupt_leak.{part}")
        bx, by, bw, bh = boxes[0]
        assert bx < x and x + w < bx + bw and by < y and y + h < by + bh
    edge = exported.shape("Interrupt_leak.in")
    assert len(edge.findall("di:waypoint", NS)) == 2


@pytest.mark.parametrize("make", [lockout, hostile_lockout], ids=["plain", "hostile"])
def test_the_import_gives_back_the_same_process_and_the_same_file(
    make: Callable[[], ProcessDefinition],
) -> None:
    original = make()
    again, report = round_trip(original)
    assert again.interrupts == original.interrupts
    assert again == original
    assert report == ()
    assert definition_to_bpmn(again) == definition_to_bpmn(original)


def test_hostile_texts_are_escaped_by_the_serializer() -> None:
    exported = export(hostile_lockout())
    leak = exported.by_id()["Interrupt_leak"]
    assert leak.get("name") == "Hydraulic leak " + HOSTILE
    question = leak.find("bpmn:extensionElements/procedo:after", NS)
    assert question is not None and question.get("question") == "Can work resume? " + HOSTILE
    assert "<script>" not in exported.text


def test_an_event_sub_process_of_another_tool_is_still_left_out() -> None:
    text = definition_to_bpmn(lockout()).replace(' procedo:priority="advisory"', "")
    (imported,) = bpmn_import.import_bpmn(text)
    again = parse_definition(imported.toml, source="x.toml", default_id="lockout")
    assert set(again.interrupts) == {"leak", "fire-alarm"}
    assert any(
        "subProcess 'Interrupt_paged'" in line
        and "an event sub-process: not mapped, left out" in line
        for line in imported.report
    )


def test_an_end_only_an_interrupt_leads_to_is_kept() -> None:
    exported = export(lockout())
    end = exported.node_of("abandoned")
    assert end.tag == q("bpmn", "endEvent") and exported.incoming(end) == []
    again, _ = round_trip(lockout())
    assert again.ends["abandoned"].title == "Work abandoned"
