"""Commands about past runs: history, stats and export."""

from __future__ import annotations

import csv
import io

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
from procedo.cli.files import write_or_print
from procedo.cli.runs import journal_for, short_time
from procedo.engine import STATUSES
from procedo.journal import Journal
from procedo.journal.clock_metrics import clock_figures
from procedo.journal.history import HistoryFilter, HistoryRow, history_count, history_page
from procedo.journal.history_calls import CallLink, NestedRow, call_links, nest
from procedo.journal.history_interrupts import FIELDS, RunInterrupts, run_interrupts
from procedo.journal.metrics import compute_metrics, metrics_by_version
from procedo.journal.parallel_metrics import compute_parallel_figures
from procedo.journal.run_record import load_run_record
from procedo.render.export import duration, spreadsheet_safe, to_csv, to_json, to_markdown
from procedo.render.words import plural
from procedo.safe_text import visible

HISTORY_FIELDS = [*HistoryRow.__dataclass_fields__, "parent_run", "parent_step", *FIELDS]


@click.command("history")
@click.option("--process", "process_id", metavar="ID", help="Only runs of this process.")
@click.option("--status", type=click.Choice(STATUSES), help="Only runs with this status.")
@click.option(
    "--outcome", type=click.Choice(["success", "failure"]), help="Only completed runs ending so."
)
@click.option("--operator", metavar="NAME", help="Only runs this operator took part in.")
@click.option("--since", metavar="DATE", help="Started on or after (YYYY-MM-DD[THH:MM], UTC).")
@click.option("--until", metavar="DATE", help="Started on or before (a date: the whole day).")
@click.option("--search", metavar="TEXT", help="Text in the process, operators, trigger or id.")
@click.option("--practice/--no-practice", default=True, help="Show practice runs (default).")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many runs.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
@add_path_options
@pass_procedo
def history_command(
    obj: ProcedoContext,
    process_id: str | None,
    status: str | None,
    outcome: str | None,
    operator: str | None,
    since: str | None,
    until: str | None,
    search: str | None,
    practice: bool,
    limit: int,
    offset: int,
    as_json: bool,
    as_csv: bool,
) -> None:
    """List past runs, newest first, with their outcome and duration."""
    if as_json and as_csv:
        fail("choose one of --json and --csv", code=2)
    try:
        flt = HistoryFilter(
            process_id, status, outcome, operator, since, until, search, include_practice=practice
        )
    except ValueError as error:
        fail(str(error), code=2)
    rows: list[HistoryRow] = []
    total = 0
    links: dict[str, CallLink] = {}
    counts: dict[str, RunInterrupts] = {}
    if obj.paths.db.exists():
        with journal_for(obj) as journal:
            rows = history_page(journal, flt, limit=limit, offset=offset)
            total = history_count(journal, flt)
            links = call_links(journal, [row.run_id for row in rows])
            counts = run_interrupts(journal, [row.run_id for row in rows])
    if as_json:
        runs = [
            r.to_dict()
            | _link_fields(links.get(r.run_id))
            | counts.get(r.run_id, RunInterrupts()).to_dict()
            for r in rows
        ]
        print_json({"total": total, "offset": offset, "runs": runs})
    elif as_csv:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HISTORY_FIELDS)
        for row in rows:
            data = row.to_dict() | _link_fields(links.get(row.run_id))
            data |= counts.get(row.run_id, RunInterrupts()).to_dict()
            data["operators"] = "; ".join(row.operators)
            writer.writerow([spreadsheet_safe(_one_line(data[name])) for name in HISTORY_FIELDS])
        echo(out.getvalue(), nl=False)
    elif not obj.paths.db.exists():
        echo(f"No runs yet (no journal at {obj.paths.db}).")
    elif not rows:
        echo("No runs match." if not total else f"No runs after the first {offset}.")
    else:
        print_table([_history_cells(n) for n in nest(rows, links)], _HISTORY_HEADERS)
        echo(f"\n{offset + 1}-{offset + len(rows)} of {total} run(s), newest first.")


def _one_line(value: object) -> object:
    """A CSV cell: text with any control or bidi character (a line break too) escaped."""
    return visible(value) if isinstance(value, str) else value


_HISTORY_HEADERS = ["RUN", "PROCESS", "VER", "STARTED (UTC)", "OPERATORS", "STATUS", "OUTCOME",
                    "DURATION", "TARGET"]  # fmt: skip


def _link_fields(link: CallLink | None) -> dict[str, str | None]:
    """A history row's parent (both None for a run nothing called)."""
    return {
        "parent_run": link.parent_run if link else None,
        "parent_step": link.parent_step if link else None,
    }


def _history_cells(nested: NestedRow) -> list[str]:
    row, link = nested.row, nested.link
    target = "" if row.on_target is None else ("on target" if row.on_target else "over")
    process = row.process_id
    if nested.parent_shown:
        process = "  " * (nested.depth - 1) + "↳ " + process
    elif link is not None:
        process += f" (called by {link.parent_run[:8]})"
    return [
        row.run_id[:8],
        process,
        row.version,
        short_time(row.started_at),
        ", ".join(row.operators),
        row.status + (" (practice)" if row.practice else ""),
        row.outcome or "",
        duration(row.duration_ms),
        target,
    ]


@click.command("stats")
@click.argument("process", required=False)
@click.option("--version", "version", metavar="V", help="Only runs of this version.")
@click.option("--by-version", is_flag=True, help="The figures of each version in turn.")
@click.option("--include-practice", is_flag=True, help="Count practice runs too.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@add_path_options
@pass_procedo
def stats_command(
    obj: ProcedoContext,
    process: str | None,
    version: str | None,
    by_version: bool,
    include_practice: bool,
    as_json: bool,
) -> None:
    """Completion metrics of PROCESS (or of all processes), as on the metrics screen."""
    if (version or by_version) and not process:
        fail("--version and --by-version need a PROCESS", code=2)
    if version and by_version:
        fail("choose one of --version and --by-version", code=2)
    if not obj.paths.db.exists():
        if process:
            fail(f"no runs of {process!r} yet (no journal at {obj.paths.db})")
        echo(f"No runs yet (no journal at {obj.paths.db}).")
        return
    with journal_for(obj) as journal:
        title = _check_scope(journal, process, version)
        if by_version and process:
            found = metrics_by_version(journal, process, include_practice=include_practice)
        else:
            one = compute_metrics(
                journal, process, include_practice=include_practice, version=version
            )
            found = {version or "": one}
        parallel = {
            key: compute_parallel_figures(
                journal, process, include_practice=include_practice, version=key or None
            )
            for key in found
        }
        clock = {
            key: clock_figures(
                journal, process, include_practice=include_practice, version=key or None
            )
            for key in found
        }
    data = {
        key: m.to_dict() | {"parallel": parallel[key].to_dict()} | clock[key].to_dict()
        for key, m in found.items()
    }
    if as_json:
        if by_version:
            print_json({"process_id": process, "versions": data})
        else:
            print_json(next(iter(data.values())))
        return
    from procedo.cli.stats_text import metrics_lines

    for index, (key, metrics) in enumerate(found.items()):
        if index:
            echo("")
        for line in metrics_lines(metrics, title, parallel[key], clock[key]):
            echo(line)


def _check_scope(journal: Journal, process: str | None, version: str | None) -> str:
    """The process title; exit 1 when the journal has no runs of the process or version."""
    if process is None:
        return "All processes"
    rows = journal.rows(
        "SELECT d.title, d.version FROM definitions d WHERE d.process_id = ? "
        "AND EXISTS (SELECT 1 FROM runs r WHERE r.definition_hash = d.hash) "
        "ORDER BY d.first_seen DESC",
        (process,),
    )
    if not rows:
        fail(f"no runs of {process!r} in the journal")
    versions = list(dict.fromkeys(r["version"] for r in rows))
    if version is not None and version not in versions:
        fail(f"{process!r} has no runs of version {version!r} (versions: {', '.join(versions)})")
    return f"{rows[0]['title']} ({process})"


_FORMATS = {"md": to_markdown, "json": to_json, "csv": to_csv}


@click.command("export")
@click.argument("run")
@click.option("--format", "fmt", type=click.Choice(list(_FORMATS)), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@add_path_options
@pass_procedo
def export_command(
    obj: ProcedoContext, run: str, fmt: str, output: str | None, force: bool
) -> None:
    """Export one run: a printable Markdown record, JSON, or CSV of its events.

    RUN may be a unique prefix of the id. The Markdown ends with the run's last journal hash.
    """
    with journal_for(obj) as journal:
        record = load_run_record(journal, journal.resolve_run_id(run))
    text = _FORMATS[fmt](record)
    target = write_or_print(output, text, force=force)
    if target is None:
        return
    echo(
        f"Wrote {target}: run {record.run_id[:8]}, {plural(record.last_seq, 'event')}, "
        f"last hash {record.last_hash[:16]}...",
        err=True,
    )


COMMANDS = [history_command, stats_command, export_command]
