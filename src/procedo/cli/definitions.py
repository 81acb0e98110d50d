"""Commands about process definitions: validate, list, new."""

from __future__ import annotations

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
from procedo.model.catalog_check import check_catalog
from procedo.model.problems import is_valid_id
from procedo.model.starter import starter_toml


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@add_path_options
@pass_procedo
def validate_command(obj: ProcedoContext, paths: tuple[str, ...], as_json: bool) -> None:
    """Check definition files or folders (default: the processes folder).

    Exit 0 when all are valid, 1 when any is not.
    """
    targets = [Path(p) for p in paths] or [obj.paths.processes]
    # files named on their own are not a catalog: a call out of them is only a warning
    alone = bool(paths) and not any(target.is_dir() for target in targets)
    catalog = check_catalog(targets, alone=alone)
    files = catalog.files
    bad = len(catalog.files_with_problems)
    if as_json:
        report: dict[str, object] = {
            "valid": not catalog.problems,
            "files": files,
            "files_with_problems": bad,
            "problems": [p.to_dict() for p in catalog.problems],
        }
        if catalog.warnings:  # only when there are any: the shape stays as it was
            report["warnings"] = [p.to_dict() for p in catalog.warnings]
        print_json(report)
    else:
        for warning in catalog.warnings:
            echo(f"warning: {warning}")
        for problem in catalog.problems:
            echo(str(problem))
        if catalog.problems:
            echo(
                f"{len(catalog.problems)} problem(s) in {bad} of {files} file(s); "
                f"{len(catalog.valid_ids)} valid process(es)."
            )
        elif not files:
            shown = ", ".join(str(t) for t in targets)
            echo(f"No process files (*.toml) found in {shown}.")
        else:
            echo(f"All {files} file(s) valid: {len(catalog.valid_ids)} process(es).")
    if catalog.problems or not files:
        raise SystemExit(1)


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the processes as JSON.")
@add_path_options
@pass_procedo
def list_command(obj: ProcedoContext, as_json: bool) -> None:
    """List the processes found in the processes folder."""
    workspace = obj.workspace()
    folder, catalog = workspace.paths.processes, workspace.catalog
    rows = []
    for loaded in catalog.processes:
        d = loaded.definition
        rows.append(
            {
                "id": d.id,
                "title": d.title,
                "version": d.version,
                "steps": len(d.steps),
                "decisions": len(d.decisions),
                "ends": len(d.ends),
                "file": str(loaded.path),
            }
        )
    if as_json:
        print_json({"processes": rows, "problems": [p.to_dict() for p in catalog.problems]})
        return
    if not folder.exists():
        echo(f"No processes folder at {folder} (create one, or use --processes).")
        return
    if rows:
        print_table(
            [
                [r["id"], r["title"], r["version"], str(r["steps"]), str(r["decisions"]), r["file"]]
                for r in rows
            ],
            ["ID", "TITLE", "VERSION", "STEPS", "DECISIONS", "FILE"],
        )
    else:
        echo(f"No valid processes in {folder}.")
    if catalog.problems:
        echo(
            f"\n{len(catalog.files_with_problems)} file(s) with problems are not listed; "
            "run `procedo validate` for details.",
            err=True,
        )


@click.command("new")
@click.argument("process_id")
@add_path_options
@pass_procedo
def new_command(obj: ProcedoContext, process_id: str) -> None:
    """Write a small valid starter process PROCESS_ID.toml into the processes folder."""
    if not is_valid_id(process_id):
        fail(
            f"{process_id!r} is not a valid process id: use lower-case letters, digits, "
            "'-' and '_', starting with a letter or digit",
            code=2,
        )
    folder = obj.paths.processes
    target = folder / f"{process_id}.toml"
    text = starter_toml(process_id)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        fail(f"{target} already exists; not overwriting it")
    except OSError as error:
        fail(f"cannot write {target}: {error.strerror or error}")
    echo(f"Wrote {target}. Edit it, then run `procedo validate {target}`.")
