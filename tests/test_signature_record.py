"""Signatures in every readable copy of a run (issue 11, §11.50): the Markdown, JSON and CSV
exports, ``procedo show`` and the summary show each one as "Printed Name (id), meaning, date
time UTC" beside what it covers, a printed name literally, and never a secret.

The export tests build the ``sign`` and ``override`` events by hand, in the shapes of the shared
contract (``prompts/signing_spec.md``), chained as the journal chains them."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sqlite3

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from procedo.cli import cli
from procedo.config import Paths
from procedo.engine import Event, chain_seed, iso_from_ms, replay
from procedo.engine.run_record import RunRecord
from procedo.journal import Journal
from procedo.journal.secrets import TEST_PARAMS
from procedo.journal.signers import add_signer, authenticate
from procedo.model import ProcessDefinition, load_file, parse_definition
from procedo.model.signature import Signature
from procedo.render.event_words import describe
from procedo.render.export import to_csv, to_dict, to_markdown
from procedo.render.signature_record import (
    signature_entries,
    signature_lines,
    signatures_dict,
)
from procedo.tui.screens.run_detail import event_values
from procedo.tui.screens.summary import SummaryScreen, summary_parts
from procedo.tui.text import line
from tui_support import FakeClock, app_for, widget_text

T0 = 1_795_000_000_000
"""2026-11-18T11:06:40Z."""
RUN = "run-0001"
DEF_HASH = "d" * 64
MARKUP_NAME = "[bold]Ann[/]"

THEATRE = """
[process]
id = "theatre"
title = "Theatre check"
start = "prep"

[roles]
nurse = "Nurse"
surgeon = "Surgeon"
lead = "Theatre lead"

[steps.prep]
title = "Prepare the patient"
role = "nurse"
next = "done"
signoff = [
  { role = "nurse", meaning = "performed" },
  { role = "surgeon", meaning = "approved", distinct = true },
]
items = [
  "Wash hands",
  { text = "Pulse oximeter on", critical = true, override = { role = "lead" } },
]

[ends.done]
title = "Ready"
outcome = "success"
"""

REASON = "No oximeter in the room; a life-saving case"


def chained(rows: list[dict[str, object]]) -> list[Event]:
    """Events numbered from 1, a second apart from T0, each hashed over the one before."""
    events, previous = [], chain_seed(RUN, DEF_HASH)
    for seq, row in enumerate(rows, 1):
        event = Event(RUN, seq, iso_from_ms(T0 + seq * 1000), "Nia", **row)  # type: ignore[arg-type]
        event = dataclasses.replace(event, hash=event.compute_hash(previous))
        events.append(event)
        previous = event.hash
    return events


def sig(signer: str, name: str, role: str, meaning: str, covers: str) -> str:
    return Signature(signer, name, role, meaning, covers).to_json()


def theatre_events() -> list[Event]:
    """A run: a tick, an override of the critical item, two sign-offs, complete, finish; each
    signature covers the event just before it."""
    rows: list[dict[str, object]] = [
        {"kind": "start", "node": "prep"},
        {"kind": "check", "node": "prep", "item": 0},
    ]
    signed = [
        ("override", 1, ("llee", "Lee Lead", "lead", "override"), REASON),
        ("sign", 0, ("nnia", "Nia Nurse", "nurse", "performed"), None),
        ("sign", 1, ("ann", MARKUP_NAME, "surgeon", "approved"), None),
    ]
    for kind, item, who, reason in signed:
        covers = chained(rows)[-1].hash
        value = sig(*who, covers)
        rows.append({"kind": kind, "node": "prep", "item": item, "value": value, "reason": reason})
    rows += [
        {"kind": "complete", "node": "prep", "value": "done"},
        {"kind": "finish", "node": "done", "value": "success"},
    ]
    return chained(rows)


@pytest.fixture(scope="module")
def definition() -> ProcessDefinition:
    return parse_definition(THEATRE)


@pytest.fixture(scope="module")
def record(definition: ProcessDefinition) -> RunRecord:
    events = theatre_events()
    state = replay(definition, DEF_HASH, RUN, events)  # the engine's fold accepts them
    run = {
        "id": RUN,
        "process_id": "theatre",
        "process_version": "1",
        "definition_hash": DEF_HASH,
        "status": "completed",
        "success": 1,
        "end_node": "done",
        "current_node": None,
        "abort_reason": None,
        "practice": 0,
        "operators": ["Nia"],
        "trigger": None,
        "started_at": events[0].ts,
        "ended_at": events[-1].ts,
        "duration_ms": 6000,
        "last_hash": events[-1].hash,
    }
    return RunRecord(run, definition, {"hash": DEF_HASH}, state, tuple(events))


NURSE = "Nia Nurse (nnia), performed, 2026-11-18 11:06:44 UTC"
SURGEON = f"{MARKUP_NAME} (ann), approved, 2026-11-18 11:06:45 UTC"
LEAD = "Lee Lead (llee), override, 2026-11-18 11:06:43 UTC"


def test_the_entries_name_what_each_signature_covers(
    definition: ProcessDefinition, record: RunRecord
) -> None:
    entries = signature_entries(definition, record.events, record.state)
    assert [(e.kind, e.text, e.role_name, e.covered_seq, e.status) for e in entries] == [
        ("override", LEAD, "Theatre lead", 2, "in force"),
        ("sign", NURSE, "Nurse", 3, "in force"),
        ("sign", SURGEON, "Surgeon", 4, "in force"),
    ]
    assert entries[0].covered == f"override of Pulse oximeter on at Prepare the patient: {REASON}"
    assert entries[1].covered == "Prepare the patient"


def test_markdown_lists_every_signature_beside_what_it_covers(record: RunRecord) -> None:
    text = to_markdown(record)
    section = text.split("## Signatures\n\n")[1].split("\n\n")[0].splitlines()
    events = record.events
    assert section[2:] == [
        f"| 3 | override of Pulse oximeter on at Prepare the patient: {REASON} | Theatre lead | "
        f"{LEAD} | covers event 2 (`{events[1].hash}`) | in force |",
        f"| 4 | Prepare the patient | Nurse | {NURSE} | covers event 3 (`{events[2].hash}`) | "
        "in force |",
        f"| 5 | Prepare the patient | Surgeon | \\[bold\\]Ann\\[/\\] (ann), approved, "
        f"2026-11-18 11:06:45 UTC | covers event 4 (`{events[3].hash}`) | in force |",
    ]
    # the events table says each in words too, with no raw JSON in its value column
    assert (
        f"| 4 | 2026-11-18 11:06:44 | Nia | signed Prepare the patient as Nurse: {NURSE} |  |  |"
        in text
    )
    assert (
        f"overrode Pulse oximeter on at Prepare the patient as Theatre lead: {LEAD} |  | {REASON} |"
        in text
    )
    assert '"covers"' not in text
    # printed, the name shows as typed: no bold, no lost brackets
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<td>[bold]Ann[/] (ann), approved, 2026-11-18 11:06:45 UTC</td>" in html


def test_json_has_a_signatures_list(record: RunRecord) -> None:
    data = to_dict(record)
    first, second, third = data["signatures"]
    assert first == {
        "seq": 3,
        "kind": "override",
        "signer": "llee",
        "name": "Lee Lead",
        "role": "lead",
        "meaning": "override",
        "covers": record.events[1].hash,
        "covers_seq": 2,
        "ts": record.events[2].ts,
        "node": "prep",
        "node_title": "Prepare the patient",
        "item": 2,
        "item_index": 1,
        "item_text": "Pulse oximeter on",
        "reason": REASON,
        "branch": None,
        "text": LEAD,
        "withdrawn": False,
    }
    assert (second["signer"], second["meaning"], second["item"], second["reason"]) == (
        "nnia", "performed", 1, None)  # fmt: skip
    assert (third["name"], third["text"], third["covers"]) == (
        MARKUP_NAME, SURGEON, record.events[3].hash)  # fmt: skip
    json.dumps(data)  # JSON-ready


def test_csv_says_each_signature_in_its_what_column(record: RunRecord) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(record))))
    what = {row["seq"]: row["what"] for row in rows}
    assert what["4"] == f"signed Prepare the patient as Nurse: {NURSE}"
    assert what["5"] == f"signed Prepare the patient as Surgeon: {SURGEON}"
    assert what["3"] == f"overrode Pulse oximeter on at Prepare the patient as Theatre lead: {LEAD}"
    assert rows[2]["reason"] == REASON
    assert Signature.from_json(rows[3]["value"]) is not None  # the journal's column, as stored


def test_show_lines_say_each_signature_and_its_chain(
    definition: ProcessDefinition, record: RunRecord
) -> None:
    assert signature_lines(definition, record.state, record.events) == [
        f"override  override of Pulse oximeter on at Prepare the patient: {REASON} "
        f"(Theatre lead): {LEAD}; covers event 2",
        f"signed    Prepare the patient (Nurse): {NURSE}; covers event 3",
        f"signed    Prepare the patient (Surgeon): {SURGEON}; covers event 4",
    ]


def test_a_signature_moved_to_another_run_covers_nothing_there(
    definition: ProcessDefinition, record: RunRecord
) -> None:
    """§11.70: the covered hash is of the run it was given in; copied into another run's
    events it names no event of that run, and every copy says so."""
    moved = chained(
        [
            {"kind": "start", "node": "prep"},
            {"kind": "sign", "node": "prep", "item": 0, "value": record.events[3].value},
            {"kind": "sign", "node": "prep", "item": 1, "value": "not a signature"},
        ]
    )
    entries = signature_entries(definition, moved)
    assert [e.covered_seq for e in entries] == [None, None]
    assert entries[0].chained == "covers no earlier event of this run"
    assert entries[1].text == "an unreadable signature"
    assert (
        signatures_dict(definition, replay(definition, DEF_HASH, RUN, moved[:1]), moved)[1][
            "signer"
        ]
        is None
    )


# -- a run signed through the engine, in a journal: `procedo show` and the summary ----------

PIN = "240681"
SIGNERS = [
    ("llee", "Lee Lead", "lead"),
    ("nnia", "Nia Nurse", "nurse"),
    ("ann", MARKUP_NAME, "surgeon"),
]


@pytest.fixture(scope="module")
def signed_journal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, str]:
    """A run of ``theatre`` in a journal, by signers enrolled and authenticated there: an
    override, the nurse's sign-off withdrawn by a change to the items and given again, the
    surgeon's, then complete."""
    tmp = tmp_path_factory.mktemp("signed")
    (tmp / "processes").mkdir()
    (tmp / "processes" / "theatre.toml").write_text(THEATRE, "utf-8")
    paths = Paths(processes=tmp / "processes", db=tmp / "journal.db")
    with Journal(paths.db) as journal:
        for signer_id, name, role in SIGNERS:
            add_signer(journal, signer_id, name, [role], PIN, now_ms=T0, params=TEST_PARAMS)
        lead, nurse, surgeon = (authenticate(journal, i, PIN, now_ms=T0) for i, _, _ in SIGNERS)
        journal.clock = FakeClock(start=T0, step=1000)
        run = journal.start_run(load_file(paths.processes / "theatre.toml"), "Nia")
        run.check(0)  # 2
        run.override(1, REASON, lead)  # 3
        run.sign(0, nurse)  # 4
        run.uncheck(0)  # 5: withdraws it
        run.check(0)  # 6
        run.sign(0, nurse)  # 7: given again
        run.sign(1, surgeon)  # 8
        run.complete()
    return paths, run.run_id


def _procedo(paths: Paths, *args: str) -> str:
    where = ["--processes", str(paths.processes), "--db", str(paths.db)]
    result = CliRunner().invoke(cli, [*where, *args], prog_name="procedo")
    assert result.exit_code == 0, result.output
    return result.output


def test_show_says_every_signature_and_which_was_withdrawn(signed_journal) -> None:
    paths, run_id = signed_journal
    out = _procedo(paths, "show", run_id)
    lines = [line.strip() for line in out.splitlines() if line.startswith("  signed")]
    assert lines == [
        "signed    Prepare the patient (Nurse): Nia Nurse (nnia), performed, "
        "2026-11-18 11:06:45 UTC; covers event 3; withdrawn by a later change",
        "signed    Prepare the patient (Nurse): Nia Nurse (nnia), performed, "
        "2026-11-18 11:06:48 UTC; covers event 6",
        "signed    Prepare the patient (Surgeon): [bold]Ann[/] (ann), approved, "
        "2026-11-18 11:06:49 UTC; covers event 7",
    ]
    assert (
        "  override  override of Pulse oximeter on at Prepare the patient: "
        f"{REASON} (Theatre lead): Lee Lead (llee), override, 2026-11-18 11:06:44 UTC; "
        "covers event 2"
    ) in out
    events = [line for line in out.splitlines() if "  sign  " in line]
    assert len(events) == 3 and all(" sign-off " in line for line in events)  # not item #1
    data = json.loads(_procedo(paths, "show", run_id, "--json"))
    assert [(s["seq"], s["kind"], s["signer"], s["withdrawn"]) for s in data["signatures"]] == [
        (3, "override", "llee", False),
        (4, "sign", "nnia", True),
        (7, "sign", "nnia", False),
        (8, "sign", "ann", False),
    ]


async def test_the_summary_shows_a_printed_name_literally(signed_journal) -> None:
    paths, run_id = signed_journal
    app = app_for(paths)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.resume_run(run_id)  # a finished run opens on its summary
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = widget_text(app, "#summary")
    said = text.split("Signatures ", 1)[1]  # widget_text folds the lines and spaces
    assert said == (
        "Override Pulse oximeter on at Prepare the patient — Theatre lead "
        f"Lee Lead (llee), override, 2026-11-18 11:06:44 UTC reason: {REASON} "
        "Prepare the patient — Nurse "
        "Nia Nurse (nnia), performed, 2026-11-18 11:06:45 UTC (withdrawn by a later change) "
        "Prepare the patient — Nurse Nia Nurse (nnia), performed, 2026-11-18 11:06:48 UTC "
        "Prepare the patient — Surgeon [bold]Ann[/] (ann), approved, 2026-11-18 11:06:49 UTC"
    )


def test_the_signed_run_verifies_and_no_copy_holds_a_secret(signed_journal) -> None:
    paths, run_id = signed_journal
    assert "intact" in _procedo(paths, "verify", run_id)
    with sqlite3.connect(paths.db) as conn:
        stored = [row[0] for row in conn.execute("SELECT secret FROM signers")]
    assert len(stored) == 3
    copies = [_procedo(paths, "show", run_id), _procedo(paths, "show", run_id, "--json")]
    copies += [_procedo(paths, "export", run_id, "--format", f) for f in ("md", "json", "csv")]
    for copy in copies:
        assert "Lee Lead" in copy  # the signatures are there, their secrets are not
        for secret in [PIN, *stored, *(s.rsplit("$", 1)[-1] for s in stored)]:
            assert secret not in copy
        assert "scrypt" not in copy


def test_a_title_s_placeholders_are_filled_with_the_run_s_values() -> None:
    definition = parse_definition(
        THEATRE.replace('title = "Prepare the patient"', 'title = "Prepare {patient}"')
        + '\n[inputs.patient]\ntitle = "Patient"\n'
    )
    rows: list[dict[str, object]] = [
        {"kind": "start", "node": "prep"},
        {"kind": "input", "node": "patient", "value": "Ann Smith"},
        {"kind": "check", "node": "prep", "item": 0},
    ]
    covers = chained(rows)[-1].hash
    value = sig("llee", "Lee Lead", "lead", "override", covers)
    rows.append({"kind": "override", "node": "prep", "item": 1, "value": value, "reason": "x"})
    events = chained(rows)
    state = replay(definition, DEF_HASH, RUN, events)
    [entry] = signature_entries(definition, events, state)
    assert entry.covered == "override of Pulse oximeter on at Prepare Ann Smith: x"
    assert describe(definition, events[-1], {"patient": "Ann Smith"}).startswith(
        "overrode Pulse oximeter on at Prepare Ann Smith as Theatre lead: Lee Lead (llee)"
    )


def test_the_run_detail_shows_the_signatures_not_their_json(record: RunRecord) -> None:
    """The detail's facts are the summary's parts (with the signatures); its timeline says
    each signature in the "What" column, so the value column holds no JSON."""
    facts = line(*summary_parts(record.definition, record.state, events=record.events)).plain
    assert f"Prepare the patient — Surgeon\n     {SURGEON}" in facts
    assert f"Override Pulse oximeter on at Prepare the patient — Theatre lead\n     {LEAD}" in facts
    override, nurse = record.events[2], record.events[3]
    assert event_values(nurse, record.definition) == []
    assert event_values(override, record.definition) == [REASON]
