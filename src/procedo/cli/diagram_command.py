"""``procedo diagram``: the map of a process as Mermaid, Graphviz DOT, terminal text or BPMN."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from procedo.cli.common import ProcedoContext, add_path_options, echo, fail, pass_procedo
from procedo.model import DefinitionError, LoadedProcess, ProcessDefinition, load_file
from procedo.model.figures import MapFigures

FORMATS = ["mermaid", "dot", "text", "bpmn"]


def load_process(obj: ProcedoContext, process: str) -> LoadedProcess:
    """The process with that id in the processes folder, or the definition file at that path."""
    if process.endswith(".toml"):
        try:
            return load_file(process)
        except DefinitionError as error:
            fail(f"{process} is not a valid process:\n" + str(error))
    workspace = obj.workspace()
    folder = workspace.paths.processes
    catalog = workspace.catalog if folder.exists() else None
    loaded = catalog.get(process) if catalog else None
    if loaded is not None:
        return loaded
    if catalog is None:
        fail(f"no process {process!r}: there is no processes folder at {folder}")
    broken = [f for f in catalog.files_with_problems if Path(f).stem == process]
    if broken:
        fail(f"{broken[0]} has problems, so {process!r} cannot be drawn; see `procedo validate`")
    known = ", ".join(p.id for p in catalog.processes)
    fail(f"no valid process {process!r} in {folder}" + (f" (known: {known})" if known else ""))


def journal_figures(
    obj: ProcedoContext, process_id: str, version: str | None, practice: bool
) -> MapFigures:
    """The map figures of the process from the journal (none when there is no journal yet)."""
    if not obj.paths.db.exists():
        echo(f"procedo: no journal at {obj.paths.db}; the map shows no runs", err=True)
        return MapFigures()
    from procedo.cli.runs import journal_for
    from procedo.journal.map_figures import map_figures

    with journal_for(obj) as journal:
        figures = map_figures(journal, process_id, version=version, practice=practice)
    if not figures.runs:
        which = f" of version {version}" if version else ""
        echo(f"procedo: no runs of {process_id!r}{which} in the journal yet", err=True)
    return figures


def render(
    definition: ProcessDefinition,
    fmt: str,
    *,
    detail: bool,
    figures: MapFigures | None,
    width: int | None = None,
) -> str:
    """The map in that format, ending with a newline (``width``: the text map's columns)."""
    if fmt == "mermaid":
        from procedo.render.mermaid import render_mermaid

        return render_mermaid(definition, detail=detail, figures=figures)
    if fmt == "dot":
        from procedo.render.dot import render_dot

        return render_dot(definition, detail=detail, figures=figures)
    if fmt == "bpmn":
        from procedo.render.bpmn import definition_to_bpmn

        return definition_to_bpmn(definition)  # the checklists are always in it
    from procedo.cli.terminal_text import shown
    from procedo.render.text_map import TEXT_MAP_WIDTH, render_text_map

    lines = render_text_map(definition, figures=figures, width=width or TEXT_MAP_WIDTH)
    return "".join(f"{shown(line.text)}\n" for line in lines)  # no escape codes reach a tty


@click.command("diagram")
@click.argument("process")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="mermaid",
    show_default=True,
    help="Mermaid flowchart, Graphviz DOT, text for the terminal, or BPMN 2.0 XML "
    "(with its diagram, for Camunda Modeler and bpmn.io).",
)
@click.option(
    "--detail", is_flag=True, help="List each step's checklist in its box (Mermaid and DOT)."
)
@click.option(
    "--metrics",
    is_flag=True,
    help="Label the map from the journal: moves taken, median step times, commonest path.",
)
@click.option("--version", "version", metavar="V", help="With --metrics: only runs of version V.")
@click.option("--include-practice", is_flag=True, help="With --metrics: count practice runs too.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@add_path_options
@pass_procedo
def diagram_command(
    obj: ProcedoContext,
    process: str,
    fmt: str,
    detail: bool,
    metrics: bool,
    version: str | None,
    include_practice: bool,
    output: str | None,
    force: bool,
) -> None:
    """Draw the map of PROCESS (an id, or a path to a .toml file).

    One lane per role, triggers as start nodes, decisions with their options on the edges,
    ends marked success or failure, loops drawn as back edges. BPMN writes the whole process
    (checklists included) as BPMN 2.0 XML with its diagram laid out. With --metrics, each move is
    labelled with how often runs took it, each step with its median time, the commonest path is
    emphasised and nodes never reached are marked (practice runs left out).
    """
    if (version or include_practice) and not metrics:
        fail("--version and --include-practice go with --metrics", code=2)
    if metrics and fmt == "bpmn":
        fail("--metrics does not apply to --format bpmn: the file holds the process only", code=2)
    loaded = load_process(obj, process)
    figures = journal_figures(obj, loaded.id, version, include_practice) if metrics else None
    width = None
    if fmt == "text" and output is None and sys.stdout.isatty():
        width = shutil.get_terminal_size().columns  # a parallel block fits the terminal
    text = render(loaded.definition, fmt, detail=detail, figures=figures, width=width)
    from procedo.cli.files import write_or_print

    target = write_or_print(output, text, force=force)
    if target is None:
        return
    echo(f"Wrote {target}: the {fmt} map of {loaded.id}.", err=True)
