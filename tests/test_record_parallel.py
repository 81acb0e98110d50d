"""The record of parallel branches and calls outside the run screen: the Markdown, JSON and
CSV exports, ``procedo show`` and the run detail's facts name each event's branch by its
title, the split and the join, the calls with their child run and outcome, a child's parent."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from procedo.cli import cli
from procedo.engine.run_record import RunRecord
from procedo.journal.run_record import load_run_record
from procedo.render.branch_record import branch_title, call_entries
from procedo.render.export import to_csv, to_dict, to_markdown
from procedo.tui.screens.run_detail import call_parts
from procedo.workspace import Workspace
from record_fixture import Clock, called_pair, kit_run, write_paths


@dataclass
class Records:
    db: Path
    parent: RunRecord
    child: RunRecord
    kit: RunRecord


@pytest.fixture
def records(tmp_path: Path) -> Records:
    paths = write_paths(tmp_path)
    with Workspace(paths) as workspace:
        clock = Clock()
        workspace.journal.clock = clock
        pair = called_pair(workspace, clock, 0, good=True)
        kit = kit_run(workspace, clock, 200, 4, 10)
        journal = workspace.journal
        return Records(
            paths.db,
            load_run_record(journal, pair.parent.run_id),
            load_run_record(journal, pair.child.run_id),
            load_run_record(journal, kit.run_id),
        )


def test_a_branch_is_named_by_its_first_nodes_title(records: Records) -> None:
    d = records.kit.definition
    assert [branch_title(d, key) for key in ("prep:1", "prep:2", "", None, "prep:3", "x:1")] == [
        "Prepare the laptop", "Book a desk", "", "", "prep:3", "x:1"]  # fmt: skip


def test_markdown_events_name_the_branch_the_split_and_the_join(records: Records) -> None:
    text = to_markdown(records.kit)
    rows = [line for line in text.splitlines() if line.startswith("| ") and "2026-11-18" in line]
    whats = [row.split(" | ")[3] for row in rows]
    assert whats == [
        "started at Ask",
        "ticked Asked",
        "completed Ask; split into Prepare the kit",
        "\\[Prepare the laptop\\] ticked Ordered",
        "\\[Prepare the laptop\\] completed Prepare the laptop",
        "\\[Prepare the laptop\\] ticked Imaged",
        "\\[Prepare the laptop\\] completed Image it; arrived at the join Hand over",
        "\\[Book a desk\\] ticked Booked",
        "\\[Book a desk\\] completed Book a desk; arrived at the join Hand over",
        "ticked Handed",
        "completed Hand over",
        "finished at Done",
    ]


def test_markdown_of_a_parent_lists_its_called_runs_and_a_child_names_its_parent(
    records: Records,
) -> None:
    child_id, parent_id = records.child.run_id, records.parent.run_id
    parent = to_markdown(records.parent)
    assert (
        f"| 5 | 2026-11-18 11:06:42 | Ann | called tester at Prove the tester: run {child_id} "
        f"| {child_id} | tester |" in parent
    )
    assert (
        "| 6 | 2026-11-18 11:06:47 | Ann | the called run ended success at Prove the tester, "
        "on to Work | work | success |" in parent
    )
    assert (
        "## Called runs\n\n| Step | Id | Process | Run | Outcome |\n|---|---|---|---|---|\n"
        f"| Prove the tester | `prove` | `tester` | `{child_id}` | success |\n" in parent
    )
    child = to_markdown(records.child)
    assert f"- **Called by:** run `{parent_id}` at its step `prove`\n" in child
    assert f"| called by run {parent_id} at its step prove | {parent_id} |" in child
    assert "## Called runs" not in child


def test_json_gives_branch_keys_and_titles_calls_and_the_parent(records: Records) -> None:
    kit = to_dict(records.kit)
    assert kit["branches"] == {"prep:1": "Prepare the laptop", "prep:2": "Book a desk"}
    assert [(v["node"], v["kind"], v["branch"], v["branch_title"]) for v in kit["visits"]] == [
        ("ask", "step", None, None),
        ("prep", "parallel", None, None),
        ("laptop", "step", "prep:1", "Prepare the laptop"),
        ("desk", "step", "prep:2", "Book a desk"),
        ("image", "step", "prep:1", "Prepare the laptop"),
        ("hand", "step", None, None),
        ("done", "end", None, None),
    ]
    assert kit["visits"][1]["title"] == "Prepare the kit"
    assert [e["branch"] for e in kit["events"]][2:5] == [None, "prep:1", "prep:1"]
    parent = to_dict(records.parent)
    assert parent["called_runs"] == [
        {"step": "prove", "step_title": "Prove the tester", "process_id": "tester",
         "run_id": records.child.run_id, "outcome": "success"}]  # fmt: skip
    [prove] = [v for v in parent["visits"] if v["node"] == "prove"]
    assert (prove["child_run"], prove["child_outcome"]) == (records.child.run_id, "success")
    child = to_dict(records.child)
    assert (child["run"]["parent_run"], child["run"]["parent_step"]) == (
        records.parent.run_id, "prove")  # fmt: skip
    assert json.dumps(child)  # JSON-ready


def test_csv_adds_each_events_branch_key_and_title(records: Records) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(records.kit))))
    assert [(r["seq"], r["branch"], r["branch_title"]) for r in rows if r["branch"]] == [
        ("4", "prep:1", "Prepare the laptop"), ("5", "prep:1", "Prepare the laptop"),
        ("6", "prep:1", "Prepare the laptop"), ("7", "prep:1", "Prepare the laptop"),
        ("8", "prep:2", "Book a desk"), ("9", "prep:2", "Book a desk")]  # fmt: skip
    calls = list(csv.DictReader(io.StringIO(to_csv(records.parent))))
    assert [(r["kind"], r["value"], r["reason"]) for r in calls if "call" in r["kind"]] == [
        ("call", records.child.run_id, "tester"), ("call_end", "work", "success")]  # fmt: skip


def show(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["show", "--db", str(db), *args], prog_name="procedo")
    assert result.exit_code == 0, result.output
    return result.output


def test_show_names_branches_calls_and_the_parent(records: Records) -> None:
    kit = show(records.db, records.kit.run_id).splitlines()
    assert "     4  11:10:03.000  Ann  check  [Prepare the laptop]  laptop#1" in kit
    assert "     9  11:10:11.000  Ann  complete  [Book a desk]  desk  = hand" in kit
    parent = show(records.db, records.parent.run_id).splitlines()
    assert (
        f"  call      Prove the tester (prove) called tester: run {records.child.run_id}, "
        "success" in parent
    )
    child = show(records.db, records.child.run_id).splitlines()
    assert f"  called by run {records.parent.run_id} at its step prove" in child
    data = json.loads(show(records.db, records.parent.run_id, "--json"))
    assert [c["run_id"] for c in data["called_runs"]] == [records.child.run_id]


def test_the_run_detail_facts_say_the_calls(records: Records) -> None:
    assert call_parts(records.parent) == [
        ("\n\nCalls", "bold"), "\n",
        f"Prove the tester (prove) called tester: run {records.child.run_id}, success"]  # fmt: skip
    assert call_parts(records.child) == [
        ("\n\nCalls", "bold"), "\n",
        f"called by run {records.parent.run_id} at its step prove"]  # fmt: skip
    assert call_parts(records.kit) == []
    assert call_entries(records.kit.definition, records.kit.events) == []


def test_markdown_path_names_the_branch_of_each_stay(records: Records) -> None:
    text = to_markdown(records.kit)
    path = text[text.index("## Path") : text.index("## Events")].splitlines()[2:8]
    assert [line.split(" (`")[0] for line in path] == [
        "1. Ask",
        "2. \\[Prepare the laptop\\] Prepare the laptop",
        "3. \\[Book a desk\\] Book a desk",
        "4. \\[Prepare the laptop\\] Image it",
        "5. Hand over",
        "6. Done",
    ]
