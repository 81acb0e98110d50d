"""Commands that open the terminal app: the bare ``procedo``, ``run``, ``resume`` and
``board``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from procedo.cli.common import (
    ProcedoContext,
    add_path_options,
    add_quiet_option,
    echo,
    fail,
    pass_procedo,
)

if TYPE_CHECKING:
    from procedo.model import ProcessDefinition


def _launch(obj: ProcedoContext, **kwargs: object) -> None:
    from procedo.cli.main_home import launch_app

    paths = obj.paths
    if not paths.processes.exists():
        echo(
            f"procedo: no processes folder at {paths.processes}; "
            "create one with `procedo new ID` or pass --processes DIR",
            err=True,
        )
    launch_app(paths, quiet=obj.quiet, **kwargs)


def open_home(obj: ProcedoContext) -> None:
    """Open the home screen."""
    _launch(obj)


@click.command("run")
@click.argument("process_id")
@click.option("--operator", help="Operator name (skips the start screen).")
@click.option("--trigger", help="Trigger id, when the process has triggers.")
@click.option("--practice", is_flag=True, help="A practice run, left out of the metrics.")
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="ID=VALUE",
    help="A start input of the process (repeatable); the start screen asks for the others.",
)
@add_path_options
@add_quiet_option
@pass_procedo
def run_command(
    obj: ProcedoContext,
    process_id: str,
    operator: str | None,
    trigger: str | None,
    practice: bool,
    settings: tuple[str, ...],
) -> None:
    """Start a run of PROCESS_ID straight away."""
    from procedo.tui import StartRequest

    workspace = obj.workspace()
    catalog = workspace.catalog if workspace.paths.processes.exists() else None
    loaded = catalog.get(process_id) if catalog else None
    if loaded is None:
        known = ", ".join(p.id for p in catalog.processes) if catalog else ""
        fail(
            f"no valid process {process_id!r} in {obj.paths.processes}"
            + (f" (known: {known})" if known else "")
        )
    if trigger is not None and loaded.definition.trigger(trigger) is None:
        ids = ", ".join(t.id for t in loaded.definition.triggers) or "none"
        fail(f"{trigger!r} is not a trigger of {process_id} (triggers: {ids})", code=2)
    inputs = start_inputs(loaded.definition, settings)
    _launch(obj, start=StartRequest(process_id, operator, trigger, practice, inputs))


def start_inputs(definition: ProcessDefinition, settings: tuple[str, ...]) -> dict[str, str]:
    """The ``--set ID=VALUE`` options as start inputs (each checked as the start screen would
    check it); a clear error, before the app opens, for a malformed, unknown or bad one."""
    from procedo.engine import RunError
    from procedo.engine.values import normalise_value

    known = ", ".join(definition.inputs) or "none"
    inputs: dict[str, str] = {}
    for setting in settings:
        key, equals, raw = setting.partition("=")
        key = key.strip()
        if not equals or not key:
            fail(f"--set takes ID=VALUE, not {setting!r}", code=2)
        spec = definition.inputs.get(key)
        if spec is None:
            fail(f"{key!r} is not a start input of {definition.id} (inputs: {known})", code=2)
        if key in inputs:
            fail(f"--set {key} is given twice", code=2)
        try:
            inputs[key] = normalise_value(spec, raw)
        except RunError as error:
            fail(f"--set {key}: {error}", code=2)
    return inputs


@click.command("resume")
@click.argument("run")
@add_path_options
@add_quiet_option
@pass_procedo
def resume_command(obj: ProcedoContext, run: str) -> None:
    """Reopen a run (RUN may be a unique prefix of its id)."""
    from procedo.journal import JournalError

    try:
        with obj.workspace() as workspace:
            run_id = workspace.resolve_run_id(run)
    except JournalError as error:
        fail(str(error))
    _launch(obj, resume=run_id)


@click.command("board")
@add_path_options
@pass_procedo
def board_command(obj: ProcedoContext) -> None:
    """Open the live board: every active and paused run, from every window."""
    _launch(obj, board=True)
