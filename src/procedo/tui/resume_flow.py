"""Resuming a run in the app: open it, ask who goes on when someone else is at the keyboard,
resume it if it was paused, and show it (read-only if another session drives it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from procedo.tui.text import shown

if TYPE_CHECKING:
    from procedo.engine import Run
    from procedo.tui.app import ProcedoApp
    from procedo.tui.screens.run import RunScreen


def resume_run(app: ProcedoApp, run_id: str) -> None:
    """Open the run ``run_id`` and show it (its summary when it is over)."""
    from procedo.engine import RunError
    from procedo.journal import JournalError
    from procedo.tui.screens.run import RunScreen
    from procedo.tui.screens.run_calls import resume_chain

    depth = len(app.screen_stack)
    try:
        # a run that called another: its parents are opened first, the innermost run shown
        run_id = resume_chain(app, app.workspace.journal.resolve_run_id(run_id))
        opened = app.workspace.open_run(run_id)  # read-only, too, if the journal is
    except (RunError, JournalError) as error:
        app.notify(str(error), title="Cannot open the run", severity="error", markup=False)
        return
    if opened.run.state.finished:
        app.show_summary(opened.run)
        return
    parents = [s for s in app.screen_stack[depth:] if isinstance(s, RunScreen)]
    if not opened.read_only and _ask_who_resumes(app, opened.run, parents):
        return  # the dialog goes on with it
    if not opened.read_only and opened.run.state.status == "paused":
        try:
            opened.run.resume()
        except (RunError, JournalError) as error:
            app.notify(str(error), title="Not resumed", severity="error", markup=False)
            return
    reason = app.workspace.read_only_message
    if opened.read_only and not reason:
        reason = str(getattr(opened.run.sink, "reason", ""))
    app.show_run(opened.run, read_only=opened.read_only, reason=reason)


def _ask_who_resumes(app: ProcedoApp, run: Run, parents: list[RunScreen]) -> bool:
    """When the person at the keyboard (login name or PROCEDO_OPERATOR) is not the last
    operator of the run, or of a run of its chain of calls (``parents``: their screens, just
    opened under it), ask who is going on with them, so work on a shared workstation is never
    journaled under the last name by default: each run of the chain goes on with the answer.
    Escape leaves them all paused. True when the dialog was shown."""
    from procedo.engine import RunError
    from procedo.engine.cleaning import MAX_NAME, clean_name
    from procedo.journal import JournalError
    from procedo.journal.store import default_operator
    from procedo.tui.screens.dialogs import TextPrompt

    here, last = default_operator(), run.state.operator
    chain = [*(s.run for s in parents if not s.read_only), run]
    if not here or all(each.state.operator == here for each in chain):
        return False

    def after(result: object) -> None:
        if result is None:
            while app.screen in parents:  # the parents opened for it: left paused again
                app.pop_screen()
            return
        who = clean_name(str(result))
        try:
            for each in chain:
                if each.state.status == "paused":
                    each.resume()
                if who != each.state.operator:
                    each.hand_over(who, "resumed at the keyboard by another operator")
        except (RunError, JournalError) as error:
            app.notify(str(error), title="Not resumed", severity="error", markup=False)
            return
        app.show_run(run, read_only=False)

    app.push_screen(
        TextPrompt(
            "Who is going on with this run?",
            hint=f"Last worked by {shown(last)}. Work from here on is journaled under the "
            "name below; keep the last operator's name only if that is you.",
            value=here,
            check=clean_name,
            max_length=MAX_NAME,
            what="operator name",
        ),
        after,
    )
    return True
