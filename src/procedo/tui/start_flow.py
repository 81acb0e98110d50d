"""Starting a run in the app: straight away when the request lacks nothing, else on the start
screen (operator, trigger, start inputs); then the run is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from procedo.tui.start_request import StartRequest, input_problems

if TYPE_CHECKING:
    from procedo.tui.app import ProcedoApp


def handle_start_request(app: ProcedoApp, request: StartRequest) -> None:
    """Start straight away when nothing is missing, else ask on the start screen."""
    loaded = app.workspace.process(request.process_id)
    trigger = request.trigger
    if loaded is not None and trigger is None and len(loaded.definition.triggers) == 1:
        trigger = loaded.definition.triggers[0].id
    needs_trigger = loaded is not None and bool(loaded.definition.triggers) and not trigger
    needs_inputs = loaded is not None and bool(input_problems(loaded.definition, request.inputs))
    if request.operator and not needs_trigger and not needs_inputs:
        app.start_run(
            request.process_id,
            request.operator,
            trigger,
            practice=request.practice,
            inputs=request.inputs,
        )
    else:
        app.open_start(
            request.process_id,
            practice=request.practice,
            trigger=trigger,
            operator=request.operator,
            inputs=request.inputs,
        )


def open_start(
    app: ProcedoApp,
    process_id: str,
    *,
    practice: bool = False,
    trigger: str | None = None,
    operator: str | None = None,
    inputs: dict[str, str] | None = None,
) -> None:
    """Ask for the operator, trigger and start inputs, then start a run."""
    from procedo.tui.screens.start import StartScreen

    if app.refuse_if_read_only("No run can be started"):
        return
    loaded = app.workspace.process(process_id)
    if loaded is None:
        app.notify(f"No valid process {process_id!r}.", severity="error", markup=False)
        return

    def start(request: StartRequest | None) -> None:
        if request is not None:
            app.start_run(
                request.process_id,
                request.operator or "",
                request.trigger,
                practice=request.practice,
                inputs=request.inputs,
            )

    app.push_screen(
        StartScreen(
            loaded,
            operator or app.workspace.suggested_operator(),
            practice=practice,
            trigger=trigger,
            inputs=inputs,
        ),
        start,
    )


def start_run(
    app: ProcedoApp,
    process_id: str,
    operator: str,
    trigger: str | None,
    *,
    practice: bool = False,
    inputs: dict[str, str] | None = None,
) -> bool:
    """Start a run and show it; False (with a message) if it could not start."""
    from procedo.engine import RunError
    from procedo.journal import JournalError

    if app.refuse_if_read_only("No run can be started"):
        return False
    try:
        run = app.workspace.start_run(
            process_id, operator, trigger, practice=practice, inputs=inputs
        )
    except (RunError, JournalError) as error:
        app.notify(str(error), title="Not started", severity="error", markup=False)
        return False
    app.show_run(run, read_only=False)
    return True
