"""The run screen at a calling step: the called run started (its missing start inputs asked
first) and shown over its parent, the breadcrumb of a called run, the parent going on once
its child has ended, and resuming a chain of calls from its innermost open run.

The parent's screen stays on the stack under its child's, with its run active and held: the
child's time counts in the parent's step. Leaving the child (``q``) pauses it and then every
parent (each screen pauses its run as it goes); when the child's summary is left, the parent's
screen shows again and settles the call (``calls.settle``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from procedo import calls
from procedo.engine import Refused, Run, RunError
from procedo.journal import JournalError
from procedo.model.placeholders import fill
from procedo.tui.screens.dialogs import TextPrompt
from procedo.tui.text import line
from procedo.tui.widgets.updates import update_static

if TYPE_CHECKING:
    from textual.widgets import Static

    from procedo.engine import RunState
    from procedo.model import ProcessDefinition
    from procedo.tui.app import ProcedoApp
    from procedo.tui.screens.run import RunScreen

ENDED = ("completed", "aborted")
OPEN = ("active", "paused")


def breadcrumb_content(titles: list[str]) -> Content:
    """``Lockout/tagout › Prove a voltage tester``: every title literal, the last in bold."""
    parts: list[str | Content | tuple[str, str]] = []
    for index, title in enumerate(titles):
        if index:
            parts.append(("  ›  ", "$text-muted"))
        parts.append((title, "bold") if index == len(titles) - 1 else title)
    return line(*parts)


def chain_titles(screen: RunScreen) -> list[str]:
    """The process titles from the outermost run down to this one."""
    workspace = screen.app.workspace
    states = calls.chain(workspace, screen.run.state)
    titles = [workspace.journal.definition(s.definition_hash).title for s in states[:-1]]
    return [*titles, screen.run.definition.title]


def show_breadcrumb(screen: RunScreen) -> None:
    """Show the breadcrumb of a called run (hidden on a run nobody called); once per screen."""
    crumb: Static = screen.query_one("#breadcrumb")  # type: ignore[assignment]
    crumb.display = screen.run.state.parent_run is not None
    if crumb.display:
        try:
            titles = chain_titles(screen)
        except JournalError:
            titles = ["…", screen.run.definition.title]
        update_static(crumb, breadcrumb_content(titles))


def home_run(screen: RunScreen) -> str:
    """The run the home screen lists for this one: the outermost of its chain of calls."""
    app = screen.app
    from procedo.tui.screens.run import RunScreen as Screen

    outer = next((s for s in app.screen_stack if isinstance(s, Screen)), screen)
    return outer.run.run_id


def pause_parents(screen: RunScreen) -> None:
    """Pause (and release) every run under this one on the stack: the runs that called it,
    innermost first, so the home screen lists them paused."""
    from procedo.tui.screens.run import RunScreen as Screen

    stack = screen.app.screen_stack
    below = stack[: stack.index(screen)] if screen in stack else []
    for parent in reversed(below):
        if isinstance(parent, Screen):
            parent.leave_paused()


def _called_title(screen: RunScreen, process_id: str) -> str:
    loaded = screen.app.workspace.process(process_id)
    return loaded.definition.title if loaded is not None else process_id


def follow_call(screen: RunScreen) -> bool:
    """At a step whose call is open: show its child run (starting it, or opening it again),
    or go on when the child has ended. True when the step has an open call."""
    if screen.read_only:
        return False
    run = screen.run
    call = run.open_call()
    if call is None:
        return False
    child_id, process_id, _ = call
    workspace = screen.app.workspace
    try:
        status = calls.child_status(workspace, child_id)
        if status in ENDED:
            settle_here(screen)
        elif status in OPEN:
            _open_child(screen, child_id)
        else:
            _start(screen, process_id)
    except (RunError, JournalError) as error:
        screen.failed(error)
    return True


def _start(screen: RunScreen, process_id: str) -> None:
    """Start the child run: first ask for the start inputs the parent cannot pass down."""
    workspace, run = screen.app.workspace, screen.run
    loaded = workspace.process(process_id)
    if loaded is None:
        raise Refused(
            f"the called process {process_id!r} is not in {workspace.paths.processes}: add it "
            "and press c to start it, or abort this run"
        )
    missing = calls.missing_inputs(workspace, run)
    _ask_inputs(screen, loaded.definition, missing, {})


def _ask_inputs(
    screen: RunScreen, definition: ProcessDefinition, missing: list[str], given: dict[str, str]
) -> None:
    """Ask the missing start inputs one by one, then start the child (escape: not started)."""
    if not missing:
        _start_with(screen, given)
        return
    key, rest = missing[0], missing[1:]
    spec = definition.inputs[key]
    from procedo.engine.values import normalise_value

    def answered(answer: object) -> None:
        if answer is None:
            screen.show_status("the called run was not started: press c to start it", "refused")
            return
        _ask_inputs(screen, definition, rest, {**given, key: str(answer)})

    label = spec.title or key
    screen.app.push_screen(
        TextPrompt(
            f"{definition.title}: {label}",
            hint="The called process needs this start input; the run above has no value for "
            "it that fits.",
            check=lambda value: normalise_value(spec, value),
            what="value",
        ),
        answered,
    )


def _start_with(screen: RunScreen, inputs: dict[str, str]) -> None:
    run = screen.run
    try:
        child = calls.start_child(screen.app.workspace, run, run.state.operator, inputs)
    except (RunError, JournalError) as error:
        screen.failed(error)
        return
    screen.app.show_run(child, read_only=False)


def _open_child(screen: RunScreen, child_id: str) -> None:
    """Open the child run again (after a crash, or a pause), resumed, over its parent."""
    opened = screen.app.workspace.open_run(child_id)
    if not opened.read_only and opened.run.state.status == "paused":
        opened.run.resume()
    screen.app.show_run(opened.run, read_only=opened.read_only)


def settle_here(screen: RunScreen) -> None:
    """When this run's called run has ended, go on in this run at the node its end leads to
    (an aborted child: stay at the step, which can call again) and say so."""
    if screen.read_only or screen.run.state.status != "active":
        return
    run = screen.run
    call = run.open_call()
    if call is None:
        return
    title = _called_title(screen, call[1])
    try:
        if calls.child_status(screen.app.workspace, call[0]) is None:
            screen.show_status(f"this step calls {title}: press c to start it", "refused")
            return
        if not calls.settle(screen.app.workspace, run):
            return
    except (RunError, JournalError) as error:
        screen.failed(error)
        return
    screen.refresh_view()
    visit = run.state.current
    if visit is not None and visit.child_outcome == "aborted":
        screen.show_status(f"{title} was aborted: press c to run it again, or abort this run")
        return
    node = run.state.current_node
    found = run.definition.node(node) if node else None
    here = getattr(found, "title", None) or getattr(found, "question", "") or (node or "")
    screen.show_status(f"{title} ended; now: {fill(here, run.scope())}")


def resume_chain(app: ProcedoApp, run_id: str) -> str:
    """Before resuming ``run_id``: open, resume and show each of its parents when the run
    called another (the run to show last is returned: the innermost open one). Nothing is
    opened for a run that calls nothing."""
    workspace = app.workspace
    target = calls.innermost(workspace, run_id)
    _, state = workspace.journal.load_state(target)
    if state.parent_run is None:
        return target
    for ancestor in calls.chain(workspace, state)[:-1]:
        _show_parent(app, ancestor)
    return target


def _show_parent(app: ProcedoApp, state: RunState) -> None:
    opened = app.workspace.open_run(state.run_id)
    run: Run = opened.run
    if not opened.read_only and run.state.status == "paused":
        run.resume()
    app.show_run(run, read_only=opened.read_only)


__all__ = [
    "breadcrumb_content",
    "chain_titles",
    "follow_call",
    "home_run",
    "pause_parents",
    "resume_chain",
    "settle_here",
    "show_breadcrumb",
]
