"""The event sub-processes procedo's export writes for non-normal checklists, read back.

Such a sub-process (``triggeredByEvent="true"`` with ``procedo:id`` and ``procedo:priority``,
see :mod:`procedo.render.bpmn_interrupts`) becomes an ``[interrupts.ID]`` table: its name the
title, ``procedo:role``, ``procedo:during`` (node ids separated by spaces) and
``procedo:after`` (a node id) or its ``procedo:after`` question; the one task inside holds
the instructions (its ``documentation``) and the checklist (its ``procedo:item`` elements).
Node ids are the procedo ids the export wrote, so they name the same nodes again. An event
sub-process of another tool stays left out (:func:`procedo.importers.bpmn_graph._inline`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procedo.importers.bpmn_graph import describe
from procedo.importers.bpmn_nodes import items_of
from procedo.importers.bpmn_xml import TASKS, Node

if TYPE_CHECKING:
    from procedo.importers.bpmn_map import Mapper


def _node_id(mapper: Mapper, written: str) -> str:
    """The imported id of the node the export named ``written`` (as written when unknown:
    the loader then says so)."""
    for key, node in mapper.nodes.items():
        if node.attrs.get("procedo:id") == written and key in mapper.ids:
            return mapper.ids[key]
    return written


def _target(mapper: Mapper, written: str) -> str:
    return written if written == "return" else _node_id(mapper, written)


def interrupt_table(mapper: Mapper, node: Node) -> dict[str, Any]:
    """The ``[interrupts.ID]`` table of one of procedo's event sub-processes."""
    attrs = node.attrs
    table: dict[str, Any] = {"title": node.name, "priority": attrs["procedo:priority"]}
    if attrs.get("procedo:role"):
        table["role"] = attrs["procedo:role"]
    inner = node.inner.nodes.values() if node.inner is not None else []
    tasks = [child for child in inner if child.kind in TASKS]
    if len(tasks) != 1:
        mapper.report.append(
            f"{describe(node)}: a non-normal checklist holds one task: its checklist is "
            f"taken from {'the first' if tasks else 'none'} of {len(tasks)}"
        )
    if tasks:
        task = tasks[0]
        if task.documentation:
            table["instructions"] = task.documentation
        task.attrs.setdefault("procedo:id", attrs["procedo:id"])  # no made-up checklist
        items = items_of(mapper, task, node.name)
        if items:
            table["items"] = items
    if node.after is not None:
        options = [
            {"label": label, "next": _target(mapper, target)}
            for label, target in node.after["options"]
        ]
        table["after"] = {"question": node.after["question"], "options": options}
    elif attrs.get("procedo:after"):
        table["after"] = _target(mapper, attrs["procedo:after"])
    during = attrs.get("procedo:during", "").split()
    if during:
        table["during"] = [_node_id(mapper, written) for written in during]
    return table


def interrupt_tables(mapper: Mapper) -> dict[str, dict[str, Any]]:
    """Every non-normal checklist of the process, by its id, in file order."""
    return {
        node.attrs["procedo:id"]: interrupt_table(mapper, node) for node in mapper.plain.interrupts
    }
