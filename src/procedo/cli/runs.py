"""Commands about runs and the journal: runs, show, verify, paths."""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import click

from procedo.cli.common import (
    ProcedoContext,
    add_path_options,
    echo,
    fail,
    pass_procedo,
    print_json,
    print_table,
)
from procedo.cli.terminal_text import shown
from procedo.engine import STATUSES
from procedo.journal import Journal, JournalError
from procedo.journal.anchor import Anchor, AnchorError, check_anchor, parse_anchor
from procedo.journal.verify import Breach
from procedo.journal.verify_calls import verify_with_links
from procedo.render.branch_record import branch_label, call_entries, call_line, parent_line
from procedo.render.condition_record import condition_record, text_lines
from procedo.render.interrupt_record import interrupt_lines, interrupts_dict
from procedo.render.signature_record import signature_lines, signatures_dict


@contextlib.contextmanager
def journal_for(obj: ProcedoContext, *, create: bool = False) -> Iterator[Journal]:
    """Open the journal for a command (through its workspace); a clear message and exit 1
    when it cannot be used."""
    workspace = obj.workspace(create=create)
    try:
        journal = workspace.journal
    except JournalError as error:
        fail(str(error))
    try:
        yield journal
    except JournalError as error:
        fail(str(error))
    finally:
        workspace.close()


def short_time(iso: str | None) -> str:
    """``2026-11-25 09:30`` from an ISO timestamp."""
    return iso[:16].replace("T", " ") if iso else ""


@click.command("runs")
@click.option("--process", "process_id", help="Only runs of this process id.")
@click.option("--status", type=click.Choice(STATUSES), help="Only runs with this status.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@add_path_options
@pass_procedo
def runs_command(
    obj: ProcedoContext, process_id: str | None, status: str | None, as_json: bool
) -> None:
    """List runs, newest first."""
    if not obj.paths.db.exists():
        if as_json:
            print_json({"runs": []})
        else:
            echo(f"No runs yet (no journal at {obj.paths.db}).")
        return
    with journal_for(obj) as journal:
        rows = journal.runs(process=process_id, status=status)
    if as_json:
        for row in rows:
            row["operators"] = json.loads(row["operators"])
        print_json({"runs": rows})
        return
    if not rows:
        echo("No runs match.")
        return
    print_table(
        [
            [
                r["id"][:8],
                r["process_id"],
                r["status"] + (" (practice)" if r["practice"] else ""),
                r["operator"],
                short_time(r["started_at"]),
                r["end_node"] or r["current_node"] or "",
            ]
            for r in rows
        ],
        ["RUN", "PROCESS", "STATUS", "OPERATOR", "STARTED (UTC)", "AT / ENDED AT"],
    )


@click.command("show")
@click.argument("run")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@add_path_options
@pass_procedo
def show_command(obj: ProcedoContext, run: str, as_json: bool) -> None:
    """Show one run's state and every event. RUN may be a unique prefix of the id."""
    with journal_for(obj) as journal, journal.snapshot():
        run_id = journal.resolve_run_id(run)
        row = journal.run_row(run_id)
        definition, state = journal.load_state(run_id)
        events = journal.events(run_id)
    if as_json:
        row["operators"] = json.loads(row["operators"])
        print_json(
            {
                "run": row,
                "path": state.path_nodes(),
                "conditions": dataclasses.asdict(condition_record(definition, state)),
                "called_runs": [dataclasses.asdict(c) for c in call_entries(definition, events)],
                **interrupts_dict(definition, state, events),
                "signatures": signatures_dict(definition, state, events),
                "events": [e.to_row() for e in events],
            }
        )
        return
    echo(f"Run {run_id}")
    version = f"{row['process_id']} v{row['process_version']}"
    echo(f"  process   {shown(definition.title)} ({shown(version)})")
    echo(f"  status    {row['status']}" + (" (practice)" if row["practice"] else ""))
    operators = ", ".join(shown(name) for name in state.operators)
    echo(f"  operator  {shown(row['operator'])}  (all: {operators})")
    if row["trigger"]:
        echo(f"  trigger   {shown(row['trigger'])}")
    echo(f"  started   {short_time(row['started_at'])} UTC")
    if row["ended_at"]:
        echo(f"  ended     {short_time(row['ended_at'])} UTC")
    echo(f"  path      {' > '.join(state.path_nodes())}")
    if state.parent_run is not None:
        echo(f"  {parent_line(state)}")
    for entry in call_entries(definition, events):
        echo(f"  call      {shown(call_line(entry))}")
    for said in interrupt_lines(definition, state, events):
        echo(f"  {shown(said)}")
    for said in signature_lines(definition, state, events):
        echo(f"  {shown(said)}")
    conditions = text_lines(condition_record(definition, state))
    if conditions:
        echo("")
        for line in conditions:
            echo("  " + shown(line))
    echo("")
    for event in events:
        parts = [f"{event.seq:>4}", event.ts[11:23], shown(event.actor), event.kind]
        if event.branch:
            parts.append(shown(branch_label(definition, event.branch).strip()))
        if event.node:
            item = f"#{event.item + 1}" if event.item is not None else ""
            if event.kind == "sign" and event.item is not None:  # a sign-off, not an item
                item = f" sign-off {event.item + 1}"
            parts.append(shown(event.node) + item)
        if event.value is not None:
            parts.append(f"= {shown(event.value)}")
        if event.reason:
            parts.append(f"({shown(event.reason)})")
        echo("  " + "  ".join(parts))


@click.command("verify")
@click.argument("runs", nargs=-1)
@click.option(
    "--anchor",
    "anchor_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Also check that every run reaches FILE: an anchor (`procedo anchor`) or a run's "
    "Markdown export.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@add_path_options
@pass_procedo
def verify_command(
    obj: ProcedoContext, runs: tuple[str, ...], anchor_file: str | None, as_json: bool
) -> None:
    """Recompute the journal's hash chains; exit 1 if any run was tampered with."""
    anchor = _read_anchor(Path(anchor_file)) if anchor_file else None
    with journal_for(obj) as journal, journal.snapshot():
        ids = [journal.resolve_run_id(r) for r in runs] if runs else None
        report = verify_with_links(journal, ids)
        if anchor is not None and ids is not None:
            anchor = dataclasses.replace(
                anchor, points=[p for p in anchor.points if p.run_id in ids]
            )
        missed = check_anchor(journal, anchor) if anchor is not None else []
    intact = report.intact and not missed and not (anchor is not None and anchor.altered)
    if as_json:
        data: dict[str, object] = {
            "intact": intact,
            "runs": report.runs_checked,
            "events": report.events_checked,
            "breaches": [_breach_json(b) for b in report.breaches],
            "signers": [
                {"signer_id": b.signer_id, "seq": b.seq, "reason": b.reason} for b in report.signers
            ],
        }
        if anchor is not None:
            data["anchor"] = {
                "file": anchor_file,
                "kind": anchor.kind,
                "runs": len(anchor.points),
                "altered": anchor.altered,
                "breaches": [_breach_json(b) for b in missed],
            }
        print_json(data)
    else:
        for breach in [*report.breaches, *report.signers]:
            echo(str(breach))
        if anchor is not None:
            _echo_anchor(anchor_file or "", anchor, missed)
        bad = len({breach.run_id for breach in [*report.breaches, *missed]})
        verdict = "intact" if intact else f"{bad} run(s) NOT intact"
        others = [
            *(["the signers are NOT intact"] if report.signers else []),
            *(["the anchor file was altered"] if anchor is not None and anchor.altered else []),
        ]
        if bad == 0 and not intact:
            verdict = "the runs are intact, but " + " and ".join(others)
        elif report.signers:
            verdict += "; the signers are NOT intact"
        echo(f"Checked {report.runs_checked} run(s), {report.events_checked} event(s): {verdict}.")
    if not intact:
        raise SystemExit(1)


def _read_anchor(path: Path) -> Anchor:
    try:
        return parse_anchor(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        fail(f"{path} is not an anchor: it is not UTF-8 text")
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror or error}")
    except AnchorError as error:
        fail(f"{path}: {error}")


def _breach_json(breach: Breach) -> dict[str, object]:
    return {"run_id": breach.run_id, "seq": breach.seq, "reason": breach.reason}


def _echo_anchor(name: str, anchor: Anchor, missed: list[Breach]) -> None:
    if anchor.altered:
        click.echo(
            f"anchor {shown(name)}: its digest does not match its lines: the anchor file was "
            "altered, so what it holds proves nothing"
        )
    for breach in missed:
        echo(f"{breach} (anchor {shown(name)})")
    held = "run" if anchor.kind == "export" else "anchored run(s)"
    click.echo(f"Anchor {shown(name)}: {len(anchor.points)} {held}, {len(missed)} not reached.")


@click.command("paths")
@add_path_options
@pass_procedo
def paths_command(obj: ProcedoContext) -> None:
    """Print the folders and files procedo uses."""
    paths = obj.paths
    echo(f"processes  {paths.processes}{'' if paths.processes.exists() else '  (missing)'}")
    echo(f"database   {paths.db}{'' if paths.db.exists() else '  (not created yet)'}")


COMMANDS = [runs_command, show_command, verify_command, paths_command]
