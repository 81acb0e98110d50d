"""Run: walk one process, node by node. Every action is durable before it shows.

The screen asks the engine what each key may do here (``Run.allowed()``, ``Run.toggle(i)``)
and writes through the engine; every refused or failed action lands in :meth:`RunScreen.failed`.
The dialogs (run_dialogs.py) only return what was typed; the screen writes it.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import OptionList, Static

from procedo.engine import Refused, Run, RunError, RunState
from procedo.engine.allowed import Allowed, Verdict
from procedo.journal import JournalError, RunLockedError, StaleRunError, StorageError
from procedo.tui.screens import run_branches as branches
from procedo.tui.screens import run_calls as calls_flow
from procedo.tui.screens import run_clock as clock
from procedo.tui.screens import run_conditions as conditions
from procedo.tui.screens import run_interrupts as interrupts
from procedo.tui.screens import run_signing as signing
from procedo.tui.screens.base import ProcedoScreen
from procedo.tui.screens.dialogs import Dialog
from procedo.tui.screens.run_follow import FOLLOW_SECONDS, ChangeWatch, follow_tick
from procedo.tui.screens.run_items import ItemActions
from procedo.tui.screens.run_keys import EDIT_KEYS, RUN_BINDINGS, key_applies
from procedo.tui.screens.run_node_actions import NodeActions
from procedo.tui.text import line
from procedo.tui.widgets.branch_bar import BranchBar
from procedo.tui.widgets.flow_map import FlowMap
from procedo.tui.widgets.footer import FittedFooter
from procedo.tui.widgets.node_panel import NodePanel
from procedo.tui.widgets.role_point import point_content
from procedo.tui.widgets.run_header import RunHeader, header_content
from procedo.tui.widgets.updates import set_only_class, update_static

Failure = RunError | JournalError
"""What an action can fail with: the engine refused it, or the journal did not save it."""

POINT_GUARD_S = 0.5
"""At a hand-over point, enter and o count only this long after the point was shown, so keys
typed for the previous node (``2 2``, one enter too many) never answer it."""


class RunScreen(
    ItemActions,
    NodeActions,
    signing.SigningActions,
    interrupts.InterruptActions,
    branches.BranchActions,
    ProcedoScreen,
):
    """The current node of one run, with the flow map beside it."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (76, "-normal"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    BINDINGS = [*RUN_BINDINGS, *branches.BRANCH_BINDINGS]

    def __init__(self, run: Run, *, read_only: bool = False, read_only_reason: str = "") -> None:
        super().__init__()
        self.run = run
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self._key_state: tuple[object, ...] | None = None
        self._map_key: tuple[object, ...] | None = None
        self._point: tuple[int, str] | None = None
        self._point_shown = 0.0
        self._visit: int | None = None
        self._visit_shown = 0.0  # when the current visit was first drawn (enter's guard)
        self._verdicts: tuple[RunState, Allowed, frozenset[str]] | None = None  # footer keys
        self._signing_keys: signing.KeysCache | None = None  # c signs, S, O (run_signing.py)
        self._released = False  # paused and released on the way out (q, or as it unmounts)
        self.changes: ChangeWatch | None = None  # another session's commits (run_follow.py)
        self.reminder_said: tuple[str, int] | None = None  # the due reminder last noticed
        self._timeout_key: object = None  # what a decision's timeout suggests, as last drawn

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield RunHeader("", id="run-header")
        yield Static("", id="step-clock")  # the step's time, waits, reminders (run_clock.py)
        yield Static("", id="readonly-banner")
        yield Static("", id="breadcrumb")  # a called run: its chain of calls (run_calls.py)
        yield BranchBar("", id="branch-bar")  # inside a parallel block (run_branches.py)
        yield Static("", id="interrupt-banner")  # a non-normal checklist (run_interrupts.py)
        with Horizontal(id="run-body"):
            yield FlowMap(id="flow-map")
            yield NodePanel(id="node")
        yield Static("", id="status")
        yield FittedFooter(compact=True)

    @property
    def panel(self) -> NodePanel:
        """The current node's pane."""
        return self.query_one("#node", NodePanel)

    def on_mount(self) -> None:
        calls_flow.show_breadcrumb(self)
        self.refresh_view()
        clock.load_past_runs(self)  # in a worker: the first frame does not wait for it
        self.set_interval(1.0, self._tick)
        # Read-only, follow what the driving window does; driving, notice being taken over.
        self.changes = ChangeWatch(self.app.paths.db)
        self.set_interval(FOLLOW_SECONDS, self._follow_tick)
        self.panel.choices.focus()

    def on_screen_resume(self) -> None:
        calls_flow.settle_here(self)  # back from a called run (or resumed): go on when it ended

    def on_unmount(self) -> None:
        # However the screen goes away (q, ctrl+q, the terminal closing), the run is left
        # paused and released, so its clock stops and any session can resume it.
        self.leave_paused()
        if self.changes is not None:
            self.changes.close()
            self.changes = None

    def on_resize(self) -> None:
        self.query_one(FlowMap).fit()
        self.call_after_refresh(self._tick)

    def _tick(self) -> None:
        if not self.query(RunHeader):  # the app is closing: the screen's widgets are gone
            return
        header = self.query_one(RunHeader)
        now = int(self.app.clock())
        content = header_content(
            self.run.definition, self.run.state, now, self.read_only, header.size.width - 2
        )
        update_static(header, content, fixed_height=True)  # one docked line
        clock.show_clock(self)
        timeout = clock.timeout_key(self)
        if timeout != self._timeout_key:  # a decision's timeout fell due: show its suggestion
            self._timeout_key = timeout
            self.refresh_view()

    # -- drawing --------------------------------------------------------------------------

    def refresh_view(self) -> None:
        """Redraw everything from the run's (durable) state."""
        state, definition = self.run.state, self.run.definition
        self._tick()
        banner = self.query_one("#readonly-banner", Static)
        banner.display = self.read_only
        if self.read_only:
            update_static(
                banner,
                line(
                    ("Read-only: ", "bold"),
                    self.read_only_reason,
                    ("  Press t to take it over.", "bold"),
                ),
            )
        map_key = (tuple(state.visited_nodes()), state.current_node)
        if map_key != self._map_key:
            self._map_key = map_key
            self.query_one(FlowMap).show(definition, state)
        self.panel.show(self.run)
        branches.show_branches(self)
        interrupts.show_banner(self)
        self._show_point()
        visit = state.current.index if state.current else None
        if visit != self._visit:  # newly shown: enter confirms a suggestion only once read
            self._visit = visit
            self._visit_shown = time.monotonic()
        # The footer rebuilds itself on refresh_bindings(): only when the keys that apply change.
        node = state.current_node or ""
        here = conditions.keys_here(self.run)
        key_state = (
            node in definition.checklists,
            bool(state.frames),  # no D inside a non-normal checklist
            self.read_only,
            state.awaiting_role is not None,
            here,
            branches.branch_keys_apply(self),
            signing.signing_keys(self),
        )
        if key_state != self._key_state:
            self._key_state = key_state
            self.refresh_bindings()

    def _show_point(self) -> None:
        """The hand-over point, when the run waits for someone to act as the next role."""
        panel = self.query_one("#role-point", Static)
        state, definition = self.run.state, self.run.definition
        role, visit = state.awaiting_role, state.current
        if role is None or visit is None or state.finished:
            panel.display = False
            self._point = None
            return
        if self._point != (visit.index, role):  # newly shown: start the guard against stray keys
            self._point = (visit.index, role)
            self._point_shown = time.monotonic()
        shown = point_content(
            definition,
            visit.node,
            role,
            state.operator,
            read_only=self.read_only,
            values=self.run.scope(),
        )
        update_static(panel, shown)
        panel.display = True

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.panel.show_detail(self.run)
        signing.highlight_moved(self)  # O shows on a critical item with an override

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # Enter (or a click) on a row never ticks, chooses or signs: space, x and 1-9 do.
        event.stop()

    def show_status(self, message: str, kind: str = "ok") -> None:
        """Show the outcome of the last action (ok, refused or error)."""
        status = self.query_one("#status", Static)
        set_only_class(status, f"status-{kind}")
        marks = {"ok": "✓ ", "refused": "✗ ", "error": "⚠ NOT SAVED: "}
        update_static(status, line((marks.get(kind, ""), "bold"), message))

    # -- which keys apply -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "acknowledge_reminder":
            return clock.due_reminder(self) is not None
        state = self.run.state
        if self._verdicts is None or self._verdicts[0] is not state:  # once per saved state
            self._verdicts = (state, self.run.allowed(), conditions.keys_here(self.run))
        if action in branches.BRANCH_ACTIONS:
            return branches.branch_keys_apply(self)
        if (signs := signing.key_applies(self, action)) is not None:  # c Sign, S, O
            return signs
        return key_applies(action, self.read_only, self._verdicts[1], self._verdicts[2])

    def on_key(self, event: events.Key) -> None:
        # Read-only, the editing keys leave the footer (check_action) but still say why.
        if self.read_only and event.key in EDIT_KEYS:
            event.stop()
            self.writable()
        else:
            interrupts.refuse_hidden_key(self, event)

    # -- the one way an action is done, and fails -----------------------------------------

    def failed(self, error: Exception) -> None:
        """Tell the operator why an action was refused or not saved; the screen shows only
        what is saved. A lost lease turns the screen read-only."""
        if isinstance(error, StorageError):
            self.show_status(f"{error}. The screen shows only what is saved.", "error")
            self.notify(str(error), title="Not saved", severity="error", timeout=8, markup=False)
            self.refresh_view()
        elif isinstance(error, RunLockedError | StaleRunError):
            self.become_read_only(str(error))
        else:  # refused: nothing changed (the engine keeps its state), only say why
            self.show_status(str(error), "refused")

    def become_read_only(self, reason: str) -> None:
        self.read_only = True
        self.read_only_reason = reason
        self.show_status(reason, "refused")
        self.refresh_view()

    def act(
        self, write: Callable[[], object], done: Callable[[], str], *, moved: int | None = None
    ) -> Failure | None:
        """Write through the engine, then redraw and say what was saved (``done()``); after
        an item, the cursor goes on to the next open one. A refusal goes to ``failed`` and is
        returned (None once saved)."""
        try:
            write()
        except (RunError, JournalError) as error:
            self.failed(error)
            return error
        self.saved(done(), moved=moved)
        return None

    def saved(self, message: str, *, moved: int | None = None) -> None:
        """Show what was just saved (the summary, once the run is over)."""
        self.refresh_view()
        if moved is not None:
            self.panel.move_to_next_open(self.run, moved)
        note = branches.focus_moved(self)
        self.show_status(f"{message}. {note}" if note else message)
        if self.run.state.finished:
            clock.forget_past_runs(self.app, self.run.definition.id)  # one more run to count
            self.app.pop_screen()
            self.app.show_summary(self.run)
        else:
            calls_flow.follow_call(self)

    def may(self, verdict: Verdict) -> bool:
        """True when the run is writable here and ``verdict`` lets the action go ahead."""
        if not self.writable():
            return False
        if not verdict.ok:
            self.failed(Refused(verdict.reason))
            return False
        return True

    def writable(self) -> bool:
        if self.read_only:
            self.show_status("this run is read-only here: press t to take it over", "refused")
            return False
        return True

    def point_ready(self) -> bool:
        """True once the hand-over point has been on screen long enough to answer it."""
        if time.monotonic() - self._point_shown >= POINT_GUARD_S:
            return True
        self.show_status(
            "the next role was just shown: read it, then press the key again", "refused"
        )
        return False

    def visit_ready(self) -> bool:
        """True once the current node has been on screen long enough for enter to confirm
        its suggestion (an enter typed for the previous node never does)."""
        if time.monotonic() - self._visit_shown >= POINT_GUARD_S:
            return True
        self.show_status(
            "the suggestion was just shown: read it, then press enter again", "refused"
        )
        return False

    def ask(
        self, make: Callable[[str], Dialog], then: Callable[[str], Failure | None], value: str = ""
    ) -> None:
        """Open the dialog ``make(value)``; go on with what it returns (not a cancel). When
        that cannot be saved, the dialog opens again with the reason and what was typed."""

        def answered(answer: object) -> None:
            if answer is None:
                return
            error = then(str(answer))
            if error is not None:
                self.app.push_screen(make(str(answer)).with_error(str(error)), answered)

        self.app.push_screen(make(value), answered)

    # -- following the journal ------------------------------------------------------------

    def _follow_tick(self) -> None:
        follow_tick(self)

    # -- leaving --------------------------------------------------------------------------

    def leave_paused(self) -> None:
        """Pause the run and release it, so it can be resumed later (here or elsewhere)."""
        if self.read_only or self.run.state.finished or self._released:
            return
        try:
            if self.run.state.status == "active":
                self.run.pause()
            self.app.workspace.journal.release(self.run.run_id)
            self._released = True
        except (RunError, JournalError) as error:
            with contextlib.suppress(Exception):  # the app may be shutting down
                self.notify(
                    f"The run stays resumable, but: {error}", severity="warning", markup=False
                )

    def action_leave(self) -> None:
        """Leave the run paused and resumable, and go home with the cursor on it.

        The pause is written before the screen goes, so that Home shows it at once
        (on_unmount pauses too, for the other ways out: ctrl+q, the terminal closing).
        """
        self.leave_paused()
        calls_flow.pause_parents(self)  # a called run: its parents are paused too, before home
        self.app.pop_screen()
        self.app.go_home(show_run=calls_flow.home_run(self))

    def action_leave_read_only(self) -> None:
        """Leave a run another window drives, as it is (nothing is paused)."""
        self.action_leave()


__all__ = ["POINT_GUARD_S", "Refused", "RunScreen"]
