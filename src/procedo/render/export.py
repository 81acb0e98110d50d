"""Exports of one run: a printable Markdown record, JSON with everything, CSV of the events.

Pure functions of a :class:`~procedo.journal.run_record.RunRecord`. The Markdown ends with the
hash of the run's newest journal event, so a printed and signed copy anchors the record: a
journal later cut short or rewritten no longer ends with that hash. Every text that comes from
a definition or an operator is escaped, so it shows literally (no headings, links or tables),
and any control or bidi character already in a journal shows as ``\\x1b`` or ``\\u202e``.

The three agree: items are numbered from 1 as the app shows them (JSON also gives the
definition's 0-based ``item_index``), every recorded value carries its unit, and durations
use :func:`procedo.render.durations.duration`.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from typing import Any

from procedo.engine import Event, iso_from_ms
from procedo.engine.judge import scope_texts
from procedo.engine.run_record import RunRecord
from procedo.engine.targets import target_ms, within_target
from procedo.model import ProcessDefinition
from procedo.model.placeholders import fill
from procedo.render.branch_record import (
    branch_label,
    branch_title,
    call_entries,
    calls_markdown,
    flow_words,
)
from procedo.render.condition_markdown import conditions_markdown
from procedo.render.condition_record import condition_record
from procedo.render.csv_cells import csv_text, spreadsheet_safe
from procedo.render.durations import duration
from procedo.render.md_cells import code, md
from procedo.render.md_cells import table as _table
from procedo.render.run_path import path_entries
from procedo.render.words import plural
from procedo.safe_text import json_text, visible

__all__ = ["spreadsheet_safe", "to_csv", "to_dict", "to_json", "to_markdown"]

FORMAT = "procedo-run-export"
FORMAT_VERSION = 1
CSV_COLUMNS = [
    "run_id",
    "seq",
    "ts",
    "actor",
    "kind",
    "node",
    "item",
    "value",
    "reason",
    "hash",
    "node_title",
    "item_text",
    "unit",
    "branch",
    "branch_title",
]
"""The CSV columns: the journal's, then texts from the definition. ``item`` counts from 1;
``branch`` is the event's branch key (empty on the main line), ``branch_title`` its title."""


def unit_of(definition: ProcessDefinition, node: str | None, item: int | None) -> str:
    """The unit of a checklist item (``V``, ``°C``), or empty."""
    step = definition.steps.get(node or "")
    if step is None or item is None or not 0 <= item < len(step.items):
        return ""
    return step.items[item].unit or ""


def with_unit(value: str, unit: str) -> str:
    """``12.5 V``: a recorded value and its unit."""
    return f"{value} {unit}" if unit and value else value


def item_number(index: int | None) -> int | None:
    """The number an item has on screen: its 0-based index plus 1."""
    return None if index is None else index + 1


def when(iso: str | None) -> str:
    """``2026-11-25 09:30:00`` from a journal timestamp."""
    return visible(iso[:19].replace("T", " ")) if iso else ""


def node_title(definition: ProcessDefinition, node: str | None) -> str:
    """The title of a step or end, or the question of a decision."""
    if not node:
        return ""
    try:
        found = definition.node(node)
    except KeyError:
        return node
    return str(getattr(found, "title", None) or getattr(found, "question", node))


def item_text(definition: ProcessDefinition, node: str | None, item: int | None) -> str:
    """The text of a checklist item."""
    step = definition.steps.get(node or "")
    if step is None or item is None or not 0 <= item < len(step.items):
        return "" if item is None else f"item {item + 1}"
    return step.items[item].text


def describe(definition: ProcessDefinition, event: Event) -> str:
    """What an event did, in words: on a branch after its title (``[Prepare the laptop]``),
    with the split, the join or the call it made."""
    flow = flow_words(definition, event)
    if event.kind in ("call", "called_by", "call_end"):
        return branch_label(definition, event.branch) + flow
    return branch_label(definition, event.branch) + _words(definition, event) + flow


def _words(definition: ProcessDefinition, event: Event) -> str:
    title = node_title(definition, event.node)
    item = item_text(definition, event.node, event.item)
    return {
        "start": f"started at {title}",
        "check": f"ticked {item}",
        "uncheck": f"cleared {item}",
        "record": f"recorded {item}",
        "na": f"marked not applicable: {item}",
        "note": f"note on {item or title or 'the run'}",
        "complete": f"completed {title}",
        "choose": f"chose at {title}" + (" (overriding the suggestion)" if event.reason else ""),
        "auto_choose": f"chosen by the process at {title}",
        "basis": f"values read at {title}",
        "input": f"start input {event.node}",
        "deviation": f"accepted a deviation: {item}"
        if event.reason
        else f"deviation routed: {item}",
        "inactive": f"inactive: {item}",
        "back": f"went back from {title} to {node_title(definition, event.value)}",
        "handover": "handed over",
        "accept_role": f"acted as {definition.role_name(event.value)}",
        "pause": "paused",
        "resume": "resumed",
        "takeover": "took the run over",
        "abort": f"aborted at {title}" if title else "aborted",
        "finish": f"finished at {title}",
    }.get(event.kind, event.kind)


def _shown_value(definition: ProcessDefinition, event: Event) -> str:
    if event.kind in ("complete", "back", "start") or event.value is None:
        return "" if event.kind != "start" else (event.value or "")
    if event.kind == "record":
        return with_unit(event.value, unit_of(definition, event.node, event.item))
    return event.value


def _outcome(record: RunRecord) -> str:
    run = record.run
    if run["status"] == "completed":
        end = node_title(record.definition, run["end_node"])
        return f"completed: {'success' if run['success'] else 'failure'} ({md(end)})"
    if run["status"] == "aborted":
        return f"aborted: {md(run['abort_reason'] or '')}"
    at = node_title(record.definition, run["current_node"])
    return f"{md(run['status'])} (unfinished), at {md(at)}"


def _target(record: RunRecord) -> str:
    definition = record.definition
    verdict = within_target(definition, record.run["status"], record.run["duration_ms"])
    if verdict is None:
        return ""  # no target, or a run that did not complete
    shown = "on target" if verdict else "over target"
    return f" (target {duration(target_ms(definition))}: {shown})"


def _marks(record: RunRecord, *, na: bool) -> list[list[str]]:
    rows = []
    for visit in record.state.visits:
        for index, mark in sorted(visit.items.items()):
            wanted = mark.na_reason if na else mark.value
            if wanted is None:
                continue
            unit = "" if na else unit_of(record.definition, visit.node, index)
            rows.append(
                [
                    md(node_title(record.definition, visit.node)),
                    str(index + 1),
                    md(item_text(record.definition, visit.node, index)),
                    md(with_unit(wanted, unit)),
                    md(mark.by or ""),
                    when(mark.at),
                ]
            )
    return rows


def to_markdown(record: RunRecord) -> str:
    """A readable, printable record of the run, ending with its last journal hash."""
    d, run, state = record.definition, record.run, record.state
    texts = scope_texts(d, state)
    title = fill(d.title, texts)
    lines = [f"# Run record: {md(title)}", ""]
    facts = [
        (
            "Process",
            f"{md(title)} ({code(run['process_id'])}), version {md(run['process_version'])}",
        ),
        ("Definition hash", code(record.definition_hash)),
        ("Run", code(record.run_id) + (" (practice run)" if run["practice"] else "")),
        ("Operators", ", ".join(md(name) for name in run["operators"])),
    ]
    if run["trigger"]:
        trigger = d.trigger(run["trigger"])
        title = f": {md(trigger.title)}" if trigger else ""
        facts.append(("Trigger", f"{code(run['trigger'])}{title}"))
    if state.parent_run is not None:
        facts.append(("Called by", f"run {code(state.parent_run)} at its step "
                      f"{code(state.parent_step or '')}"))  # fmt: skip
    facts += [
        ("Status", _outcome(record)),
        ("Started", f"{when(run['started_at'])} UTC"),
        ("Ended", f"{when(run['ended_at'])} UTC" if run["ended_at"] else "not yet"),
    ]
    if run["duration_ms"] is not None:
        facts.append(("Duration", duration(run["duration_ms"]) + _target(record)))
    lines += [f"- **{label}:** {value}" for label, value in facts] + [""]
    lines += ["## Path", ""]
    branch_of = {v.index: v.branch for v in state.visits}
    for entry, stint in zip(path_entries(d, state), state.stints, strict=True):
        on = branch_label(d, branch_of.get(stint.visit))
        took = f", {duration(entry.duration_ms)}" if entry.duration_ms is not None else ""
        back = ", came back to it" if entry.came_back else ""
        done = "; ".join(md(fill(text, texts)) for text in [*entry.deeds, entry.outcome])
        lines.append(
            f"{entry.number}. {md(on + fill(entry.title, texts))} ({code(entry.node)}, "
            f"{when(iso_from_ms(entry.entered_ms))}{took}{back}): {done}"
        )
    lines += ["", "## Events", ""]
    lines += _table(
        ["#", "Time (UTC)", "Who", "What", "Value", "Reason"],
        [
            [
                str(e.seq),
                when(e.ts),
                md(e.actor),
                md(describe(d, e)),
                md(_shown_value(d, e)),
                md(e.reason or ""),
            ]
            for e in record.events
        ],
    )
    lines += calls_markdown(d, record.events)
    lines += conditions_markdown(condition_record(d, state))
    for heading, rows, columns in (
        ("Recorded values", _marks(record, na=False), "Value"),
        ("Not applicable", _marks(record, na=True), "Reason"),
    ):
        lines += [f"## {heading}", ""]
        lines += (
            _table(["Step", "#", "Item", columns, "By", "At (UTC)"], rows)
            if rows
            else ["None.", ""]
        )
    lines += ["## Notes", ""]
    notes = [
        [
            when(n.ts),
            md(n.actor),
            md(item_text(d, n.node, n.item) or node_title(d, n.node) or "the run"),
            md(n.text),
        ]
        for n in state.notes
    ]
    lines += _table(["Time (UTC)", "By", "On", "Note"], notes) if notes else ["None.", ""]
    lines += [
        "## Review",
        "",
        "Reviewed by ______________________________ Date ______________",
        "",
        "Signature ______________________________",
        "",
        "---",
        "",
        f"Journal of run {visible(record.run_id)}: {plural(record.last_seq, 'event')}. "
        "The hash of the last event anchors this record:",
        "",
        f"Last journal hash (event {record.last_seq}): {visible(record.last_hash)}",
    ]
    return "\n".join(lines) + "\n"


def to_dict(record: RunRecord) -> dict[str, Any]:
    """Everything the journal holds for the run, as JSON-ready data."""
    d, state = record.definition, record.state
    visits = [
        {
            "visit": v.index,
            "node": v.node,
            "kind": v.kind,
            "title": node_title(d, v.node),
            "entered_at": iso_from_ms(v.entered_ms),
            "left_at": iso_from_ms(v.left_ms) if v.left_ms is not None else None,
            "duration_ms": v.duration_ms,
            "paused_ms": v.paused_ms,
            "outcome": v.outcome,
            "choice": v.choice,
            "next_node": v.next_node,
            "branch": v.branch or None,
            "branch_title": branch_title(d, v.branch) or None,
            "child_run": v.child_run,
            "child_outcome": v.child_outcome,
        }
        for v in state.visits
    ]
    marks: dict[str, list[dict[str, Any]]] = {"values": [], "not_applicable": []}
    for v in state.visits:
        for index, mark in sorted(v.items.items()):
            entry = {
                "visit": v.index,
                "node": v.node,
                "item": index + 1,
                "item_index": index,
                "text": item_text(d, v.node, index),
                "by": mark.by,
                "at": mark.at,
            }
            if mark.value is not None:
                unit = unit_of(d, v.node, index) or None
                marks["values"].append({**entry, "value": mark.value, "unit": unit})
            if mark.na_reason is not None:
                marks["not_applicable"].append({**entry, "reason": mark.na_reason})
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "run": record.run,
        "definition": record.definition_row,
        "path": state.path_nodes(),
        "visits": visits,
        **marks,
        "notes": [
            {
                "seq": n.seq,
                "ts": n.ts,
                "actor": n.actor,
                "text": n.text,
                "node": n.node,
                "item": item_number(n.item),
                "item_index": n.item,
                "visit": n.visit,
            }
            for n in state.notes
        ],
        "called_runs": [dataclasses.asdict(entry) for entry in call_entries(d, record.events)],
        "branches": {
            key: branch_title(d, key)
            for key in dict.fromkeys(e.branch for e in record.events if e.branch)
        },
        "events": [_event_row(event) for event in record.events],
        "last_seq": record.last_seq,
        "last_hash": record.last_hash,
    }


def _event_row(event: Event) -> dict[str, Any]:
    """A journal row with ``item`` numbered from 1 and the journal's own 0-based ``item_index``."""
    row = event.to_row()
    return {**row, "item": item_number(event.item), "item_index": event.item}


def to_json(record: RunRecord) -> str:
    """:func:`to_dict` as indented JSON text, unsafe characters written as ``\\u`` escapes."""
    return json_text(to_dict(record), indent=2) + "\n"


def to_csv(record: RunRecord) -> str:
    """One row per event, every journal column plus the node title and the item text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in record.events:
        row = {**e.to_row(), "item": item_number(e.item)}
        cells = [
            *(row[c] for c in CSV_COLUMNS[:10]),
            node_title(record.definition, e.node),
            item_text(record.definition, e.node, e.item),
            unit_of(record.definition, e.node, e.item) if e.kind == "record" else "",
            e.branch or "",
            branch_title(record.definition, e.branch),
        ]
        writer.writerow([spreadsheet_safe(csv_text(cell)) for cell in cells])
    return out.getvalue()
