"""``procedo import FILE.bpmn``: each process of a BPMN 2.0 file becomes a process definition.

The file is parsed with defusedxml (:mod:`procedo.importers.bpmn_xml`), made plain
(:mod:`procedo.importers.bpmn_graph`), mapped (:mod:`procedo.importers.bpmn_map`), written as
TOML with tomli-w and read back through procedo's own loader: what is returned is exactly
what loads. The mapping is in docs/import.md; the report says every element mapped
differently or left out, with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from procedo.importers.bpmn_xml import BpmnError, ProcessGraph, read_document
from procedo.importers.markdown_items import slug
from procedo.model import is_valid_id

__all__ = ["BpmnError", "BpmnImport", "import_bpmn", "looks_like_bpmn"]


@dataclass(frozen=True)
class BpmnImport:
    """One imported process: its id, its TOML text, and the report of what was mapped how."""

    process_id: str
    toml: str
    report: tuple[str, ...]


_DEFINITIONS = re.compile(r"<([A-Za-z_][\w.-]*:)?definitions[\s>/]")


def looks_like_bpmn(text: str) -> bool:
    """True when the text is XML (a declaration first) or opens a ``definitions`` element in
    its first 4 KiB: a file to read as BPMN whatever its name (a Markdown page may start with
    an HTML comment, so a ``<`` alone says nothing)."""
    head = text.lstrip("\ufeff \t\r\n")[:4096]
    return head.startswith("<?xml") or _DEFINITIONS.search(head) is not None


def _select(
    graphs: list[ProcessGraph], process: str | None, pools: dict[str, str]
) -> list[ProcessGraph]:
    """Every graph, or the one ``process`` names by id, else by its name or its pool's."""
    if process is None:
        return graphs
    wanted = process.strip()

    def names(graph: ProcessGraph) -> set[str]:
        return {n.casefold() for n in (graph.name, pools.get(graph.id, "")) if n}

    chosen = [g for g in graphs if g.id == wanted] or [
        g for g in graphs if wanted.casefold() in names(g)
    ]
    if not chosen:
        known = ", ".join(
            f"{g.id!r}" + (f" ({g.name or pools.get(g.id)})" if g.name or pools.get(g.id) else "")
            for g in graphs
        )
        raise BpmnError(f"no process {wanted!r} in the file; it has {known}")
    return chosen[:1]


def _process_ids(graphs: list[ProcessGraph], pools: dict[str, str]) -> dict[str, str]:
    """A procedo id for every process of the file, by BPMN id (also what calls name)."""
    found: dict[str, str] = {}
    taken: set[str] = set()
    for graph in graphs:
        wanted = graph.procedo_id if is_valid_id(graph.procedo_id) else ""
        if not wanted:
            named = graph.name or pools.get(graph.id, "")
            wanted = graph.id if is_valid_id(graph.id) else slug(named or graph.id, "process")
        process_id, number = wanted, 2
        while process_id in taken:
            process_id, number = f"{wanted}-{number}", number + 1
        taken.add(process_id)
        found[graph.id] = process_id
    return found


def _line(report_line: str) -> int:
    """The line a report line starts with ("line 12: ..."), 0 when none."""
    head = report_line.removeprefix("line ").split(":", 1)[0]
    return int(head) if head.isdigit() else 0


def _all_ids(graph: ProcessGraph) -> set[str]:
    """The process id and every node id in it, in its sub-processes too."""
    found = {graph.id}
    for node in graph.nodes.values():
        found.add(node.id)
        if node.inner is not None:
            found |= _all_ids(node.inner)
    return found


def import_bpmn(
    text: str, *, process: str | None = None, process_id: str | None = None
) -> list[BpmnImport]:
    """Every process of a BPMN 2.0 file (or the one ``process`` names, by id or name) as a
    validated definition; ``process_id`` replaces the id of a single process.

    Raises :class:`BpmnError` (a ValueError, with the line when known) on malformed or hostile
    XML, a file that is not BPMN, or a process procedo cannot express.
    """
    from procedo.importers.bpmn_write import write_process

    document = read_document(text)
    graphs = [g for g in document.processes if g.nodes]
    if not graphs:
        raise BpmnError("the file holds no process with tasks or events to import")
    ids = _process_ids(document.processes, document.pools)
    chosen = _select(graphs, process, document.pools)
    if process_id is not None:
        if not is_valid_id(process_id):
            raise BpmnError(
                f"{process_id!r} is not a valid process id: use lower-case letters, digits, "
                "'-' and '_', starting with a letter or digit"
            )
        if len(chosen) > 1:
            names = ", ".join(repr(g.id) for g in chosen)
            raise BpmnError(
                f"an id names one process, and the file has {len(chosen)} ({names}): choose "
                "one with --process"
            )
        ids[chosen[0].id] = process_id
    results: list[BpmnImport] = []
    for graph in chosen:
        extra: list[str] = []
        inside = _all_ids(graph)
        for flow in document.message_flows:
            if flow.source in inside or flow.target in inside:
                name = f' ("{flow.name}")' if flow.name else ""
                extra.append(
                    f"line {flow.line}: messageFlow {flow.id!r}{name} from {flow.source!r} "
                    f"to {flow.target!r}: a message between pools: not mapped (each pool "
                    "is its own process)"
                )
        for kind, key, name, line in graph.skipped:
            shown = f' ("{name}")' if name else ""
            extra.append(f"line {line}: {kind} {key!r}{shown}: data: not mapped")
        pool = document.pools.get(graph.id, "")
        toml, report = write_process(graph, ids[graph.id], pool, ids)
        results.append(BpmnImport(ids[graph.id], toml, tuple(sorted([*report, *extra], key=_line))))
    return results


def definition_data(
    info: dict[str, Any], tables: dict[str, dict[str, Any]], extra: dict[str, Any]
) -> dict[str, Any]:
    """The TOML tables in procedo's order, leaving out the empty ones."""
    data: dict[str, Any] = {"process": info}
    for key in ("roles", "inputs", "triggers"):
        if extra.get(key):
            data[key] = extra[key]
    for key in ("steps", "decisions", "parallel", "ends", "interrupts"):
        if tables.get(key):
            data[key] = tables[key]
    return data
