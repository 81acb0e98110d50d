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
)
from procedo.render.condition_markdown import conditions_markdown
from procedo.render.condition_record import condition_record
from procedo.render.csv_cells import csv_text, spreadsheet_safe
from procedo.render.durations import duration
from procedo.render.event_words import (
    describe,
    item_number,
    item_text,
    node_title,
    unit_of,
    when,
    with_unit,
)
from procedo.render.interrupt_record import (
    event_item_text,
    interrupt_entries,
    interrupts_dict,
    interrupts_markdown,
    marked_items,
)
from procedo.render.md_cells import code, md
from procedo.render.md_cells import table as _table
from procedo.render.run_path import path_entries
from procedo.render.signature_record import (
    SIGNATURE_KINDS,
    signatures_dict,
    signatures_markdown,
)
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
    "what",
    "interrupt_ms",
]
"""The CSV columns: the journal's, then texts from the definition. ``item`` counts from 1
(for ``interrupt`` the item highlighted in the checklist interrupted, for ``return`` the
answer to the interrupt's question, in ``item_text``); ``branch`` is the event's branch key
(empty on the main line), ``branch_title`` its title; ``what`` the event in words;
``interrupt_ms`` on a ``return``, the active time of the interrupt it ended."""


def _shown_value(definition: ProcessDefinition, event: Event) -> str:
    if event.kind in SIGNATURE_KINDS:
        return ""  # "What" says the signature in words; the Signatures section has its hash
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
    for _, node, index, mark in marked_items(record.state):
        wanted = mark.na_reason if na else mark.value
        if wanted is not None:
            unit = "" if na else unit_of(record.definition, node, index)
            rows.append(
                [
                    md(node_title(record.definition, node)),
                    str(index + 1),
                    md(item_text(record.definition, node, index)),
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
        interrupt = stint.node in d.interrupts  # its title follows: no branch label
        on = "Interrupt: " if interrupt else branch_label(d, branch_of.get(stint.visit))
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
                md(describe(d, e, texts)),
                md(_shown_value(d, e)),
                md(e.reason or ""),
            ]
            for e in record.events
        ],
    )
    lines += signatures_markdown(d, state, record.events)
    lines += calls_markdown(d, record.events)
    lines += interrupts_markdown(d, state, record.events)
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
            "interrupted_ms": v.interrupted_ms,
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
    for visit, node, index, mark in marked_items(state):
        entry = {
            "visit": visit,
            "node": node,
            "item": index + 1,
            "item_index": index,
            "text": item_text(d, node, index),
            "by": mark.by,
            "at": mark.at,
        }
        if mark.value is not None:
            unit = unit_of(d, node, index) or None
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
        "signatures": signatures_dict(d, state, record.events),
        "called_runs": [dataclasses.asdict(entry) for entry in call_entries(d, record.events)],
        **interrupts_dict(d, state, record.events),
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
    texts = scope_texts(record.definition, record.state)
    took = {
        entry.return_seq: entry.duration_ms
        for entry in interrupt_entries(record.definition, record.state, record.events)
    }
    for e in record.events:
        row = {**e.to_row(), "item": item_number(e.item)}
        cells = [
            *(row[c] for c in CSV_COLUMNS[:10]),
            node_title(record.definition, e.node),
            event_item_text(record.definition, e),
            unit_of(record.definition, e.node, e.item) if e.kind == "record" else "",
            e.branch or "",
            branch_title(record.definition, e.branch),
            describe(record.definition, e, texts),
            took.get(e.seq, ""),
        ]
        writer.writerow([spreadsheet_safe(csv_text(cell)) for cell in cells])
    return out.getvalue()
