"""``procedo docs`` (handbook pages) and ``procedo import`` (a Markdown checklist to TOML)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import click

from procedo.cli.common import ProcedoContext, add_path_options, fail, pass_procedo
from procedo.model import load_catalog

INDEX_NAME = "README.md"


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` through a temporary file in the same folder."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_new(path: Path, text: str) -> None:
    """Write ``path`` only when it does not exist yet; never a half-written file.

    Raises :class:`FileExistsError` when it exists (also when it appears meanwhile).
    """
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.link(temp, path)  # fails when the target exists: no race with another writer
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


@click.command("docs")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="handbook",
    show_default=True,
    help="Folder to write the pages into (created when missing).",
)
@add_path_options
@pass_procedo
def docs_command(obj: ProcedoContext, out_dir: str) -> None:
    """Write a Markdown handbook page per process, and an index README.md.

    Files with problems are reported on stderr and left out; the valid ones are still
    written. Exit 1 when any file had problems.
    """
    from procedo.render.handbook import render_handbook, render_index

    folder = obj.paths.processes
    if not folder.exists():
        fail(f"no processes folder at {folder} (create one, or use --processes)")
    catalog = load_catalog([folder])
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"cannot create {out}: {error.strerror or error}")
    pages = []
    for loaded in sorted(catalog.processes, key=lambda p: p.id):
        name = f"{loaded.id}.md"
        try:
            write_atomic(out / name, render_handbook(loaded.definition))
        except OSError as error:
            fail(f"cannot write {out / name}: {error.strerror or error}")
        pages.append((loaded.definition, name))
    try:
        write_atomic(out / INDEX_NAME, render_index(pages))
    except OSError as error:
        fail(f"cannot write {out / INDEX_NAME}: {error.strerror or error}")
    for problem in catalog.problems:
        click.echo(str(problem), err=True)
    click.echo(f"Wrote {len(pages)} page(s) and {INDEX_NAME} to {out}.")
    if catalog.problems:
        click.echo(
            f"procedo: {len(catalog.files_with_problems)} file(s) with problems were left out; "
            "run `procedo validate` for details.",
            err=True,
        )
        raise SystemExit(1)
