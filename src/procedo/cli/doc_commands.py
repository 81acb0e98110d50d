"""``procedo docs`` (handbook pages) and ``procedo import`` (a Markdown checklist to TOML)."""

from __future__ import annotations

from pathlib import Path

import click

from procedo.cli.common import ProcedoContext, add_path_options, echo, fail, pass_procedo
from procedo.cli.files import write_file

INDEX_NAME = "README.md"


def _write_page(path: Path, text: str, *, force: bool) -> None:
    """Write a generated page; an existing file is replaced only when procedo docs wrote it
    (or with ``force``)."""
    from procedo.render.handbook import GENERATED_MARK

    if path.exists() and not force:
        try:
            existing = path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            fail(f"cannot read {path}: {error.strerror or error}")
        if GENERATED_MARK not in existing:
            fail(
                f"{path} exists and was not written by procedo docs; not replacing it "
                "(choose another folder with --out, or --force to replace it)"
            )
    try:
        write_file(path, text, force=True)
    except OSError as error:
        fail(f"cannot write {path}: {error.strerror or error}")


@click.command("docs")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="handbook",
    show_default=True,
    help="Folder to write the pages into (created when missing).",
)
@click.option(
    "--force", is_flag=True, help="Replace files in the folder that procedo docs did not write."
)
@add_path_options
@pass_procedo
def docs_command(obj: ProcedoContext, out_dir: str, force: bool) -> None:
    """Write a Markdown handbook page per process, and an index README.md.

    Files with problems are reported on stderr and left out; the valid ones are still
    written. Exit 1 when any file had problems.
    """
    from procedo.render.handbook import PageLink, render_handbook, render_index

    folder = obj.paths.processes
    if not folder.exists():
        fail(f"no processes folder at {folder} (create one, or use --processes)")
    catalog = obj.workspace().catalog
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        fail(f"cannot create {out}: {error.strerror or error}")
    pages = []
    links = {p.id: PageLink(p.definition.title, f"{p.id}.md") for p in catalog.processes}
    for loaded in sorted(catalog.processes, key=lambda p: p.id):
        name = f"{loaded.id}.md"
        _write_page(out / name, render_handbook(loaded.definition, links), force=force)
        pages.append((loaded.definition, name))
    _write_page(out / INDEX_NAME, render_index(pages), force=force)
    for problem in catalog.problems:
        echo(str(problem), err=True)
    echo(f"Wrote {len(pages)} page(s) and {INDEX_NAME} to {out}.")
    if catalog.problems:
        echo(
            f"procedo: {len(catalog.files_with_problems)} file(s) with problems were left out; "
            "run `procedo validate` for details.",
            err=True,
        )
        raise SystemExit(1)


def _looks_like_bpmn(text: str) -> bool:
    from procedo.importers.bpmn import looks_like_bpmn  # no defusedxml: that is imported later

    return looks_like_bpmn(text)


@click.command("import")
@click.argument("source", metavar="FILE.md|FILE.bpmn", type=click.Path(dir_okay=False))
@click.option("--id", "process_id", help="Process id (default: from the file name).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="TOML file to write (default: ID.toml in the current folder); never overwritten.",
)
@click.option(
    "--process",
    "process",
    metavar="PROCESS",
    help="BPMN only: import only this process (its id or name); default: every process.",
)
def import_command(
    source: str, process_id: str | None, output: str | None, process: str | None
) -> None:
    """Turn a Markdown checklist or a BPMN 2.0 file into process definitions (docs/import.md).

    The definition is validated before it is written; an existing file is never replaced.
    A file named .bpmn, or another (not .md) file of XML, is read as BPMN 2.0.
    """
    from procedo.importers.markdown import MarkdownImportError, import_markdown
    from procedo.importers.markdown_items import slug
    from procedo.model import is_valid_id

    path = Path(source)
    if process_id is not None and not is_valid_id(process_id):
        fail(
            f"{process_id!r} is not a valid process id: use lower-case letters, digits, "
            "'-' and '_', starting with a letter or digit",
            code=2,
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        fail(f"cannot read {path}: {error.strerror or error}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        fail(
            f"{path} is not UTF-8 text (byte 0x{raw[error.start : error.start + 1].hex()} at "
            f"offset {error.start}); save it as UTF-8"
        )
    suffix = path.suffix.lower()
    if suffix == ".bpmn" or (suffix not in (".md", ".markdown") and _looks_like_bpmn(text)):
        from procedo.cli.bpmn_import import import_bpmn_file

        import_bpmn_file(path, text, process_id=process_id, output=output, process=process)
        return
    if process is not None:
        fail("--process is only for a BPMN file", code=2)
    process_id = process_id or slug(path.stem, "imported")
    target = Path(output) if output else Path(f"{process_id}.toml")
    if target.exists():
        fail(f"{target} already exists; not overwriting it (choose another file with -o)")
    title = " ".join(path.stem.replace("_", " ").replace("-", " ").split()).capitalize()
    try:
        result = import_markdown(
            text, process_id=process_id, fallback_title=title, source=str(path)
        )
    except MarkdownImportError as error:
        fail(str(error))
    try:
        write_file(target, result.toml, force=False)
    except FileExistsError:
        fail(f"{target} already exists; not overwriting it (choose another file with -o)")
    except OSError as error:
        fail(f"cannot write {target}: {error.strerror or error}")
    definition = result.definition
    items = sum(len(step.items) for step in definition.steps.values())
    echo(
        f"Wrote {target}: {len(definition.steps)} step(s), {items} item(s), "
        f"{len(definition.decisions)} decision(s), {len(definition.ends)} end(s). "
        f"Check it with `procedo validate {target}`."
    )
